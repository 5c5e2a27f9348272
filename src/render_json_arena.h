/* arena.h - a bump allocator for short-lived trees of small objects.
 *
 * A JSON report is some 500 jansson values built, dumped once and thrown
 * away. With jansson's allocation functions pointed at an arena
 * (json_set_alloc_funcs), each allocation is a pointer bump, freeing one is
 * nothing, and the whole tree goes in one arena_reset(): no per-object
 * malloc/free, no walk of the tree to free it. Memory stays what the
 * largest report needed (batch replay reuses the first block). Never
 * prints; not thread-safe (pvhprobe has one thread). */
#ifndef PVHPROBE_ARENA_H
#define PVHPROBE_ARENA_H

#include "core/base.h"

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block first */
};

/* size bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);

/* Forgets every allocation; keeps the first block for reuse. */
void arena_reset(struct arena *a);

/* Gives every block back. */
void arena_free(struct arena *a);

/* Runs fn(arg) with jansson allocating from a (and freeing nothing), then
 * restores malloc/free; fn's result is returned. Values created inside must
 * not be used after arena_reset(a). */
_warn_unused_result_ int arena_json(struct arena *a, int (*fn)(void *arg), void *arg);

#endif

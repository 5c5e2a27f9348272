/* arena.c - a bump allocator, and jansson pointed at it. */
#include "render_json_arena.h"

#include <jansson.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#define ARENA_BLOCK (256u * 1024u)

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t al = alignof(max_align_t);
	if (size > SIZE_MAX - al)
		return NULL;
	size = (size + al - 1) & ~(al - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t bs = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		struct arena_block *nb = malloc(sizeof(*nb) + bs);
		if (!nb)
			return NULL;
		nb->size = bs;
		nb->used = 0;
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	if (!b)
		return;
	while (b->next) { /* keep the oldest (first) block */
		struct arena_block *n = b->next;
		free(b);
		b = n;
	}
	b->used = 0;
	a->head = b;
}

void arena_free(struct arena *a)
{
	for (struct arena_block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	a->head = NULL;
}

/* jansson's allocation hooks take no context: the arena in use. */
static struct arena *current;

static void *json_arena_malloc(size_t size)
{
	return arena_alloc(current, size);
}

static void json_arena_free(void *p)
{
	(void)p; /* arena_reset() takes everything back at once */
}

int arena_json(struct arena *a, int (*fn)(void *arg), void *arg)
{
	json_malloc_t old_malloc;
	json_free_t old_free;
	json_get_alloc_funcs(&old_malloc, &old_free);
	current = a;
	json_set_alloc_funcs(json_arena_malloc, json_arena_free);
	int rc = fn(arg);
	json_set_alloc_funcs(old_malloc, old_free);
	current = NULL;
	return rc;
}

/* render.h - the renderers: the only code (with main) that writes output.
 * Each reads a built report and nothing else. */
#ifndef PVHPROBE_RENDER_H
#define PVHPROBE_RENDER_H

#include "core/base.h"

#include <stdio.h>

#include <jansson.h>

#include "report.h"

struct arena;

struct render_opts {
	bool verbose;     /* traces, conditions, every decoded field */
	const char *version;
	bool compact;         /* JSON: one line (JSON Lines in batch replay) */
	struct arena *arena;  /* JSON: build in this arena (arena.h), reset
			       * after writing; NULL: malloc and free */
};

void render_text(FILE *f, const struct report *r, const struct render_opts *o);

/* The JSON report, one document (one line with compact). 0, or -1 with
 * nothing written. */
_warn_unused_result_ int render_json(FILE *f, const struct report *r, const struct render_opts *o);

void render_env(FILE *f, const struct report *r, const struct render_opts *o);

/* One line PVHPROBE_NAME='VALUE' of env output (report and kernel images):
 * VALUE single-quoted by shell_quote(), whole up to RENDER_ENV_VALUE_MAX
 * bytes (every value pvhprobe writes is shorter). */
#define RENDER_ENV_VALUE_MAX 2048
void render_env_var(FILE *f, const char *name, const char *value);

/* Prometheus text exposition format, for node_exporter's textfile collector. */
void render_prometheus(FILE *f, const struct report *r, const struct render_opts *o);

/* Every leaf read, in `cpuid -r` form (sorted by leaf, subleaf). */
void render_dump(FILE *f, const struct report *r);

/* The evidence section and verdict (render_evidence.c). */
void render_evidence_summary(FILE *f, const struct report *r);
void render_evidence_details(FILE *f, const struct report *r);
json_t *render_evidence_json(const struct report *r);
json_t *render_verdict_json(const struct report *r);

/* A probe console capture's entry facts (render_entry.c); nothing, null
 * or no variable when the input is not a capture. */
void render_entry_text(FILE *f, const struct report *r, bool verbose);
json_t *render_entry_json(const struct report *r);
void render_entry_env(FILE *f, const struct report *r);

/* --all-cpus (render_vcpus.c). */
void render_vcpus_text(FILE *f, const struct report *r);
json_t *render_vcpus_json(const struct report *r);

/* compare (render_compare.c). */
struct comparison;
void render_compare_text(FILE *f, const struct comparison *c);
_warn_unused_result_ int render_compare_json(FILE *f, const struct comparison *c);

/* --list: the signature table and the models. */
void render_list(FILE *f);

/* Fills out[] (s->n entries) with pointers to the entries sorted by
 * (leaf, subleaf) (render_leaves.c). */
void leafset_sorted(const struct leafset *s, const struct leaf_entry **out);

#endif

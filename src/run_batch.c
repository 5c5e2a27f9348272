/* run_batch.c - replaying many dumps in one run (a fleet's collected
 * reports): every -i, or every file of a directory of dumps, analysed in
 * turn with memory that does not grow with the number of files. With -j,
 * one compact JSON report per line (JSON Lines); in text, one line per
 * file. An input that cannot be read is reported on stderr and the run
 * goes on; the exit status is then 3. --expect applies to every file: 1
 * when any fails it. */
#include "run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run_analysis.h"
#include "render_json_arena.h"
#include "dump_bundle.h"
#include "render_escape.h"
#include "render.h"

static int one(const struct options *o, const char *path, struct arena *arena)
{
	struct analysis *a = analysis_new();
	if (!a) {
		fprintf(stderr, "pvhprobe: out of memory\n");
		return EXIT_INPUT;
	}
	int rc = analysis_open(a, o, path);
	int expect = rc == EXIT_OK ? analysis_expect(o, &a->rep) : EXIT_OK;
	if (rc == EXIT_OK && !o->quiet) {
		const struct report *r = &a->rep;
		if (o->format == FMT_JSON) {
			struct render_opts ro = { .verbose = o->verbose, .version = pvhprobe_version, .compact = true, .arena = arena };
			if (render_json(stdout, r, &ro) < 0)
				rc = run_output_status(EXIT_OK, true);
		} else {
			enum pvh_path p = report_common_path(r);
			char name[512];
			printf("%s: %s", escape_name(path, name, sizeof(name)), p == _PATH_MAX ? "mixed" : pvh_path_name(p));
			for (unsigned i = 0; i < r->nmodels; i++)
				printf(" %s=%s/%s", r->models[i].desc->name, pvh_path_name(r->models[i].path),
				       outcome_name(r->models[i].outcome));
			putchar('\n');
		}
	}
	analysis_free(a);
	return rc != EXIT_OK ? rc : expect;
}

/* Input errors (3) outrank an output failure (5), which outranks a
 * failed --expect (1). */
static int worst(int a, int b)
{
	if (a == EXIT_INPUT || b == EXIT_INPUT)
		return EXIT_INPUT;
	if (a == EXIT_OUTPUT || b == EXIT_OUTPUT)
		return EXIT_OUTPUT;
	return a ? a : b;
}

/* The names of a directory's entries, sorted: NUL-terminated in one
 * buffer, found by offset. About 30 bytes a file, the only memory batch
 * replay spends per file (each report's memory is reused). */
struct names {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t n, ncap;
};

static int names_add(struct names *nm, const char *name)
{
	size_t k = strlen(name) + 1;
	if (nm->cap - nm->len < k) {
		size_t cap = nm->cap ? nm->cap * 2 : 4096;
		while (cap - nm->len < k)
			cap *= 2;
		char *b = realloc(nm->buf, cap);
		if (!b)
			return -1;
		nm->buf = b;
		nm->cap = cap;
	}
	if (nm->n == nm->ncap) {
		size_t ncap = nm->ncap ? nm->ncap * 2 : 256;
		size_t *o = realloc(nm->off, ncap * sizeof(*o));
		if (!o)
			return -1;
		nm->off = o;
		nm->ncap = ncap;
	}
	memcpy(nm->buf + nm->len, name, k);
	nm->off[nm->n++] = nm->len;
	nm->len += k;
	return 0;
}

static int cmp_name(const void *a, const void *b, void *buf)
{
	return strcmp((const char *)buf + *(const size_t *)a, (const char *)buf + *(const size_t *)b);
}

/* A directory of dumps (not a bundle): its regular files (and bundle
 * directories), sorted by name. */
static int directory(const struct options *o, const char *dir, struct arena *arena)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return EXIT_INPUT;
	}
	struct names nm = { 0 };
	struct dirent *e;
	int rc = EXIT_OK;
	char path[4096];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type != DT_REG && e->d_type != DT_DIR) { /* a symlink, or a file system without d_type */
			struct stat st;
			if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) || stat(path, &st) < 0 ||
			    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
				continue;
		}
		if (names_add(&nm, e->d_name) < 0) {
			fprintf(stderr, "pvhprobe: %s: out of memory listing the directory\n", dir);
			rc = EXIT_INPUT;
			break;
		}
	}
	closedir(d);
	if (nm.n)
		qsort_r(nm.off, nm.n, sizeof(*nm.off), cmp_name, nm.buf);
	for (size_t i = 0; i < nm.n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, nm.buf + nm.off[i]) >= (int)sizeof(path)) {
			fprintf(stderr, "pvhprobe: %s/%s: path too long\n", dir, nm.buf + nm.off[i]);
			rc = worst(rc, EXIT_INPUT);
			continue;
		}
		rc = worst(rc, one(o, path, arena));
	}
	free(nm.buf);
	free(nm.off);
	return rc;
}

/* A directory that is not a bundle (no cpuid.txt) holds dumps to replay. */
bool batch_is_dump_directory(const char *path)
{
	struct stat st;
	if (!path || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	char *dump = NULL;
	int b = bundle_detect(path, &dump);
	free(dump);
	return b != 1;
}

int run_batch(const struct options *o)
{
	if (o->format != FMT_TEXT && o->format != FMT_JSON) {
		fprintf(stderr, "pvhprobe: replaying several dumps gives one JSON object (-j) or one text line each, not %s\n",
			out_format_name(o->format));
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	struct arena arena = { 0 }; /* every report's JSON, reset after each */
	for (unsigned i = 0; i < o->ninputs; i++)
		rc = worst(rc, batch_is_dump_directory(o->inputs[i]) ? directory(o, o->inputs[i], &arena)
								      : one(o, o->inputs[i], &arena));
	arena_free(&arena);
	return run_output_status(rc, false);
}

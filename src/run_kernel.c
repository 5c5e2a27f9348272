/* run_kernel.c - `pvhprobe kernel FILE...`: can each image be PVH-booted?
 *
 * Every file is read and analysed first (kimage.c), then the renderers
 * print them all (render_kimage.c). A file that cannot be read or parsed
 * is reported here, once, on stderr with the program name, and appears in
 * JSON and env output with its error.
 *
 * Exit status (for pvhprobe(1) EXIT STATUS):
 *   0  every file was read and parsed, whether or not it can be PVH-booted
 *      (the answer is in the output: text, "pvh" in JSON, PVHPROBE_KERNEL_PVH
 *      in env);
 *   3  at least one file could not be read or parsed (missing, unreadable,
 *      larger than 512 MiB, neither ELF nor bzImage, big-endian, truncated
 *      or corrupt headers or notes); the others are still reported;
 *   2  usage error (no FILE), from the option parser;
 *   5  the output could not be written (replaces 0). */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kimage.h"

/* A message on stderr: it holds a file name, so any byte outside printable
 * ASCII is written as \xHH (never raw control bytes on a terminal). */
static void put_message(const char *msg)
{
	fputs("pvhprobe: kernel: ", stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, stderr);
		else
			fprintf(stderr, "\\x%02x", *p);
	}
	fputc('\n', stderr);
}

int run_kernel(const struct options *o)
{
	size_t n = o->nfiles > 0 ? (size_t)o->nfiles : 0;
	struct kimage **ks = calloc(n ? n : 1, sizeof(*ks));
	if (!ks) {
		fprintf(stderr, "pvhprobe: kernel: out of memory\n");
		return EXIT_INPUT;
	}
	int rc = EXIT_OK;
	size_t done = 0;
	for (; done < n; done++) {
		ks[done] = calloc(1, sizeof(**ks));
		if (!ks[done]) {
			fprintf(stderr, "pvhprobe: kernel: out of memory\n");
			rc = EXIT_INPUT;
			break;
		}
		if (kimage_load(o->files[done], ks[done]) < 0) {
			put_message(ks[done]->err);
			rc = EXIT_INPUT;
		}
	}
	bool failed = false;
	if (done == n && !o->quiet) {
		const struct kimage *const *cks = (const struct kimage *const *)ks;
		struct kimage_render_opts ro = { .verbose = o->verbose, .version = pvhprobe_version };
		if (o->format == FMT_JSON) {
			failed = render_kimage_json(stdout, cks, n, &ro) < 0;
		} else if (o->format == FMT_ENV) {
			render_kimage_env(stdout, cks, n, &ro);
		} else {
			render_kimage_text(stdout, cks, n, &ro);
		}
	}
	rc = run_output_status(rc, failed);
	for (size_t i = 0; i < n; i++)
		free(ks[i]);
	free(ks);
	return rc;
}

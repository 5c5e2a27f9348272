/* sysroot.h - reading the running system's files under a root prefix.
 *
 * Every evidence file is read through here, under --sysroot (default /), so
 * a recorded tree replays the analysis (like lscpu --sysroot). Reads are
 * bounded, non-blocking (a FIFO planted in a recorded tree cannot hang us)
 * and only of regular files; each successful read is logged so that
 * `pvhprobe dump --sysroot-out=DIR` can copy exactly what was used. */
#ifndef PVHPROBE_SYSROOT_H
#define PVHPROBE_SYSROOT_H

#include "core/base.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYSROOT_LOG_MAX 128

struct sysroot_entry {
	char *path;                     /* relative to root, strdup'd */
	char kind;                      /* 'f' file read, 'd' directory, 'o' other (device) */
};

struct sysroot {
	const char *root;               /* "" for / */
	struct sysroot_entry log[SYSROOT_LOG_MAX]; /* what was read or found */
	unsigned nlog;
};

void sysroot_init(struct sysroot *s, const char *root);
void sysroot_free(struct sysroot *s);

/* Reads at most cap bytes of root/path into buf. Returns 0 or -errno
 * (-EINVAL: not a regular file). *len is the number of bytes read. */
_warn_unused_result_ int sysroot_read(struct sysroot *s, const char *path, uint8_t *buf, size_t cap, size_t *len);

/* 1 if root/path exists, 0 if not, -errno (e.g. -EACCES) if unknown. */
int sysroot_exists(struct sysroot *s, const char *path);

/* A sysfs text attribute: read, trailing whitespace and NULs dropped. */
struct sbuf {
	uint8_t b[96];
	unsigned n;
	int err;        /* 0 read; -errno otherwise (-ENOENT: absent) */
};

void sysroot_attr(struct sysroot *s, const char *path, struct sbuf *out);

/* n attributes under dir, each as sysroot_attr() reads it; when dir does
 * not exist (exists: what sysroot_exists(s, dir) returned), all of them are
 * absent (-ENOENT) without an open each (the readers skip /sys/hypervisor's
 * seven files on every non-Xen machine). */
void sysroot_attrs(struct sysroot *s, const char *dir, int exists, const char *const *names, struct sbuf *const *out,
		   unsigned n);
bool sbuf_eq(const struct sbuf *b, const char *s);
bool sbuf_prefix(const struct sbuf *b, const char *s);

#endif

/* sysroot.c - bounded, non-blocking reads under a root prefix. */
#include "evidence_sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sysroot_init(struct sysroot *s, const char *root)
{
	memset(s, 0, sizeof(*s));
	s->root = root && strcmp(root, "/") != 0 ? root : "";
}

void sysroot_free(struct sysroot *s)
{
	for (unsigned i = 0; i < s->nlog; i++)
		free(s->log[i].path);
	s->nlog = 0;
}

static int full_path(const struct sysroot *s, const char *path, char *out, size_t len)
{
	int n = snprintf(out, len, "%s%s", s->root, path);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void log_path(struct sysroot *s, const char *path, char kind)
{
	for (unsigned i = 0; i < s->nlog; i++)
		if (strcmp(s->log[i].path, path) == 0)
			return;
	if (s->nlog < SYSROOT_LOG_MAX) {
		char *d = strdup(path);
		if (d)
			s->log[s->nlog++] = (struct sysroot_entry){ d, kind };
	}
}

int sysroot_read(struct sysroot *s, const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	char p[4096];
	*len = 0;
	int r = full_path(s, path, p, sizeof(p));
	if (r < 0)
		return r;
	int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	size_t n = 0;
	while (n < cap) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			return -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	*len = n;
	log_path(s, path, 'f');
	return 0;
}

int sysroot_exists(struct sysroot *s, const char *path)
{
	char p[4096];
	int r = full_path(s, path, p, sizeof(p));
	if (r < 0)
		return r;
	struct stat st;
	if (stat(p, &st) == 0) { /* follows links: /sys/class/dmi/id is one */
		log_path(s, path, S_ISDIR(st.st_mode) ? 'd' : 'o');
		return 1;
	}
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

void sysroot_attr(struct sysroot *s, const char *path, struct sbuf *out)
{
	size_t len;
	memset(out, 0, sizeof(*out));
	out->err = sysroot_read(s, path, out->b, sizeof(out->b), &len);
	if (out->err)
		return;
	while (len && (out->b[len - 1] == '\n' || out->b[len - 1] == ' ' || out->b[len - 1] == '\0'))
		len--;
	out->n = (unsigned)len;
}

bool sbuf_eq(const struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	return !b->err && b->n == n && memcmp(b->b, s, n) == 0;
}

bool sbuf_prefix(const struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	return !b->err && b->n >= n && memcmp(b->b, s, n) == 0;
}

void sysroot_attrs(struct sysroot *s, const char *dir, int exists, const char *const *names, struct sbuf *const *out,
		   unsigned n)
{
	bool absent = exists == 0;
	for (unsigned i = 0; i < n; i++) {
		if (absent) {
			memset(out[i], 0, sizeof(*out[i]));
			out[i]->err = -ENOENT;
			continue;
		}
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		sysroot_attr(s, path, out[i]);
	}
}

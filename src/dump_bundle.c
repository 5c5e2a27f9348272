/* bundle.c - writing and recognising bug-report bundles. */
#include "dump_bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"

/* mkdir -p for the directories of path (not path itself). */
static int mkparents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0755);
		int e = errno;
		*p = '/';
		if (r < 0 && e != EEXIST)
			return -e;
	}
	return 0;
}

/* Copies up to 1 MiB of src into dst. */
static int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return -errno;
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		int e = errno;
		close(in);
		return -e;
	}
	char buf[65536];
	size_t total = 0;
	int rc = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0 || total >= (1u << 20))
			break;
		if (write(out, buf, (size_t)n) != n) {
			rc = -EIO;
			break;
		}
		total += (size_t)n;
	}
	close(in);
	if (close(out) < 0 && !rc)
		rc = -errno;
	return rc;
}

int bundle_write(const char *dir, const struct report *r, const struct sysroot *s, char *msg, size_t msglen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/", dir);
	int pr = mkparents(path);
	if (pr < 0) {
		snprintf(msg, msglen, "%s: %s", dir, strerror(-pr));
		return pr;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		int e = errno;
		snprintf(msg, msglen, "%s: %s", dir, strerror(e));
		return -e;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, BUNDLE_DUMP);
	FILE *f = fopen(path, "w");
	if (!f) {
		int e = errno;
		snprintf(msg, msglen, "%s: %s", path, strerror(e));
		return -e;
	}
	render_dump(f, r);
	bool write_failed = ferror(f); /* fclose() reports only what it flushes */
	if (fclose(f) != 0 || write_failed) {
		int e = errno ? errno : EIO;
		snprintf(msg, msglen, "%s: %s", path, strerror(e));
		return -e;
	}
	for (unsigned i = 0; i < s->nlog; i++) {
		const struct sysroot_entry *e = &s->log[i];
		char src[4096];
		snprintf(src, sizeof(src), "%s%s", s->root, e->path);
		int n = snprintf(path, sizeof(path), "%s%s", dir, e->path);
		if (n < 0 || (size_t)n >= sizeof(path))
			continue;
		int rc = mkparents(path);
		if (rc == 0) {
			if (e->kind == 'f')
				rc = copy_file(src, path);
			else if (e->kind == 'd')
				rc = mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
			else /* a device node: an empty file stands for "it exists" */
				rc = close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0 ? -errno : 0;
		}
		if (rc < 0) {
			snprintf(msg, msglen, "%s: %s", path, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int bundle_detect(const char *path, char **dump)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0; /* the reader reports it */
	if (!S_ISDIR(st.st_mode))
		return 0;
	size_t n = strlen(path) + sizeof(BUNDLE_DUMP) + 2;
	*dump = malloc(n);
	if (!*dump)
		return -ENOMEM;
	snprintf(*dump, n, "%s/%s", path, BUNDLE_DUMP);
	if (access(*dump, F_OK) != 0) { /* a plain directory: the reader says so */
		free(*dump);
		*dump = NULL;
		return 0;
	}
	return 1;
}

/* input.c - the one bounded reader (input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int input_timeout_ms(void)
{
	const char *e = getenv("PVHPROBE_INPUT_TIMEOUT");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v == 0)
			return -1; /* 0: no limit */
		if (*end == '\0' && v > 0 && v <= INPUT_TIMEOUT_MAX_S)
			return (int)v * 1000;
	}
	return INPUT_TIMEOUT_DEFAULT_S * 1000;
}

int input_fail_v(char *err, size_t errlen, const char *file, unsigned line, const char *what, const char *fmt,
		 va_list ap)
{
	int k = !file ? snprintf(err, errlen, "%s", what)
		: line ? snprintf(err, errlen, "%s:%u: %s", file, line, what)
		       : snprintf(err, errlen, "%s: %s", file, what);
	if (k >= 0 && (size_t)k < errlen)
		vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	return -EINVAL;
}

/* The message for -errno r, and r. */
static int failed(int r, const char *name, const struct input_kind *k, char *err, size_t errlen)
{
	switch (r) {
	case -EFBIG:
		snprintf(err, errlen, "%s: larger than %zu MiB, expected %s", name, k->max_bytes >> 20, k->expected);
		break;
	case -ENOMEM:
		snprintf(err, errlen, "%s: out of memory", name);
		break;
	default:
		snprintf(err, errlen, "%s: %s", name, strerror(-r));
	}
	return r;
}

int input_read(const char *path, const struct input_kind *k, char **buf, size_t *len, char *err, size_t errlen)
{
	*buf = NULL;
	*len = 0;
	const bool is_stdin = strcmp(path, "-") == 0;
	const char *name = input_name(path);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return failed(-errno, name, k, err, errlen);
	int rc = 0;
	char *b = NULL;
	size_t n = 0, cap = 65536;
	bool regular = false;
	struct stat st;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: %s", name, k->directory);
			rc = -EISDIR;
			goto out;
		}
		if (k->files_only && !is_stdin && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
			snprintf(err, errlen, "%s: is a device, expected %s", name, k->expected);
			rc = -ENODEV;
			goto out;
		}
		regular = S_ISREG(st.st_mode);
		if (regular && (uint64_t)st.st_size > k->max_bytes) {
			rc = failed(-EFBIG, name, k, err, errlen);
			goto out;
		}
		if (regular && (size_t)st.st_size >= cap)
			cap = (size_t)st.st_size + 1; /* +1: EOF is seen without growing */
	}
	if (regular && !is_stdin)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	const int wait_ms = regular ? -1 : input_timeout_ms();
	b = malloc(cap + 1); /* +1: the NUL */
	if (!b) {
		rc = failed(-ENOMEM, name, k, err, errlen);
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap > k->max_bytes) {
				rc = failed(-EFBIG, name, k, err, errlen);
				goto out;
			}
			size_t nc = cap * 2 > k->max_bytes + 1 ? k->max_bytes + 1 : cap * 2;
			char *nb = realloc(b, nc + 1);
			if (!nb) {
				rc = failed(-ENOMEM, name, k, err, errlen);
				goto out;
			}
			b = nb;
			cap = nc;
		}
		if (!regular) {
			/* A pipe, FIFO or device: bounded by time as well as size. */
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int pr = poll(&p, 1, wait_ms);
			if (pr == 0) {
				snprintf(err, errlen, "%s: no data for %d s (a pipe or FIFO nobody writes to?)", name,
					 wait_ms / 1000);
				rc = -ETIMEDOUT;
				goto out;
			}
			if (pr < 0 && errno != EINTR) {
				rc = failed(-errno, name, k, err, errlen);
				goto out;
			}
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = failed(-errno, name, k, err, errlen);
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > k->max_bytes) {
		rc = failed(-EFBIG, name, k, err, errlen);
		goto out;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
out:
	free(b);
	if (!is_stdin)
		close(fd);
	return rc;
}

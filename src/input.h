/* input.h - the one bounded reader for every file pvhprobe is given: CPUID
 * dumps, JSON reports, bundles' cpuid.txt and kernel images.
 *
 * A file is read whole into memory, bounded in size (the caller's limit) and,
 * for standard input, pipes, FIFOs and devices, in time: a source that stays
 * silent for PVHPROBE_INPUT_TIMEOUT seconds is abandoned. Opening a FIFO
 * never waits for a writer. Nothing here prints: errors come back as -errno
 * with a message naming the file. */
#ifndef PVHPROBE_INPUT_H
#define PVHPROBE_INPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/base.h"

/* How long a silent pipe may keep us, when PVHPROBE_INPUT_TIMEOUT is unset. */
#define INPUT_TIMEOUT_DEFAULT_S 10
#define INPUT_TIMEOUT_MAX_S 3600

/* What a caller reads: the limit and the words its messages use. */
struct input_kind {
	size_t max_bytes;       /* more than this is -EFBIG */
	const char *expected;   /* "a kernel image": ends "expected ..." messages */
	const char *directory;  /* the message for a directory, after "FILE: " */
	bool files_only;        /* refuse character and block devices (-ENODEV) */
};

/* The name messages use for path: "<stdin>" for "-". */
const char *input_name(const char *path);

/* Milliseconds a pipe may stay silent, from PVHPROBE_INPUT_TIMEOUT: a whole
 * number of seconds from 1 to INPUT_TIMEOUT_MAX_S, or 0 for no limit (-1:
 * wait as long as it takes, as poll() reads it); unset, empty or anything
 * else gives INPUT_TIMEOUT_DEFAULT_S. */
int input_timeout_ms(void);

/* Reads path ("-": standard input) whole. A regular file larger than
 * k->max_bytes is refused unread. On success *buf (NUL-terminated, *len
 * bytes before the NUL) is the caller's to free(). Returns 0, or -errno with
 * err set ("FILE: ..."): -EISDIR, -ENODEV (files_only), -EFBIG, -ETIMEDOUT
 * (silent for the timeout), -ENOMEM, or open()'s and read()'s errors. */
_warn_unused_result_ int input_read(const char *path, const struct input_kind *k, char **buf, size_t *len,
				    char *err, size_t errlen);

/* The readers' one message form, "FILE:LINE: WHAT...", "FILE: WHAT..." (line
 * 0) or "WHAT..." (file NULL), with fmt's text after it; what may be "".
 * Returns -EINVAL, the readers' answer to content that does not parse. */
_printf_(6, 0) int input_fail_v(char *err, size_t errlen, const char *file, unsigned line, const char *what,
				const char *fmt, va_list ap);

#endif

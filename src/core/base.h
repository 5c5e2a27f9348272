/* base.h - what the analysis core may use: the freestanding C headers, a few
 * macros, its own error numbers, and the mem and str functions.
 *
 * The core (this folder: leaf table, scan, signature table, decoders,
 * models) is built twice: hosted, into ./pvhprobe, and freestanding
 * (-ffreestanding -nostdinc, `make check-core`), as the probe guest links it.
 * So it includes nothing but this header and its own: no stdio, no malloc,
 * no errno.h. The mem and str functions below are the only library
 * functions it calls; a hosted build gets them from libc, a freestanding
 * one from core/mem.c (compilers emit calls to memcpy and memset anyway). */
#ifndef PVHPROBE_CORE_BASE_H
#define PVHPROBE_CORE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* For the "scalars first, then arrays left unzeroed" layouts: member b
 * comes right after member a (only alignment padding between), and a is
 * the last member. Then memset up to the first array zeroes every scalar
 * member, including any added later (a static assertion fails otherwise). */
#define MEMBER_END(type, a) (offsetof(type, a) + sizeof(((type *)0)->a))
#define ALIGN_UP(x, al) (((x) + (al) - 1) / (al) * (al))
#define MEMBER_FOLLOWS(type, a, b) \
	(offsetof(type, b) == ALIGN_UP(MEMBER_END(type, a), __alignof__(((type *)0)->b)))
#define MEMBER_IS_LAST(type, a) (sizeof(type) == ALIGN_UP(MEMBER_END(type, a), __alignof__(type)))

/* The size of one line of explanation (a trace step, a reason, a finding,
 * an evidence verdict), NUL included: models, evidence and the report. */
#define TEXT_MAX 240

/* A function whose result says whether it worked: ignoring it is a bug. */
#define _warn_unused_result_ __attribute__((warn_unused_result))
#define _printf_(fmt, args) __attribute__((format(printf, fmt, args)))

/* The core's error numbers, returned negated like -errno. Their values are
 * Linux's (and FreeBSD's) errno values, so that hosted callers can hand them
 * to strerror(); src/alloc_libc.c asserts that at build time. */
enum core_errno {
	CORE_ENXIO = 6,
	CORE_E2BIG = 7,
	CORE_ENOMEM = 12,
	CORE_EFAULT = 14,
	CORE_EINVAL = 22,
};

/* Memory the core does not own: leaf sets grow through this. resize(ctx,
 * p, n) is realloc(p, n) (p NULL: a new block; n 0: free p, returns NULL);
 * it returns NULL when it cannot. The hosted build passes libc's
 * (alloc_libc.c); the probe guest a bump allocator over a static area. */
struct core_alloc {
	void *(*resize)(void *ctx, void *p, size_t n);
	void *ctx;
};

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif

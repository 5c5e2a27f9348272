/* test_fmt.c - src/core/fmt.h's fmt() and fmt_v() against glibc's snprintf:
 * a table of formats and values, each at many buffer sizes (0, 1, small,
 * exact, ample), then a few thousand pseudo-random conversions (fixed
 * seed). Every case must give the same bytes (the whole buffer, so bytes
 * past n stay untouched too) and the same returned length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/fmt.h"

/* The formats here are data, not literals. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

/* What a row passes after the format. */
enum kind {
	K_NONE,
	K_INT,       /* int i */
	K_UINT,      /* unsigned u */
	K_LONG,      /* long i */
	K_ULONG,     /* unsigned long u */
	K_LLONG,     /* long long i */
	K_ULLONG,    /* unsigned long long u */
	K_SIZE,      /* size_t u */
	K_INTMAX,    /* intmax_t i */
	K_UINTMAX,   /* uintmax_t u */
	K_STR,       /* const char *s */
	K_PTR,       /* void *(uintptr_t)u */
	K_W_INT,     /* int w, int i: "%*d" */
	K_W_UINT,    /* int w, unsigned u */
	K_W_STR,     /* int w, const char *s: "%*s", "%.*s" */
	K_W_P_INT,   /* int w, int p, int i: "%*.*d" */
	K_W_P_STR,   /* int w, int p, const char *s */
	K_INT_STR_U, /* int i, const char *s, unsigned u: several in one */
};

struct row {
	const char *f;
	enum kind k;
	long long i;
	unsigned long long u;
	const char *s;
	int w, p;
};

/* which: 0 fmt(), 1 snprintf(). Both see the same typed arguments. */
static size_t call(int which, char *buf, size_t n, const struct row *r)
{
#define CALL(...) (which ? (size_t)snprintf(buf, n, r->f, __VA_ARGS__) : fmt(buf, n, r->f, __VA_ARGS__))
	switch (r->k) {
	case K_NONE: return which ? (size_t)snprintf(buf, n, r->f) : fmt(buf, n, r->f);
	case K_INT: return CALL((int)r->i);
	case K_UINT: return CALL((unsigned)r->u);
	case K_LONG: return CALL((long)r->i);
	case K_ULONG: return CALL((unsigned long)r->u);
	case K_LLONG: return CALL((long long)r->i);
	case K_ULLONG: return CALL((unsigned long long)r->u);
	case K_SIZE: return CALL((size_t)r->u);
	case K_INTMAX: return CALL((intmax_t)r->i);
	case K_UINTMAX: return CALL((uintmax_t)r->u);
	case K_STR: return CALL(r->s);
	case K_PTR: return CALL((void *)(uintptr_t)r->u);
	case K_W_INT: return CALL(r->w, (int)r->i);
	case K_W_UINT: return CALL(r->w, (unsigned)r->u);
	case K_W_STR: return CALL(r->w, r->s);
	case K_W_P_INT: return CALL(r->w, r->p, (int)r->i);
	case K_W_P_STR: return CALL(r->w, r->p, r->s);
	case K_INT_STR_U: return CALL((int)r->i, r->s, (unsigned)r->u);
	}
#undef CALL
	return 0;
}

#define BUF 512

/* One row at buffer size n: the same bytes and the same length. */
static void check_n(const struct row *r, size_t n, const char *what)
{
	char got[BUF], want[BUF];
	memset(got, 0xa5, sizeof(got));
	memset(want, 0xa5, sizeof(want));
	size_t lg = call(0, got, n, r);
	size_t lw = call(1, want, n, r);
	if (lg != lw || memcmp(got, want, sizeof(got)) != 0)
		fail_msg("%s: \"%s\" (i=%lld u=%#llx s=%s w=%d p=%d) n=%zu: fmt gave %zu \"%.*s\", snprintf %zu \"%.*s\"",
			 what, r->f, r->i, r->u, r->s ? r->s : "NULL", r->w, r->p, n, lg, (int)(n ? strnlen(got, n) : 0),
			 got, lw, (int)(n ? strnlen(want, n) : 0), want);
}

/* Every buffer size that matters: none, only the NUL, small ones, one
 * short of the text, exact, and ample. */
static void check_row(const struct row *r, const char *what)
{
	char tmp[BUF];
	size_t len = call(1, tmp, sizeof(tmp), r);
	assert_true(len < BUF);
	const size_t sizes[] = { 0, 1, 2, 3, 4, 7, 8, len > 0 ? len - 1 : 0, len, len + 1, BUF };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
		if (sizes[k] <= BUF)
			check_n(r, sizes[k], what);
}

#define R(fmt_, kind_, ...) { .f = fmt_, .k = kind_, __VA_ARGS__ }

static const struct row rows[] = {
	R("", K_NONE),
	R("plain text", K_NONE),
	R("%%", K_NONE),
	R("100%% sure %%%%", K_NONE),
	/* %d %i */
	R("%d", K_INT, .i = 0),
	R("%d", K_INT, .i = 1),
	R("%d", K_INT, .i = -1),
	R("%d", K_INT, .i = INT_MAX),
	R("%d", K_INT, .i = INT_MIN),
	R("%i", K_INT, .i = INT_MIN),
	R("%i", K_INT, .i = 123456),
	R("[%5d]", K_INT, .i = -42),
	R("[%-5d]", K_INT, .i = -42),
	R("[%05d]", K_INT, .i = -42),
	R("[%+d]", K_INT, .i = 42),
	R("[% d]", K_INT, .i = 42),
	R("[%+d]", K_INT, .i = 0),
	R("[%.3d]", K_INT, .i = 7),
	R("[%.0d]", K_INT, .i = 0),
	R("[%5.0d]", K_INT, .i = 0),
	R("[%08.3d]", K_INT, .i = -7),
	R("[%-+8d]", K_INT, .i = 9),
	R("[%0-8d]", K_INT, .i = 9),
	R("[%12d]", K_INT, .i = INT_MIN),
	/* %u */
	R("%u", K_UINT, .u = 0),
	R("%u", K_UINT, .u = UINT32_MAX),
	R("%u", K_UINT, .u = 0x80000000u),
	R("[%10u]", K_UINT, .u = 65535),
	R("[%-10u|]", K_UINT, .u = 65535),
	/* %x %X %o and their '#' */
	R("%x", K_UINT, .u = 0),
	R("%x", K_UINT, .u = 0xdeadbeef),
	R("%X", K_UINT, .u = 0xdeadbeef),
	R("%x", K_UINT, .u = UINT32_MAX),
	R("%#x", K_UINT, .u = 0),
	R("%#x", K_UINT, .u = 0x40000000),
	R("%#X", K_UINT, .u = 0xabc),
	R("%08x", K_UINT, .u = 0x1f),
	R("%08x", K_UINT, .u = UINT32_MAX),
	R("%#010x", K_UINT, .u = 0x1f),
	R("%#.8x", K_UINT, .u = 0x1f),
	R("[%-#10x]", K_UINT, .u = 0x1f),
	R("[%#10.4X]", K_UINT, .u = 0x1f),
	R("%o", K_UINT, .u = 0),
	R("%o", K_UINT, .u = 8),
	R("%o", K_UINT, .u = UINT32_MAX),
	R("%#o", K_UINT, .u = 0),
	R("%#o", K_UINT, .u = 8),
	R("%#.5o", K_UINT, .u = 8),
	R("%#.0o", K_UINT, .u = 0),
	R("[%#8o]", K_UINT, .u = 0777),
	R("%.0x", K_UINT, .u = 0),
	R("%#.0x", K_UINT, .u = 0),
	/* length modifiers */
	R("%hhu", K_INT, .i = 300),
	R("%hhu", K_INT, .i = -1),
	R("%hhd", K_INT, .i = 200),
	R("%hhx", K_INT, .i = 0x1ff),
	R("%hu", K_INT, .i = 70000),
	R("%hu", K_INT, .i = -1),
	R("%hd", K_INT, .i = 40000),
	R("%hx", K_INT, .i = 0x12345),
	R("%ld", K_LONG, .i = LONG_MIN),
	R("%lu", K_ULONG, .u = ULONG_MAX),
	R("%lx", K_ULONG, .u = 0x123456789abcdefull),
	R("%lld", K_LLONG, .i = LLONG_MIN),
	R("%lld", K_LLONG, .i = LLONG_MAX),
	R("%llu", K_ULLONG, .u = UINT64_MAX),
	R("%llu", K_ULLONG, .u = 0),
	R("%llx", K_ULLONG, .u = UINT64_MAX),
	R("%#llx", K_ULLONG, .u = 0x8000000000000000ull),
	R("%llX", K_ULLONG, .u = 0xfedcba9876543210ull),
	R("%llo", K_ULLONG, .u = UINT64_MAX),
	R("%#llo", K_ULLONG, .u = UINT64_MAX),
	R("[%24llu]", K_ULLONG, .u = UINT64_MAX),
	R("[%-24lld]", K_LLONG, .i = LLONG_MIN),
	R("%zu", K_SIZE, .u = 0),
	R("%zu", K_SIZE, .u = SIZE_MAX),
	R("%zx", K_SIZE, .u = SIZE_MAX),
	R("[%8zu]", K_SIZE, .u = 12345),
	R("%jd", K_INTMAX, .i = INTMAX_MIN),
	R("%jd", K_INTMAX, .i = INTMAX_MAX),
	R("%jd", K_INTMAX, .i = -1),
	R("%ju", K_UINTMAX, .u = UINTMAX_MAX),
	R("%jx", K_UINTMAX, .u = UINTMAX_MAX),
	/* strings */
	R("%s", K_STR, .s = ""),
	R("%s", K_STR, .s = "hello"),
	R("[%-8s]", K_STR, .s = "abc"),
	R("[%-8s]", K_STR, .s = "longer than eight"),
	R("[%8s]", K_STR, .s = "abc"),
	R("[%.3s]", K_STR, .s = "abcdef"),
	R("[%.3s]", K_STR, .s = "ab"),
	R("[%.0s]", K_STR, .s = "abc"),
	R("[%6.2s]", K_STR, .s = "abcdef"),
	R("[%-6.2s]", K_STR, .s = "abcdef"),
	R("[%s]", K_STR, .s = "KVMKVMKVM"),
	/* %c */
	R("%c", K_INT, .i = 'A'),
	R("[%3c]", K_INT, .i = 'x'),
	R("[%-3c]", K_INT, .i = 'x'),
	R("[%c]", K_INT, .i = 0),
	R("[%3c]", K_INT, .i = 0),
	R("[%-3c]", K_INT, .i = 0),
	R("%c", K_INT, .i = 0xe9),
	/* %p */
	R("%p", K_PTR, .u = 0x1234),
	R("%p", K_PTR, .u = 0),
	R("[%20p]", K_PTR, .u = 0xdeadbeef),
	R("[%-20p]", K_PTR, .u = 0xdeadbeef),
	/* '*' widths and precisions, negative ones too */
	R("[%*d]", K_W_INT, .w = 6, .i = 42),
	R("[%*d]", K_W_INT, .w = -6, .i = 42),
	R("[%*d]", K_W_INT, .w = 0, .i = 42),
	R("[%-*d]", K_W_INT, .w = 6, .i = -42),
	R("[%-*d]", K_W_INT, .w = -6, .i = -42),
	R("[%0*d]", K_W_INT, .w = 6, .i = -42),
	R("[%0*d]", K_W_INT, .w = -6, .i = -42),
	R("[%*d]", K_W_INT, .w = 12, .i = INT_MIN),
	R("[%*x]", K_W_UINT, .w = 10, .u = UINT32_MAX),
	R("[%-*x]", K_W_UINT, .w = -10, .u = 0xab),
	R("[%.*d]", K_W_INT, .w = 5, .i = 42),
	R("[%.*d]", K_W_INT, .w = -5, .i = 42),
	R("[%.*d]", K_W_INT, .w = 0, .i = 0),
	R("[%.*s]", K_W_STR, .w = 3, .s = "abcdef"),
	R("[%.*s]", K_W_STR, .w = 0, .s = "abcdef"),
	R("[%.*s]", K_W_STR, .w = -1, .s = "abcdef"),
	R("[%.*s]", K_W_STR, .w = 12, .s = "KVMKVMKVM\0\0\0"),
	R("[%*s]", K_W_STR, .w = 8, .s = "ab"),
	R("[%*s]", K_W_STR, .w = -8, .s = "ab"),
	R("[%-*s]", K_W_STR, .w = 8, .s = "ab"),
	R("[%*.*d]", K_W_P_INT, .w = 8, .p = 4, .i = -12),
	R("[%*.*d]", K_W_P_INT, .w = -8, .p = 4, .i = -12),
	R("[%*.*d]", K_W_P_INT, .w = 8, .p = -4, .i = -12),
	R("[%0*.*d]", K_W_P_INT, .w = 8, .p = -1, .i = -12),
	R("[%*.*s]", K_W_P_STR, .w = 7, .p = 2, .s = "abcdef"),
	R("[%*.*s]", K_W_P_STR, .w = -7, .p = 2, .s = "abcdef"),
	/* several conversions in one, as the core's traces do */
	R("leaf %#x: \"%s\" max %u", K_INT_STR_U, .i = 0x40000100, .s = "XenVMMXenVMM", .u = 0x40000005),
	R("%d%s%u", K_INT_STR_U, .i = INT_MIN, .s = "", .u = UINT32_MAX),
	R("%-5d|%8.3s|%#o", K_INT_STR_U, .i = 3, .s = "abcdef", .u = 8),
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i], "table");
}

/* fmt_v with a va_list, as the core's own wrappers call it; and n == 0
 * with a NULL buffer only measures. */
static size_t via_v(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t r = fmt_v(buf, n, f, ap);
	va_end(ap);
	return r;
}

static void test_fmt_v(void **state)
{
	(void)state;
	char got[64], want[64];
	memset(got, 0x5a, sizeof(got));
	memset(want, 0x5a, sizeof(want));
	size_t lg = via_v(got, sizeof(got), "%s=%#010llx %-*d|", "eax", 0x1234ull, 4, -1);
	int lw = snprintf(want, sizeof(want), "%s=%#010llx %-*d|", "eax", 0x1234ull, 4, -1);
	assert_int_equal(lg, (size_t)lw);
	assert_memory_equal(got, want, sizeof(got));
	assert_int_equal(via_v(NULL, 0, "%u-%s", 12345u, "abc"), 9);
	assert_int_equal(fmt(NULL, 0, "%llu", (unsigned long long)UINT64_MAX), 20);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static unsigned pick(unsigned n)
{
	return (unsigned)(rand64() >> 33) % n;
}

/* Random numeric conversions: flags, width (digits or '*'), precision
 * (digits or '*'), length and conversion, on random values of every
 * magnitude. '#' only with x X o (C leaves it undefined elsewhere); '+'
 * and ' ' with every conversion: C applies them to d i only, and fmt() must
 * ignore them on u x X o as glibc does. */
static void test_random(void **state)
{
	(void)state;
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j" };
	static const char convs[] = "diuxXo";
	for (int iter = 0; iter < 4000; iter++) {
		char f[64];
		size_t k = 0;
		char conv = convs[pick(sizeof(convs) - 1)];
		bool is_signed = conv == 'd' || conv == 'i';
		f[k++] = '[';
		f[k++] = '%';
		if (pick(4) == 0)
			f[k++] = '-';
		if (pick(4) == 0)
			f[k++] = '0';
		if (!is_signed && conv != 'u' && pick(3) == 0)
			f[k++] = '#';
		if (pick(4) == 0)
			f[k++] = '+';
		if (pick(4) == 0)
			f[k++] = ' ';
		struct row r = { .f = f };
		bool star = false;
		switch (pick(3)) {
		case 0: break;
		case 1: k += (size_t)sprintf(f + k, "%u", pick(25)); break;
		case 2:
			f[k++] = '*';
			star = true;
			r.w = (int)pick(51) - 25;
			break;
		}
		switch (pick(3)) {
		case 0: break;
		case 1: k += (size_t)sprintf(f + k, ".%u", pick(25)); break;
		case 2:
			f[k++] = '.';
			f[k++] = '*';
			if (star) /* width and precision: K_W_P_INT */
				r.p = (int)pick(31) - 5;
			else
				r.w = (int)pick(31) - 5;
			star = true;
			break;
		}
		bool both = strstr(f, "*.*") != NULL;
		/* with '*', the value is an int or unsigned (hh, h or none) */
		const char *len = lens[pick(star ? 3 : sizeof(lens) / sizeof(lens[0]))];
		k += (size_t)sprintf(f + k, "%s%c]", len, conv);
		/* a value of random magnitude: 0..64 significant bits */
		unsigned bits = pick(65);
		uint64_t v = bits == 0 ? 0 : rand64() >> (64 - bits);
		r.i = (long long)v;
		r.u = v;
		if (both) {
			r.k = K_W_P_INT; /* read as unsigned by u x X o: the same bits */
			r.i = (int)(uint32_t)v;
		} else if (star) {
			r.k = is_signed ? K_W_INT : K_W_UINT;
			r.i = (int)(uint32_t)v;
			r.u = (uint32_t)v;
		} else if (len[0] == 'l' && len[1] == 'l') {
			r.k = is_signed ? K_LLONG : K_ULLONG;
		} else if (len[0] == 'l') {
			r.k = is_signed ? K_LONG : K_ULONG;
		} else if (len[0] == 'z') {
			r.k = K_SIZE; /* %zd: the signed type of size_t's width */
		} else if (len[0] == 'j') {
			r.k = is_signed ? K_INTMAX : K_UINTMAX;
		} else {
			r.k = is_signed ? K_INT : K_UINT;
			r.i = (int)(uint32_t)v;
			r.u = (uint32_t)v;
		}
		check_row(&r, "random");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fmt_v),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}

/* dump_probe_console.c - the probe guest's console capture: find the first
 * frame that verifies, load its leaves, parse its entry facts
 * (dump_probe_console.h; the writer is guest/main.c and guest/console.c). */
#include "alloc_libc.h"
#include "dump_probe_console.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN_MARK "PVHPROBE BEGIN "
#define END_MARK "PVHPROBE END "
#define CONT_MARK "+ "
#define ANSWER_MARK "PVH path: "

static const char *const seg_names[_PROBE_SEG_MAX] = {
	[PROBE_SEG_CS] = "cs", [PROBE_SEG_DS] = "ds", [PROBE_SEG_ES] = "es", [PROBE_SEG_SS] = "ss",
	[PROBE_SEG_FS] = "fs", [PROBE_SEG_GS] = "gs", [PROBE_SEG_TR] = "tr",
};

const char *probe_seg_name(enum probe_seg s)
{
	return (unsigned)s < _PROBE_SEG_MAX ? seg_names[s] : "?";
}

bool probe_console_detect(const char *buf, size_t len)
{
	return memmem(buf, len, BEGIN_MARK, strlen(BEGIN_MARK)) != NULL;
}

/* ---- physical lines, cleaned ---- */

/* One physical line of the capture after cleaning: CRs and terminal
 * escape sequences removed, Xen's prefixes stripped. */
struct pline {
	size_t off, n;      /* in the work buffer */
	unsigned lineno;    /* 1-based, in the capture */
	bool xen_own;       /* an "(XEN) " line: Xen's, not the guest's */
	bool overlong;      /* longer than DUMP_MAX_LINE: kept cut */
};

struct lines {
	char *work;
	size_t used;        /* bytes of work written */
	struct pline *l;
	size_t n, cap;
};

/* ESC [ params intermediates final; ESC ] ... BEL or ESC \; ESC ( X;
 * ESC X. Returns the bytes the sequence at p takes. */
static size_t escape_len(const char *p, const char *end)
{
	const char *q = p + 1;
	if (q >= end)
		return 1;
	if (*q == '[') {
		for (q++; q < end && (unsigned char)*q >= 0x20 && (unsigned char)*q <= 0x3f; q++)
			;
		if (q < end && (unsigned char)*q >= 0x40 && (unsigned char)*q <= 0x7e)
			q++;
		return (size_t)(q - p);
	}
	if (*q == ']') {
		for (q++; q < end; q++) {
			if (*q == '\a')
				return (size_t)(q + 1 - p);
			if (*q == '\033' && q + 1 < end && q[1] == '\\')
				return (size_t)(q + 2 - p);
		}
		return (size_t)(q - p);
	}
	if ((*q == '(' || *q == ')' || *q == '#') && q + 1 < end)
		return 3;
	return 2;
}

/* "(d0) ", "(d12v3) ": the length of Xen's guest prefix at p, or 0. */
static size_t domain_prefix(const char *p, const char *end)
{
	const char *q = p;
	if (end - q < 4 || q[0] != '(' || q[1] != 'd' || q[2] < '0' || q[2] > '9')
		return 0;
	for (q += 2; q < end && *q >= '0' && *q <= '9'; q++)
		;
	if (q < end && *q == 'v')
		for (q++; q < end && *q >= '0' && *q <= '9'; q++)
			;
	if (end - q < 2 || q[0] != ')' || q[1] != ' ')
		return 0;
	return (size_t)(q + 2 - p);
}

/* Xen's console_timestamps: "[...] " after the prefix. */
static size_t timestamp_len(const char *p, const char *end)
{
	if (p == end || *p != '[')
		return 0;
	const char *q = memchr(p, ']', (size_t)(end - p));
	if (!q || q - p > 40 || q + 1 >= end || q[1] != ' ')
		return 0;
	return (size_t)(q + 2 - p);
}

static int lines_add(struct lines *L, const char *p, const char *e, unsigned lineno)
{
	if (L->n == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 1024;
		struct pline *v = realloc(L->l, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		L->l = v;
		L->cap = cap;
	}
	struct pline *pl = &L->l[L->n];
	size_t start = L->used;
	char *w = L->work + start;
	size_t k = 0;
	for (const char *s = p; s < e;) {
		if (*s == '\r') {
			s++;
		} else if (*s == '\033') {
			s += escape_len(s, e);
		} else {
			w[k++] = *s++;
		}
	}
	L->used += k;
	*pl = (struct pline){ .off = start, .n = k, .lineno = lineno };
	/* Xen: its own lines start "(XEN) "; a guest's port 0xE9 text
	 * "(d0) " (older Xen: "(XEN) (d0) "), either with a timestamp. */
	size_t cut = 0;
	if (k >= 6 && memcmp(w, "(XEN) ", 6) == 0) {
		cut = 6;
		cut += timestamp_len(w + cut, w + k);
		size_t d = domain_prefix(w + cut, w + k);
		if (d)
			cut += d;
		else
			pl->xen_own = true;
	} else if ((cut = domain_prefix(w, w + k)) != 0) {
		cut += timestamp_len(w + cut, w + k);
	}
	pl->off += cut;
	pl->n -= cut;
	if (pl->n > DUMP_MAX_LINE) {
		pl->overlong = true;
		pl->n = DUMP_MAX_LINE;
	}
	L->n++;
	return 0;
}

static int lines_split(struct lines *L, const char *buf, size_t len)
{
	memset(L, 0, sizeof(*L));
	L->work = malloc(len + 1);
	if (!L->work)
		return -ENOMEM;
	unsigned lineno = 0;
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (++lineno == 0)
			return -EFBIG;
		int rc = lines_add(L, p, le, lineno);
		if (rc < 0)
			return rc;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static void lines_free(struct lines *L)
{
	free(L->work);
	free(L->l);
}

static const char *ltext(const struct lines *L, size_t i)
{
	return L->work + L->l[i].off;
}

/* ---- finding and verifying a frame ---- */

static uint32_t crc32_update(uint32_t crc, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint8_t)p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc;
}

/* A frame: the physical lines from BEGIN to END, by index into lines,
 * each with the per-line prefix removed. */
struct frame {
	size_t *idx;       /* indices of the frame's lines, BEGIN first, END last */
	size_t *skip;      /* bytes of prefix to drop from each */
	size_t n, cap;
};

static int frame_push(struct frame *f, size_t i, size_t skip)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 512;
		size_t *a = realloc(f->idx, cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		f->idx = a;
		size_t *b = realloc(f->skip, cap * sizeof(*b));
		if (!b)
			return -ENOMEM;
		f->skip = b;
		f->cap = cap;
	}
	f->idx[f->n] = i;
	f->skip[f->n++] = skip;
	return 0;
}

static const char *find_mark(const char *s, size_t n, const char *mark)
{
	return memmem(s, n, mark, strlen(mark));
}

__attribute__((format(printf, 4, 5))) static int failf(char *err, size_t errlen, unsigned line, const char *fmt, ...);

/* The frame's name for messages is set by the caller: failf writes
 * "LINE: text", the caller prefixes the file name. */
static int failf(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	int k = snprintf(err, errlen, "%u: ", line);
	if (k < 0 || (size_t)k >= errlen)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Collects the frame that starts at line *pi (which holds BEGIN) and
 * verifies it. Returns 0 with f filled, or -EINVAL with err set and *pi
 * moved to where the search for the next BEGIN continues. */
static int frame_collect(const struct lines *L, size_t *pi, struct frame *f, char *err, size_t errlen)
{
	size_t i0 = *pi;
	const char *s0 = ltext(L, i0);
	const char *b = find_mark(s0, L->l[i0].n, BEGIN_MARK);
	size_t plen = (size_t)(b - s0);
	/* Text before BEGIN is a per-line prefix when the next guest line
	 * carries it too; otherwise noise on BEGIN's line only. */
	size_t next = i0 + 1;
	while (next < L->n && L->l[next].xen_own)
		next++;
	if (plen && !(next < L->n && L->l[next].n >= plen && memcmp(ltext(L, next), s0, plen) == 0))
		plen = 0;
	f->n = 0;
	int rc = frame_push(f, i0, (size_t)(b - s0));
	if (rc < 0)
		return rc;
	for (size_t i = i0 + 1; i < L->n; i++) {
		const struct pline *pl = &L->l[i];
		if (pl->xen_own)
			continue;
		const char *s = ltext(L, i);
		size_t n = pl->n;
		if (plen) {
			if (n < plen || memcmp(s, s0, plen) != 0)
				continue; /* another source's line between the guest's */
			s += plen;
			n -= plen;
		}
		if (pl->overlong) {
			*pi = i + 1;
			return failf(err, errlen, pl->lineno,
				     "line longer than %u bytes inside the probe's frame (begun at line %u), expected lines of at most 150 bytes",
				     DUMP_MAX_LINE, L->l[i0].lineno);
		}
		if (find_mark(s, n, BEGIN_MARK)) {
			*pi = i;
			return failf(err, errlen, pl->lineno,
				     "a new PVHPROBE BEGIN before the END of the frame begun at line %u: that frame is truncated",
				     L->l[i0].lineno);
		}
		if (f->n > PROBE_FRAME_LINES_MAX) {
			*pi = i;
			return failf(err, errlen, pl->lineno, "more than %u lines in the frame begun at line %u, expected a PVHPROBE END line",
				     PROBE_FRAME_LINES_MAX, L->l[i0].lineno);
		}
		if ((rc = frame_push(f, i, (size_t)(s - ltext(L, i)))) < 0)
			return rc;
		if (n >= strlen(END_MARK) && memcmp(s, END_MARK, strlen(END_MARK)) == 0) {
			*pi = i + 1;
			unsigned want_lines;
			uint32_t want_crc;
			char tail;
			char tmp[80];
			size_t m = n < sizeof(tmp) - 1 ? n : sizeof(tmp) - 1;
			memcpy(tmp, s, m);
			tmp[m] = 0;
			if (n >= sizeof(tmp) - 1 ||
			    sscanf(tmp, END_MARK "lines=%u crc32=%8x%c", &want_lines, &want_crc, &tail) != 2 ||
			    tmp[strlen(tmp) - 9] != '=')
				return failf(err, errlen, pl->lineno,
					     "malformed END line, expected \"PVHPROBE END lines=N crc32=XXXXXXXX\"");
			uint32_t crc = 0xffffffffu;
			for (size_t k = 0; k + 1 < f->n; k++) {
				const struct pline *fl = &L->l[f->idx[k]];
				crc = crc32_update(crc, ltext(L, f->idx[k]) + f->skip[k], fl->n - f->skip[k]);
				crc = crc32_update(crc, "\n", 1);
			}
			crc ^= 0xffffffffu;
			if (want_lines != f->n - 1)
				return failf(err, errlen, pl->lineno,
					     "the END line says %u lines, the frame begun at line %u has %zu: lines are missing or were added (a lossy or merged capture?)",
					     want_lines, L->l[i0].lineno, f->n - 1);
			if (want_crc != crc)
				return failf(err, errlen, pl->lineno,
					     "CRC-32 %08x in the END line, %08x computed over the frame begun at line %u: the capture is corrupted",
					     want_crc, crc, L->l[i0].lineno);
			return 0;
		}
	}
	*pi = L->n;
	return failf(err, errlen, L->l[L->n - 1].lineno,
		     "no PVHPROBE END line after the BEGIN at line %u: the capture is truncated (expected \"PVHPROBE END lines=N crc32=XXXXXXXX\")",
		     L->l[i0].lineno);
}

/* The first frame that verifies; err holds the first failure otherwise. */
static int frame_find(const struct lines *L, struct frame *f, char *err, size_t errlen, unsigned *failed_at)
{
	int first = 0;
	char msg[DUMP_ERRMSG];
	*failed_at = 0;
	for (size_t i = 0; i < L->n;) {
		const struct pline *pl = &L->l[i];
		if (pl->xen_own || !find_mark(ltext(L, i), pl->n, BEGIN_MARK)) {
			i++;
			continue;
		}
		int rc = frame_collect(L, &i, f, msg, sizeof(msg));
		if (rc == 0)
			return 0;
		if (rc != -EINVAL)
			return rc;
		if (!first) {
			first = rc;
			snprintf(err, errlen, "%s", msg);
			*failed_at = pl->lineno;
		}
	}
	if (!first)
		return failf(err, errlen, 1, "no PVHPROBE BEGIN line, expected a probe guest's console capture");
	/* The probe's trap handler writes outside the frame: say so first. */
	for (size_t i = 0; i < L->n; i++) {
		const char *t = find_mark(ltext(L, i), L->l[i].n, "PVHPROBE TRAP ");
		if (t && !L->l[i].xen_own) {
			size_t n = L->l[i].n - (size_t)(t - ltext(L, i));
			return failf(err, errlen, L->l[i].lineno, "the probe guest faulted (%.*s), expected a complete frame",
				     (int)(n > 120 ? 120 : n), t);
		}
	}
	return first;
}

/* ---- the frame's logical lines ---- */

struct cursor {
	const char *p, *end;
};

static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* The next "key=value" token (value possibly quoted) or bare word. */
struct tok {
	const char *k, *v;
	size_t kn, vn;
	bool quoted;
};

static bool next_tok(struct cursor *c, struct tok *t)
{
	const char *p = skip_sp(c->p, c->end);
	if (p == c->end)
		return false;
	memset(t, 0, sizeof(*t));
	t->k = p;
	while (p < c->end && *p != ' ' && *p != '=')
		p++;
	t->kn = (size_t)(p - t->k);
	if (p < c->end && *p == '=') {
		p++;
		t->v = p;
		if (p < c->end && *p == '"') {
			t->quoted = true;
			for (p++; p < c->end && *p != '"'; p++)
				if (*p == '\\' && p + 1 < c->end)
					p++;
			if (p < c->end)
				p++;
		} else {
			while (p < c->end && *p != ' ')
				p++;
		}
		t->vn = (size_t)(p - t->v);
	}
	c->p = p;
	return true;
}

static bool tok_is(const struct tok *t, const char *key)
{
	return t->kn == strlen(key) && memcmp(t->k, key, t->kn) == 0;
}

/* The value of key in a line of key=value tokens. */
static bool field(const char *v, size_t n, const char *key, struct tok *out)
{
	struct cursor c = { v, v + n };
	while (next_tok(&c, out))
		if (out->v && tok_is(out, key))
			return true;
	return false;
}

static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (n - 2 > 16)
			return false;
		for (size_t i = 2; i < n; i++) {
			int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0'
				: p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10
				: p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10 : -1;
			if (d < 0)
				return false;
			v = v << 4 | (uint64_t)d;
		}
	} else {
		if (n == 0 || n > 20)
			return false;
		for (size_t i = 0; i < n; i++) {
			if (p[i] < '0' || p[i] > '9')
				return false;
			uint64_t nv = v * 10 + (uint64_t)(p[i] - '0');
			if (nv / 10 != v)
				return false;
			v = nv;
		}
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *p, size_t n, uint32_t *out)
{
	uint64_t v;
	if (!parse_u64(p, n, &v) || v > 0xffffffffu)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int hexdig(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "..." as escape_c writes it, into out (at most cap bytes; *n the
 * length, *trunc when more did not fit). */
static bool unquote(const char *p, size_t n, uint8_t *out, size_t cap, size_t *len, bool *trunc)
{
	*len = 0;
	*trunc = false;
	if (n < 2 || p[0] != '"' || p[n - 1] != '"')
		return false;
	for (size_t i = 1; i + 1 < n; i++) {
		uint8_t c = (uint8_t)p[i];
		if (c == '\\') {
			if (i + 2 >= n)
				return false;
			char e = p[++i];
			switch (e) {
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			case '0': c = 0; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 'x': {
				if (i + 3 >= n || hexdig(p[i + 1]) < 0 || hexdig(p[i + 2]) < 0)
					return false;
				c = (uint8_t)(hexdig(p[i + 1]) << 4 | hexdig(p[i + 2]));
				i += 2;
				break;
			}
			default:
				return false;
			}
		} else if (c == '"') {
			return false;
		}
		if (*len < cap)
			out[(*len)++] = c;
		else
			*trunc = true;
	}
	return true;
}

struct lctx {
	const char *name;
	unsigned line;
	char *err;
	size_t errlen;
	struct dump *d;
	struct dump_cpu *cpu;
	struct probe_entry *e;
};

__attribute__((format(printf, 2, 3))) static int bad(struct lctx *c, const char *fmt, ...)
{
	int k = snprintf(c->err, c->errlen, "%s:%u: ", c->name, c->line);
	if (k < 0 || (size_t)k >= c->errlen)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Getters: each fails with a message naming the key. */
static int get_u64(struct lctx *c, const char *v, size_t n, const char *key, uint64_t *out)
{
	struct tok t;
	if (!field(v, n, key, &t) || !parse_u64(t.v, t.vn, out))
		return bad(c, "expected %s=NUMBER (decimal or 0x hex)", key);
	return 0;
}

static int get_u32(struct lctx *c, const char *v, size_t n, const char *key, uint32_t *out)
{
	struct tok t;
	if (!field(v, n, key, &t) || !parse_u32(t.v, t.vn, out))
		return bad(c, "expected %s=NUMBER of at most 32 bits", key);
	return 0;
}

/* A whole value that is one number. */
static int val_u64(struct lctx *c, const char *v, size_t n, const char *key, uint64_t *out)
{
	struct cursor cu = { v, v + n };
	struct tok t;
	if (!next_tok(&cu, &t) || t.v || !parse_u64(t.k, t.kn, out))
		return bad(c, "expected %s=NUMBER", key);
	return 0;
}

static int val_u32(struct lctx *c, const char *v, size_t n, const char *key, uint32_t *out)
{
	uint64_t x;
	int rc = val_u64(c, v, n, key, &x);
	if (rc == 0 && x > 0xffffffffu)
		return bad(c, "expected %s=NUMBER of at most 32 bits", key);
	*out = (uint32_t)x;
	return rc;
}

static int get_bytes(struct lctx *c, const char *v, size_t n, const char *key, uint8_t *out, size_t cap)
{
	struct tok t;
	size_t len;
	bool trunc;
	memset(out, 0, cap);
	if (!field(v, n, key, &t) || !t.quoted || !unquote(t.v, t.vn, out, cap, &len, &trunc))
		return bad(c, "expected %s=\"...\" (C escapes)", key);
	return 0;
}

/* `"..."[ unterminated]` */
static int val_bytes(struct lctx *c, const char *v, size_t n, const char *key, struct probe_bytes *b)
{
	const char *q = v + n;
	b->unterminated = false;
	static const char un[] = " unterminated";
	if (n >= sizeof(un) - 1 && memcmp(q - (sizeof(un) - 1), un, sizeof(un) - 1) == 0) {
		b->unterminated = true;
		n -= sizeof(un) - 1;
	}
	if (!unquote(v, n, b->b, sizeof(b->b), &b->n, &b->truncated))
		return bad(c, "expected %s=\"...\" (C escapes), optionally followed by \"unterminated\"", key);
	b->present = true;
	return 0;
}

static bool word_is(const char *v, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(v, w, n) == 0;
}

/* The guest prints only printable ASCII; a byte outside it (a corrupted or
 * forged line whose CRC still matches) becomes '?', so no renderer ever
 * gets control bytes or broken UTF-8 from a capture. */
static void printable(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			s[i] = '?';
}

/* Text from a capture, cut to cap - 1 bytes, NUL-terminated, printable. */
static void copy_text(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
	printable(dst, n);
}

/* The i-th word of v (0-based), or false. */
static bool word_at(const char *v, size_t n, unsigned i, const char **w, size_t *wn)
{
	const char *p = v, *end = v + n;
	for (unsigned k = 0;; k++) {
		p = skip_sp(p, end);
		if (p == end)
			return false;
		const char *s = p;
		while (p < end && *p != ' ')
			p++;
		if (k == i) {
			*w = s;
			*wn = (size_t)(p - s);
			return true;
		}
	}
}

/* "cpuid=LEAF SUBLEAF EAX EBX ECX EDX": six words of 8 hex digits. */
static int cpuid_line(struct lctx *c, const char *v, size_t n)
{
	uint32_t r[6];
	for (unsigned i = 0; i < 6; i++) {
		const char *w;
		size_t wn;
		bool ok = word_at(v, n, i, &w, &wn) && wn == 8;
		r[i] = 0;
		for (size_t k = 0; ok && k < 8; k++) {
			ok = hexdig(w[k]) >= 0;
			r[i] = r[i] << 4 | (uint32_t)(ok ? hexdig(w[k]) : 0);
		}
		if (!ok)
			return bad(c, "expected \"cpuid=LEAF SUBLEAF EAX EBX ECX EDX\", each 8 hex digits (word %u)", i + 1);
	}
	const char *w;
	size_t wn;
	if (word_at(v, n, 6, &w, &wn))
		return bad(c, "unexpected text after the six words of a cpuid= line");
	if (!c->cpu && !(c->cpu = dump_add_cpu(c->d, 0)))
		return bad(c, "out of memory");
	if (leafset_find(&c->cpu->leaves, r[0], r[1]))
		return bad(c, "leaf 0x%08x subleaf 0x%x given twice, expected each leaf once", r[0], r[1]);
	struct leaf_entry le = { .leaf = r[0], .subleaf = r[1], .r = { r[2], r[3], r[4], r[5] }, .recorded = true };
	int rc = leafset_put(&c->cpu->leaves, &le, NULL);
	if (rc == -E2BIG)
		return bad(c, "more than %u leaves, expected a probe report", LEAFSET_MAX);
	if (rc < 0)
		return bad(c, "out of memory");
	c->e->ncpuid++;
	return 0;
}

static int entry_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	static const struct {
		const char *key;
		size_t off;
	} regs[] = {
		{ "ebx", offsetof(struct probe_entry, ebx) }, { "esp", offsetof(struct probe_entry, esp) },
		{ "eflags", offsetof(struct probe_entry, eflags) }, { "cr0", offsetof(struct probe_entry, cr0) },
		{ "cr3", offsetof(struct probe_entry, cr3) }, { "cr4", offsetof(struct probe_entry, cr4) },
	};
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (word_is(k, kn, regs[i].key)) {
			e->have_regs = true;
			return val_u32(c, v, n, regs[i].key, (uint32_t *)((char *)e + regs[i].off));
		}
	}
	if (word_is(k, kn, "efer")) {
		e->efer_valid = !word_is(v, n, "none");
		return e->efer_valid ? val_u64(c, v, n, "entry.efer", &e->efer) : 0;
	}
	if (word_is(k, kn, "gdtr") || word_is(k, kn, "idtr")) {
		bool g = k[0] == 'g';
		uint32_t lim = 0;
		int rc = get_u32(c, v, n, "base", g ? &e->gdtr_base : &e->idtr_base);
		if (rc == 0 && (rc = get_u32(c, v, n, "limit", &lim)) == 0 && lim > 0xffff)
			return bad(c, "expected a 16-bit limit");
		*(g ? &e->gdtr_limit : &e->idtr_limit) = (uint16_t)lim;
		return rc;
	}
	for (int s = 0; s < _PROBE_SEG_MAX; s++) {
		if (!word_is(k, kn, seg_names[s]))
			continue;
		struct probe_segment *sg = &e->seg[s];
		uint32_t sel;
		int rc = get_u32(c, v, n, "sel", &sel);
		if (rc)
			return rc;
		if (sel > 0xffff)
			return bad(c, "expected a 16-bit selector");
		sg->sel = (uint16_t)sel;
		sg->present = true;
		struct tok t;
		static const char *const names[] = { "lar", "limit", "base" };
		uint32_t *vals[] = { &sg->lar, &sg->limit, &sg->base };
		bool *oks[] = { &sg->lar_ok, &sg->limit_ok, &sg->base_known };
		for (int i = 0; i < 3; i++) {
			if (!field(v, n, names[i], &t))
				return bad(c, "expected %s= in a segment line", names[i]);
			*oks[i] = !(word_is(t.v, t.vn, "none") || word_is(t.v, t.vn, "unknown"));
			if (*oks[i] && !parse_u32(t.v, t.vn, vals[i]))
				return bad(c, "expected %s=0xHEX, none or unknown", names[i]);
		}
		return 0;
	}
	return 0; /* a newer probe's key: ignored */
}

static int start_info_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	const char *w;
	size_t wn;
	if (word_is(k, kn, "paddr"))
		return val_u32(c, v, n, "start_info.paddr", &e->si_paddr);
	if (word_is(k, kn, "magic")) {
		e->si_read = true;
		if (!word_at(v, n, 0, &w, &wn) || !parse_u32(w, wn, &e->magic) || !word_at(v, n, 1, &w, &wn) ||
		    !(word_is(w, wn, "ok") || word_is(w, wn, "bad")))
			return bad(c, "expected \"start_info.magic=0xHEX ok|bad\"");
		e->magic_ok = w[0] == 'o';
		return 0;
	}
	if (word_is(k, kn, "version"))
		return val_u32(c, v, n, "start_info.version", &e->version);
	if (word_is(k, kn, "flags")) {
		if (!word_at(v, n, 0, &w, &wn) || !parse_u32(w, wn, &e->flags))
			return bad(c, "expected \"start_info.flags=0xHEX NAMES\"");
		if (word_at(v, n, 1, &w, &wn))
			copy_text(e->flag_names, sizeof(e->flag_names), w, wn);
		return 0;
	}
	if (word_is(k, kn, "nr_modules"))
		return val_u32(c, v, n, "start_info.nr_modules", &e->nr_modules);
	if (word_is(k, kn, "modlist_paddr"))
		return val_u64(c, v, n, "start_info.modlist_paddr", &e->modlist_paddr);
	if (word_is(k, kn, "cmdline_paddr"))
		return val_u64(c, v, n, "start_info.cmdline_paddr", &e->cmdline_paddr);
	if (word_is(k, kn, "cmdline"))
		return val_bytes(c, v, n, "start_info.cmdline", &e->cmdline);
	if (word_is(k, kn, "rsdp_paddr"))
		return val_u64(c, v, n, "start_info.rsdp_paddr", &e->rsdp_paddr);
	if (word_is(k, kn, "memmap_paddr")) {
		e->si_v1 = true;
		return val_u64(c, v, n, "start_info.memmap_paddr", &e->memmap_paddr);
	}
	if (word_is(k, kn, "memmap_entries")) {
		e->si_v1 = true;
		return val_u32(c, v, n, "start_info.memmap_entries", &e->memmap_entries);
	}
	if (word_is(k, kn, "reserved"))
		return val_u32(c, v, n, "start_info.reserved", &e->si_reserved);
	return 0;
}

/* "NAME.INDEX[.sub]": the index, which must be the next one. */
static int index_of(struct lctx *c, const char *k, size_t kn, unsigned have, unsigned max, const char *what,
		    unsigned *idx, const char **rest, size_t *rn)
{
	size_t i = 0;
	unsigned x = 0;
	while (i < kn && k[i] >= '0' && k[i] <= '9' && i < 6)
		x = x * 10 + (unsigned)(k[i++] - '0');
	if (i == 0 || (i < kn && k[i] != '.'))
		return bad(c, "expected %s.INDEX", what);
	*rest = k + i;
	*rn = kn - i;
	if (*rn == 0 && x != have)
		return bad(c, "%s %u out of order, expected %s %u", what, x, what, have);
	if (*rn && x + 1 != have)
		return bad(c, "%s %u%.*s does not follow %s %u", what, x, (int)*rn, *rest, what, x);
	if (*rn == 0 && x >= max)
		return bad(c, "more than %u %s lines, expected at most %u", max, what, max);
	*idx = x;
	return 0;
}

static int memmap_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	if (word_is(k, kn, "ram_bytes")) {
		e->have_ram_bytes = true;
		return val_u64(c, v, n, "memmap.ram_bytes", &e->ram_bytes);
	}
	if (kn > 9 && memcmp(k, "low_hole.", 9) == 0)
		return 0;
	unsigned idx;
	const char *rest;
	size_t rn;
	int rc = index_of(c, k, kn, e->nmemmap, PROBE_MEMMAP_MAX, "memmap", &idx, &rest, &rn);
	if (rc || rn)
		return rc;
	struct probe_memmap_entry *m = &e->memmap[idx];
	const char *w;
	size_t wn;
	if ((rc = get_u64(c, v, n, "addr", &m->addr)) || (rc = get_u64(c, v, n, "size", &m->size)) ||
	    (rc = get_u32(c, v, n, "type", &m->type)) || (rc = get_u32(c, v, n, "reserved", &m->reserved)))
		return rc;
	if (word_at(v, n, 3, &w, &wn) && memchr(w, '=', wn) == NULL)
		copy_text(m->type_name, sizeof(m->type_name), w, wn);
	e->nmemmap++;
	return 0;
}

static int module_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	unsigned idx;
	const char *rest;
	size_t rn;
	int rc = index_of(c, k, kn, e->nmodules, PROBE_MODULES_MAX, "module", &idx, &rest, &rn);
	if (rc)
		return rc;
	struct probe_module *m = &e->modules[idx];
	if (rn)
		return word_is(rest, rn, ".cmdline") ? val_bytes(c, v, n, "module.N.cmdline", &m->cmdline) : 0;
	if ((rc = get_u64(c, v, n, "paddr", &m->paddr)) || (rc = get_u64(c, v, n, "size", &m->size)) ||
	    (rc = get_u64(c, v, n, "cmdline_paddr", &m->cmdline_paddr)) ||
	    (rc = get_u64(c, v, n, "reserved", &m->reserved)))
		return rc;
	e->nmodules++;
	return 0;
}

static int acpi_header(struct lctx *c, const char *v, size_t n, struct probe_acpi_table *t)
{
	int rc;
	struct tok tk;
	uint32_t p;
	if ((rc = get_bytes(c, v, n, "sig", t->sig, sizeof(t->sig))) || (rc = get_bytes(c, v, n, "oem", t->oem_id, sizeof(t->oem_id))) ||
	    (rc = get_bytes(c, v, n, "table_id", t->oem_table_id, sizeof(t->oem_table_id))) ||
	    (rc = get_bytes(c, v, n, "creator", t->creator_id, sizeof(t->creator_id))) ||
	    (rc = get_u32(c, v, n, "paddr", &p)) || (rc = get_u32(c, v, n, "length", &t->length)) ||
	    (rc = get_u32(c, v, n, "revision", &t->revision)) || (rc = get_u32(c, v, n, "oem_revision", &t->oem_revision)))
		return rc;
	t->paddr = p;
	if (!field(v, n, "checksum", &tk) || !(word_is(tk.v, tk.vn, "ok") || word_is(tk.v, tk.vn, "bad")))
		return bad(c, "expected checksum=ok|bad");
	t->checksum_ok = tk.v[0] == 'o';
	return 0;
}

static int acpi_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	int rc;
	if (word_is(k, kn, "rsdp")) {
		if (word_is(v, n, "none"))
			return 0;
		const char *w;
		size_t wn;
		uint32_t p;
		struct tok t;
		e->rsdp_present = true;
		if ((rc = get_u32(c, v, n, "paddr", &p)) || (rc = get_u32(c, v, n, "revision", &e->rsdp_revision)) ||
		    (rc = get_bytes(c, v, n, "oem", e->rsdp_oem_id, sizeof(e->rsdp_oem_id))))
			return rc;
		e->acpi_rsdp_paddr = p;
		if (!word_at(v, n, 1, &w, &wn) || !(word_is(w, wn, "ok") || word_is(w, wn, "bad")))
			return bad(c, "expected \"acpi.rsdp=paddr=0xHEX ok|bad ...\"");
		e->rsdp_ok = w[0] == 'o';
		e->rsdp_scanned = field(v, n, "scanned", &t) && word_is(t.v, t.vn, "yes");
		return 0;
	}
	if (kn > 6 && memcmp(k, "table.", 6) == 0) {
		unsigned idx;
		const char *rest;
		size_t rn;
		if ((rc = index_of(c, k + 6, kn - 6, e->ntables, PROBE_TABLES_MAX, "acpi.table", &idx, &rest, &rn)) || rn)
			return rc;
		if ((rc = acpi_header(c, v, n, &e->tables[idx])) == 0)
			e->ntables++;
		return rc;
	}
	if (word_is(k, kn, "dsdt")) {
		e->have_dsdt = true;
		return acpi_header(c, v, n, &e->dsdt);
	}
	if (word_is(k, kn, "fadt.flags")) {
		uint32_t hr;
		e->fadt_found = true;
		if ((rc = get_u32(c, v, n, "hw_reduced", &hr)))
			return rc;
		e->hw_reduced = hr != 0;
		const char *w;
		size_t wn;
		if (!word_at(v, n, 0, &w, &wn) || !parse_u32(w, wn, &e->fadt_flags))
			return bad(c, "expected \"acpi.fadt.flags=0xHEX hw_reduced=N\"");
		return 0;
	}
	if (word_is(k, kn, "fadt.hypervisor_vendor")) {
		if (word_is(v, n, "none"))
			return 0;
		size_t len;
		bool trunc;
		memset(e->hv_vendor, 0, sizeof(e->hv_vendor));
		if (!unquote(v, n, e->hv_vendor, sizeof(e->hv_vendor), &len, &trunc))
			return bad(c, "expected acpi.fadt.hypervisor_vendor=\"...\" or none");
		e->has_hv_vendor = true;
		return 0;
	}
	return 0;
}

static int finding_line(struct lctx *c, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	const char *w;
	size_t wn;
	struct tok t;
	if (!word_at(v, n, 0, &w, &wn) || memchr(w, '=', wn))
		return bad(c, "expected \"finding=ID severity=S value=0xHEX text=\\\"...\\\"\"");
	if (!field(v, n, "severity", &t) ||
	    !(word_is(t.v, t.vn, "info") || word_is(t.v, t.vn, "warn") || word_is(t.v, t.vn, "error")))
		return bad(c, "expected severity=info|warn|error in a finding");
	e->errors += t.v[0] == 'e';
	e->warnings += t.v[0] == 'w';
	if (e->nfindings >= PROBE_FINDINGS_MAX) {
		e->findings_dropped++;
		return 0;
	}
	struct probe_finding *f = &e->findings[e->nfindings];
	copy_text(f->id, sizeof(f->id), w, wn);
	copy_text(f->severity, sizeof(f->severity), t.v, t.vn);
	int rc = get_u64(c, v, n, "value", &f->value);
	if (rc)
		return rc;
	uint8_t text[sizeof(f->text) - 1];
	size_t len;
	bool trunc;
	if (!field(v, n, "text", &t) || !t.quoted || !unquote(t.v, t.vn, text, sizeof(text), &len, &trunc))
		return bad(c, "expected text=\"...\" in a finding");
	memcpy(f->text, text, len);
	f->text[len] = 0;
	printable(f->text, len);
	e->nfindings++;
	return 0;
}

static int model_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	const char *dot = memchr(k, '.', kn);
	size_t nn = dot ? (size_t)(dot - k) : kn;
	struct probe_model *m = NULL;
	for (unsigned i = 0; i < e->nmodels; i++)
		if (strlen(e->models[i].name) == nn && memcmp(e->models[i].name, k, nn) == 0)
			m = &e->models[i];
	if (!dot) {
		if (m || nn == 0 || nn >= sizeof(m->name))
			return bad(c, "model.%.*s given twice or with a bad name", (int)(nn > 40 ? 40 : nn), k);
		if (e->nmodels >= PROBE_MODELS_MAX)
			return 0;
		m = &e->models[e->nmodels];
		copy_text(m->name, sizeof(m->name), k, nn);
		struct tok t;
		static const char *const keys[] = { "path", "outcome", "hypervisor", "platform" };
		char *outs[] = { m->path, m->outcome, m->hypervisor, m->platform };
		size_t caps[] = { sizeof(m->path), sizeof(m->outcome), sizeof(m->hypervisor), sizeof(m->platform) };
		for (int i = 0; i < 4; i++) {
			if (!field(v, n, keys[i], &t))
				return bad(c, "expected %s= in a model line", keys[i]);
			copy_text(outs[i], caps[i], t.v, t.vn);
		}
		int rc;
		if ((rc = get_u32(c, v, n, "base", &m->base)) || (rc = get_u32(c, v, n, "xen_base", &m->xen_base)))
			return rc;
		e->nmodels++;
		return 0;
	}
	if (m && word_is(dot, kn - nn, ".reason")) {
		uint8_t text[sizeof(m->reason) - 1];
		size_t len;
		bool trunc;
		if (!unquote(v, n, text, sizeof(text), &len, &trunc))
			return bad(c, "expected model.NAME.reason=\"...\"");
		memcpy(m->reason, text, len);
		m->reason[len] = 0;
	}
	return 0; /* traces, hazards, conditions: the host runs its own models */
}

static int probe_line(struct lctx *c, const char *k, size_t kn, const char *v, size_t n)
{
	struct probe_entry *e = c->e;
	if (word_is(k, kn, "version")) {
		const char *w;
		size_t wn;
		struct tok t;
		if (!word_at(v, n, 0, &w, &wn))
			return bad(c, "expected probe.version=VERSION");
		copy_text(e->probe_version, sizeof(e->probe_version), w, wn);
		e->uart = field(v, n, "uart", &t) && word_is(t.v, t.vn, "yes");
		return 0;
	}
	if (word_is(k, kn, "refused_reads")) {
		e->have_refused = true;
		return val_u32(c, v, n, "probe.refused_reads", &e->refused_reads);
	}
	return 0;
}

#define PREFIXED(k, kn, lit) ((kn) > sizeof(lit) - 1 && memcmp((k), lit, sizeof(lit) - 1) == 0)

static int logical_line(struct lctx *c, const char *s, size_t n, unsigned index)
{
	struct probe_entry *e = c->e;
	if (index == 0) {
		unsigned fmtv;
		char tail;
		char tmp[64];
		copy_text(tmp, sizeof(tmp), s, n);
		if (sscanf(tmp, BEGIN_MARK "format=%u%c", &fmtv, &tail) != 1)
			return bad(c, "expected \"PVHPROBE BEGIN format=N\"");
		if (fmtv != PROBE_FORMAT_READ)
			return bad(c, "frame format %u, this pvhprobe reads format %d (a newer probe guest?)", fmtv,
				   PROBE_FORMAT_READ);
		e->format = fmtv;
		return 0;
	}
	if (index == 1) {
		if (n < strlen(ANSWER_MARK) || memcmp(s, ANSWER_MARK, strlen(ANSWER_MARK)) != 0)
			return bad(c, "expected the answer line \"PVH path: ...\" after BEGIN");
		copy_text(e->answer, sizeof(e->answer), s + strlen(ANSWER_MARK), n - strlen(ANSWER_MARK));
		return 0;
	}
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return bad(c, "expected KEY=VALUE");
	const char *k = s, *v = eq + 1;
	size_t kn = (size_t)(eq - s), vn = n - kn - 1;
	if (word_is(k, kn, "cpuid"))
		return cpuid_line(c, v, vn);
	if (word_is(k, kn, "cpuid.count")) {
		const char *w;
		size_t wn;
		if (!word_at(v, vn, 0, &w, &wn) || !parse_u32(w, wn, &e->cpuid_count))
			return bad(c, "expected \"cpuid.count=N executions=M\"");
		return 0;
	}
	if (word_is(k, kn, "finding"))
		return finding_line(c, v, vn);
	if (PREFIXED(k, kn, "entry."))
		return entry_line(c, k + 6, kn - 6, v, vn);
	if (PREFIXED(k, kn, "start_info."))
		return start_info_line(c, k + 11, kn - 11, v, vn);
	if (PREFIXED(k, kn, "memmap."))
		return memmap_line(c, k + 7, kn - 7, v, vn);
	if (PREFIXED(k, kn, "module."))
		return module_line(c, k + 7, kn - 7, v, vn);
	if (PREFIXED(k, kn, "acpi."))
		return acpi_line(c, k + 5, kn - 5, v, vn);
	if (PREFIXED(k, kn, "model."))
		return model_line(c, k + 6, kn - 6, v, vn);
	if (PREFIXED(k, kn, "probe."))
		return probe_line(c, k + 6, kn - 6, v, vn);
	return 0; /* hv.*, scan.*: the host decodes and scans the leaves itself */
}

/* Joins continuation lines and parses each logical line. */
static int frame_parse(struct lctx *c, const struct lines *L, const struct frame *f)
{
	size_t cap = DUMP_MAX_LINE * 4;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	int rc = 0;
	unsigned index = 0;
	for (size_t i = 0; i + 1 < f->n && rc == 0;) {
		const struct pline *pl = &L->l[f->idx[i]];
		c->line = pl->lineno;
		size_t n = pl->n - f->skip[i];
		memcpy(buf, ltext(L, f->idx[i]) + f->skip[i], n);
		size_t j = i + 1;
		for (; j + 1 < f->n; j++) {
			const struct pline *ql = &L->l[f->idx[j]];
			const char *s = ltext(L, f->idx[j]) + f->skip[j];
			size_t m = ql->n - f->skip[j];
			if (m < 2 || memcmp(s, CONT_MARK, 2) != 0)
				break;
			if (n + m - 2 > cap) {
				free(buf);
				return bad(c, "a line continued past %zu bytes, expected at most %u", cap, DUMP_MAX_LINE);
			}
			memcpy(buf + n, s + 2, m - 2);
			n += m - 2;
		}
		rc = logical_line(c, buf, n, index++);
		i = j;
	}
	free(buf);
	return rc;
}

int probe_console_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->format = DUMP_PROBE_CONSOLE;
	struct lines L;
	struct frame f = { 0 };
	char msg[DUMP_ERRMSG];
	unsigned failed_at;
	int rc = lines_split(&L, buf, len);
	if (rc == 0)
		rc = frame_find(&L, &f, msg, sizeof(msg), &failed_at);
	if (rc == -ENOMEM) {
		snprintf(err, errlen, "%s: out of memory", name);
	} else if (rc < 0) {
		rc = -EINVAL;
		snprintf(err, errlen, "%s:%s", name, msg);
	}
	if (rc == 0 && !(d->entry = calloc(1, sizeof(*d->entry)))) {
		rc = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", name);
	}
	if (rc == 0) {
		struct probe_entry *e = d->entry;
		e->begin_line = L.l[f.idx[0]].lineno;
		e->end_line = L.l[f.idx[f.n - 1]].lineno;
		e->frame_lines = (unsigned)(f.n - 1);
		if (failed_at)
			dump_note(d, failed_at, "an earlier frame did not verify (at line %s); the frame at line %u was used", msg,
				 e->begin_line);
		struct lctx c = { .name = name, .err = err, .errlen = errlen, .d = d, .e = e };
		rc = frame_parse(&c, &L, &f);
		if (rc == 0 && e->ncpuid != e->cpuid_count) {
			c.line = e->end_line;
			rc = bad(&c, "%u cpuid= lines, the cpuid.count line says %u", e->ncpuid, e->cpuid_count);
		}
		if (rc == 0 && e->ncpuid == 0) {
			c.line = e->end_line;
			rc = bad(&c, "no cpuid= line in the frame, expected the leaves the probe read");
		}
		if (rc == 0 && !e->answer[0] && !e->format) {
			c.line = e->begin_line;
			rc = bad(&c, "empty frame");
		}
		if (rc == 0 && e->si_read) {
			d->have_facts = true;
			d->facts = (struct pvh_facts){ .magic = e->magic, .version = e->version,
						       .nr_modules = e->nr_modules, .memmap_entries = e->memmap_entries,
						       .modlist_paddr = e->modlist_paddr, .memmap_paddr = e->memmap_paddr };
		}
	}
	free(f.idx);
	free(f.skip);
	lines_free(&L);
	if (rc < 0)
		dump_free(d);
	return rc;
}

size_t probe_console_complete(const char *buf, size_t len)
{
	if (!probe_console_detect(buf, len))
		return 0;
	/* Only whole lines: the END line's "\n" must have arrived. */
	const char *last = memrchr(buf, '\n', len);
	if (!last)
		return 0;
	size_t n = (size_t)(last - buf) + 1;
	struct lines L;
	struct frame f = { 0 };
	char msg[DUMP_ERRMSG];
	unsigned failed_at;
	size_t at = 0;
	if (lines_split(&L, buf, n) == 0 && frame_find(&L, &f, msg, sizeof(msg), &failed_at) == 0) {
		unsigned endline = L.l[f.idx[f.n - 1]].lineno;
		const char *p = buf;
		for (unsigned k = 0; k < endline && p < buf + n; k++) {
			const char *nl = memchr(p, '\n', (size_t)(buf + n - p));
			p = nl ? nl + 1 : buf + n;
		}
		at = (size_t)(p - buf);
	}
	free(f.idx);
	free(f.skip);
	lines_free(&L);
	return at;
}

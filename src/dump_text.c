/* dump_text.c - the text dump formats: Todd Allen's `cpuid -r` (and
 * `cpuid -1 -r`) and AIDA64 / InstLatx64 (dump.h describes both). Called by
 * dump_parse() only. */
#include "dump.h"
#include "input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the line parsers ---- */

struct lexer {
	const char *name;
	unsigned line;
	char *err;
	size_t errlen;
};

_printf_(2, 3) static int fail(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = input_fail_v(lx->err, lx->errlen, lx->name, lx->line, "", fmt, ap);
	va_end(ap);
	return r;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Up to 8 hex digits (more is an error, not a wrap). prefix: require "0x". */
static bool parse_hex32(const char **pp, const char *end, bool prefix, uint32_t *out)
{
	const char *p = *pp;
	if (prefix) {
		if (end - p < 2 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
			return false;
		p += 2;
	}
	uint64_t v = 0;
	int nd = 0;
	while (p < end && hexval(*p) >= 0) {
		v = v << 4 | (uint64_t)hexval(*p);
		if (++nd > 8)
			return false;
		p++;
	}
	if (nd == 0)
		return false;
	*out = (uint32_t)v;
	*pp = p;
	return true;
}

static bool parse_dec(const char **pp, const char *end, unsigned max, unsigned *out)
{
	const char *p = *pp;
	unsigned v = 0;
	int nd = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max)
			return false;
		nd++;
		p++;
	}
	if (!nd)
		return false;
	*out = v;
	*pp = p;
	return true;
}

static bool lit(const char **pp, const char *end, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(end - *pp) < n || memcmp(*pp, s, n) != 0)
		return false;
	*pp += n;
	return true;
}

/* A leaf given twice for one CPU keeps its first value and leaves a note. */
static int put_leaf(struct lexer *lx, struct dump *d, struct dump_cpu *cpu, uint32_t leaf, uint32_t sub,
		    const struct cpuid_regs *r)
{
	if (leafset_find(&cpu->leaves, leaf, sub)) {
		dump_note(d, lx->line, "leaf 0x%08x subleaf %#x given again for CPU %d; the first value is used", leaf, sub,
		     cpu->id);
		return 0;
	}
	struct leaf_entry e = { .leaf = leaf, .subleaf = sub, .r = *r, .recorded = true };
	int rc = leafset_put(&cpu->leaves, &e, NULL);
	if (rc == -E2BIG)
		return fail(lx, "more than %u leaves for one CPU, expected a CPUID dump", LEAFSET_MAX);
	if (rc < 0)
		return fail(lx, "out of memory");
	return 0;
}

/* "   0x40000000 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x..." */
static int cpuid_r_line(struct lexer *lx, const char *p, const char *end, struct dump *d, struct dump_cpu **cpu)
{
	static const char expect[] =
		"expected \"CPU n:\" or \"0xLEAF 0xSUB: eax=0x... ebx=0x... ecx=0x... edx=0x...\"";
	if (lit(&p, end, "CPU")) {
		unsigned id = 0;
		p = skip_space(p, end);
		if (p < end && *p != ':' && !parse_dec(&p, end, 1u << 20, &id))
			return fail(lx, "expected a CPU number after \"CPU\"");
		p = skip_space(p, end);
		if (p == end || *p != ':')
			return fail(lx, "expected \":\" after \"CPU %u\"", id);
		p = skip_space(p + 1, end);
		if (p != end)
			return fail(lx, "unexpected text after \"CPU %u:\"", id);
		if (dump_cpu(d, (int)id) && d->ncpus)
			return fail(lx, "CPU %u appears twice, expected each CPU once", id);
		*cpu = dump_add_cpu(d, (int)id);
		if (!*cpu)
			return fail(lx, "more than %u CPUs, expected a CPUID dump", DUMP_MAX_CPUS);
		return 0;
	}
	uint32_t leaf, sub = 0;
	if (!parse_hex32(&p, end, true, &leaf))
		return fail(lx, "%s", expect);
	const char *q = skip_space(p, end);
	if (q < end && *q != ':') {
		if (!parse_hex32(&q, end, true, &sub))
			return fail(lx, "expected a subleaf (0x..) or \":\" after leaf 0x%08x", leaf);
	}
	q = skip_space(q, end);
	if (q == end || *q != ':')
		return fail(lx, "expected \":\" after leaf 0x%08x", leaf);
	q++;
	uint32_t v[4];
	static const char *const reg[4] = { "eax=", "ebx=", "ecx=", "edx=" };
	for (int i = 0; i < 4; i++) {
		q = skip_space(q, end);
		if (!lit(&q, end, reg[i]) || !parse_hex32(&q, end, true, &v[i]))
			return fail(lx, "expected \"%s0x\" and up to 8 hex digits%s", reg[i],
				    q == end ? " (the line is truncated)" : "");
	}
	q = skip_space(q, end);
	if (q != end)
		return fail(lx, "unexpected text after edx, %s", expect);
	if (!*cpu) {
		*cpu = dump_add_cpu(d, 0); /* leaves before any "CPU" line */
		if (!*cpu)
			return fail(lx, "out of memory");
	}
	struct cpuid_regs r = { v[0], v[1], v[2], v[3] };
	return put_leaf(lx, d, *cpu, leaf, sub, &r);
}

/* "CPUID 40000000: 4000000C-7263694D-666F736F-76482074 [SL 00] [comment]" */
static int aida_line(struct lexer *lx, const char *p, const char *end, struct dump *d, struct dump_cpu **cpu)
{
	const char *cpuhdr = NULL;
	for (const char *s = p; s + 13 <= end; s++)
		if (memcmp(s, "Logical CPU #", 13) == 0) {
			cpuhdr = s + 13;
			break;
		}
	if (lit(&p, end, "------[") && cpuhdr) {
		unsigned id;
		if (!parse_dec(&cpuhdr, end, 1u << 20, &id))
			return fail(lx, "expected a CPU number after \"Logical CPU #\"");
		if (dump_cpu(d, (int)id) && d->ncpus)
			return fail(lx, "CPU #%u appears twice, expected each CPU once", id);
		*cpu = dump_add_cpu(d, (int)id);
		if (!*cpu)
			return fail(lx, "more than %u CPUs, expected a CPUID dump", DUMP_MAX_CPUS);
		return 0;
	}
	if (!lit(&p, end, "CPUID "))
		return 0; /* AIDA64 reports interleave prose; only CPUID lines count */
	uint32_t leaf, v[4];
	if (!parse_hex32(&p, end, false, &leaf) || !lit(&p, end, ":"))
		return fail(lx, "expected \"CPUID LLLLLLLL: EAX-EBX-ECX-EDX\"");
	p = skip_space(p, end);
	for (int i = 0; i < 4; i++) {
		if ((i && !lit(&p, end, "-")) || !parse_hex32(&p, end, false, &v[i]))
			return fail(lx, "expected four 8-digit hex registers separated by \"-\" after leaf %08X%s", leaf,
				    p == end ? " (the line is truncated)" : "");
	}
	p = skip_space(p, end);
	bool have_sub = false;
	unsigned sub = 0;
	if (lit(&p, end, "[SL ")) {
		uint32_t s;
		if (!parse_hex32(&p, end, false, &s) || !lit(&p, end, "]"))
			return fail(lx, "expected \"[SL nn]\"");
		sub = s;
		have_sub = true;
	}
	if (!*cpu) {
		*cpu = dump_add_cpu(d, 0);
		if (!*cpu)
			return fail(lx, "out of memory");
	}
	if (!have_sub) /* a repeated leaf without [SL]: the next subleaf */
		while (leafset_find(&(*cpu)->leaves, leaf, sub) && sub < 0xffff)
			sub++;
	struct cpuid_regs r = { v[0], v[1], v[2], v[3] };
	return put_leaf(lx, d, *cpu, leaf, sub, &r);
}

static bool looks_aida(const char *buf, const char *end)
{
	for (const char *p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *q = p;
		if (lit(&q, le, "CPUID ")) {
			uint32_t leaf;
			return parse_hex32(&q, le, false, &leaf) && q < le && *q == ':';
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

int dump_text_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	struct lexer lx = { .name = name, .line = 0, .err = err, .errlen = errlen };
	const char *end = buf + len;
	const char *p;
	if (memchr(buf, '\0', len)) {
		const char *z = memchr(buf, '\0', len);
		lx.line = 1;
		for (const char *s = buf; s < z; s++)
			lx.line += *s == '\n';
		dump_free(d);
		return fail(&lx, "NUL byte: this is binary data, expected a text CPUID dump");
	}
	d->format = looks_aida(buf, end) ? DUMP_AIDA64 : DUMP_CPUID_R;
	struct dump_cpu *cpu = NULL;
	int rc = 0;
	for (p = buf; p < end && rc == 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lx.line++;
		if ((size_t)(le - p) > DUMP_MAX_LINE) {
			rc = fail(&lx, "line longer than %u bytes, expected a CPUID dump line", DUMP_MAX_LINE);
			break;
		}
		const char *e = le;
		if (e > p && e[-1] == '\r')
			e--;
		const char *s = skip_space(p, e);
		if (s < e && *s == '#')
			; /* a comment: pvhprobe's own test dumps carry their provenance */
		else if (s < e)
			rc = d->format == DUMP_AIDA64 ? aida_line(&lx, s, e, d, &cpu) : cpuid_r_line(&lx, s, e, d, &cpu);
		p = nl ? nl + 1 : end;
	}
	if (rc == 0) {
		size_t total = 0;
		for (size_t i = 0; i < d->ncpus; i++)
			total += d->cpus[i].leaves.n;
		if (total == 0) {
			lx.line = 1;
			rc = fail(&lx, "no CPUID leaves found, expected lines like \"0x00000000 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x...\"");
		}
	}
	if (rc)
		dump_free(d);
	return rc;
}

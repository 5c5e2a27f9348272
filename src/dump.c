/* dump.c - reading cpuid -r and AIDA64 dumps; format detection. */
#include "alloc_libc.h"
#include "dump.h"
#include "dump_probe_console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const format_names[_DUMP_FORMAT_MAX] = {
	[DUMP_CPUID_R] = "cpuid-r",
	[DUMP_AIDA64] = "aida64",
	[DUMP_JSON] = "json",
	[DUMP_PROBE_CONSOLE] = "probe-console",
};

const char *dump_format_name(enum dump_format f)
{
	return (unsigned)f < _DUMP_FORMAT_MAX ? format_names[f] : "unknown";
}

void dump_free(struct dump *d)
{
	for (size_t i = 0; i < d->ncpus; i++)
		leafset_free(&d->cpus[i].leaves);
	free(d->cpus);
	d->cpus = NULL;
	d->ncpus = 0;
	free(d->entry);
	d->entry = NULL;
}

const struct dump_cpu *dump_cpu(const struct dump *d, int id)
{
	if (d->ncpus == 0)
		return NULL;
	if (id < 0)
		return &d->cpus[0];
	for (size_t i = 0; i < d->ncpus; i++)
		if (d->cpus[i].id == id)
			return &d->cpus[i];
	return NULL;
}

struct dump_cpu *dump_add_cpu(struct dump *d, int id)
{
	if (d->ncpus >= DUMP_MAX_CPUS)
		return NULL;
	struct dump_cpu *v = realloc(d->cpus, (d->ncpus + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->cpus = v;
	struct dump_cpu *c = &d->cpus[d->ncpus++];
	c->id = id;
	leafset_init(&c->leaves, &alloc_libc);
	return c;
}

/* Milliseconds a pipe or FIFO may stay silent before we give up on it
 * (PVHPROBE_INPUT_TIMEOUT seconds overrides, 0 for no limit; other values
 * are ignored; documented in pvhprobe(1)). */
static int idle_ms(void)
{
	const char *e = getenv("PVHPROBE_INPUT_TIMEOUT");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v == 0)
			return -1; /* 0: wait as long as it takes */
		if (*end == '\0' && v > 0 && v <= 3600)
			return (int)v * 1000;
	}
	return 10000;
}

int dump_slurp(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	char *b = NULL;
	size_t cap = 65536, n = 0;
	int rc = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(-rc));
		return rc;
	}
	struct stat st;
	bool regular = false;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: is a directory without " "cpuid.txt" ", expected a CPUID dump, a pvhprobe JSON report or a bundle directory", name);
			rc = -EISDIR;
			goto out;
		}
		regular = S_ISREG(st.st_mode);
	}
	if (regular && !is_stdin)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	b = malloc(cap + 1);
	if (!b) {
		rc = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	int wait_ms = idle_ms();
	for (;;) {
		if (n == cap) {
			char *nb = cap > DUMP_MAX_BYTES ? NULL : realloc(b, cap * 2 + 1);
			if (!nb) {
				rc = cap > DUMP_MAX_BYTES ? -EFBIG : -ENOMEM;
				break;
			}
			b = nb;
			cap *= 2;
		}
		if (!regular) {
			/* A pipe, FIFO or device: bounded by time as well as size. */
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int r = poll(&p, 1, wait_ms);
			if (r == 0) {
				rc = -ETIMEDOUT;
				snprintf(err, errlen, "%s: no data for %d s (a pipe or FIFO nobody writes to?)", name, wait_ms / 1000);
				goto out;
			}
			if (r < 0 && errno != EINTR) {
				rc = -errno;
				break;
			}
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > DUMP_MAX_BYTES) {
			rc = -EFBIG;
			break;
		}
	}
	if (rc == -EFBIG)
		snprintf(err, errlen, "%s: larger than %u MiB, expected a CPUID dump (a few KiB)", name, DUMP_MAX_BYTES >> 20);
	else if (rc < 0)
		snprintf(err, errlen, "%s: %s", name, strerror(-rc));
out:
	if (!is_stdin)
		close(fd);
	if (rc < 0) {
		free(b);
		return rc;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int dump_load(const char *path, struct dump *d, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int r = dump_slurp(path, &buf, &len, err, errlen);
	if (r < 0)
		return r;
	r = dump_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, buf, len, d, err, errlen);
	free(buf);
	return r;
}

/* ---- the line parsers ---- */

struct lexer {
	const char *name;
	unsigned line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct lexer *lx, const char *fmt, ...)
{
	int k = snprintf(lx->err, lx->errlen, "%s:%u: ", lx->name, lx->line);
	if (k < 0 || (size_t)k >= lx->errlen)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lx->err + k, lx->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -EINVAL;
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

static void note(struct dump *d, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(struct dump *d, unsigned line, const char *fmt, ...)
{
	if (d->nnotes >= DUMP_NOTES_MAX) {
		d->notes_dropped++;
		return;
	}
	struct dump_note *n = &d->notes[d->nnotes++];
	n->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
}

void dump_note(struct dump *d, unsigned line, const char *fmt, ...)
{
	char text[TEXT_NOTE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	note(d, line, "%s", text);
}

/* A leaf given twice for one CPU keeps its first value and leaves a note. */
static int put_leaf(struct lexer *lx, struct dump *d, struct dump_cpu *cpu, uint32_t leaf, uint32_t sub,
		    const struct cpuid_regs *r)
{
	if (leafset_find(&cpu->leaves, leaf, sub)) {
		note(d, lx->line, "leaf 0x%08x subleaf %#x given again for CPU %d; the first value is used", leaf, sub,
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

int dump_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	struct lexer lx = { .name = name, .line = 0, .err = err, .errlen = errlen };
	const char *end = buf + len;
	const char *p = buf;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == end) {
		lx.line = 1;
		return fail(&lx, "empty file, expected a CPUID dump (cpuid -r, AIDA64) or a pvhprobe JSON report");
	}
	if (*p == '{') {
		d->format = DUMP_JSON;
		return report_parse(name, buf, len, d, err, errlen);
	}
	/* Before the NUL test: a serial console may carry any byte around the
	 * probe's frame. */
	if (probe_console_detect(buf, len))
		return probe_console_parse(name, buf, len, d, err, errlen);
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

/* dump.c - the dump model (CPUs and their leaf sets, notes) and the
 * dispatch: which format an input is (dump_parse), the only caller of the
 * format readers dump_text.c, dump_report_json.c and dump_probe_console.c, which in turn use
 * only the model's functions here. */
#include "alloc_libc.h"
#include "dump.h"
#include "dump_probe_console.h"
#include "input.h"
#include "core/strtab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[_DUMP_FORMAT_MAX] = {
	[DUMP_CPUID_R] = "cpuid-r",
	[DUMP_AIDA64] = "aida64",
	[DUMP_JSON] = "json",
	[DUMP_PROBE_CONSOLE] = "probe-console",
};

DEFINE_STRTAB(dump_format, enum dump_format, format_names)

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

void dump_note(struct dump *d, unsigned line, const char *fmt, ...)
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

static const struct input_kind dump_input = {
	.max_bytes = DUMP_MAX_BYTES,
	.expected = "a CPUID dump (a few KiB)",
	.directory = "is a directory without cpuid.txt, expected a CPUID dump, a pvhprobe JSON report or a bundle directory",
};

int dump_load(const char *path, struct dump *d, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int r = input_read(path, &dump_input, &buf, &len, err, errlen);
	if (r < 0)
		return r;
	r = dump_parse(input_name(path), buf, len, d, err, errlen);
	free(buf);
	return r;
}

int dump_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	const char *p = buf, *end = buf + len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == end) {
		snprintf(err, errlen, "%s:1: empty file, expected a CPUID dump (cpuid -r, AIDA64) or a pvhprobe JSON report",
			 name);
		return -EINVAL;
	}
	if (*p == '{')
		return dump_report_json_parse(name, buf, len, d, err, errlen);
	/* Before the text formats' NUL test: a serial console may carry any
	 * byte around the probe's frame. */
	if (probe_console_detect(buf, len))
		return probe_console_parse(name, buf, len, d, err, errlen);
	return dump_text_parse(name, buf, len, d, err, errlen);
}

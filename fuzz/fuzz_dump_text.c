/* fuzz_dump_text.c - dump_parse() on arbitrary bytes.
 *
 * Exercises format detection and the `cpuid -r` and AIDA64 line parsers
 * (input starting with '{' goes to the JSON reader, which fuzz_report_json
 * covers in depth). Every accepted dump must be well formed (CPU ids
 * unique, every CPU within LEAFSET_MAX, every leaf recorded); its first
 * CPU then goes through the whole analysis and every renderer with the
 * invariants of analyse.h. A refused dump must come with a message naming
 * the input and a line. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analyse.h"
#include "dump.h"

#define NAME "fuzz.cpuid"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump d;
	char err[DUMP_ERRMSG];
	memset(err, 0x55, sizeof(err)); /* an unterminated message shows */
	int rc = dump_parse(NAME, (const char *)data, size, &d, err, sizeof(err));
	if (rc != 0) {
		if (rc > 0)
			fz_fail("dump_parse returned %d, expected 0 or -errno", rc);
		if (!memchr(err, '\0', sizeof(err)))
			fz_fail("dump_parse error message not NUL-terminated");
		if (strncmp(err, NAME ":", strlen(NAME) + 1) != 0)
			fz_fail("dump_parse error message does not name the input: %s", err);
		if (d.ncpus != 0 || d.cpus != NULL)
			fz_fail("dump_parse failed but left %zu CPUs allocated", d.ncpus);
		return 0;
	}
	if (d.ncpus == 0 || d.ncpus > DUMP_MAX_CPUS)
		fz_fail("accepted dump with %zu CPUs", d.ncpus);
	if ((unsigned)d.format >= _DUMP_FORMAT_MAX)
		fz_fail("accepted dump with format %d", (int)d.format);
	if (d.nnotes > DUMP_NOTES_MAX)
		fz_fail("%u notes", d.nnotes);
	for (unsigned i = 0; i < d.nnotes; i++)
		if (!memchr(d.notes[i].text, '\0', sizeof(d.notes[i].text)))
			fz_fail("note %u not NUL-terminated", i);
	size_t total = 0;
	for (size_t i = 0; i < d.ncpus; i++) {
		const struct dump_cpu *c = &d.cpus[i];
		if (c->leaves.n > LEAFSET_MAX)
			fz_fail("CPU %d: %zu leaves > LEAFSET_MAX", c->id, c->leaves.n);
		total += c->leaves.n;
		if (d.format != DUMP_JSON) {
			for (size_t j = 0; j < i; j++)
				if (d.cpus[j].id == c->id)
					fz_fail("CPU %d appears twice in an accepted dump", c->id);
			for (size_t k = 0; k < c->leaves.n; k++)
				if (!c->leaves.v[k].recorded)
					fz_fail("CPU %d: leaf %#x of a text dump not marked recorded", c->id,
						c->leaves.v[k].leaf);
		}
	}
	if (total == 0 && d.format != DUMP_JSON)
		fz_fail("accepted a text dump without leaves");
	const struct dump_cpu *c = dump_cpu(&d, -1);
	if (!c)
		fz_fail("dump_cpu(-1) is NULL with %zu CPUs", d.ncpus);
	fz_analyse(&c->leaves, c->id, &d, d.format, NULL);
	dump_free(&d);
	return 0;
}

/* fuzz_report_json.c - dump_report_json_parse() (pvhprobe JSON reports) on arbitrary
 * bytes.
 *
 * An accepted report must give one CPU with at most LEAFSET_MAX leaves and
 * at most DUMP_NOTES_MAX notes, each NUL-terminated; it then goes through
 * the whole analysis and every renderer with the invariants of analyse.h
 * (the carried-over "dump_note" findings reach the text, JSON and env
 * output). A refused report must come with a message naming the input. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analyse.h"
#include "dump.h"

#define NAME "fuzz.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump d;
	char err[DUMP_ERRMSG];
	memset(err, 0x55, sizeof(err));
	int rc = dump_report_json_parse(NAME, (const char *)data, size, &d, err, sizeof(err));
	if (rc != 0) {
		if (rc > 0)
			fz_fail("dump_report_json_parse returned %d, expected 0 or -errno", rc);
		if (!memchr(err, '\0', sizeof(err)))
			fz_fail("dump_report_json_parse error message not NUL-terminated");
		if (strncmp(err, NAME ":", strlen(NAME) + 1) != 0)
			fz_fail("dump_report_json_parse error message does not name the input: %s", err);
		if (d.ncpus != 0 || d.cpus != NULL)
			fz_fail("dump_report_json_parse failed but left %zu CPUs allocated", d.ncpus);
		return 0;
	}
	if (d.format != DUMP_JSON)
		fz_fail("dump_report_json_parse: format %d", (int)d.format);
	if (d.ncpus != 1)
		fz_fail("dump_report_json_parse: %zu CPUs, expected 1", d.ncpus);
	/* 0 is valid: a report whose dump recorded none of the leaves read */
	if (d.cpus[0].leaves.n > LEAFSET_MAX)
		fz_fail("dump_report_json_parse: %zu leaves", d.cpus[0].leaves.n);
	if (d.cpus[0].id < 0)
		fz_fail("dump_report_json_parse: CPU %d", d.cpus[0].id);
	if (d.nnotes > DUMP_NOTES_MAX)
		fz_fail("%u notes", d.nnotes);
	for (unsigned i = 0; i < d.nnotes; i++)
		if (!memchr(d.notes[i].text, '\0', sizeof(d.notes[i].text)))
			fz_fail("note %u not NUL-terminated", i);
	fz_analyse(&d.cpus[0].leaves, d.cpus[0].id, &d, d.format, NULL);
	dump_free(&d);
	return 0;
}

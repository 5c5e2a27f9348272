/* fuzz_probe_console.c - the probe guest's console capture reader
 * (src/dump_probe_console.c) on arbitrary bytes.
 *
 * Two modes, by the first byte. 0x01: the rest is the inside of a frame;
 * the harness wraps it in "PVHPROBE BEGIN format=1" and an END line with
 * the right count and CRC-32 (as guest/console.c computes them over the
 * raw lines), so that mutations reach the key=value parsers instead of
 * stopping at the checksum. Anything else: the bytes as a capture,
 * exercising line cleaning (CRs, escape sequences, Xen prefixes), frame
 * search and verification. Either way an accepted capture must hold one
 * CPU with 1..LEAFSET_MAX leaves, bounded entry tables and NUL-terminated
 * strings, and goes through the whole analysis and every renderer
 * (analyse.h), the entry renderers included; a refused one must name the
 * input and a line and leave nothing allocated. probe_console_complete()
 * must point inside the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "dump.h"
#include "dump_probe_console.h"

#define NAME "fuzz.log"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c;
}

static char *wrap(const uint8_t *body, size_t n, size_t *len)
{
	static const char begin[] = "PVHPROBE BEGIN format=1\n";
	char *out = malloc(sizeof(begin) + n + 64);
	if (!out)
		return NULL;
	size_t k = 0;
	memcpy(out, begin, sizeof(begin) - 1);
	k = sizeof(begin) - 1;
	memcpy(out + k, body, n);
	k += n;
	if (n && body[n - 1] != '\n')
		out[k++] = '\n';
	unsigned lines = 0;
	for (size_t i = 0; i < k; i++)
		lines += out[i] == '\n';
	uint32_t c = crc_update(0xffffffffu, (const uint8_t *)out, k) ^ 0xffffffffu;
	k += (size_t)sprintf(out + k, "PVHPROBE END lines=%u crc32=%08x\n", lines, c);
	*len = k;
	return out;
}

static void check_str(const char *s, size_t cap, const char *what)
{
	if (!memchr(s, '\0', cap))
		fz_fail("%s not NUL-terminated", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL;
	size_t len = size;
	const char *in = (const char *)data;
	if (size && data[0] == 1) {
		buf = wrap(data + 1, size - 1, &len);
		if (!buf)
			return 0;
		in = buf;
	}
	size_t at = probe_console_complete(in, len);
	if (at > len)
		fz_fail("probe_console_complete() = %zu past the input's %zu bytes", at, len);
	struct dump d;
	char err[DUMP_ERRMSG];
	memset(err, 0x55, sizeof(err));
	int rc = probe_console_parse(NAME, in, len, &d, err, sizeof(err));
	if (rc != 0) {
		if (rc > 0)
			fz_fail("probe_console_parse returned %d", rc);
		if (!memchr(err, '\0', sizeof(err)))
			fz_fail("error message not NUL-terminated");
		if (strncmp(err, NAME ":", strlen(NAME) + 1) != 0)
			fz_fail("error message does not name the input: %s", err);
		if (d.ncpus || d.cpus || d.entry)
			fz_fail("refused capture left CPUs or an entry allocated");
		free(buf);
		return 0;
	}
	if (at == 0)
		fz_fail("accepted a capture probe_console_complete() found no frame in");
	const struct probe_entry *e = d.entry;
	if (!e || d.format != DUMP_PROBE_CONSOLE || d.ncpus != 1)
		fz_fail("accepted capture: entry %p, format %d, %zu CPUs", (const void *)e, (int)d.format, d.ncpus);
	if (d.cpus[0].leaves.n == 0 || d.cpus[0].leaves.n > LEAFSET_MAX || d.cpus[0].leaves.n != e->ncpuid)
		fz_fail("accepted capture with %zu leaves (%u cpuid lines)", d.cpus[0].leaves.n, e->ncpuid);
	if (e->nmemmap > PROBE_MEMMAP_MAX || e->nmodules > PROBE_MODULES_MAX || e->ntables > PROBE_TABLES_MAX ||
	    e->nfindings > PROBE_FINDINGS_MAX || e->nmodels > PROBE_MODELS_MAX)
		fz_fail("entry table past its bound");
	if (e->format != PROBE_FORMAT_READ || e->begin_line == 0 || e->end_line <= e->begin_line)
		fz_fail("frame format %u, lines %u-%u", e->format, e->begin_line, e->end_line);
	check_str(e->answer, sizeof(e->answer), "answer");
	check_str(e->probe_version, sizeof(e->probe_version), "probe_version");
	check_str(e->flag_names, sizeof(e->flag_names), "flag_names");
	for (unsigned i = 0; i < e->nfindings; i++) {
		check_str(e->findings[i].id, sizeof(e->findings[i].id), "finding id");
		check_str(e->findings[i].text, sizeof(e->findings[i].text), "finding text");
	}
	for (unsigned i = 0; i < e->nmodels; i++)
		check_str(e->models[i].reason, sizeof(e->models[i].reason), "model reason");
	for (unsigned i = 0; i < e->nmemmap; i++)
		check_str(e->memmap[i].type_name, sizeof(e->memmap[i].type_name), "memmap type name");
	if (e->cmdline.n > PROBE_BYTES_MAX)
		fz_fail("cmdline of %zu bytes", e->cmdline.n);
	fz_analyse(&d.cpus[0].leaves, d.cpus[0].id, &d, d.format, NULL);
	dump_free(&d);
	free(buf);
	return 0;
}

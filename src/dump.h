/* dump.h - recorded CPUID dumps: reading them into leaf sets.
 *
 * Formats (detected from the content):
 *  - cpuid-r:  Todd Allen's `cpuid -r` / `cpuid -1 -r`: "CPU:" or "CPU n:"
 *              headers, "   0x40000000 0x00: eax=0x... ebx=0x... ecx=0x...
 *              edx=0x..." lines, and the older form without the subleaf;
 *              lines starting with '#' are comments;
 *  - aida64:   AIDA64 / InstLatx64 "CPUID 40000000: EAX-EBX-ECX-EDX [SL nn]"
 *              with "------[ ... Logical CPU #n ]------" headers; a leaf
 *              without [SL nn] that repeats gets subleaf 0, 1, ... in order;
 *  - json:     a pvhprobe JSON report (its "leaves" array; dump_report_json.c);
 *  - probe-console: a captured console of the probe guest pvhprobe.elf
 *              (dump_probe_console.h): its cpuid= lines, and its entry
 *              facts in d->entry.
 * Parsers never print: errors come back in a message naming the file, the
 * line and what was expected. Input is bounded (DUMP_MAX_BYTES, LEAFSET_MAX
 * leaves per CPU, DUMP_MAX_CPUS CPUs, DUMP_MAX_LINE bytes per line). */
#ifndef PVHPROBE_DUMP_H
#define PVHPROBE_DUMP_H

#include "core/base.h"

#include <stddef.h>

#include "core/leafset.h"
#include "core/model.h"

#define DUMP_MAX_BYTES (16u << 20)
#define DUMP_MAX_CPUS 4096u
#define DUMP_MAX_LINE 4096u

enum dump_format {
	DUMP_CPUID_R,
	DUMP_AIDA64,
	DUMP_JSON,
	DUMP_PROBE_CONSOLE,
	_DUMP_FORMAT_MAX,
	_DUMP_FORMAT_INVALID = -1,
};

const char *dump_format_name(enum dump_format f);
enum dump_format dump_format_from_name(const char *s);

struct dump_cpu {
	int id;                /* CPU number as the dump gives it */
	struct leafset leaves;
};

/* Something in the input that was accepted, but that a user should know:
 * a leaf given twice for one CPU (the first value is kept, as a documented
 * choice: real published dumps carry such typos). */
#define TEXT_NOTE_MAX 240

struct dump_note {
	unsigned line;  /* 0: text is complete (carried from a JSON report) */
	char text[TEXT_NOTE_MAX];
};

#define DUMP_NOTES_MAX 8

struct probe_entry;

struct dump {
	enum dump_format format;
	struct probe_entry *entry;   /* a probe console capture's facts, else NULL */
	/* The start_info the VMM handed a probe guest, for the models'
	 * conditions: from a capture, or from the entry of a JSON report made
	 * of one (so that its replay decides as the capture did). */
	bool have_facts;
	struct pvh_facts facts;
	struct dump_cpu *cpus;
	size_t ncpus;
	struct dump_note notes[DUMP_NOTES_MAX];
	unsigned nnotes;
	unsigned notes_dropped;
};

#define DUMP_ERRMSG 512

/* Reads path ("-" for standard input). Returns 0, or -errno with err set:
 * -EIO and friends for an unreadable file, -EINVAL for content that does
 * not parse, -EFBIG past DUMP_MAX_BYTES. */
_warn_unused_result_ int dump_load(const char *path, struct dump *d, char *err, size_t errlen);

/* Parses a buffer, in the format its content shows (the dispatch: the only
 * caller of the format readers below); name is used in messages. */
_warn_unused_result_ int dump_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen);

void dump_free(struct dump *d);

/* CPU with this id, or the first when id < 0; NULL if absent. */
const struct dump_cpu *dump_cpu(const struct dump *d, int id);

/* Adds a note (the dump's readers: line 0 when the text is complete). */
void dump_note(struct dump *d, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds a CPU; returns NULL on the DUMP_MAX_CPUS limit or out of memory. */
struct dump_cpu *dump_add_cpu(struct dump *d, int id);

/* The format readers, each into a zeroed d (freed again on failure), with
 * the same contract as dump_parse(): cpuid -r and AIDA64 text
 * (dump_text.c), a pvhprobe JSON report (dump_report_json.c). */
_warn_unused_result_ int dump_text_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err,
					 size_t errlen);
_warn_unused_result_ int dump_report_json_parse(const char *name, const char *buf, size_t len, struct dump *d, char *err, size_t errlen);

#endif

/* fields.h - decoded hypervisor leaves as named, typed fields.
 *
 * A decoder fills a field list; renderers turn it into text, JSON or env
 * without knowing which vendor it came from. Flag words keep their raw value
 * and a pointer to the bit-name table, so unknown bits are never lost. */
#ifndef PVHPROBE_FIELDS_H
#define PVHPROBE_FIELDS_H

#include "base.h"

enum field_type {
	FT_UINT,  /* decimal number */
	FT_HEX,   /* number people read in hex (MSRs, raw words) */
	FT_BOOL,
	FT_BYTES, /* raw bytes from CPUID, escaped by each renderer */
	FT_TEXT,  /* a trusted string from our own tables */
	FT_FLAGS, /* bit word with names */
};

struct bitname {
	unsigned bit;
	const char *name;
};

struct field {
	const char *key;     /* snake_case, static */
	enum field_type type;
	uint32_t leaf;       /* the leaf it came from */
	uint64_t u;          /* UINT, HEX, BOOL, FLAGS (raw word) */
	const char *text;    /* TEXT */
	uint8_t bytes[16];   /* BYTES */
	unsigned nbytes;
	const struct bitname *bits; /* FLAGS: table ... */
	unsigned nbits;             /* ... and its length */
};

#define FIELDS_MAX 48

struct fields {
	struct field f[FIELDS_MAX];
	unsigned n;
	unsigned dropped; /* fields that did not fit (decoders add a bounded number: 0) */
};

void fields_uint(struct fields *fl, const char *key, uint32_t leaf, uint64_t v);
void fields_hex(struct fields *fl, const char *key, uint32_t leaf, uint64_t v);
void fields_bool(struct fields *fl, const char *key, uint32_t leaf, bool v);
void fields_bytes(struct fields *fl, const char *key, uint32_t leaf, const uint8_t *b, unsigned n);
void fields_text(struct fields *fl, const char *key, uint32_t leaf, const char *text);
void fields_flags(struct fields *fl, const char *key, uint32_t leaf, uint32_t v,
		  const struct bitname *bits, unsigned nbits);

/* Name of bit b in a flags field, or NULL if the table has none. */
const char *field_bit_name(const struct field *f, unsigned b);

/* A field's value as text, the one form text output, env output and
 * comparisons use: UINT in decimal, HEX as 0x%08x, BOOL yes/no, BYTES
 * C-escaped (escape_c), TEXT as is, FLAGS as comma-separated bit names
 * (bitN for unnamed ones, "none" for 0; names that do not fit are left
 * out whole). Writes at most outlen bytes, NUL-terminated (outlen > 0). */
void fields_value_text(const struct field *fd, char *out, size_t outlen);


#endif

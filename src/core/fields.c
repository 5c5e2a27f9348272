/* fields.c - building field lists. */
#include "fields.h"

#include "escape.h"
#include "fmt.h"

static struct field *add(struct fields *fl, const char *key, enum field_type t, uint32_t leaf)
{
	if (fl->n >= FIELDS_MAX) {
		fl->dropped++;
		return NULL;
	}
	struct field *f = &fl->f[fl->n++];
	*f = (struct field){ .key = key, .type = t, .leaf = leaf };
	return f;
}

void fields_uint(struct fields *fl, const char *key, uint32_t leaf, uint64_t v)
{
	struct field *f = add(fl, key, FT_UINT, leaf);
	if (f)
		f->u = v;
}

void fields_hex(struct fields *fl, const char *key, uint32_t leaf, uint64_t v)
{
	struct field *f = add(fl, key, FT_HEX, leaf);
	if (f)
		f->u = v;
}

void fields_bool(struct fields *fl, const char *key, uint32_t leaf, bool v)
{
	struct field *f = add(fl, key, FT_BOOL, leaf);
	if (f)
		f->u = v;
}

void fields_bytes(struct fields *fl, const char *key, uint32_t leaf, const uint8_t *b, unsigned n)
{
	struct field *f = add(fl, key, FT_BYTES, leaf);
	if (!f)
		return;
	if (n > sizeof(f->bytes))
		n = sizeof(f->bytes);
	memcpy(f->bytes, b, n);
	f->nbytes = n;
}

void fields_text(struct fields *fl, const char *key, uint32_t leaf, const char *text)
{
	struct field *f = add(fl, key, FT_TEXT, leaf);
	if (f)
		f->text = text;
}

void fields_flags(struct fields *fl, const char *key, uint32_t leaf, uint32_t v,
		  const struct bitname *bits, unsigned nbits)
{
	struct field *f = add(fl, key, FT_FLAGS, leaf);
	if (!f)
		return;
	f->u = v;
	f->bits = bits;
	f->nbits = nbits;
}

const char *field_bit_name(const struct field *f, unsigned b)
{
	for (unsigned i = 0; i < f->nbits; i++)
		if (f->bits[i].bit == b)
			return f->bits[i].name;
	return NULL;
}

void fields_value_text(const struct field *fd, char *out, size_t outlen)
{
	size_t k = 0;
	if (!outlen)
		return;
	out[0] = '\0';
	switch (fd->type) {
	case FT_UINT:
		fmt(out, outlen, "%llu", (unsigned long long)fd->u);
		break;
	case FT_HEX:
		fmt(out, outlen, "0x%08llx", (unsigned long long)fd->u);
		break;
	case FT_BOOL:
		fmt(out, outlen, "%s", fd->u ? "yes" : "no");
		break;
	case FT_BYTES:
		escape_c(fd->bytes, fd->nbytes, out, outlen);
		break;
	case FT_TEXT:
		fmt(out, outlen, "%s", fd->text);
		break;
	case FT_FLAGS:
		for (unsigned b = 0; b < 32; b++) {
			if (!(fd->u >> b & 1))
				continue;
			const char *nm = field_bit_name(fd, b);
			size_t n = nm ? fmt(out + k, outlen - k, "%s%s", k ? "," : "", nm)
				      : fmt(out + k, outlen - k, "%sbit%u", k ? "," : "", b);
			if (n >= outlen - k) {
				out[k] = '\0';
				break;
			}
			k += n;
		}
		if (k == 0)
			fmt(out, outlen, "none");
		break;
	}
}

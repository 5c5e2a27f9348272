/* render_field.c - one decoded field as text, shared by text and env. */
#include "render.h"

#include <string.h>

#include "render_escape.h"

void render_field_value(const struct field *fd, char *out, size_t outlen)
{
	size_t k = 0;
	out[0] = '\0';
	switch (fd->type) {
	case FT_UINT:
		snprintf(out, outlen, "%llu", (unsigned long long)fd->u);
		break;
	case FT_HEX:
		snprintf(out, outlen, "0x%08llx", (unsigned long long)fd->u);
		break;
	case FT_BOOL:
		snprintf(out, outlen, "%s", fd->u ? "yes" : "no");
		break;
	case FT_BYTES:
		escape_c(fd->bytes, fd->nbytes, out, outlen);
		break;
	case FT_TEXT:
		snprintf(out, outlen, "%s", fd->text);
		break;
	case FT_FLAGS:
		for (unsigned b = 0; b < 32; b++) {
			if (!(fd->u >> b & 1))
				continue;
			const char *nm = field_bit_name(fd, b);
			int n = nm ? snprintf(out + k, outlen - k, "%s%s", k ? "," : "", nm)
				   : snprintf(out + k, outlen - k, "%sbit%u", k ? "," : "", b);
			if (n < 0 || (size_t)n >= outlen - k)
				break;
			k += (size_t)n;
		}
		if (k == 0)
			snprintf(out, outlen, "none");
		break;
	}
}

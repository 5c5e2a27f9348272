/* render_escape.c - escaping untrusted bytes for JSON, sh and file names
 * (the C-style escape of CPUID bytes is the core's: core/escape.c). */
#include "render_escape.h"

#include <stdio.h>
#include <string.h>

const char *escape_name(const char *s, char *out, size_t outlen)
{
	escape_c((const uint8_t *)s, strlen(s), out, outlen);
	return out;
}

size_t bytes_to_utf8(const uint8_t *b, size_t n, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c < 0x80) {
			escape_put(out, outlen, &k, (char)c);
		} else {
			escape_put(out, outlen, &k, (char)(0xc0 | c >> 6));
			escape_put(out, outlen, &k, (char)(0x80 | (c & 0x3f)));
		}
	}
	if (outlen)
		out[k < outlen ? k : outlen - 1] = '\0';
	return k;
}

size_t shell_quote(const char *s, char *out, size_t outlen)
{
	size_t k = 0;
	escape_put(out, outlen, &k, '\'');
	for (; *s; s++) {
		if (*s == '\'') {
			escape_put(out, outlen, &k, '\'');
			escape_put(out, outlen, &k, '\\');
			escape_put(out, outlen, &k, '\'');
			escape_put(out, outlen, &k, '\'');
		} else {
			escape_put(out, outlen, &k, *s);
		}
	}
	escape_put(out, outlen, &k, '\'');
	if (outlen)
		out[k < outlen ? k : outlen - 1] = '\0';
	return k;
}

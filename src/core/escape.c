/* escape.c - C-style escaping and hex of untrusted bytes (escape.h). */
#include "escape.h"

static const char hex[] = "0123456789abcdef";

size_t escape_c(const uint8_t *b, size_t n, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c == '\\' || c == '"') {
			escape_put(out, outlen, &k, '\\');
			escape_put(out, outlen, &k, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			escape_put(out, outlen, &k, (char)c);
		} else if (c == 0 || c == '\t' || c == '\n' || c == '\r') {
			escape_put(out, outlen, &k, '\\');
			escape_put(out, outlen, &k, c == 0 ? '0' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else {
			escape_put(out, outlen, &k, '\\');
			escape_put(out, outlen, &k, 'x');
			escape_put(out, outlen, &k, hex[c >> 4]);
			escape_put(out, outlen, &k, hex[c & 15]);
		}
	}
	if (outlen)
		out[k < outlen ? k : outlen - 1] = '\0';
	return k;
}

size_t bytes_to_hex(const uint8_t *b, size_t n, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		escape_put(out, outlen, &k, hex[b[i] >> 4]);
		escape_put(out, outlen, &k, hex[b[i] & 15]);
	}
	if (outlen)
		out[k < outlen ? k : outlen - 1] = '\0';
	return k;
}

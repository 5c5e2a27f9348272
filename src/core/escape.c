/* escape.c - C-style escaping of untrusted bytes (escape.h). */
#include "escape.h"

static void put(char *out, size_t outlen, size_t *k, char c)
{
	if (*k + 1 < outlen)
		out[*k] = c;
	(*k)++;
}

size_t escape_c(const uint8_t *b, size_t n, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c == '\\' || c == '"') {
			put(out, outlen, &k, '\\');
			put(out, outlen, &k, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			put(out, outlen, &k, (char)c);
		} else if (c == 0 || c == '\t' || c == '\n' || c == '\r') {
			put(out, outlen, &k, '\\');
			put(out, outlen, &k, c == 0 ? '0' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else {
			put(out, outlen, &k, '\\');
			put(out, outlen, &k, 'x');
			put(out, outlen, &k, hex[c >> 4]);
			put(out, outlen, &k, hex[c & 15]);
		}
	}
	if (outlen)
		out[k < outlen ? k : outlen - 1] = '\0';
	return k;
}

/* escape.h - untrusted bytes made printable, for the core's own text.
 *
 * A VMM can put any 12 bytes in a signature; traces quote them through
 * this. The renderers' other escapes (JSON, sh, file names) are hosted:
 * src/render_escape.h. */
#ifndef PVHPROBE_CORE_ESCAPE_H
#define PVHPROBE_CORE_ESCAPE_H

#include "base.h"

/* C-style: printable ASCII as is, except \ and " which get a backslash;
 * NUL, tab, newline and carriage return as \0 \t \n \r; any other byte as
 * \xNN. Writes at most outlen bytes, NUL-terminated when outlen > 0, and
 * returns the length the whole text would have. */
size_t escape_c(const uint8_t *b, size_t n, char *out, size_t outlen);

/* Lowercase hex, 2*n+1 bytes; the same contract. */
size_t bytes_to_hex(const uint8_t *b, size_t n, char *out, size_t outlen);

/* The escapes' one step: c at out[*k] when it fits with room for the NUL;
 * *k counts every byte, so that the caller can return the whole length. */
static inline void escape_put(char *out, size_t outlen, size_t *k, char c)
{
	if (*k + 1 < outlen)
		out[*k] = c;
	(*k)++;
}

#endif

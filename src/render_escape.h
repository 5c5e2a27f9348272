/* render_escape.h - making untrusted bytes safe for each output.
 *
 * CPUID bytes are untrusted: a VMM can put any 12 bytes in a signature.
 * These are the only places that turn such bytes into text. */
#ifndef PVHPROBE_ESCAPE_H
#define PVHPROBE_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/escape.h"

/* A NUL-terminated name (a file name: any byte but NUL) made printable with
 * escape_c(); returns out. */
const char *escape_name(const char *s, char *out, size_t outlen);

/* Bytes as code points U+0000..U+00FF, encoded in UTF-8 (at most 2*n+1
 * bytes): the form JSON strings need, with nothing lost. */
size_t bytes_to_utf8(const uint8_t *b, size_t n, char *out, size_t outlen);

/* A POSIX sh single-quoted word: 'abc', with ' written as '\''. Any byte
 * but NUL is safe inside single quotes. Returns the length, or the length
 * needed if outlen is too small (like snprintf). */
size_t shell_quote(const char *s, char *out, size_t outlen);

#endif

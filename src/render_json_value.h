/* render_json_value.h - the JSON values every JSON renderer builds from
 * untrusted bytes and from numbers shown in hex: one home for each, so that
 * a report, its evidence and a kernel image say them alike. */
#ifndef PVHPROBE_RENDER_JSON_VALUE_H
#define PVHPROBE_RENDER_JSON_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The longest byte string json_bytes() keeps; the rest is cut. */
#define JSON_BYTES_MAX 4096

/* Bytes as a JSON string of code points U+0000..U+00FF (bytes_to_utf8():
 * nothing lost, any byte allowed); at most JSON_BYTES_MAX bytes. NULL when
 * out of memory (jansson's setters take that as failure). */
json_t *json_bytes(const uint8_t *b, size_t n);

/* "0x%08x" for values that fit 32 bits, "0x%016x" above. */
json_t *json_hex(uint64_t v);

#endif

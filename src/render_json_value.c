/* render_json_value.c - JSON values from bytes and hex numbers
 * (render_json_value.h). */
#include "render_json_value.h"

#include <inttypes.h>
#include <stdio.h>

#include "render_escape.h"

json_t *json_bytes(const uint8_t *b, size_t n)
{
	char buf[2 * JSON_BYTES_MAX + 1];
	if (n > JSON_BYTES_MAX)
		n = JSON_BYTES_MAX;
	size_t k = bytes_to_utf8(b, n, buf, sizeof(buf));
	return json_stringn(buf, k < sizeof(buf) ? k : sizeof(buf) - 1);
}

json_t *json_hex(uint64_t v)
{
	char b[24];
	if (v <= UINT32_MAX)
		snprintf(b, sizeof(b), "0x%08" PRIx64, v);
	else
		snprintf(b, sizeof(b), "0x%016" PRIx64, v);
	return json_string(b);
}

/* fmt.h - the core's one text formatter.
 *
 * Traces, reasons, hazards and conditions are formatted here, in the hosted
 * program and in the probe guest alike, so both say the same thing byte for
 * byte. It implements the part of printf the core uses, with C's meaning:
 * flags '-', '0', '#', ' ' and '+', a width and a precision (either may be
 * '*'), the length modifiers hh, h, l, ll, z and j, and the conversions d, i,
 * u, x, X, o, c, s, p and %. No floating point, no %n. Anything else is
 * copied as it stands. tests/unit/test_fmt.c checks it against vsnprintf. */
#ifndef PVHPROBE_CORE_FMT_H
#define PVHPROBE_CORE_FMT_H

#include "base.h"

/* As vsnprintf: writes at most n bytes (always NUL-terminated when n > 0)
 * and returns the length the whole text would have. */
size_t fmt_v(char *buf, size_t n, const char *fmt, va_list ap) _printf_(3, 0);
size_t fmt(char *buf, size_t n, const char *fmt, ...) _printf_(3, 4);

#endif

/* console.h - the probe's framed, line-oriented report (docs/probe-guest.md).
 *
 * Every byte goes to COM1 (a 16550 at 0x3F8, when one answers) and to port
 * 0xE9 (QEMU -debugcon, Cloud Hypervisor --debug-console, Xen's HVM debug
 * port). Lines are ASCII, end in "\n" and are at most CON_LINE_MAX bytes: a
 * longer one continues on lines starting "+ " (Xen prints port 0xE9 text
 * in pieces of a bounded buffer). con_begin() writes the BEGIN line;
 * con_end() the END line with the count and the CRC-32 of every line from
 * BEGIN (included) up to END (excluded), "\n" included. */
#ifndef PVHPROBE_GUEST_CONSOLE_H
#define PVHPROBE_GUEST_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/base.h"

#define CON_LINE_MAX 150
#define PROBE_FORMAT 1

void con_init(void);
bool con_uart_present(void);
void con_begin(void);
void con_end(void);
/* One logical line (no "\n" in it: embedded newlines become spaces). */
void con_line(const char *fmt, ...) _printf_(1, 2);
/* A line outside the frame (after END): power-off progress, traps. */
void con_raw_line(const char *fmt, ...) _printf_(1, 2);
/* Bytes escaped as in the core's escape_c, quoted, appended to buf. */
void con_quote(char *buf, size_t n, const uint8_t *b, size_t len);

#endif

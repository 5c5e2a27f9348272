/* console.c - COM1 and port 0xE9, the frame and its CRC-32. */
#include "console.h"

#include "core/escape.h"
#include "core/fmt.h"
#include "io.h"

#define COM1 0x3f8
#define DEBUGCON 0xe9
/* Polls of LSR per byte before the UART is declared gone: a missing or
 * stuck UART must not hang the probe. */
#define LSR_SPINS 100000

static bool uart_ok;
static bool in_frame;
static uint32_t crc;     /* running CRC-32 (IEEE 802.3, reflected 0xEDB88320) */
static unsigned nlines;

/* 16550: LSR at base+5 reads 0xFF where nothing decodes the port. */
void con_init(void)
{
	if (inb(COM1 + 5) == 0xff)
		return;
	outb(COM1 + 1, 0x00);   /* IER: no interrupts */
	outb(COM1 + 3, 0x80);   /* LCR: DLAB */
	outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);   /* 8N1 */
	outb(COM1 + 2, 0xc7);   /* FIFO on, cleared */
	outb(COM1 + 4, 0x03);   /* DTR, RTS */
	uart_ok = inb(COM1 + 5) != 0xff;
}

bool con_uart_present(void)
{
	return uart_ok;
}

static void crc_byte(uint8_t b)
{
	crc ^= b;
	for (int k = 0; k < 8; k++)
		crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
}

/* One physical line is collected here, then written at once: to port
 * 0xE9 with REP OUTSB (KVM hands a string write to the VMM as one exit,
 * not one per byte: under nested KVM an exit cost about 250 us), to the
 * UART 16 bytes per THRE wait (THRE set means the 16-byte FIFO is empty),
 * each byte its own OUTB (a VMM's UART model takes one byte per write). */
static char phys[CON_LINE_MAX + 2];
static size_t nphys;

static void uart_write(const char *b, size_t n)
{
	while (uart_ok && n > 0) {
		int i = 0;
		for (; i < LSR_SPINS; i++) {
			uint8_t lsr = inb(COM1 + 5);
			if (lsr == 0xff) {
				i = LSR_SPINS;
				break;
			}
			if (lsr & 0x20)
				break;
		}
		if (i == LSR_SPINS) {
			uart_ok = false; /* gone or stuck: stop waiting on it */
			return;
		}
		size_t chunk = n < 16 ? n : 16;
		for (size_t k = 0; k < chunk; k++)
			outb(COM1, (uint8_t)b[k]);
		b += chunk;
		n -= chunk;
	}
}

static void flush_line(void)
{
	phys[nphys++] = '\n';
	if (in_frame) {
		for (size_t i = 0; i < nphys; i++)
			crc_byte((uint8_t)phys[i]);
		nlines++;
	}
	const char *p = phys;
	size_t n = nphys;
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((uint16_t)DEBUGCON) : "memory");
	uart_write(phys, nphys);
	nphys = 0;
}

/* Writes text as one or more physical lines. */
static void emit(const char *s)
{
	nphys = 0;
	for (; *s; s++) {
		char c = *s;
		if (c == '\n' || c == '\r')
			c = ' ';
		if (nphys == CON_LINE_MAX) {
			flush_line();
			phys[nphys++] = '+';
			phys[nphys++] = ' ';
		}
		phys[nphys++] = c;
	}
	flush_line();
}

static char linebuf[2048];

void con_line(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	fmt_v(linebuf, sizeof(linebuf), f, ap);
	va_end(ap);
	emit(linebuf);
}

void con_raw_line(const char *f, ...)
{
	bool was = in_frame;
	in_frame = false;
	va_list ap;
	va_start(ap, f);
	fmt_v(linebuf, sizeof(linebuf), f, ap);
	va_end(ap);
	emit(linebuf);
	in_frame = was;
}

void con_begin(void)
{
	crc = 0xffffffffu;
	nlines = 0;
	in_frame = true;
	con_line("PVHPROBE BEGIN format=%d", PROBE_FORMAT);
}

void con_end(void)
{
	in_frame = false;
	uint32_t c = crc ^ 0xffffffffu;
	con_line("PVHPROBE END lines=%u crc32=%08x", nlines, (unsigned)c);
}

void con_quote(char *buf, size_t n, const uint8_t *b, size_t len)
{
	size_t k = strlen(buf);
	if (k + 3 > n)
		return;
	size_t room = n - k - 1; /* the closing quote's byte kept back */
	buf[k++] = '"';
	room--;
	size_t w = escape_c(b, len, buf + k, room + 1);
	if (w > room - 1)
		w = room - 1;
	k += w;
	buf[k++] = '"';
	buf[k] = 0;
}

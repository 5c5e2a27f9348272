/* fmt.c - a bounded printf for the core (see fmt.h). */
#include "fmt.h"

struct out {
	char *buf;
	size_t n, len; /* capacity, characters produced so far */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, size_t k)
{
	while (k--)
		put(o, c);
}

struct spec {
	bool left, zero, alt, space, plus;
	size_t width;
	int prec; /* -1: none */
};

/* *v /= d, returning the remainder, for d <= 16, with 32-bit operations
 * only (16-bit limbs, most significant first): the 32-bit probe guest has
 * no libgcc for a 64-bit division. */
static unsigned divmod_small(uintmax_t *v, unsigned d)
{
	uintmax_t q = 0;
	uint32_t r = 0;
	for (int shift = (int)(sizeof(*v) * 8) - 16; shift >= 0; shift -= 16) {
		uint32_t cur = r << 16 | (uint32_t)(*v >> shift & 0xffff);
		q |= (uintmax_t)(cur / d) << shift;
		r = cur % d;
	}
	*v = q;
	return r;
}

/* Digits of v in base (8, 10 or 16), most significant first, into d
 * (at least 22 bytes); returns how many. */
static size_t digits(uintmax_t v, unsigned base, bool upper, char *d)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t k = 0;
	while (v > UINT32_MAX)
		tmp[k++] = set[divmod_small(&v, base)];
	uint32_t w = (uint32_t)v; /* the common case: native 32-bit division */
	do {
		tmp[k++] = set[w % base];
		w /= base;
	} while (w);
	for (size_t i = 0; i < k; i++)
		d[i] = tmp[k - 1 - i];
	return k;
}

/* sgn: a signed conversion (d, i), the only ones '+' and ' ' apply to. */
static void number(struct out *o, const struct spec *sp, uintmax_t v, bool neg, bool sgn, unsigned base, bool upper)
{
	char d[24];
	size_t nd = digits(v, base, upper, d);
	if (sp->prec == 0 && v == 0)
		nd = 0; /* "%.0d" of 0 prints no digit */
	const char *prefix = "";
	if (neg)
		prefix = "-";
	else if (sp->plus && sgn)
		prefix = "+";
	else if (sp->space && sgn)
		prefix = " ";
	else if (sp->alt && base == 16 && v != 0)
		prefix = upper ? "0X" : "0x";
	size_t zeros = 0;
	if (sp->prec >= 0 && (size_t)sp->prec > nd)
		zeros = (size_t)sp->prec - nd;
	if (sp->alt && base == 8 && zeros == 0 && (nd == 0 || d[0] != '0'))
		zeros = 1; /* "%#o" always starts with 0 */
	size_t plen = 0;
	while (prefix[plen])
		plen++;
	size_t body = plen + zeros + nd;
	size_t fill = sp->width > body ? sp->width - body : 0;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		pad(o, ' ', fill);
	for (size_t i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		pad(o, '0', fill);
	pad(o, '0', zeros);
	for (size_t i = 0; i < nd; i++)
		put(o, d[i]);
	if (sp->left)
		pad(o, ' ', fill);
}

static void string(struct out *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	size_t len = 0;
	while (s[len] && (sp->prec < 0 || len < (size_t)sp->prec))
		len++;
	size_t fill = sp->width > len ? sp->width - len : 0;
	if (!sp->left)
		pad(o, ' ', fill);
	for (size_t i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', fill);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX };

static uintmax_t arg_unsigned(va_list *ap, enum length l)
{
	switch (l) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

static intmax_t arg_signed(va_list *ap, enum length l)
{
	switch (l) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (intmax_t)va_arg(*ap, size_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

/* Parses the flags, width, precision and length of one conversion after
 * its '%'; returns the conversion character's position. */
static const char *parse_spec(const char *p, va_list *ap, struct spec *sp, enum length *l)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->zero = true;
		else if (*p == '#')
			sp->alt = true;
		else if (*p == ' ')
			sp->space = true;
		else if (*p == '+')
			sp->plus = true;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);
		if (w < 0) {
			sp->left = true;
			w = -w;
		}
		sp->width = (size_t)w;
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			sp->width = sp->width * 10 + (size_t)(*p++ - '0');
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);
			sp->prec = pr < 0 ? -1 : pr;
			p++;
		} else {
			sp->prec = 0;
			while (*p >= '0' && *p <= '9')
				sp->prec = sp->prec * 10 + (*p++ - '0');
		}
	}
	*l = LEN_INT;
	if (p[0] == 'h' && p[1] == 'h') {
		*l = LEN_CHAR;
		p += 2;
	} else if (p[0] == 'h') {
		*l = LEN_SHORT;
		p++;
	} else if (p[0] == 'l' && p[1] == 'l') {
		*l = LEN_LLONG;
		p += 2;
	} else if (p[0] == 'l') {
		*l = LEN_LONG;
		p++;
	} else if (p[0] == 'z') {
		*l = LEN_SIZE;
		p++;
	} else if (p[0] == 'j') {
		*l = LEN_MAX;
		p++;
	}
	return p;
}

size_t fmt_v(char *buf, size_t n, const char *f, va_list ap0)
{
	struct out o = { .buf = buf, .n = n };
	va_list ap;
	va_copy(ap, ap0);
	for (const char *p = f; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		const char *start = p;
		struct spec sp;
		enum length l;
		p = parse_spec(p + 1, &ap, &sp, &l);
		switch (*p) {
		case 'd':
		case 'i': {
			intmax_t v = arg_signed(&ap, l);
			uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
			number(&o, &sp, mag, v < 0, true, 10, false);
			break;
		}
		case 'u':
			number(&o, &sp, arg_unsigned(&ap, l), false, false, 10, false);
			break;
		case 'x':
		case 'X':
			number(&o, &sp, arg_unsigned(&ap, l), false, false, 16, *p == 'X');
			break;
		case 'o':
			number(&o, &sp, arg_unsigned(&ap, l), false, false, 8, false);
			break;
		case 'p': {
			const void *v = va_arg(ap, void *);
			struct spec ps = sp;
			ps.alt = true;
			if (v)
				number(&o, &ps, (uintptr_t)v, false, false, 16, false);
			else
				string(&o, &ps, "(nil)"); /* glibc's spelling */
			break;
		}
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), '\0' };
			struct spec cs = sp;
			cs.prec = 1;
			if (c[0] == '\0') { /* a NUL character is still one character */
				size_t fill = sp.width > 1 ? sp.width - 1 : 0;
				if (!sp.left)
					pad(&o, ' ', fill);
				put(&o, '\0');
				if (sp.left)
					pad(&o, ' ', fill);
			} else {
				string(&o, &cs, c);
			}
			break;
		}
		case 's':
			string(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		default: /* not ours: copy the conversion as it stands */
			for (const char *q = start; q <= p && *q; q++)
				put(&o, *q);
			if (!*p)
				p--;
			break;
		}
	}
	va_end(ap);
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return o.len;
}

size_t fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t len = fmt_v(buf, n, f, ap);
	va_end(ap);
	return len;
}

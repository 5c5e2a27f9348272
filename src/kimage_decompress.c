/* kimage_decompress.c - a bzImage payload's decompressors: xz and lzma
 * through liblzma, zstd through libzstd, when the build has them. Output is
 * bounded by KIMAGE_MAX_BYTES. Nothing here prints. */
#include "kimage_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBLZMA
#include <lzma.h>
#endif
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif

unsigned kimage_decoders(void)
{
	unsigned m = 1u << COMP_NONE;
#ifdef HAVE_LIBLZMA
	m |= 1u << COMP_XZ | 1u << COMP_LZMA;
#endif
#ifdef HAVE_LIBZSTD
	m |= 1u << COMP_ZSTD;
#endif
	return m;
}

#if defined(HAVE_LIBLZMA) || defined(HAVE_LIBZSTD)
/* Grows *out (capacity *cap) for more output, never past KIMAGE_MAX_BYTES.
 * The first allocation is the size hint when it is plausible: the kernel
 * build appends the uncompressed size to every compressed payload
 * (size_append in arch/x86/boot/compressed/Makefile), untrusted but cheap
 * to use as a first guess. */
static int grow(uint8_t **out, size_t *cap, size_t hint)
{
	if (*cap >= KIMAGE_MAX_BYTES)
		return -EFBIG;
	size_t nc = *cap ? *cap * 2 : (size_t)16 << 20;
	if (!*cap && hint > 0 && hint < KIMAGE_MAX_BYTES - 4096)
		nc = hint + 4096;
	if (nc > KIMAGE_MAX_BYTES)
		nc = KIMAGE_MAX_BYTES;
	uint8_t *n = realloc(*out, nc);
	if (!n)
		return -ENOMEM;
	*out = n;
	*cap = nc;
	return 0;
}
#endif

#ifdef HAVE_LIBLZMA
/* xz (the kernel's "xz --check=crc32 --x86 --lzma2" stream) or the legacy
 * lzma format, through liblzma; output bounded by KIMAGE_MAX_BYTES. */
static int decode_lzma(enum kimage_comp comp, const uint8_t *in, size_t inlen, size_t hint, uint8_t **out,
		       size_t *outlen, char *msg, size_t msglen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	const uint64_t memlimit = (uint64_t)256 << 20;
	lzma_ret r = comp == COMP_XZ ? lzma_stream_decoder(&s, memlimit, 0) : lzma_alone_decoder(&s, memlimit);
	if (r != LZMA_OK) {
		snprintf(msg, msglen, "liblzma could not start (error %d)", (int)r);
		return -EINVAL;
	}
	uint8_t *buf = NULL;
	size_t cap = 0;
	s.next_in = in;
	s.avail_in = inlen;
	for (;;) {
		if (s.avail_out == 0) {
			size_t used = cap;
			int g = grow(&buf, &cap, hint);
			if (g < 0) {
				snprintf(msg, msglen, "%s",
					 g == -EFBIG ? "decompresses to more than 512 MiB" : "out of memory");
				lzma_end(&s);
				free(buf);
				return g;
			}
			s.next_out = buf + used;
			s.avail_out = cap - used;
		}
		r = lzma_code(&s, LZMA_FINISH);
		if (r == LZMA_STREAM_END)
			break;
		if (r != LZMA_OK) {
			snprintf(msg, msglen, "%s data is corrupt or truncated (liblzma error %d)", kimage_comp_name(comp),
				 (int)r);
			lzma_end(&s);
			free(buf);
			return -EINVAL;
		}
	}
	*outlen = cap - s.avail_out;
	*out = buf;
	lzma_end(&s);
	return 0;
}
#endif

#ifdef HAVE_LIBZSTD
static int decode_zstd(const uint8_t *in, size_t inlen, size_t hint, uint8_t **out, size_t *outlen, char *msg,
		       size_t msglen)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds) {
		snprintf(msg, msglen, "out of memory");
		return -ENOMEM;
	}
	ZSTD_initDStream(ds);
	uint8_t *buf = NULL;
	size_t cap = 0;
	ZSTD_inBuffer ib = { in, inlen, 0 };
	ZSTD_outBuffer ob = { NULL, 0, 0 };
	for (;;) {
		if (ob.pos == ob.size) {
			int g = grow(&buf, &cap, hint);
			if (g < 0) {
				snprintf(msg, msglen, "%s",
					 g == -EFBIG ? "decompresses to more than 512 MiB" : "out of memory");
				ZSTD_freeDStream(ds);
				free(buf);
				return g;
			}
			ob.dst = buf;
			ob.size = cap;
		}
		size_t r = ZSTD_decompressStream(ds, &ob, &ib);
		if (ZSTD_isError(r)) {
			snprintf(msg, msglen, "zstd data is corrupt (%s)", ZSTD_getErrorName(r));
			ZSTD_freeDStream(ds);
			free(buf);
			return -EINVAL;
		}
		if (r == 0)
			break; /* a frame is complete: the kernel's payload is one */
		if (ib.pos == ib.size && ob.pos < ob.size) {
			snprintf(msg, msglen, "zstd data is truncated");
			ZSTD_freeDStream(ds);
			free(buf);
			return -EINVAL;
		}
	}
	*out = buf;
	*outlen = ob.pos;
	ZSTD_freeDStream(ds);
	return 0;
}
#endif

/* Decodes the payload when this build can; 0 with *out NULL when the
 * payload is the ELF itself (no copy). */
int kimage_payload_decode(enum kimage_comp comp, const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen,
			  char *msg, size_t msglen)
{
	*out = NULL;
	*outlen = 0;
	const size_t hint = inlen >= 4 ? get_le32(in + inlen - 4) : 0;
	(void)hint;
	switch (comp) {
	case COMP_NONE:
		return 0;
#ifdef HAVE_LIBLZMA
	case COMP_XZ:
	case COMP_LZMA:
		return decode_lzma(comp, in, inlen, hint, out, outlen, msg, msglen);
#endif
#ifdef HAVE_LIBZSTD
	case COMP_ZSTD:
		return decode_zstd(in, inlen, hint, out, outlen, msg, msglen);
#endif
	default:
		(void)in;
		(void)inlen;
		snprintf(msg, msglen, "no decoder for %s", kimage_comp_name(comp));
		return -ENOTSUP;
	}
}


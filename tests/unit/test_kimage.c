/* test_kimage.c - `pvhprobe kernel`: ELF notes and bzImage headers, built
 * in memory; every malformed image is an error naming the file, never a
 * read outside the buffer (run under ASan: each image is copied into a
 * buffer of exactly its size). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/base.h"
#include "kimage.h"

#ifdef HAVE_LIBLZMA
#include <lzma.h>
#endif
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif

/* ---- building images ---- */

#define IMG_MAX (1u << 20)

struct buf {
	uint8_t *b;
	size_t len;
};

static void put(struct buf *o, const void *p, size_t n)
{
	assert_true(o->len + n <= IMG_MAX);
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put_le(struct buf *o, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t c = (uint8_t)(v >> (8 * i));
		put(o, &c, 1);
	}
}

static void pad_to(struct buf *o, size_t a)
{
	static const uint8_t z[8] = { 0 };
	while (o->len % a)
		put(o, z, 1);
}

static struct buf newbuf(void)
{
	struct buf o = { calloc(1, IMG_MAX), 0 };
	assert_non_null(o.b);
	return o;
}

/* One note: name without its NUL (added), type, descriptor; align 4 or 8. */
static void note(struct buf *o, const char *name, uint32_t type, const void *desc, uint32_t dlen, size_t align)
{
	put_le(o, strlen(name) + 1, 4);
	put_le(o, dlen, 4);
	put_le(o, type, 4);
	put(o, name, strlen(name) + 1);
	pad_to(o, align);
	put(o, desc, dlen);
	pad_to(o, align);
}

static void note_u64(struct buf *o, const char *name, uint32_t type, uint64_t v)
{
	uint8_t d[8];
	for (int i = 0; i < 8; i++)
		d[i] = (uint8_t)(v >> (8 * i));
	note(o, name, type, d, 8, 4);
}

static void note_u32(struct buf *o, const char *name, uint32_t type, uint32_t v)
{
	uint8_t d[4];
	for (int i = 0; i < 4; i++)
		d[i] = (uint8_t)(v >> (8 * i));
	note(o, name, type, d, 4, 4);
}

static void note_str(struct buf *o, const char *name, uint32_t type, const char *s)
{
	note(o, name, type, s, (uint32_t)strlen(s) + 1, 4);
}

enum { WITH_PHDR = 1, WITH_SHDR = 2 };

#define NOTES_AT 0x100u

/* An ELF image: header, [PT_LOAD + PT_NOTE], notes at 0x100, [null and
 * SHT_NOTE section headers]. The offsets of the tables are returned for
 * tests that corrupt them. */
struct layout {
	size_t phoff, shoff, notes_len;
};

static struct buf elf(int cls, uint16_t machine, const struct buf *notes, unsigned with, uint64_t note_align,
		      struct layout *lay)
{
	const bool is64 = cls == 64;
	const size_t ehsize = is64 ? 64 : 52, phsize = is64 ? 56 : 32, shsize = is64 ? 64 : 40;
	const unsigned nph = with & WITH_PHDR ? 2 : 0, nsh = with & WITH_SHDR ? 2 : 0;
	struct buf o = newbuf();
	const size_t phoff = nph ? ehsize : 0;
	const size_t shoff = nsh ? NOTES_AT + ((notes->len + 7) & ~(size_t)7) : 0;
	const size_t total = (nsh ? shoff + nsh * shsize : NOTES_AT + notes->len);
	/* ident */
	const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', is64 ? 2 : 1, 1, 1, 0 };
	put(&o, ident, 16);
	put_le(&o, 2, 2);       /* ET_EXEC */
	put_le(&o, machine, 2);
	put_le(&o, 1, 4);       /* EV_CURRENT */
	put_le(&o, 0x1000000, is64 ? 8 : 4); /* e_entry */
	put_le(&o, phoff, is64 ? 8 : 4);
	put_le(&o, shoff, is64 ? 8 : 4);
	put_le(&o, 0, 4);       /* e_flags */
	put_le(&o, ehsize, 2);
	put_le(&o, phsize, 2);
	put_le(&o, nph, 2);
	put_le(&o, shsize, 2);
	put_le(&o, nsh, 2);
	put_le(&o, 0, 2);       /* e_shstrndx */
	assert_int_equal(o.len, ehsize);
	for (unsigned i = 0; i < nph; i++) {
		uint32_t type = i == 0 ? 1 : 4; /* PT_LOAD, PT_NOTE */
		uint64_t off = i == 0 ? 0 : NOTES_AT, sz = i == 0 ? total : notes->len;
		uint64_t al = i == 0 ? 0x200000 : note_align;
		if (is64) {
			put_le(&o, type, 4);
			put_le(&o, 4, 4); /* p_flags */
			put_le(&o, off, 8);
			put_le(&o, 0x1000000 + off, 8);
			put_le(&o, 0x1000000 + off, 8);
			put_le(&o, sz, 8);
			put_le(&o, sz, 8);
			put_le(&o, al, 8);
		} else {
			put_le(&o, type, 4);
			put_le(&o, off, 4);
			put_le(&o, 0x1000000 + off, 4);
			put_le(&o, 0x1000000 + off, 4);
			put_le(&o, sz, 4);
			put_le(&o, sz, 4);
			put_le(&o, 4, 4);
			put_le(&o, al, 4);
		}
	}
	assert_true(o.len <= NOTES_AT);
	o.len = NOTES_AT;
	put(&o, notes->b, notes->len);
	if (nsh) {
		o.len = shoff;
		static const uint8_t zero[64] = { 0 };
		put(&o, zero, shsize); /* section 0 */
		put_le(&o, 0, 4);     /* sh_name */
		put_le(&o, 7, 4);     /* SHT_NOTE */
		put_le(&o, 2, is64 ? 8 : 4);
		put_le(&o, 0, is64 ? 8 : 4);
		put_le(&o, NOTES_AT, is64 ? 8 : 4);
		put_le(&o, notes->len, is64 ? 8 : 4);
		put_le(&o, 0, 4);
		put_le(&o, 0, 4);
		put_le(&o, note_align, is64 ? 8 : 4);
		put_le(&o, 0, is64 ? 8 : 4);
	}
	assert_int_equal(o.len, total);
	if (lay)
		*lay = (struct layout){ phoff, shoff, notes->len };
	return o;
}

/* The usual Linux x86_64 notes (as head.S and xen-head.S emit them). */
static struct buf linux_notes(bool phys32, bool reloc)
{
	struct buf n = newbuf();
	note_str(&n, "Xen", 6, "linux");
	note_str(&n, "Xen", 5, "xen-3.0");
	note_u64(&n, "Xen", 3, 0xffffffff80000000ull);
	note(&n, "Xen", 10, "!writable_page_tables", 21, 4);
	const uint8_t id[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	note(&n, "GNU", 3, id, sizeof(id), 4);
	if (reloc) {
		const uint8_t r[12] = { 0, 0, 0x20, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff };
		note(&n, "Xen", 19, r, sizeof(r), 4);
	}
	if (phys32)
		note_u64(&n, "Xen", 18, 0x1000850);
	return n;
}

/* Parses a copy of exactly len bytes (ASan sees any read past it). */
static int parse(const uint8_t *b, size_t len, struct kimage *k)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, b, len);
	memset(k, 0, sizeof(*k));
	int r = kimage_parse("img", copy, len, k);
	free(copy);
	return r;
}

static struct kimage *kalloc(void)
{
	struct kimage *k = calloc(1, sizeof(*k));
	assert_non_null(k);
	return k;
}

static void assert_error(const struct kimage *k, int r, const char *part)
{
	assert_int_equal(r, -EINVAL);
	assert_false(k->ok);
	assert_false(kimage_pvh(k));
	assert_true(strncmp(k->err, "img: ", 5) == 0);
	if (!strstr(k->err, part))
		fail_msg("message \"%s\" lacks \"%s\"", k->err, part);
}

static const struct kimage_note *find_note(const struct kimage *k, const char *owner, uint32_t type)
{
	for (unsigned i = 0; i < k->elf.nnotes; i++) {
		const struct kimage_note *n = &k->elf.notes[i];
		if (n->type == type && n->namelen == strlen(owner) && memcmp(n->name, owner, n->namelen) == 0)
			return n;
	}
	return NULL;
}

/* ---- the fixture ---- */

/* Every test gets a zeroed struct kimage to parse into, and builds its
 * Linux vmlinux images (linux_notes() in an x86_64 ELF) through vmlinux(),
 * which keeps the buffers for teardown to free. */
struct fixture {
	struct kimage *k;
	uint8_t *owned[16];
	size_t nowned;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	fx->k = calloc(1, sizeof(*fx->k));
	if (!fx->k) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	for (size_t i = 0; i < fx->nowned; i++)
		free(fx->owned[i]);
	free(fx->k);
	free(fx);
	return 0;
}

static void own(struct fixture *fx, uint8_t *p)
{
	assert_true(fx->nowned < sizeof(fx->owned) / sizeof(fx->owned[0]));
	fx->owned[fx->nowned++] = p;
}

/* linux_notes(phys32, reloc) in a 64-bit x86 ELF with the tables `with`. */
static struct buf vmlinux(struct fixture *fx, bool phys32, bool reloc, unsigned with)
{
	struct buf n = linux_notes(phys32, reloc);
	struct buf img = elf(64, 62, &n, with, 4, NULL);
	own(fx, n.b);
	own(fx, img.b);
	return img;
}

/* ---- ELF ---- */

static void test_elf64_pvh(void **state)
{
	struct fixture *fx = *state;
	struct buf img = vmlinux(fx, true, true, WITH_PHDR | WITH_SHDR);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_true(k->ok);
	assert_int_equal(k->format, KIMAGE_ELF64);
	assert_true(kimage_pvh(k));
	assert_int_equal(k->elf.pvh, PVH_YES);
	assert_int_equal(k->elf.phys32_entry, 0x1000850);
	assert_true(k->elf.has_reloc);
	assert_int_equal(k->elf.reloc.nfields, 3);
	assert_int_equal(k->elf.reloc.align, 0x200000);
	assert_int_equal(k->elf.reloc.min, 0x1000000);
	assert_int_equal(k->elf.reloc.max, 0xffffffff);
	assert_string_equal(kimage_machine(k), "x86_64");
	assert_int_equal(k->elf.entry, 0x1000000);
	assert_int_equal(k->elf.os, KOS_LINUX);
	/* One segment and one section over the same bytes: each note once. */
	assert_int_equal(k->elf.nsegments, 1);
	assert_int_equal(k->elf.nsections, 1);
	assert_int_equal(k->elf.nnotes, 7);
	for (unsigned i = 0; i < k->elf.nnotes; i++)
		assert_true(k->elf.notes[i].in_segment && k->elf.notes[i].in_section);
	const struct kimage_note *e = find_note(k, "Xen", 18);
	assert_non_null(e);
	assert_non_null(e->known);
	assert_string_equal(e->known->name, "XEN_ELFNOTE_PHYS32_ENTRY");
	assert_true(e->has_num);
	assert_int_equal(e->num, 0x1000850);
	const struct kimage_note *g = find_note(k, "Xen", 6);
	assert_non_null(g);
	assert_int_equal(g->strlen, 5);
	assert_memory_equal(g->desc, "linux", 5);
	const struct kimage_note *f = find_note(k, "Xen", 10);
	assert_true(f->str_unterminated); /* Linux emits FEATURES with .ascii */
}

static void test_elf64_no_pvh(void **state)
{
	struct fixture *fx = *state;
	struct buf img = vmlinux(fx, false, false, WITH_PHDR);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_false(kimage_pvh(k));
	assert_int_equal(k->elf.pvh, PVH_NO_NOTE);
	assert_false(k->elf.has_phys32);
	assert_false(k->elf.has_reloc);
	/* No Xen note at all, not even GUEST_OS: the build-id alone says
	 * nothing of the OS (any GNU linker output has one: Xen's own image
	 * was once reported "linux" for it). */
	struct buf n2 = newbuf();
	const uint8_t id[4] = { 1, 2, 3, 4 };
	note(&n2, "GNU", 3, id, 4, 4);
	struct buf img2 = elf(64, 62, &n2, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(img2.b, img2.len, k), 0);
	assert_int_equal(k->elf.pvh, PVH_NO_NOTE);
	assert_int_equal(k->elf.os, KOS_UNKNOWN);
	assert_null(k->elf.os_evidence);
	/* No notes whatsoever. */
	struct buf none = newbuf();
	struct buf img3 = elf(64, 62, &none, 0, 4, NULL);
	assert_int_equal(parse(img3.b, img3.len, k), 0);
	assert_int_equal(k->elf.nnotes, 0);
	assert_int_equal(k->elf.os, KOS_UNKNOWN);
	free(img2.b);
	free(img3.b);
	free(n2.b);
	free(none.b);
}

static void test_elf32_pvh(void **state)
{
	struct fixture *fx = *state;
	struct buf n = newbuf();
	note_str(&n, "Xen", 6, "linux");
	note_u32(&n, "Xen", 18, 0x1000a00);
	struct buf img = elf(32, 3, &n, WITH_PHDR | WITH_SHDR, 4, NULL);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->format, KIMAGE_ELF32);
	assert_true(kimage_pvh(k));
	assert_int_equal(k->elf.phys32_entry, 0x1000a00);
	assert_int_equal(k->elf.phys32_descsz, 4);
	assert_string_equal(kimage_machine(k), "i386");
	assert_int_equal(k->elf.nnotes, 2);
	assert_int_equal(k->elf.os, KOS_LINUX);
	assert_non_null(strstr(k->elf.os_evidence, "GUEST_OS"));
	/* Without PHYS32_ENTRY. */
	struct buf n2 = newbuf();
	note_str(&n2, "Xen", 6, "linux");
	struct buf img2 = elf(32, 3, &n2, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(img2.b, img2.len, k), 0);
	assert_int_equal(k->elf.pvh, PVH_NO_NOTE);
	free(img.b);
	free(img2.b);
	free(n.b);
	free(n2.b);
}

/* Notes only in sections (FreeBSD-like), 8-byte aligned GNU property note,
 * and the FreeBSD note winning over GUEST_OS. */
static void test_sections_only_and_align8(void **state)
{
	struct fixture *fx = *state;
	struct buf n = newbuf();
	note_u32(&n, "FreeBSD", 1, 1500000);
	note_str(&n, "Xen", 6, "linux"); /* contradicts: the own note wins */
	note_u32(&n, "Xen", 18, 0x2c3000);
	struct buf img = elf(64, 62, &n, WITH_SHDR, 4, NULL);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->elf.nsegments, 0);
	assert_int_equal(k->elf.nsections, 1);
	assert_true(kimage_pvh(k));
	assert_int_equal(k->elf.os, KOS_FREEBSD);
	assert_false(k->elf.notes[0].in_segment);
	assert_true(k->elf.notes[0].in_section);
	const struct kimage_note *abi = find_note(k, "FreeBSD", 1);
	assert_non_null(abi);
	assert_true(abi->has_num);
	assert_int_equal(abi->num, 1500000);

	/* NetBSD: its ident note (NT_NETBSD_IDENT, __NetBSD_Version__), or
	 * only the GUEST_OS note its locore.S writes. */
	struct buf nb = newbuf();
	note_u32(&nb, "NetBSD", 1, 1100000000);
	note_u32(&nb, "Xen", 18, 0x200000);
	struct buf imgnb = elf(64, 62, &nb, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(imgnb.b, imgnb.len, k), 0);
	assert_int_equal(k->elf.os, KOS_NETBSD);
	assert_string_equal(kimage_os_name(k->elf.os), "netbsd");
	struct buf nbx = newbuf();
	note_str(&nbx, "Xen", 6, "NetBSD");
	note_u32(&nbx, "Xen", 18, 0x200000);
	struct buf imgnbx = elf(64, 62, &nbx, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(imgnbx.b, imgnbx.len, k), 0);
	assert_int_equal(k->elf.os, KOS_NETBSD);
	free(nb.b);
	free(imgnb.b);
	free(nbx.b);
	free(imgnbx.b);

	struct buf n8 = newbuf();
	const uint8_t prop[16] = { 2, 0, 0, 0xc0, 4, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 };
	note(&n8, "GNU", 5, prop, sizeof(prop), 8); /* name "GNU\0" is 4: desc at 16 */
	note(&n8, "Xen", 18, "\x00\x00\x00\x01\x00\x00\x00\x00", 8, 8);
	struct buf img8 = elf(64, 62, &n8, WITH_PHDR | WITH_SHDR, 8, NULL);
	assert_int_equal(parse(img8.b, img8.len, k), 0);
	assert_int_equal(k->elf.nnotes, 2);
	assert_true(kimage_pvh(k));
	assert_int_equal(k->elf.phys32_entry, 0x1000000);
	free(img.b);
	free(img8.b);
	free(n.b);
	free(n8.b);
}

static void test_phys32_odd_values(void **state)
{
	struct fixture *fx = *state;
	struct kimage *k = fx->k;
	/* 3-byte value */
	struct buf n = newbuf();
	note(&n, "Xen", 18, "\x00\x00\x01", 3, 4);
	struct buf img = elf(64, 62, &n, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_true(k->ok);
	assert_int_equal(k->elf.pvh, PVH_BAD_SIZE);
	assert_false(kimage_pvh(k));
	/* above 4 GiB */
	struct buf n2 = newbuf();
	note_u64(&n2, "Xen", 18, 0x100000000ull);
	struct buf img2 = elf(64, 62, &n2, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(img2.b, img2.len, k), 0);
	assert_int_equal(k->elf.pvh, PVH_ABOVE_4G);
	assert_false(kimage_pvh(k));
	/* PHYS32_RELOC with one field: the others take Xen's defaults; a
	 * note named "Xenon" or "Xe" is not Xen's. */
	struct buf n3 = newbuf();
	note_u32(&n3, "Xen", 19, 0x400000);
	note_u32(&n3, "Xenon", 18, 0x1000);
	note_u32(&n3, "Xe", 18, 0x1000);
	struct buf img3 = elf(64, 62, &n3, WITH_PHDR, 4, NULL);
	assert_int_equal(parse(img3.b, img3.len, k), 0);
	assert_int_equal(k->elf.pvh, PVH_NO_NOTE);
	assert_true(k->elf.has_reloc);
	assert_int_equal(k->elf.reloc.nfields, 1);
	assert_int_equal(k->elf.reloc.align, 0x400000);
	assert_int_equal(k->elf.reloc.min, KIMAGE_RELOC_MIN_DEFAULT);
	assert_int_equal(k->elf.reloc.max, KIMAGE_RELOC_MAX_DEFAULT);
	free(img.b);
	free(img2.b);
	free(img3.b);
	free(n.b);
	free(n2.b);
	free(n3.b);
}

/* The verdict sees every note, even past the listing's cap. */
static void test_many_notes(void **state)
{
	struct fixture *fx = *state;
	struct buf n = newbuf();
	for (int i = 0; i < KIMAGE_NOTES_MAX + 50; i++)
		note_u32(&n, "Linux", 0x101, (uint32_t)i);
	note_u32(&n, "Xen", 18, 0x1000000);
	struct buf img = elf(64, 62, &n, WITH_PHDR | WITH_SHDR, 4, NULL);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->elf.nnotes, KIMAGE_NOTES_MAX);
	assert_true(k->elf.notes_truncated);
	assert_true(kimage_pvh(k));
	free(img.b);
	free(n.b);
	/* Past KIMAGE_NOTE_WALK_MAX empty notes: refused, quickly. */
	struct buf many = { calloc(1, 12u * (KIMAGE_NOTE_WALK_MAX + 10)), 0 };
	assert_non_null(many.b);
	for (unsigned i = 0; i < KIMAGE_NOTE_WALK_MAX + 10; i++)
		many.b[many.len] = 0, many.len += 12; /* namesz 0, descsz 0, type 0 */
	uint8_t *big = calloc(1, NOTES_AT + many.len + 4096);
	assert_non_null(big);
	struct buf e = newbuf();
	struct buf hdr = elf(64, 62, &e, WITH_PHDR, 4, NULL);
	memcpy(big, hdr.b, NOTES_AT);
	/* PT_NOTE (second program header) covers the empty notes. */
	size_t ph = 64 + 56;
	uint64_t sz = many.len;
	for (int i = 0; i < 8; i++)
		big[ph + 32 + i] = (uint8_t)(sz >> (8 * i));
	assert_int_equal(parse(big, NOTES_AT + many.len, k), -EINVAL);
	assert_non_null(strstr(k->err, "more than"));
	free(big);
	free(many.b);
	free(hdr.b);
	free(e.b);
}

/* ---- malformed ELF ---- */

/* Every prefix of a valid image: an error naming the file, or (for none
 * here: the section table ends the file) a result; never a bad read. */
static void test_truncated_elf(void **state)
{
	struct fixture *fx = *state;
	struct buf img = vmlinux(fx, true, true, WITH_PHDR | WITH_SHDR);
	struct kimage *k = fx->k;
	for (size_t len = 0; len < img.len; len++) {
		int r = parse(img.b, len, k);
		assert_int_equal(r, -EINVAL);
		assert_false(k->ok);
		assert_true(strncmp(k->err, "img: ", 5) == 0);
	}
	parse(img.b, 40, k);
	assert_error(k, -EINVAL, "truncated ELF64 header");
	parse(img.b, img.len - 1, k);
	assert_error(k, -EINVAL, "section header table");
	struct buf n32 = newbuf();
	note_u32(&n32, "Xen", 18, 0x1000);
	struct buf img32 = elf(32, 3, &n32, WITH_PHDR | WITH_SHDR, 4, NULL);
	for (size_t len = 0; len < img32.len; len++)
		assert_int_equal(parse(img32.b, len, k), -EINVAL);
	assert_int_equal(parse(img32.b, img32.len, k), 0);
	free(img32.b);
	free(n32.b);
}

static void set_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_hostile_sizes(void **state)
{
	struct fixture *fx = *state;
	struct kimage *k = fx->k;
	struct buf n = newbuf();
	note_u64(&n, "Xen", 18, 0x1000000);
	struct layout lay;
	struct buf img = elf(64, 62, &n, WITH_PHDR | WITH_SHDR, 4, &lay);
	uint8_t *t = malloc(img.len);
	assert_non_null(t);

	/* namesz huge, then descsz huge, then both at the u32 maximum. */
	static const struct {
		uint32_t namesz, descsz;
	} sizes[] = { { 0xffffffffu, 8 }, { 4, 0xffffffffu }, { 0xffffffffu, 0xffffffffu }, { 4, 0xfffffff0u },
		      { 4, 9 } };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		memcpy(t, img.b, img.len);
		set_le(t + NOTES_AT, sizes[i].namesz, 4);
		set_le(t + NOTES_AT + 4, sizes[i].descsz, 4);
		assert_error(k, parse(t, img.len, k), "runs past the end of PT_NOTE segment");
	}
	/* A section table pointing past the end; at 2^64-64 (overflow). */
	static const uint64_t shoffs[] = { 0x10000, 0xffffffffffffffc0ull, 0xffffffffffffffffull };
	for (size_t i = 0; i < ARRAY_SIZE(shoffs); i++) {
		memcpy(t, img.b, img.len);
		set_le(t + 40, shoffs[i], 8); /* e_shoff */
		assert_error(k, parse(t, img.len, k), "section header table");
	}
	/* The SHT_NOTE section's own offset and size past the end. */
	memcpy(t, img.b, img.len);
	set_le(t + lay.shoff + 64 + 24, 0xfffffffffffffff0ull, 8); /* sh_offset */
	assert_error(k, parse(t, img.len, k), "SHT_NOTE section 1");
	memcpy(t, img.b, img.len);
	set_le(t + lay.shoff + 64 + 32, 0x7fffffffffffffffull, 8); /* sh_size */
	assert_error(k, parse(t, img.len, k), "SHT_NOTE section 1");
	/* PT_NOTE past the end, with an overflowing sum. */
	memcpy(t, img.b, img.len);
	set_le(t + lay.phoff + 56 + 8, 0xffffffffffffff00ull, 8); /* p_offset */
	set_le(t + lay.phoff + 56 + 32, 0x200, 8);                /* p_filesz */
	assert_error(k, parse(t, img.len, k), "PT_NOTE segment 1");
	/* Program header table: huge counts and entry sizes. */
	memcpy(t, img.b, img.len);
	set_le(t + 54, 0xffff, 2); /* e_phentsize */
	set_le(t + 56, 0xfffe, 2); /* e_phnum */
	assert_error(k, parse(t, img.len, k), "program header table");
	memcpy(t, img.b, img.len);
	set_le(t + 54, 8, 2); /* e_phentsize too small */
	assert_error(k, parse(t, img.len, k), "e_phentsize");
	/* PN_XNUM: the count in section 0's sh_info, here 2^32-1. */
	memcpy(t, img.b, img.len);
	set_le(t + 56, 0xffff, 2);
	set_le(t + lay.shoff + 44, 0xffffffffu, 4);
	assert_error(k, parse(t, img.len, k), "program header table");
	/* ... and right (2). */
	set_le(t + lay.shoff + 44, 2, 4);
	assert_int_equal(parse(t, img.len, k), 0);
	assert_true(kimage_pvh(k));
	/* e_shnum 0: the count in section 0's sh_size, here huge. */
	memcpy(t, img.b, img.len);
	set_le(t + 60, 0, 2);
	set_le(t + lay.shoff + 32, 0xffffffffffffffffull, 8);
	assert_error(k, parse(t, img.len, k), "section header table");
	/* Stray non-zero bytes after the last note. */
	struct buf n2 = newbuf();
	note_u32(&n2, "Xen", 18, 0x1000000);
	put_le(&n2, 0x0101, 4);
	struct buf img2 = elf(64, 62, &n2, WITH_PHDR, 4, NULL);
	assert_error(k, parse(img2.b, img2.len, k), "stray bytes");
	free(t);
	free(img.b);
	free(img2.b);
	free(n.b);
	free(n2.b);
}

static void test_not_an_image(void **state)
{
	struct fixture *fx = *state;
	struct kimage *k = fx->k;
	assert_error(k, parse((const uint8_t *)"", 0, k), "empty file");
	assert_error(k, parse((const uint8_t *)"hello\n", 6, k), "not a kernel image");
	assert_error(k, parse((const uint8_t *)"\x7f" "ELF", 4, k), "truncated ELF header");
	struct buf n = newbuf();
	struct buf img = elf(64, 62, &n, 0, 4, NULL);
	img.b[5] = 2; /* ELFDATA2MSB */
	assert_error(k, parse(img.b, img.len, k), "big-endian");
	img.b[5] = 1;
	img.b[4] = 3; /* ELFCLASS 3 */
	assert_error(k, parse(img.b, img.len, k), "ELF class 3");
	img.b[4] = 2;
	img.b[5] = 0;
	assert_error(k, parse(img.b, img.len, k), "data encoding");
	free(img.b);
	free(n.b);
}

/* Random corruption of a valid image never reads outside it. */
static void test_mutations(void **state)
{
	struct fixture *fx = *state;
	struct buf img = vmlinux(fx, true, true, WITH_PHDR | WITH_SHDR);
	struct kimage *k = fx->k;
	uint8_t *t = malloc(img.len);
	assert_non_null(t);
	uint32_t seed = 12345;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(t, img.b, img.len);
		for (int j = 0; j < 4; j++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % img.len;
			seed = seed * 1103515245u + 12345u;
			t[at] = (uint8_t)(seed >> 16);
		}
		int r = parse(t, img.len, k);
		assert_true(r == 0 || r == -EINVAL);
		assert_true(r == 0 ? k->ok : !k->ok && k->err[0]);
	}
	free(t);
}

/* ---- a bare note stream (/sys/kernel/notes) ---- */

static void test_note_stream(void **state)
{
	struct fixture *fx = *state;
	struct buf n = newbuf();
	const uint8_t id[20] = { 9 };
	note(&n, "GNU", 3, id, sizeof(id), 4);
	note_str(&n, "Linux", 0x100, "6.1.0-test");
	const uint8_t r[12] = { 0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0x3f };
	note(&n, "Xen", 19, r, sizeof(r), 4);
	note_u64(&n, "Xen", 18, 0x378fe00);
	struct kimage *k = fx->k;
	assert_int_equal(parse(n.b, n.len, k), 0);
	assert_int_equal(k->format, KIMAGE_NOTES);
	assert_string_equal(kimage_format_name(k->format), "notes");
	assert_true(kimage_pvh(k));
	assert_int_equal(k->elf.phys32_entry, 0x378fe00);
	assert_int_equal(k->elf.reloc.max, 0x3fffffff);
	assert_int_equal(k->elf.nnotes, 4);
	assert_false(k->elf.notes[0].in_segment || k->elf.notes[0].in_section);
	assert_null(kimage_machine(k));
	assert_int_equal(k->elf.os, KOS_LINUX);
	/* Trailing zero padding is fine; anything else is not a note stream. */
	uint8_t *t = calloc(1, n.len + 8);
	memcpy(t, n.b, n.len);
	assert_int_equal(parse(t, n.len + 8, k), 0);
	t[n.len + 1] = 1;
	assert_error(k, parse(t, n.len + 8, k), "not a kernel image");
	/* Cut short, a bad name, a zero name size: not a note stream. */
	assert_error(k, parse(n.b, n.len - 4, k), "not a kernel image");
	memcpy(t, n.b, n.len);
	t[12] = 0x1b;
	assert_error(k, parse(t, n.len, k), "not a kernel image");
	memset(t, 0, n.len);
	assert_error(k, parse(t, n.len, k), "not a kernel image");
	free(t);
	free(n.b);
}

/* ---- bzImage ---- */

/* A bzImage: setup_sects 1, the protected-mode part at 0x400, the payload
 * 0x10 into it; kernel_version string at 0x300. */
static struct buf bzimage(uint16_t version, const void *payload, uint32_t plen)
{
	struct buf o = newbuf();
	o.len = 0x410 + plen + 0x20;
	o.b[0x1f1] = 1;
	o.b[0x1fe] = 0x55;
	o.b[0x1ff] = 0xaa;
	memcpy(o.b + 0x202, "HdrS", 4);
	set_le(o.b + 0x206, version, 2);
	set_le(o.b + 0x20e, 0x100, 2);
	o.b[0x211] = 1;
	set_le(o.b + 0x236, 0x7f, 2);
	set_le(o.b + 0x248, 0x10, 4);
	set_le(o.b + 0x24c, plen, 4);
	memcpy(o.b + 0x300, "6.1.0-test #1 \x1b[2J", 18);
	memcpy(o.b + 0x410, payload, plen);
	return o;
}

static void test_bzimage_xz(void **state)
{
	struct fixture *fx = *state;
	uint8_t xz[64] = { 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00, 0x01 }; /* magic, then nonsense */
	struct buf img = bzimage(0x020f, xz, sizeof(xz));
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_true(k->ok);
	assert_int_equal(k->format, KIMAGE_BZIMAGE);
	assert_false(kimage_pvh(k));
	assert_int_equal(k->bz.version, 0x020f);
	assert_true(k->bz.has_payload);
	assert_int_equal(k->bz.payload_offset, 0x10);
	assert_int_equal(k->bz.payload_length, sizeof(xz));
	assert_int_equal(k->bz.payload_file_offset, 0x410);
	assert_int_equal(k->bz.comp, COMP_XZ);
	assert_string_equal(kimage_comp_name(k->bz.comp), "xz");
	assert_int_equal(k->bz.kver_len, 18);
	assert_string_equal(kimage_machine(k), "x86_64");
	if (kimage_decoders() & 1u << COMP_XZ) {
		assert_int_equal(k->bz.payload, PAYLOAD_BAD);
		assert_non_null(strstr(k->bz.payload_err, "xz"));
	} else {
		assert_int_equal(k->bz.payload, PAYLOAD_NO_DECODER);
	}
	assert_false(k->has_elf);

	/* Every other magic of scripts/extract-vmlinux. */
	static const struct {
		const char *m;
		size_t n;
		enum kimage_comp c;
	} mags[] = {
		{ "\x1f\x8b\x08", 3, COMP_GZIP },    { "\x28\xb5\x2f\xfd", 4, COMP_ZSTD }, { "\x5d\x00\x00\x80", 4, COMP_LZMA },
		{ "BZh9", 4, COMP_BZIP2 },           { "\x02\x21\x4c\x18", 4, COMP_LZ4 },  { "\x89LZO\x00", 5, COMP_LZO },
		{ "\x00\x01\x02\x03", 4, COMP_UNKNOWN },
	};
	for (size_t i = 0; i < ARRAY_SIZE(mags); i++) {
		uint8_t p[32] = { 0 };
		memcpy(p, mags[i].m, mags[i].n);
		struct buf b = bzimage(0x020f, p, sizeof(p));
		assert_int_equal(parse(b.b, b.len, k), 0);
		assert_int_equal(k->bz.comp, mags[i].c);
		if (mags[i].c == COMP_UNKNOWN)
			assert_int_equal(k->bz.payload, PAYLOAD_UNKNOWN_COMP);
		else if (!(kimage_decoders() & 1u << mags[i].c))
			assert_int_equal(k->bz.payload, PAYLOAD_NO_DECODER);
		free(b.b);
	}
	free(img.b);
}

static void test_bzimage_headers(void **state)
{
	struct fixture *fx = *state;
	struct kimage *k = fx->k;
	uint8_t p[16] = { 0x1f, 0x8b };
	struct buf img = bzimage(0x020f, p, sizeof(p));
	/* The payload runs past the end. */
	set_le(img.b + 0x24c, 0xffffffffu, 4);
	assert_error(k, parse(img.b, img.len, k), "payload");
	set_le(img.b + 0x24c, sizeof(p), 4);
	set_le(img.b + 0x248, 0xfffffff0u, 4);
	assert_error(k, parse(img.b, img.len, k), "runs past the end");
	set_le(img.b + 0x248, 0x10, 4);
	/* Truncated inside the header. */
	for (size_t len = 0x206; len < 0x250; len++) {
		int r = parse(img.b, len, k);
		assert_int_equal(r, -EINVAL);
	}
	/* Protocol 2.06: no payload fields, fine. */
	set_le(img.b + 0x206, 0x0206, 2);
	assert_int_equal(parse(img.b, 0x240, k), 0);
	assert_false(k->bz.has_payload);
	assert_false(k->bz.has_xloadflags);
	assert_null(kimage_machine(k));
	assert_int_equal(k->bz.payload, PAYLOAD_NOT_TRIED);
	/* kernel_version pointing past the end, or at a string without NUL. */
	set_le(img.b + 0x20e, 0xff00, 2);
	assert_int_equal(parse(img.b, 0x240, k), 0);
	assert_int_equal(k->bz.kver_len, 0);
	set_le(img.b + 0x20e, 0x3c, 2); /* string at 0x23c, 4 bytes to the end */
	memset(img.b + 0x23c, 'A', 4);
	assert_int_equal(parse(img.b, 0x240, k), 0);
	assert_int_equal(k->bz.kver_len, 4);
	/* setup_sects 0 means 4. */
	struct buf z = bzimage(0x020f, p, sizeof(p));
	z.b[0x1f1] = 0;
	set_le(z.b + 0x248, 0x10 - 3 * 512 + 0x1000, 4); /* nonsense: past the end */
	assert_error(k, parse(z.b, z.len, k), "payload");
	free(img.b);
	free(z.b);
}

static void test_bzimage_elf_payload(void **state)
{
	struct fixture *fx = *state;
	struct buf inner = vmlinux(fx, true, false, WITH_PHDR | WITH_SHDR);
	struct buf img = bzimage(0x020f, inner.b, (uint32_t)inner.len);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.comp, COMP_NONE);
	assert_int_equal(k->bz.payload, PAYLOAD_ANALYSED);
	assert_true(k->has_elf);
	assert_int_equal(k->elf.pvh, PVH_YES);
	assert_false(kimage_pvh(k)); /* the bzImage itself is not PVH-bootable */
	assert_int_equal(k->elf.phys32_entry, 0x1000850);
	/* A corrupt inner ELF: the bzImage parses, the payload is "bad". */
	memset(img.b + 0x410 + 0x28, 0xff, 8); /* e_shoff */
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.payload, PAYLOAD_BAD);
	assert_false(k->has_elf);
	assert_non_null(strstr(k->bz.payload_err, "section header table"));
	free(img.b);
}

#ifdef HAVE_LIBLZMA
/* A real xz payload, as the kernel builds it (BCJ x86 + LZMA2, CRC32). */
static void test_bzimage_xz_decoded(void **state)
{
	struct fixture *fx = *state;
	struct buf inner = vmlinux(fx, true, true, WITH_PHDR | WITH_SHDR);
	lzma_options_lzma opt;
	assert_false(lzma_lzma_preset(&opt, 6));
	lzma_filter f[] = { { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } };
	uint8_t *xz = malloc(inner.len + 1024);
	size_t xzlen = 0;
	assert_int_equal(lzma_stream_buffer_encode(f, LZMA_CHECK_CRC32, NULL, inner.b, inner.len, xz, &xzlen,
						   inner.len + 1024),
			 LZMA_OK);
	struct buf img = bzimage(0x020f, xz, (uint32_t)xzlen);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.comp, COMP_XZ);
	assert_int_equal(k->bz.payload, PAYLOAD_ANALYSED);
	assert_int_equal(k->elf.pvh, PVH_YES);
	assert_true(k->elf.has_reloc);
	/* Truncated xz stream: the payload is bad, the file still parses. */
	set_le(img.b + 0x24c, (uint32_t)xzlen / 2, 4);
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.payload, PAYLOAD_BAD);
	free(img.b);
	free(xz);
}
#endif

#ifdef HAVE_LIBZSTD
static void test_bzimage_zstd_decoded(void **state)
{
	struct fixture *fx = *state;
	struct buf inner = vmlinux(fx, true, false, WITH_PHDR | WITH_SHDR);
	size_t cap = ZSTD_compressBound(inner.len);
	uint8_t *z = malloc(cap);
	size_t zlen = ZSTD_compress(z, cap, inner.b, inner.len, 19);
	assert_false(ZSTD_isError(zlen));
	struct buf img = bzimage(0x020f, z, (uint32_t)zlen);
	struct kimage *k = fx->k;
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.comp, COMP_ZSTD);
	assert_int_equal(k->bz.payload, PAYLOAD_ANALYSED);
	assert_int_equal(k->elf.pvh, PVH_YES);
	set_le(img.b + 0x24c, (uint32_t)zlen - 5, 4);
	assert_int_equal(parse(img.b, img.len, k), 0);
	assert_int_equal(k->bz.payload, PAYLOAD_BAD);
	free(img.b);
	free(z);
}
#endif

/* ---- reading files ---- */

static void test_read_limits(void **state)
{
	struct fixture *fx = *state;
	char dir[] = "/tmp/test_kimage.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	struct kimage *k = fx->k;
	/* Larger than the limit (sparse: no disk used): refused unread. */
	snprintf(path, sizeof(path), "%s/huge", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)KIMAGE_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(kimage_load(path, k), -EFBIG);
	assert_non_null(strstr(k->err, "512 MiB"));
	assert_non_null(strstr(k->err, path));
	unlink(path);
	/* A directory; a device; a FIFO nobody writes to (opening it does not
	 * block, reading gives up after PVHPROBE_INPUT_TIMEOUT seconds, 1 here);
	 * a missing file. */
	assert_int_equal(kimage_load(dir, k), -EISDIR);
	assert_int_equal(kimage_load("/dev/null", k), -ENODEV);
	assert_non_null(strstr(k->err, "is a device"));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	setenv("PVHPROBE_INPUT_TIMEOUT", "1", 1);
	assert_int_equal(kimage_load(path, k), -ETIMEDOUT);
	unsetenv("PVHPROBE_INPUT_TIMEOUT");
	assert_non_null(strstr(k->err, "no data"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(kimage_load(path, k), -ENOENT);
	assert_non_null(strstr(k->err, "missing"));
	assert_false(k->ok);
	/* A real file round trip. */
	struct buf img = vmlinux(fx, true, false, WITH_PHDR);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(img.b, 1, img.len, f), img.len);
	fclose(f);
	assert_int_equal(kimage_load(path, k), 0);
	assert_true(kimage_pvh(k));
	assert_string_equal(k->file, path);
	unlink(path);
	rmdir(dir);
}

/* ---- renderers ---- */

static char *render(int which, const struct kimage *const *ks, size_t n, bool verbose, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	assert_non_null(f);
	struct kimage_render_opts o = { .verbose = verbose, .version = "test" };
	if (which == 0)
		render_kimage_text(f, ks, n, &o);
	else if (which == 1)
		assert_int_equal(render_kimage_json(f, ks, n, &o), 0);
	else
		render_kimage_env(f, ks, n, &o);
	fclose(f);
	return out;
}

static void test_render_hostile(void **state)
{
	(void)state;
	struct buf n = newbuf();
	note_str(&n, "Xen", 6, "lin\x1b[2J\x07ux\n'$(id)\"\\\xff");
	note(&n, "X\x1b[31m\x07", 7, "\x1b[5m", 4, 4);
	note_u64(&n, "Xen", 3, 0xffffffff80000000ull); /* above INT64_MAX */
	note_u64(&n, "Xen", 18, 0x1000000);
	struct buf img = elf(64, 62, &n, WITH_PHDR | WITH_SHDR, 4, NULL);
	struct kimage *k[3] = { kalloc(), kalloc(), kalloc() };
	assert_int_equal(parse(img.b, img.len, k[0]), 0);
	k[0]->file = "evil\x1b]0;title\x07.elf";
	assert_int_equal(parse((const uint8_t *)"junk", 4, k[1]), -EINVAL);
	uint8_t xz[8] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	struct buf bz = bzimage(0x020f, xz, sizeof(xz));
	assert_int_equal(parse(bz.b, bz.len, k[2]), 0);
	const struct kimage *const *ks = (const struct kimage *const *)k;
	for (int which = 0; which < 3; which++) {
		for (int verbose = 0; verbose < 2; verbose++) {
			size_t len;
			char *t = render(which, ks, 3, verbose, &len);
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)t[i];
				if (which != 1 && ((c < 0x20 && c != '\n') || c == 0x7f || c >= 0x80))
					fail_msg("renderer %d: raw byte %#x at %zu", which, c, i);
				if (which == 1 && c < 0x20 && c != '\n')
					fail_msg("JSON: raw control byte %#x at %zu", c, i);
			}
			if (which == 1) {
				json_error_t je;
				json_t *doc = json_loadb(t, len, 0, &je);
				if (!doc)
					fail_msg("JSON does not parse: %s", je.text);
				assert_string_equal(json_string_value(json_object_get(doc, "schema")), "pvhprobe-kernel/1");
				json_t *imgs = json_object_get(doc, "images");
				assert_int_equal(json_array_size(imgs), 3);
				json_t *i0 = json_array_get(imgs, 0);
				assert_true(json_is_true(json_object_get(i0, "pvh")));
				assert_int_equal(json_integer_value(json_object_get(i0, "phys32_entry")), 0x1000000);
				json_t *notes = json_object_get(i0, "notes");
				/* GUEST_OS: every byte kept as U+0000..U+00FF. */
				json_t *g = json_object_get(json_array_get(notes, 0), "value");
				assert_int_equal(json_string_length(g), 20 + 1); /* 20 bytes; 0xff is two in UTF-8 */
				json_t *vb = json_array_get(notes, 2);
				assert_true(json_is_null(json_object_get(vb, "value")));
				assert_string_equal(json_string_value(json_object_get(vb, "value_hex")), "0xffffffff80000000");
				json_t *i1 = json_array_get(imgs, 1);
				assert_non_null(strstr(json_string_value(json_object_get(i1, "error")), "not a kernel image"));
				assert_true(json_is_false(json_object_get(i1, "pvh")));
				json_t *i2 = json_array_get(imgs, 2);
				assert_string_equal(
					json_string_value(json_object_get(json_object_get(i2, "bzimage"), "compression")), "xz");
				json_decref(doc);
			}
			if (which == 2) {
				assert_non_null(strstr(t, "PVHPROBE_KERNEL0_PVH='1'\n"));
				assert_non_null(strstr(t, "PVHPROBE_KERNEL1_PVH_REASON='error'\n"));
				assert_non_null(strstr(t, "PVHPROBE_KERNEL2_COMPRESSION='xz'\n"));
				assert_non_null(strstr(t, "PVHPROBE_KERNEL_COUNT='3'\n"));
				assert_non_null(strstr(t, "PVHPROBE_KERNEL_PVH='0'\n"));
			}
			if (which == 0) {
				assert_non_null(strstr(t, "PVH entry at 0x1000000"));
				assert_non_null(strstr(t, "bzImage, boot protocol 2.15, xz payload"));
			}
			free(t);
		}
	}
	for (int i = 0; i < 3; i++)
		free(k[i]);
	free(img.b);
	free(bz.b);
	free(n.b);
}

static void test_tables(void **state)
{
	(void)state;
	/* The numbers of xen/include/public/elfnote.h. */
	assert_string_equal(kimage_note_type("Xen", 18)->name, "XEN_ELFNOTE_PHYS32_ENTRY");
	assert_string_equal(kimage_note_type("Xen", 19)->name, "XEN_ELFNOTE_PHYS32_RELOC");
	assert_string_equal(kimage_note_type("Xen", 6)->name, "XEN_ELFNOTE_GUEST_OS");
	assert_string_equal(kimage_note_type("Xen", 1)->name, "XEN_ELFNOTE_ENTRY");
	assert_string_equal(kimage_note_type("Xen", 2)->name, "XEN_ELFNOTE_HYPERCALL_PAGE");
	assert_string_equal(kimage_note_type("Xen", 3)->name, "XEN_ELFNOTE_VIRT_BASE");
	assert_string_equal(kimage_note_type("Xen", 5)->name, "XEN_ELFNOTE_XEN_VERSION");
	assert_string_equal(kimage_note_type("Xen", 8)->name, "XEN_ELFNOTE_LOADER");
	assert_string_equal(kimage_note_type("Xen", 10)->name, "XEN_ELFNOTE_FEATURES");
	assert_null(kimage_note_type("Xen", 20));
	assert_null(kimage_note_type("Linux", 18));
	/* Every name is unique and every enum has a name. */
	size_t n;
	const struct note_type *t = kimage_note_types(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_false(t[i].type == t[j].type && strcmp(t[i].owner, t[j].owner) == 0);
	for (int c = 0; c < _COMP_MAX; c++)
		assert_non_null(kimage_comp_name((enum kimage_comp)c));
	for (int f = 0; f < _KIMAGE_FORMAT_MAX; f++)
		assert_non_null(kimage_format_name((enum kimage_format)f));
	assert_true(kimage_decoders() & 1u << COMP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_elf64_pvh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf64_no_pvh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf32_pvh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sections_only_and_align8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phys32_odd_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_elf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_an_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mutations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_note_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_xz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_elf_payload, setup, teardown),
#ifdef HAVE_LIBLZMA
		cmocka_unit_test_setup_teardown(test_bzimage_xz_decoded, setup, teardown),
#endif
#ifdef HAVE_LIBZSTD
		cmocka_unit_test_setup_teardown(test_bzimage_zstd_decoded, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_read_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
	};
	return cmocka_run_group_tests_name("kimage", tests, NULL, NULL);
}

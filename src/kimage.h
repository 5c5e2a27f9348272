/* kimage.h - kernel images on disk: can they be PVH-booted?
 *
 * A VMM PVH-boots a kernel by loading its ELF image and jumping, in 32-bit
 * protected mode with paging off, to the physical address named by the Xen
 * ELF note XEN_ELFNOTE_PHYS32_ENTRY (xen/include/public/elfnote.h). This
 * module reads an image (bounded: KIMAGE_MAX_BYTES), walks its notes and
 * says whether that note is there. It knows two container formats:
 *
 *  - ELF32 and ELF64, little-endian: every PT_NOTE program header and every
 *    SHT_NOTE section header is walked (the same note reached both ways is
 *    listed once); the machine, the entry point and the OS (from its notes)
 *    are reported too;
 *  - the x86 bzImage (Linux boot protocol, "HdrS" at 0x202): the boot
 *    protocol version, the payload's place and compression. A bzImage cannot
 *    be PVH-booted as it is; the ELF vmlinux inside can. When the payload is
 *    an uncompressed ELF, or compressed with a format this build can decode
 *    (kimage_decoders()), the ELF inside is analysed as well;
 *  - a bare stream of notes, as Linux shows the running kernel's .notes in
 *    /sys/kernel/notes (kernel/ksysfs.c): recognised only when the whole
 *    file parses as 4-byte aligned notes with short printable owner names.
 *
 * Every offset and size read from the file is untrusted: each is checked
 * against the file size, in 64-bit arithmetic that cannot overflow, before
 * any byte is read. Parsers never print: a file that cannot be analysed
 * gets a message (naming the file and what was expected) in err. */
#ifndef PVHPROBE_KIMAGE_H
#define PVHPROBE_KIMAGE_H

#include "core/base.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KIMAGE_MAX_BYTES (512u << 20) /* larger files are refused unread */
#define KIMAGE_NOTES_MAX 128          /* notes kept for the listing */
#define KIMAGE_NOTE_WALK_MAX 65536u   /* note headers walked before giving up */
#define KIMAGE_NAME_MAX 32            /* bytes of a note's name kept */
#define KIMAGE_DESC_MAX 256           /* bytes of a note's descriptor kept */
#define KIMAGE_KVER_MAX 160           /* bytes of the bzImage version string */
#define KIMAGE_ERRMSG 512

enum kimage_format {
	KIMAGE_UNKNOWN,
	KIMAGE_ELF32,
	KIMAGE_ELF64,
	KIMAGE_BZIMAGE,
	KIMAGE_NOTES,     /* a bare note stream: /sys/kernel/notes */
	_KIMAGE_FORMAT_MAX,
	_KIMAGE_FORMAT_INVALID = -1,
};

/* "elf32", "elf64", "bzimage", "notes", "unknown". */
const char *kimage_format_name(enum kimage_format f);
enum kimage_format kimage_format_from_name(const char *s);

enum kimage_os {
	KOS_UNKNOWN,
	KOS_LINUX,
	KOS_FREEBSD,
	KOS_PVHPROBE,     /* pvhprobe's own probe guest, pvhprobe.elf */
	KOS_NETBSD,
	_KOS_MAX,
	_KOS_INVALID = -1,
};

/* "unknown", "linux", "freebsd", "pvhprobe-guest", "netbsd". */
const char *kimage_os_name(enum kimage_os os);
enum kimage_os kimage_os_from_name(const char *s);

/* What a note's descriptor holds, as its owner's header defines it. */
enum note_kind {
	NK_BYTES,    /* shown as hex */
	NK_NUMERIC,  /* an unsigned integer of 4 or 8 bytes */
	NK_STRING,   /* NUL-terminated text */
	NK_RELOC,    /* XEN_ELFNOTE_PHYS32_RELOC: up to three u32 */
};

/* One row of the note type table (kimage.c), by owner name and type. */
struct note_type {
	const char *owner;   /* "Xen", "Linux", "GNU", "FreeBSD" */
	uint32_t type;
	const char *name;    /* "XEN_ELFNOTE_PHYS32_ENTRY" */
	enum note_kind kind;
	bool decimal;        /* NK_NUMERIC read in decimal (a version, a count) */
};

/* The row for (owner, type), or NULL when the table does not know it. */
const struct note_type *kimage_note_type(const char *owner, uint32_t type);

/* The whole table, for docs and tests. */
const struct note_type *kimage_note_types(size_t *n);

struct kimage_note {
	uint8_t name[KIMAGE_NAME_MAX]; /* raw bytes, without the trailing NUL */
	size_t namelen;                /* bytes kept in name */
	bool name_truncated;
	uint32_t type;
	const struct note_type *known; /* NULL: not in the table */
	uint64_t offset;               /* file offset of the note header (in the
					* payload for a bzImage's inner ELF) */
	uint32_t descsz;               /* as the file says */
	uint8_t desc[KIMAGE_DESC_MAX]; /* the first bytes of the descriptor */
	size_t ndesc;                  /* bytes kept in desc */
	bool in_segment, in_section;   /* reached through PT_NOTE / SHT_NOTE
					* (neither: a bare note stream) */
	bool has_num;                  /* NK_NUMERIC with a 4- or 8-byte value */
	uint64_t num;
	size_t strlen;                 /* NK_STRING: bytes before the NUL (in desc) */
	bool str_unterminated;         /* no NUL within the descriptor */
};

/* Why an ELF image can or cannot be PVH-booted. */
enum pvh_verdict {
	PVH_NO_NOTE,        /* no XEN_ELFNOTE_PHYS32_ENTRY note */
	PVH_YES,            /* PHYS32_ENTRY with a 32-bit address */
	PVH_BAD_SIZE,       /* the note's descriptor is not 4 or 8 bytes */
	PVH_ABOVE_4G,       /* an 8-byte value a 32-bit entry cannot reach */
	_PVH_VERDICT_MAX,
};

/* PHYS32_RELOC (type 19): up to three u32, in the order align, min, max
 * (xen/include/public/elfnote.h); absent ones take Xen's defaults. */
#define KIMAGE_RELOC_ALIGN_DEFAULT 0x200000u
#define KIMAGE_RELOC_MIN_DEFAULT 0u
#define KIMAGE_RELOC_MAX_DEFAULT 0xffffffffu

struct kimage_reloc {
	unsigned nfields;    /* 0..3 values given */
	uint32_t align, min, max; /* defaults where not given */
};

/* A PT_LOAD program header: what a VMM copies where. */
#define KIMAGE_LOADS_MAX 64
struct kimage_load {
	uint64_t paddr, vaddr, filesz, memsz, align;
	uint32_t flags;                /* PF_X, PF_W, PF_R */
};

/* What an ELF image (or a bare note stream) says. */
struct kimage_elf {
	enum kimage_format cls;        /* KIMAGE_ELF32, KIMAGE_ELF64, or
					* KIMAGE_NOTES (no header: type,
					* machine and entry are 0) */
	uint16_t type;                 /* e_type */
	uint16_t machine;              /* e_machine */
	uint64_t entry;                /* e_entry (a virtual address) */
	uint32_t flags;                /* e_flags */
	unsigned nsegments, nsections; /* PT_NOTE / SHT_NOTE regions walked */
	struct kimage_note notes[KIMAGE_NOTES_MAX];
	unsigned nnotes;
	bool notes_truncated;          /* more notes than KIMAGE_NOTES_MAX */
	enum pvh_verdict pvh;
	bool has_phys32;               /* a PHYS32_ENTRY note was found */
	uint64_t phys32_entry;         /* its value when has_phys32 and it is numeric */
	uint32_t phys32_descsz;
	bool has_reloc;
	struct kimage_reloc reloc;
	/* Load segments, in program header order, and where the notes sat:
	 * what the VMMs' loaders look at (kimage_loaders.c). */
	struct kimage_load loads[KIMAGE_LOADS_MAX];
	unsigned nloads, loads_dropped;
	int phys32_segment;            /* index of the PT_NOTE program header whose
					* notes hold PHYS32_ENTRY; -1: a section only */
	int last_note_segment;         /* index of the last PT_NOTE program header, -1 */
	uint64_t phdr_count;           /* program headers (all types) */
	enum kimage_os os;
	const char *os_evidence;       /* static text: which note said so */
};

/* "x86_64", "i386", or NULL for any other e_machine. */
const char *kimage_machine_name(uint16_t machine);

/* Payload compression of a bzImage, from its first bytes (the magics that
 * the Linux tree's scripts/extract-vmlinux looks for). */
enum kimage_comp {
	COMP_UNKNOWN,
	COMP_NONE,     /* an ELF: CONFIG_KERNEL_UNCOMPRESSED */
	COMP_GZIP,
	COMP_XZ,
	COMP_ZSTD,
	COMP_LZMA,
	COMP_BZIP2,
	COMP_LZ4,
	COMP_LZO,
	_COMP_MAX,
	_COMP_INVALID = -1,
};

/* "unknown", "none", "gzip", "xz", "zstd", "lzma", "bzip2", "lz4", "lzo". */
const char *kimage_comp_name(enum kimage_comp c);
enum kimage_comp kimage_comp_from_name(const char *s);

/* The compressions this build can decode to look inside a bzImage, as a
 * bitmask of 1u << enum kimage_comp (COMP_NONE always). */
unsigned kimage_decoders(void);

/* Why the ELF inside a bzImage was or was not analysed. */
enum payload_state {
	PAYLOAD_NOT_TRIED,    /* protocol < 2.08: no payload fields */
	PAYLOAD_ANALYSED,     /* inner ELF analysed: see kimage.elf */
	PAYLOAD_NO_DECODER,   /* compressed with a format this build cannot decode */
	PAYLOAD_UNKNOWN_COMP, /* the magic is not one of the known ones */
	PAYLOAD_BAD,          /* decoding failed or the result is not an ELF
			       * this module reads (payload_err says why) */
	_PAYLOAD_STATE_MAX,
};

struct kimage_bzimage {
	uint16_t version;          /* boot protocol, 0x020f = 2.15 */
	uint8_t setup_sects;       /* as in the file (0 means 4) */
	uint8_t loadflags;
	bool has_xloadflags;       /* protocol 2.12+ */
	uint16_t xloadflags;
	uint8_t kver[KIMAGE_KVER_MAX]; /* kernel_version string (raw bytes) */
	size_t kver_len;
	bool has_payload;          /* protocol 2.08+ */
	uint32_t payload_offset;   /* from the start of the protected-mode code */
	uint32_t payload_length;
	uint64_t payload_file_offset;
	enum kimage_comp comp;
	enum payload_state payload;
	char payload_err[KIMAGE_ERRMSG];
};

struct kimage {
	const char *file;          /* as given, "<stdin>" for "-" (not owned) */
	enum kimage_format format;
	bool ok;                   /* read and parsed; else err says why */
	char err[KIMAGE_ERRMSG];
	bool has_elf;              /* elf holds the image's (or its payload's) ELF,
				    * or the notes of a note stream */
	struct kimage_elf elf;
	struct kimage_bzimage bz;  /* format == KIMAGE_BZIMAGE */
};

/* Can this file, as it is, be PVH-booted? (An ELF with PHYS32_ENTRY; for a
 * note stream, the kernel the notes come from.) */
bool kimage_pvh(const struct kimage *k);

/* The image's machine: the ELF's ("x86_64", "i386", "other"), or for a
 * bzImage whose ELF was not analysed, XLF_KERNEL_64 (protocol 2.12+) says
 * x86_64 or i386; NULL when nothing says. */
const char *kimage_machine(const struct kimage *k);

/* Analyses an image held in memory; name appears in messages. Returns 0,
 * or -EINVAL (unknown format, truncated, corrupt) with k->err set; k->ok
 * says the same. Never reads outside buf[0..len). */
_warn_unused_result_ int kimage_parse(const char *name, const uint8_t *buf, size_t len, struct kimage *k);

/* Reads path ("-": standard input) with input_read() (input.h: at most
 * KIMAGE_MAX_BYTES, devices refused, pipes bounded by PVHPROBE_INPUT_TIMEOUT)
 * and analyses it with kimage_parse(). Returns 0 or -errno with k->err set. */
_warn_unused_result_ int kimage_load(const char *path, struct kimage *k);

/* ---- renderers (render_kimage.c): the only code here that writes ---- */

struct kimage_render_opts {
	bool verbose;         /* every note, the headers' details */
	const char *version;  /* pvhprobe's version, for JSON */
};

/* One block per image, the answer first. */
void render_kimage_text(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o);

/* {"schema": "pvhprobe-kernel/1", ...} (schema/pvhprobe-kernel-1.json).
 * Returns 0, or -1 when the document could not be built or written. */
_warn_unused_result_ int render_kimage_json(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o);

/* PVHPROBE_KERNEL* variables, single-quoted for eval. */
void render_kimage_env(FILE *f, const struct kimage *const *ks, size_t n, const struct kimage_render_opts *o);

/* Would a VMM's loader take this ELF image for a PVH boot? Each rule is
 * read from the loader's source (docs/kernel-images.md "Loaders"). */
enum kimage_loader {
	LOADER_XEN_DOM0,      /* xen/arch/x86/hvm/dom0_build.c, xen/common/libelf */
	LOADER_XEN_DOMU,      /* tools/libs/guest (libxenguest) and libelf */
	LOADER_QEMU,          /* hw/i386/x86-common.c load_elfboot() */
	LOADER_LINUX_LOADER,  /* rust-vmm linux-loader: Firecracker, Cloud Hypervisor */
	_LOADER_MAX,
	_LOADER_INVALID = -1,
};
const char *kimage_loader_name(enum kimage_loader l);
enum kimage_loader kimage_loader_from_name(const char *s);

enum loader_verdict {
	LOADS,                /* nothing in the image that this loader refuses */
	LOADS_WITH_RISK,      /* loaded, but something will go wrong after */
	REFUSED,              /* the loader refuses the image */
	_LOADER_VERDICT_MAX,
};
const char *loader_verdict_name(enum loader_verdict v);

#define KIMAGE_LOADER_WHY 320
struct kimage_loader_result {
	enum kimage_loader loader;
	enum loader_verdict verdict;
	char why[KIMAGE_LOADER_WHY];   /* the first rule that decided, with values */
};

/* Rules every PVH loader shares, independent of the VMM: the PVH entry in
 * an executable load segment, no overlapping load segments, a relocatable
 * image whose range admits its link address. */
enum kimage_layout_issue {
	LAYOUT_ENTRY_OUTSIDE,     /* PHYS32_ENTRY in no executable PT_LOAD */
	LAYOUT_OVERLAP,           /* two PT_LOAD overlap in physical memory */
	LAYOUT_RELOC_EXCLUDES,    /* PHYS32_RELOC's [min, max] excludes the link address */
	LAYOUT_NO_LOADS,          /* no PT_LOAD at all */
	_LAYOUT_ISSUE_MAX,
};
struct kimage_layout {
	bool issue[_LAYOUT_ISSUE_MAX];
	char text[_LAYOUT_ISSUE_MAX][KIMAGE_LOADER_WHY];
	uint64_t low, high;           /* lowest p_paddr, highest p_paddr + p_memsz */
};
const char *kimage_layout_issue_name(enum kimage_layout_issue i);

/* Fills out[_LOADER_MAX] and *lay for an ELF image with a PHYS32_ENTRY
 * note (e->pvh == PVH_YES); says nothing about other images. */
void kimage_loaders(const struct kimage_elf *e, struct kimage_layout *lay, struct kimage_loader_result *out);

#endif

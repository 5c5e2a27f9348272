/* pvh_start_info.c - reading hvm_start_info, its module list, command line
 * and memory map, every access bounded (see pvh_start_info.h). */
#include "pvh_start_info.h"

static const char *const sif_names[8] = {
	"PRIVILEGED", "INITDOMAIN", "MULTIBOOT_MOD", "MOD_START_PFN", "VIRT_P2M_4TOOLS",
	NULL, NULL, NULL,
};

const char *pvh_sif_name(uint32_t bit)
{
	return bit < 8 ? sif_names[bit] : NULL;
}

static const char *const memmap_names[8] = {
	NULL, "RAM", "RESERVED", "ACPI", "NVS", "UNUSABLE", "DISABLED", "PMEM",
};

const char *pvh_memmap_type_name(uint32_t type)
{
	if (type < 8)
		return memmap_names[type];
	/* XEN_HVM_MEMMAP_TYPE_* OEM range 0xF0000001-0xF0000004 (start_info.h) */
	if (type >= 0xf0000001u && type <= 0xf0000004u)
		return "XEN_OEM";
	return NULL;
}

/* Reads a NUL-terminated string of at most max bytes at paddr. Reads in
 * 16-byte pieces so that a string ending just before unreadable memory is
 * still read; stops at the first NUL or refusal. Returns the bytes read. */
static size_t read_string(const struct pvh_mem *mem, uint64_t paddr, uint8_t *buf, size_t max,
			  bool *terminated, uint16_t *len)
{
	size_t got = 0;
	*terminated = false;
	*len = 0;
	while (got < max) {
		size_t chunk = max - got < 16 ? max - got : 16;
		if (!pvh_mem_get(mem, paddr + got, buf + got, chunk)) {
			/* the last bytes before a boundary, one at a time */
			while (got < max && pvh_mem_get(mem, paddr + got, buf + got, 1)) {
				if (buf[got] == 0) {
					*terminated = true;
					*len = (uint16_t)got;
					return got + 1;
				}
				got++;
			}
			break;
		}
		for (size_t i = 0; i < chunk; i++) {
			if (buf[got + i] == 0) {
				*terminated = true;
				*len = (uint16_t)(got + i);
				return got + i + 1;
			}
		}
		got += chunk;
	}
	*len = (uint16_t)got;
	return got;
}

static void read_modules(const struct pvh_mem *mem, struct pvh_start_info *si)
{
	struct pvh_findings *fs = &si->findings;
	if (si->modlist_paddr != 0 && si->nr_modules == 0)
		pvh_findings_add(fs, PF_SI_MODLIST_NO_MODULES, si->modlist_paddr);
	if (si->nr_modules == 0)
		return;
	if (si->modlist_paddr == 0) {
		pvh_findings_add(fs, PF_SI_MODULES_NO_MODLIST, si->nr_modules);
		return;
	}
	uint32_t n = si->nr_modules;
	if (n > PVH_MODULES_MAX) {
		pvh_findings_add(fs, PF_SI_MODULES_TRUNCATED, n);
		n = PVH_MODULES_MAX;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t at = si->modlist_paddr + (uint64_t)i * PVH_MODLIST_ENTRY_SIZE;
		uint8_t b[PVH_MODLIST_ENTRY_SIZE];
		if (!pvh_mem_get(mem, at, b, sizeof(b))) {
			pvh_findings_add(fs, PF_SI_MODULE_UNREADABLE, at);
			break;
		}
		struct pvh_module *m = &si->modules[si->modules_read++];
		m->read = true;
		m->paddr = pvh_le64(b);
		m->size = pvh_le64(b + 8);
		m->cmdline_paddr = pvh_le64(b + 16);
		m->reserved = pvh_le64(b + 24);
		if (m->cmdline_paddr != 0) {
			size_t got = read_string(mem, m->cmdline_paddr, m->cmdline, sizeof(m->cmdline),
						 &m->cmdline_terminated, &m->cmdline_len);
			m->cmdline_read = got > 0;
			if (got == 0)
				pvh_findings_add(fs, PF_SI_MODULE_CMDLINE_UNREADABLE, m->cmdline_paddr);
		}
	}
}

static bool is_ram(const struct pvh_memmap_entry *e)
{
	return e->type == PVH_MEM_RAM && e->size != 0 && e->addr + e->size > e->addr;
}

/* The parts of [0, 1 MiB) no RAM entry covers. Each step either moves
 * past a RAM entry or records a hole up to the next RAM start, so it ends
 * within 2n + 2 steps; the bound is there all the same. */
static void low_holes(struct pvh_start_info *si)
{
	const uint64_t mib = 0x100000;
	uint64_t at = 0;
	for (uint32_t step = 0; at < mib && step < 2 * si->memmap_read + 2; step++) {
		bool moved = false;
		for (uint32_t i = 0; i < si->memmap_read; i++) {
			const struct pvh_memmap_entry *e = &si->memmap[i];
			if (is_ram(e) && e->addr <= at && at < e->addr + e->size) {
				at = e->addr + e->size;
				moved = true;
			}
		}
		if (moved)
			continue;
		uint64_t next = mib;
		for (uint32_t i = 0; i < si->memmap_read; i++) {
			const struct pvh_memmap_entry *e = &si->memmap[i];
			if (is_ram(e) && e->addr > at && e->addr < next)
				next = e->addr;
		}
		if (si->low_holes_n < PVH_LOW_HOLES_MAX) {
			si->low_holes[si->low_holes_n].start = (uint32_t)at;
			si->low_holes[si->low_holes_n].end = (uint32_t)next;
			si->low_holes_n++;
		}
		pvh_findings_add(&si->findings, PF_SI_MEMMAP_LOW_HOLE, at << 32 | next);
		at = next;
	}
}

static void read_memmap(const struct pvh_mem *mem, struct pvh_start_info *si)
{
	struct pvh_findings *fs = &si->findings;
	if (si->memmap_paddr == 0) {
		pvh_findings_add(fs, PF_SI_MEMMAP_ABSENT, 0);
		return;
	}
	if (si->memmap_entries == 0) {
		pvh_findings_add(fs, PF_SI_MEMMAP_NO_ENTRIES, 0);
		return;
	}
	uint32_t n = si->memmap_entries;
	if (n > PVH_MEMMAP_MAX) {
		pvh_findings_add(fs, PF_SI_MEMMAP_TRUNCATED, n);
		n = PVH_MEMMAP_MAX;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t at = si->memmap_paddr + (uint64_t)i * PVH_MEMMAP_ENTRY_SIZE;
		uint8_t b[PVH_MEMMAP_ENTRY_SIZE];
		if (!pvh_mem_get(mem, at, b, sizeof(b))) {
			pvh_findings_add(fs, PF_SI_MEMMAP_UNREADABLE, at);
			break;
		}
		struct pvh_memmap_entry *e = &si->memmap[si->memmap_read++];
		e->addr = pvh_le64(b);
		e->size = pvh_le64(b + 8);
		e->type = pvh_le32(b + 16);
		e->reserved = pvh_le32(b + 20);
		if (!pvh_memmap_type_name(e->type))
			pvh_findings_add(fs, PF_SI_MEMMAP_TYPE_UNKNOWN, e->type);
		if (e->size == 0 || e->addr + e->size < e->addr)
			pvh_findings_add(fs, PF_SI_MEMMAP_EMPTY_ENTRY, i);
		if (is_ram(e))
			si->ram_bytes += e->size;
	}
	/* overlaps: every pair, at most 128 * 127 / 2 comparisons */
	for (uint32_t j = 1; j < si->memmap_read; j++) {
		const struct pvh_memmap_entry *b = &si->memmap[j];
		if (b->size == 0 || b->addr + b->size < b->addr)
			continue;
		for (uint32_t i = 0; i < j; i++) {
			const struct pvh_memmap_entry *a = &si->memmap[i];
			if (a->size == 0 || a->addr + a->size < a->addr)
				continue;
			if (a->addr < b->addr + b->size && b->addr < a->addr + a->size) {
				pvh_findings_add(fs, PF_SI_MEMMAP_OVERLAP, j);
				break;
			}
		}
	}
	if (si->memmap_read > 0 && si->ram_bytes == 0)
		pvh_findings_add(fs, PF_SI_MEMMAP_NO_RAM, 0);
	if (si->memmap_read > 0)
		low_holes(si);
}

bool pvh_start_info_parse(const struct pvh_mem *mem, uint32_t paddr, struct pvh_start_info *si)
{
	*si = (struct pvh_start_info){ .paddr = paddr };
	struct pvh_findings *fs = &si->findings;
	if (paddr == 0) {
		pvh_findings_add(fs, PF_SI_ABSENT, 0);
		return false;
	}
	uint8_t b[PVH_START_INFO_V1_SIZE];
	if (!pvh_mem_get(mem, paddr, b, PVH_START_INFO_V0_SIZE)) {
		pvh_findings_add(fs, PF_SI_UNREADABLE, paddr);
		return false;
	}
	si->read = true;
	si->magic = pvh_le32(b);
	si->version = pvh_le32(b + 4);
	si->flags = pvh_le32(b + 8);
	si->nr_modules = pvh_le32(b + 12);
	si->modlist_paddr = pvh_le64(b + 16);
	si->cmdline_paddr = pvh_le64(b + 24);
	si->rsdp_paddr = pvh_le64(b + 32);
	if (si->magic != PVH_START_MAGIC) {
		/* Nothing else can be trusted to be a start_info. */
		pvh_findings_add(fs, PF_SI_MAGIC, si->magic);
		return false;
	}
	si->magic_ok = true;
	if (si->version > 1)
		pvh_findings_add(fs, PF_SI_VERSION_NEWER, si->version);
	uint32_t known = PVH_SIF_PRIVILEGED | PVH_SIF_INITDOMAIN | PVH_SIF_MULTIBOOT_MOD |
			 PVH_SIF_MOD_START_PFN | PVH_SIF_VIRT_P2M_4TOOLS | PVH_SIF_PM_MASK;
	if (si->flags & ~known)
		pvh_findings_add(fs, PF_SI_FLAGS_UNKNOWN, si->flags & ~known);

	if (si->cmdline_paddr != 0) {
		struct pvh_cmdline *c = &si->cmdline;
		c->paddr = si->cmdline_paddr;
		size_t got = read_string(mem, c->paddr, c->bytes, sizeof(c->bytes), &c->terminated, &c->len);
		c->read = got > 0;
		if (got == 0)
			pvh_findings_add(fs, PF_SI_CMDLINE_UNREADABLE, c->paddr);
		else if (!c->terminated)
			pvh_findings_add(fs, PF_SI_CMDLINE_UNTERMINATED, got);
	}
	read_modules(mem, si);
	if (si->rsdp_paddr == 0)
		pvh_findings_add(fs, PF_SI_RSDP_ABSENT, 0);

	if (si->version == 0) {
		pvh_findings_add(fs, PF_SI_VERSION0, 0);
		return true;
	}
	if (!pvh_mem_get(mem, paddr + PVH_START_INFO_V0_SIZE, b + PVH_START_INFO_V0_SIZE,
			 PVH_START_INFO_V1_SIZE - PVH_START_INFO_V0_SIZE)) {
		pvh_findings_add(fs, PF_SI_UNREADABLE, paddr + PVH_START_INFO_V0_SIZE);
		return true;
	}
	si->v1_read = true;
	si->memmap_paddr = pvh_le64(b + 40);
	si->memmap_entries = pvh_le32(b + 48);
	si->reserved = pvh_le32(b + 52);
	if (si->reserved != 0)
		pvh_findings_add(fs, PF_SI_RESERVED_NONZERO, si->reserved);
	read_memmap(mem, si);
	return true;
}

bool pvh_memmap_covers(const struct pvh_start_info *si, uint64_t addr, uint64_t len)
{
	if (addr + len < addr)
		return false;
	for (uint32_t i = 0; i < si->memmap_read; i++) {
		const struct pvh_memmap_entry *e = &si->memmap[i];
		if (e->addr + e->size < e->addr)
			continue;
		if (addr >= e->addr && addr + len <= e->addr + e->size)
			return true;
	}
	return false;
}

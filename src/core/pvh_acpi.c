/* pvh_acpi.c - RSDP, root table, table headers, FADT and \_S5_, bounded
 * (see pvh_acpi.h). */
#include "pvh_acpi.h"

#define HDR_LEN 36
#define CHUNK 256

static uint8_t sum_bytes(const uint8_t *b, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + b[i]);
	return s;
}

/* The byte sum of [paddr, paddr + len), read in chunks. False when any
 * chunk is refused. */
static bool sum_range(const struct pvh_mem *mem, uint64_t paddr, uint32_t len, uint8_t *sum)
{
	uint8_t buf[CHUNK];
	uint8_t s = 0;
	for (uint32_t off = 0; off < len; off += CHUNK) {
		uint32_t n = len - off < CHUNK ? len - off : CHUNK;
		if (!pvh_mem_get(mem, paddr + off, buf, n))
			return false;
		s = (uint8_t)(s + sum_bytes(buf, n));
	}
	*sum = s;
	return true;
}

/* Reads a table header at paddr; checks the length bounds and the checksum.
 * Returns false (with a finding) when the header cannot be read. */
static bool read_header(const struct pvh_mem *mem, uint64_t paddr, struct pvh_acpi_header *h,
			struct pvh_findings *fs)
{
	uint8_t b[HDR_LEN];
	*h = (struct pvh_acpi_header){ .paddr = paddr };
	if (!pvh_mem_get(mem, paddr, b, sizeof(b))) {
		pvh_findings_add(fs, PF_ACPI_TABLE_UNREADABLE, paddr);
		return false;
	}
	pvh_copy(h->signature, b, 4);
	h->length = pvh_le32(b + 4);
	h->revision = b[8];
	pvh_copy(h->oem_id, b + 10, 6);
	pvh_copy(h->oem_table_id, b + 16, 8);
	h->oem_revision = pvh_le32(b + 24);
	pvh_copy(h->creator_id, b + 28, 4);
	h->creator_revision = pvh_le32(b + 32);
	if (h->length < HDR_LEN || h->length > PVH_ACPI_TABLE_LEN_MAX) {
		pvh_findings_add(fs, PF_ACPI_TABLE_LENGTH, paddr);
		return true;
	}
	uint8_t s;
	if (!sum_range(mem, paddr, h->length, &s))
		pvh_findings_add(fs, PF_ACPI_TABLE_UNREADABLE, paddr);
	else if (s != 0)
		pvh_findings_add(fs, PF_ACPI_TABLE_CHECKSUM, paddr);
	else
		h->checksum_ok = true;
	return true;
}

static bool header_usable(const struct pvh_acpi_header *h)
{
	return h->length >= HDR_LEN && h->length <= PVH_ACPI_TABLE_LEN_MAX;
}

/* 16-byte boundaries in [start, end), read CHUNK bytes at a time. */
static uint64_t scan_range(const struct pvh_mem *mem, uint64_t start, uint64_t end)
{
	uint8_t buf[CHUNK];
	for (uint64_t at = start; at < end; at += CHUNK) {
		uint32_t n = end - at < CHUNK ? (uint32_t)(end - at) : CHUNK;
		if (!pvh_mem_get(mem, at, buf, n))
			continue;
		for (uint32_t i = 0; i + 20 <= n; i += 16)
			if (pvh_bytes_eq(buf + i, "RSD PTR ", 8) && sum_bytes(buf + i, 20) == 0)
				return at + i;
	}
	return 0;
}

/* Where Linux's acpi_find_root_pointer() and the ACPI specification
 * (5.2.5.1) look on a legacy BIOS: the first KiB of the EBDA, whose
 * segment is the u16 at 0x40E, then 0xE0000-0xFFFFF. */
static uint64_t scan_rsdp(const struct pvh_mem *mem)
{
	uint8_t seg[2];
	if (pvh_mem_get(mem, 0x40e, seg, 2)) {
		uint64_t ebda = (uint64_t)pvh_le16(seg) << 4;
		if (ebda >= 0x400 && ebda < 0xa0000) {
			uint64_t r = scan_range(mem, ebda, ebda + 1024);
			if (r)
				return r;
		}
	}
	return scan_range(mem, 0xe0000, 0x100000);
}

static void read_gas(const uint8_t *b, struct pvh_acpi_gas *g)
{
	g->space = b[0];
	g->bit_width = b[1];
	g->bit_offset = b[2];
	g->access_size = b[3];
	g->address = pvh_le64(b + 4);
}

bool pvh_aml_find_s5(const uint8_t *aml, size_t n, uint8_t *typ_a, uint8_t *typ_b)
{
	for (size_t i = 0; i + 5 <= n; i++) {
		if (!pvh_bytes_eq(aml + i, "_S5_", 4) || aml[i + 4] != 0x12)
			continue;
		/* NameOp, possibly with a root prefix, before the name */
		if (!(i >= 1 && aml[i - 1] == 0x08) && !(i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08))
			continue;
		size_t p = i + 5;
		if (p >= n)
			return false;
		/* PkgLength: bits 7-6 of the lead byte count the bytes that follow */
		p += 1 + (size_t)(aml[p] >> 6);
		if (p >= n)
			continue;
		p++; /* NumElements */
		uint8_t v[2];
		bool ok = true;
		for (int k = 0; k < 2 && ok; k++) {
			if (p >= n) {
				ok = false;
			} else if (aml[p] == 0x0a) {
				if (p + 1 >= n)
					ok = false;
				else
					v[k] = aml[p + 1];
				p += 2;
			} else if (aml[p] == 0x00 || aml[p] == 0x01) {
				v[k] = aml[p];
				p++;
			} else if (aml[p] == 0xff) {
				v[k] = 0xff; /* OnesOp */
				p++;
			} else {
				ok = false;
			}
		}
		if (!ok)
			continue;
		*typ_a = v[0];
		*typ_b = v[1];
		return true;
	}
	return false;
}

static void read_dsdt(const struct pvh_mem *mem, struct pvh_acpi *a)
{
	struct pvh_findings *fs = &a->findings;
	if (a->dsdt_paddr == 0) {
		pvh_findings_add(fs, PF_ACPI_DSDT_UNREADABLE, 0);
		return;
	}
	if (!read_header(mem, a->dsdt_paddr, &a->dsdt, fs) || !header_usable(&a->dsdt)) {
		pvh_findings_add(fs, PF_ACPI_DSDT_UNREADABLE, a->dsdt_paddr);
		return;
	}
	/* A DSDT whose checksum cannot be verified is still searched: a
	 * sleep type from it is only ever used to try to power off. */
	a->dsdt_ok = a->dsdt.checksum_ok;
	/* Windows of CHUNK + 32 bytes: a package starting in one window's
	 * first CHUNK bytes ends within it (at most 17 bytes from "_S5_"). */
	uint8_t buf[CHUNK + 32];
	uint32_t len = a->dsdt.length;
	for (uint32_t off = HDR_LEN; off < len; off += CHUNK) {
		uint32_t back = off > HDR_LEN ? 2 : 0; /* the NameOp and '\' before */
		uint32_t room = (uint32_t)sizeof(buf) - back;
		uint32_t n = len - off < room ? len - off : room;
		if (!pvh_mem_get(mem, a->dsdt_paddr + off - back, buf, n + back))
			break;
		if (pvh_aml_find_s5(buf, n + back, &a->s5_typ_a, &a->s5_typ_b)) {
			a->s5_found = true;
			return;
		}
	}
	pvh_findings_add(fs, PF_ACPI_S5_ABSENT, 0);
}

static void read_fadt(const struct pvh_mem *mem, struct pvh_acpi *a)
{
	struct pvh_findings *fs = &a->findings;
	uint8_t b[276];
	uint32_t len = a->fadt.length < sizeof(b) ? a->fadt.length : (uint32_t)sizeof(b);
	if (len < 116 || !pvh_mem_get(mem, a->fadt.paddr, b, len)) {
		pvh_findings_add(fs, PF_ACPI_FADT_SHORT, a->fadt.length);
		return;
	}
	a->dsdt_paddr = pvh_le32(b + 40);
	a->pm1a_cnt = pvh_le32(b + 64);
	a->pm1b_cnt = pvh_le32(b + 68);
	a->fadt_flags = pvh_le32(b + 112);
	a->hw_reduced = (a->fadt_flags >> 20) & 1;
	if (len >= 148 && pvh_le64(b + 140) != 0)
		a->dsdt_paddr = pvh_le64(b + 140);
	if (len >= 196) {
		read_gas(b + 172, &a->x_pm1a_cnt);
		read_gas(b + 184, &a->x_pm1b_cnt);
		a->has_x_pm1 = a->x_pm1a_cnt.address != 0;
	}
	if (len >= 256) {
		read_gas(b + 244, &a->sleep_control);
		a->has_sleep_control = a->sleep_control.address != 0;
	}
	if (len >= 276) {
		pvh_copy(a->hv_vendor, b + 268, 8);
		a->has_hv_vendor = true;
	}
	read_dsdt(mem, a);
}

/* The root table's entries (4 or 8 bytes each), at most
 * PVH_ACPI_TABLES_MAX of them. */
static void read_tables(const struct pvh_mem *mem, struct pvh_acpi *a, uint32_t width)
{
	struct pvh_findings *fs = &a->findings;
	uint32_t count = (a->root.length - HDR_LEN) / width;
	if (count > PVH_ACPI_TABLES_MAX) {
		pvh_findings_add(fs, PF_ACPI_TABLES_TRUNCATED, count);
		count = PVH_ACPI_TABLES_MAX;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint8_t e[8];
		if (!pvh_mem_get(mem, a->root.paddr + HDR_LEN + (uint64_t)i * width, e, width)) {
			pvh_findings_add(fs, PF_ACPI_TABLE_UNREADABLE, a->root.paddr + HDR_LEN + (uint64_t)i * width);
			break;
		}
		uint64_t at = width == 8 ? pvh_le64(e) : pvh_le32(e);
		struct pvh_acpi_header *h = &a->tables[a->ntables];
		if (!read_header(mem, at, h, fs))
			continue;
		a->ntables++;
		if (!a->fadt_found && pvh_bytes_eq(h->signature, "FACP", 4) && header_usable(h)) {
			a->fadt_found = true;
			a->fadt = *h;
		}
	}
}

/* Reads and checks the root table at paddr; true when usable: readable,
 * of a sane length, with a right checksum. A wrong signature alone is a
 * finding, not a reason to drop the table. Seen with pvhprobe.elf as a Xen
 * 4.17 PVH dom0 on QEMU pc (SeaBIOS, RSDP revision 0): the dom0's XSDT
 * has right entries and checksum but the header bytes of physical address
 * 0, the real-mode IVT (signature "S\xff\0\xf0"). Xen's
 * pvh_setup_acpi_xsdt() (xen/arch/x86/hvm/dom0_build.c) copied the header
 * from the RSDP's xsdt_physical_address, which a revision-0 RSDP does not
 * have; later Xen copies the RSDT's header in that case. */
static bool read_root(const struct pvh_mem *mem, struct pvh_acpi *a, uint64_t paddr, const char *sig)
{
	struct pvh_findings scratch = { 0 };
	if (!read_header(mem, paddr, &a->root, &scratch) || !header_usable(&a->root) ||
	    !a->root.checksum_ok)
		return false;
	if (!pvh_bytes_eq(a->root.signature, sig, 4))
		pvh_findings_add(&a->findings, PF_ACPI_ROOT_SIGNATURE, paddr);
	return true;
}

bool pvh_acpi_parse(const struct pvh_mem *mem, uint64_t rsdp_paddr, bool scan, struct pvh_acpi *a)
{
	*a = (struct pvh_acpi){ .rsdp_paddr = rsdp_paddr };
	struct pvh_findings *fs = &a->findings;
	if (rsdp_paddr == 0) {
		if (scan)
			a->rsdp_paddr = scan_rsdp(mem);
		if (a->rsdp_paddr == 0) {
			pvh_findings_add(fs, PF_ACPI_RSDP_NOT_FOUND, 0);
			return false;
		}
		a->rsdp_scanned = true;
		pvh_findings_add(fs, PF_ACPI_RSDP_SCANNED, a->rsdp_paddr);
	}
	uint8_t b[36];
	if (!pvh_mem_get(mem, a->rsdp_paddr, b, 20)) {
		pvh_findings_add(fs, PF_ACPI_RSDP_UNREADABLE, a->rsdp_paddr);
		return false;
	}
	if (!pvh_bytes_eq(b, "RSD PTR ", 8)) {
		pvh_findings_add(fs, PF_ACPI_RSDP_SIGNATURE, a->rsdp_paddr);
		return false;
	}
	if (sum_bytes(b, 20) != 0) {
		pvh_findings_add(fs, PF_ACPI_RSDP_CHECKSUM, sum_bytes(b, 20));
		return false;
	}
	a->rsdp_ok = true;
	pvh_copy(a->rsdp_oem_id, b + 9, 6);
	a->rsdp_revision = b[15];
	a->rsdt_paddr = pvh_le32(b + 16);
	if (a->rsdp_revision >= 2) {
		/* ACPI 2.0+: length (36 for every revision so far) and the
		 * extended checksum over it */
		if (!pvh_mem_get(mem, a->rsdp_paddr + 20, b + 20, 16) || pvh_le32(b + 20) != 36 ||
		    sum_bytes(b, 36) != 0)
			pvh_findings_add(fs, PF_ACPI_RSDP_EXT_CHECKSUM, pvh_le32(b + 20));
		else
			a->xsdt_paddr = pvh_le64(b + 24);
	}
	if (a->xsdt_paddr != 0) {
		if (read_root(mem, a, a->xsdt_paddr, "XSDT")) {
			a->root_ok = true;
			read_tables(mem, a, 8);
		} else {
			pvh_findings_add(fs, PF_ACPI_XSDT_UNREADABLE, a->xsdt_paddr);
		}
	}
	if (!a->root_ok && a->rsdt_paddr != 0) {
		if (read_root(mem, a, a->rsdt_paddr, "RSDT")) {
			a->root_ok = true;
			read_tables(mem, a, 4);
		} else {
			pvh_findings_add(fs, PF_ACPI_RSDT_UNREADABLE, a->rsdt_paddr);
		}
	}
	if (!a->root_ok)
		return true;
	if (!a->fadt_found) {
		pvh_findings_add(fs, PF_ACPI_FADT_ABSENT, 0);
		return true;
	}
	read_fadt(mem, a);
	return true;
}

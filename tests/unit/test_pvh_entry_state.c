/* test_pvh_entry_state.c - the entry state against the PVH ABI, with the
 * GDTs of QEMU's pvh.bin and Firecracker (FACTS.md section 6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/pvh_entry_state.h"
#include "memimg.h"

#define GDT_AT 0x500u

/* Firecracker's GDT at 0x500: null, code 0xc09b, data 0xc093, TSS
 * (flags 0x808b: present 32-bit busy TSS, limit 0x67, base 0). */
static uint8_t gdt[32];
static struct memimg m;
static struct pvh_mem mem;

static void desc(int i, uint32_t base, uint32_t limit, uint16_t flags)
{
	uint8_t *d = gdt + 8 * i;
	d[0] = (uint8_t)limit;
	d[1] = (uint8_t)(limit >> 8);
	d[2] = (uint8_t)base;
	d[3] = (uint8_t)(base >> 8);
	d[4] = (uint8_t)(base >> 16);
	d[5] = (uint8_t)flags;
	d[6] = (uint8_t)(((flags >> 8) & 0xf0) | ((limit >> 16) & 0xf));
	d[7] = (uint8_t)(base >> 24);
}

/* What LAR returns for a descriptor: bits 8-23 of its high dword. */
static uint32_t lar_of(int i)
{
	const uint8_t *d = gdt + 8 * i;
	return ((uint32_t)d[5] << 8 | (uint32_t)d[6] << 16) & 0x00f0ff00u;
}

static void seg(struct pvh_entry_raw *r, enum pvh_seg_reg s, int i, uint32_t limit)
{
	r->seg[s] = (struct pvh_seg_raw){ .sel = (uint32_t)i * 8, .lar_ok = 1, .lar = lar_of(i),
					  .lsl_ok = 1, .limit = limit };
}

static void firecracker(struct pvh_entry_raw *r)
{
	memset(gdt, 0, sizeof(gdt));
	desc(1, 0, 0xfffff, 0xc09b);
	desc(2, 0, 0xfffff, 0xc093);
	desc(3, 0, 0x67, 0x008b);
	m = (struct memimg){ 0 };
	memimg_add(&m, GDT_AT, gdt, sizeof(gdt));
	mem = memimg_mem(&m);
	*r = (struct pvh_entry_raw){ .ebx = 0x6000, .cr0 = 0x11, .eflags = 0x2,
				     .gdtr_base = GDT_AT, .gdtr_limit = 31 };
	seg(r, PVH_SEG_CS, 1, 0xffffffffu);
	seg(r, PVH_SEG_DS, 2, 0xffffffffu);
	seg(r, PVH_SEG_ES, 2, 0xffffffffu);
	seg(r, PVH_SEG_SS, 2, 0xffffffffu);
	seg(r, PVH_SEG_FS, 2, 0xffffffffu);
	seg(r, PVH_SEG_GS, 2, 0xffffffffu);
	seg(r, PVH_SEG_TR, 3, 0x67);
}

static struct pvh_entry_state st;

static void test_firecracker_clean(void **state)
{
	(void)state;
	struct pvh_entry_raw r;
	firecracker(&r);
	pvh_entry_check(&r, &mem, &st);
	assert_int_equal(st.findings.n, 0);
	assert_true(st.seg[PVH_SEG_TR].desc_read);
	assert_true(st.seg[PVH_SEG_CS].checked);
}

static void test_control_registers(void **state)
{
	(void)state;
	struct pvh_entry_raw r;
	firecracker(&r);
	r.cr0 = 0x80000010u; /* PG, no PE */
	r.cr4 = 0x20;
	r.eflags = 0x2 | (1u << 9) | (1u << 8) | (1u << 17);
	r.efer_valid = 1;
	r.efer_lo = 0x100;
	pvh_entry_check(&r, &mem, &st);
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CR0_PE_CLEAR));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CR0_EXTRA));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CR4_NONZERO));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_EFLAGS_IF));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_EFLAGS_TF));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_EFLAGS_VM));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_EFER_LME));
	/* ET alone is not a deviation (Firecracker, Xen: PE|ET) */
	firecracker(&r);
	r.cr0 = 0x1;
	pvh_entry_check(&r, &mem, &st);
	assert_int_equal(st.findings.n, 0);
}

static void test_segments_bad(void **state)
{
	(void)state;
	struct pvh_entry_raw r;
	firecracker(&r);
	desc(1, 0x1000, 0xfffff, 0xc09b);  /* CS base 0x1000 */
	desc(2, 0, 0xfffff, 0xc091);       /* data read-only */
	r.seg[PVH_SEG_DS].lar = lar_of(2);
	r.seg[PVH_SEG_CS].lar = 0x00409b00u & ~(1u << 22); /* 16-bit */
	r.seg[PVH_SEG_SS].limit = 0xffff;
	r.seg[PVH_SEG_ES].lar_ok = 0;
	r.seg[PVH_SEG_ES].sel = 0x38; /* past the GDT limit */
	desc(3, 0x2000, 0x67, 0x0089);
	r.seg[PVH_SEG_TR].limit = 0x68;
	pvh_entry_check(&r, &mem, &st);
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CS_NOT_FLAT));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CS_NOT_32BIT));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_DS_TYPE));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_SS_NOT_FLAT));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_ES_UNVERIFIABLE));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_TR_BASE));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_TR_LIMIT));
	assert_false(pvh_findings_has(&st.findings, PF_ENTRY_TR_TYPE));
}

/* No LAR or LSL (the probe runs them only when the VMM's GDT is in RAM):
 * the same checks on the descriptor bytes. */
static void test_from_descriptors(void **state)
{
	(void)state;
	struct pvh_entry_raw r;
	firecracker(&r);
	for (int i = 0; i < _PVH_SEG_MAX; i++)
		r.seg[i].lar_ok = r.seg[i].lsl_ok = 0;
	pvh_entry_check(&r, &mem, &st);
	assert_int_equal(st.findings.n, 0);
	for (int i = 0; i < _PVH_SEG_MAX; i++) {
		assert_true(st.seg[i].from_gdt);
		assert_int_equal(st.seg[i].lar, lar_of((int)(r.seg[i].sel / 8)));
	}
	assert_int_equal(st.seg[PVH_SEG_CS].limit, 0xffffffffu);
	assert_int_equal(st.seg[PVH_SEG_TR].limit, 0x67);
	/* a 16-bit code segment, a TSS limit of 0x68, seen in the bytes */
	desc(1, 0, 0xffff, 0x009b);
	desc(3, 0, 0x68, 0x008b);
	pvh_entry_check(&r, &mem, &st);
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CS_NOT_32BIT));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CS_NOT_FLAT));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_TR_LIMIT));
}

static void test_unverifiable(void **state)
{
	(void)state;
	struct pvh_entry_raw r;
	firecracker(&r);
	/* a null TR (QEMU's pvh.bin loads none), a GDTR past memory */
	r.seg[PVH_SEG_TR] = (struct pvh_seg_raw){ 0 };
	r.gdtr_base = 0xfffffff0u;
	r.gdtr_limit = 0xffff;
	pvh_entry_check(&r, &mem, &st);
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_TR_UNVERIFIABLE));
	assert_false(st.seg[PVH_SEG_CS].desc_read);
	assert_true(st.seg[PVH_SEG_CS].checked);
	assert_int_equal(st.findings.n, 1);
	/* no accessor at all */
	pvh_entry_check(&r, NULL, &st);
	assert_int_equal(st.findings.n, 1);
	/* neither LAR nor the GDT: every checked segment unverifiable */
	for (int i = 0; i < _PVH_SEG_MAX; i++)
		r.seg[i].lar_ok = r.seg[i].lsl_ok = 0;
	pvh_entry_check(&r, &mem, &st);
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_CS_UNVERIFIABLE));
	assert_true(pvh_findings_has(&st.findings, PF_ENTRY_SS_UNVERIFIABLE));
	assert_false(st.seg[PVH_SEG_CS].checked);
	assert_string_equal(pvh_seg_name(PVH_SEG_TR), "tr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firecracker_clean),
		cmocka_unit_test(test_control_registers),
		cmocka_unit_test(test_segments_bad),
		cmocka_unit_test(test_from_descriptors),
		cmocka_unit_test(test_unverifiable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

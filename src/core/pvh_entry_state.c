/* pvh_entry_state.c - the entry state against the PVH ABI (see
 * pvh_entry_state.h for the rules and where they come from). */
#include "pvh_entry_state.h"

static const char *const seg_names[_PVH_SEG_MAX] = {
	[PVH_SEG_CS] = "cs", [PVH_SEG_DS] = "ds", [PVH_SEG_ES] = "es", [PVH_SEG_SS] = "ss",
	[PVH_SEG_FS] = "fs", [PVH_SEG_GS] = "gs", [PVH_SEG_TR] = "tr",
};

const char *pvh_seg_name(enum pvh_seg_reg r)
{
	return (unsigned)r < _PVH_SEG_MAX ? seg_names[r] : "?";
}

/* LAR bits (Intel SDM vol. 2, LAR): 8-11 type, 12 S, 13-14 DPL, 15 P,
 * 20 AVL, 21 L, 22 D/B, 23 G. */
#define LAR_TYPE(l)  (((l) >> 8) & 0xfu)
#define LAR_S        (1u << 12)
#define LAR_P        (1u << 15)
#define LAR_L        (1u << 21)
#define LAR_DB       (1u << 22)
#define TYPE_CODE    0x8u
#define TYPE_CODE_R  0x2u
#define TYPE_DATA_W  0x2u
#define TYPE_DATA_ED 0x4u

/* Per segment register: its unverifiable, not-flat and type findings. */
static const enum pvh_finding_id seg_findings[_PVH_SEG_MAX][3] = {
	[PVH_SEG_CS] = { PF_ENTRY_CS_UNVERIFIABLE, PF_ENTRY_CS_NOT_FLAT, PF_ENTRY_CS_TYPE },
	[PVH_SEG_DS] = { PF_ENTRY_DS_UNVERIFIABLE, PF_ENTRY_DS_NOT_FLAT, PF_ENTRY_DS_TYPE },
	[PVH_SEG_ES] = { PF_ENTRY_ES_UNVERIFIABLE, PF_ENTRY_ES_NOT_FLAT, PF_ENTRY_ES_TYPE },
	[PVH_SEG_SS] = { PF_ENTRY_SS_UNVERIFIABLE, PF_ENTRY_SS_NOT_FLAT, PF_ENTRY_SS_TYPE },
};

/* Reads the 8-byte GDT descriptor of sel; false for a null or LDT
 * selector, one past the GDT limit, or a refused read. Fills base, and the
 * access rights and limit as LAR and LSL would return them (Intel SDM
 * vol. 2: LAR gives bits 8-23 of the high dword, masked with 0x00F0FF00;
 * LSL the limit scaled by G). */
static bool read_desc(const struct pvh_entry_raw *raw, const struct pvh_mem *mem, uint32_t sel,
		      struct pvh_seg_view *v, uint32_t *lar, uint32_t *limit)
{
	if (!mem || (sel & 0xfff8u) == 0 || (sel & 4u) != 0 || (sel | 7u) > raw->gdtr_limit)
		return false;
	uint8_t d[8];
	if (!pvh_mem_get(mem, (uint64_t)raw->gdtr_base + (sel & 0xfff8u), d, sizeof(d)))
		return false;
	v->base = (uint32_t)d[2] | (uint32_t)d[3] << 8 | (uint32_t)d[4] << 16 | (uint32_t)d[7] << 24;
	*limit = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)(d[6] & 0xf) << 16;
	if (d[6] & 0x80)
		*limit = *limit << 12 | 0xfffu;
	*lar = ((uint32_t)d[5] << 8 | (uint32_t)d[6] << 16) & 0x00f0ff00u;
	return true;
}

static void check_seg(const struct pvh_entry_raw *raw, const struct pvh_mem *mem,
		      enum pvh_seg_reg r, struct pvh_entry_state *st)
{
	const struct pvh_seg_raw *s = &raw->seg[r];
	struct pvh_seg_view *v = &st->seg[r];
	uint32_t dlar = 0, dlimit = 0;
	v->desc_read = read_desc(raw, mem, s->sel, v, &dlar, &dlimit);
	if (s->lar_ok && s->lsl_ok) {
		v->lar = s->lar;
		v->limit = s->limit;
		v->known = true;
	} else if (v->desc_read) {
		v->lar = s->lar_ok ? s->lar : dlar;
		v->limit = s->lsl_ok ? s->limit : dlimit;
		v->from_gdt = true;
		v->known = true;
	}
	if (r == PVH_SEG_FS || r == PVH_SEG_GS)
		return; /* unspecified */
	if (r == PVH_SEG_TR) {
		if (!v->known) {
			pvh_findings_add(&st->findings, PF_ENTRY_TR_UNVERIFIABLE, s->sel);
			return;
		}
		v->checked = true;
		uint32_t t = LAR_TYPE(v->lar);
		if ((v->lar & (LAR_P | LAR_S)) != LAR_P || (t != 0x9 && t != 0xb))
			pvh_findings_add(&st->findings, PF_ENTRY_TR_TYPE, v->lar);
		if (v->desc_read && v->base != 0)
			pvh_findings_add(&st->findings, PF_ENTRY_TR_BASE, v->base);
		if (v->limit != 0x67)
			pvh_findings_add(&st->findings, PF_ENTRY_TR_LIMIT, v->limit);
		return;
	}
	const enum pvh_finding_id *f = seg_findings[r];
	if (!v->known) {
		pvh_findings_add(&st->findings, f[0], s->sel);
		return;
	}
	v->checked = true;
	uint32_t t = LAR_TYPE(v->lar);
	bool present = (v->lar & (LAR_P | LAR_S)) == (LAR_P | LAR_S);
	if (r == PVH_SEG_CS) {
		if (!present || !(t & TYPE_CODE) || !(t & TYPE_CODE_R))
			pvh_findings_add(&st->findings, f[2], v->lar);
		if (!(v->lar & LAR_DB) || (v->lar & LAR_L))
			pvh_findings_add(&st->findings, PF_ENTRY_CS_NOT_32BIT, v->lar);
	} else {
		if (!present || (t & TYPE_CODE) || !(t & TYPE_DATA_W) || (t & TYPE_DATA_ED))
			pvh_findings_add(&st->findings, f[2], v->lar);
	}
	if (v->limit != 0xffffffffu || (v->desc_read && v->base != 0))
		pvh_findings_add(&st->findings, f[1], v->limit);
}

void pvh_entry_check(const struct pvh_entry_raw *raw, const struct pvh_mem *mem,
		     struct pvh_entry_state *st)
{
	*st = (struct pvh_entry_state){ .raw = *raw };
	struct pvh_findings *fs = &st->findings;
	st->efer = (uint64_t)raw->efer_hi << 32 | raw->efer_lo;

	if (!(raw->cr0 & PVH_CR0_PE))
		pvh_findings_add(fs, PF_ENTRY_CR0_PE_CLEAR, raw->cr0);
	if (raw->cr0 & ~(PVH_CR0_PE | PVH_CR0_ET))
		pvh_findings_add(fs, PF_ENTRY_CR0_EXTRA, raw->cr0 & ~(PVH_CR0_PE | PVH_CR0_ET));
	if (raw->cr4 != 0)
		pvh_findings_add(fs, PF_ENTRY_CR4_NONZERO, raw->cr4);
	if (raw->eflags & (1u << 17))
		pvh_findings_add(fs, PF_ENTRY_EFLAGS_VM, raw->eflags);
	if (raw->eflags & (1u << 9))
		pvh_findings_add(fs, PF_ENTRY_EFLAGS_IF, raw->eflags);
	if (raw->eflags & (1u << 8))
		pvh_findings_add(fs, PF_ENTRY_EFLAGS_TF, raw->eflags);
	if (raw->efer_valid && (st->efer & (1u << 8)))
		pvh_findings_add(fs, PF_ENTRY_EFER_LME, st->efer);
	for (int r = 0; r < _PVH_SEG_MAX; r++)
		check_seg(raw, mem, (enum pvh_seg_reg)r, st);
}

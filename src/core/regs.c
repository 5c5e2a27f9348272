/* regs.c - helpers for CPUID register values. */
#include "regs.h"

void regs_signature(const struct cpuid_regs *r, uint8_t sig[CPUID_SIG_LEN])
{
	/* The kernels memcpy their u32 signature[3] arrays on little-endian x86.
	 * Spell the byte order out instead, so a dump replayed on any host gives
	 * the same bytes. */
	const uint32_t v[3] = { r->ebx, r->ecx, r->edx };
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			sig[i * 4 + b] = (uint8_t)(v[i] >> (8 * b));
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 TLB instructions, for mm/tlb.c only.  invlpg drops the
 * translation of one page (global or not, for the current PCID) and every
 * paging-structure cache entry of the current PCID; a CR4.PGE toggle drops
 * everything for every PCID; INVPCID does either without a CR3 write.
 */
#ifndef _ASM_X86_TLBFLUSH_H
#define _ASM_X86_TLBFLUSH_H

#include <exo/types.h>
#include <asm/processor.h>

#define CR3_NOFLUSH		(1UL << 63)
#define CR3_PCID_MASK		0xfffUL

#define INVPCID_ADDR		0	/* one address, one PCID */
#define INVPCID_CONTEXT		1	/* one PCID, globals kept */
#define INVPCID_ALL_GLOBAL	2	/* everything, globals included */
#define INVPCID_ALL_NONGLOBAL	3	/* everything but globals */

static __always_inline void __invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static __always_inline void __invpcid(unsigned long pcid, unsigned long addr,
				      unsigned long type)
{
	struct { u64 d[2]; } desc = { { pcid, addr } };

	__asm__ __volatile__("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

/* Everything, globals included, all PCIDs: toggle CR4.PGE (or reload CR3). */
static __always_inline void __flush_tlb_global_cr4(void)
{
	unsigned long cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3() & ~CR3_NOFLUSH);
	}
}

#endif

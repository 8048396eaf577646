/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 TLB instructions, for arch/x86/mm/tlb.c (and one fast path of
 * mm/pgtable.c, arch_flush_tlb_kernel_page_local()).  invlpg drops the
 * translation of one page (global or not, for the current PCID) and every
 * paging-structure cache entry of the current PCID; a CR4.PGE toggle drops
 * everything for every PCID; INVPCID does either without a CR3 write.
 */
#ifndef _ASM_X86_TLBFLUSH_H
#define _ASM_X86_TLBFLUSH_H

#include <exo/types.h>
#include <exo/percpu.h>
#include <exo/smp.h>
#include <exo/tlb.h>
#include <asm/cpufeature.h>
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

/* PCIDs are on for this CPU: cr4_init() found them and set CR4.PCIDE. */
static inline bool tlb_cpu_has_pcid(void)
{
	return read_cr4() & X86_CR4_PCIDE;
}

/* INVPCID may be used on this CPU (with PCIDs on). */
static inline bool tlb_cpu_has_invpcid(void)
{
	return IS_ENABLED(CONFIG_X86_INVPCID) && this_cpu_has(X86_FEATURE_INVPCID);
}

DECLARE_PER_CPU(struct tlb_stats, tlb_stats);

/**
 * arch_flush_tlb_kernel_page_local() - flush one kernel page if only this CPU runs
 * @va: the page
 *
 * Call with interrupts disabled.  Kernel entries are global, so invlpg is
 * the whole job when no other CPU is online.
 * Return: false if other CPUs are online: the caller must run the full
 * flush_tlb_mm_range() (with interrupts enabled).
 */
static __always_inline bool arch_flush_tlb_kernel_page_local(unsigned long va)
{
	/* The cleared entry must be visible before a CPU coming online is missed. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (BITS_TO_LONGS(NR_CPUS) != 1 ||
	    READ_ONCE(cpu_online_mask.bits[0]) != 1UL << smp_processor_id())
		return false;
	__invlpg(va);
	this_cpu_add(tlb_stats.local_page_flushes, 1);
	this_cpu_add(tlb_stats.pages_flushed, 1);
	return true;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 TLB instructions, and the hooks the generic TLB code (mm/tlb.c)
 * and one fast path of mm/pgtable.c (arch_flush_tlb_kernel_page_local())
 * flush with; arch/x86/mm/tlb.c keeps the per-CPU PCID state.  invlpg drops the
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

/* The counters of <exo/tlb.h>, defined in mm/tlb.c. */
DECLARE_PER_CPU(struct tlb_stats, tlb_stats);

/*
 * This CPU's bit in cpu_online_mask.bits[0] (1UL << cpu; 0 for a CPU
 * beyond the first word), set by tlb_cpu_init(): 0 before it, which no
 * online mask equals (the running boot CPU, or another, is in it), so a
 * CPU on its way up never takes itself for the only one.
 */
DECLARE_PER_CPU(unsigned long, tlb_cpu_bit);

/*
 * Arch hooks of mm/tlb.c.  Each flushes this CPU only; call them with
 * interrupts or preemption disabled.  The generic code counts the flushes
 * (tlb_stats) and picks the hook: the range up to the ceiling, else a full
 * flush; with address-space ids (tlb_pcid_enabled()) a kernel range whose
 * page tables were freed takes arch_tlb_flush_local_all(), because
 * arch_tlb_flush_local_range() only cleans the current id's
 * paging-structure caches.
 */

/**
 * arch_tlb_flush_local_all() - flush everything on this CPU
 *
 * Global entries and every PCID included: INVPCID type 2 when the CPU has
 * it, else a CR4.PGE toggle.
 */
void arch_tlb_flush_local_all(void);

/**
 * arch_tlb_flush_local_mm() - flush the loaded address space on this CPU
 *
 * The non-global entries of the current PCID: INVPCID type 1 when the CPU
 * has PCID and INVPCID, else a CR3 reload without the no-flush bit.
 */
void arch_tlb_flush_local_mm(void);

/**
 * arch_tlb_flush_local_range() - flush @n pages from @start on this CPU
 * @start: first address
 * @n: number of flushes, each @stride_shift apart
 * @stride_shift: PAGE_SHIFT, or the shift of the huge leaf mapping the range
 *
 * One invlpg per page (per huge leaf): the translation, global or not, for
 * the current PCID, and that PCID's paging-structure caches.  @n pages, not
 * "up to an end": a range may end at 2^64.
 */
static __always_inline void arch_tlb_flush_local_range(unsigned long start, unsigned long n,
						       unsigned int stride_shift)
{
	for (unsigned long i = 0, va = start; i < n; i++, va += 1UL << stride_shift)
		__invlpg(va);
}

/**
 * arch_tlb_show_features() - print tlbinfo's first line
 *
 * PCID and INVPCID on or off, CR4, and tlb_single_page_flush_ceiling.
 */
void arch_tlb_show_features(void);

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
	unsigned long me;

	/* The cleared entry must be visible before a CPU coming online is missed. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/*
	 * Races with set_cpu_online() on a CPU coming up, on purpose: that
	 * CPU's seq_cst fetch_or pairs with the fence above, and smpboot
	 * flushes the CPU's whole TLB (global entries too) only after it.
	 * Either this read sees the new bit and the caller shoots the CPU
	 * down, or the CPU's flush comes after the cleared entry is visible.
	 * data_race(), not READ_ONCE(): one aligned word read once, after
	 * the fence (also a compiler barrier), and a volatile or atomic load
	 * would not fold into the compare (one more instruction on the
	 * unmap_page() fast path).
	 */
	me = this_cpu_read(tlb_cpu_bit);
	if (BITS_TO_LONGS(NR_CPUS) != 1 || data_race(cpu_online_mask.bits[0]) != me)
		return false;
	__invlpg(va);
	this_cpu_add(tlb_stats.local_page_flushes, 1);
	this_cpu_add(tlb_stats.pages_flushed, 1);
	return true;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLB maintenance: local flushes, IPI shootdowns, address-space switches
 * (with PCIDs / ASIDs where the CPU has them) and their per-CPU counters.
 * mm/tlb.c implements the shootdowns and counters over the hooks of
 * <asm/tlbflush.h>; the architecture implements the switch and the
 * address-space ids (x86: arch/x86/mm/tlb.c).  The hosted arch has a fake
 * TLB of its own, arch/hosted/tlb.c.  See Documentation/mm/vm.rst.
 *
 * The page-table code calls flush_tlb_mm_range() after every change that
 * removes or restricts a translation; users normally never call anything
 * here except flush_tlb()/flush_tlb_all() (the contract) and tlb_stats.
 */
#ifndef _EXO_TLB_H
#define _EXO_TLB_H

#include <exo/types.h>

struct mm_struct;

/**
 * flush_tlb() - flush the translation of @virt on every CPU that may cache it
 * @virt: any address; kernel-half addresses are flushed on all online CPUs,
 *	lower-half ones on the CPUs that have the current address space loaded
 */
void flush_tlb(unsigned long virt);

/* Flush every translation, global ones included, on every online CPU. */
void flush_tlb_all(void);

/* flush_tlb_mm_range() flags */
#define TLB_FLUSH_FULL		0x1	/* page tables were freed: flush all of it */

/**
 * flush_tlb_mm_range() - flush [@start, @end) of @mm everywhere it may be cached
 * @mm: the address space whose tables changed (init_mm for the kernel half)
 * @start: first address
 * @end: end (exclusive)
 * @stride_shift: PAGE_SHIFT, or PMD_SHIFT/PUD_SHIFT when the range is one
 *	huge leaf (one single-page flush per huge page is enough)
 * @flags: TLB_FLUSH_FULL when page-table pages were unlinked (their
 *	paging-structure cache entries must go too)
 *
 * Flushes locally (page by page, or everything past the ceiling),
 * then one IPI round to the other CPUs that may cache the range, and
 * returns once they all have flushed.  Call with interrupts enabled and no
 * spinlock held (the IPIs are waited for).
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, unsigned int flags);

/* Pages above which a local flush is a full flush instead of page by page (default 33). */
extern unsigned int tlb_single_page_flush_ceiling;

/**
 * struct tlb_stats - per-CPU TLB event counters (tlbinfo)
 */
struct tlb_stats {
	unsigned long local_page_flushes;	/* single-page flushes executed */
	unsigned long full_flushes;		/* whole-TLB or whole-PCID flushes */
	unsigned long pages_flushed;		/* pages covered by flushes */
	unsigned long shootdowns_sent;		/* IPIs sent (one per target CPU) */
	unsigned long shootdown_rounds;		/* IPI rounds (one per range) */
	unsigned long shootdowns_received;	/* IPIs handled */
	unsigned long lazy_ipis_avoided;	/* CPUs skipped: running another mm */
	unsigned long switches;			/* switch_mm() that changed CR3 */
	unsigned long switch_flushes;		/* switches that flushed the TLB */
};

/**
 * tlb_get_stats() - CPU @cpu's counters (zeros if not possible), or the sum for @cpu < 0
 * @cpu: logical CPU number or -1
 * @st: result
 */
void tlb_get_stats(int cpu, struct tlb_stats *st);

/* Whether this CPU runs with PCID (resp. has INVPCID). */
bool tlb_pcid_enabled(void);
bool tlb_invpcid_enabled(void);

/**
 * tlb_cpu_init() - TLB state of the calling CPU
 *
 * Uses PCIDs (and INVPCID) when the architecture turned them on for this
 * CPU (x86: cr4_init(), which must run first), flushes everything, loads
 * init_mm and marks it loaded here.  The boot CPU runs it from
 * paging_init(); every AP must call it once, early, on its own stack.
 */
void tlb_cpu_init(void);

#endif /* _EXO_TLB_H */

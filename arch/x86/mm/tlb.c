// SPDX-License-Identifier: GPL-2.0
/*
 * x86 TLB: PCID address-space switches and the local flush primitives
 * behind the hooks of <asm/tlbflush.h>.  Which CPUs flush what, the
 * flush ceiling and the counters are generic: mm/tlb.c.
 *
 * PCID: each CPU has TLB_NR_ASIDS slots (PCIDs 1..TLB_NR_ASIDS).  A slot
 * remembers which address space (ctx_id, never reused) it holds and the
 * mm->tlb_gen it is up to date with.  switch_mm() reuses a slot with no
 * flush (CR3 bit 63) when its generation is current, and otherwise (stale
 * or newly assigned slot, round robin) loads CR3 without that bit, which
 * flushes that PCID only.  switch_mm() sets its bit in mm->cpus before it
 * reads mm->tlb_gen: the other half of mm/tlb.c's lazy-mode ordering.
 */
#define pr_fmt(fmt) "tlb: " fmt

#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

#define TLB_NR_ASIDS	6

struct asid_slot {
	u64 ctx_id;		/* 0: free */
	u64 gen;		/* mm->tlb_gen this PCID is up to date with */
};

/* All zero (no PCID, init_mm) until tlb_cpu_init(), as in the per-CPU template. */
struct cpu_tlbstate {
	struct mm_struct *loaded_mm;
	unsigned int asid;		/* slot of loaded_mm (PCID = asid + 1) */
	unsigned int next_asid;		/* round-robin victim */
	bool pcid;
	bool invpcid;
	struct asid_slot slots[TLB_NR_ASIDS];
};

static DEFINE_PER_CPU(struct cpu_tlbstate, cpu_tlbstate);
DEFINE_PER_CPU(unsigned long, tlb_cpu_bit);

#define stat_add(field, n)	this_cpu_add(tlb_stats.field, n)

static struct cpu_tlbstate *this_tlbstate(void)
{
	return this_cpu_ptr(&cpu_tlbstate);
}

struct mm_struct *current_mm(void)
{
	struct mm_struct *mm = this_tlbstate()->loaded_mm;

	return likely(mm) ? mm : &init_mm;
}

bool tlb_pcid_enabled(void)
{
	return this_tlbstate()->pcid;
}

bool tlb_invpcid_enabled(void)
{
	return this_tlbstate()->invpcid;
}

/* ---------------------------------------------------------------------
 * Local flushes (interrupts or preemption disabled).
 */

void arch_tlb_flush_local_all(void)
{
	if (this_tlbstate()->invpcid)
		__invpcid(0, 0, INVPCID_ALL_GLOBAL);
	else
		__flush_tlb_global_cr4();
}

void arch_tlb_flush_local_mm(void)
{
	struct cpu_tlbstate *st = this_tlbstate();

	if (st->pcid && st->invpcid)
		__invpcid(st->asid + 1, 0, INVPCID_CONTEXT);
	else
		write_cr3(read_cr3() & ~CR3_NOFLUSH);	/* flushes the current PCID */
}

void arch_tlb_show_features(void)
{
	printk(KERN_INFO "PCID %s, INVPCID %s, CR4 %#lx, single-page flush ceiling %u pages\n",
	       tlb_pcid_enabled() ? "on" : "off", tlb_invpcid_enabled() ? "on" : "off",
	       read_cr4(), tlb_single_page_flush_ceiling);
}

/* ---------------------------------------------------------------------
 * Address-space switches.
 */

static int find_asid(const struct cpu_tlbstate *st, u64 ctx_id)
{
	for (int i = 0; i < TLB_NR_ASIDS; i++)
		if (st->slots[i].ctx_id == ctx_id)
			return i;
	return -1;
}

void switch_mm(struct mm_struct *next)
{
	unsigned long irqflags = arch_local_irq_save();
	struct cpu_tlbstate *st = this_tlbstate();
	struct mm_struct *prev = st->loaded_mm;
	unsigned int cpu = smp_processor_id();
	unsigned long cr3 = next->pgd_phys;
	bool flush = true;

	if (prev == next)
		goto out;
	/* Become a shootdown target before reading the generation (see top). */
	cpumask_set_cpu(cpu, &next->cpus);
	if (!cpumask_test_cpu(cpu, &next->cpus_ever))
		cpumask_set_cpu(cpu, &next->cpus_ever);
	if (st->pcid) {
		u64 gen = __atomic_load_n(&next->tlb_gen, __ATOMIC_SEQ_CST);
		int slot = find_asid(st, next->ctx_id);

		if (slot < 0) {
			slot = st->next_asid;
			st->next_asid = (st->next_asid + 1) % TLB_NR_ASIDS;
			st->slots[slot].ctx_id = next->ctx_id;
		} else {
			flush = st->slots[slot].gen != gen;
		}
		st->slots[slot].gen = gen;
		st->asid = slot;
		cr3 |= (slot + 1) | (flush ? 0 : CR3_NOFLUSH);
	}
	write_cr3(cr3);
	st->loaded_mm = next;
	if (prev)
		cpumask_clear_cpu(cpu, &prev->cpus);
	stat_add(switches, 1);
	if (flush)
		stat_add(switch_flushes, 1);
out:
	arch_local_irq_restore(irqflags);
}

/* ---------------------------------------------------------------------
 * Per-CPU bring-up.
 */

void tlb_cpu_init(void)
{
	struct cpu_tlbstate *st = this_cpu_ptr(&cpu_tlbstate);
	unsigned long irqflags = arch_local_irq_save();

	memset(st, 0, sizeof(*st));
	st->pcid = tlb_cpu_has_pcid();
	st->invpcid = st->pcid && tlb_cpu_has_invpcid();
	__flush_tlb_global_cr4();
	this_cpu_write(tlb_cpu_bit, smp_processor_id() < BITS_PER_LONG ?
				    1UL << smp_processor_id() : 0);
	pgtable_cpu_init();
	switch_mm(&init_mm);
	arch_local_irq_restore(irqflags);
}

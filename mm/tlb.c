// SPDX-License-Identifier: GPL-2.0
/*
 * TLB maintenance, the architecture-independent part: which CPUs a flush
 * must reach, when a range becomes a full flush, and the counters.  The
 * architecture does the flushes themselves and the address-space switch
 * (x86: arch/x86/mm/tlb.c, hooks in <asm/tlbflush.h>).
 *
 * Goal: after a page-table change returns, no CPU can use the old
 * translation, at the lowest cost: single-page flushes for a few pages, a
 * full flush past a ceiling, one IPI per CPU that may cache the range, one
 * round per range, none when only this CPU may cache it.
 *
 * Shootdown invariants:
 *  - Kernel-half changes go to every online CPU (kernel entries are global
 *    and in every CPU's TLB).  An interrupt-disabled lock-free walker of
 *    the kernel tables therefore delays the flush, which is what makes
 *    freeing kernel tables after the flush safe (see mm/pgtable.c); when
 *    tables are freed (TLB_FLUSH_FULL) each CPU also drops translate()'s
 *    cached table there, after its last walk that could have cached it.
 *  - Lower-half changes go to mm->cpus, the CPUs that have the mm loaded
 *    now.  Lazy mode: a CPU that switched away is not interrupted; it
 *    flushes when it switches back because its address-space id is older
 *    than mm->tlb_gen.  The sender bumps tlb_gen before reading mm->cpus
 *    and switch_mm() sets its bit before reading tlb_gen (both seq_cst),
 *    so either the sender sees the CPU or the CPU sees the new generation.
 *  - With address-space ids, a kernel-half table freed is flushed from
 *    every id (arch_tlb_flush_local_all()): a single-page flush only cleans
 *    the paging-structure caches of the current one.
 */
#define pr_fmt(fmt) "tlb: " fmt

#include <exo/bug.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/irqflags.h>
#include <asm/tlbflush.h>
#include <trace/events/mm.h>

DEFINE_PER_CPU(struct tlb_stats, tlb_stats);

unsigned int tlb_single_page_flush_ceiling = CONFIG_TLB_FLUSH_CEILING;

struct flush_info {
	struct mm_struct *mm;
	unsigned long start, end;
	unsigned int stride_shift;
	unsigned int flags;
};

#define stat_add(field, n)	this_cpu_add(tlb_stats.field, n)

/* ---------------------------------------------------------------------
 * Local flushes (interrupts or preemption disabled).
 */

/* Everything, global entries and every address-space id included. */
static void local_flush_all(void)
{
	arch_tlb_flush_local_all();
	stat_add(full_flushes, 1);
}

/* The non-global entries of the loaded address space. */
static void local_flush_mm(void)
{
	arch_tlb_flush_local_mm();
	stat_add(full_flushes, 1);
}

static void local_flush_range(const struct flush_info *f)
{
	bool kernel = f->start >= KERNEL_HALF_START;
	unsigned long n = (f->end - f->start + (1UL << f->stride_shift) - 1) >> f->stride_shift;

	/* Kernel tables are about to be freed: see the xlate cache in mm/pgtable.c. */
	if (kernel && (f->flags & TLB_FLUSH_FULL))
		xlate_cache_flush(smp_processor_id());
	if (!kernel && f->mm != current_mm())
		return;		/* lazy: its address-space id is stale by generation */
	stat_add(pages_flushed, (f->end - f->start) >> PAGE_SHIFT);
	if (kernel && (f->flags & TLB_FLUSH_FULL) && tlb_pcid_enabled()) {
		local_flush_all();
		return;
	}
	if (n > tlb_single_page_flush_ceiling) {
		if (kernel)
			local_flush_all();
		else
			local_flush_mm();
		return;
	}
	arch_tlb_flush_local_range(f->start, n, f->stride_shift);
	stat_add(local_page_flushes, n);
}

static void flush_ipi(void *arg)
{
	stat_add(shootdowns_received, 1);
	local_flush_range(arg);
}

/* Whether @mask holds a CPU other than @cpu. */
static __always_inline bool others_in(const struct cpumask *mask, unsigned int cpu)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(NR_CPUS); i++) {
		unsigned long w = __atomic_load_n(&mask->bits[i], __ATOMIC_SEQ_CST);

		if (i == cpu / BITS_PER_LONG)
			w &= ~(1UL << (cpu % BITS_PER_LONG));
		if (w)
			return true;
	}
	return false;
}

/*
 * A shootdown waits for the other CPUs, and cross-CPU calls are refused in
 * handler context (kernel/smp.c, C4).  Going on without them would let the
 * caller free page tables and frames that other CPUs still translate
 * through: a use-after-free, so this stops the kernel instead (Linux's
 * vunmap() BUGs for the same reason).  vfree() from a handler is deferred
 * (mm/vmalloc.c) and never gets here.
 */
static void shootdown_context_check(void)
{
	if (unlikely(in_interrupt()))
		panic("TLB shootdown from an interrupt or exception handler: other CPUs cannot be reached");
}

static noinline void send_flush_ipis(struct mm_struct *mm, const struct cpumask *targets,
				     unsigned int cpu, struct flush_info *f)
{
	unsigned int n = cpumask_weight(targets) - cpumask_test_cpu(cpu, targets);

	shootdown_context_check();
	WARN_ON_ONCE(arch_irqs_disabled());
	stat_add(shootdowns_sent, n);
	stat_add(shootdown_rounds, 1);
	trace_tlb_shootdown(n, f->start, f->end);
	smp_call_function_many(targets, flush_ipi, f, true);
}

/* CPUs that used @mm but switched away: no IPI for them (lazy mode). */
static noinline void count_lazy(struct mm_struct *mm, unsigned int cpu)
{
	unsigned int lazy = 0, c;

	for_each_cpu(c, &mm->cpus_ever)
		lazy += c != cpu && cpu_online(c) && !cpumask_test_cpu(c, &mm->cpus);
	if (lazy)
		stat_add(lazy_ipis_avoided, lazy);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, unsigned int flags)
{
	struct flush_info f = {
		.mm = mm, .start = start, .end = end, .stride_shift = stride_shift,
		.flags = flags,
	};
	const struct cpumask *targets = &cpu_online_mask;
	unsigned int cpu;

	/* Order the table change before the generation, and it before the mask. */
	__atomic_fetch_add(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST);
	preempt_disable();
	cpu = smp_processor_id();
	trace_tlb_flush(1, start, end);
	local_flush_range(&f);
	if (start < KERNEL_HALF_START) {
		targets = &mm->cpus;
		if (unlikely(others_in(&mm->cpus_ever, cpu)))
			count_lazy(mm, cpu);
	}
	if (unlikely(others_in(targets, cpu)))
		send_flush_ipis(mm, targets, cpu, &f);
	preempt_enable();
}

void flush_tlb(unsigned long virt)
{
	struct mm_struct *mm = virt >= KERNEL_HALF_START ? &init_mm : current_mm();

	virt &= PAGE_MASK;
	flush_tlb_mm_range(mm, virt, virt + PAGE_SIZE, PAGE_SHIFT, 0);
}

static void flush_all_ipi(void *unused)
{
	local_flush_all();
}

void flush_tlb_all(void)
{
	shootdown_context_check();
	on_each_cpu(flush_all_ipi, NULL, true);
}

/* ---------------------------------------------------------------------
 * Statistics.
 */

void tlb_get_stats(int cpu, struct tlb_stats *st)
{
	unsigned int c;

	if (cpu >= 0) {
		if (cpu_possible(cpu))
			*st = per_cpu(tlb_stats, cpu);
		else
			memset(st, 0, sizeof(*st));
		return;
	}
	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(c) {
		const struct tlb_stats *s = per_cpu_ptr(&tlb_stats, c);

		st->local_page_flushes += s->local_page_flushes;
		st->full_flushes += s->full_flushes;
		st->pages_flushed += s->pages_flushed;
		st->shootdowns_sent += s->shootdowns_sent;
		st->shootdown_rounds += s->shootdown_rounds;
		st->shootdowns_received += s->shootdowns_received;
		st->lazy_ipis_avoided += s->lazy_ipis_avoided;
		st->switches += s->switches;
		st->switch_flushes += s->switch_flushes;
	}
}

static int cmd_tlbinfo(int argc, char **argv)
{
	unsigned long ceiling;
	unsigned int cpu;
	int ret = shell_arg_key_ulong(argc, argv, "ceiling", 1, 4096, &ceiling);

	if (ret < 0)
		return ret;
	if (ret)
		tlb_single_page_flush_ceiling = ceiling;
	arch_tlb_show_features();
	printk(KERN_INFO "%4s %10s %8s %10s %8s %8s %8s %8s %9s %8s\n", "CPU", "invlpg",
	       "full", "pages", "ipi-sent", "rounds", "ipi-recv", "lazy", "switches",
	       "sw-flush");
	for_each_online_cpu(cpu) {
		struct tlb_stats s;

		tlb_get_stats((int)cpu, &s);
		printk(KERN_INFO "%4u %10lu %8lu %10lu %8lu %8lu %8lu %8lu %9lu %8lu\n", cpu,
		       s.local_page_flushes, s.full_flushes, s.pages_flushed, s.shootdowns_sent,
		       s.shootdown_rounds, s.shootdowns_received, s.lazy_ipis_avoided,
		       s.switches, s.switch_flushes);
	}
	return 0;
}
DEFINE_SHELL_CMD_ARGS(tlbinfo, "[ceiling 1-4096]", 0, 2,
		      "TLB flush/shootdown counters per CPU; set the flush ceiling", cmd_tlbinfo);

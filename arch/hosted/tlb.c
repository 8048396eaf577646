// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted build: the TLB side of mm/pgtable.c.  There is no TLB; flushes
 * are recorded (hosted_tlb_log) so that tests can check what the page-table
 * code asked for: the range, the stride and whether tables were freed.
 * Each test thread has its own "loaded" address space.
 */
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/hosted.h>

unsigned int tlb_single_page_flush_ceiling = 33;
struct hosted_tlb_log hosted_tlb_log;
static __thread struct mm_struct *loaded_mm;

struct mm_struct *current_mm(void)
{
	return loaded_mm ? loaded_mm : &init_mm;
}

void switch_mm(struct mm_struct *next)
{
	struct mm_struct *prev = current_mm();
	unsigned int cpu = smp_processor_id();

	if (prev == next)
		return;
	cpumask_set_cpu(cpu, &next->cpus);
	cpumask_set_cpu(cpu, &next->cpus_ever);
	loaded_mm = next;
	cpumask_clear_cpu(cpu, &prev->cpus);
}

#ifndef HOSTED_BENCH
static void shootdown_nothing(unsigned int cpu)
{
	(void)cpu;
}

/*
 * A kernel-half flush reaches every online CPU and waits for each to take
 * the IPI, i.e. to leave any interrupts-off section (mm/tlb.c); the
 * handler then clears the CPU's translate() cache when tables are freed.
 * The same here, with hosted_cross_call() standing in for the IPI.
 */
static void shootdown_kernel(unsigned int flags)
{
	void (*fn)(unsigned int cpu) = flags & TLB_FLUSH_FULL ? xlate_cache_flush
							      : shootdown_nothing;
	unsigned int self = smp_processor_id(), cpu;

	for_each_online_cpu(cpu) {
		if (cpu == self)
			fn(cpu);
		else
			hosted_cross_call(cpu, fn);
	}
}
#endif

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, unsigned int flags)
{
	__atomic_fetch_add(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST);
#ifndef HOSTED_BENCH
	if (start >= KERNEL_HALF_START)
		shootdown_kernel(flags);
#endif
	__atomic_fetch_add(&hosted_tlb_log.calls, 1, __ATOMIC_RELAXED);
	/* Racing flushes of concurrent tests: any of them may be the last. */
	__atomic_store_n(&hosted_tlb_log.last_start, start, __ATOMIC_RELAXED);
	__atomic_store_n(&hosted_tlb_log.last_end, end, __ATOMIC_RELAXED);
	__atomic_store_n(&hosted_tlb_log.last_stride_shift, stride_shift, __ATOMIC_RELAXED);
	__atomic_store_n(&hosted_tlb_log.last_flags, flags, __ATOMIC_RELAXED);
	if (flags & TLB_FLUSH_FULL)
		__atomic_fetch_add(&hosted_tlb_log.full, 1, __ATOMIC_RELAXED);
}

void flush_tlb(unsigned long virt)
{
	struct mm_struct *mm = virt >= KERNEL_HALF_START ? &init_mm : current_mm();

	flush_tlb_mm_range(mm, virt & PAGE_MASK, (virt & PAGE_MASK) + PAGE_SIZE, PAGE_SHIFT, 0);
}

void flush_tlb_all(void)
{
	__atomic_fetch_add(&hosted_tlb_log.calls, 1, __ATOMIC_RELAXED);
}

bool tlb_pcid_enabled(void)
{
	return false;
}

bool tlb_invpcid_enabled(void)
{
	return false;
}

void tlb_get_stats(int cpu, struct tlb_stats *st)
{
	(void)cpu;
	memset(st, 0, sizeof(*st));
}

int hosted_pgtable_init(void)
{
	init_mm.pgd = NULL;
	init_mm.pgd_phys = 0;
	init_mm.nr_tables = 0;
	init_mm.pt_cache_va = PT_CACHE_NONE;
	/* No CPU thread runs now: every cache may be cleared from here. */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpu || __per_cpu_offset[cpu])
			xlate_cache_flush(cpu);
	cpumask_clear(&init_mm.cpus);
	cpumask_clear(&init_mm.cpus_ever);
	loaded_mm = NULL;
	return pgtable_init();
}

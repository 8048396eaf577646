// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual-memory micro-benchmarks for `make bench` (guest instructions per
 * operation under QEMU -icount, see Documentation/benchmarks.md):
 *
 *   vm_map_unmap_4k   map_page + unmap_page of one 4 KiB kernel page with
 *                     its local flush, tables present (Linux: vmap+vunmap)
 *   vm_translate      translate() of a kernel address: the per-CPU
 *                     one-entry cache's hit
 *   vm_translate_miss_{4k,2m,1g}
 *                     translate() that misses its page-table cache: 512
 *                     addresses spread over 1 GiB, each in another 2 MiB
 *                     than the last; the walk to a 4 KiB or 2 MiB leaf
 *                     starts at the cached page directory of that GiB,
 *                     the one to a 1 GiB leaf at the PDPT
 *   vm_translate_miss_cold_{4k,2m}
 *                     translate() that misses both caches: the full walk
 *                     to a 4 KiB or 2 MiB leaf, 512 addresses alternating
 *                     between two GiBs (256 in each, every 2 MiB apart)
 *   vm_switch_mm      switch_mm() between two address spaces (a pair per
 *                     op); PCID or not is printed (Bochs has PCID, QEMU not)
 *   vm_ipi_user{1,2,3} / vm_ipi_range{1,2,3}
 *                     IPIs per mm_unmap_page / per 512-page mm_unmap_range
 *                     with 1, 2, 3 other CPUs holding the address space;
 *                     need that many CPUs (SMP); the counts are printed.
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/tlb.h>
#include <exo/vmalloc.h>

#define BENCH_VA	0xffffe20000000000UL
#define USER_VA		0x20000000UL

static phys_addr_t bench_frame;

static int map_setup(struct bench *b)
{
	if (alloc_frame(&bench_frame))
		return -1;
	/* A neighbour keeps the page tables of BENCH_VA alive between ops. */
	return map_page(BENCH_VA + PAGE_SIZE, bench_frame, 0);
}

static void map_teardown(struct bench *b)
{
	unmap_page(BENCH_VA + PAGE_SIZE);
	free_frame(bench_frame);
}

static void map_unmap_4k(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		if (map_page(BENCH_VA, bench_frame, PAGE_WRITABLE) || unmap_page(BENCH_VA)) {
			pr_err("bench: map_page/unmap_page failed\n");
			return;
		}
	}
}
DEFINE_BENCH_FULL(vm_map_unmap_4k, .desc = "map_page+unmap_page 4K, tables present, local flush",
		  .run = map_unmap_4k, .setup = map_setup, .teardown = map_teardown, .ops = 64);

static void translate_one(struct bench *b, unsigned int ops)
{
	phys_addr_t pa;

	for (unsigned int i = 0; i < ops; i++)
		if (translate(BENCH_VA + PAGE_SIZE + (i & 0xff), &pa))
			return;
}
DEFINE_BENCH_FULL(vm_translate, .desc = "translate() of a 4K kernel mapping, per-CPU cache hit",
		  .run = translate_one, .setup = map_setup, .teardown = map_teardown, .ops = 64);

/*
 * Misses: 512 addresses, one per 2 MiB of a GiB, visited in a permuted
 * order (167 is odd, so k * 167 mod 512 is a permutation) so that no
 * translate() finds the page table of the one before in the cache.  The
 * physical addresses are never accessed, only translated.
 */
#define XLATE_N		512
#define XLATE_VA(sz)	(BENCH_VA + (sz) * (1UL << 30))	/* 1, 2 or 3 GiB up, 1 GiB each */

static unsigned long xlate_va[XLATE_N];

static void xlate_addresses(unsigned long base)
{
	for (unsigned int k = 0; k < XLATE_N; k++) {
		unsigned long slot = (k * 167) % XLATE_N;

		xlate_va[k] = base + slot * PMD_SIZE + slot * PAGE_SIZE + 8;
	}
}

/* translate_miss() walks the whole array once per batch: a row's ops must be its size. */
static int xlate_check_ops(const struct bench *b)
{
	if (b->def->ops == XLATE_N)
		return 0;
	pr_err("bench: %s: ops is %u, the address array holds %u\n", b->def->name,
	       b->def->ops, XLATE_N);
	return -EINVAL;
}

static int xlate_map(struct bench *b, unsigned long base, pgflags_t size_flag)
{
	int err = xlate_check_ops(b);

	if (err)
		return err;
	if (size_flag && !pgtable_huge_supported(size_flag)) {
		pr_notice("bench: %s pages not supported here\n",
			  size_flag == PAGE_HUGE_1G ? "1 GiB" : "2 MiB");
		return -EOPNOTSUPP;
	}
	xlate_addresses(base);
	if (size_flag == PAGE_HUGE_1G)
		return map_page(base, 0, PAGE_HUGE_1G);
	for (unsigned int slot = 0; slot < XLATE_N && !err; slot++) {
		unsigned long va = base + slot * PMD_SIZE;

		if (size_flag)
			err = map_page(va, slot * PMD_SIZE, PAGE_HUGE_2M);
		else
			err = map_page(va + slot * PAGE_SIZE, bench_frame, 0);
	}
	if (err)	/* the runner calls no teardown after a failed setup */
		unmap_range(base, 1UL << 30);
	return err;
}

static int xlate_setup_4k(struct bench *b)
{
	int err;

	if (alloc_frame(&bench_frame))
		return -ENOMEM;
	err = xlate_map(b, XLATE_VA(1), 0);
	if (err)
		free_frame(bench_frame);
	return err;
}

static int xlate_setup_2m(struct bench *b)
{
	return xlate_map(b, XLATE_VA(2), PAGE_HUGE_2M);
}

static int xlate_setup_1g(struct bench *b)
{
	return xlate_map(b, XLATE_VA(3), PAGE_HUGE_1G);
}

static void xlate_teardown_4k(struct bench *b)
{
	unmap_range(XLATE_VA(1), 1UL << 30);
	free_frame(bench_frame);
}

static void xlate_teardown_2m(struct bench *b)
{
	unmap_range(XLATE_VA(2), 1UL << 30);
}

static void xlate_teardown_1g(struct bench *b)
{
	unmap_range(XLATE_VA(3), 1UL << 30);
}

/*
 * Full misses: address 2k in GiB A, 2k + 1 in GiB B (A + 1 GiB), each
 * walk then finds neither the page table nor the page directory of the
 * one before.  Slot j of a GiB is its 2 MiB number (k * 167) mod 256.
 */
#define XLATE_COLD_VA	XLATE_VA(4)	/* and XLATE_VA(5) */

static void xlate_cold_addresses(void)
{
	for (unsigned int k = 0; k < XLATE_N; k++) {
		unsigned long slot = ((k / 2) * 167) % (XLATE_N / 2);

		xlate_va[k] = XLATE_COLD_VA + (k % 2) * (1UL << 30) + slot * PMD_SIZE +
			      slot * PAGE_SIZE + 8;
	}
}

static void xlate_cold_teardown_2m(struct bench *b)
{
	unmap_range(XLATE_COLD_VA, 2UL << 30);
}

static void xlate_cold_teardown_4k(struct bench *b)
{
	unmap_range(XLATE_COLD_VA, 2UL << 30);
	free_frame(bench_frame);
}

static int xlate_cold_map(struct bench *b, pgflags_t size_flag)
{
	int err = xlate_check_ops(b);

	if (err)
		return err;
	xlate_cold_addresses();
	for (unsigned int k = 0; k < XLATE_N && !err; k++) {
		if (size_flag)
			err = map_page(xlate_va[k] & ~(PMD_SIZE - 1), (k % 256) * PMD_SIZE,
				       size_flag);
		else
			err = map_page(xlate_va[k] & PAGE_MASK, bench_frame, 0);
	}
	if (err)	/* the runner calls no teardown after a failed setup */
		unmap_range(XLATE_COLD_VA, 2UL << 30);
	return err;
}

static int xlate_setup_cold_4k(struct bench *b)
{
	int err;

	if (alloc_frame(&bench_frame))
		return -ENOMEM;
	err = xlate_cold_map(b, 0);
	if (err)
		free_frame(bench_frame);
	return err;
}

static int xlate_setup_cold_2m(struct bench *b)
{
	if (!pgtable_huge_supported(PAGE_HUGE_2M)) {
		pr_notice("bench: 2 MiB pages not supported here\n");
		return -EOPNOTSUPP;
	}
	return xlate_cold_map(b, PAGE_HUGE_2M);
}

/*
 * A caller's loop over an array of addresses: a pointer walks it (ops is
 * XLATE_N, the array's size, which every row's setup checks).
 */
static void translate_miss(struct bench *b, unsigned int ops)
{
	const unsigned long *end = xlate_va + ops;
	phys_addr_t pa;

	for (const unsigned long *va = xlate_va; va < end; va++)
		if (translate(*va, &pa)) {
			pr_err("bench: translate() of %#lx failed\n", *va);
			return;
		}
}

DEFINE_BENCH_FULL(vm_translate_miss_4k,
		  .desc = "translate(), page-table cache miss in the cached GiB: 4K leaf",
		  .run = translate_miss, .setup = xlate_setup_4k, .teardown = xlate_teardown_4k,
		  .ops = XLATE_N);
DEFINE_BENCH_FULL(vm_translate_miss_2m,
		  .desc = "translate(), page-table cache miss in the cached GiB: 2M leaf",
		  .run = translate_miss, .setup = xlate_setup_2m, .teardown = xlate_teardown_2m,
		  .ops = XLATE_N);
DEFINE_BENCH_FULL(vm_translate_miss_1g, .desc = "translate(), cache miss: full walk to a 1G leaf",
		  .run = translate_miss, .setup = xlate_setup_1g, .teardown = xlate_teardown_1g,
		  .ops = XLATE_N);
DEFINE_BENCH_FULL(vm_translate_miss_cold_4k,
		  .desc = "translate(), both caches miss: full walk to a 4K leaf, 2 GiBs",
		  .run = translate_miss, .setup = xlate_setup_cold_4k,
		  .teardown = xlate_cold_teardown_4k,
		  .ops = XLATE_N);
DEFINE_BENCH_FULL(vm_translate_miss_cold_2m,
		  .desc = "translate(), both caches miss: full walk to a 2M leaf, 2 GiBs",
		  .run = translate_miss, .setup = xlate_setup_cold_2m,
		  .teardown = xlate_cold_teardown_2m,
		  .ops = XLATE_N);

static struct mm_struct *spaces[2];

static int switch_setup(struct bench *b)
{
	if (mm_create(&spaces[0]) || mm_create(&spaces[1]))
		return -1;
	pr_notice("bench: vm_switch_mm runs %s PCID\n", tlb_pcid_enabled() ? "with" : "without");
	return 0;
}

static void switch_teardown(struct bench *b)
{
	mm_destroy(spaces[0]);
	mm_destroy(spaces[1]);
}

static void switch_pair(struct bench *b, unsigned int ops)
{
	preempt_disable();
	for (unsigned int i = 0; i < ops; i++) {
		switch_mm(spaces[0]);
		switch_mm(spaces[1]);
	}
	switch_mm(&init_mm);
	preempt_enable();
}
DEFINE_BENCH_FULL(vm_switch_mm, .desc = "2 x switch_mm (A->B->A), PCID if the CPU has it",
		  .run = switch_pair, .setup = switch_setup, .teardown = switch_teardown,
		  .ops = 64);

/* ---- IPI counts (SMP) ---- */

struct ipi_bench {
	struct mm_struct *mm;
	struct task_struct *holders[3];
	unsigned int nr;
	volatile bool stop;
	struct tlb_stats before;
	unsigned long ops;
};

static struct ipi_bench ipi;

static int holder_fn(void *arg)
{
	preempt_disable();
	switch_mm(ipi.mm);
	while (!READ_ONCE(ipi.stop))
		cpu_relax();
	switch_mm(&init_mm);
	preempt_enable();
	return 0;
}

static int ipi_setup_n(unsigned int n)
{
	unsigned int cpu, self = smp_processor_id();

	ipi.nr = 0;
	ipi.stop = false;
	ipi.ops = 0;
	if (mm_create(&ipi.mm) || alloc_frame(&bench_frame))
		return -1;
	mm_map_page(ipi.mm, USER_VA + 512 * PAGE_SIZE, bench_frame, 0);	/* keeps the PT */
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (cpu == self || ipi.nr == n)
			continue;
		t = kthread_create(holder_fn, NULL, "ipiholder/%u", cpu);
		if (!t || kthread_bind(t, cpu))
			return -1;
		wake_up_process(t);
		ipi.holders[ipi.nr++] = t;
	}
	while (cpumask_weight(&ipi.mm->cpus) < n)
		cpu_relax();
	tlb_get_stats((int)self, &ipi.before);
	return 0;
}

static void ipi_teardown(struct bench *b)
{
	struct tlb_stats after;

	tlb_get_stats((int)smp_processor_id(), &after);
	WRITE_ONCE(ipi.stop, true);
	for (unsigned int i = 0; i < ipi.nr; i++)
		kthread_join(ipi.holders[i]);
	pr_notice("bench: %u holder CPUs: %lu IPIs / op, %lu rounds / op, full flushes %lu, single-page %lu over %lu ops\n",
		ipi.nr, (after.shootdowns_sent - ipi.before.shootdowns_sent) / ipi.ops,
		(after.shootdown_rounds - ipi.before.shootdown_rounds) / ipi.ops,
		after.full_flushes - ipi.before.full_flushes,
		after.local_page_flushes - ipi.before.local_page_flushes, ipi.ops);
	mm_unmap_page(ipi.mm, USER_VA + 512 * PAGE_SIZE);
	mm_destroy(ipi.mm);
	free_frame(bench_frame);
}

static void ipi_unmap_page(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		mm_map_page(ipi.mm, USER_VA, bench_frame, 0);
		mm_unmap_page(ipi.mm, USER_VA);
	}
	ipi.ops += ops;
}

static void ipi_unmap_range(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		bench_pause(b);
		mm_map_range(ipi.mm, USER_VA, 0, 512 * PAGE_SIZE, 0);
		bench_resume(b);
		mm_unmap_range(ipi.mm, USER_VA, 512 * PAGE_SIZE);
	}
	ipi.ops += ops;
}

#define IPI_BENCH(n)								\
static int ipi_setup_##n(struct bench *b) { return ipi_setup_n(n); }		\
DEFINE_BENCH_FULL(vm_ipi_user##n, .desc = "mm_map_page+mm_unmap_page, " #n " other CPU(s) hold the mm", \
		  .run = ipi_unmap_page, .setup = ipi_setup_##n, .teardown = ipi_teardown, \
		  .ops = 16, .batches = 21, .min_cpus = n + 1);			\
DEFINE_BENCH_FULL(vm_ipi_range##n, .desc = "mm_unmap_range 512 pages, " #n " other CPU(s) hold the mm", \
		  .run = ipi_unmap_range, .setup = ipi_setup_##n, .teardown = ipi_teardown, \
		  .ops = 4, .batches = 21, .min_cpus = n + 1)

IPI_BENCH(1);
IPI_BENCH(2);
IPI_BENCH(3);

static void vmalloc_pair(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		u8 *p = vmalloc(PAGE_SIZE);

		if (!p)
			return;
		p[0] = 1;
		vfree(p);
	}
}
DEFINE_BENCH_FULL(vm_vmalloc_vfree, .desc = "vmalloc(4096) + a write + vfree (shootdown included)",
		  .run = vmalloc_pair, .ops = 16);

static void flush_all(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		flush_tlb_all();
}
DEFINE_BENCH_FULL(vm_flush_tlb_all, .desc = "flush_tlb_all() (globals included, every CPU)",
		  .run = flush_all, .ops = 16);

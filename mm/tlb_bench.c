// SPDX-License-Identifier: GPL-2.0
/*
 * Shootdown cost against CPU count, for `make bench` (Documentation/
 * benchmarks.md, "Shootdowns against CPU count"):
 *
 *   vm_shoot_{1,16,512}  unmap_range() of 1, 16 or 512 kernel pages while
 *                        every other online CPU holds the kernel address
 *                        space (it always does), so the flush reaches all
 *                        of them; the pages are mapped again outside the
 *                        timed part.  At -smp 1 no IPI: the baseline.
 *
 * The figure is the initiator's own instructions: make bench boots these
 * under QEMU -icount at -smp 1..64, where the vCPUs run one at a time and
 * the guest TSC counts the instructions of all of them.  The other CPUs
 * are idle (halted) and run only when the initiator pauses in its wait
 * for their acknowledgements (kernel/smp.c counts the TSC ticks of those
 * pauses, smp_cpu_stats().wait_ticks), so subtracting those ticks leaves
 * the initiator's own instructions; the subtracted part, the targets'
 * interrupt and flush, is printed per operation beside the IPI and round
 * counts by the teardown.
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/tlb.h>

/*
 * The range starts one page into a page table and a page is kept mapped on
 * each side of it, so no table empties and is freed: a free would add a
 * full flush and the table's allocation to every operation.
 */
#define SHOOT_BASE	0xffffe21000000000UL
#define SHOOT_VA	(SHOOT_BASE + PAGE_SIZE)
#define SHOOT_MAX	512
#define SHOOT_SPAN	((SHOOT_MAX + 2) * PAGE_SIZE)

struct shoot_bench {
	phys_addr_t frame;
	unsigned int cpu;
	unsigned long ops;
	u64 others;			/* ticks the other CPUs ran during waits */
	struct tlb_stats tlb0;
	struct smp_cpu_stats smp0;
};

static struct shoot_bench shoot;

static unsigned int shoot_pages(struct bench *b)
{
	return (unsigned int)(unsigned long)b->priv;
}

static int shoot_map(unsigned int pages)
{
	for (unsigned int i = 0; i < pages; i++) {
		int err = map_page(SHOOT_VA + i * PAGE_SIZE, shoot.frame, 0);

		if (err)
			return err;
	}
	return 0;
}

static int shoot_setup(struct bench *b, unsigned int pages)
{
	int err;

	b->priv = (void *)(unsigned long)pages;
	if (alloc_frame(&shoot.frame))
		return -ENOMEM;
	err = map_page(SHOOT_BASE, shoot.frame, 0);
	if (!err)
		err = map_page(SHOOT_VA + SHOOT_MAX * PAGE_SIZE, shoot.frame, 0);
	if (!err)
		err = shoot_map(pages);
	if (err) {
		unmap_range(SHOOT_BASE, SHOOT_SPAN);
		free_frame(shoot.frame);
		return err;
	}
	shoot.cpu = smp_processor_id();
	shoot.ops = 0;
	shoot.others = 0;
	tlb_get_stats((int)shoot.cpu, &shoot.tlb0);
	smp_cpu_stats(shoot.cpu, &shoot.smp0);
	return 0;
}

static void shoot_teardown(struct bench *b)
{
	struct tlb_stats tlb1;
	struct smp_cpu_stats smp1;
	unsigned long ops = shoot.ops ? shoot.ops : 1;

	tlb_get_stats((int)shoot.cpu, &tlb1);
	smp_cpu_stats(shoot.cpu, &smp1);
	pr_notice("bench: shoot %u pages %u CPUs: %lu IPIs/op, %lu rounds/op, others %llu ticks/op, over %lu ops\n",
		  shoot_pages(b), num_online_cpus(),
		  (smp1.ipi_sent - shoot.smp0.ipi_sent) / ops,
		  (tlb1.shootdown_rounds - shoot.tlb0.shootdown_rounds) / ops,
		  shoot.others / ops, shoot.ops);
	unmap_range(SHOOT_BASE, SHOOT_SPAN);
	free_frame(shoot.frame);
}

static void shoot_run(struct bench *b, unsigned int ops)
{
	unsigned int pages = shoot_pages(b);
	struct smp_cpu_stats st;

	for (unsigned int i = 0; i < ops; i++) {
		u64 w0, w1;

		bench_pause(b);
		smp_cpu_stats(shoot.cpu, &st);
		w0 = st.wait_ticks;
		bench_resume(b);
		if (unmap_range(SHOOT_VA, pages * PAGE_SIZE)) {
			pr_err("bench: unmap_range of %u pages failed\n", pages);
			return;
		}
		bench_pause(b);
		smp_cpu_stats(shoot.cpu, &st);
		w1 = st.wait_ticks;
		/* The other CPUs' instructions are not the initiator's. */
		b->excluded += w1 - w0;
		shoot.others += w1 - w0;
		if (shoot_map(pages))
			pr_err("bench: mapping %u pages again failed\n", pages);
		bench_resume(b);
	}
	shoot.ops += ops;
}

/* 512 pages pass the single-page flush ceiling: a full flush on each CPU. */
#define SHOOT_BENCH(n, nops)							\
static int shoot_setup_##n(struct bench *b) { return shoot_setup(b, n); }	\
DEFINE_BENCH_FULL(vm_shoot_##n, .desc = "unmap_range " #n " kernel page(s), all CPUs hold it; initiator only", \
		  .run = shoot_run, .setup = shoot_setup_##n, .teardown = shoot_teardown, \
		  .ops = nops, .batches = 21)

SHOOT_BENCH(1, 16);
SHOOT_BENCH(16, 16);
SHOOT_BENCH(512, 4);

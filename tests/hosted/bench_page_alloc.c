// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted microbenchmarks of mm/page_alloc.c (built -O2, no sanitizers, no
 * poisoning: the production configuration).
 *
 * Pinned to one host CPU; each benchmark runs warm-up batches, then timed
 * batches bracketed by lfence;rdtsc;lfence ... rdtscp;lfence.  The cost of
 * an empty bracket is subtracted and the median, p10 and p90 per operation
 * are printed in TSC ticks.  When the kernel lets us, user-space retired
 * instructions per operation are printed too (perf_event_open), a close
 * proxy for the guest instruction counts of `make bench`.
 *
 *	bench_page_alloc [name-prefix]
 */
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <asm/hosted.h>
#include <asm/processor.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_harness.h"

#define MAX_HELD	1000

static phys_addr_t held[MAX_HELD];
static struct page *held_pages[MAX_HELD];

static void die(const char *what)
{
	fprintf(stderr, "bench_page_alloc: %s failed\n", what);
	exit(1);
}

static void run_frame_pair(unsigned int ops)
{
	phys_addr_t f;

	for (unsigned int i = 0; i < ops; i++) {
		if (alloc_frame(&f) || free_frame(f))
			die("alloc_frame/free_frame");
	}
}

static void run_pages_pair(unsigned int ops, unsigned int order)
{
	for (unsigned int i = 0; i < ops; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			die("alloc_pages");
		__free_pages(p, order);
	}
}

static void run_order3_pair(unsigned int ops)
{
	run_pages_pair(ops, 3);
}

static void run_order9_pair(unsigned int ops)
{
	run_pages_pair(ops, 9);
}

static void run_contig8_pair(unsigned int ops)
{
	phys_addr_t b;

	for (unsigned int i = 0; i < ops; i++) {
		if (alloc_contiguous(8, &b) || free_contiguous(b, 8))
			die("alloc_contiguous(8)");
	}
}

static void run_contig5_pair(unsigned int ops)
{
	phys_addr_t b;

	for (unsigned int i = 0; i < ops; i++) {
		if (alloc_contiguous(5, &b) || free_contiguous(b, 5))
			die("alloc_contiguous(5)");
	}
}

/* ops = 2 * n: n allocations, then n frees (in allocation order). */
static void run_many(unsigned int ops)
{
	unsigned int n = ops / 2;

	for (unsigned int i = 0; i < n; i++)
		if (alloc_frame(&held[i]))
			die("alloc_frame");
	for (unsigned int i = 0; i < n; i++)
		if (free_frame(held[i]))
			die("free_frame");
}

static void run_many_order3(unsigned int ops)
{
	unsigned int n = ops / 2;

	for (unsigned int i = 0; i < n; i++)
		if (!(held_pages[i] = alloc_pages(GFP_KERNEL, 3)))
			die("alloc_pages");
	for (unsigned int i = 0; i < n; i++)
		__free_pages(held_pages[i], 3);
}

/* Page tables (mm/pgtable.c); the hosted TLB only records the flush. */
#define PT_VA	0xffffe00000000000UL

static void run_pt_map_unmap(unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		if (map_page(PT_VA, 0x200000, PAGE_WRITABLE) || unmap_page(PT_VA))
			die("map_page/unmap_page");
}

static void run_pt_translate(unsigned int ops)
{
	phys_addr_t pa;

	for (unsigned int i = 0; i < ops; i++)
		if (translate(PT_VA + PAGE_SIZE + (i & 0xfff), &pa))
			die("translate");
}

static const struct hbench benches[] = {
	{ "pt_map_unmap", "map_page+unmap_page 4K, tables present", 1000, run_pt_map_unmap },
	{ "pt_translate", "translate() of a 4K kernel mapping", 1000, run_pt_translate },
	{ "frame_pair", "alloc_frame+free_frame (cache hit)", 1000, run_frame_pair },
	{ "order3_pair", "alloc_pages+__free_pages order 3", 1000, run_order3_pair },
	{ "contig8_pair", "alloc_contiguous(8)+free_contiguous", 1000, run_contig8_pair },
	{ "order9_pair", "alloc_pages+__free_pages order 9", 200, run_order9_pair },
	{ "contig5_pair", "alloc_contiguous(5)+free (tail split)", 200, run_contig5_pair },
	{ "many_frames", "1000 alloc_frame then 1000 free_frame", 2000, run_many },
	{ "many_order3", "1000 order-3 allocs then 1000 frees", 2000, run_many_order3 },
};

static void run_bench(const struct hbench *b, u64 overhead)
{
	struct hbench_result r = hbench_measure(b, overhead);

	printf("%-14s %-40s %8.1f %8.1f %8.1f", b->name, b->desc, r.median, r.p10, r.p90);
	if (r.insn >= 0)
		printf(" %8.1f", r.insn);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	cpu_set_t set;
	int cpu = sched_getcpu();
	u64 overhead;

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
	hosted_set_cpu(0);
	console_loglevel = 4;
	if (hosted_mm_init(NULL))
		die("hosted_mm_init");
	if (hosted_pgtable_init() || map_page(PT_VA + PAGE_SIZE, 0x1000, 0))
		die("hosted_pgtable_init");
	overhead = hbench_init();
	printf("# hosted page allocator, host TSC ticks per operation (timer overhead %llu ticks subtracted)\n",
	       overhead);
	printf("%-14s %-40s %8s %8s %8s%s\n", "bench", "operation", "median", "p10", "p90",
	       hbench_has_insn() ? "    insn" : "");
	for (unsigned int i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (!filter || !strncmp(benches[i].name, filter, strlen(filter)))
			run_bench(&benches[i], overhead);
	if (nr_free_pages() == 0)
		die("accounting");
	return 0;
}

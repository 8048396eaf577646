// SPDX-License-Identifier: GPL-2.0
/*
 * Page-allocator micro-benchmarks for `make bench`, the same operations as
 * the Linux 6.1 anchors (shared/anchors/linux: page_order{0,3,9}_pair,
 * page_order0_bulk) and the hosted bench (tests/hosted/bench_page_alloc.c).
 * Under QEMU -icount shift=0 the figures are guest instructions per op.
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>

#define BULK	1000

static phys_addr_t bulk_frames[BULK];

static void fail(const char *what)
{
	pr_err("bench: %s failed\n", what);
}

static void frame_pair(struct bench *b, unsigned int ops)
{
	phys_addr_t f;

	for (unsigned int i = 0; i < ops; i++)
		if (alloc_frame(&f) || free_frame(f))
			return fail("alloc_frame/free_frame");
}
DEFINE_BENCH_FULL(page_frame_pair, .desc = "alloc_frame+free_frame (per-CPU cache hit)",
		  .run = frame_pair, .ops = 64);

static void pages_pair(unsigned int ops, unsigned int order)
{
	for (unsigned int i = 0; i < ops; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			return fail("alloc_pages");
		__free_pages(p, order);
	}
}

static void order0_pair(struct bench *b, unsigned int ops)
{
	pages_pair(ops, 0);
}
DEFINE_BENCH_FULL(page_order0_pair, .desc = "alloc_pages+__free_pages order 0",
		  .run = order0_pair, .ops = 64);

static void order3_pair(struct bench *b, unsigned int ops)
{
	pages_pair(ops, 3);
}
DEFINE_BENCH_FULL(page_order3_pair, .desc = "alloc_pages+__free_pages order 3",
		  .run = order3_pair, .ops = 64);

static void order9_pair(struct bench *b, unsigned int ops)
{
	pages_pair(ops, 9);
}
DEFINE_BENCH_FULL(page_order9_pair, .desc = "alloc_pages+__free_pages order 9",
		  .run = order9_pair, .ops = 4);

static void contig5_pair(struct bench *b, unsigned int ops)
{
	phys_addr_t base;

	for (unsigned int i = 0; i < ops; i++)
		if (alloc_contiguous(5, &base) || free_contiguous(base, 5))
			return fail("alloc_contiguous(5)");
}
DEFINE_BENCH_FULL(page_contig5_pair, .desc = "alloc_contiguous(5)+free_contiguous (tail split)",
		  .run = contig5_pair, .ops = 16);

/* BULK allocations timed; the frees that undo them are not. */
static void bulk_alloc(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		if (alloc_frame(&bulk_frames[i]))
			return fail("alloc_frame");
	bench_pause(b);
	for (unsigned int i = 0; i < ops; i++)
		free_frame(bulk_frames[i]);
	bench_resume(b);
}
DEFINE_BENCH_FULL(page_bulk1000_alloc, .desc = "1000 x alloc_frame (then untimed frees)",
		  .run = bulk_alloc, .ops = BULK, .batches = 51);

/* BULK frees timed; the allocations that feed them are not. */
static void bulk_free(struct bench *b, unsigned int ops)
{
	bench_pause(b);
	for (unsigned int i = 0; i < ops; i++)
		if (alloc_frame(&bulk_frames[i]))
			return fail("alloc_frame");
	bench_resume(b);
	for (unsigned int i = 0; i < ops; i++)
		free_frame(bulk_frames[i]);
}
DEFINE_BENCH_FULL(page_bulk1000_free, .desc = "1000 x free_frame (after untimed allocs)",
		  .run = bulk_free, .ops = BULK, .batches = 51);

// SPDX-License-Identifier: GPL-2.0
/*
 * Page-allocator micro-benchmarks for `make bench`, the same operations as
 * the Linux 6.1 anchors (shared/anchors/linux: page_order{0,3,9}_pair,
 * page_order0_bulk{256,4096}, through alloc_pages/__free_pages as there),
 * Exo's own alloc_frame/free_frame API beside them, and the hosted bench
 * (tests/hosted/bench_page_alloc.c).
 * Under QEMU -icount shift=0 the figures are guest instructions per op.
 */
#include <exo/bench.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>

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
DEFINE_BENCH_FULL(page_frame_pair, .desc = "alloc_frame+free_frame (Exo API, per-CPU cache hit)",
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
DEFINE_BENCH_FULL(page_order0_pair, .desc = "alloc_pages(GFP_KERNEL, 0)+__free_pages (Linux API)",
		  .run = order0_pair, .ops = 64);

static void order3_pair(struct bench *b, unsigned int ops)
{
	pages_pair(ops, 3);
}
DEFINE_BENCH_FULL(page_order3_pair, .desc = "alloc_pages(GFP_KERNEL, 3)+__free_pages (Linux API)",
		  .run = order3_pair, .ops = 64);

static void order9_pair(struct bench *b, unsigned int ops)
{
	pages_pair(ops, 9);
}
DEFINE_BENCH_FULL(page_order9_pair, .desc = "alloc_pages(GFP_KERNEL, 9)+__free_pages (Linux API)",
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

/*
 * Bursts: @ops allocations in a row, then @ops frees, each timed apart and
 * reported per op.  1000 fits the per-CPU frame cache (1024 entries), 4096
 * and 100 000 run past it into the buddy lists; the order-0 alloc_pages
 * bursts are the API of Linux's page_order0_bulk{256,4096} anchors.
 */
static unsigned int frames_alloc(u64 *v, unsigned int ops)
{
	unsigned int i;

	for (i = 0; i < ops; i++)
		if (alloc_frame(&v[i]))
			break;
	return i;
}

static void frames_free(u64 *v, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		free_frame(v[i]);
}

static void bulk_alloc(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, frames_alloc, frames_free, false);
}

static void bulk_free(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, frames_alloc, frames_free, true);
}

static unsigned int pages_alloc(u64 *v, unsigned int ops)
{
	unsigned int i;

	for (i = 0; i < ops; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		if (!p)
			break;
		v[i] = page_to_phys(p);
	}
	return i;
}

static void pages_free(u64 *v, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++)
		__free_pages(phys_to_page(v[i]), 0);
}

static void order0_bulk_alloc(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, pages_alloc, pages_free, false);
}

static void order0_bulk_free(struct bench *b, unsigned int ops)
{
	bench_burst(b, ops, pages_alloc, pages_free, true);
}

#define BURST_BENCH(_name, _what, _run, _n, _batches)				\
	DEFINE_BENCH_FULL(_name, .desc = _what, .run = _run, .setup = bench_burst_setup,	\
			  .teardown = bench_burst_teardown, .ops = _n, .batches = _batches)

BURST_BENCH(page_bulk1000_alloc, "1000 x alloc_frame, per op (then untimed frees)",
	    bulk_alloc, 1000, 51);
BURST_BENCH(page_bulk1000_free, "1000 x free_frame, per op (after untimed allocs)",
	    bulk_free, 1000, 51);
BURST_BENCH(page_bulk4096_alloc, "4096 x alloc_frame, per op (then untimed frees)",
	    bulk_alloc, 4096, 21);
BURST_BENCH(page_bulk4096_free, "4096 x free_frame, per op (after untimed allocs)",
	    bulk_free, 4096, 21);
BURST_BENCH(page_bulk100000_alloc, "100000 x alloc_frame, per op (then untimed frees)",
	    bulk_alloc, 100000, 5);
BURST_BENCH(page_bulk100000_free, "100000 x free_frame, per op (after untimed allocs)",
	    bulk_free, 100000, 5);
BURST_BENCH(page_order0_bulk256_alloc, "256 x alloc_pages order 0, per op (then untimed frees)",
	    order0_bulk_alloc, 256, 101);
BURST_BENCH(page_order0_bulk256_free, "256 x __free_pages order 0, per op (after untimed allocs)",
	    order0_bulk_free, 256, 101);
BURST_BENCH(page_order0_bulk4096_alloc, "4096 x alloc_pages order 0, per op (then untimed frees)",
	    order0_bulk_alloc, 4096, 21);
BURST_BENCH(page_order0_bulk4096_free, "4096 x __free_pages order 0, per op (after untimed allocs)",
	    order0_bulk_free, 4096, 21);

// SPDX-License-Identifier: GPL-2.0
/*
 * What tracing costs the allocators: the kmalloc(64)+kfree pair of
 * mm/slab_bench.c and the alloc_pages(GFP_KERNEL, 0)+__free_pages pair of
 * mm/page_alloc_bench.c with their two events off (the call sites' NOPs
 * only) and on (two records per pair).  The CPU filter keeps other CPUs'
 * records out of the ring; a full ring overwrites, as a long trace does.
 */
#include <exo/bench.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/trace.h>

static void bench_pair(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		kfree(p);
	}
}

static void bench_page_pair(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		if (!p) {
			pr_err("bench: alloc_pages failed\n");
			return;
		}
		__free_pages(p, 0);
	}
}

/* Events @a and @b on, recorded from this CPU only. */
static int trace_on_events(const char *a, const char *b)
{
	char expr[16];
	int err = trace_set_event(a, true);

	if (err < 0 || (err = trace_set_event(b, true)) < 0)
		return err;
	snprintf(expr, sizeof(expr), "cpu=%u", raw_smp_processor_id());
	return trace_set_filter(expr);
}

static int trace_on_setup(struct bench *b)
{
	return trace_on_events("mm:kmalloc", "mm:kfree");
}

static int trace_page_on_setup(struct bench *b)
{
	return trace_on_events("mm:page_alloc", "mm:page_free");
}

static void trace_on_teardown(struct bench *b)
{
	trace_disable_all();
	trace_set_filter("none");
	trace_clear();
}

DEFINE_BENCH(trace_kmalloc64_pair_off, "kmalloc(64)+kfree, kmalloc/kfree events off",
	     bench_pair);
DEFINE_BENCH_FULL(trace_kmalloc64_pair_on, .desc = "kmalloc(64)+kfree, both events recorded",
		  .run = bench_pair, .setup = trace_on_setup, .teardown = trace_on_teardown);
/* As page_order0_pair, 64 pairs a batch. */
DEFINE_BENCH_FULL(trace_page_pair_off,
		  .desc = "alloc_pages(GFP_KERNEL, 0)+__free_pages, page events off",
		  .run = bench_page_pair, .ops = 64);
DEFINE_BENCH_FULL(trace_page_pair_on,
		  .desc = "alloc_pages(GFP_KERNEL, 0)+__free_pages, both events recorded",
		  .run = bench_page_pair, .setup = trace_page_on_setup,
		  .teardown = trace_on_teardown, .ops = 64);

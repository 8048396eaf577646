// SPDX-License-Identifier: GPL-2.0
/*
 * What tracing costs the allocator: the kmalloc(64)+kfree pair of
 * mm/slab_bench.c with the kmalloc and kfree events off (their call
 * sites' flag tests only) and on (two records per pair).  The CPU filter
 * keeps other CPUs' records out of the ring; a full ring overwrites, as a
 * long trace does.
 */
#include <exo/bench.h>
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

static int trace_on_setup(struct bench *b)
{
	char expr[16];
	int err = trace_set_event("mm:kmalloc", true);

	if (err < 0 || (err = trace_set_event("mm:kfree", true)) < 0)
		return err;
	snprintf(expr, sizeof(expr), "cpu=%u", raw_smp_processor_id());
	return trace_set_filter(expr);
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

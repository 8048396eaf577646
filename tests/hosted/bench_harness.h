/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timing harness shared by the hosted microbenchmarks
 * (bench_page_alloc.c, bench_slab.c): batches bracketed by
 * lfence;rdtsc;lfence ... rdtscp;lfence after warm-up batches, the cost of
 * an empty bracket subtracted, and retired user instructions when perf
 * events are available.
 */
#ifndef _TESTS_HOSTED_BENCH_HARNESS_H
#define _TESTS_HOSTED_BENCH_HARNESS_H

#include <exo/types.h>

#define HBENCH_WARMUP	20
#define HBENCH_BATCHES	201

struct hbench {
	const char *name;
	const char *desc;
	unsigned int ops;		/* operations per batch */
	void (*run)(unsigned int ops);
};

/* Per-operation figures of one benchmark, over its timed batches. */
struct hbench_result {
	double best, p10, median, p90;	/* TSC ticks */
	double insn;			/* median retired instructions, or -1 */
};

/** hbench_init() - open the instruction counter; return the timer overhead */
u64 hbench_init(void);

/** hbench_has_insn() - whether instruction counts are available */
bool hbench_has_insn(void);

/** hbench_measure() - run @b's warm-up and timed batches */
struct hbench_result hbench_measure(const struct hbench *b, u64 overhead);

/** hbench_cmp_u64() - qsort() comparator of u64 */
int hbench_cmp_u64(const void *a, const void *b);

#endif

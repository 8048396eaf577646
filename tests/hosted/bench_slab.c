// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted microbenchmarks of mm/slab*.c (built -O2, no sanitizers, no slab
 * debugging: the production configuration), the same operations as the
 * in-kernel mm/slab_bench.c.
 *
 * Single-thread rows: pinned to one host CPU, warm-up batches, then timed
 * batches bracketed by lfence;rdtsc;lfence ... rdtscp;lfence; the cost of
 * an empty bracket is subtracted; median, p10 and p90 per operation in TSC
 * ticks (and retired user instructions when perf events are available).
 *
 * Throughput rows: 1, 2 and 4 threads (each its own hosted CPU and
 * `current`) run a mixed workload at once -- a window of 32 live objects
 * of 16..4096 bytes, replaced at random -- for a fixed number of
 * operations; the aggregate Mops/s is reported as the median and min-max
 * over rounds.  So is the rate per CPU-second each thread actually got
 * (CLOCK_THREAD_CPUTIME_ID): on a shared or oversubscribed host the wall
 * figure says how many CPUs the threads got, this one whether they slow
 * each other down (shared cache lines, lock contention): it stays at the
 * one-thread figure when they do not.
 *
 *	bench_slab [name-prefix]
 */
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <asm/hosted.h>
#include <asm/processor.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_harness.h"

#define BULK		1000
#define ROUNDS		7
#define MT_OPS		2000000UL

static void *held[BULK];
static volatile size_t bsize;
static struct kmem_cache *cache64;

static void die(const char *what)
{
	fprintf(stderr, "bench_slab: %s failed\n", what);
	exit(1);
}

static void run_pair(unsigned int ops, size_t size)
{
	bsize = size;
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmalloc(bsize, GFP_KERNEL);

		if (!p)
			die("kmalloc");
		__asm__ __volatile__("" : : "r"(p) : "memory");
		kfree(p);
	}
}

#define PAIR(sz) static void run_pair_##sz(unsigned int ops) { run_pair(ops, sz); }
PAIR(16) PAIR(64) PAIR(256) PAIR(512) PAIR(1024) PAIR(2048) PAIR(4096) PAIR(16384)

static void run_cache_pair(unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmem_cache_alloc(cache64, GFP_KERNEL);

		if (!p)
			die("kmem_cache_alloc");
		kmem_cache_free(cache64, p);
	}
}

/* BULK x kmalloc(64, GFP_KERNEL) then BULK frees, per pair. */
static void run_bulk(unsigned int ops)
{
	bsize = 64;
	for (unsigned int i = 0; i < ops / 2; i++)
		if (!(held[i] = kmalloc(bsize, GFP_KERNEL)))
			die("kmalloc");
	for (unsigned int i = 0; i < ops / 2; i++)
		kfree(held[i]);
}

static const struct hbench benches[] = {
	{ "kmalloc16_pair", "kmalloc(16)+kfree (tier 1)", 1000, run_pair_16 },
	{ "kmalloc64_pair", "kmalloc(64)+kfree (tier 1)", 1000, run_pair_64 },
	{ "kmalloc256_pair", "kmalloc(256)+kfree (tier 1)", 1000, run_pair_256 },
	{ "kmalloc512_pair", "kmalloc(512)+kfree (tier 2)", 1000, run_pair_512 },
	{ "kmalloc1024_pair", "kmalloc(1024)+kfree (tier 2)", 1000, run_pair_1024 },
	{ "kmalloc2048_pair", "kmalloc(2048)+kfree (tier 2)", 1000, run_pair_2048 },
	{ "kmalloc4096_pair", "kmalloc(4096)+kfree (tier 2)", 1000, run_pair_4096 },
	{ "kmalloc16384_pair", "kmalloc(16384)+kfree (tier 3)", 1000, run_pair_16384 },
	{ "kmem_cache64_pair", "kmem_cache_alloc+free 64 B", 1000, run_cache_pair },
	{ "kmalloc64_bulk1000", "1000 x kmalloc(64), 1000 x kfree; per op", 2 * BULK, run_bulk },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run_bench(const struct hbench *b, u64 overhead)
{
	struct hbench_result r = hbench_measure(b, overhead);

	printf("%-20s %-42s %8.1f %8.1f %8.1f", b->name, b->desc, r.best, r.median, r.p90);
	if (r.insn >= 0)
		printf(" %8.1f", r.insn);
	printf("\n");
}

/* ---------------------------------------------------------------------
 * Throughput with several threads allocating at once
 */

static u64 mt_seed_base;
static u64 mt_cpu_ns;		/* atomic: CPU time of the round's threads */

static u64 thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void mt_worker(void *arg)
{
	u64 s = mt_seed_base ^ ((u64)(unsigned long)current * 0x9e3779b97f4a7c15ULL);
	void *win[32] = { 0 };
	u64 c0 = thread_cpu_ns();

	(void)arg;
	for (unsigned long op = 0; op < MT_OPS; op++) {
		unsigned int slot;
		size_t size;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		slot = (unsigned int)(s & 31);
		/* 3/4 small (tier 1), 1/4 512..4096 (tier 2). */
		size = (s >> 8) & 3 ? 16UL << ((s >> 10) % 5) : 512UL << ((s >> 10) % 4);
		kfree(win[slot]);
		win[slot] = kmalloc(size, GFP_KERNEL);
		if (!win[slot])
			die("kmalloc");
		*(volatile char *)win[slot] = 1;
	}
	for (unsigned int i = 0; i < 32; i++)
		kfree(win[i]);
	__atomic_fetch_add(&mt_cpu_ns, thread_cpu_ns() - c0, __ATOMIC_RELAXED);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run_threads(unsigned int nthreads, double *base, double *cbase)
{
	double r[ROUNDS], c[ROUNDS], t0, load[1] = { -1 };

	getloadavg(load, 1);
	for (int i = 0; i < ROUNDS; i++) {
		mt_seed_base = 0x12345 + i;
		mt_cpu_ns = 0;
		t0 = now_s();
		if (hosted_run_on_cpus(1, nthreads, mt_worker, NULL))
			die("threads");
		r[i] = nthreads * MT_OPS / (now_s() - t0) / 1e6;
		c[i] = nthreads * MT_OPS / (mt_cpu_ns * 1e-9) / 1e6;
	}
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	qsort(c, ROUNDS, sizeof(c[0]), cmp_double);
	if (!*base) {
		*base = r[ROUNDS / 2];
		*cbase = c[ROUNDS / 2];
	}
	printf("%-20s %u thread%s at once, mixed 16-4096 B        %8.2f Mops/s (min %.2f, max %.2f) x%.2f vs 1; "
	       "per CPU-second %.2f (%.2f-%.2f) x%.2f; load %.1f\n",
	       nthreads == 1 ? "mt_1thread" : nthreads == 2 ? "mt_2threads" : "mt_4threads",
	       nthreads, nthreads > 1 ? "s" : "", r[ROUNDS / 2], r[0], r[ROUNDS - 1],
	       r[ROUNDS / 2] / *base, c[ROUNDS / 2], c[0], c[ROUNDS - 1], c[ROUNDS / 2] / *cbase,
	       load[0]);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	double base = 0, cbase = 0;
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
	kmem_cache_init();
	hosted_task_begin("bench");
	cache64 = kmem_cache_create("bench64", 64, 0, 0, NULL);
	if (!cache64)
		die("kmem_cache_create");
	overhead = hbench_init();
	printf("# hosted kmalloc, host TSC ticks per operation (timer overhead %llu ticks subtracted)\n",
	       overhead);
	printf("%-20s %-42s %8s %8s %8s%s\n", "bench", "operation", "best", "median", "p90",
	       hbench_has_insn() ? "    insn" : "");
	for (unsigned int i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (!filter || !strncmp(benches[i].name, filter, strlen(filter)))
			run_bench(&benches[i], overhead);
	if (!filter || !strncmp("mt", filter, 2)) {
		/* All host CPUs for the threads. */
		CPU_ZERO(&set);
		for (int c = 0; c < CPU_SETSIZE && c < 64; c++)
			CPU_SET(c, &set);
		sched_setaffinity(0, sizeof(set), &set);
		for (unsigned int n = 1; n <= 4; n *= 2)
			run_threads(n, &base, &cbase);
	}
	kmem_cache_destroy(cache64);
	if (kmem_check())
		die("kmem_check");
	return 0;
}

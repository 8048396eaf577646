// SPDX-License-Identifier: GPL-2.0
/*
 * Races of the page-table code, part of the "pgtable" ktest suite defined
 * in mm/pgtable_test.c: translate() against unmap_page() on other CPUs,
 * translate()'s per-CPU caches against the free of what they point to,
 * and (hosted) table creation and pruning from several CPUs at once.
 * Portable: they run in the kernel and in the hosted build.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <exo/time.h>

#ifdef __HOSTED__
#include <asm/hosted.h>
#endif

#include "pgtable_test.h"

/*
 * translate() against unmap_page() on other CPUs (issue 15, item 2).  One
 * page stays mapped in the 1 GiB region, so its page directory survives;
 * the writer maps and unmaps K (the page table under K is freed), then
 * maps and unmaps K + 2 MiB, whose new page table is the frame just freed
 * (LIFO per-CPU cache).  Readers translate K and K + 2 MiB all along:
 * each answer must be "not mapped" or that page's own address, never the
 * other's, which only a stale pointer to the freed table could give.
 */
#define XR_VA		(KERN_VA + 24 * PUD_SIZE)
#define XR_KEEP		(XR_VA + 100 * PMD_SIZE)
#define XR_PA(i)	(FAKE_PA + (i) * PMD_SIZE)
/*
 * Rounds, and the time budget that may end them once XR_MIN_ROUNDS are
 * done (TCG: 30-150 rounds a second, each unmap waits for every CPU).
 */
#define XR_MIN_ROUNDS	20UL
#ifdef __HOSTED__
#define XR_ROUNDS	200000UL
#define XR_NS		(2000 * NSEC_PER_MSEC)
#else
#define XR_ROUNDS	50000UL
#define XR_NS		(1000 * NSEC_PER_MSEC)
#endif

struct xrace_ctx {
	unsigned long stride;	/* between the two pages: PMD_SIZE or PUD_SIZE */
	u64 deadline;
	unsigned long rounds, reads, wrong, errors;
	bool stop;
};

static void xrace_worker(void *arg, unsigned int id)
{
	struct xrace_ctx *c = arg;
	unsigned long r, reads = 0, wrong = 0;

	if (id == 0) {
		for (r = 0; r < XR_ROUNDS && (r < XR_MIN_ROUNDS || ktime_get_ns() < c->deadline);
		     r++) {
			for (unsigned long i = 0; i < 2; i++) {
				unsigned long va = XR_VA + i * c->stride;

				if (map_page(va, XR_PA(i), 0) || unmap_page(va))
					__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
			}
		}
		__atomic_store_n(&c->rounds, r, __ATOMIC_RELAXED);
		__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
		return;
	}
	/* One page per reader: its cached table is then reused, not replaced. */
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		unsigned long i = (id + 1) % 2, off = (reads * 8) & (PAGE_SIZE - 1);
		phys_addr_t pa;
		int err = translate(XR_VA + i * c->stride + off, &pa);

		wrong += err ? err != -ENOENT : pa != XR_PA(i) + off;
		reads++;
	}
	__atomic_fetch_add(&c->reads, reads, __ATOMIC_RELAXED);
	__atomic_fetch_add(&c->wrong, wrong, __ATOMIC_RELAXED);
}

/*
 * Runs xrace_worker() with @c on up to 4 CPUs and checks the outcome: no
 * map or unmap failed, no translation was wrong, enough rounds ran, both
 * pages are unmapped, and every table and frame taken went back.
 */
static void xrace_run(struct ktest *t, struct xrace_ctx *c)
{
	struct baseline b;
	phys_addr_t pa;
	int n;

	baseline_take(&b);
	c->deadline = ktime_get_ns() + XR_NS;
	n = ktest_run_on_cpus(4, xrace_worker, c);
	KTEST_ASSERT_GE(t, n, 2);
	KTEST_EXPECT_EQ(t, c->errors, 0UL);
	KTEST_EXPECT_EQ(t, c->wrong, 0UL);
	KTEST_EXPECT_GE(t, c->rounds, XR_MIN_ROUNDS);
	KTEST_EXPECT_EQ(t, translate(XR_VA, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(XR_VA + c->stride, &pa), -ENOENT);
#ifdef __HOSTED__
	for (unsigned int cpu = 1; cpu <= (unsigned int)n; cpu++)
		drain_cpu_pages(cpu);
#endif
	EXPECT_BASELINE(t, &b);
	ktest_log(t, "%d CPUs, %lu rounds, %lu translations", n, c->rounds, c->reads);
}

void test_translate_unmap_race(struct ktest *t)
{
	struct xrace_ctx c = { .stride = PMD_SIZE };

	KTEST_ASSERT_EQ(t, map_page(XR_KEEP, FAKE_PA, 0), 0);
	xrace_run(t, &c);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, XR_VA, XR_VA + PUD_SIZE), 1UL);
	KTEST_EXPECT_EQ(t, unmap_page(XR_KEEP), 0);
}

/*
 * The same with nothing else mapped in either GiB and the two pages a
 * GiB apart: every unmap frees the page table and the page directory,
 * and the next map in the other GiB takes them again (LIFO), so a
 * stale cached directory (tag2) would lead a reader into the other
 * GiB's tables.
 */
void test_translate_unmap_race_dir(struct ktest *t)
{
	struct xrace_ctx c = { .stride = PUD_SIZE };

	xrace_run(t, &c);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, XR_VA, XR_VA + 2 * PUD_SIZE), 0UL);
}

/*
 * translate()'s per-CPU caches, of the last page table and of the last
 * page directory it walked to, must not outlive them.  A page of GiB G is
 * translated (both cached), then unmapped: its page table and directory
 * are freed.  A huge page then maps G again (1 GiB, else 2 MiB: that
 * directory is a new one) and must be what translate() finds, in the
 * 2 MiB of the old page and in another: a cache that survived the free
 * would walk the freed tables, whose entries were cleared, and answer
 * -ENOENT (or through whatever reused them).
 */
#define XC_VA		(KERN_VA + 40 * PUD_SIZE + 3 * PMD_SIZE + 5 * PAGE_SIZE)

void test_translate_cache_freed(struct ktest *t)
{
	unsigned long g = XC_VA & ~(PUD_SIZE - 1), huge = XC_VA & ~(PMD_SIZE - 1);
	pgflags_t size_flag = PAGE_HUGE_2M;
	struct baseline b;
	phys_addr_t pa;

	if (!pgtable_huge_supported(PAGE_HUGE_2M))
		KTEST_SKIP(t, "no 2 MiB pages");
	if (pgtable_huge_supported(PAGE_HUGE_1G)) {
		size_flag = PAGE_HUGE_1G;
		huge = g;
	}
	baseline_take(&b);
	KTEST_ASSERT_EQ(t, map_page(XC_VA, FAKE_PA, 0), 0);
	KTEST_EXPECT_EQ(t, translate(XC_VA + 8, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 8);
	KTEST_EXPECT_EQ(t, unmap_page(XC_VA), 0);
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), b.tables);	/* both tables freed */
	KTEST_ASSERT_EQ(t, map_page(huge, FAKE_PA, size_flag), 0);
	KTEST_EXPECT_EQ(t, translate(XC_VA + 8, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + (XC_VA - huge) + 8);
	if (size_flag == PAGE_HUGE_1G) {
		KTEST_EXPECT_EQ(t, translate(g + 7 * PMD_SIZE + 16, &pa), 0);
		KTEST_EXPECT_EQ(t, pa, FAKE_PA + 7 * PMD_SIZE + 16);
	} else {
		KTEST_EXPECT_EQ(t, translate(g + 7 * PMD_SIZE + 16, &pa), -ENOENT);
	}
	KTEST_EXPECT_EQ(t, unmap_page(huge), 0);
	KTEST_EXPECT_EQ(t, translate(XC_VA, &pa), -ENOENT);
	EXPECT_BASELINE(t, &b);
}

#ifdef __HOSTED__
/*
 * Concurrency (hosted threads as CPUs): each thread maps, checks and
 * unmaps pages in its own 2 MiB regions, which share the upper tables, so
 * table creation and pruning race on the shared PDs and PDPTs under the
 * lock.  A thread only translates what it has mapped (its table chain
 * cannot be freed meanwhile).  Tables and frames end at the baseline.
 */
struct race_ctx {
	unsigned long errors;
};

static void race_cpu(void *arg)
{
	struct race_ctx *c = arg;
	unsigned int cpu = smp_processor_id();
	u64 seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	for (int round = 0; round < 400; round++) {
		unsigned long region = KERN_VA + 16 * PUD_SIZE +
				       ((model_rnd(&seed) % 8) * 8 + cpu) * PMD_SIZE;
		unsigned long n = 1 + model_rnd(&seed) % 24;
		phys_addr_t pa;

		for (unsigned long i = 0; i < n; i++)
			if (map_page(region + i * PAGE_SIZE,
				     FAKE_PA + (cpu * 64 + i) * PAGE_SIZE, 0))
				__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		for (unsigned long i = 0; i < n; i++)
			if (translate(region + i * PAGE_SIZE + 7, &pa) ||
			    pa != FAKE_PA + (cpu * 64 + i) * PAGE_SIZE + 7)
				__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		if (round & 1) {
			if (unmap_range(region, n * PAGE_SIZE))
				__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		} else {
			for (unsigned long i = 0; i < n; i++)
				if (unmap_page(region + i * PAGE_SIZE))
					__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		}
	}
}

void test_concurrent_tables(struct ktest *t)
{
	struct race_ctx c = { 0 };
	struct baseline b;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, hosted_run_on_cpus(1, 4, race_cpu, &c), 0);
	KTEST_EXPECT_EQ(t, c.errors, 0UL);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, KERN_VA + 16 * PUD_SIZE, KERN_VA + 17 * PUD_SIZE),
			0UL);
	for (unsigned int cpu = 1; cpu <= 4; cpu++)
		drain_cpu_pages(cpu);
	EXPECT_BASELINE(t, &b);
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection tests: the attribute semantics (interval, probability,
 * space, times, thread filter, parsing), then the page allocator's
 * allocation-heavy operations run with injection on, proving that every
 * injected failure comes back as -ENOMEM/NULL, that the callers' unwinding
 * leaves nothing behind (free-frame count back at its baseline, the
 * allocator's checker clean) and that successes in between are real.
 *
 * Every case but test_smp_traffic restricts injection to its own thread
 * (attr->task), so other threads allocating at the same time are not
 * disturbed; the suite's exit hook switches it off again even when a case
 * aborts.  test_smp_traffic (all online CPUs at once) skips until SMP
 * bring-up is merged; it passes when forced to run on one CPU.
 */
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/kthread.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>

static struct fault_attr test_attr = FAULT_ATTR_INITIALIZER("fail_test");

static void fi_exit(struct ktest *t)
{
	struct fault_attr *const attrs[] = { &fail_page_alloc, &fail_slab, &fail_pgtable };

	fault_attr_disable(&test_attr);
	for (unsigned int i = 0; i < ARRAY_SIZE(attrs); i++) {
		fault_attr_disable(attrs[i]);
		WRITE_ONCE(attrs[i]->task, NULL);
		attrs[i]->verbose = 1;
	}
}

/* Arm @a for this thread only, silently (the tests count for themselves). */
static int arm(struct fault_attr *a, const char *spec)
{
	a->task = current;
	a->verbose = 0;
	return setup_fault_attr(a, spec);
}

static void test_parse(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "3,50,8192,-1"), 0);
	KTEST_EXPECT_EQ(t, test_attr.interval, 3UL);
	KTEST_EXPECT_EQ(t, test_attr.probability, 50UL);
	KTEST_EXPECT_EQ(t, test_attr.space, 8192L);
	KTEST_EXPECT_EQ(t, test_attr.times, -1L);
	/* Rejected strings change nothing. */
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "0,50,0,1"), -EINVAL);	/* interval 0 */
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,101,0,1"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,100,0"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,100,0,1,5"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,x,0,1"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,,0,1"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, "1,10,-1,1"), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&test_attr, ""), -EINVAL);
	KTEST_EXPECT_EQ(t, test_attr.interval, 3UL);
	KTEST_EXPECT_EQ(t, test_attr.probability, 50UL);
	KTEST_EXPECT_EQ(t, test_attr.times, -1L);
	KTEST_EXPECT_TRUE(t, fault_attr_find("page_alloc") == &fail_page_alloc);
	KTEST_EXPECT_TRUE(t, fault_attr_find("fail_slab") == &fail_slab);
	KTEST_EXPECT_TRUE(t, fault_attr_find("pgtable") == &fail_pgtable);
	KTEST_EXPECT_NULL(t, fault_attr_find("nosuch"));
}

static void test_interval_and_times(struct ktest *t)
{
	unsigned int fails[16], n = 0;

	KTEST_ASSERT_EQ(t, arm(&test_attr, "3,100,0,2"), 0);
	for (unsigned int i = 1; i <= 12; i++)
		if (should_fail(&test_attr, 1) && n < ARRAY_SIZE(fails))
			fails[n++] = i;
	/* Every third call, twice, then never again. */
	KTEST_ASSERT_EQ(t, n, 2U);
	KTEST_EXPECT_EQ(t, fails[0], 3U);
	KTEST_EXPECT_EQ(t, fails[1], 6U);
	KTEST_EXPECT_EQ(t, test_attr.times, 0L);
	KTEST_EXPECT_EQ(t, test_attr.nr_failed, 2UL);
	KTEST_EXPECT_EQ(t, test_attr.nr_calls, 12UL);
}

static void test_space(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, arm(&test_attr, "1,100,10000,-1"), 0);
	/* 10000 -> 5904 -> 1808: the first two 4096-byte calls pass. */
	KTEST_EXPECT_FALSE(t, should_fail(&test_attr, 4096));
	KTEST_EXPECT_FALSE(t, should_fail(&test_attr, 4096));
	KTEST_EXPECT_TRUE(t, should_fail(&test_attr, 4096));
	KTEST_EXPECT_TRUE(t, should_fail(&test_attr, 4096));
	/* As in Linux, a request smaller than what is left still passes. */
	KTEST_EXPECT_FALSE(t, should_fail(&test_attr, 8));
	KTEST_EXPECT_EQ(t, test_attr.space, 1800L);
}

static void test_probability(struct ktest *t)
{
	unsigned int n = 0;

	KTEST_ASSERT_EQ(t, arm(&test_attr, "1,25,0,-1"), 0);
	for (int i = 0; i < 4000; i++)
		n += should_fail(&test_attr, 1);
	/* 1000 expected; xorshift64* is far better than +-20%. */
	KTEST_EXPECT_GT(t, n, 800U);
	KTEST_EXPECT_LT(t, n, 1200U);
	fault_attr_disable(&test_attr);
	KTEST_EXPECT_FALSE(t, should_fail(&test_attr, 1));
}

static void test_task_filter(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, arm(&test_attr, "1,100,0,-1"), 0);
	KTEST_EXPECT_TRUE(t, should_fail(&test_attr, 1));
	/* Another thread (any pointer that is not current) is left alone. */
	test_attr.task = (struct task_struct *)&test_attr;
	KTEST_EXPECT_FALSE(t, should_fail(&test_attr, 1));
}

/* Each of the three page-allocator entry points fails when told to. */
static void test_page_alloc_hooks(struct ktest *t)
{
	unsigned long base = nr_free_pages();
	phys_addr_t pa = 0;

	KTEST_ASSERT_EQ(t, arm(&fail_page_alloc, "1,100,0,3"), 0);
	KTEST_EXPECT_EQ(t, alloc_frame(&pa), -ENOMEM);
	KTEST_EXPECT_EQ(t, alloc_contiguous(5, &pa), -ENOMEM);
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2));
	KTEST_EXPECT_EQ(t, pa, 0ULL);		/* failures do not write the result */
	/* Bad input is still reported as bad input, not as out of memory. */
	KTEST_ASSERT_EQ(t, arm(&fail_page_alloc, "1,100,0,-1"), 0);
	KTEST_EXPECT_EQ(t, alloc_contiguous(0, &pa), -EINVAL);
	fault_attr_disable(&fail_page_alloc);
	/* times was 3: exhausted, so allocation works again. */
	KTEST_EXPECT_EQ(t, alloc_frame(&pa), 0);
	KTEST_EXPECT_EQ(t, free_frame(pa), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), base);
	KTEST_EXPECT_EQ(t, fail_page_alloc.nr_failed, 0UL);
}

/* Sizes in every kmalloc tier: thread cache, per-CPU arrays, whole pages. */
static const size_t tier_sizes[] = { 1, 16, 100, 256, 257, 512, 2000, 4096, 4097, 9000, 70000 };

/*
 * Every slab entry point, every tier: an armed fail_slab makes each call
 * return NULL and count one failure; nothing is taken; disarmed, the same
 * calls work.
 */
static void test_slab_hooks(struct ktest *t)
{
	unsigned long base_free = ktest_settled_free_pages(), base_objs = kmalloc_usage(NULL);
	struct kmem_cache *c = kmem_cache_create("fi_test", 72, 8, 0, NULL);
	unsigned long calls = 0;
	void *p;

	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_ASSERT_EQ(t, arm(&fail_slab, "1,100,0,-1"), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(tier_sizes); i++) {
		size_t size = tier_sizes[i];

		KTEST_EXPECT_NULL(t, kmalloc(size, GFP_KERNEL));
		KTEST_EXPECT_NULL(t, kzalloc(size, GFP_KERNEL));
		KTEST_EXPECT_NULL(t, kcalloc(size, 1, GFP_KERNEL));
		KTEST_EXPECT_NULL(t, krealloc(NULL, size, GFP_KERNEL));
		calls += 4;
	}
	KTEST_EXPECT_NULL(t, kmem_cache_alloc(c, GFP_KERNEL));
	calls++;
	KTEST_EXPECT_EQ(t, fail_slab.nr_failed, calls);
	KTEST_EXPECT_EQ(t, fail_slab.nr_calls, calls);
	/* Size 0 and an overflowing kcalloc keep their own answers, uncounted. */
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_NULL(t, kcalloc(~(size_t)0 / 2, 4, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, fail_slab.nr_calls, calls);
	fault_attr_disable(&fail_slab);
	for (unsigned int i = 0; i < ARRAY_SIZE(tier_sizes); i++) {
		p = kmalloc(tier_sizes[i], GFP_KERNEL);
		KTEST_EXPECT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	}
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_EQ(t, fail_slab.nr_failed, calls);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base_free);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), base_objs);
}

/* times and interval through the slab hook: exactly the 3rd and 6th kmalloc fail. */
static void test_slab_interval(struct ktest *t)
{
	void *p[8];
	unsigned int nulls = 0;

	KTEST_ASSERT_EQ(t, arm(&fail_slab, "3,100,0,2"), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmalloc(tier_sizes[i % ARRAY_SIZE(tier_sizes)], GFP_KERNEL);
		nulls += !p[i];
	}
	fault_attr_disable(&fail_slab);
	KTEST_EXPECT_EQ(t, nulls, 2U);
	KTEST_EXPECT_NULL(t, p[2]);
	KTEST_EXPECT_NULL(t, p[5]);
	for (unsigned int i = 0; i < ARRAY_SIZE(p); i++)
		if (p[i])
			KTEST_EXPECT_EQ(t, kfree_checked(p[i]), 0);
}

static void fill(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

static bool intact(const u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

/*
 * A krealloc() that needs a new object and cannot get one returns NULL and
 * leaves the old object as it was: same address, same contents, still
 * allocated (ksize, kfree_checked), in every tier and across tiers.  One
 * that fits in place makes no allocation and so cannot fail.
 */
static void test_krealloc_keeps_old(struct ktest *t)
{
	/* Each grows past its object or block: krealloc() must allocate. */
	static const size_t from_to[][2] = {
		{ 24, 200 }, { 100, 300 }, { 256, 4096 }, { 600, 1500 }, { 3000, 5000 },
		{ 5000, 30000 },
	};
	/* Each still fits: krealloc() keeps the object and allocates nothing. */
	static const size_t in_place[][2] = { { 100, 120 }, { 20000, 100 }, { 9000, 16 } };
	unsigned long base_free = ktest_settled_free_pages(), base_objs = kmalloc_usage(NULL);

	for (unsigned int i = 0; i < ARRAY_SIZE(from_to); i++) {
		size_t old = from_to[i][0], new = from_to[i][1];
		u8 *p = kmalloc(old, GFP_KERNEL), *q;

		KTEST_ASSERT_NOT_NULL(t, p);
		fill(p, old, (u8)i);
		KTEST_ASSERT_EQ(t, arm(&fail_slab, "1,100,0,1"), 0);
		q = krealloc(p, new, GFP_KERNEL);
		fault_attr_disable(&fail_slab);
		KTEST_EXPECT_NULL(t, q);
		KTEST_EXPECT_EQ(t, fail_slab.nr_failed, 1UL);
		KTEST_EXPECT_TRUE(t, intact(p, old, (u8)i));
		KTEST_EXPECT_GE(t, ksize(p), old);
		/* Disarmed, the same krealloc works and keeps the prefix. */
		q = krealloc(p, new, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		KTEST_EXPECT_TRUE(t, intact(q, min(old, new), (u8)i));
		KTEST_EXPECT_EQ(t, kfree_checked(q), 0);
		if (t->failures)
			break;
	}
	/* In place (growing or shrinking within it): no allocation, so no failure. */
	for (unsigned int i = 0; i < ARRAY_SIZE(in_place); i++) {
		size_t old = in_place[i][0], new = in_place[i][1];
		u8 *p = kmalloc(old, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		fill(p, old, (u8)i);
		KTEST_ASSERT_EQ(t, arm(&fail_slab, "1,100,0,-1"), 0);
		KTEST_EXPECT_TRUE(t, krealloc(p, new, GFP_KERNEL) == p);
		KTEST_EXPECT_EQ(t, fail_slab.nr_calls, 0UL);
		fault_attr_disable(&fail_slab);
		KTEST_EXPECT_TRUE(t, intact(p, min(old, new), (u8)i));
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	}
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base_free);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), base_objs);
}

/*
 * Suspend puts every armed point aside (what the soak does around its own
 * setup and checks, and what boot does with fail_*=), resume re-arms it
 * with its statistics intact; fault_inject_nr_failed() sums the points.
 */
static void test_suspend_resume(struct ktest *t)
{
	unsigned long total = fault_inject_nr_failed();
	void *p;

	KTEST_ASSERT_EQ(t, arm(&fail_slab, "1,100,0,-1"), 0);
	KTEST_EXPECT_NULL(t, kmalloc(64, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, fault_inject_nr_failed(), total + 1);
	KTEST_EXPECT_EQ(t, fault_inject_suspend(), 1U);
	KTEST_EXPECT_EQ(t, fail_slab.probability, 0UL);
	p = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	fault_inject_resume();
	KTEST_EXPECT_EQ(t, fail_slab.probability, 100UL);
	KTEST_EXPECT_NULL(t, kmalloc(64, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, fail_slab.nr_failed, 2UL);
	KTEST_EXPECT_EQ(t, fault_inject_nr_failed(), total + 2);
	/* Disabling a suspended point also forgets what a resume would restore. */
	KTEST_EXPECT_EQ(t, fault_inject_suspend(), 1U);
	fault_attr_disable(&fail_slab);
	fault_inject_resume();
	KTEST_EXPECT_EQ(t, fail_slab.probability, 0UL);
	KTEST_EXPECT_EQ(t, fault_inject_suspend(), 0U);
}

/*
 * A multi-step operation with goto unwinding, as kernel code writes them:
 * take @n frames (mixing the three APIs), or give back everything taken so
 * far and return -ENOMEM.
 */
#define BUILD_MAX	96

struct built {
	phys_addr_t pa[BUILD_MAX];
	unsigned int count[BUILD_MAX];	/* frames; 0 = alloc_pages order 1 */
	unsigned int n;
};

static void release(struct built *b)
{
	while (b->n) {
		unsigned int i = --b->n;

		if (b->count[i])
			free_contiguous(b->pa[i], b->count[i]);
		else
			__free_pages(phys_to_page(b->pa[i]), 1);
	}
}

static int build(struct built *b, unsigned int n)
{
	b->n = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct page *page;
		int err = 0;

		switch (i % 3) {
		case 0:
			b->count[i] = 1;
			err = alloc_frame(&b->pa[i]);
			break;
		case 1:
			b->count[i] = 1 + i % 7;
			err = alloc_contiguous(b->count[i], &b->pa[i]);
			break;
		default:
			b->count[i] = 0;
			page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);
			if (page)
				b->pa[i] = page_to_phys(page);
			else
				err = -ENOMEM;
			break;
		}
		if (err)
			goto unwind;
		b->n++;
	}
	return 0;
unwind:
	release(b);
	return -ENOMEM;
}

static void test_unwind_every_step(struct ktest *t)
{
	static struct built b;
	unsigned long base, calls_ok = 0;
	char spec[32];

	base = nr_free_pages();
	/*
	 * Fail exactly the k-th allocation, for every k: each error path of
	 * build() runs once, at every depth.
	 */
	for (unsigned int k = 1; k <= BUILD_MAX; k++) {
		snprintf(spec, sizeof(spec), "%u,100,0,1", k);
		KTEST_ASSERT_EQ(t, arm(&fail_page_alloc, spec), 0);
		KTEST_EXPECT_EQ(t, build(&b, BUILD_MAX), -ENOMEM);
		KTEST_EXPECT_EQ(t, b.n, 0U);
		KTEST_EXPECT_EQ(t, fail_page_alloc.nr_failed, 1UL);
		KTEST_EXPECT_EQ(t, fail_page_alloc.nr_calls, (unsigned long)k);
		KTEST_EXPECT_EQ(t, nr_free_pages(), base);
		if (t->failures)
			break;
	}
	/* Injection exhausted (times = 1): the whole build now succeeds. */
	KTEST_ASSERT_EQ(t, build(&b, BUILD_MAX), 0);
	for (unsigned int i = 0; i < b.n; i++) {
		unsigned long pfn = PHYS_PFN(b.pa[i]);

		calls_ok += pfn_allocated(pfn);
	}
	KTEST_EXPECT_EQ(t, calls_ok, (unsigned long)BUILD_MAX);
	release(&b);
	fault_attr_disable(&fail_page_alloc);
	KTEST_EXPECT_EQ(t, nr_free_pages(), base);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0UL);
}

/*
 * Random allocation traffic with a third of the requests failing: the
 * allocator's counters and invariants must not notice the injected
 * failures.
 */
static void test_random_traffic(struct ktest *t)
{
	static phys_addr_t held[512];
	static unsigned int held_count[512];
	unsigned long base = nr_free_pages(), ok = 0, failed = 0;
	unsigned int n = 0;
	u64 x = 0x0123456789abcdefULL;

	KTEST_ASSERT_EQ(t, arm(&fail_page_alloc, "1,33,0,-1"), 0);
	for (unsigned int step = 0; step < 4000; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (n < ARRAY_SIZE(held) && (x % 100 < 60 || !n)) {
			unsigned int count = 1 + (unsigned int)(x >> 32) % 17;
			int err = count == 1 ? alloc_frame(&held[n]) :
				  alloc_contiguous(count, &held[n]);

			if (err) {
				KTEST_EXPECT_EQ(t, err, -ENOMEM);
				failed++;
				continue;
			}
			held_count[n++] = count;
			ok++;
		} else {
			unsigned int i = (unsigned int)(x >> 40) % n;

			KTEST_EXPECT_EQ(t, free_contiguous(held[i], held_count[i]), 0);
			held[i] = held[--n];
			held_count[i] = held_count[n];
		}
		if (t->failures)
			break;
	}
	fault_attr_disable(&fail_page_alloc);
	while (n) {
		n--;
		KTEST_EXPECT_EQ(t, free_contiguous(held[n], held_count[n]), 0);
	}
	KTEST_EXPECT_EQ(t, failed, fail_page_alloc.nr_failed);
	KTEST_EXPECT_GT(t, failed, 500UL);
	KTEST_EXPECT_GT(t, ok, 1000UL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), base);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0UL);
	ktest_log(t, "%lu allocations, %lu injected failures", ok, failed);
}

/*
 * Every online CPU runs allocation traffic at once, with a quarter of all
 * allocations failing (no thread filter): counters stay exact across CPUs
 * and everything is given back.
 */
struct smp_traffic {
	unsigned long ok, failed, bad;
};

static int smp_traffic_thread(void *arg)
{
	struct smp_traffic *st = arg;
	phys_addr_t held[64];
	unsigned int n = 0;

	for (unsigned int i = 0; i < 3000; i++) {
		if (n < ARRAY_SIZE(held) && (i % 3 || !n)) {
			int err = alloc_frame(&held[n]);

			if (!err) {
				n++;
				st->ok++;
			} else if (err == -ENOMEM) {
				st->failed++;
			} else {
				st->bad++;
			}
		} else {
			st->bad += free_frame(held[--n]) != 0;
		}
	}
	while (n)
		st->bad += free_frame(held[--n]) != 0;
	return 0;
}

static void test_smp_traffic(struct ktest *t)
{
	static struct smp_traffic st[NR_CPUS];
	static struct task_struct *th[NR_CPUS];
	unsigned long base = nr_free_pages(), failed = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		st[cpu] = (struct smp_traffic){ 0, 0, 0 };
		th[cpu] = kthread_create(smp_traffic_thread, &st[cpu], "fi_smp/%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, th[cpu]);
		KTEST_ASSERT_EQ(t, kthread_bind(th[cpu], cpu), 0);
	}
	/* Only now: the threads' own stacks must not be the allocations that fail. */
	KTEST_ASSERT_EQ(t, setup_fault_attr(&fail_page_alloc, "1,25,0,-1"), 0);
	fail_page_alloc.verbose = 0;
	for_each_online_cpu(cpu)
		wake_up_process(th[cpu]);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_join(th[cpu]), 0);
		KTEST_EXPECT_EQ(t, st[cpu].bad, 0UL);
		KTEST_EXPECT_GT(t, st[cpu].failed, 0UL);
		KTEST_EXPECT_GT(t, st[cpu].ok, 0UL);
		failed += st[cpu].failed;
	}
	fault_attr_disable(&fail_page_alloc);
	KTEST_EXPECT_EQ(t, failed, fail_page_alloc.nr_failed);
	KTEST_EXPECT_EQ(t, nr_free_pages(), base);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0UL);
}

static struct ktest_case fault_inject_cases[] = {
	KTEST_CASE(test_parse),
	KTEST_CASE(test_interval_and_times),
	KTEST_CASE(test_space),
	KTEST_CASE(test_probability),
	KTEST_CASE(test_task_filter),
	KTEST_CASE(test_page_alloc_hooks),
	KTEST_CASE(test_slab_hooks),
	KTEST_CASE(test_slab_interval),
	KTEST_CASE(test_krealloc_keeps_old),
	KTEST_CASE(test_suspend_resume),
	KTEST_CASE(test_unwind_every_step),
	KTEST_CASE(test_random_traffic),
	KTEST_CASE_FLAGS(test_smp_traffic, KTEST_F_SMP),
	{}
};

static struct ktest_suite fault_inject_suite = {
	.name = "fault_inject",
	.cases = fault_inject_cases,
	.exit = fi_exit,
};
KTEST_SUITE(fault_inject_suite);

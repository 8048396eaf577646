// SPDX-License-Identifier: GPL-2.0
/*
 * KASAN tests: each case makes one bad access (or free) on purpose and
 * proves that exactly one report of the right kind, at the right address,
 * read or write, was counted - and that the good accesses around it made
 * none.  Reports are printed as one line while the suite runs.
 *
 * Sizes pick the kmalloc tiers: 60 B is tier 1 (thread cache, 64 B
 * slot), 1000 B tier 2 (per-CPU array, 1024 B slot), 16000 B tier 3
 * (a 16 KiB buddy block).  The bytes between the size and the end of the
 * slot are the red zone.  Indexes go through ident() so that the compiler
 * can neither prove the access out of bounds nor drop it.
 */
#include <exo/errno.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/page.h>

static volatile char sink;
/* Reports the cases provoked (all kinds / bad accesses only), for test_totals. */
static unsigned long provoked, provoked_access;
static unsigned long count_at_start;

static noinline size_t ident(size_t x)
{
	barrier();
	return x;
}

struct probe {
	unsigned long before;
	bool quiet;
};

static void probe_begin(struct ktest *t, struct probe *p)
{
	p->quiet = kasan_set_quiet(true);
	p->before = kasan_report_count();
}

/* Exactly one report since probe_begin(), of @bug at @addr. */
static void expect_one(struct ktest *t, struct probe *p, enum kasan_bug bug,
		       const void *addr, bool write)
{
	struct kasan_report_info r;

	KTEST_EXPECT_EQ(t, kasan_report_count(), p->before + 1);
	provoked++;
	if (bug == KASAN_BUG_OOB || bug == KASAN_BUG_UAF)
		provoked_access++;
	kasan_last_report(&r);
	KTEST_EXPECT_EQ(t, (int)r.bug, (int)bug);
	KTEST_EXPECT_EQ(t, r.addr, (unsigned long)addr);
	if (bug != KASAN_BUG_DOUBLE_FREE)
		KTEST_EXPECT_EQ(t, r.write, write);
	kasan_set_quiet(p->quiet);
}

static void expect_none(struct ktest *t, struct probe *p)
{
	KTEST_EXPECT_EQ(t, kasan_report_count(), p->before);
	kasan_set_quiet(p->quiet);
}

#define need_kasan(t) do {						\
	if (!kasan_enabled())						\
		KTEST_SKIP(t, "KASAN shadow not mapped");		\
} while (0)

/* Good accesses first (none reported), then one byte past the object. */
static void oob(struct ktest *t, size_t size, bool write)
{
	size_t n = ident(size);
	volatile char *p = kmalloc(n, GFP_KERNEL);
	struct probe pr;

	KTEST_ASSERT_NOT_NULL(t, p);
	probe_begin(t, &pr);
	p[0] = 1;
	p[n - 1] = 2;
	sink = p[0] + p[n - 1];
	expect_none(t, &pr);
	probe_begin(t, &pr);
	if (write)
		p[n] = 3;
	else
		sink = p[n];
	expect_one(t, &pr, KASAN_BUG_OOB, (const void *)(p + n), write);
	kfree((void *)p);
}

static void uaf(struct ktest *t, size_t size)
{
	size_t n = ident(size);
	volatile char *p = kmalloc(n, GFP_KERNEL);
	struct probe pr;

	KTEST_ASSERT_NOT_NULL(t, p);
	p[n / 2] = 7;
	kfree((void *)p);
	probe_begin(t, &pr);
	sink = p[n / 2];
	expect_one(t, &pr, KASAN_BUG_UAF, (const void *)(p + n / 2), false);
}

/*
 * A slab object stays poisoned in the tier caches: -ENOENT, as with
 * CONFIG_SLAB_DEBUG.  A large block
 * went back to the page allocator: kfree's contract says -EFAULT (not
 * ours any more), and KASAN's tracking still names it a double free.
 */
static void double_free(struct ktest *t, size_t size)
{
	void *p = kmalloc(ident(size), GFP_KERNEL);
	struct probe pr;

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	probe_begin(t, &pr);
	KTEST_EXPECT_EQ(t, kfree_checked(p), size > KMALLOC_MAX_CACHE_SIZE ? -EFAULT : -ENOENT);
	expect_one(t, &pr, KASAN_BUG_DOUBLE_FREE, p, false);
}

#define TIER1	60
#define TIER2	1000
#define TIER3	16000

static void test_tier1_oob_read(struct ktest *t) { need_kasan(t); oob(t, TIER1, false); }
static void test_tier1_oob_write(struct ktest *t) { need_kasan(t); oob(t, TIER1, true); }
static void test_tier1_uaf(struct ktest *t) { need_kasan(t); uaf(t, TIER1); }
static void test_tier1_double_free(struct ktest *t) { need_kasan(t); double_free(t, TIER1); }
static void test_tier2_oob_read(struct ktest *t) { need_kasan(t); oob(t, TIER2, false); }
static void test_tier2_oob_write(struct ktest *t) { need_kasan(t); oob(t, TIER2, true); }
static void test_tier2_uaf(struct ktest *t) { need_kasan(t); uaf(t, TIER2); }
static void test_tier2_double_free(struct ktest *t) { need_kasan(t); double_free(t, TIER2); }
static void test_tier3_oob_read(struct ktest *t) { need_kasan(t); oob(t, TIER3, false); }
static void test_tier3_oob_write(struct ktest *t) { need_kasan(t); oob(t, TIER3, true); }
static void test_tier3_uaf(struct ktest *t) { need_kasan(t); uaf(t, TIER3); }
static void test_tier3_double_free(struct ktest *t) { need_kasan(t); double_free(t, TIER3); }

/* A freed page is poisoned until the page allocator hands it out again. */
static void test_page_uaf(struct ktest *t)
{
	struct page *pg;
	volatile char *va;
	struct probe pr;

	need_kasan(t);
	pg = alloc_pages(GFP_KERNEL, 1);
	KTEST_ASSERT_NOT_NULL(t, pg);
	va = page_address(pg);
	probe_begin(t, &pr);
	va[0] = 1;
	va[2 * PAGE_SIZE - 1] = 2;
	expect_none(t, &pr);
	__free_pages(pg, 1);
	probe_begin(t, &pr);
	sink = va[PAGE_SIZE + 100];
	expect_one(t, &pr, KASAN_BUG_UAF, (const void *)(va + PAGE_SIZE + 100), false);
}

/* memset/memcpy check their whole range. */
static void test_memset_memcpy_oob(struct ktest *t)
{
	size_t n = ident(40);
	char *p, *q;
	struct probe pr;

	need_kasan(t);
	p = kmalloc(n, GFP_KERNEL);
	q = kmalloc(n, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	probe_begin(t, &pr);
	memset(p, 0x11, n);
	memcpy(q, p, n);
	expect_none(t, &pr);
	probe_begin(t, &pr);
	memset(p, 0, ident(n + 1));
	expect_one(t, &pr, KASAN_BUG_OOB, p + n, true);
	probe_begin(t, &pr);
	memcpy(q, p, ident(n + 2));
	expect_one(t, &pr, KASAN_BUG_OOB, p + n, false);
	kfree(p);
	kfree(q);
}

/* krealloc() in place moves the red zone with the new size. */
static void test_krealloc_shrink(struct ktest *t)
{
	volatile char *p, *q;
	struct probe pr;

	need_kasan(t);
	p = kmalloc(ident(60), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	q = krealloc((void *)p, ident(50), GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q == p);
	probe_begin(t, &pr);
	sink = q[ident(50)];
	expect_one(t, &pr, KASAN_BUG_OOB, (const void *)(q + 50), false);
	kfree((void *)q);
}

/* Typed caches: the object is unpoisoned on alloc, poisoned on free. */
static void test_typed_cache_uaf(struct ktest *t)
{
	struct kmem_cache *c;
	volatile char *p;
	struct probe pr;

	need_kasan(t);
	c = kmem_cache_create("kasan_test", 72, 8, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	probe_begin(t, &pr);
	p[71] = 1;
	expect_none(t, &pr);
	kmem_cache_free(c, (void *)p);
	probe_begin(t, &pr);
	sink = p[8];
	expect_one(t, &pr, KASAN_BUG_UAF, (const void *)(p + 8), false);
	probe_begin(t, &pr);
	kmem_cache_free(c, (void *)p);
	expect_one(t, &pr, KASAN_BUG_DOUBLE_FREE, (const void *)p, false);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/*
 * With the quarantine, a freed object is not handed out again by the next
 * allocations of its size, so a late use-after-free is still caught; a
 * drain gives everything back.
 */
static void test_quarantine_delays_reuse(struct ktest *t)
{
	enum { N = 64 };
	void *objs[N];
	volatile char *p;
	struct probe pr;

	need_kasan(t);
	if (!kasan_quarantine_enabled())
		KTEST_SKIP(t, "CONFIG_KASAN_QUARANTINE_KB=0");
	p = kmalloc(ident(TIER1), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree((void *)p);
	KTEST_EXPECT_GT(t, kasan_quarantine_bytes(), 0UL);
	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(ident(TIER1), GFP_KERNEL);
		KTEST_EXPECT_TRUE(t, objs[i] != (void *)p);
	}
	probe_begin(t, &pr);
	sink = p[5];
	expect_one(t, &pr, KASAN_BUG_UAF, (const void *)(p + 5), false);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
	kmem_drain_all();
	KTEST_EXPECT_EQ(t, kasan_quarantine_bytes(), 0UL);
}

/* Memory without shadow (vmalloc, stacks) is never checked, never faults. */
static void test_no_shadow_unchecked(struct ktest *t)
{
	volatile char buf[16];
	struct probe pr;

	need_kasan(t);
	probe_begin(t, &pr);
	buf[ident(3)] = 1;
	sink = buf[ident(3)];
	expect_none(t, &pr);
}

/* Inside kasan_disable_current() a bad access is neither reported nor counted. */
static void test_disable_current(struct ktest *t)
{
	volatile char *p;
	struct probe pr;

	need_kasan(t);
	p = kmalloc(ident(TIER1), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	probe_begin(t, &pr);
	kasan_disable_current();
	kasan_disable_current();
	p[TIER1] = 1;
	kasan_enable_current();
	sink = p[TIER1];	/* still one level deep */
	kasan_enable_current();
	expect_none(t, &pr);
	probe_begin(t, &pr);
	sink = p[TIER1];
	expect_one(t, &pr, KASAN_BUG_OOB, (const void *)(p + TIER1), false);
	kfree((void *)p);
}

static void test_start(struct ktest *t)
{
	need_kasan(t);
	count_at_start = kasan_report_count();
	provoked = provoked_access = 0;
}

/*
 * Every report since test_start was one a case asked for.  The log line
 * lets make check prove that no other suite made a bad access under KASAN
 * (free reports there come from tests that free bad pointers on purpose).
 */
static void test_totals(struct ktest *t)
{
	need_kasan(t);
	KTEST_EXPECT_EQ(t, kasan_report_count() - count_at_start, provoked);
	ktest_log(t, "kasan: %lu access reports expected", provoked_access);
}

static struct ktest_case kasan_cases[] = {
	KTEST_CASE(test_start),
	KTEST_CASE(test_tier1_oob_read),
	KTEST_CASE(test_tier1_oob_write),
	KTEST_CASE(test_tier1_uaf),
	KTEST_CASE(test_tier1_double_free),
	KTEST_CASE(test_tier2_oob_read),
	KTEST_CASE(test_tier2_oob_write),
	KTEST_CASE(test_tier2_uaf),
	KTEST_CASE(test_tier2_double_free),
	KTEST_CASE(test_tier3_oob_read),
	KTEST_CASE(test_tier3_oob_write),
	KTEST_CASE(test_tier3_uaf),
	KTEST_CASE(test_tier3_double_free),
	KTEST_CASE(test_page_uaf),
	KTEST_CASE(test_memset_memcpy_oob),
	KTEST_CASE(test_krealloc_shrink),
	KTEST_CASE(test_typed_cache_uaf),
	KTEST_CASE(test_quarantine_delays_reuse),
	KTEST_CASE(test_no_shadow_unchecked),
	KTEST_CASE(test_disable_current),
	KTEST_CASE(test_totals),
	{}
};

static struct ktest_suite kasan_suite = {
	.name = "kasan",
	.cases = kasan_cases,
};
KTEST_SUITE(kasan_suite);

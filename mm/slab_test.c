// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the kernel allocator (mm/slab_common.c and friends).  The same
 * file runs in the kernel (ktest) and in the hosted build (ASan + UBSan),
 * where host threads stand in for CPUs and kernel threads
 * (hosted_run_on_cpus()).
 *
 * Every case that allocates checks that it left nothing behind: after
 * kmem_drain_all() the free-frame count is back at the case's baseline, and
 * kmem_check() finds the slab lists consistent.
 */
#include <exo/errno.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <asm/page.h>

#include "slab_test.h"

#ifdef __HOSTED__
#include <asm/hosted.h>
#else
#include <exo/kthread.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>
#endif

#ifdef __HOSTED__
/* Hosted: a fresh arena (the page allocator tests replace it) and `current`. */
static struct task_struct *main_task;

static int slab_suite_init(void)
{
	int level = console_loglevel, err;

	console_loglevel = min(level, LOGLEVEL_WARNING);
	err = hosted_mm_init(NULL);
	if (!err)
		kmem_cache_init();
	console_loglevel = level;
	if (!err && !main_task)
		main_task = hosted_task_begin("main");
	return err;
}

static void slab_suite_exit(void)
{
	/* The block caches' pages back before another suite rebuilds the arena. */
	kmem_drain_all();
	hosted_task_end();
	main_task = NULL;
}
#endif

/* ---------------------------------------------------------------------
 * Basic contract
 */

/*
 * The seed's test: a 64-byte kmalloc/kfree, served by the thread cache.
 * A freed object waits on the thread's freed list until the head list runs
 * dry; then it is the first to come back, and all of it is tier-1 hits.
 */
static void test_kmalloc_thread_local(struct ktest *t)
{
	struct kmem_cache_stats a, b;
	void *p, *q, *chain;
	unsigned long n = 1;

	p = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 64UL);
	memset(p, 0x11, 64);
	a = stats_of(64, this_cpu());
	kfree(p);
	b = stats_of(64, this_cpu());
	/* The KASAN quarantine delays the reuse that this case measures. */
	if (!TIER1 || DEBUG || kasan_quarantine_enabled()) {
		q = kmalloc(64, GFP_KERNEL);
		KTEST_EXPECT_NOT_NULL(t, q);
		kfree(q);
		return;
	}
	KTEST_EXPECT_EQ(t, b.objs_cached, a.objs_cached + 1);
	KTEST_EXPECT_EQ(t, b.t2_hits + b.t2_misses, a.t2_hits + a.t2_misses);
	a = stats_of(64, this_cpu());
	q = kmalloc(64, GFP_KERNEL);
	b = stats_of(64, this_cpu());
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, b.t1_hits, a.t1_hits + 1);
	KTEST_EXPECT_EQ(t, b.t2_hits + b.t2_misses, a.t2_hits + a.t2_misses);
	/* Drain the head list, linking what comes back through its first word. */
	chain = q;
	*(void **)q = NULL;
	while (q != p && n <= 2UL * CONFIG_SLAB_TIER_THREAD_LIMIT) {
		q = kmalloc(64, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		*(void **)q = chain;
		chain = q;
		n++;
	}
	b = stats_of(64, this_cpu());
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_EXPECT_EQ(t, b.t1_hits, a.t1_hits + n);
	KTEST_EXPECT_EQ(t, b.t1_misses, a.t1_misses);
	while (chain) {
		q = chain;
		chain = *(void **)q;
		kfree(q);
	}
}

/* Every size class: ksize, alignment, the whole object is writable. */
static void test_size_classes(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();
	static const size_t sizes[] = { 1, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127,
					128, 129, 200, 255, 256, 257, 511, 512, 513, 1000,
					1024, 1025, 2047, 2048, 2049, 4000, 4095, 4096 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t s = sizes[i], cls = s <= 16 ? 16 : 1UL << order_base_2(s);
		u8 *p = kmalloc(s, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, ksize(p), cls);
		KTEST_EXPECT_EQ(t, (unsigned long)p & 15, 0UL);
		/* Power-of-two classes are naturally aligned. */
		KTEST_EXPECT_EQ(t, (unsigned long)p & (cls - 1), 0UL);
		KTEST_EXPECT_TRUE(t, kmalloc_cache(s) && kmem_cache_size(kmalloc_cache(s)) == cls);
		memset(p, 0xa5, cls);
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	}
	/* Constant sizes: the inline kmalloc() finds the list at compile time. */
#define CONST_CLASS(s, cls) do {						\
		u8 *p = kmalloc(s, GFP_KERNEL);					\
										\
		KTEST_ASSERT_NOT_NULL(t, p);					\
		KTEST_EXPECT_EQ(t, ksize(p), (size_t)(cls));			\
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);			\
	} while (0)
	CONST_CLASS(1, 16);
	CONST_CLASS(16, 16);
	CONST_CLASS(17, 32);
	CONST_CLASS(32, 32);
	CONST_CLASS(33, 64);
	CONST_CLASS(64, 64);
	CONST_CLASS(65, 128);
	CONST_CLASS(128, 128);
	CONST_CLASS(129, 256);
	CONST_CLASS(256, 256);
#undef CONST_CLASS
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/* 256 is tier 1, 257 tier 2; 4096 is a slab, 4097 whole pages. */
static void test_tier_boundaries(struct ktest *t)
{
	struct kmem_cache_stats a, b;
	unsigned long large0;
	void *p, *q;

	/*
	 * Warm the thread cache and the per-CPU arrays first.  An interrupt
	 * or softirq that allocates on this CPU, or a migration, between the
	 * warm-up and the allocation takes the warm object: try 3 times.
	 */
	for (int i = 0; i < 3; i++) {
		kfree(kmalloc(256, GFP_KERNEL));
		kfree(kmalloc(257, GFP_KERNEL));
		a = stats_of(256, this_cpu());
		p = kmalloc(256, GFP_KERNEL);
		b = stats_of(256, this_cpu());
		KTEST_ASSERT_NOT_NULL(t, p);
		kfree(p);
		if (b.t1_hits == a.t1_hits + 1)
			break;
	}
	if (TIER1 && !DEBUG)
		KTEST_EXPECT_EQ(t, b.t1_hits, a.t1_hits + 1);

	a = stats_of(512, this_cpu());
	p = kmalloc(257, GFP_KERNEL);
	b = stats_of(512, this_cpu());
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 512UL);
	KTEST_EXPECT_EQ(t, b.t1_hits + b.t1_misses, a.t1_hits + a.t1_misses);
	if (TIER2 && !kasan_quarantine_enabled())
		KTEST_EXPECT_EQ(t, b.t2_hits, a.t2_hits + 1);
	kfree(p);

	large0 = kmalloc_large_pages();
	p = kmalloc(4096, GFP_KERNEL);
	q = kmalloc(4097, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, ksize(p), 4096UL);
	KTEST_EXPECT_EQ(t, ksize(q), 8192UL);
	KTEST_EXPECT_EQ(t, (unsigned long)q & (PAGE_SIZE - 1), 0UL);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0 + 2);
	KTEST_EXPECT_TRUE(t, kmalloc_cache(4097) == NULL);
	memset(q, 0x5a, 8192);
	kfree(p);
	kfree(q);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
}

/*
 * kmalloc_kernel(), what modules' kmalloc(size, GFP_KERNEL) calls: each
 * tier, the size 0 and the too large, as kmalloc() gives them.
 */
static void test_kmalloc_kernel(struct ktest *t)
{
	static const size_t sizes[] = { 1, 64, 256, 257, 4096, 4097, 70000 };
	unsigned long err0 = kmem_error_count();

	for (unsigned int k = 0; k < ARRAY_SIZE(sizes); k++) {
		u8 *p = kmalloc_kernel(sizes[k]);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_GE(t, ksize(p), sizes[k]);
		memset(p, 0x5a, sizes[k]);
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	}
	KTEST_EXPECT_TRUE(t, kmalloc_kernel(0) == ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_NULL(t, kmalloc_kernel((PAGE_SIZE << MAX_ORDER) + 1));
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

/*
 * Every tier-1 size maps to one list both ways: the fold of a constant
 * size (SLAB_T1_CLASS_CONST(), what the inline fast path takes a count
 * from) and the table the slow path gives it back to; and that list is
 * the cache kmalloc() serves the size from.
 */
static void test_t1_class_map(struct ktest *t)
{
	unsigned int bad = 0, bad_cache = 0;

	for (size_t k = 0; k <= KMALLOC_TIER1_MAX; k++) {
		unsigned long cls = slab_t1_class[k];

		bad += cls != SLAB_T1_CLASS_CONST(k);
		if (!k)
			bad += cls != SLAB_T1_CLASSES;
		else if (cls >= SLAB_T1_CLASSES || kmalloc_cache(k) != kmalloc_cache(16UL << cls) ||
			 (16UL << cls) < k || (cls && (8UL << cls) >= k))
			bad_cache++;
	}
	KTEST_EXPECT_EQ(t, bad, 0U);
	KTEST_EXPECT_EQ(t, bad_cache, 0U);
}

static void test_zero_and_null(struct ktest *t)
{
	unsigned long err0 = kmem_error_count();
	u8 *p;

	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	/*
	 * A run-time 0 reaches the fast path's list 5, whose left count
	 * every miss gives back: it stays exactly where it was, below 0, the
	 * list empty (I7).  (A miss that did not give it back would leave it
	 * one lower each time.)  In this thread's own cache, not
	 * slab_no_tcache, whose count every miss resets.
	 */
	kfree(kmalloc(16, GFP_KERNEL));
	/* Debug and KASAN builds have no fast path, nor these counts. */
	for (int k = 0; TIER1 && !DEBUG && !IS_ENABLED(CONFIG_KASAN) && k < 3; k++) {
		volatile size_t zero = 0;
		long left0 = READ_ONCE(slab_cur_tc()->left[SLAB_T1_CLASSES]);

		KTEST_EXPECT_TRUE(t, slab_cur_tc() != &slab_no_tcache);
		KTEST_EXPECT_TRUE(t, kmalloc(zero, GFP_KERNEL) == ZERO_SIZE_PTR);
		KTEST_EXPECT_EQ(t, READ_ONCE(slab_cur_tc()->left[SLAB_T1_CLASSES]), left0);
		KTEST_EXPECT_LT(t, left0, 0L);
		KTEST_EXPECT_NULL(t, slab_cur_tc()->head[SLAB_T1_CLASSES]);
	}
	KTEST_EXPECT_TRUE(t, kmalloc((volatile size_t){ 0 }, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	KTEST_EXPECT_EQ(t, kfree_checked(NULL), 0);
	KTEST_EXPECT_EQ(t, kfree_checked(ZERO_SIZE_PTR), 0);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0UL);
	KTEST_EXPECT_EQ(t, ksize(ZERO_SIZE_PTR), 0UL);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);

	/* kcalloc overflow is refused, not wrapped. */
	KTEST_EXPECT_NULL(t, kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kcalloc(1UL << 33, 1UL << 33, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kmalloc(SIZE_MAX, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kmalloc((PAGE_SIZE << MAX_ORDER) + 1, GFP_KERNEL));

	/* kzalloc/kcalloc zero memory that was dirty. */
	p = kmalloc(128, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 128);
	kfree(p);
	p = kzalloc(128, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, memchr_inv(p, 0, 128) == NULL);
	kfree(p);
	p = kcalloc(25, 40, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 1024UL);
	KTEST_EXPECT_TRUE(t, memchr_inv(p, 0, 1000) == NULL);
	kfree(p);
}

/* krealloc across every tier and back, contents intact. */
static void test_krealloc(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();
	size_t size = 16, keep;
	u8 *p, *q;

	p = krealloc(NULL, size, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (size_t i = 0; i < size; i++)
		p[i] = (u8)(i * 7 + 1);
	for (size = 24; size <= 70000; size = size * 2 + 3) {
		q = krealloc(p, size, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		keep = (size - 3) / 2;
		for (size_t i = 0; i < keep; i++)
			if (q[i] != (u8)(i * 7 + 1)) {
				KTEST_EXPECT_EQ(t, q[i], (u8)(i * 7 + 1));
				break;
			}
		for (size_t i = keep; i < size; i++)
			q[i] = (u8)(i * 7 + 1);
		p = q;
	}
	/* Same class: stays in place. */
	q = krealloc(p, ksize(p), GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	/* Shrink down through every tier: it still fits, so it stays. */
	keep = ksize(p);
	for (size = 20000; size >= 8; size /= 3) {
		q = krealloc(p, size, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, q);
		KTEST_EXPECT_TRUE(t, q == p);
		KTEST_EXPECT_EQ(t, ksize(q), keep);
		for (size_t i = 0; i < size; i++)
			if (q[i] != (u8)(i * 7 + 1)) {
				KTEST_EXPECT_EQ(t, q[i], (u8)(i * 7 + 1));
				break;
			}
		p = q;
	}
	q = krealloc(p, 0, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == ZERO_SIZE_PTR);
	p = krealloc(ZERO_SIZE_PTR, 40, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/* ---------------------------------------------------------------------
 * Exhaustion
 */

/* Fill memory with @size objects (chained through their first word). */
static void *exhaust(size_t size, unsigned long *n)
{
	void *head = NULL, *p;

	*n = 0;
	while ((p = kmalloc(size, GFP_KERNEL))) {
		*(void **)p = head;
		head = p;
		(*n)++;
	}
	return head;
}

static void release(void *head)
{
	while (head) {
		void *next = *(void **)head;

		kfree(head);
		head = next;
	}
}

static void test_exhaustion(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), n_big, n_small, n_page;
	int level = console_loglevel;
	void *big, *small, *pages, *p;

	/* Out-of-memory lines are expected here; keep the log readable. */
	console_loglevel = min(level, LOGLEVEL_ERR);
	big = exhaust(1UL << 20, &n_big);
	pages = exhaust(8192, &n_page);
	small = exhaust(64, &n_small);
	p = kmalloc(4096, GFP_KERNEL);
	console_loglevel = level;
	KTEST_EXPECT_GT(t, n_big, 0UL);
	KTEST_EXPECT_GT(t, n_small, 0UL);
	KTEST_EXPECT_NULL(t, p);
	KTEST_EXPECT_LT(t, nr_free_pages(), base / 100 + 64);
	ktest_log(t, "%lu x 1 MiB, %lu x 8 KiB, %lu x 64 B before NULL", n_big, n_page, n_small);
	release(small);
	release(pages);
	release(big);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	/* Everything works again. */
	p = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	p = kmalloc(1UL << 20, GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/* ---------------------------------------------------------------------
 * Typed caches
 */

#define OBJ_MAGIC 0xc0ffee11u

struct tobj {
	u32 magic;
	u32 value;
	char pad[32];
};

static void tobj_ctor(void *p)
{
	struct tobj *o = p;

	o->magic = OBJ_MAGIC;
	o->value = 0;
}

static void test_typed_cache(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0;
	struct kmem_cache *c, *d;
	struct tobj *objs[100];
	void *k;

	KTEST_EXPECT_NULL(t, kmem_cache_create("bad", 0, 0, 0, NULL));
	KTEST_EXPECT_NULL(t, kmem_cache_create("bad", 5000, 0, 0, NULL));
	KTEST_EXPECT_NULL(t, kmem_cache_create("bad", 40, 24, 0, NULL));
	c = kmem_cache_create("test_tobj", sizeof(struct tobj), 32, 0, tobj_ctor);
	d = kmem_cache_create("test_plain", 24, 0, SLAB_NO_TIER2, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_EXPECT_EQ(t, kmem_cache_size(c), sizeof(struct tobj));
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		KTEST_EXPECT_EQ(t, (unsigned long)objs[i] & 31, 0UL);
		KTEST_EXPECT_EQ(t, objs[i]->magic, OBJ_MAGIC);
		objs[i]->value = i;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		KTEST_EXPECT_EQ(t, objs[i]->value, i);
	k = kmem_cache_alloc(d, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, k);
	/* Wrong cache, kmalloc objects, interior pointers: refused. */
	err0 = kmem_error_count();
	kmem_cache_free(d, objs[0]);
	kmem_cache_free(c, k);
	kmem_cache_free(c, (char *)objs[1] + 4);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 3);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), -EBUSY);
	for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_free(d, k);
	/* Constructed state is kept across free/alloc. */
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, objs[0]);
	KTEST_EXPECT_EQ(t, objs[0]->magic, OBJ_MAGIC);
	kmem_cache_free(c, objs[0]);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(d), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(kmalloc_cache(64)), -EINVAL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/* ---------------------------------------------------------------------
 * gfp flags: zeroing, zones, __GFP_NOFAIL, atomic allocations
 */

/* __GFP_ZERO zeroes (a dirtied object comes back clean); overflows fail. */
static void test_gfp_zero(struct ktest *t)
{
	struct kmem_cache *c;
	u8 *p, *q;

	for (size_t size = 16; size <= 8192; size *= 2) {
		p = kmalloc(size, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		memset(p, 0xa5, size);
		kfree(p);
		q = kmalloc(size, GFP_KERNEL | __GFP_ZERO);
		KTEST_ASSERT_NOT_NULL(t, q);
		KTEST_EXPECT_TRUE(t, !memchr_inv(q, 0, size));
		kfree(q);
	}
	p = kcalloc(10, 30, GFP_ATOMIC);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, !memchr_inv(p, 0, 300));
	kfree(p);
	KTEST_EXPECT_NULL(t, kmalloc_array(~(size_t)0 / 2, 4, GFP_KERNEL | __GFP_NOWARN));
	p = kmalloc_array(3, 100, GFP_KERNEL);
	KTEST_EXPECT_GE(t, ksize(p), 300UL);
	/* krealloc() with __GFP_ZERO: the part beyond the old object is zeroed. */
	memset(p, 0xa5, ksize(p));
	q = krealloc(p, 2000, GFP_KERNEL | __GFP_ZERO);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_TRUE(t, q[0] == 0xa5);
	KTEST_EXPECT_TRUE(t, !memchr_inv(q + 512, 0, 2000 - 512));
	kfree(q);
	c = kmem_cache_create("gfp_zero", 72, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xa5, 72);
	kmem_cache_free(c, p);
	p = kmem_cache_zalloc(c, GFP_ATOMIC);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, !memchr_inv(p, 0, 72));
	kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/*
 * GFP_DMA32 is honoured (a whole page below 4 GiB), never ignored; typed
 * caches and krealloc() refuse zone flags; __GFP_NOFAIL is refused when
 * it may not wait or asks for more than two pages.  The refusals WARN once.
 */
static void test_gfp_zones_nofail(struct ktest *t)
{
	struct kmem_cache *c;
	void *p;

	p = kmalloc(64, GFP_KERNEL | GFP_DMA32);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), PAGE_SIZE);
#ifndef __HOSTED__
	KTEST_EXPECT_LT(t, page_to_pfn(virt_to_page(p)), 1UL << (32 - PAGE_SHIFT));
#endif
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_DMA32) == ZERO_SIZE_PTR);
	KTEST_EXPECT_NULL(t, krealloc(NULL, 64, GFP_KERNEL | GFP_DMA32));
	c = kmem_cache_create("gfp_zone", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_NULL(t, kmem_cache_alloc(c, GFP_KERNEL | GFP_DMA32));
	KTEST_EXPECT_NULL(t, kmem_cache_alloc(c, GFP_ATOMIC | __GFP_NOFAIL));
	p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOFAIL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_NULL(t, kmalloc(64, GFP_ATOMIC | __GFP_NOFAIL));
	KTEST_EXPECT_NULL(t, kmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL));
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_NOWAIT | __GFP_NOFAIL, 0));
	p = kmalloc(2 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
}

#ifndef __HOSTED__
/*
 * A new thread: GFP_ATOMIC and GFP_NOWAIT must not create its cache (it
 * allocates); GFP_KERNEL does.  kfree() would create it too, so no frees
 * before the checks.
 */
static int gfp_atomic_thread(void *arg)
{
	bool *res = arg;
	void *p[4];

	p[0] = kmalloc(32, GFP_ATOMIC);
	p[1] = kmalloc(32, GFP_NOWAIT);
	p[2] = kzalloc(64, GFP_ATOMIC);
	res[0] = p[0] && p[1] && p[2] && !current->slab_cache;
	p[3] = kmalloc(32, GFP_KERNEL);
	res[1] = p[3] && IS_ENABLED(CONFIG_SLAB_TIER_THREAD) == !!current->slab_cache;
	for (int i = 0; i < 4; i++)
		kfree(p[i]);
	return 0;
}

static void test_gfp_atomic_no_tcache(struct ktest *t)
{
	bool res[2] = { false, false };
	struct task_struct *th = kthread_run(gfp_atomic_thread, res, "slab_gfp_test");

	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_EQ(t, kthread_join(th), 0);
	KTEST_EXPECT_TRUE(t, res[0]);
	KTEST_EXPECT_TRUE(t, res[1]);
}
#endif

#if defined(CONFIG_DEBUG_ATOMIC_SLEEP) && !defined(__HOSTED__)
static DEFINE_SPINLOCK(gfp_test_lock);

/* Three allocations with @gfp under a spinlock (the out-of-line entries). */
static void gfp_alloc_locked(struct kmem_cache *c, gfp_t gfp, void **p)
{
	spin_lock(&gfp_test_lock);
	p[0] = kmalloc(64, gfp);
	p[1] = kzalloc(100, gfp);
	p[2] = kmem_cache_alloc(c, gfp);
	spin_unlock(&gfp_test_lock);
}

/*
 * kmalloc(..., GFP_KERNEL) where sleeping is forbidden is reported (and
 * still served); GFP_ATOMIC and GFP_NOWAIT there are fine.  Each report
 * counts; one line per call site.
 */
static void test_gfp_might_sleep(struct ktest *t)
{
	unsigned long before = might_sleep_reports();
	struct kmem_cache *c = kmem_cache_create("gfp_sleep", 64, 0, 0, NULL);
	void *p[11];

	KTEST_ASSERT_NOT_NULL(t, c);
	p[0] = kmalloc(64, GFP_KERNEL);		/* thread context: fine */
	kfree(p[0]);
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before);
	gfp_alloc_locked(c, GFP_ATOMIC, p);
	gfp_alloc_locked(c, GFP_NOWAIT, p + 3);
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before);
	gfp_alloc_locked(c, GFP_KERNEL, p + 6);
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before + 3);
	/* Constant flags: the inline kmalloc() and kmem_cache_alloc() check too. */
	preempt_disable();
	p[9] = kmalloc(64, GFP_KERNEL);
	p[10] = kmem_cache_alloc(c, GFP_KERNEL);
	preempt_enable();
	KTEST_EXPECT_EQ(t, might_sleep_reports(), before + 5);
	for (int i = 0; i < 11; i++) {
		KTEST_EXPECT_NOT_NULL(t, p[i]);
		if (i % 3 == 2 || i == 10)
			kmem_cache_free(c, p[i]);
		else
			kfree(p[i]);
	}
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}
#endif

static struct ktest_case slab_cases[] = {
	KTEST_CASE(test_kmalloc_thread_local),
	KTEST_CASE(test_size_classes),
	KTEST_CASE(test_tier_boundaries),
	KTEST_CASE(test_t1_class_map),
	KTEST_CASE(test_zero_and_null),
	KTEST_CASE(test_kmalloc_kernel),
	KTEST_CASE(test_module_kmalloc_calls),
	KTEST_CASE(test_module_kmalloc_t2),
	KTEST_CASE(test_krealloc),
	KTEST_CASE(test_krealloc_in_place),
	KTEST_CASE_RAM(test_krealloc_move_tiers, 0, 16),	/* 200 blocks of 8 KiB, 3-page ones */
	KTEST_CASE(test_krealloc_refused),
	KTEST_CASE(test_foreign_pointers),
	KTEST_CASE(test_debug_double_free),
	KTEST_CASE_FLAGS(test_debug_double_free_race, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_large_double_free_race, KTEST_F_SMP),
	KTEST_CASE(test_debug_use_after_free),
	KTEST_CASE(test_debug_redzone),
	KTEST_CASE(test_typed_cache),
	KTEST_CASE(test_typed_slab_tail),
	KTEST_CASE(test_thread_exit_flush),
	KTEST_CASE(test_tier1_bounds),
	KTEST_CASE(test_tier1_double_free_loop),
	KTEST_CASE(test_tier1_put_chain_mixed),
	KTEST_CASE(test_tier1_swap),
	KTEST_CASE(test_tier1_slab_objs),
	KTEST_CASE(test_tier1_stats_mid_update),
	KTEST_CASE(test_tier1_forged_head),
	KTEST_CASE(test_tier1_counts),
	KTEST_CASE(test_xfer_limit_and_drain),
	KTEST_CASE_RAM(test_xfer_smp_stress, 0, 16),	/* 8 bursts of 192 KiB and their lists */
	KTEST_CASE(test_xfer_double_free_loop),
	KTEST_CASE(test_xfer_node_homing),
	KTEST_CASE(test_xfer_node_slots),
#ifndef __HOSTED__
	KTEST_CASE(test_cur_cache_switch),
#endif
	KTEST_CASE(test_stress_threads),
	KTEST_CASE_RAM(test_stress_smp, KTEST_F_SMP, 32),
	KTEST_CASE(test_irq_context),
	KTEST_CASE(test_irq_context_smp),
	KTEST_CASE(test_trap_context),
	KTEST_CASE_RAM(test_exhaustion, KTEST_F_SLOW, 16),	/* a free order-9 block */
	KTEST_CASE(test_slabinfo_runs),
	KTEST_CASE(test_gfp_zero),
	KTEST_CASE(test_gfp_zones_nofail),
	KTEST_CASE_RAM(test_large_cache, 0, 16),	/* 1 and 2 MiB blocks */
	KTEST_CASE_RAM(test_large_cache_page_pressure, 0, 16),
#ifndef __HOSTED__
	KTEST_CASE_RAM(test_large_cache_remote_drain, KTEST_F_SMP, 16),
	KTEST_CASE(test_large_cache_node),
	KTEST_CASE(test_large_double_kfree_caller),
	KTEST_CASE_FLAGS(test_t2_irq_interleave, KTEST_F_SMP),
#endif
#ifndef __HOSTED__
	KTEST_CASE(test_gfp_atomic_no_tcache),
#endif
#if defined(CONFIG_DEBUG_ATOMIC_SLEEP) && !defined(__HOSTED__)
	KTEST_CASE(test_gfp_might_sleep),
#endif
	{}
};

static struct ktest_suite slab_suite = {
	.name = "slab",
	.cases = slab_cases,
#ifdef __HOSTED__
	.suite_init = slab_suite_init,
	.suite_exit = slab_suite_exit,
#endif
};
KTEST_SUITE(slab_suite);

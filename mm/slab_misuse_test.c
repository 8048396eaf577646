// SPDX-License-Identifier: GPL-2.0
/*
 * Misuse of the kernel allocator: foreign and interior pointers, double
 * frees (also two CPUs freeing the same object at once), a write after
 * free and a write past the object, each refused or reported and counted
 * in kmem_error_count().  Cases of the slab suite (mm/slab_test.c).
 */
#include <exo/errno.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <asm/page.h>

#include "slab_test.h"

static u64 some_global[4];

/* Foreign and interior pointers: refused, reported, nothing changes. */
void test_foreign_pointers(struct ktest *t)
{
	unsigned long err0 = kmem_error_count(), base;
	struct kmem_cache_stats a, b;
	u64 on_stack[2] = { 0, 0 };
	struct page *pg;
	u8 *p, *big;

	p = kmalloc(32, GFP_KERNEL);
	big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, big);
	base = ktest_settled_free_pages();
	a = stats_of(32, -1);

	KTEST_EXPECT_EQ(t, kfree_checked(on_stack), -EFAULT);
	KTEST_EXPECT_EQ(t, kfree_checked(some_global), -EFAULT);
	KTEST_EXPECT_EQ(t, kfree_checked((void *)0x1000), -EFAULT);
	KTEST_EXPECT_EQ(t, kfree_checked(p + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, kfree_checked(p + 16), -EINVAL);
	KTEST_EXPECT_EQ(t, kfree_checked(big + PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(t, kfree_checked(big + 64), -EINVAL);
	kfree(p + 8);		/* plain kfree refuses too */
	KTEST_EXPECT_EQ(t, ksize(p + 1), 0UL);
	KTEST_EXPECT_NULL(t, krealloc(p + 1, 100, GFP_KERNEL));
	/* A page owned by someone else (the page allocator's user). */
	pg = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, pg);
	KTEST_EXPECT_EQ(t, kfree_checked(page_address(pg)), -EFAULT);
	__free_page(pg);
	/* A freed page is not ours either. */
	KTEST_EXPECT_EQ(t, kfree_checked(page_address(pg)), -EFAULT);

	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 12);
	b = stats_of(32, -1);
	KTEST_EXPECT_EQ(t, b.objs_inuse, a.objs_inuse);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	KTEST_EXPECT_EQ(t, ksize(p), 32UL);
	kfree(p);
	kfree(big);
	/* A large block freed twice is always caught. */
	KTEST_EXPECT_EQ(t, kfree_checked(big), -EFAULT);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 13);
}

void test_debug_double_free(struct ktest *t)
{
	unsigned long err0;
	void *p;

	if (!DEBUG)
		KTEST_SKIP(t, "needs CONFIG_SLAB_DEBUG");
	for (size_t s = 16; s <= 4096; s *= 4) {
		p = kmalloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
		err0 = kmem_error_count();
		KTEST_EXPECT_EQ(t, kfree_checked(p), -ENOENT);
		KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	}
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	/* The refused frees did not put anything on a list twice. */
	p = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NE(t, p, kmalloc(64, GFP_KERNEL));
}

/*
 * Two CPUs kfree() the same object at the same moment: with the debug
 * checks exactly one free may be taken, the other is -ENOENT.  The check
 * and the state change were two steps, so both could pass and the object
 * went into two caches, to be handed out twice.
 */
struct dkfree_ctx {
	u64 deadline;
	unsigned int rounds, round, ready, done;
	void *obj;
	int res1;
	unsigned long both, none;
};

static unsigned int dkfree_wait(unsigned int *p, unsigned int v)
{
	unsigned int x, spins = 0;

	while ((x = __atomic_load_n(p, __ATOMIC_ACQUIRE)) < v)
		if (++spins > 4096)
			cpu_relax();
	return x;
}

/* Round @r: CPU 0 allocates c->obj (@size bytes), then both CPUs go on. */
static void dkfree_start(struct dkfree_ctx *c, unsigned int id, unsigned int r, size_t size)
{
	if (id == 0) {
		void *p = kmalloc(size, GFP_KERNEL);

		if (!p || (r >= 20 && ktime_get_ns() > c->deadline))
			__atomic_store_n(&c->rounds, r, __ATOMIC_RELAXED);
		c->obj = p;
		__atomic_store_n(&c->round, r, __ATOMIC_RELEASE);
		dkfree_wait(&c->ready, r);
	} else {
		dkfree_wait(&c->round, r);
		__atomic_store_n(&c->ready, r, __ATOMIC_RELEASE);
	}
}

static void dkfree_worker(void *arg, unsigned int id)
{
	static const size_t sizes[] = { 64, 512, 2048 };
	struct dkfree_ctx *c = arg;

	if (id > 1)
		return;
	for (unsigned int r = 1; r <= __atomic_load_n(&c->rounds, __ATOMIC_RELAXED); r++) {
		int res;

		dkfree_start(c, id, r, sizes[r % ARRAY_SIZE(sizes)]);
		res = c->obj ? kfree_checked(c->obj) : -ENOENT;
		if (id == 1) {
			c->res1 = res;
			__atomic_store_n(&c->done, r, __ATOMIC_RELEASE);
			continue;
		}
		dkfree_wait(&c->done, r);
		if (c->obj && !res && !c->res1)
			c->both++;
		else if (c->obj && (res != -ENOENT) == (c->res1 != -ENOENT))
			c->none++;
	}
}

void test_debug_double_free_race(struct ktest *t)
{
	struct dkfree_ctx c = { .rounds = 20000 };
	void *p;

	if (!DEBUG)
		KTEST_SKIP(t, "needs CONFIG_SLAB_DEBUG");
	c.deadline = ktime_get_ns() + 1000 * NSEC_PER_MSEC;
	KTEST_ASSERT_GE(t, ktest_run_on_cpus(2, dkfree_worker, &c), 2);
	KTEST_EXPECT_EQ(t, c.both, 0UL);
	KTEST_EXPECT_EQ(t, c.none, 0UL);
	KTEST_EXPECT_GE(t, c.rounds, 20U);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	p = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NE(t, p, kmalloc(64, GFP_KERNEL));
	ktest_log(t, "%u rounds", c.rounds);
}

/*
 * The same race on a tier-3 block, in every configuration: the free claims
 * the block by a cmpxchg of its page type, so exactly one kfree() of each
 * round succeeds (the other is -ENOENT, or -EFAULT once the block is back),
 * and the two CPUs' next allocations never get the same block (it was
 * cached on both CPUs when both frees passed the type check).
 */
struct lkfree_ctx {
	struct dkfree_ctx d;
	unsigned int alloc, done2;
	void *next1;
	unsigned long dup;
};

static void lkfree_worker(void *arg, unsigned int id)
{
	struct lkfree_ctx *lc = arg;
	struct dkfree_ctx *c = &lc->d;

	if (id > 1)
		return;
	for (unsigned int r = 1; r <= __atomic_load_n(&c->rounds, __ATOMIC_RELAXED); r++) {
		void *next;
		int res;

		dkfree_start(c, id, r, 16384);
		res = c->obj ? kfree_checked(c->obj) : -ENOENT;
		/* Both frees are over before either CPU allocates again. */
		if (id == 1) {
			c->res1 = res;
			__atomic_store_n(&c->done, r, __ATOMIC_RELEASE);
			dkfree_wait(&lc->alloc, r);
			lc->next1 = kmalloc(16384, GFP_KERNEL);
			__atomic_store_n(&lc->done2, r, __ATOMIC_RELEASE);
			continue;
		}
		dkfree_wait(&c->done, r);
		__atomic_store_n(&lc->alloc, r, __ATOMIC_RELEASE);
		next = kmalloc(16384, GFP_KERNEL);
		dkfree_wait(&lc->done2, r);
		if (c->obj && !res && !c->res1)
			c->both++;
		else if (c->obj && res && c->res1)
			c->none++;
		if (next && next == lc->next1)
			lc->dup++;
		kfree(next);
		if (next != lc->next1)
			kfree(lc->next1);
	}
}

void test_large_double_free_race(struct ktest *t)
{
	struct lkfree_ctx c = { .d.rounds = 20000 };
	unsigned long large0 = kmalloc_large_pages();

	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN reports a double free before the tiers see it");
	c.d.deadline = ktime_get_ns() + 1000 * NSEC_PER_MSEC;
	KTEST_ASSERT_GE(t, ktest_run_on_cpus(2, lkfree_worker, &c), 2);
	KTEST_EXPECT_EQ(t, c.d.both, 0UL);
	KTEST_EXPECT_EQ(t, c.d.none, 0UL);
	KTEST_EXPECT_EQ(t, c.dup, 0UL);
	KTEST_EXPECT_GE(t, c.d.rounds, 20U);
	KTEST_EXPECT_EQ(t, kmalloc_large_pages(), large0);
	ktest_log(t, "%u rounds", c.d.rounds);
}

void test_debug_use_after_free(struct ktest *t)
{
	unsigned long err0;
	u8 *p, *q;

	if (!DEBUG)
		KTEST_SKIP(t, "needs CONFIG_SLAB_DEBUG");
	if (kasan_quarantine_enabled())
		KTEST_SKIP(t, "the KASAN quarantine delays the reuse (and KASAN reports the write)");
	p = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	p[10] = 0x42;		/* the planted bug */
	err0 = kmem_error_count();
	q = kmalloc(64, GFP_KERNEL);	/* LIFO: the same object comes back */
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	kfree(q);
	/* A clean object reports nothing. */
	err0 = kmem_error_count();
	kfree(kmalloc(64, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
}

void test_debug_redzone(struct ktest *t)
{
	unsigned long err0;
	u8 *p;

	if (!DEBUG)
		KTEST_SKIP(t, "needs CONFIG_SLAB_DEBUG");
	for (size_t s = 16; s <= 4096; s *= 2) {
		p = kmalloc(s, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		err0 = kmem_error_count();
		/* One byte past the object: SLAB_DEBUG's catch to make, not KASAN's. */
		kasan_disable_current();
		p[s] = 0;
		kasan_enable_current();
		KTEST_EXPECT_EQ(t, kfree_checked(p), -EBADMSG);
		KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	}
	/* Repaired: the next use of those objects is clean. */
	err0 = kmem_error_count();
	for (size_t s = 16; s <= 4096; s *= 2)
		kfree(kmalloc(s, GFP_KERNEL));
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

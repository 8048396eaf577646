// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the kernel allocator's tiers: thread caches (exit flush,
 * bounds, the head/freed swap, the counts), the current-cache switch, the
 * slabinfo dump and the typed-slab tail.  Cases of the slab suite
 * (mm/slab_test.c); the concurrency and context cases are in
 * mm/slab_context_test.c.
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

#include "slab.h"
#include "slab_test.h"

#ifdef __HOSTED__
#include <asm/hosted.h>
#else
#include <exo/kthread.h>
#include <asm/smp.h>
#endif

/* ---------------------------------------------------------------------
 * Threads: exit flush
 */

struct flush_ctx {
	void *kept;
	int ok;
};

static void flush_worker(void *arg)
{
	struct flush_ctx *ctx = arg;
	void *p[40];

	for (int i = 0; i < 40; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < 40; i++) {
		if (!p[i])
			return;
		kfree(p[i]);
	}
	ctx->kept = kmalloc(128, GFP_KERNEL);	/* freed by the main thread */
	ctx->ok = 1;
}


/* A thread's cache goes back when it exits; nothing stays cached for it. */
void test_thread_exit_flush(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();
	struct kmem_cache_stats a, b;
	struct flush_ctx ctx = { 0 };

	a = stats_of(64, -1);
	KTEST_ASSERT_EQ(t, run_thread_on(0, flush_worker, &ctx), 0);
	/* What the thread freed may wait in the KASAN quarantine. */
	kasan_quarantine_drain();
	b = stats_of(64, -1);
	KTEST_EXPECT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_EQ(t, b.objs_inuse, a.objs_inuse);
	/* 40 allocations through tier 1: a miss per refill batch at most. */
	if (TIER1)
		KTEST_EXPECT_GE(t, b.t1_hits + b.t1_misses, a.t1_hits + a.t1_misses + 40);
	kfree(ctx.kept);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/*
 * Tier-1 list bounds: min(SLAB_TIER_THREAD_LIMIT objects, _BYTES bytes),
 * at least _BATCH (defaults for the hosted build in <exo/slab.h>).
 */
static unsigned int t1_bound(size_t size)
{
	unsigned long fit = CONFIG_SLAB_TIER_THREAD_BYTES / size;

	return (unsigned int)clamp(fit, (unsigned long)CONFIG_SLAB_TIER_THREAD_BATCH,
				   (unsigned long)CONFIG_SLAB_TIER_THREAD_LIMIT);
}

struct bound_ctx {
	size_t size;
	unsigned long flushes_at_bound;	/* t1 flushes after `bound` frees */
	unsigned long flushes_past;	/* ... after one more */
	long cached_past;		/* objects cached on this CPU: change over all frees */
	int ok;
};

static unsigned long t1_flushes_now(size_t size)
{
	return stats_of(size, this_cpu()).t1_flushes;
}

/* In a fresh thread: fill the empty list to its bound, then one more. */
static void bound_worker(void *arg)
{
	struct bound_ctx *ctx = arg;
	unsigned int n = t1_bound(ctx->size) + 1;
	void **objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);
	unsigned long f0;
	long c0;
	unsigned int got = 0;

	if (!objs)
		return;
	while (got < n && (objs[got] = kmalloc(ctx->size, GFP_KERNEL)))
		got++;
	kmem_drain_all();		/* the list is empty, its room full, no transfer list */
	f0 = t1_flushes_now(ctx->size);
	c0 = (long)stats_of(ctx->size, this_cpu()).objs_cached;
	for (unsigned int i = 0; i + 1 < got; i++)
		kfree(objs[i]);
	ctx->flushes_at_bound = t1_flushes_now(ctx->size) - f0;
	if (got)
		kfree(objs[got - 1]);
	ctx->flushes_past = t1_flushes_now(ctx->size) - f0;
	ctx->cached_past = (long)stats_of(ctx->size, this_cpu()).objs_cached - c0;
	ctx->ok = got == n;
	kfree(objs);
}

struct loop_ctx {
	size_t size;
	unsigned long err0, err1;
	int ok;
};

/* Are two objects of the cache of stats @st in two slabs? */
#define OTHER_SLAB(st, a, b)	\
	(((unsigned long)(a) ^ (unsigned long)(b)) >> (PAGE_SHIFT + (st)->order))

/* Of @objs, one whose slab's objects are all in @objs (its freelist is empty), or NULL. */
static void *owned_slab_obj(const struct kmem_cache_stats *st, void *const *objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int in = 0;

		for (unsigned int j = 0; j < n; j++)
			in += !OTHER_SLAB(st, objs[i], objs[j]);
		if (in == st->objs_per_slab)
			return objs[i];
	}
	return NULL;
}

/*
 * In a fresh thread: free one object twice (a self-loop); in the next
 * class y, z, y of one slab (a two-object cycle); in a third u, v, u of
 * two slabs, all of u's slab in this thread's hands (a cycle across
 * slabs, back to u on a freelist that held nothing else); then flush the
 * lists.
 */
static void loop_worker(void *arg)
{
	struct loop_ctx *ctx = arg;
	struct kmem_cache_stats st = stats_of(ctx->size * 8, -1);
	/* Enough for a whole slab past the partial ones other users hold. */
	unsigned int n = 8 * st.objs_per_slab, got = 0;
	void **objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);
	void *x, *y, *z, *u, *v = NULL;

	/*
	 * Whole slabs for u's: nothing from the per-CPU arrays or the
	 * transfer cache, whose lists mix slabs.
	 */
	kmem_flush_current();
	kmem_drain_all();
	x = kmalloc(ctx->size, GFP_KERNEL);
	y = kmalloc(ctx->size * 2, GFP_KERNEL);
	z = kmalloc(ctx->size * 2, GFP_KERNEL);
	while (objs && got < n && (objs[got] = kmalloc(ctx->size * 8, GFP_KERNEL)))
		got++;
	u = objs ? owned_slab_obj(&st, objs, got) : NULL;
	for (unsigned int i = 0; u && i < got && !v; i++)
		if (OTHER_SLAB(&st, objs[i], u))
			v = objs[i];
	if (!x || !y || !z || !v) {
		kfree(x);
		kfree(y);
		kfree(z);
		u = NULL;
		goto out;
	}
	ctx->err0 = kmem_error_count();
	kfree(x);
	kfree(x);
	kfree(y);
	/* Order-0 slabs: y and z may be of two slabs (then y, y). */
	if (((unsigned long)y ^ (unsigned long)z) < PAGE_SIZE)
		kfree(z);
	kfree(y);
	kfree(u);
	kfree(v);
	kfree(u);
	kmem_flush_current();	/* the three loops go to slab_put_chain() */
	ctx->err1 = kmem_error_count();
	ctx->ok = 1;
out:
	for (unsigned int i = 0; i < got; i++)
		if (!u || (objs[i] != u && objs[i] != v))
			kfree(objs[i]);
	kfree(objs);
}

/*
 * A double free onto a thread list makes it a loop: giving the list back
 * whole stops at the list's length, reports the loop and leaks the rest
 * (one object, one pair here) rather than walking it forever with the
 * cache lock held and interrupts off.  The loop across two slabs is
 * reported before the walk, back at u, splices u onto its slab's
 * freelist a second time (u linked to itself).
 */
void test_tier1_double_free_loop(struct ktest *t)
{
	struct loop_ctx ctx = { .size = 32 };

	if (!TIER1)
		KTEST_SKIP(t, "needs CONFIG_SLAB_TIER_THREAD");
	if (DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "the checks refuse the second free before any list sees it");
	KTEST_ASSERT_EQ(t, run_thread_on(0, loop_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_EQ(t, ctx.err1 - ctx.err0, 3UL);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

struct forged_ctx {
	unsigned long err_stale, err_short;
	void *q, *r;
	long left_stale, left_short;
	int stale_head, short_head, ok;
};

/*
 * In a fresh thread, forge the two ways a head list can disagree with
 * its count (32 B: list 1), with objects the thread owns:
 *  - stale: count 0 but a head (what a double-free loop leaves once its
 *    count ran out): the next kmalloc() must not hand that object out;
 *  - short: a count but no head (a use after free zeroed the link of the
 *    object popped last): the flush must report it.
 */
static void forged_worker(void *arg)
{
	struct forged_ctx *ctx = arg;
	struct slab_tcache_hot *tc;
	void *q, *o, *rest;
	unsigned long err;

	kmem_flush_current();
	q = kmalloc(32, GFP_KERNEL);
	if (!q)
		return;
	kmem_flush_current();		/* both lists empty, q is ours */
	tc = slab_cur_tc();
	*(void **)q = NULL;
	err = kmem_error_count();
	WRITE_ONCE(tc->head[1], q);	/* stale: left[1] is 0 */
	ctx->r = kmalloc(32, GFP_KERNEL);
	ctx->err_stale = kmem_error_count() - err;
	ctx->left_stale = READ_ONCE(tc->left[1]);
	ctx->stale_head = !READ_ONCE(tc->left[1]) != !READ_ONCE(tc->head[1]);
	ctx->q = q;
	if (ctx->r != q)
		kfree(ctx->r);
	kfree(q);

	kmem_flush_current();
	q = kmalloc(32, GFP_KERNEL);	/* a refill: more than 2 on the head list */
	if (!q || READ_ONCE(tc->left[1]) < 2) {
		kfree(q);
		return;
	}
	o = tc->head[1];
	rest = *(void **)o;
	*(void **)o = NULL;		/* o's link, zeroed while o is listed */
	o = kmalloc(32, GFP_KERNEL);	/* pops o: a head of NULL, a count above 0 */
	ctx->left_short = READ_ONCE(tc->left[1]);
	ctx->short_head = !READ_ONCE(tc->head[1]);
	err = kmem_error_count();
	kmem_flush_current();
	ctx->err_short = kmem_error_count() - err;
	while (rest) {			/* what the zeroed link cut off */
		void *next = *(void **)rest;

		kfree(rest);
		rest = next;
	}
	kfree(o);
	kfree(q);
	kmem_flush_current();
	ctx->ok = 1;
}

/*
 * The slow paths decide "empty" by the count, as the fast path does, and
 * report a head list that disagrees with it instead of following it.
 */
void test_tier1_forged_head(struct ktest *t)
{
	struct forged_ctx ctx = {};

	if (!TIER1 || DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs the tier-1 fast paths (no SLAB_DEBUG, no KASAN)");
	KTEST_ASSERT_EQ(t, run_thread_on(0, forged_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_TRUE(t, ctx.r != ctx.q);
	KTEST_EXPECT_NOT_NULL(t, ctx.r);
	KTEST_EXPECT_EQ(t, ctx.err_stale, 1UL);
	KTEST_EXPECT_GE(t, ctx.left_stale, 0L);
	KTEST_EXPECT_EQ(t, ctx.stale_head, 0);
	KTEST_EXPECT_GT(t, ctx.left_short, 0L);
	KTEST_EXPECT_EQ(t, ctx.short_head, 1);
	KTEST_EXPECT_EQ(t, ctx.err_short, 1UL);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

/* Objects on the NULL-terminated list @p, counting at most @max + 1. */
static long list_len(void *p, long max)
{
	long n = 0;

	for (; p && n <= max; p = *(void **)p)
		n++;
	return n;
}

#define COUNT_MAX	2048		/* above any list's bound */

struct count_ctx {
	long bad;		/* steps where a count and its list disagreed */
	int ok;
};

/* I7 for list 2 (64 B): left[2] objects on head[2], limit - room[2] on freed[2]. */
static void count_check(struct count_ctx *ctx, long lim)
{
	struct slab_tcache_hot *tc = slab_cur_tc();

	ctx->bad += list_len(tc->head[2], lim) != READ_ONCE(tc->left[2]);
	ctx->bad += list_len(tc->freed[2], lim) != lim - READ_ONCE(tc->room[2]);
}

/* In a fresh thread: I7 after a flush, a refill, frees, a swap, frees and a flush. */
static void count_worker(void *arg)
{
	struct count_ctx *ctx = arg;
	void **objs = kcalloc(COUNT_MAX + 1, sizeof(*objs), GFP_KERNEL);
	long lim, n = 0, left;
	void *few[5];

	if (!objs)
		return;
	kfree(kmalloc(64, GFP_KERNEL));			/* the thread cache exists */
	kmem_flush_current();
	lim = READ_ONCE(slab_cur_tc()->room[2]);	/* the whole room */
	if (lim > COUNT_MAX) {
		kfree(objs);
		return;
	}
	count_check(ctx, lim);
	for (int k = 0; k < 5; k++)
		few[k] = kmalloc(64, GFP_KERNEL);	/* the first one refills */
	count_check(ctx, lim);
	for (int k = 0; k < 5; k++)
		kfree(few[k]);				/* onto the freed list */
	count_check(ctx, lim);
	for (left = READ_ONCE(slab_cur_tc()->left[2]); n < left && n < lim; n++)
		objs[n] = kmalloc(64, GFP_KERNEL);	/* the head list runs dry */
	count_check(ctx, lim);
	objs[n++] = kmalloc(64, GFP_KERNEL);		/* the freed list takes over */
	count_check(ctx, lim);
	for (long k = 0; k < n; k++)
		kfree(objs[k]);
	count_check(ctx, lim);
	kmem_flush_current();
	count_check(ctx, lim);
	kfree(objs);
	ctx->ok = 1;
}

/* I7: each count is its list's length, whatever moved the lists. */
void test_tier1_counts(struct ktest *t)
{
	struct count_ctx ctx = {};

	if (!TIER1 || DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs the tier-1 fast paths (no SLAB_DEBUG, no KASAN)");
	KTEST_ASSERT_EQ(t, run_thread_on(0, count_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_EQ(t, ctx.bad, 0L);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

#define MIX_SLABS	6		/* 384 of 128 B: under a list's bound (512) */

struct mix_ctx {
	unsigned long err0, err1, freed0, freed1, frees0, frees1, flushes, n;
	int ok;
};

/*
 * In a fresh thread: take MIX_SLABS slabs' worth of 128 B objects, free
 * them interleaved (A B C .. A B C ..) onto the freed list, below its
 * bound, and flush it: one slab_put_chain() of one-object runs
 * that takes full slabs to partial, partial ones to empty, and reaps the
 * empty ones past SLAB_EMPTY_KEEP, dropping the lock every 64 runs.
 */
static void mix_worker(void *arg)
{
	struct mix_ctx *ctx = arg;
	struct kmem_cache *c = kmalloc_cache(128);
	struct kmem_cache_stats st;
	unsigned int got = 0, per, n;
	void **objs;

	kmem_cache_get_stats(c, -1, &st);
	per = st.objs_per_slab;
	n = MIX_SLABS * per;
	ctx->n = n;
	objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return;
	kmem_flush_current();
	while (got < n && (objs[got] = kmalloc(128, GFP_KERNEL)))
		got++;
	kmem_flush_current();	/* the head list's rest back: only the freed list below */
	kmem_cache_get_stats(c, -1, &st);
	ctx->freed0 = st.slabs_freed;
	ctx->frees0 = st.slab_frees;
	ctx->flushes = st.t1_flushes;
	ctx->err0 = kmem_error_count();
	for (unsigned int r = 0; r < per; r++)
		for (unsigned int k = 0; k < MIX_SLABS; k++)
			if (k * per + r < got)
				kfree(objs[k * per + r]);
	kmem_cache_get_stats(c, -1, &st);
	ctx->flushes = st.t1_flushes - ctx->flushes;
	kmem_flush_current();
	kmem_cache_get_stats(c, -1, &st);
	ctx->freed1 = st.slabs_freed;
	ctx->frees1 = st.slab_frees;
	ctx->err1 = kmem_error_count();
	ctx->ok = got == n;
	kfree(objs);
}

/*
 * A freed list mixing many slabs goes back whole, one object per run, and
 * leaves the slab lists and counters consistent (kmem_check() compares
 * nr_slabs, nr_empty and nr_slab_free with the lists).
 */
void test_tier1_put_chain_mixed(struct ktest *t)
{
	struct mix_ctx ctx = { 0 };

	if (!TIER1)
		KTEST_SKIP(t, "needs CONFIG_SLAB_TIER_THREAD");
	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN sends every kmalloc/kfree down the slow paths");
	KTEST_ASSERT_EQ(t, run_thread_on(0, mix_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_EQ(t, ctx.flushes, 0UL);	/* the frees stayed on the list */
	KTEST_EXPECT_EQ(t, ctx.err1, ctx.err0);
	KTEST_EXPECT_GE(t, ctx.frees1 - ctx.frees0, ctx.n);
	/* At least the slabs taken whole for the burst, less the kept ones, were reaped. */
	if (!DEBUG && MIX_SLABS > CONFIG_SLAB_EMPTY_KEEP + 2)
		KTEST_EXPECT_GE(t, ctx.freed1 - ctx.freed0, 1UL);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	ktest_log(t, "%lu slabs reaped", ctx.freed1 - ctx.freed0);
}

/*
 * A thread list holds exactly its bound: 1024 x 16..64 B, 512 x 128, 256 x
 * 256; the free past it gives the whole list to the transfer cache (I12).
 */
void test_tier1_bounds(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();

	if (!TIER1)
		KTEST_SKIP(t, "needs CONFIG_SLAB_TIER_THREAD");
	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN sends every kmalloc/kfree down the slow paths");
	for (size_t size = 16; size <= 256; size *= 2) {
		struct bound_ctx ctx = { .size = size };

		KTEST_ASSERT_EQ(t, run_thread_on(0, bound_worker, &ctx), 0);
		KTEST_EXPECT_EQ(t, ctx.ok, 1);
		KTEST_EXPECT_EQ(t, ctx.flushes_at_bound, 0UL);
		KTEST_EXPECT_EQ(t, ctx.flushes_past, 1UL);
		/*
		 * The full list went whole to the (empty) transfer cache, or
		 * without one back to the slabs: only the last free is on the
		 * thread's lists.
		 */
		KTEST_EXPECT_EQ(t, ctx.cached_past,
				CONFIG_SLAB_TIER_THREAD_XFER ? (long)t1_bound(size) + 1 : 1L);
	}
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

#define SWAP_N	40

struct swap_ctx {
	void *p[SWAP_N], *q[SWAP_N];
	struct kmem_cache_stats empty, freed, again;
	int ok;
};

/*
 * In a fresh thread with both 64-byte lists empty: SWAP_N frees fill the
 * freed list, and SWAP_N allocations then take it over whole: tier-1 hits
 * in the reverse order of the frees, and the cached counts follow (I7).
 */
static void swap_worker(void *arg)
{
	struct swap_ctx *ctx = arg;
	unsigned int n = 0;

	while (n < SWAP_N && (ctx->p[n] = kmalloc(64, GFP_KERNEL)))
		n++;
	kmem_flush_current();
	ctx->empty = stats_of(64, this_cpu());
	for (unsigned int i = 0; i < n; i++)
		kfree(ctx->p[i]);
	ctx->freed = stats_of(64, this_cpu());
	for (unsigned int i = 0; i < n; i++)
		ctx->q[i] = kmalloc(64, GFP_KERNEL);
	ctx->again = stats_of(64, this_cpu());
	for (unsigned int i = 0; i < n; i++)
		kfree(ctx->q[i]);
	ctx->ok = n == SWAP_N;
}

void test_tier1_swap(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();
	struct swap_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	unsigned int order = 0;

	KTEST_ASSERT_NOT_NULL(t, ctx);
	if (!TIER1 || DEBUG || IS_ENABLED(CONFIG_KASAN)) {
		kfree(ctx);
		KTEST_SKIP(t, "needs the tier-1 fast paths (no SLAB_DEBUG, no KASAN)");
	}
	KTEST_ASSERT_EQ(t, run_thread_on(0, swap_worker, ctx), 0);
	KTEST_EXPECT_EQ(t, ctx->ok, 1);
	KTEST_EXPECT_EQ(t, ctx->freed.objs_cached, ctx->empty.objs_cached + SWAP_N);
	KTEST_EXPECT_EQ(t, ctx->freed.t1_flushes, ctx->empty.t1_flushes);
	KTEST_EXPECT_EQ(t, ctx->again.objs_cached, ctx->empty.objs_cached);
	KTEST_EXPECT_EQ(t, ctx->again.t1_hits, ctx->freed.t1_hits + SWAP_N);
	KTEST_EXPECT_EQ(t, ctx->again.t1_misses, ctx->freed.t1_misses);
	KTEST_EXPECT_EQ(t, ctx->again.t2_hits + ctx->again.t2_misses,
			ctx->freed.t2_hits + ctx->freed.t2_misses);
	for (unsigned int i = 0; i < SWAP_N; i++)
		order += ctx->q[i] == ctx->p[SWAP_N - 1 - i];
	KTEST_EXPECT_EQ(t, order, SWAP_N);
	kfree(ctx);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/*
 * Another CPU reading a thread's counters between two of its stores: a
 * flush lowers hin by the list length before it zeroes left, so hin -
 * left is below 0 for a moment.  Forged here as a head count far above
 * the hits: the sums of kmem_cache_get_stats() must neither wrap nor count
 * more cached objects than a list holds.
 */
void test_tier1_stats_mid_update(struct ktest *t)
{
	struct kmem_cache_stats b;
	struct slab_tcache_hot *tc;
	long left;
	void *p;

	if (!TIER1 || DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs the tier-1 fast paths (no SLAB_DEBUG, no KASAN)");
	p = kmalloc(16, GFP_KERNEL);	/* the thread cache exists */
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	tc = slab_cur_tc();
	KTEST_ASSERT_TRUE(t, tc != &slab_no_tcache);
	/* No kmalloc() of this thread until left[0] is back. */
	left = READ_ONCE(tc->left[0]);
	WRITE_ONCE(tc->left[0], left + (1L << 40));
	kmem_cache_get_stats(kmalloc_cache(16), -1, &b);
	WRITE_ONCE(tc->left[0], left);
	KTEST_EXPECT_LT(t, b.t1_hits, 1UL << 40);
	KTEST_EXPECT_LE(t, b.objs_cached, b.objs_total);
	KTEST_EXPECT_LE(t, b.objs_inuse, b.objs_total);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

#ifndef __HOSTED__
#define SWITCH_ROUNDS	200

struct switch_ctx {
	unsigned long bad;		/* atomic: slab_cur_cache != current's */
	unsigned long hits;		/* atomic */
};

/* slab_cur_cache must follow every switch (I5). */
static void switch_worker(void *arg)
{
	struct switch_ctx *ctx = arg;

	for (int i = 0; i < SWITCH_ROUNDS; i++) {
		void *p = kmalloc(32, GFP_KERNEL), *q, *want;
		struct slab_tcache_hot *tc;

		if (this_cpu_read(slab_cur_cache) != slab_tc_publish(current->slab_cache))
			__atomic_fetch_add(&ctx->bad, 1, __ATOMIC_RELAXED);
		yield();
		if (this_cpu_read(slab_cur_cache) != slab_tc_publish(current->slab_cache))
			__atomic_fetch_add(&ctx->bad, 1, __ATOMIC_RELAXED);
		kfree(p);
		/*
		 * From this thread's own lists (32 B: list 1): the head of
		 * head[1], or once it ran dry the head of freed[1] (p).
		 */
		tc = slab_cur_tc();
		want = READ_ONCE(tc->left[1]) > 0 ? tc->head[1] : tc->freed[1];
		q = kmalloc(32, GFP_KERNEL);
		if (q && q == want)
			__atomic_fetch_add(&ctx->hits, 1, __ATOMIC_RELAXED);
		kfree(q);
	}
}

/* Two threads on one CPU take turns: each keeps finding its own cache. */
void test_cur_cache_switch(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages();
	struct switch_ctx ctx = { 0 };
	void *pair[2] = { (void *)switch_worker, &ctx };
	struct task_struct *th[2];

	if (!TIER1)
		KTEST_SKIP(t, "needs CONFIG_SLAB_TIER_THREAD");
	if (IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "KASAN sends every kmalloc/kfree down the slow paths");
	for (int i = 0; i < 2; i++) {
		th[i] = kthread_create(kthread_body, pair, "slabswitch%d", i);
		KTEST_ASSERT_NOT_NULL(t, th[i]);
		kthread_bind(th[i], 0);
	}
	for (int i = 0; i < 2; i++)
		wake_up_process(th[i]);
	for (int i = 0; i < 2; i++)
		kthread_join(th[i]);
	KTEST_EXPECT_EQ(t, ctx.bad, 0UL);
	/* Every round's re-allocation is a hit on the thread's own lists. */
	KTEST_EXPECT_EQ(t, ctx.hits, 2UL * SWITCH_ROUNDS);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}
#endif
/* Idle threads, early boot and hosted threads without `current` use tier 2. */
void test_slabinfo_runs(struct ktest *t)
{
	int level = console_loglevel;

	console_loglevel = min(level, LOGLEVEL_WARNING);
	kmem_show_slabinfo(true);
	console_loglevel = level;
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

/*
 * kmem_cache_free() of the slab tail: 96-byte objects leave 4096 - 42 * 96
 * = 64 bytes after the last one, whose start is a multiple of the stride.
 * It is not an object: refused and reported on the fast path too, and
 * nothing enters the per-CPU array (kmem_check(), the destroy).
 */
void test_typed_slab_tail(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), err0;
	struct kmem_cache *c = kmem_cache_create("test_tail", 96, 0, 0, NULL);
	char *obj, *tail;

	KTEST_ASSERT_NOT_NULL(t, c);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, obj);
	tail = (char *)((unsigned long)obj & ~(PAGE_SIZE - 1)) + 42 * 96;
	err0 = kmem_error_count();
	kmem_cache_free(c, tail);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0 + 1);
	KTEST_EXPECT_EQ(t, kfree_checked(tail), -EINVAL);
	kmem_cache_free(c, obj);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
}

/*
 * A tier-1 refill hands a thread a whole slab, and the thread's lists
 * then cycle through that many objects between two trips out of line:
 * each tier-1 class's slabs hold at least 64 objects, in the smallest
 * order that does (order 2 for 256 bytes, not the 16 objects of a page).
 */
void test_tier1_slab_objs(struct ktest *t)
{
	if (!TIER1 || DEBUG)
		KTEST_SKIP(t, "needs tier 1 without SLAB_DEBUG");
	for (size_t size = 16; size <= 256; size *= 2) {
		struct kmem_cache *c = kmalloc_cache(size);
		unsigned int order = 0;

		KTEST_ASSERT_NOT_NULL(t, c);
		while ((PAGE_SIZE << order) / c->stride < 64)
			order++;
		KTEST_EXPECT_EQ(t, c->order, order);
		KTEST_EXPECT_GE(t, c->objs, 64U);
		KTEST_EXPECT_EQ(t, c->objs, (unsigned int)((PAGE_SIZE << order) / c->stride));
	}
}

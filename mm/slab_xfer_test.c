// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1's transfer cache (mm/slab_xfer.c, I12), part of the slab suite:
 * full thread lists go there whole and come back whole, never more than
 * CONFIG_SLAB_TIER_THREAD_XFER of them per class, kmem_drain_all() gives
 * every object back, and lists moving between CPUs keep their objects
 * intact and unshared, and each memory node has its lists of its own.
 */
#include <exo/numa.h>
#include <exo/page_alloc.h>

#include "slab_test.h"

#define XFER		CONFIG_SLAB_TIER_THREAD_XFER
#define XSIZE		64
/* The bound of the 64-byte thread lists: 1024 objects with the defaults. */
#define XLIM		min_t(unsigned long, CONFIG_SLAB_TIER_THREAD_LIMIT,	\
			      max_t(unsigned long, CONFIG_SLAB_TIER_THREAD_BYTES / XSIZE,	\
				    CONFIG_SLAB_TIER_THREAD_BATCH))

struct xfer_ctx {
	struct kmem_cache_stats before, full, drained;
	unsigned long n, got;
	int ok;
};

/*
 * In a fresh thread: XFER + 1 full lists and a half one of 64-byte
 * objects freed in a row.  The first XFER overflows go to the transfer
 * cache, the one past its limit back to the slabs; kmem_drain_all() then
 * empties it.
 */
static void xfer_fill_worker(void *arg)
{
	struct xfer_ctx *ctx = arg;
	void **objs;

	ctx->n = (XFER + 1) * XLIM + XLIM / 2;
	objs = kcalloc(ctx->n, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return;
	while (ctx->got < ctx->n && (objs[ctx->got] = kmalloc(XSIZE, GFP_KERNEL)))
		ctx->got++;
	kmem_drain_all();		/* an empty transfer cache, empty thread lists */
	ctx->before = stats_of(XSIZE, -1);
	for (unsigned long i = 0; i < ctx->got; i++)
		kfree(objs[i]);
	ctx->full = stats_of(XSIZE, -1);
	kmem_drain_all();
	ctx->drained = stats_of(XSIZE, -1);
	kfree(objs);
	ctx->ok = ctx->got == ctx->n;
}

/*
 * The limit holds, the full lists went there whole (counted as cached,
 * not in use), and a drain gives every object back: the cache's counts,
 * the objects in use and the free pages are back at their baseline.
 */
void test_xfer_limit_and_drain(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), use0 = kmalloc_usage(NULL);
	unsigned long err0 = kmem_error_count();
	struct xfer_ctx ctx = {};

	if (!TIER1 || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs tier 1 (and no KASAN, whose quarantine delays the frees)");
	KTEST_ASSERT_EQ(t, run_thread_on(0, xfer_fill_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	KTEST_EXPECT_EQ(t, ctx.before.objs_xfer, 0UL);
	/* XFER lists of XLIM objects, no more; the overflow past them went to the slabs. */
	KTEST_EXPECT_EQ(t, ctx.full.objs_xfer, XFER * XLIM);
	KTEST_EXPECT_EQ(t, ctx.full.xfer_puts - ctx.before.xfer_puts, (unsigned long)XFER);
	KTEST_EXPECT_EQ(t, ctx.full.t1_flushes - ctx.before.t1_flushes, (unsigned long)XFER + 1);
	KTEST_EXPECT_GE(t, ctx.full.objs_cached, ctx.full.objs_xfer);
	/* Drained: nothing left there, nothing in use, nothing cached but per-CPU arrays. */
	KTEST_EXPECT_EQ(t, ctx.drained.objs_xfer, 0UL);
	KTEST_EXPECT_EQ(t, ctx.drained.objs_inuse + ctx.got, ctx.before.objs_inuse);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), use0);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	ktest_log(t, "%lu lists of %lu kept, %lu objects cached at the limit", (unsigned long)XFER,
		  XLIM, ctx.full.objs_cached);
}

struct xloop_ctx {
	unsigned long err0, err1, twice;
	int ok;
};

/* Objects of @objs[0 .. @n) that equal an earlier one. */
static unsigned long dup_count(void **objs, unsigned long n)
{
	unsigned long twice = 0;

	for (unsigned long i = 1; i < n; i++)
		for (unsigned long j = 0; j < i; j++)
			if (objs[i] == objs[j]) {
				twice++;
				break;
			}
	return twice;
}

/*
 * In a fresh thread: kfree(o0), kfree(o1), kfree(o0) (a double free that
 * makes the 64-byte freed list a loop o0 -> o1 -> o0), the rest of the
 * list, one more kfree (the full list goes to the transfer cache whole,
 * unwalked), then kmalloc() a list and one more (the refill takes the
 * looped list back and pops it by its count: o0 twice), kfree one and
 * kmalloc once: the head the loop leaves past its count (o1) is reported
 * and dropped, not left behind the freed list.
 */
static void xloop_worker(void *arg)
{
	struct xloop_ctx *ctx = arg;
	unsigned long n = XLIM, got = 0;
	void **objs = kcalloc(2 * n + 1, sizeof(*objs), GFP_KERNEL);
	void **out;

	if (!objs)
		return;
	out = objs + n;
	while (got < n && (objs[got] = kmalloc(XSIZE, GFP_KERNEL)))
		got++;
	kmem_drain_all();		/* empty lists, an empty transfer cache */
	if (got < n)
		goto out;
	ctx->err0 = kmem_error_count();
	kfree(objs[0]);
	kfree(objs[1]);
	kfree(objs[0]);			/* the loop */
	for (unsigned long i = 2; i < n; i++)
		kfree(objs[i]);		/* the last one puts the full list */
	for (unsigned long i = 0; i <= n; i++)
		out[i] = kmalloc(XSIZE, GFP_KERNEL);
	kfree(out[n]);
	out[n] = kmalloc(XSIZE, GFP_KERNEL);
	ctx->err1 = kmem_error_count();
	ctx->twice = dup_count(out, n + 1);
	ctx->ok = 1;
	/* Each object once: the ones handed out twice are freed once. */
	for (unsigned long i = 0; i <= n; i++)
		for (unsigned long j = 0; j <= i && out[i]; j++)
			if (out[j] == out[i]) {
				if (j == i)
					kfree(out[i]);
				break;
			}
	got = 0;
out:
	for (unsigned long i = 0; i < got; i++)
		kfree(objs[i]);
	kfree(objs);
}

/*
 * A double free that makes a full freed list a loop is reported though
 * the list went to the transfer cache unwalked and came back to a
 * refill: popped by its count, the list ends with a head left (the
 * loop's next object), which the next kmalloc() reports and drops rather
 * than swapping the freed list over it.  The loop's own double-freed
 * object is handed out twice before that, as for any list popped by its
 * count (slab.rst, "Thread lists"); no other object is.  Before the
 * report was added: 1 object handed out twice, 0 reports.
 */
void test_xfer_double_free_loop(struct ktest *t)
{
	struct xloop_ctx ctx = {};

	if (!TIER1 || !XFER || DEBUG || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs the tier-1 fast paths with a transfer cache (no SLAB_DEBUG, no KASAN)");
	KTEST_ASSERT_EQ(t, run_thread_on(0, xloop_worker, &ctx), 0);
	KTEST_ASSERT_EQ(t, ctx.ok, 1);
	ktest_log(t, "%lu objects handed out twice, %lu reports", ctx.twice, ctx.err1 - ctx.err0);
	KTEST_EXPECT_LE(t, ctx.twice, 1UL);
	KTEST_EXPECT_EQ(t, ctx.err1 - ctx.err0, 1UL);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

struct xnode_ctx {
	struct kmem_cache_stats got;	/* after the allocations, before the frees */
	int ok;
};

/*
 * Why a case on CPU 0 and a CPU of another memory node cannot run here,
 * or NULL and that CPU (the first online one) in *@other.
 */
static const char *xnode_unfit(unsigned int *other)
{
	if (!TIER1 || !XFER || IS_ENABLED(CONFIG_KASAN))
		return "needs tier 1 with a transfer cache (and no KASAN, whose quarantine delays the frees)";
#ifndef __HOSTED__
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu) && cpu_to_mem(cpu) != cpu_to_mem(0)) {
			*other = cpu;
			return NULL;
		}
#endif
	return "needs online CPUs of two memory nodes (hosted: one)";
}

/*
 * In a fresh thread: XLIM + 1 64-byte objects allocated (the refills
 * look at the transfer cache once this CPU's array is empty), the
 * counts read, then all freed (the last free puts a full list).
 */
static void xnode_worker(void *arg)
{
	struct xnode_ctx *ctx = arg;
	unsigned long n = XLIM + 1, got = 0;
	void **objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);

	if (!objs)
		return;
	while (got < n && (objs[got] = kmalloc(XSIZE, GFP_KERNEL)))
		got++;
	ctx->got = stats_of(XSIZE, -1);
	for (unsigned long i = 0; i < got; i++)
		kfree(objs[i]);
	kfree(objs);
	ctx->ok = got == n;
}

/*
 * A list put by a CPU of one memory node is taken by refills on that
 * memory node only (I12, I9): a thread on CPU 0 puts one; a thread on a
 * CPU of another memory node (cpu_to_mem(): a CPU of a memoryless node
 * whose nearest memory node is CPU 0's shares CPU 0's lists) refills
 * past its array and does not take it (xfer_gets unchanged, the list
 * still there); a thread on CPU 0 then does.  Booted in make check's
 * 2-node configuration; skipped with one memory node.
 */
void test_xfer_node_homing(struct ktest *t)
{
	unsigned long err0 = kmem_error_count();
	struct xnode_ctx put = {}, far = {}, home = {};
	struct kmem_cache_stats a, b, c;
	unsigned int other;
	const char *why;
	int rc;

	why = xnode_unfit(&other);
	if (why)
		KTEST_SKIP(t, why);
	kmem_drain_all();
	a = stats_of(XSIZE, -1);
	/*
	 * From the first put on, a failure ends the test at out: (no
	 * ASSERT), which gives back the lists left in the transfer cache.
	 */
	rc = run_thread_on(0, xnode_worker, &put);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, put.ok, 1);
	if (rc || !put.ok)
		goto out;
	b = stats_of(XSIZE, -1);
	KTEST_EXPECT_EQ(t, b.xfer_puts - a.xfer_puts, 1UL);
	KTEST_EXPECT_EQ(t, b.objs_xfer, XLIM);
	rc = run_thread_on(other, xnode_worker, &far);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, far.ok, 1);
	if (rc || !far.ok)
		goto out;
	KTEST_EXPECT_EQ(t, far.got.xfer_gets, b.xfer_gets);
	KTEST_EXPECT_EQ(t, far.got.objs_xfer, XLIM);
	c = stats_of(XSIZE, -1);	/* far's frees put a list of its node */
	rc = run_thread_on(0, xnode_worker, &home);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, home.ok, 1);
	if (rc || !home.ok)
		goto out;
	KTEST_EXPECT_EQ(t, home.got.xfer_gets - c.xfer_gets, 1UL);
#ifndef __HOSTED__
	ktest_log(t, "lists taken: %lu by CPU %u (memory node %d), then %lu by CPU 0 (memory node %d)",
		  far.got.xfer_gets - b.xfer_gets, other, cpu_to_mem(other),
		  home.got.xfer_gets - c.xfer_gets, cpu_to_mem(0));
#endif
out:
	kmem_drain_all();
	KTEST_EXPECT_EQ(t, stats_of(XSIZE, -1).objs_xfer, 0UL);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

struct xslots_ctx {
	struct kmem_cache_stats full;	/* after the frees */
	unsigned long got;
	int ok;
};

/*
 * In a fresh thread: XFER lists and one object of 64-byte objects
 * allocated, the transfer cache and the thread lists emptied, then all
 * freed: the frees past each full list put it, XFER lists in all, on this
 * CPU's node; the last object stays on the thread's list.
 */
static void xslots_fill_worker(void *arg)
{
	struct xslots_ctx *ctx = arg;
	unsigned long n = XFER * XLIM + 1;
	void **objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);

	if (!objs)
		return;
	while (ctx->got < n && (objs[ctx->got] = kmalloc(XSIZE, GFP_KERNEL)))
		ctx->got++;
	kmem_drain_all();
	for (unsigned long i = 0; i < ctx->got; i++)
		kfree(objs[i]);
	ctx->full = stats_of(XSIZE, -1);
	kfree(objs);
	ctx->ok = ctx->got == n;
}

/*
 * Each memory node has XFER lists per class of its own (I12): with CPU
 * 0's node's lists all in use, a full list freed on a CPU of another
 * memory node still goes there (one more xfer_puts) and a refill on that
 * node takes it back (one more xfer_gets), leaving CPU 0's node's lists
 * alone.  Booted in make check's 2-node configuration; skipped with one
 * memory node (or no CPU on a second one).  With one set of slots for
 * every node the list went back to the slabs and the refill found none.
 */
void test_xfer_node_slots(struct ktest *t)
{
	unsigned long err0 = kmem_error_count();
	struct xnode_ctx far = {}, back = {};
	struct xslots_ctx fill = {};
	struct kmem_cache_stats a, b;
	unsigned int other;
	const char *why;
	int rc;

	why = xnode_unfit(&other);
	if (why)
		KTEST_SKIP(t, why);
	kmem_drain_all();
	a = stats_of(XSIZE, -1);
	/*
	 * From the fill on, a failure ends the test at out: (no ASSERT),
	 * which gives back the lists left in the transfer cache.
	 */
	rc = run_thread_on(0, xslots_fill_worker, &fill);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, fill.ok, 1);
	if (rc || !fill.ok)
		goto out;
	/* CPU 0's node: every slot in use. */
	KTEST_EXPECT_EQ(t, fill.full.objs_xfer, XFER * XLIM);
	KTEST_EXPECT_EQ(t, fill.full.xfer_puts - a.xfer_puts, (unsigned long)XFER);
	/* Another node's CPU: its refills find none of its node, its full list is kept. */
	rc = run_thread_on(other, xnode_worker, &far);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, far.ok, 1);
	if (rc || !far.ok)
		goto out;
	KTEST_EXPECT_EQ(t, far.got.xfer_gets, fill.full.xfer_gets);
	b = stats_of(XSIZE, -1);
	KTEST_EXPECT_EQ(t, b.xfer_puts - fill.full.xfer_puts, 1UL);
	KTEST_EXPECT_EQ(t, b.objs_xfer, (XFER + 1) * XLIM);
	/* A refill there takes it back; CPU 0's node's lists stay. */
	rc = run_thread_on(other, xnode_worker, &back);
	KTEST_EXPECT_EQ(t, rc, 0);
	KTEST_EXPECT_EQ(t, back.ok, 1);
	if (rc || !back.ok)
		goto out;
	KTEST_EXPECT_EQ(t, back.got.xfer_gets - b.xfer_gets, 1UL);
	KTEST_EXPECT_EQ(t, back.got.objs_xfer, XFER * XLIM);
#ifndef __HOSTED__
	ktest_log(t, "node %d: %lu lists kept; CPU %u (node %d): %lu put, %lu taken back",
		  cpu_to_mem(0), fill.full.xfer_puts - a.xfer_puts, other, cpu_to_mem(other),
		  b.xfer_puts - fill.full.xfer_puts, back.got.xfer_gets - b.xfer_gets);
#endif
out:
	kmem_drain_all();
	KTEST_EXPECT_EQ(t, stats_of(XSIZE, -1).objs_xfer, 0UL);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

#define XS_WORKERS	8
#define XS_ROUNDS	24
#define XS_N		(3 * XLIM)

struct xs_ctx {
	unsigned int next_id, nr;
	unsigned long bad, nomem;
};

static struct xs_ctx xs;

static u64 xs_sig(const void *p, unsigned int id, unsigned int round)
{
	return sig_of(p, XSIZE) ^ ((u64)id << 48) ^ ((u64)round << 32);
}

/*
 * Bursts of 3 lists' worth of 64-byte objects, each signed with the
 * worker, the round and its index, all checked once every one is
 * allocated (an object handed to two holders at once, or twice to this
 * one, carries the other's signature),
 * then freed: every burst past the thread lists puts lists in the
 * transfer cache and takes the other CPUs' back.
 */
static void xs_worker(void *arg)
{
	struct xs_ctx *ctx = arg;
	unsigned int id = __atomic_fetch_add(&ctx->next_id, 1, __ATOMIC_RELAXED);
	void **objs = kcalloc(XS_N, sizeof(*objs), GFP_KERNEL);

	if (!objs) {
		__atomic_fetch_add(&ctx->nomem, 1, __ATOMIC_RELAXED);
		return;
	}
	for (unsigned int r = 0; r < XS_ROUNDS; r++) {
		unsigned long got = 0, bad = 0;

		while (got < XS_N && (objs[got] = kmalloc(XSIZE, GFP_KERNEL))) {
			u64 s = xs_sig(objs[got], id, r) ^ got;

			memcpy(objs[got], &s, 8);
			memcpy((char *)objs[got] + XSIZE - 8, &s, 8);
			got++;
		}
		if (got < XS_N)
			__atomic_fetch_add(&ctx->nomem, 1, __ATOMIC_RELAXED);
		let_others_run();
		for (unsigned long i = 0; i < got; i++) {
			u64 s = xs_sig(objs[i], id, r) ^ i, a, b;

			memcpy(&a, objs[i], 8);
			memcpy(&b, (char *)objs[i] + XSIZE - 8, 8);
			bad += a != s || b != s;
		}
		if (bad)
			__atomic_fetch_add(&ctx->bad, bad, __ATOMIC_RELAXED);
		for (unsigned long i = 0; i < got; i++)
			kfree(objs[i]);
		let_others_run();
	}
	kfree(objs);
}

#ifndef __HOSTED__
/* @nr workers round-robin over the online CPUs, started together, joined. */
static unsigned int xs_run(unsigned int nr)
{
	struct task_struct *th[XS_WORKERS];
	void *pair[2] = { (void *)xs_worker, &xs };
	unsigned int cpu = smp_processor_id(), made = 0;

	for (unsigned int i = 0; i < nr; i++) {
		th[i] = kthread_create(kthread_body, pair, "slabxfer%u", i);
		if (!th[i])
			break;
		kthread_bind(th[i], cpu);
		made++;
		do
			cpu = (cpu + 1) % NR_CPUS;
		while (!cpu_online(cpu));
	}
	for (unsigned int i = 0; i < made; i++)
		wake_up_process(th[i]);
	for (unsigned int i = 0; i < made; i++)
		kthread_join(th[i]);
	return made;
}
#endif

/*
 * Threads on every CPU (hosted: 4 host threads) trading whole lists
 * through the transfer cache under stress: no object is ever held twice,
 * lists did move (taken by refills), the limit held, and after
 * kmem_drain_all() everything is back.
 */
void test_xfer_smp_stress(struct ktest *t)
{
	unsigned long base = ktest_settled_free_pages(), use0 = kmalloc_usage(NULL);
	unsigned long err0 = kmem_error_count();
	struct kmem_cache_stats a, b;

	if (!TIER1 || !XFER || IS_ENABLED(CONFIG_KASAN))
		KTEST_SKIP(t, "needs tier 1 with a transfer cache (and no KASAN, whose quarantine delays the frees)");
	memset(&xs, 0, sizeof(xs));
	a = stats_of(XSIZE, -1);
#ifdef __HOSTED__
	xs.nr = 4;
	KTEST_ASSERT_EQ(t, hosted_run_on_cpus(1, xs.nr, xs_worker, &xs), 0);
#else
	xs.nr = min_t(unsigned int, 2 * num_online_cpus(), XS_WORKERS);
	KTEST_ASSERT_EQ(t, xs_run(xs.nr), xs.nr);
#endif
	b = stats_of(XSIZE, -1);
	ktest_log(t, "%u workers: %lu lists put, %lu taken, %lu objects left there", xs.nr,
		  b.xfer_puts - a.xfer_puts, b.xfer_gets - a.xfer_gets, b.objs_xfer);
	KTEST_EXPECT_EQ(t, xs.bad, 0UL);
	KTEST_EXPECT_EQ(t, xs.nomem, 0UL);
	KTEST_EXPECT_GT(t, b.xfer_gets - a.xfer_gets, 0UL);
	/* XFER lists per memory node (hosted: one node). */
	KTEST_EXPECT_LE(t, b.objs_xfer, XFER * XLIM * pa_nr_nodes);
	KTEST_EXPECT_EQ(t, kmem_error_count(), err0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), base);
	KTEST_EXPECT_EQ(t, stats_of(XSIZE, -1).objs_xfer, 0UL);
	KTEST_EXPECT_EQ(t, kmalloc_usage(NULL), use0);
}

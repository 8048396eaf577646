// SPDX-License-Identifier: GPL-2.0
/*
 * The slab_remote suite: frees of another memory node's objects batched
 * per CPU (mm/slab_remote.c, I10).  A batch goes home in one lock hold
 * when full, when a fifth cache needs a slot, when the CPU drains, when
 * the page allocator drains, and (every CPU's, without a cross-CPU call)
 * when a slab allocation of any gfp is about to fail; afterwards every
 * object is back on its node's slab.  Needs two memory nodes, and for
 * most cases a build whose *_alloc_node() place objects (not debug or
 * KASAN); test_batch_any_build and the concurrent case run on any build.
 * Documentation/mm/numa.rst.
 */
#include <exo/errno.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/smp.h>

#include "slab.h"

/* A memory node other than this CPU's, where the slab places objects; else skip. */
static int remote_node(struct ktest *t)
{
	int nid;

	if (!slab_multi_node() || DEBUG || KASAN) {
		ktest_skip(t, "one memory node, or a debug/KASAN build");
		return NUMA_NO_NODE;
	}
	for_each_node_state(nid, N_MEMORY)
		if (nid != numa_mem_id())
			return nid;
	ktest_skip(t, "no other memory node");
	return NUMA_NO_NODE;
}

static void stats(struct kmem_cache *c, struct kmem_cache_stats *st)
{
	kmem_cache_get_stats(c, -1, st);
}

/* This CPU's batches back to their slabs. */
static void drain_here(void)
{
	unsigned long flags;

	local_irq_save(flags);
	slab_remote_drain(smp_processor_id());
	local_irq_restore(flags);
}

#define OBJS	(3 * REMOTE_BATCH + 5)

/*
 * OBJS frees of another node's objects: a lock hold per full batch, the
 * rest pending on this CPU; the drain gives those back and every count is
 * at its baseline, the cache empty.  From empty batches, with interrupts
 * off, so that no other remote free on this CPU evicts the cache's slot.
 */
static void test_batch_and_drain(struct ktest *t)
{
	int remote = remote_node(t);
	struct kmem_cache_stats st0, st;
	unsigned long pending, flags;
	struct kmem_cache *c;
	void *obj[OBJS];

	if (remote == NUMA_NO_NODE)
		return;
	c = kmem_cache_create("remote_batch", 256, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	stats(c, &st0);
	for (unsigned int i = 0; i < OBJS; i++) {
		obj[i] = kmem_cache_alloc_node(c, GFP_KERNEL, remote);
		KTEST_ASSERT_NOT_NULL(t, obj[i]);
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(obj[i])), remote);
	}
	local_irq_save(flags);
	slab_remote_drain(smp_processor_id());
	for (unsigned int i = 0; i < OBJS; i++)
		kmem_cache_free(c, obj[i]);
	pending = slab_remote_pending(c, smp_processor_id());
	stats(c, &st);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, st.node_pending, (unsigned long)OBJS % REMOTE_BATCH);
	KTEST_EXPECT_EQ(t, pending, (unsigned long)OBJS % REMOTE_BATCH);
	KTEST_EXPECT_EQ(t, st.node_puts - st0.node_puts, (unsigned long)OBJS / REMOTE_BATCH);
	KTEST_EXPECT_EQ(t, st.node_frees - st0.node_frees,
			(unsigned long)OBJS / REMOTE_BATCH * REMOTE_BATCH);
	/* Pending objects are in use for their slabs, and counted as cached. */
	KTEST_EXPECT_EQ(t, st.objs_inuse, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_cached, (unsigned long)OBJS % REMOTE_BATCH);
	drain_here();
	stats(c, &st);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	KTEST_EXPECT_EQ(t, st.node_frees - st0.node_frees, (unsigned long)OBJS);
	KTEST_EXPECT_EQ(t, st.node_puts - st0.node_puts, (unsigned long)OBJS / REMOTE_BATCH + 1);
	KTEST_EXPECT_EQ(t, st.objs_cached, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_inuse, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_slab_free, st.objs_total);
	ktest_log(t, "%u remote frees in %lu lock holds", OBJS, st.node_puts - st0.node_puts);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/* Objects of another node, allocated on a CPU of that node. */
struct remote_alloc {
	struct kmem_cache *c;
	void *obj[REMOTE_BATCH - 1];
};

static int alloc_there(void *arg)
{
	struct remote_alloc *a = arg;

	for (unsigned int i = 0; i < ARRAY_SIZE(a->obj); i++) {
		a->obj[i] = kmem_cache_alloc(a->c, GFP_KERNEL);
		if (!a->obj[i])
			return -ENOMEM;
	}
	return 0;
}

/*
 * Any build with two memory nodes, debug and KASAN included (where
 * *_alloc_node() does not place objects): a CPU of another node allocates,
 * this CPU frees (through the KASAN quarantine, emptied here).  Less than
 * a batch: all wait in this CPU's batch (or went home if another cache's
 * free evicted it) until drain_here(), after which none is pending.
 */
static void test_batch_any_build(struct ktest *t)
{
	struct remote_alloc a = { };
	struct kmem_cache_stats st0, st;
	unsigned int cpu, other = NR_CPUS;
	const unsigned long n = ARRAY_SIZE(a.obj);
	unsigned long pending, sent;
	struct task_struct *k;

	if (!slab_multi_node())
		KTEST_SKIP(t, "one memory node");
	for_each_online_cpu(cpu)
		if (cpu_to_mem(cpu) != numa_mem_id())
			other = cpu;
	if (other == NR_CPUS)
		KTEST_SKIP(t, "no CPU of another memory node");
	a.c = kmem_cache_create("remote_any", 192, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, a.c);
	k = kthread_create(alloc_there, &a, "remote_alloc");
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_ASSERT_EQ(t, kthread_bind(k, other), 0);
	wake_up_process(k);
	KTEST_ASSERT_EQ(t, kthread_join(k), 0);
	for (unsigned int i = 0; i < n; i++)
		KTEST_ASSERT_EQ(t, page_to_nid(virt_to_page(a.obj[i])), cpu_to_mem(other));
	drain_here();
	stats(a.c, &st0);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(a.c, a.obj[i]);
	kasan_quarantine_drain();
	pending = slab_remote_pending(a.c, smp_processor_id());
	stats(a.c, &st);
	sent = st.node_frees - st0.node_frees;
	ktest_log(t, "%lu frees of node %d's objects on CPU %u: %lu pending, %lu sent home",
		  n, cpu_to_mem(other), smp_processor_id(), pending, sent);
	KTEST_EXPECT_EQ(t, pending + sent, n);
	KTEST_EXPECT_EQ(t, st.node_pending, pending);
	if (!sent)
		KTEST_EXPECT_EQ(t, pending, n);
	drain_here();
	stats(a.c, &st);
	KTEST_EXPECT_EQ(t, slab_remote_pending(a.c, -1), 0UL);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	KTEST_EXPECT_EQ(t, st.node_frees - st0.node_frees, n);
	kmem_drain_all();
	stats(a.c, &st);
	KTEST_EXPECT_EQ(t, st.objs_inuse + st.objs_cached, 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(a.c), 0);
}

/*
 * A free for a cache without a slot, all taken, gives one slot's objects
 * back: round-robin, so after a drain the first slot's (c[0]'s).  With
 * interrupts off, so that no other remote free on this CPU takes a slot.
 */
static void test_slot_eviction(struct ktest *t)
{
	int remote = remote_node(t);
	struct kmem_cache *c[REMOTE_SLOTS + 1];
	unsigned long pending[REMOTE_SLOTS + 1];
	struct kmem_cache_stats st;
	void *obj[REMOTE_SLOTS + 1];
	unsigned long flags;

	if (remote == NUMA_NO_NODE)
		return;
	for (unsigned int i = 0; i <= REMOTE_SLOTS; i++) {
		c[i] = kmem_cache_create("remote_slot", 128, 0, 0, NULL);
		KTEST_ASSERT_NOT_NULL(t, c[i]);
		obj[i] = kmem_cache_alloc_node(c[i], GFP_KERNEL, remote);
		KTEST_ASSERT_NOT_NULL(t, obj[i]);
	}
	local_irq_save(flags);
	slab_remote_drain(smp_processor_id());
	for (unsigned int i = 0; i < REMOTE_SLOTS; i++)
		kmem_cache_free(c[i], obj[i]);
	for (unsigned int i = 0; i < REMOTE_SLOTS; i++)
		pending[i] = slab_remote_pending(c[i], smp_processor_id());
	kmem_cache_free(c[REMOTE_SLOTS], obj[REMOTE_SLOTS]);
	local_irq_restore(flags);
	for (unsigned int i = 0; i < REMOTE_SLOTS; i++)
		KTEST_EXPECT_EQ(t, pending[i], 1UL);
	for (unsigned int i = 0; i <= REMOTE_SLOTS; i++) {
		stats(c[i], &st);
		/* The first slot's, c[0]'s, went home; the others still wait. */
		KTEST_EXPECT_EQ(t, st.node_pending, i ? 1UL : 0UL);
		KTEST_EXPECT_EQ(t, st.node_frees, i ? 0UL : 1UL);
	}
	for (unsigned int i = 0; i <= REMOTE_SLOTS; i++)
		KTEST_EXPECT_EQ(t, kmem_cache_destroy(c[i]), 0);
}

/* Another CPU's batch, filled on that CPU. */
struct remote_fill {
	struct kmem_cache *c;
	void *obj[REMOTE_BATCH - 1];
	unsigned int nr;		/* objects of obj[] to free */
	unsigned long pending;
	int ran_on;
};

static int fill_batch(void *arg)
{
	struct remote_fill *f = arg;

	f->ran_on = smp_processor_id();
	for (unsigned int i = 0; i < f->nr; i++)
		kmem_cache_free(f->c, f->obj[i]);
	f->pending = slab_remote_pending(f->c, f->ran_on);
	return 0;
}

/*
 * The page allocator's drain before it fails an allocation gives back the
 * batches: this CPU's (drain_local_pages()) and the others'
 * (drain_all_pages(), by a cross-CPU call).
 */
static void test_page_drain(struct ktest *t)
{
	int remote = remote_node(t);
	struct remote_fill f = { .ran_on = -1, .nr = ARRAY_SIZE(f.obj) };
	struct kmem_cache_stats st;
	unsigned int cpu, other = NR_CPUS;

	if (remote == NUMA_NO_NODE)
		return;
	f.c = kmem_cache_create("remote_drain", 512, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, f.c);
	/* Objects of @remote, freed on a CPU of another node than @remote. */
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && cpu_to_mem(cpu) != remote)
			other = cpu;
	for (unsigned int i = 0; i < ARRAY_SIZE(f.obj); i++) {
		f.obj[i] = kmem_cache_alloc_node(f.c, GFP_KERNEL, remote);
		KTEST_ASSERT_NOT_NULL(t, f.obj[i]);
	}
	if (other < NR_CPUS) {
		struct task_struct *k = kthread_create(fill_batch, &f, "remote_fill");

		KTEST_ASSERT_NOT_NULL(t, k);
		KTEST_ASSERT_EQ(t, kthread_bind(k, other), 0);
		wake_up_process(k);
		KTEST_EXPECT_EQ(t, kthread_join(k), 0);
		KTEST_EXPECT_EQ(t, f.ran_on, (int)other);
		KTEST_EXPECT_EQ(t, f.pending, (unsigned long)ARRAY_SIZE(f.obj));
		drain_all_pages();
	} else {
		fill_batch(&f);
		KTEST_EXPECT_EQ(t, f.pending, (unsigned long)ARRAY_SIZE(f.obj));
		drain_local_pages();
	}
	stats(f.c, &st);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_inuse + st.objs_cached, 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(f.c), 0);
}

#define HELD		4	/* pages of the node kept out of reach at once, a list */

/* Take every free page of @nid (no drain); linked through their first word. */
static void *exhaust(int nid)
{
	void *list = NULL;
	struct page *pg;

	for (int o = MAX_ORDER; o >= 0; o--) {
		while ((pg = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
					      __GFP_NOWARN, o))) {
			void **p = page_address(pg);

			p[0] = list;
			p[1] = (void *)(unsigned long)o;
			list = p;
		}
	}
	return list;
}

static void give_back(void *list)
{
	while (list) {
		void **p = list;

		list = p[0];
		__free_pages(virt_to_page(p), (unsigned long)p[1]);
	}
}

/*
 * A node with no free page and a full slab whose objects all wait in this
 * CPU's batch: an allocation from that node must get one of them (the
 * failed page allocation drained the batch; the slab looks again).
 */
static void test_oom_drains_batch(struct ktest *t)
{
	int remote = remote_node(t);
	struct kmem_cache_stats st;
	void *held, *more, *p;
	struct kmem_cache *c;
	void *obj[8];
	unsigned int n;

	if (remote == NUMA_NO_NODE)
		return;
	c = kmem_cache_create("remote_oom", 1024, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	n = min_t(unsigned int, c->objs, ARRAY_SIZE(obj));
	KTEST_ASSERT_LT(t, n, (unsigned int)REMOTE_BATCH);
	/* One slab, full: a fresh cache's first slab on @remote. */
	for (unsigned int i = 0; i < n; i++) {
		obj[i] = kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE, remote);
		KTEST_ASSERT_NOT_NULL(t, obj[i]);
	}
	held = exhaust(remote);
	drain_all_pages();
	more = exhaust(remote);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(c, obj[i]);
	KTEST_EXPECT_EQ(t, slab_remote_pending(c, smp_processor_id()), (unsigned long)n);
	p = kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, remote);
	KTEST_EXPECT_NOT_NULL(t, p);
	if (p)
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), remote);
	give_back(more);
	give_back(held);
	if (p)
		kmem_cache_free(c, p);
	drain_here();
	stats(c, &st);
	KTEST_EXPECT_EQ(t, st.objs_inuse + st.objs_cached, 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/*
 * The same with the objects in another CPU's batch and an allocation that
 * cannot wait: GFP_ATOMIC, so the page allocator drains only this CPU.
 * The failed slab allocation gives back every CPU's batches of the cache
 * itself (slab_remote_flush()), so it gets one of them.
 */
static void test_atomic_flushes_other_cpu(struct ktest *t)
{
	int remote = remote_node(t);
	struct remote_fill f = { .ran_on = -1 };
	unsigned int cpu, other = NR_CPUS;
	struct kmem_cache_stats st;
	struct task_struct *k;
	void *held, *more, *p;

	if (remote == NUMA_NO_NODE)
		return;
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && cpu_to_mem(cpu) != remote)
			other = cpu;
	if (other == NR_CPUS) {
		ktest_skip(t, "no other CPU off the remote node");
		return;
	}
	f.c = kmem_cache_create("remote_atomic", 1024, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, f.c);
	f.nr = min_t(unsigned int, f.c->objs, ARRAY_SIZE(f.obj));
	/* One slab, full: a fresh cache's first slab on @remote. */
	for (unsigned int i = 0; i < f.nr; i++) {
		f.obj[i] = kmem_cache_alloc_node(f.c, GFP_KERNEL | __GFP_THISNODE, remote);
		KTEST_ASSERT_NOT_NULL(t, f.obj[i]);
	}
	k = kthread_create(fill_batch, &f, "remote_fill");
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_ASSERT_EQ(t, kthread_bind(k, other), 0);
	held = exhaust(remote);
	drain_all_pages();
	more = exhaust(remote);
	wake_up_process(k);
	KTEST_EXPECT_EQ(t, kthread_join(k), 0);
	KTEST_EXPECT_EQ(t, f.ran_on, (int)other);
	KTEST_EXPECT_EQ(t, f.pending, (unsigned long)f.nr);
	p = kmem_cache_alloc_node(f.c, GFP_ATOMIC | __GFP_THISNODE | __GFP_NOWARN, remote);
	KTEST_EXPECT_NOT_NULL(t, p);
	if (p)
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), remote);
	ktest_log(t, "%u objects of node %d in CPU %u's batch, GFP_ATOMIC from CPU %u: %s",
		  f.nr, remote, other, smp_processor_id(), p ? "got one" : "NULL");
	give_back(more);
	give_back(held);
	if (p)
		kmem_cache_free(f.c, p);
	kmem_drain_all();
	stats(f.c, &st);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_inuse + st.objs_cached, 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(f.c), 0);
}

/*
 * Every online CPU allocates, then frees the objects the next CPU
 * allocated, for several rounds at once: the batches see concurrent
 * frees of each other's objects (in KASAN builds through the quarantine);
 * after kmem_drain_all() nothing is pending and the cache is empty.
 */
#define ROUNDS		6
#define PER_CPU_OBJS	64

struct swap_ctx {
	struct kmem_cache *c;
	unsigned int nr;			/* threads */
	atomic_t phase;				/* barrier: threads past it */
	void **obj;				/* [nr][PER_CPU_OBJS] */
	atomic_t failed;
};

struct swap_arg {
	struct swap_ctx *ctx;
	unsigned int idx;
};

static void barrier_wait(struct swap_ctx *x, unsigned int gen)
{
	atomic_inc(&x->phase);
	while ((unsigned int)atomic_read(&x->phase) < gen * x->nr)
		schedule();
}

static int swap_thread(void *arg)
{
	struct swap_arg *a = arg;
	struct swap_ctx *x = a->ctx;
	unsigned int gen = 0;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		void **mine = x->obj + a->idx * PER_CPU_OBJS;
		void **next = x->obj + ((a->idx + 1) % x->nr) * PER_CPU_OBJS;

		for (unsigned int i = 0; i < PER_CPU_OBJS; i++) {
			mine[i] = i & 1 ? kmem_cache_alloc(x->c, GFP_KERNEL) :
					  kmalloc_node(96, GFP_KERNEL, numa_mem_id());
			if (!mine[i])
				atomic_inc(&x->failed);
		}
		barrier_wait(x, ++gen);
		for (unsigned int i = 0; i < PER_CPU_OBJS; i++) {
			if (i & 1)
				kmem_cache_free(x->c, next[i]);
			else
				kfree(next[i]);
		}
		barrier_wait(x, ++gen);
	}
	return 0;
}

static void test_concurrent_swap(struct ktest *t)
{
	struct task_struct *k[NR_CPUS > 64 ? 64 : NR_CPUS];
	struct swap_arg *args;
	struct swap_ctx x = { };
	struct kmem_cache_stats st;
	unsigned int cpu;
	int ret;

	x.c = kmem_cache_create("remote_swap", 160, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, x.c);
	for_each_online_cpu(cpu)
		if (x.nr < ARRAY_SIZE(k))
			x.nr++;
	x.obj = kcalloc(x.nr * PER_CPU_OBJS, sizeof(void *), GFP_KERNEL);
	args = kcalloc(x.nr, sizeof(*args), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, x.obj);
	KTEST_ASSERT_NOT_NULL(t, args);
	atomic_set(&x.phase, 0);
	atomic_set(&x.failed, 0);
	x.nr = 0;
	for_each_online_cpu(cpu) {
		if (x.nr == ARRAY_SIZE(k))
			break;
		args[x.nr] = (struct swap_arg){ .ctx = &x, .idx = x.nr };
		k[x.nr] = kthread_create(swap_thread, &args[x.nr], "remote_swap/%u", cpu);
		KTEST_ASSERT_NOT_NULL(t, k[x.nr]);
		KTEST_ASSERT_EQ(t, kthread_bind(k[x.nr], cpu), 0);
		x.nr++;
	}
	for (unsigned int i = 0; i < x.nr; i++)
		wake_up_process(k[i]);
	for (unsigned int i = 0; i < x.nr; i++) {
		ret = kthread_join(k[i]);
		KTEST_EXPECT_EQ(t, ret, 0);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&x.failed), 0);
	kmem_drain_all();
	stats(x.c, &st);
	ktest_log(t, "%u CPUs, %lu objects sent home in %lu lock holds", x.nr, st.node_frees,
		  st.node_puts);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	KTEST_EXPECT_EQ(t, st.objs_inuse + st.objs_cached, 0UL);
	stats(kmalloc_cache(96), &st);
	KTEST_EXPECT_EQ(t, st.node_pending, 0UL);
	if (slab_multi_node() && x.nr > 1 && !KASAN)
		KTEST_EXPECT_LE(t, st.node_puts * 2, st.node_frees + 2 * REMOTE_SLOTS * x.nr);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(x.c), 0);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	kfree(args);
	kfree(x.obj);
}

static struct ktest_case slab_remote_cases[] = {
	KTEST_CASE(test_batch_and_drain),
	KTEST_CASE(test_batch_any_build),
	KTEST_CASE(test_slot_eviction),
	KTEST_CASE(test_page_drain),
	KTEST_CASE(test_oom_drains_batch),
	KTEST_CASE(test_atomic_flushes_other_cpu),
	KTEST_CASE(test_concurrent_swap),
	{}
};

static struct ktest_suite slab_remote_suite = {
	.name = "slab_remote",
	.cases = slab_remote_cases,
};
KTEST_SUITE(slab_remote_suite);

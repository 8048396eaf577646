// SPDX-License-Identifier: GPL-2.0
/*
 * The slab's node placement (cases of the numa_alloc suite, listed in
 * mm/page_alloc_numa_test.c): kmalloc_node() and kmem_cache_alloc_node()
 * place objects on the node asked, objects freed on another node's CPU go
 * home through the remote-free batches, and the per-node partial lists,
 * empty-slab keep and no-retry rules hold per node.
 */
#include <exo/errno.h>
#include <exo/jump_label.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <exo/string.h>

#include <exo/slab.h>

#include "internal.h"
#include "page_alloc_numa_test.h"
#include "slab.h"

/* Do the _node slab paths place objects (not in debug and KASAN builds)? */
static bool slab_places(void)
{
	return !IS_ENABLED(CONFIG_SLAB_DEBUG) && !IS_ENABLED(CONFIG_KASAN);
}

/* kmalloc_node() puts objects of every size on the node asked. */
void test_kmalloc_node(struct ktest *t)
{
	static const size_t sizes[] = { 16, 200, 1024, 4096, 16384 };
	int nid;

	for_each_online_node(nid) {
		int want = numa_nearest_node(nid, N_MEMORY);

		for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
			void *p[8];

			for (unsigned int j = 0; j < ARRAY_SIZE(p); j++) {
				p[j] = j & 1 ? kzalloc_node(sizes[i], GFP_KERNEL, nid) :
					       kmalloc_node(sizes[i], GFP_KERNEL, nid);
				KTEST_ASSERT_NOT_NULL(t, p[j]);
				if (slab_places())
					KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p[j])), want);
				if (j & 1)
					KTEST_EXPECT_EQ(t, ((u8 *)p[j])[sizes[i] - 1], 0);
				memset(p[j], 0x5a, sizes[i]);
				KTEST_EXPECT_GE(t, ksize(p[j]), sizes[i]);
			}
			for (unsigned int j = 0; j < ARRAY_SIZE(p); j++)
				kfree(p[j]);
		}
	}
	KTEST_EXPECT_NULL(t, kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, MAX_NUMNODES));
	KTEST_EXPECT_NULL(t, kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, -5));
	/* NUMA_NO_NODE is kmalloc(). */
	{
		void *p = kmalloc_node(64, GFP_KERNEL, NUMA_NO_NODE);

		KTEST_ASSERT_NOT_NULL(t, p);
		kfree(p);
	}
}

/* kmem_cache_alloc_node() likewise, for a typed cache. */
void test_kmem_cache_alloc_node(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("numa_alloc_test", 96, 0, 0, NULL);
	int nid;

	KTEST_ASSERT_NOT_NULL(t, c);
	for_each_online_node(nid) {
		int want = numa_nearest_node(nid, N_MEMORY);
		void *p[40];

		for (unsigned int j = 0; j < ARRAY_SIZE(p); j++) {
			p[j] = kmem_cache_alloc_node(c, j & 1 ? GFP_KERNEL | __GFP_ZERO : GFP_KERNEL,
						     nid);
			KTEST_ASSERT_NOT_NULL(t, p[j]);
			if (slab_places())
				KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p[j])), want);
		}
		for (unsigned int j = 0; j < ARRAY_SIZE(p); j++)
			kmem_cache_free(c, p[j]);
	}
	KTEST_EXPECT_NULL(t, kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_NOWARN, MAX_NUMNODES));
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/*
 * The first memory node other than this CPU's, for the slab placement
 * tests; NUMA_NO_NODE (and the case skipped) with one memory node or when
 * kmalloc_node() cannot place objects (debug and KASAN builds).
 */
static int slab_remote_node(struct ktest *t)
{
	int local = numa_mem_id(), nid;

	for_each_node_state(nid, N_MEMORY)
		if (nid != local && slab_places())
			return nid;
	ktest_skip(t, "one memory node, or a debug/KASAN build");
	return NUMA_NO_NODE;
}

/*
 * kmem_cache_alloc_node() with __GFP_THISNODE on an exhausted node fails
 * (and logs "out of memory", which the boot log shows); objects come back
 * once the node has memory again.
 */
void test_kmem_cache_node_oom(struct ktest *t)
{
	int remote = slab_remote_node(t);
	struct kmem_cache *c;
	void *held = NULL, *p;

	if (remote == NUMA_NO_NODE)
		return;
	c = kmem_cache_create("numa_oom_test", 512, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	/* A fresh cache has no slab on @remote: the object needs a new one. */
	KTEST_EXPECT_GT(t, exhaust_into(remote, &held), 0UL);
	for (int tries = 0; tries < FALLBACK_TRIES; tries++) {
		p = kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE, remote);
		if (!p)
			break;
		/* Another CPU freed a frame of @remote meanwhile: try again. */
		kmem_cache_free(c, p);
		exhaust_into(remote, &held);
	}
	KTEST_EXPECT_NULL(t, p);
	restore_node(held);
	p = kmem_cache_alloc_node(c, GFP_KERNEL | __GFP_THISNODE, remote);
	KTEST_EXPECT_NOT_NULL(t, p);
	if (p)
		kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/* This CPU's remote-free batches back to their slabs. */
static void drain_remote_batches(void)
{
	unsigned long flags;

	local_irq_save(flags);
	slab_remote_drain(smp_processor_id());
	local_irq_restore(flags);
}

/*
 * An object of another node's slab freed on this CPU through the checked
 * slow path goes back to its slab through this CPU's batch (its in-use count drops); a
 * local one goes to this CPU's tiers.
 */
void test_kmalloc_remote_free(struct ktest *t)
{
	int remote = slab_remote_node(t);
	struct kmem_cache *c;
	struct page *slab;
	unsigned int inuse;
	void *p;

	if (remote == NUMA_NO_NODE)
		return;
	/*
	 * A private cache: another CPU's refill of a shared kmalloc cache
	 * could take objects of the same slab between the two reads.
	 */
	c = kmem_cache_create("numa_remote_free", 1024, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	p = kmem_cache_alloc_node(c, GFP_KERNEL, remote);
	if (!p)
		kmem_cache_destroy(c);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), remote);
	slab = pfn_to_page(page_to_pfn(virt_to_page(p)) & ~((1UL << c->order) - 1));
	inuse = READ_ONCE(slab->counters);
	KTEST_EXPECT_EQ(t, kfree_checked(p), 0);
	/* In this CPU's remote-free batch, not in a tier; the drain sends it home. */
	KTEST_EXPECT_EQ(t, slab_remote_pending(c, smp_processor_id()), 1UL);
	drain_remote_batches();
	KTEST_EXPECT_EQ(t, READ_ONCE(slab->counters), inuse - 1);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/* ---------------------------------------------------------------------
 * The slab's node layer: per-node lists (I9) and remote frees (I10)
 */

/*
 * slab_numa_free is on exactly with several memory nodes; off, each of its
 * sites (the free paths) is a 5-byte NOP, on a JMP.  The kfree() hit paths
 * have no site: with several nodes the tier-1 and tier-2 free masks are
 * ~0, so that every such object goes out of line to kfree_other_slow(),
 * which looks at the node.
 */
void test_slab_numa_key(struct ktest *t)
{
	bool multi = pa_nr_nodes > 1;

	KTEST_EXPECT_EQ(t, static_key_enabled(&slab_numa_free), multi);
	for (unsigned int i = 0; TIER1 && !DEBUG && i < NR_T1; i++)
		KTEST_EXPECT_EQ(t, READ_ONCE(slab_t1_free_mask[i]), (multi ? ~0UL : (16UL << i) - 1));
	/* Likewise the tier-2 kfree() hit's masks: I10 out of line (kfree_other_slow()). */
	for (unsigned int i = NR_T1; TIER2 && !DEBUG && i < NR_KMALLOC; i++)
		KTEST_EXPECT_EQ(t, READ_ONCE(t2_free_mask[i]), (multi ? ~0UL : (16UL << i) - 1));
#ifdef CONFIG_JUMP_LABEL
	static const u8 nop5[5] = { JUMP_LABEL_NOP5 };
	struct jump_entry e;
	unsigned int n = 0;
	u8 insn[5];
	int len;

	while ((len = jump_label_site_insn(&slab_numa_free.key, n, &e, insn)) > 0) {
		if (multi) {
			KTEST_EXPECT_TRUE(t, insn[0] == 0xe9 || insn[0] == 0xeb);
		} else {
			KTEST_EXPECT_EQ(t, len, 5);
			KTEST_EXPECT_EQ(t, memcmp(insn, nop5, sizeof(nop5)), 0);
		}
		n++;
	}
	KTEST_EXPECT_EQ(t, len, -ENOENT);
	/* free_slab_tiers(), __kfree_other(), kmem_cache_free(), slab_multi_node(). */
	KTEST_EXPECT_GT(t, n, 3U);
	ktest_log(t, "%u sites, each a %s", n, multi ? "JMP" : "5-byte NOP");
#endif
}

/* The first online CPU whose memory node is @nid, or -1. */
static int cpu_of_mem_node(int nid)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (mem_node_of_cpu(cpu) == nid)
			return (int)cpu;
	return -1;
}

#define FREE_OBJS	3	/* kmalloc(64): tier 1, kmalloc(1024): tier 2, typed: tier 2 */
#define REFILL_OBJS	600	/* more than a tier-1 list and a tier-2 array hold */

struct remote_free {
	struct kmem_cache *c;		/* a private typed cache */
	int want;			/* the allocating CPU's memory node */
	void *obj[FREE_OBJS];
	int misplaced;			/* objects of another node than want */
	int ran_on;
	bool cached[FREE_OBJS];		/* found in the freeing CPU's tiers */
	int nonlocal_cached;		/* freeing thread's tier-1 objects of another node */
	unsigned long homed[FREE_OBJS];	/* node_frees growth of each object's cache */
	unsigned long inuse0, inuse;	/* the typed object's slab: before, after the free */
	int unbatched;			/* objects not in the freeing CPU's remote batch */
	void *kr[2];			/* kmalloc(64), kmalloc(1024): krealloc()ed to grow */
	bool kr_moved[2];		/* krealloc() gave a new object */
	int kr_unbatched;		/* old ones not in the freeing CPU's remote batch */
	bool kr_cached[2];		/* old ones found in the freeing CPU's tiers */
};

static struct kmem_cache *remote_free_cache(const struct remote_free *r, unsigned int i)
{
	return i == 0 ? kmalloc_cache(64) : i == 1 ? kmalloc_cache(1024) : r->c;
}

/* Allocate the objects, and enough more to refill every tier: all on this CPU's node. */
static int remote_free_alloc(void *arg)
{
	struct remote_free *r = arg;
	unsigned long flags;
	void **more;

	r->ran_on = smp_processor_id();
	/* Start clean: earlier cases exhausted nodes on purpose, where refills may go remote. */
	local_irq_save(flags);
	kmem_drain_cpu(smp_processor_id());
	local_irq_restore(flags);
	more = kmalloc_array(2 * REFILL_OBJS, sizeof(*more), GFP_KERNEL);
	if (!more)
		return -ENOMEM;
	for (unsigned int i = 0; i < 2 * REFILL_OBJS; i++) {
		more[i] = kmalloc(i & 1 ? 1024 : 64, GFP_KERNEL);
		if (!more[i] || page_to_nid(virt_to_page(more[i])) != r->want)
			r->misplaced++;
	}
	for (unsigned int i = 0; i < 2 * REFILL_OBJS; i++)
		kfree(more[i]);
	kfree(more);
	r->obj[0] = kmalloc(64, GFP_KERNEL);
	r->obj[1] = kmalloc(1024, GFP_KERNEL);
	r->obj[2] = kmem_cache_alloc(r->c, GFP_KERNEL);
	for (unsigned int i = 0; i < FREE_OBJS; i++)
		if (!r->obj[i] || page_to_nid(virt_to_page(r->obj[i])) != r->want)
			r->misplaced++;
	r->kr[0] = kmalloc(64, GFP_KERNEL);
	r->kr[1] = kmalloc(1024, GFP_KERNEL);
	for (unsigned int i = 0; i < 2; i++)
		if (!r->kr[i] || page_to_nid(virt_to_page(r->kr[i])) != r->want)
			r->misplaced++;
	/* In use: the object and the rest of the refill batch, in this CPU's array. */
	if (r->obj[2]) {
		spin_lock_irqsave(&r->c->lock, flags);
		r->inuse0 = virt_to_page(r->obj[2])->counters;
		spin_unlock_irqrestore(&r->c->lock, flags);
	}
	return 0;
}

/* Is @obj on the list @head (linked at offset 0)?  Counts the others' wrong nodes. */
static bool on_t1_list(void *head, const void *obj, int node, int *nonlocal)
{
	bool found = false;

	for (unsigned int n = 0; head && n <= T1_LIMIT; n++, head = *(void **)head) {
		found |= head == obj;
		if (page_to_nid(virt_to_page(head)) != node)
			(*nonlocal)++;
	}
	return found;
}

/* Is @obj in this CPU's tier-2 array of @c? */
static bool in_t2(struct kmem_cache *c, const void *obj)
{
	bool found = false;
#ifdef CONFIG_SLAB_TIER_PERCPU
	unsigned long flags;
	struct array_cache *ac;

	local_irq_save(flags);
	ac = cpu_ac(c, smp_processor_id());
	for (unsigned int i = 0; i < ac_count(c, ac); i++)
		found |= ac->entry[i] == obj;
	local_irq_restore(flags);
#endif
	return found;
}

/* Free the other node's objects through the fast paths; none may stay in this CPU's tiers. */
static int remote_free_free(void *arg)
{
	struct remote_free *r = arg;
	int node = numa_mem_id();
	unsigned long before[FREE_OBJS], flags;
	struct slab_tcache *tc;
	struct page *slab;
	void *warm;

	r->ran_on = smp_processor_id();
	/* A thread cache of our own, with a local object in it. */
	warm = kmalloc(64, GFP_KERNEL);
	kfree(warm);
	/*
	 * krealloc() moves the other node's objects; the old ones go to this
	 * CPU's remote-free batches, as kfree() sends them, not to its tiers.
	 */
	drain_remote_batches();
	for (unsigned int i = 0; i < 2; i++) {
		struct kmem_cache *kc = remote_free_cache(r, i);
		void *n = krealloc(r->kr[i], i ? 2048 : 128, GFP_KERNEL);

		r->kr_moved[i] = n && n != r->kr[i];
		if (slab_remote_pending(kc, smp_processor_id()) < 1)
			r->kr_unbatched++;
		r->kr_cached[i] = in_t2(kc, r->kr[i]);
		tc = tcache_get();
		if (tc && !i) {
			unsigned int cls = kmalloc_class(64);
			int others = 0;

			r->kr_cached[0] |= on_t1_list(tc->hot.head[cls], r->kr[0], node, &others);
			r->kr_cached[0] |= on_t1_list(tc->hot.freed[cls], r->kr[0], node, &others);
		}
		kfree(n);
	}
	drain_remote_batches();
	for (unsigned int i = 0; i < FREE_OBJS; i++)
		before[i] = READ_ONCE(remote_free_cache(r, i)->node_frees);
	kfree(r->obj[0]);
	kfree(r->obj[1]);
	kmem_cache_free(r->c, r->obj[2]);
	/* Each waits in this CPU's remote-free batch of its cache; the drain sends them home. */
	for (unsigned int i = 0; i < FREE_OBJS; i++)
		if (slab_remote_pending(remote_free_cache(r, i), smp_processor_id()) < 1)
			r->unbatched++;
	drain_remote_batches();
	for (unsigned int i = 0; i < FREE_OBJS; i++)
		r->homed[i] = READ_ONCE(remote_free_cache(r, i)->node_frees) - before[i];
	tc = tcache_get();
	if (tc) {
		unsigned int cls = kmalloc_class(64);

		/* Both lists walked: each counts its other nodes' objects. */
		r->cached[0] = on_t1_list(tc->hot.head[cls], r->obj[0], node, &r->nonlocal_cached);
		if (on_t1_list(tc->hot.freed[cls], r->obj[0], node, &r->nonlocal_cached))
			r->cached[0] = true;
	}
	r->cached[0] |= in_t2(kmalloc_cache(64), r->obj[0]);
	r->cached[1] = in_t2(kmalloc_cache(1024), r->obj[1]);
	r->cached[2] = in_t2(r->c, r->obj[2]);
	slab = virt_to_page(r->obj[2]);
	spin_lock_irqsave(&r->c->lock, flags);
	r->inuse = slab->counters;
	spin_unlock_irqrestore(&r->c->lock, flags);
	return 0;
}

/*
 * kmalloc() on a CPU of one node, kfree() (and kmem_cache_free()) on a
 * CPU of another, for every pair of memory nodes: refills gave the first
 * CPU objects of its own node only, and the free sent each object back
 * to its slab through the fast paths (tier 1, the kmalloc tier 2, the
 * typed tier 2), none left in the second CPU's caches.  So did a
 * krealloc() that grew a 64 B and a 1024 B object of the first: the old
 * ones waited in the second CPU's remote-free batches, not in its tiers.
 */
void test_slab_remote_fast_free(struct ktest *t)
{
	int from, to, pairs = 0;

	if (slab_remote_node(t) == NUMA_NO_NODE)
		return;
	for_each_node_state(from, N_MEMORY) {
		for_each_node_state(to, N_MEMORY) {
			int a = cpu_of_mem_node(from), b = cpu_of_mem_node(to);
			struct remote_free r = { .want = from };

			if (from == to || a < 0 || b < 0)
				continue;
			r.c = kmem_cache_create("numa_fast_free", 192, 0, 0, NULL);
			KTEST_ASSERT_NOT_NULL(t, r.c);
			KTEST_ASSERT_EQ(t, run_on(a, remote_free_alloc, &r), 0);
			KTEST_EXPECT_EQ(t, r.ran_on, a);
			KTEST_EXPECT_EQ(t, r.misplaced, 0);
			for (unsigned int i = 0; i < FREE_OBJS; i++)
				KTEST_ASSERT_NOT_NULL(t, r.obj[i]);
			KTEST_ASSERT_EQ(t, run_on(b, remote_free_free, &r), 0);
			KTEST_EXPECT_EQ(t, r.ran_on, b);
			for (unsigned int i = 0; i < FREE_OBJS; i++) {
				KTEST_EXPECT_FALSE(t, r.cached[i]);
				KTEST_EXPECT_GE(t, r.homed[i], 1UL);
			}
			KTEST_EXPECT_EQ(t, r.nonlocal_cached, 0);
			KTEST_EXPECT_EQ(t, r.unbatched, 0);
			for (unsigned int i = 0; i < 2; i++) {
				KTEST_EXPECT_TRUE(t, r.kr_moved[i]);
				KTEST_EXPECT_FALSE(t, r.kr_cached[i]);
			}
			KTEST_EXPECT_EQ(t, r.kr_unbatched, 0);
			KTEST_EXPECT_EQ(t, r.homed[2], 1UL);
			KTEST_EXPECT_EQ(t, r.inuse, r.inuse0 - 1);
			{	/* What slabinfo prints: the typed cache's own count. */
				struct kmem_cache_stats st;

				kmem_cache_get_stats(r.c, -1, &st);
				KTEST_EXPECT_EQ(t, st.node_frees, 1UL);
			}
			KTEST_EXPECT_EQ(t, kmem_cache_destroy(r.c), 0);
			pairs++;
		}
	}
	ktest_log(t, "%d node pairs", pairs);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
}

#define LIST_SLABS	256	/* partial slabs of the other node */

/* Slabs on the @nid lists of @c: @partial, and the first partial one. */
static struct page *node_partial(struct kmem_cache *c, int nid, unsigned long *partial)
{
	struct slab_node_lists *l = &c->node[nid];
	struct page *pg, *first;
	unsigned long flags;

	*partial = 0;
	spin_lock_irqsave(&c->lock, flags);
	list_for_each_entry(pg, &l->partial, slab_list)
		(*partial)++;
	first = list_empty(&l->partial) ? NULL :
		list_first_entry(&l->partial, struct page, slab_list);
	spin_unlock_irqrestore(&c->lock, flags);
	return first;
}

/* Slabs slab_take() has looked at in @c (under its lock). */
static unsigned long take_steps(struct kmem_cache *c)
{
	unsigned long flags, n;

	spin_lock_irqsave(&c->lock, flags);
	n = c->take_steps;
	spin_unlock_irqrestore(&c->lock, flags);
	return n;
}

/*
 * A private cache of 1 KiB objects without tier 2 (every free goes straight
 * to its slab: the node lists are exact) and @slabs full slabs of it on
 * @nid.  Returns the cache; *@objs gets the @slabs * c->objs objects, in a
 * kmalloc()ed array.
 */
static struct kmem_cache *node_cache_filled(struct ktest *t, const char *name,
					    unsigned long slabs, int nid, void ***objs)
{
	struct kmem_cache *c = kmem_cache_create(name, 1024, 0, SLAB_NO_TIER2, NULL);
	unsigned long n;
	void **o;

	KTEST_ASSERT_NOT_NULL(t, c);
	n = slabs * c->objs;
	o = kmalloc_array(n, sizeof(*o), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, o);
	for (unsigned long i = 0; i < n; i++) {
		o[i] = kmem_cache_alloc_node(c, GFP_KERNEL, nid);
		KTEST_ASSERT_NOT_NULL(t, o[i]);
	}
	*objs = o;
	return c;
}

/*
 * With many partial slabs of another node, kmem_cache_alloc_node() of this
 * CPU's node takes a slab of its own lists, and one of the other node
 * the first of that node's partial list: neither walks the other slabs
 * (O(1) in them), and they stay where they were.
 */
void test_slab_node_lists(struct ktest *t)
{
	int remote = slab_remote_node(t), local = numa_mem_id();
	unsigned long partial, again, n, steps;
	struct page *first, *slab;
	struct kmem_cache *c;
	void **objs, *p, *q;

	if (remote == NUMA_NO_NODE)
		return;
	c = node_cache_filled(t, "numa_node_lists", LIST_SLABS, remote, &objs);
	n = (unsigned long)LIST_SLABS * c->objs;
	/* One object back per slab: LIST_SLABS partial slabs on @remote. */
	for (unsigned long i = 0; i < n; i++) {
		if (((unsigned long)objs[i] & ((PAGE_SIZE << c->order) - 1)) == 0) {
			kmem_cache_free(c, objs[i]);
			objs[i] = NULL;
		}
	}
	first = node_partial(c, remote, &partial);
	KTEST_EXPECT_EQ(t, partial, (unsigned long)LIST_SLABS);
	KTEST_ASSERT_NOT_NULL(t, first);
	node_partial(c, local, &again);
	KTEST_EXPECT_EQ(t, again, 0UL);

	steps = take_steps(c);
	p = kmem_cache_alloc_node(c, GFP_KERNEL, local);
	KTEST_ASSERT_NOT_NULL(t, p);
	/* One slab looked at (the new one), none of the other node's. */
	KTEST_EXPECT_EQ(t, take_steps(c) - steps, 1UL);
	KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(p)), local);
	KTEST_EXPECT_TRUE(t, node_partial(c, remote, &again) == first);
	KTEST_EXPECT_EQ(t, again, partial);

	steps = take_steps(c);
	q = kmem_cache_alloc_node(c, GFP_KERNEL, remote);
	KTEST_ASSERT_NOT_NULL(t, q);
	/* The first of LIST_SLABS partial slabs: one step, not a walk. */
	KTEST_EXPECT_EQ(t, take_steps(c) - steps, 1UL);
	slab = virt_to_page(q);
	KTEST_EXPECT_TRUE(t, slab == first);
	/* That slab is full now: it left the partial list, the others stayed. */
	node_partial(c, remote, &again);
	KTEST_EXPECT_EQ(t, again, partial - 1);

	kmem_cache_free(c, p);
	kmem_cache_free(c, q);
	for (unsigned long i = 0; i < n; i++)
		if (objs[i])
			kmem_cache_free(c, objs[i]);
	kfree(objs);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

/*
 * __GFP_NORETRY on a full node fails without draining anything: the
 * large kmalloc block this CPU cached stays (without it, the failing
 * attempt drains every CPU's caches, that block included).  The slab
 * refills' node-local try uses it (slab_gfp_local()).
 */
void test_node_full_noretry(struct ktest *t)
{
	int remote = slab_remote_node(t);
	unsigned long cached;
	void *held = NULL, *p;
	struct page *pg;

	if (remote == NUMA_NO_NODE)
		return;
	/* Exhausting drains: the block is cached after it. */
	KTEST_EXPECT_GT(t, exhaust_into(remote, &held), 0UL);
	p = kmalloc(4 * PAGE_SIZE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	cached = large_cache_pages();
	if (!cached) {
		restore_node(held);
		ktest_skip(t, "no large-block cache in this build");
		return;
	}
	pg = alloc_pages_node(remote, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
			      __GFP_NOWARN, 0);
	KTEST_EXPECT_NULL(t, pg);
	KTEST_EXPECT_EQ(t, large_cache_pages(), cached);
	/* The same without __GFP_NORETRY drains (and still fails). */
	pg = alloc_pages_node(remote, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
	KTEST_EXPECT_LT(t, large_cache_pages(), cached);
	if (pg)
		__free_pages(pg, 0);
	restore_node(held);
}

/* Empty slabs on the @nid lists of @c, counted on the list. */
static unsigned long node_empty(struct kmem_cache *c, int nid)
{
	unsigned long flags, n = 0;
	struct page *pg;

	spin_lock_irqsave(&c->lock, flags);
	list_for_each_entry(pg, &c->node[nid].empty, slab_list)
		n++;
	spin_unlock_irqrestore(&c->lock, flags);
	return n;
}

/*
 * SLAB_EMPTY_KEEP is per node: with another node's empty slabs at the
 * keep, a slab of this node that empties is still kept (on the code that
 * counted all nodes together it went back to the page allocator, and this
 * node's next refill had to allocate one).
 */
void test_slab_empty_keep_per_node(struct ktest *t)
{
	int remote = slab_remote_node(t), local = numa_mem_id();
	unsigned long n;
	struct kmem_cache *c;
	void **objs, *p;

	if (remote == NUMA_NO_NODE)
		return;
	if (!EMPTY_KEEP) {
		ktest_skip(t, "CONFIG_SLAB_EMPTY_KEEP=0");
		return;
	}
	c = node_cache_filled(t, "numa_empty_keep", EMPTY_KEEP, remote, &objs);
	n = (unsigned long)EMPTY_KEEP * c->objs;
	p = kmem_cache_alloc_node(c, GFP_KERNEL, local);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (unsigned long i = 0; i < n; i++)
		kmem_cache_free(c, objs[i]);
	kfree(objs);
	drain_remote_batches();
	KTEST_EXPECT_EQ(t, node_empty(c, remote), (unsigned long)EMPTY_KEEP);
	kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, node_empty(c, local), 1UL);
	KTEST_EXPECT_EQ(t, node_empty(c, remote), (unsigned long)EMPTY_KEEP);
	KTEST_EXPECT_EQ(t, kmem_check(), 0UL);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer cache of tier 1: per small kmalloc class and per memory
 * node, a bounded stack of whole thread lists (Linux has none; tcmalloc's
 * transfer cache is the same idea).  A thread whose freed list is full
 * puts the list here in O(1) (its head and its length) instead of
 * walking it back to the slabs, and a thread whose lists are empty takes
 * a whole list from here in O(1).  So a burst of frees past the thread
 * cache, followed by allocations, costs no walk of the lists at all as
 * long as the bursts fit XFER_SLOTS lists more than the thread cache.
 *
 * Per node: a list is filed under the memory node of the CPU that puts
 * it (numa_mem_id()), which is the node of its objects (I10: a free of
 * another node's object never enters a thread list; the few that get
 * there otherwise are in Documentation/mm/numa.rst), and a refill looks
 * at its own node's stack only.  So one node's frees never take another
 * node's slots, and no refill skips another node's lists.  A CPU of a
 * memoryless node has the nearest memory node as numa_mem_id(): its
 * objects are that node's, and so are the slots it puts to and takes
 * from.  Each memory node's stacks (struct xfer_node, all classes) are
 * allocated by an early initcall with kzalloc_node(): on that node when
 * the node layer serves kmalloc_node() (not in SLAB_DEBUG or KASAN
 * builds, after a failed slab_numa_init(), or with one memory node other
 * than 0: there it is plain kmalloc()).  Node 0's are static, for the
 * boot.  A CPU whose node has none (its
 * allocation failed) gives its lists back to the slabs, as with a full
 * stack.
 *
 * Invariants (slab.h, I12):
 *   - xfer_node[nid]->cls[i] and slab_xfer[i] are only read or changed
 *     under kmalloc_caches[i].lock (but racy glances at a class's total
 *     and a stack's count);
 *     the lists are NULL-terminated chains of exactly len objects of
 *     class i put by CPUs of node nid, linked through the free link, in
 *     use for their slabs as in any tier (I2), and counted in the
 *     cache's objs_cached;
 *   - at most XFER_SLOTS lists of at most T1_LIMIT_OF(i) objects each per
 *     class and memory node: bounded memory (XFER_SLOTS * T1_LIMIT_OF(i)
 *     objects per class per memory node);
 *   - a list is taken only by a thread whose CPU's numa_mem_id() was
 *     its node when it looked, before it took the lock (I9: it may
 *     have moved to another CPU since);
 *   - xfer_node[nid] is set once (NULL before) and never freed, but for
 *     the hosted start over (slab_xfer_init());
 *   - kmem_drain_all() gives every list back to the slabs
 *     (slab_xfer_drain(): one list per lock hold, then slab_put_chain(),
 *     whose length bound catches a list a double free made into a loop);
 *     so does slab_xfer_nodes_init() for node 0's lists alone when node
 *     0 has no memory (xfer_drain_node()).
 *     The cache is not per CPU: a CPU going offline leaves nothing
 *     behind here.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/init.h>
#include <exo/string.h>

#include "slab.h"

/*
 * One class's stack of lists on one node: list k is head[k], len[k]
 * objects long; k = nr - 1 was put last.  A cache line (or more) each:
 * the stacks of different classes are written under different locks by
 * every CPU of the node.  With the default XFER_SLOTS, 4, one line:
 * 32 + 16 + 4 bytes.
 */
struct xfer_stack {
	void *head[XFER_SLOTS ? XFER_SLOTS : 1];
	unsigned int len[XFER_SLOTS ? XFER_SLOTS : 1];	/* <= T1_LIMIT_OF() */
	unsigned int nr;		/* lists in use */
} __cacheline_aligned;

/* One memory node's stacks: NR_T1 * 64 bytes with the default XFER_SLOTS. */
struct xfer_node {
	struct xfer_stack cls[NR_T1];
};

/*
 * A class's totals over every node (statistics, and the get's glance at
 * objs): a cache line each, written under the class's lock.
 */
struct slab_xfer {
	unsigned long objs;		/* objects on its lists */
	unsigned long puts, gets;	/* lists put, lists taken */
} __cacheline_aligned;

static struct slab_xfer slab_xfer[NR_T1];
static struct xfer_node xfer_node0;
/* Each memory node's stacks; NULL for a node without (yet). */
static struct xfer_node *xfer_node[MAX_NUMNODES];

/* Class @i's stack of this CPU's memory node, or NULL if it has none. */
static __always_inline struct xfer_stack *xfer_local(int i)
{
	unsigned int nid = (unsigned int)numa_mem_id();
	struct xfer_node *xn;

	if (unlikely(nid >= MAX_NUMNODES))
		return NULL;
	xn = READ_ONCE(xfer_node[nid]);
	return xn ? &xn->cls[i] : NULL;
}

/**
 * slab_xfer_put() - keep a full thread list in the transfer cache
 * @i: tier-1 class (0 .. NR_T1 - 1)
 * @head: the list, NULL-terminated, private to the caller, of objects of
 *	this CPU's memory node
 * @len: its length, 1 .. T1_LIMIT_OF(@i)
 *
 * O(1): one hold of the class's lock, no walk.  The list goes on the
 * stack of this CPU's memory node, whose CPUs alone may take it back.
 * Return: true if kept (the list is no longer the caller's), false if
 * that stack is full (or the node has none) or @len out of bounds: the
 * caller gives the list back to the slabs itself.
 */
bool slab_xfer_put(int i, void *head, unsigned long len)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct xfer_stack *s;
	unsigned long flags;
	bool kept = false;

	if (!XFER_SLOTS || !head || !len || len > (unsigned long)slab_t1_limit[i])
		return false;
	s = xfer_local(i);
	if (unlikely(!s))
		return false;
	spin_lock_irqsave(&c->lock, flags);
	if (s->nr + 1 <= XFER_SLOTS) {	/* not "<": -Wtype-limits with XFER_SLOTS 0 */
		s->head[s->nr] = head;
		s->len[s->nr++] = (unsigned int)len;	/* <= T1_LIMIT_OF(i) */
		slab_xfer[i].objs += len;
		slab_xfer[i].puts++;
		kept = true;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return kept;
}

/* slab_xfer_get() past the glance at class @i's total: this node's list. */
static noinline unsigned long xfer_take(int i, void **head)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct xfer_stack *s = xfer_local(i);
	unsigned long flags, len = 0;

	if (!s || !data_race(READ_ONCE(s->nr)))
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	if (s->nr) {
		s->nr--;
		*head = s->head[s->nr];
		len = s->len[s->nr];
		slab_xfer[i].objs -= len;
		slab_xfer[i].gets++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return len;
}

/**
 * slab_xfer_get() - take a whole list of this CPU's memory node
 * @i: tier-1 class
 * @head: set to the list when one is taken
 *
 * O(1) under the class's lock, no lock at all when the class's lists or
 * this node's stack look empty (racy glances: a list missed is taken by
 * a later refill).
 * The list put last: its objects are the most recently touched.
 * Return: its length, 0 if there was none of this node.
 */
unsigned long slab_xfer_get(int i, void **head)
{
	/*
	 * The class's total first: an empty cache costs no node lookup, and
	 * (xfer_take() apart, a tail call) no saved register either.
	 */
	if (!XFER_SLOTS || !data_race(READ_ONCE(slab_xfer[i].objs)))
		return 0;
	return xfer_take(i, head);
}

/*
 * Give every list of memory node @xn's stacks back: one list per hold of
 * its class's lock, at most XFER_SLOTS per class however many other CPUs
 * put meanwhile; a stack that looks empty costs no lock hold (a list put
 * after the glance waits for the next drain, as one put after the last
 * hold does).  Return: objects given back.
 */
static unsigned long xfer_drain_node(struct xfer_node *xn)
{
	unsigned long n = 0;

	for (int i = 0; XFER_SLOTS && i < NR_T1; i++) {
		struct kmem_cache *c = &kmalloc_caches[i];
		struct xfer_stack *s = &xn->cls[i];

		for (int k = 0; k < XFER_SLOTS; k++) {	/* signed: XFER_SLOTS may be 0 */
			unsigned long flags, err, got, len;
			LIST_HEAD(reap);
			void *head;

			/* Racy glance: an empty stack costs no lock hold. */
			if (!data_race(READ_ONCE(s->nr)))
				break;
			spin_lock_irqsave(&c->lock, flags);
			if (!s->nr) {
				spin_unlock_irqrestore(&c->lock, flags);
				break;
			}
			s->nr--;
			head = s->head[s->nr];
			len = s->len[s->nr];
			slab_xfer[i].objs -= len;
			spin_unlock_irqrestore(&c->lock, flags);
			err = kmem_error_count();
			got = slab_put_chain(c, head, len, &reap, -1U);
			slab_reap(c, &reap);	/* nothing: every empty slab kept */
			if (unlikely(got != len) && kmem_error_count() == err)
				slab_report("%s: transfer list ends after %lu of its %lu objects (use after free?)\n",
					    c->name, got, len);
			n += got;
		}
	}
	return n;
}

/**
 * slab_xfer_drain() - give every list of the transfer caches back
 *
 * Every memory node's stacks, one list per hold of its class's lock
 * (xfer_drain_node()): taken alone, then given back by slab_put_chain()
 * (which takes the lock itself, a bounded number of runs per hold) with
 * its own length as the bound: a list made a loop by a double free is
 * reported there and the rest leaked, never walked forever.  At most
 * XFER_SLOTS lists per class and node, however many other CPUs put
 * meanwhile.  Empty slabs stay on their lists for cache_shrink().
 * kmem_drain_all() calls it before it takes slab_caches_lock: the
 * kmalloc caches are never destroyed, and no walk of a list runs inside
 * that lock's interrupts-off hold.  The only other walk of these lists
 * is slab_xfer_nodes_init()'s xfer_drain_node() of node 0's stacks alone
 * when node 0 has no memory, in thread context, outside that lock too.
 * Return: objects given back.
 */
unsigned long slab_xfer_drain(void)
{
	unsigned long n = 0;

	for (int nid = 0; XFER_SLOTS && nid < MAX_NUMNODES; nid++) {
		struct xfer_node *xn = READ_ONCE(xfer_node[nid]);

		if (xn)
			n += xfer_drain_node(xn);
	}
	return n;
}

/**
 * slab_xfer_stats() - the transfer cache's counts for kmem_cache_get_stats()
 * @c: a cache, its lock held
 * @puts: set to the lists put so far, every node's (0 for a cache without one)
 * @gets: set to the lists taken so far
 *
 * Return: the objects it holds now, on every node's lists.
 */
unsigned long slab_xfer_stats(const struct kmem_cache *c, unsigned long *puts,
			      unsigned long *gets)
{
	const struct slab_xfer *x;

	*puts = 0;
	*gets = 0;
	if (!XFER_SLOTS || c->t1 < 0 || c != &kmalloc_caches[c->t1])
		return 0;
	x = &slab_xfer[c->t1];
	*puts = x->puts;
	*gets = x->gets;
	return x->objs;
}

/*
 * Empty, with node 0's stacks alone (boot, and each hosted start over:
 * the lists were of the old arena; the hosted build has one node).
 */
void slab_xfer_init(void)
{
	memset(slab_xfer, 0, sizeof(slab_xfer));
	memset(&xfer_node0, 0, sizeof(xfer_node0));
	memset(xfer_node, 0, sizeof(xfer_node));
	xfer_node[0] = &xfer_node0;
}

#ifndef __HOSTED__
/*
 * Stacks for every memory node of the page allocator (numa_node_mem()
 * maps it to itself; every CPU's numa_mem_id() is one), each with
 * kzalloc_node() of its node: after slab_numa_init() (same initcall
 * level, linked before this file), so they come from that node when the
 * node layer serves kmalloc_node(), and from wherever kmalloc() finds
 * them when it does not (SLAB_DEBUG, KASAN, a failed slab_numa_init(),
 * a single memory node other than 0).  Other CPUs run already:
 * a node's pointer is published whole.  A node left without gives its
 * full lists back to the slabs.  Without tier 1 or with no slots there
 * is nothing to allocate.  Thread context, not under slab_caches_lock
 * (xfer_drain_node()).
 */
static int __init slab_xfer_nodes_init(void)
{
	int nr = 0;

	if (!TIER1 || !XFER_SLOTS)	/* no thread lists, or no slots for them */
		return 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct xfer_node *xn;

		if (numa_node_mem(nid) != nid || READ_ONCE(xfer_node[nid]))
			continue;
		xn = kzalloc_node(sizeof(*xn), GFP_KERNEL, nid);
		if (!xn) {
			pr_warn("node %d: no memory for the transfer cache: its full thread lists go back to the slabs\n",
				nid);
			continue;
		}
		smp_store_release(&xfer_node[nid], xn);
		nr++;
	}
	if (nr)
		pr_info("transfer cache: %d more memory node%s, %d lists per class each\n",
			nr, nr == 1 ? "" : "s", XFER_SLOTS);
	/*
	 * Node 0 without memory: no CPU has it as numa_mem_id() any more, so
	 * the lists put there before the page allocator split its memory
	 * into nodes would wait for kmem_drain_all(): back to the slabs now.
	 */
	if (numa_node_mem(0) != 0)
		xfer_drain_node(&xfer_node0);
	return 0;
}
early_initcall(slab_xfer_nodes_init);
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc_node() and kmem_cache_alloc_node(): objects from slabs on a
 * given NUMA node.  With one memory node, before the early initcall below
 * or for NUMA_NO_NODE, they are kmalloc() and kmem_cache_alloc(), fast
 * paths included.  Otherwise the object is taken, under the cache's lock,
 * from the first partial or empty slab on that node's own lists (O(1),
 * I9), or from a new slab allocated there (alloc_pages_node()): the tiers
 * are bypassed, since they hold the CPU's own node's objects.  The
 * initcall turns the node layer on; its free side is in slab.c.
 * Documentation/mm/numa.rst.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kasan.h>
#include <exo/numa.h>
#include <exo/string.h>

#include "slab.h"

/* The memory node for @nid, or NUMA_NO_NODE with a log line. */
static int node_or_report(const char *fn, int nid, gfp_t gfp)
{
	int mem = numa_node_mem(nid);

	if (mem == NUMA_NO_NODE && !(gfp & __GFP_NOWARN) && __ratelimit(rs()))
		pr_err("%s: node %d is not an online node\n", fn, nid);
	return mem;
}

/*
 * One object of @c from a slab on memory node @nid: a partial or empty
 * slab there, else a new one from the node (from the next nodes by
 * distance if it has none left, unless __GFP_THISNODE).
 */
static void *cache_alloc_node(struct kmem_cache *c, gfp_t gfp, int nid)
{
	unsigned long flags;
	struct page *pg;
	void *obj;

	spin_lock_irqsave(&c->lock, flags);
	obj = slab_take_node(c, nid);
	spin_unlock_irqrestore(&c->lock, flags);
	if (obj)
		return obj;
	pg = slab_init(c, alloc_pages_node(nid, (gfp & (__GFP_ATOMIC | __GFP_THISNODE)) |
					   __GFP_NOWARN, c->order));
	if (!pg) {
		/* Every CPU's remote-free batches of @c back (any @gfp): look again. */
		slab_remote_flush(c);
		spin_lock_irqsave(&c->lock, flags);
		obj = slab_take_node(c, nid);
		spin_unlock_irqrestore(&c->lock, flags);
		return obj;
	}
	spin_lock_irqsave(&c->lock, flags);
	slab_publish(c, pg);
	obj = slab_take_node(c, page_to_nid(pg));
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/* Does the node path serve this call, or the plain allocator? */
static bool node_path(int nid, gfp_t gfp)
{
	/*
	 * Debug and KASAN builds keep their hooks on the plain paths; zone
	 * and __GFP_NOFAIL requests have their own rules there.
	 */
	return nid != NUMA_NO_NODE && slab_multi_node() && !DEBUG && !KASAN &&
	       !(gfp & (GFP_ZONEMASK | __GFP_NOFAIL)) && !in_trap();
}

/* kmalloc() from node @nid; kernel-doc in <exo/slab.h>. */
void *kmalloc_node(size_t size, gfp_t gfp, int nid)
{
	int mem;
	void *obj;

	if (nid != NUMA_NO_NODE && node_or_report("kmalloc_node", nid, gfp) == NUMA_NO_NODE)
		return NULL;
	if (!node_path(nid, gfp) || !size)
		return kmalloc(size, gfp);
	mem = numa_node_mem(nid);
	might_alloc(gfp);
	if (should_fail_slab(size, gfp))
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		obj = kmalloc_large_node(size, gfp & ~__GFP_ZERO, mem);
	} else {
		obj = cache_alloc_node(&kmalloc_caches[kmalloc_class(size)], gfp, mem);
		if (!obj && !(gfp & __GFP_NOWARN) && __ratelimit(rs()))
			pr_warn("kmalloc_node(%zu, node %d): out of memory\n", size, nid);
	}
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, size);
	if (obj)
		trace_kmalloc(_RET_IP_, obj, size, (__force unsigned int)gfp);
	return obj;
}

/* kmalloc_node() and zero; kernel-doc in <exo/slab.h>. */
void *kzalloc_node(size_t size, gfp_t gfp, int nid)
{
	return kmalloc_node(size, gfp | __GFP_ZERO, nid);
}

/* kmem_cache_alloc() from node @nid; kernel-doc in <exo/slab.h>. */
void *kmem_cache_alloc_node(struct kmem_cache *c, gfp_t gfp, int nid)
{
	int mem;
	void *obj;

	if (nid != NUMA_NO_NODE &&
	    node_or_report("kmem_cache_alloc_node", nid, gfp) == NUMA_NO_NODE)
		return NULL;
	if (!node_path(nid, gfp))
		return kmem_cache_alloc(c, gfp);
	mem = numa_node_mem(nid);
	might_alloc(gfp);
	if (should_fail_slab(c->size, gfp))
		return NULL;
	obj = cache_alloc_node(c, gfp, mem);
	if (!obj && !(gfp & __GFP_NOWARN) && __ratelimit(rs()))
		pr_warn("kmem_cache_alloc_node(%s, node %d): out of memory\n", c->name, nid);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, c->size);
	return obj;
}


#ifndef __HOSTED__
/*
 * With several memory nodes, turn the node layer on (thread context:
 * patching sleeps), file the slabs made until then on their nodes' lists,
 * and give back what the tiers of every CPU and this thread cached
 * before, which may be any node's.
 */
static int __init slab_numa_init(void)
{
	int err;

	if (pa_nr_nodes < 2)
		return 0;
	err = slab_node_lists_init();
	if (!err) {
		/* I10: the kfree() hit paths stop keeping objects before the key turns on. */
		slab_fast_free_off();
		err = static_branch_enable(&slab_numa_free);
		if (err)
			slab_fast_free_on();
	}
	if (err) {
		pr_err("%u memory nodes, but the node layer did not turn on (%d): one node's lists for all\n",
		       pa_nr_nodes, err);
		return err;
	}
	slab_refile_nodes();
	kmem_drain_all();
	pr_info("%u memory nodes: frees of another node's objects go back to their slabs\n",
		pa_nr_nodes);
	return 0;
}
early_initcall(slab_numa_init);
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer cache of tier 1: per small kmalloc class, a bounded stack
 * of whole thread lists (Linux has none; tcmalloc's transfer cache is
 * the same idea).  A thread whose freed list is full puts the list here
 * in O(1) (its head, its length and the node of the CPU) instead of
 * walking it back to the slabs, and a thread whose lists are empty takes
 * a whole list of its own node from here in O(1).  So a burst of frees
 * past the thread cache, followed by allocations, costs no walk of the
 * lists at all as long as the bursts fit XFER_SLOTS lists more than the
 * thread cache.
 *
 * Invariants (slab.h, I12):
 *   - slab_xfer[i] is only read or changed under kmalloc_caches[i].lock;
 *     its lists are NULL-terminated chains of exactly len objects of
 *     class i, linked through the free link, in use for their slabs as
 *     in any tier (I2), and counted in the cache's objs_cached;
 *   - at most XFER_SLOTS lists of at most T1_LIMIT_OF(i) objects each:
 *     bounded memory (XFER_SLOTS * T1_LIMIT_OF(i) objects per class);
 *   - a list is taken only by a CPU of the node recorded with it (I9);
 *   - kmem_drain_all() gives every list back to the slabs
 *     (slab_xfer_drain(): one list per lock hold, then slab_put_chain(),
 *     whose length bound catches a list a double free made into a loop).
 *     The cache is not per CPU: a CPU going offline leaves nothing
 *     behind here.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/string.h>

#include "slab.h"

struct slab_xfer_list {
	void *head;
	unsigned int len;
	int nid;
};

struct slab_xfer {
	unsigned int nr;		/* lists in use: list[0 .. nr) */
	unsigned long objs;		/* objects on them */
	unsigned long puts, gets;	/* lists put, lists taken (statistics) */
	struct slab_xfer_list list[XFER_SLOTS ? XFER_SLOTS : 1];
};

static struct slab_xfer slab_xfer[NR_T1];

/**
 * slab_xfer_put() - keep a full thread list in the transfer cache
 * @i: tier-1 class (0 .. NR_T1 - 1)
 * @head: the list, NULL-terminated, private to the caller
 * @len: its length, 1 .. T1_LIMIT_OF(@i)
 *
 * O(1): one hold of the class's lock, no walk.  The list is recorded with
 * the node of this CPU, whose CPUs alone may take it back.
 * Return: true if kept (the list is no longer the caller's), false if the
 * cache is full or @len out of bounds: the caller gives the list back to
 * the slabs itself.
 */
bool slab_xfer_put(int i, void *head, unsigned long len)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct slab_xfer *x = &slab_xfer[i];
	unsigned long flags;
	bool kept = false;

	if (!XFER_SLOTS || !head || !len || len > (unsigned long)slab_t1_limit[i])
		return false;
	spin_lock_irqsave(&c->lock, flags);
	if (x->nr + 1 <= XFER_SLOTS) {	/* not "<": -Wtype-limits with XFER_SLOTS 0 */
		x->list[x->nr++] = (struct slab_xfer_list){
			.head = head, .len = (unsigned int)len, .nid = numa_mem_id(),
		};
		x->objs += len;
		x->puts++;
		kept = true;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return kept;
}

/**
 * slab_xfer_get() - take a whole list of this CPU's node
 * @i: tier-1 class
 * @head: set to the list when one is taken
 *
 * O(XFER_SLOTS) under the class's lock, none at all when the cache looks
 * empty (a racy glance: a list missed is taken by a later refill).  The
 * list put last first: its objects are the most recently touched.
 * Return: its length, 0 if there was none of this node.
 */
unsigned long slab_xfer_get(int i, void **head)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct slab_xfer *x = &slab_xfer[i];
	unsigned long flags, len = 0;
	int nid;

	if (!XFER_SLOTS || !data_race(READ_ONCE(x->nr)))
		return 0;
	nid = numa_mem_id();
	spin_lock_irqsave(&c->lock, flags);
	for (unsigned int k = x->nr; k-- > 0;) {
		if (x->list[k].nid != nid)
			continue;
		*head = x->list[k].head;
		len = x->list[k].len;
		/* Keep the others in the order they were put. */
		memmove(&x->list[k], &x->list[k + 1], (x->nr - k - 1) * sizeof(x->list[0]));
		x->nr--;
		x->objs -= len;
		x->gets++;
		break;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return len;
}

/**
 * slab_xfer_drain() - give every list of the transfer caches back
 *
 * One list per hold of its class's lock: taken alone, then given back by
 * slab_put_chain() (which takes the lock itself, a bounded number of runs
 * per hold) with its own length as the bound: a list made a loop by a
 * double free is reported there and the rest leaked, never walked
 * forever.  At most XFER_SLOTS lists per class, however many other CPUs
 * put meanwhile.  Empty slabs stay on their lists for cache_shrink().
 * kmem_drain_all() calls it before it takes slab_caches_lock: the
 * kmalloc caches are never destroyed, and no walk of a list runs inside
 * that lock's interrupts-off hold.  Return: objects given back.
 */
unsigned long slab_xfer_drain(void)
{
	unsigned long n = 0;

	for (int i = 0; XFER_SLOTS && i < NR_T1; i++) {
		struct kmem_cache *c = &kmalloc_caches[i];
		struct slab_xfer *x = &slab_xfer[i];

		for (int k = 0; k < XFER_SLOTS; k++) {	/* signed: XFER_SLOTS may be 0 */
			unsigned long flags, err, got;
			struct slab_xfer_list l;
			LIST_HEAD(reap);

			spin_lock_irqsave(&c->lock, flags);
			if (!x->nr) {
				spin_unlock_irqrestore(&c->lock, flags);
				break;
			}
			l = x->list[--x->nr];
			x->objs -= l.len;
			spin_unlock_irqrestore(&c->lock, flags);
			err = kmem_error_count();
			got = slab_put_chain(c, l.head, l.len, &reap, -1U);
			slab_reap(c, &reap);		/* nothing: every empty slab kept */
			if (unlikely(got != l.len) && kmem_error_count() == err)
				slab_report("%s: transfer list ends after %lu of its %u objects (use after free?)\n",
					    c->name, got, l.len);
			n += got;
		}
	}
	return n;
}

/**
 * slab_xfer_stats() - the transfer cache's counts for kmem_cache_get_stats()
 * @c: a cache, its lock held
 * @puts: set to the lists put so far (0 for a cache without one)
 * @gets: set to the lists taken so far
 *
 * Return: the objects it holds now.
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

/* Empty, with no list (boot, and each hosted start over: the lists were of the old arena). */
void slab_xfer_init(void)
{
	memset(slab_xfer, 0, sizeof(slab_xfer));
}

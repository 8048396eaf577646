// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's machinery: slabs (pages from the buddy allocator
 * cut into objects), tier 2 (per-CPU object arrays), a cache's lists and
 * its registration (cache_init()), and the node layer's free side (the
 * static key, slab_node_free(): linked wherever kfree() is, the hosted
 * fuzzers included).  Cache geometry, the class map and kmem_cache_init()
 * are slab_init.c's.  Design and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kasan.h>
#include <exo/memblock.h>
#include <exo/pgtable.h>
#include <exo/string.h>

#include "slab.h"


struct kmem_cache kmalloc_caches[NR_KMALLOC];
struct kmem_cache tcache_cache;

LIST_HEAD(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);
/* Every cache's node lists below this are set up (1, or MAX_NUMNODES: I9). */
unsigned int slab_nr_node_lists = 1;
/* slab_refile_nodes() has run: new caches file slabs per node (I9). */
static bool slab_nodes_filed;

/* One byte per frame, see I1. */
u8 *slab_class_map;
unsigned long slab_map_pfns;
/* Frame number of the direct map's first byte: addr_pfn(p) == (p >> PAGE_SHIFT) - bias. */
unsigned long slab_pfn_bias;
/*
 * kfree fast paths: (ptr & t1_obj_mask[cls]) == 0 iff ptr starts an object
 * of a tier-1 class (likewise t2_obj_mask for the tier-2 kmalloc classes).
 * The kfree() hit paths test slab_t1_free_mask (tier 1) and t2_free_mask
 * (tier 2): the object masks on one memory node, ~0 for every
 * class once the node layer is on (slab_fast_free_off()), so that the
 * hit paths need no test of the node layer's key.
 */
unsigned long slab_t1_free_mask[NR_CLS];
BUILD_BUG_ON(NR_CLS != ARRAY_SIZE(slab_t1_free_mask));
unsigned long t1_obj_mask[NR_CLS];
unsigned long t2_free_mask[NR_CLS];
unsigned long t2_obj_mask[NR_CLS];

unsigned long slab_errors;
long large_pages;
bool slab_ready;
struct ratelimit_state slab_rs;

/*
 * CPU 0 always has its area (the hosted build's CPU 0 is the template
 * itself, at offset 0); another CPU has one once its offset is set.
 * Outside the tier-2 #ifdef: the large-block caches use it in every
 * configuration.
 */
bool cpu_has_area(unsigned int cpu)
{
	return !cpu || __per_cpu_offset[cpu];
}

#ifdef CONFIG_SLAB_TIER_PERCPU
DEFINE_PER_CPU_ALIGNED(struct array_cache, kmalloc_ac[NR_KMALLOC]);

/* Every kmalloc array empty: each top at its array's first word. */
#define KT2_CLASSES(f)	[KT2_IDX(0)] = f(0), [KT2_IDX(1)] = f(1), [KT2_IDX(2)] = f(2),	\
	[KT2_IDX(3)] = f(3), [KT2_IDX(4)] = f(4), [KT2_IDX(5)] = f(5), [KT2_IDX(6)] = f(6),	\
	[KT2_IDX(7)] = f(7), [KT2_IDX(8)] = f(8)
#define KT2_LIMIT(k)	(KT2_BASE(k) + T2_LIMIT)
/* KT2_CLASSES() names every class. */
BUILD_BUG_ON(NR_KMALLOC != 9);
/*
 * __kmalloc_big() indexes top[], hits[] and the tables with the bsr of
 * (size - 1): the largest class's must be its KT2_IDX(), inside them.
 */
#define KT2_BSR_MAX	(63 - __builtin_clzl(KMALLOC_MAX_CACHE_SIZE - 1))
BUILD_BUG_ON(KT2_BSR_MAX >= KT2_N || KT2_BSR_MAX != KT2_IDX(NR_KMALLOC - 1));
DEFINE_PER_CPU_ALIGNED(struct kmalloc_t2, kmalloc_t2) = { .top = { KT2_CLASSES(KT2_BASE) } };
const unsigned long kmalloc_t2_bottom[KT2_N] = { KT2_CLASSES(KT2_BASE) };
const unsigned long kmalloc_t2_limit[KT2_N] = { KT2_CLASSES(KT2_LIMIT) };

/* cpu_ac() for any CPU number: NULL if that CPU has no per-CPU area. */
struct array_cache *cpu_ac_any(struct kmem_cache *c, unsigned int cpu)
{
	if (c->pcpu_ac && !cpu_has_area(cpu))
		return NULL;
	return cpu_ac(c, cpu);
}
#endif

/* ---------------------------------------------------------------------
 * Slabs (cache lock held, interrupts disabled)
 */

static struct page *obj_slab(const struct kmem_cache *c, const void *obj)
{
	return pfn_to_page(addr_pfn(obj) & ~((1UL << c->order) - 1));
}

static void set_class(unsigned long pfn, unsigned int order, u8 cls)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		WRITE_ONCE(slab_class_map[pfn + i], cls);
}

/*
 * Take up to @n objects from the slabs of lists @l (one node's).
 * Return: how many.
 */
static unsigned int slab_take(struct kmem_cache *c, struct slab_node_lists *l, void **objs,
			      unsigned int n)
{
	unsigned int got = 0;

	while (got < n) {
		struct page *pg;
		struct list_head *from;

		if (!list_empty(&l->partial)) {
			from = &l->partial;
		} else if (!list_empty(&l->empty)) {
			from = &l->empty;
		} else {
			break;
		}
		pg = list_first_entry(from, struct page, slab_list);
		c->take_steps++;
		if (from == &l->empty) {
			c->nr_empty--;
			l->nr_empty--;
		}
		while (got < n && pg->freelist) {
			void *obj = pg->freelist;

			pg->freelist = *free_link(c, obj);
			pg->counters++;
			objs[got++] = obj;
		}
		list_del(&pg->slab_list);
		list_add(&pg->slab_list, pg->freelist ? &l->partial : &l->full);
	}
	c->nr_slab_free -= got;
	c->slab_allocs += got;
	return got;
}

/*
 * slab_take() from the nodes other than this CPU's, in node order: only
 * when this CPU's node has neither a free object nor a free page.  O(nodes).
 */
static unsigned int slab_take_other(struct kmem_cache *c, void **objs, unsigned int n)
{
	struct slab_node_lists *local = slab_local_lists(c);
	unsigned int got = 0;

	for (int nid = 0; nid < (int)c->nr_node_lists && got < n; nid++)
		if (&c->node[nid] != local)
			got += slab_take(c, &c->node[nid], objs + got, n - got);
	return got;
}

/* Give @n objects back to their slabs; empty slabs beyond the keep go to @reap. */
static void slab_put(struct kmem_cache *c, void *const *objs, unsigned int n,
		     struct list_head *reap, unsigned int keep)
{
	for (unsigned int i = 0; i < n; i++) {
		void *obj = objs[i];
		struct page *pg = obj_slab(c, obj);
		bool was_full = !pg->freelist;
		struct slab_node_lists *l;

		*free_link(c, obj) = pg->freelist;
		pg->freelist = obj;
		pg->counters--;
		if (!pg->counters) {
			l = slab_lists(c, pg);
			list_del(&pg->slab_list);
			/* The keep is per node: each node's refills find its own. */
			if (l->nr_empty >= keep) {
				list_add(&pg->slab_list, reap);
				c->nr_slabs--;
				c->nr_slab_free -= c->objs - 1;
				c->slabs_freed++;
				continue;
			}
			list_add(&pg->slab_list, &l->empty);
			c->nr_empty++;
			l->nr_empty++;
		} else if (was_full) {
			list_del(&pg->slab_list);
			list_add(&pg->slab_list, &slab_lists(c, pg)->partial);
		}
		c->nr_slab_free++;
	}
	c->slab_frees += n;
}

/*
 * Is @tail, the end of the chain's last run (@n objects of @pg), on
 * @pg's freelist already?  Objects in use are not; a run that came back
 * through a cycle to objects slab_put_chain() gave back earlier follows
 * the freelist from there to its end, @tail its last object.  Walks the
 * freelist only when it holds @n objects or more: at most its free
 * objects, so a corrupted freelist cannot keep it going.
 */
static bool put_chain_revisits(const struct kmem_cache *c, const struct page *pg, void *tail,
			       unsigned long n, unsigned int link)
{
	unsigned long nfree = c->objs - pg->counters;

	if (n > nfree)
		return false;
	for (void *o = pg->freelist; o && nfree; nfree--, o = *(void **)((char *)o + link))
		if (o == tail)
			return true;
	return false;
}

/*
 * Give back the NULL-terminated chain @obj of at most @max objects, linked
 * through the free link (a tier-1 list, private to the caller); empty
 * slabs beyond @keep go to @reap.  Takes the cache lock itself and drops
 * it every PUT_CHAIN_RUNS runs, so interrupts stay off for a bounded
 * time however the chain mixes slabs.  A run of consecutive objects of
 * one slab is spliced onto its freelist whole, links untouched: the cost
 * per object is the walk and one bounds test, the slab bookkeeping is
 * paid once per run.  Lists freed in the order their objects were
 * allocated (bursts, and the O(1) refills of tcache_splice()) are runs of
 * a whole slab.  A chain longer than @max, or a run longer than its
 * slab's objects in use, is a double free (a cycle): reported once, and
 * the rest of the chain from that run on is left unlinked (leaked), never
 * walked forever nor spliced.  A cycle through two slabs or more comes
 * back to objects this call gave back already, and from there follows
 * their slab's freelist to its end: the walk ends at NULL, and that last
 * run is checked (put_chain_revisits()) before it is spliced.  Return:
 * objects given back.
 */
unsigned long slab_put_chain(struct kmem_cache *c, void *obj, unsigned long max,
			     struct list_head *reap, unsigned int keep)
{
	const unsigned long bytes = PAGE_SIZE << c->order;
	/* The chains are tier-1 lists: kmalloc caches, linked at 0 but for debugging. */
	const unsigned int link = DEBUG ? c->link_off : 0;
	unsigned long total = 0, counted = 0, flags;
	unsigned int runs = 0;

	if (!obj)
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	while (obj) {
		struct page *pg = obj_slab(c, obj);
		char *base = page_address(pg);
		/* next + nbase == next - base: one lea, no copy and sub. */
		const unsigned long nbase = -(unsigned long)base;
		void *first = obj, *next;
		unsigned long lim = min_t(unsigned long, pg->counters, max - total);
		long left = (long)lim - 1;	/* objects the run may still take */
		unsigned long n;

		/*
		 * next - base wraps below base: one unsigned test for both
		 * ends, and for NULL (base is above the slab size).  Four links
		 * per pass: one count update, whose sign is the bound test
		 * (a run past @lim is a loop), and one jump for all four.
		 * Each link is tested before it is followed.
		 */
		for (;;) {
			void *l2, *l3, *l4;

			next = *(void **)((char *)obj + link);
			if ((unsigned long)next + nbase >= bytes)
				break;
			l2 = *(void **)((char *)next + link);
			if ((unsigned long)l2 + nbase >= bytes) {
				obj = next;
				next = l2;
				left -= 1;
				break;
			}
			l3 = *(void **)((char *)l2 + link);
			if ((unsigned long)l3 + nbase >= bytes) {
				obj = l2;
				next = l3;
				left -= 2;
				break;
			}
			l4 = *(void **)((char *)l3 + link);
			if ((unsigned long)l4 + nbase >= bytes) {
				obj = l3;
				next = l4;
				left -= 3;
				break;
			}
			obj = l4;
			left -= 4;
			if (unlikely(left < 0))
				break;
		}
		if (unlikely(left < 0) ||
		    (unlikely(!next) &&
		     put_chain_revisits(c, pg, obj, lim - (unsigned long)left, link))) {
			slab_report("%s: object %p: freed list loops (double free?), %lu objects left unfreed\n",
				    c->name, first, max - total);
			break;
		}
		n = lim - (unsigned long)left;
		*(void **)((char *)obj + link) = pg->freelist;
		if (!pg->freelist && pg->counters != n) {
			list_del(&pg->slab_list);
			list_add(&pg->slab_list, &slab_lists(c, pg)->partial);
		}
		pg->freelist = first;
		pg->counters -= n;
		total += n;
		c->nr_slab_free += n;
		if (!pg->counters) {
			struct slab_node_lists *l = slab_lists(c, pg);

			list_del(&pg->slab_list);
			/* The keep is per node, as in slab_put(). */
			if (l->nr_empty >= keep) {
				list_add(&pg->slab_list, reap);
				c->nr_slabs--;
				c->nr_slab_free -= c->objs;
				c->slabs_freed++;
			} else {
				list_add(&pg->slab_list, &l->empty);
				c->nr_empty++;
				l->nr_empty++;
			}
		}
		obj = next;
		if (unlikely(++runs % PUT_CHAIN_RUNS == 0) && obj) {
			c->slab_frees += total - counted;
			counted = total;
			spin_unlock_irqrestore(&c->lock, flags);
			spin_lock_irqsave(&c->lock, flags);
		}
	}
	c->slab_frees += total - counted;
	spin_unlock_irqrestore(&c->lock, flags);
	return total;
}

/* Free the slabs on @reap to the buddy allocator (no lock needed). */
unsigned long slab_reap(struct kmem_cache *c, struct list_head *reap)
{
	unsigned long pages = 0;

	while (!list_empty(reap)) {
		struct page *pg = list_first_entry(reap, struct page, slab_list);

		list_del(&pg->slab_list);
		set_class(page_to_pfn(pg), c->order, CLS_NONE);
		pg->slab_cache = NULL;
		page_set_type(pg, PAGE_TYPE_BUDDY);
		__free_pages(pg, c->order);
		pages += 1UL << c->order;
	}
	return pages;
}

/* A new slab, not yet published (see slab_publish()).  Any context. */
struct page *slab_new(struct kmem_cache *c, gfp_t gfp)
{
	return slab_init(c, slab_alloc_pages(c->order, gfp));
}

/* Make the block @pg (or NULL) a slab of @c, not yet published. */
struct page *slab_init(struct kmem_cache *c, struct page *pg)
{
	const size_t stride = c->stride, link = c->link_off;
	const unsigned int objs = c->objs;
	void (*ctor)(void *obj) = c->ctor;
	char *base, *obj, *last;

	if (!pg)
		return NULL;
	base = page_address(pg);
	page_set_type(pg, PAGE_TYPE_SLAB);
	pg->slab_cache = c;
	pg->counters = 0;
	if (DEBUG || ctor) {
		for (unsigned int i = 0; i < objs; i++) {
			obj = base + (size_t)i * stride;
			if (DEBUG)
				debug_init_slot(c, obj);
			if (ctor)
				ctor(obj);
		}
	}
	/*
	 * Linked in address order: the first allocations are the lowest.
	 * The fields are read once, before the loops: their stores could
	 * alias them, and this is what a fresh slab costs per object: four
	 * links per pass of 10 instructions.
	 */
	obj = base;
	for (unsigned int n = (objs - 1) / 4; n; n--) {
		char *o1 = obj + stride, *o2 = o1 + stride, *o3 = o2 + stride;

		*(void **)(obj + link) = o1;
		*(void **)(o1 + link) = o2;
		*(void **)(o2 + link) = o3;
		obj = o3 + stride;
		*(void **)(o3 + link) = obj;
	}
	last = base + (size_t)(objs - 1) * stride;
	for (; obj != last; obj += stride)
		*(void **)(obj + link) = obj + stride;
	*(void **)(last + link) = NULL;
	pg->freelist = base;
	/* Until handed out, every slot of a new slab is red zone. */
	kasan_poison(base, PAGE_SIZE << c->order, KASAN_SLAB_REDZONE);
	set_class(page_to_pfn(pg), c->order, (u8)c->cls);
	return pg;
}

/*
 * One object from a slab of @c on memory node @nid, or NULL when the node
 * has no partial or empty slab (lock held; O(1): the node's own lists).
 */
void *slab_take_node(struct kmem_cache *c, int nid)
{
	void *obj;

	/* Before the cache's slabs are filed per node, all are on list 0. */
	return slab_take(c, &c->node[c->nr_node_lists > 1 ? nid : 0], &obj, 1) ? obj : NULL;
}

/* The lists of one node, by kind. */
enum slab_list_kind { SLAB_PARTIAL, SLAB_FULL, SLAB_EMPTY, NR_SLAB_LISTS };

/* List @kind of @l. */
static struct list_head *node_list(struct slab_node_lists *l, enum slab_list_kind kind)
{
	return kind == SLAB_PARTIAL ? &l->partial : kind == SLAB_FULL ? &l->full : &l->empty;
}

static void node_lists_init(struct slab_node_lists *l)
{
	INIT_LIST_HEAD(&l->partial);
	INIT_LIST_HEAD(&l->full);
	INIT_LIST_HEAD(&l->empty);
	l->nr_empty = 0;
}

/*
 * Make every cache's lists of nodes 1.. usable: once, before the node
 * layer turns on.  Until then only list 0 is set up, in the cache for the
 * built-in ones (a one-node boot has nothing more).  Thread context.
 * Return: 0, or -ENOMEM (nothing changed).
 */
int slab_node_lists_init(void)
{
	struct slab_node_lists *arrays;
	struct kmem_cache *c;
	unsigned long flags;
	unsigned int k = 0;

	/* The built-in caches' arrays: one block, never freed. */
	arrays = kcalloc(NR_KMALLOC + 1, MAX_NUMNODES * sizeof(*arrays), GFP_KERNEL);
	if (!arrays)
		return -ENOMEM;
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		struct slab_node_lists *a = c->node;

		if (a == &c->node0) {
			/* NR_KMALLOC + 1 built-in caches, no other has node0 in use. */
			BUG_ON(k > NR_KMALLOC);
			a = &arrays[k++ * MAX_NUMNODES];
		}
		/*
		 * A created cache's list 0 is in use already; a built-in
		 * one's moves to a[0] below, which starts empty.
		 */
		unsigned int first = a == c->node ? 1 : 0;

		spin_lock(&c->lock);
		for (unsigned int nid = first; nid < MAX_NUMNODES; nid++)
			node_lists_init(&a[nid]);
		if (a != c->node) {
			/* List 0 moves to the array: its slabs come along. */
			for (enum slab_list_kind kind = 0; kind < NR_SLAB_LISTS; kind++)
				while (!list_empty(node_list(&c->node0, kind)))
					list_move_tail(node_list(&c->node0, kind)->next,
						       node_list(&a[0], kind));
			a[0].nr_empty = c->node0.nr_empty;
			c->node = a;
		}
		spin_unlock(&c->lock);
	}
	WRITE_ONCE(slab_nr_node_lists, MAX_NUMNODES);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return 0;
}

/*
 * File every slab of every cache on its own node's lists (I9): the slabs
 * made before the page allocator split its memory into nodes (it
 * allocates doing so) are all on list 0.  Once, when several memory nodes
 * come up; O(slabs).
 */
void slab_refile_nodes(void)
{
	struct kmem_cache *c;
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		spin_lock(&c->lock);
		/* The switch and the refile in one lock hold (I9). */
		c->nr_node_lists = MAX_NUMNODES;
		for (enum slab_list_kind kind = 0; kind < NR_SLAB_LISTS; kind++) {
			struct page *pg, *next;
			LIST_HEAD(all);

			for (int nid = 0; nid < (int)c->nr_node_lists; nid++) {
				struct list_head *l = node_list(&c->node[nid], kind);

				while (!list_empty(l))
					list_move_tail(l->next, &all);
				if (kind == SLAB_EMPTY)
					c->node[nid].nr_empty = 0;
			}
			list_for_each_entry_safe(pg, next, &all, slab_list) {
				list_move_tail(&pg->slab_list, node_list(slab_lists(c, pg), kind));
				if (kind == SLAB_EMPTY)
					slab_lists(c, pg)->nr_empty++;
			}
		}
		spin_unlock(&c->lock);
	}
	/* Caches created from now on use every node's lists at once. */
	slab_nodes_filed = true;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

/*
 * Give @n objects of @c straight back to their slabs (their home nodes'),
 * not to a tier, in one hold of its lock; interrupts off.  The slabs to
 * free go on @reap.
 */
void slab_put_home(struct kmem_cache *c, void *const *objs, unsigned int n,
		   struct list_head *reap)
{
	spin_lock(&c->lock);
	slab_put(c, objs, n, reap, EMPTY_KEEP);
	c->node_frees += n;
	c->node_puts++;
	spin_unlock(&c->lock);
}

/* Put a new slab on its node's empty list; lock held. */
void slab_publish(struct kmem_cache *c, struct page *pg)
{
	list_add(&pg->slab_list, &slab_lists(c, pg)->empty);
	slab_lists(c, pg)->nr_empty++;
	c->nr_empty++;
	c->nr_slabs++;
	c->nr_slab_free += c->objs;
	c->slabs_created++;
}

/*
 * Publish a new slab of @c whose objects all go to one taker at once, as
 * slab_publish() and then taking its whole freelist would, in one step:
 * straight onto its node's full list.  Lock held.  Return: the freelist.
 */
void *slab_publish_taken(struct kmem_cache *c, struct page *pg)
{
	void *objs = pg->freelist;

	list_add(&pg->slab_list, &slab_lists(c, pg)->full);
	c->nr_slabs++;
	c->slabs_created++;
	c->slab_allocs += c->objs;
	pg->freelist = NULL;
	pg->counters = c->objs;
	return objs;
}

/* Give every empty slab beyond @keep on each node back.  Return: pages freed. */
unsigned long cache_shrink(struct kmem_cache *c, unsigned int keep)
{
	LIST_HEAD(reap);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	for (int nid = 0; nid < (int)READ_ONCE(slab_nr_node_lists); nid++) {
		struct slab_node_lists *l = &c->node[nid];

		while (l->nr_empty > keep && !list_empty(&l->empty)) {
			struct page *pg = list_first_entry(&l->empty, struct page, slab_list);

			list_del(&pg->slab_list);
			list_add(&pg->slab_list, &reap);
			l->nr_empty--;
			c->nr_empty--;
			c->nr_slabs--;
			c->nr_slab_free -= c->objs;
			c->slabs_freed++;
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return slab_reap(c, &reap);
}

/* ---------------------------------------------------------------------
 * Tier 2: per-CPU arrays, and the bulk interface tier 1 uses
 */

/*
 * Up to @n objects from the slabs, growing the cache if needed; a new slab
 * is published and taken from in one lock hold, so other CPUs cannot
 * empty it first.  With several memory nodes, in this order: this CPU's
 * node's slabs, a new slab there, the other nodes' slabs, a new slab from
 * the next nodes by distance (I9); @local_failed: the caller's own try for
 * a new slab on this node just failed, skip it.  Any context.  Return: how
 * many (0: out of memory).
 */
unsigned int slab_get_bulk_from(struct kmem_cache *c, void **objs, unsigned int n, gfp_t gfp,
				bool local_failed)
{
	struct page *pg = NULL;
	unsigned long flags;
	unsigned int got;

	spin_lock_irqsave(&c->lock, flags);
	got = slab_take(c, slab_local_lists(c), objs, n);
	spin_unlock_irqrestore(&c->lock, flags);
	if (got)
		return got;
	if (!local_failed)
		pg = slab_new(c, slab_gfp_local(gfp));
	if (unlikely(!pg) && slab_multi_node() && !(gfp & __GFP_THISNODE)) {
		spin_lock_irqsave(&c->lock, flags);
		got = slab_take_other(c, objs, n);
		spin_unlock_irqrestore(&c->lock, flags);
		if (got)
			return got;
		pg = slab_new(c, gfp);
	}
	if (unlikely(!pg) && slab_multi_node()) {
		/* Every CPU's remote-free batches of @c back (any @gfp): look again. */
		slab_remote_flush(c);
		spin_lock_irqsave(&c->lock, flags);
		got = slab_take(c, slab_local_lists(c), objs, n);
		if (!got && !(gfp & __GFP_THISNODE))
			got = slab_take_other(c, objs, n);
		spin_unlock_irqrestore(&c->lock, flags);
		return got;
	}
	if (!pg)
		return 0;
	spin_lock_irqsave(&c->lock, flags);
	slab_publish(c, pg);
	got = slab_take(c, slab_lists(c, pg), objs, n);
	spin_unlock_irqrestore(&c->lock, flags);
	return got;
}

/* @n objects back: to this CPU's array if they fit, else to the slabs. */
void cache_put_bulk(struct kmem_cache *c, void *const *objs, unsigned int n)
{
	LIST_HEAD(reap);
	unsigned long flags;

	local_irq_save(flags);
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (!(c->flags & SLAB_NO_TIER2)) {
		struct array_cache *ac = cpu_ac(c, smp_processor_id());
		unsigned long *top = ac_top(c, ac);
		unsigned long base = ac_base(c), cnt = *top - base;

		if (cnt + n <= T2_LIMIT) {
			memcpy(&ac->entry[cnt], objs, n * sizeof(*objs));
			*top = base + cnt + n;
			local_irq_restore(flags);
			return;
		}
	}
#endif
	spin_lock(&c->lock);
	slab_put(c, objs, n, &reap, EMPTY_KEEP);
	spin_unlock(&c->lock);
	local_irq_restore(flags);
	slab_reap(c, &reap);
}

/* One object from tier 2 (or the slabs). */
void *cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (likely(!(c->flags & SLAB_NO_TIER2))) {
		unsigned long flags;
		unsigned long *top, base, cnt;
		struct array_cache *ac;
		void *obj;

		local_irq_save(flags);
		ac = cpu_ac(c, smp_processor_id());
		top = ac_top(c, ac);
		base = ac_base(c);
		cnt = *top - base;
		if (likely(cnt)) {
			obj = ac->entry[--cnt];
			*top = base + cnt;
			ac_hit(c, ac);
			local_irq_restore(flags);
			return obj;
		}
		ac->misses++;
		local_irq_restore(flags);
		/* Refill a batch; keep one, the rest go to the array. */
		void *objs[T2_BATCH];
		unsigned int n = slab_get_bulk(c, objs, T2_BATCH, gfp);

		if (!n)
			return NULL;
		if (n > 1)
			cache_put_bulk(c, objs + 1, n - 1);
		return objs[0];
	}
#endif
	void *obj;

	return slab_get_bulk(c, &obj, 1, gfp) ? obj : NULL;
}

/* One object to tier 2; a full array first drains its oldest batch. */
void cache_free(struct kmem_cache *c, void *obj)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	if (likely(!(c->flags & SLAB_NO_TIER2))) {
		LIST_HEAD(reap);
		unsigned long flags;
		unsigned long *top, base, cnt;
		struct array_cache *ac;

		local_irq_save(flags);
		ac = cpu_ac(c, smp_processor_id());
		top = ac_top(c, ac);
		base = ac_base(c);
		cnt = *top - base;
		if (unlikely(cnt == T2_LIMIT)) {
			spin_lock(&c->lock);
			slab_put(c, ac->entry, T2_BATCH, &reap, EMPTY_KEEP);
			spin_unlock(&c->lock);
			cnt -= T2_BATCH;
			memmove(ac->entry, ac->entry + T2_BATCH, cnt * sizeof(void *));
			ac->drains++;
		}
		ac->entry[cnt++] = obj;
		*top = base + cnt;
		local_irq_restore(flags);
		slab_reap(c, &reap);
		return;
	}
#endif
	cache_put_bulk(c, &obj, 1);
}

/* Empty one CPU's arrays and batches (that CPU with interrupts off, or not running). */
static void drain_cpu_arrays(unsigned int cpu)
{
	slab_remote_drain(cpu);
	large_cache_drain(cpu);
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct kmem_cache *c;
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		struct array_cache *ac = cpu_ac_any(c, cpu);
		LIST_HEAD(reap);

		if (!ac || !ac_count(c, ac))
			continue;
		spin_lock(&c->lock);
		/* Keep every empty slab here; kmem_drain_all() shrinks after. */
		slab_put(c, ac->entry, ac_count(c, ac), &reap, -1U);
		spin_unlock(&c->lock);
		*ac_top(c, ac) = ac_base(c);
		ac->drains++;
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
#else
	(void)cpu;
#endif
}

static void __maybe_unused drain_local(void *unused)
{
	unsigned long flags;

	(void)unused;
	local_irq_save(flags);
	drain_cpu_arrays(smp_processor_id());
	local_irq_restore(flags);
}

void kmem_drain_cpu(unsigned int cpu)
{
	if (cpu < NR_CPUS)
		drain_cpu_arrays(cpu);
}

/* Up to @n objects from this CPU's array only.  Return: how many. */
unsigned int t2_take(struct kmem_cache *c, void **objs, unsigned int n)
{
	unsigned int got = 0;
#ifdef CONFIG_SLAB_TIER_PERCPU
	unsigned long flags, *top, base, cnt;
	struct array_cache *ac;

	local_irq_save(flags);
	ac = cpu_ac(c, smp_processor_id());
	top = ac_top(c, ac);
	base = ac_base(c);
	cnt = *top - base;
	while (got < n && cnt)
		objs[got++] = ac->entry[--cnt];
	*top = base + cnt;
	if (got)
		ac_hit(c, ac);
	else
		ac->misses++;
	local_irq_restore(flags);
#else
	(void)c;
	(void)objs;
	(void)n;
#endif
	return got;
}

/*
 * Pages for the slow paths, from any zone (@gfp's zone bits are the
 * callers' business), silently: the callers log.  Only the context bit,
 * __GFP_THISNODE and __GFP_NORETRY go on: without __GFP_ATOMIC or
 * __GFP_NORETRY the page allocator may, before failing, drain the other
 * CPUs' caches (where interrupts are on, outside interrupt context).
 */
struct page *slab_alloc_pages(unsigned int order, gfp_t gfp)
{
	return alloc_pages((gfp & (__GFP_ATOMIC | __GFP_THISNODE | __GFP_NORETRY)) |
			   __GFP_NOWARN, order);
}

/*
 * @gfp for a new slab on this CPU's node only, with several memory nodes
 * (I9): one cheap try (__GFP_NORETRY), since a failure falls back to the
 * other nodes, whose attempt drains the caches if it must.
 */
gfp_t slab_gfp_local(gfp_t gfp)
{
	return slab_multi_node() && !(gfp & __GFP_THISNODE) ?
	       gfp | __GFP_THISNODE | __GFP_NORETRY : gfp;
}

unsigned long kmem_drain_all(void)
{
	struct kmem_cache *c;
	unsigned long flags, pages = 0;

	/* Quarantined objects first: they are in use as far as the tiers know. */
	kasan_quarantine_drain();
	kmem_flush_current();
#ifdef __HOSTED__
	/* Hosted "CPUs" are threads; the caller has joined the others. */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		drain_cpu_arrays(cpu);
#else
	on_each_cpu(drain_local, NULL, true);
#endif
	/* Tier 1's transfer lists (I12), walked outside slab_caches_lock. */
	slab_xfer_drain();
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		/* cache_shrink() takes c->lock; nesting in this order only. */
		pages += cache_shrink(c, 0);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return pages;
}

/* ---------------------------------------------------------------------
 * Cache set-up
 */

void cache_init(struct kmem_cache *c, const char *name, unsigned int flags,
		void (*ctor)(void *))
{
	unsigned long lf;

	c->name = name;
	c->flags = flags;
	c->ctor = ctor;
	c->t1 = -1;
	spin_lock_init(&c->lock);
	if (!c->node)
		c->node = &c->node0;
	spin_lock_irqsave(&slab_caches_lock, lf);
	for (unsigned int nid = 0; nid < slab_nr_node_lists; nid++)
		node_lists_init(&c->node[nid]);
	c->nr_node_lists = slab_nodes_filed ? MAX_NUMNODES : 1;
	list_add_tail(&c->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, lf);
}

/* I10: on once the node layer is (slab_node.c's initcall). */
DEFINE_STATIC_KEY_FALSE(slab_numa_free);

#ifdef SLAB_T1_FAST
/*
 * kfree() of a tier-1 kmalloc object (class @cls) with the node layer on:
 * another node's goes back to its slab (I10), this node's to the thread's
 * list.  Next to slab_node_free(), which it inlines.
 */
noinline void kfree_t1_node(const void *p, unsigned long cls)
{
	if (slab_node_free(&kmalloc_caches[cls], (void *)p))
		return;
	__kfree_t1_push(slab_cur_tc(), cls, p);
}
#endif

/*
 * I10, for the kfree() hit paths: no tier-1 or tier-2 object passes its
 * mask test any more, so each goes out of line to kfree_other_slow(),
 * which looks at the node.  Called before the static key turns on (until
 * then the slow path keeps a tier-1 or tier-2 object as the hit paths
 * did); a kfree() that read the old mask meanwhile keeps its object, as
 * one from before the switch.
 */
void slab_fast_free_off(void)
{
	for (unsigned int i = 0; i < NR_CLS; i++) {
		WRITE_ONCE(slab_t1_free_mask[i], ~0UL);
		WRITE_ONCE(t2_free_mask[i], ~0UL);
	}
}

/* Undo slab_fast_free_off() when the static key did not turn on. */
void slab_fast_free_on(void)
{
	for (unsigned int i = 0; i < NR_CLS; i++) {
		WRITE_ONCE(slab_t1_free_mask[i], t1_obj_mask[i]);
		WRITE_ONCE(t2_free_mask[i], t2_obj_mask[i]);
	}
}

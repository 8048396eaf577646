// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1 of the kernel allocator: each thread's cache of small objects
 * (16 .. 256 B), two lists per class, touched only by its thread (I4-I7 in
 * slab.h).  The hit paths are inline in <exo/slab.h> and slab.h; this is
 * the rest: creation, refill, flush, and the exit hook.  Full lists go
 * to, and refills take from, the transfer cache first (slab_xfer.c, I12).
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/string.h>

#include "slab.h"

/* A thread cache that is always empty and never has room: see I6. */
struct slab_tcache_hot slab_no_tcache __aligned(64) = {
	.left = { SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM,
		  SLAB_NO_ROOM },
	.room = { SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM, SLAB_NO_ROOM },
};

#ifndef __HOSTED__
DEFINE_PER_CPU(void *, slab_cur_cache) = &slab_no_tcache;
#else
__thread void *slab_cur_cache_tls = &slab_no_tcache;
#endif

LIST_HEAD(tcache_list);
DEFINE_SPINLOCK(tcache_list_lock);

const long slab_t1_limit[NR_T1] = {
	T1_LIMIT_OF(0), T1_LIMIT_OF(1), T1_LIMIT_OF(2), T1_LIMIT_OF(3), T1_LIMIT_OF(4),
};
BUILD_BUG_ON(NR_T1 != 5);

/*
 * Objects on thread list @i, both halves (I7).  Racy from another CPU:
 * between the owner's stores of a swap or a refill the counts can be off
 * by a list, and a failed fast-path "sub" leaves one at -1, so each half
 * is clamped to 0 .. T1_LIMIT_OF(i).
 */
unsigned long tc_cached(const struct slab_tcache *tc, int i)
{
	const long lim = (long)T1_LIMIT_OF(i);
	long freed = lim - READ_ONCE(tc->hot.room[i]);
	long head = READ_ONCE(tc->hot.left[i]);

	return (unsigned long)(clamp(freed, 0L, lim) + clamp(head, 0L, lim));
}

/* Set @t's cache; keeps the published pointer in step (I5). */
void tcache_set(struct task_struct *t, struct slab_tcache *tc)
{
	t->slab_cache = tc;
	/*
	 * The task field first: a switch between the two stores copies the
	 * new value, and until the second one a stale slab_no_tcache only
	 * sends this thread to the slow path, which reads the task field.
	 */
	barrier();
	if (t != current)
		return;
#ifndef __HOSTED__
	this_cpu_write(slab_cur_cache, slab_tc_publish(tc));
#else
	slab_cur_cache_tls = slab_tc_publish(tc);
#endif
}

static void tcache_create(struct task_struct *t);

/*
 * Slow-path tcache_get(): creates the cache on first use, unless @gfp
 * forbids waiting (creation allocates); NULL if unusable.
 */
struct slab_tcache *tcache_get_create(gfp_t gfp)
{
	struct task_struct *t;
	struct slab_tcache *tc;

	if (!TIER1 || in_interrupt())
		return NULL;
	t = current;
	if (!t)
		return NULL;
	/*
	 * Threads never migrate, so this only fires for a CPU whose per-CPU
	 * area still carries the boot CPU's current (an AP before
	 * sched_init_ap()): it must not share that thread's cache.
	 */
	if (WARN_ON_ONCE(t->cpu != smp_processor_id()))
		return NULL;
	tc = t->slab_cache;
	if (!tc) {
		if (!gfpflags_allow_blocking(gfp))
			return NULL;
		tcache_create(t);
		tc = t->slab_cache;
	}
	return tc_live(tc) ? tc : NULL;
}

static void tcache_create(struct task_struct *t)
{
	struct slab_tcache *tc;
	unsigned long flags;

	if (t->flags & PF_IDLE) {
		tcache_set(t, TC_DEAD);
		return;
	}
	tc = cache_alloc(&tcache_cache, GFP_KERNEL);
	if (!tc)
		return;		/* tier 2 until memory comes back */
	memset(tc, 0, sizeof(*tc));
	for (int i = 0; i < NR_T1; i++)
		tc->hot.room[i] = T1_LIMIT_OF(i);
	/* List 5, kmalloc(0)'s, never holds anything (I7). */
	tc->hot.left[NR_T1] = SLAB_NO_ROOM;
	tc->owner = t;
	tc->cpu = smp_processor_id();
	spin_lock_irqsave(&tcache_list_lock, flags);
	list_add(&tc->node, &tcache_list);
	spin_unlock_irqrestore(&tcache_list_lock, flags);
	tcache_set(t, tc);
}

/*
 * Head list @i and its count left[i] disagree: a count outside 0 ..
 * T1_LIMIT_OF(i), a count with no list, or a list with no count.  Only
 * memory corruption does that: a use after free that overwrote a listed
 * object's link (the list ends early), or a double free that made the
 * list a loop.  Reported; the list is dropped (its objects leak: some may
 * be in use) and the count zeroed, hits unchanged (I7).
 */
static void tcache_head_bad(struct slab_tcache *tc, unsigned long i)
{
	long left = tc->hot.left[i];

	slab_report("%s: thread list holds %s but counts %ld objects (use after free or double free?), list dropped\n",
		     kmalloc_caches[i].name, tc->hot.head[i] ? "a list" : "nothing", left);
	tc->hin[i] -= (unsigned long)left;
	tc->hot.left[i] = 0;
	tc->hot.head[i] = NULL;
}

/*
 * Give the whole list @list of class @i, of @len objects (I7), back to the
 * slabs (slab_put_chain(): a run of one slab's objects is spliced whole,
 * the lock is dropped every PUT_CHAIN_RUNS runs).  The list is taken
 * before the lock.  Return: objects given back.
 */
static unsigned long tcache_drain_list(int i, void **list, unsigned long len)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	void *p = *list;
	unsigned long n;
	LIST_HEAD(reap);

	if (!p)
		return 0;
	*list = NULL;
	n = slab_put_chain(c, p, len, &reap, EMPTY_KEEP);
	slab_reap(c, &reap);
	return n;
}

/* The freed list @i to the slabs; its room is whole again. */
static void tcache_drain(struct slab_tcache *tc, int i)
{
	long len = slab_t1_limit[i] - tc->hot.room[i];

	tc->hot.room[i] = slab_t1_limit[i];
	/* Its own bound: slab_put_chain() reports and leaks a longer list. */
	tcache_drain_list(i, &tc->hot.freed[i], (unsigned long)clamp(len, 0L, slab_t1_limit[i]));
}

/* Both lists of class @i to the slabs. */
static void tcache_flush_class(struct slab_tcache *tc, int i)
{
	long len = tc->hot.left[i];
	unsigned long err, n;

	tcache_drain(tc, i);
	if (unlikely(len < 0 || len > slab_t1_limit[i] || !len != !tc->hot.head[i])) {
		tcache_head_bad(tc, (unsigned long)i);
		return;
	}
	tc->hin[i] -= (unsigned long)len;
	tc->hot.left[i] = 0;
	err = kmem_error_count();
	n = tcache_drain_list(i, &tc->hot.head[i], (unsigned long)len);
	/* Shorter than its count (slab_put_chain() reported a loop itself). */
	if (unlikely(n != (unsigned long)len) && kmem_error_count() == err)
		slab_report("%s: thread list ends after %lu of its %ld objects (use after free?)\n",
			    kmalloc_caches[i].name, n, len);
}

/*
 * Refill the empty list @i in O(1): the freelist of one slab becomes the
 * list (both link through the same word), if all its free objects fit.
 * The first partial or empty slab of this CPU's node's lists (I9), or of
 * @fresh's when not NULL: a new slab to publish first.  Return: objects
 * moved.
 */
static unsigned int tcache_splice(struct slab_tcache *tc, int i, struct page *fresh)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	struct slab_node_lists *l;
	struct page *pg = NULL;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&c->lock, flags);
	if (fresh) {
		l = slab_lists(c, fresh);
		/*
		 * No partial slab to take first (nearly always: the caller saw
		 * none): all of the fresh slab, with no stop on the empty list.
		 * It fits: the caller made a fresh slab only for a class whose
		 * slab does (c->objs <= T1_LIMIT_OF(i)).
		 */
		if (likely(list_empty(&l->partial))) {
			n = c->objs;
			tc->hot.head[i] = slab_publish_taken(c, fresh);
			tc->hin[i] += n;
			tc->hot.left[i] += n;
			spin_unlock_irqrestore(&c->lock, flags);
			return n;
		}
		slab_publish(c, fresh);
	} else {
		l = slab_local_lists(c);
	}
	if (!list_empty(&l->partial))
		pg = list_first_entry(&l->partial, struct page, slab_list);
	else if (!list_empty(&l->empty))
		pg = list_first_entry(&l->empty, struct page, slab_list);
	if (pg && (long)(c->objs - pg->counters) <= slab_t1_limit[i]) {
		n = c->objs - (unsigned int)pg->counters;
		if (!pg->counters) {
			c->nr_empty--;
			l->nr_empty--;
		}
		tc->hot.head[i] = pg->freelist;
		tc->hin[i] += n;
		tc->hot.left[i] += n;
		pg->freelist = NULL;
		pg->counters = c->objs;
		list_del(&pg->slab_list);
		list_add(&pg->slab_list, &l->full);
		c->nr_slab_free -= n;
		c->slab_allocs += n;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return n;
}

/* Pop the head of the refilled list @i (not empty): a miss, not a hit. */
static void *tcache_pop(struct slab_tcache *tc, int i)
{
	void *obj = tc->hot.head[i];

	tc->hot.head[i] = *free_link(&kmalloc_caches[i], obj);
	tc->hin[i]--;
	tc->hot.left[i]--;
	return obj;
}

/*
 * Miss on list @i (both halves empty): this CPU's array first (objects
 * already hot here), then a whole list of the transfer cache (I12), then
 * a whole slab freelist, else a batch from the slabs.  Return: one
 * object, or NULL without memory.
 */
void *tcache_refill(struct slab_tcache *tc, int i, gfp_t gfp)
{
	struct kmem_cache *c = &kmalloc_caches[i];
	void *objs[T1_BATCH];
	bool local_failed = false;
	unsigned int n;

	/* Only after tcache_take(): both lists empty, or a bad head list (I7). */
	if (unlikely(tc->hot.left[i] | (long)tc->hot.head[i])) {
		void *obj;

		tcache_head_bad(tc, (unsigned long)i);
		obj = tcache_take(tc, (unsigned long)i);
		if (obj)
			return obj;
	}
	tc->misses[i]++;
	n = t2_take(c, objs, T1_BATCH);
	if (!n) {
		void *head;
		unsigned long len = slab_xfer_get(i, &head);

		if (len) {
			tc->hot.head[i] = head;
			tc->hin[i] += len;
			tc->hot.left[i] += (long)len;
			return tcache_pop(tc, i);
		}
	}
	if (!n && (long)c->objs <= slab_t1_limit[i]) {
		/*
		 * A glance at the lists first: when they are empty (a burst
		 * past the cache) that is one lock hold less per fresh slab.
		 * Racy, and either way right: a slab missed is used later, a
		 * slab seen but gone sends us to slab_new() all the same.
		 */
		struct slab_node_lists *l = data_race(slab_local_lists(c));

		if (data_race(!list_empty(&l->partial) || !list_empty(&l->empty)) &&
		    tcache_splice(tc, i, NULL))
			return tcache_pop(tc, i);
		/* Not from another node: slab_get_bulk() below goes there if it must. */
		struct page *pg = slab_new(c, slab_gfp_local(gfp));

		if (pg && tcache_splice(tc, i, pg))
			return tcache_pop(tc, i);
		local_failed = !pg;
	}
	if (!n)
		n = slab_get_bulk_from(c, objs, T1_BATCH, gfp, local_failed);
	if (!n)
		return NULL;
	for (unsigned int k = n; k-- > 1;) {
		*free_link(c, objs[k]) = tc->hot.head[i];
		tc->hot.head[i] = objs[k];
	}
	tc->hin[i] += n - 1;
	tc->hot.left[i] += n - 1;
	return objs[0];
}

static void tcache_flush_all(struct slab_tcache *tc)
{
	for (int i = 0; i < NR_T1; i++)
		tcache_flush_class(tc, i);
}

/*
 * The full freed list @i to the transfer cache in O(1) (I12).  Return:
 * false if it has no room (or the count is bad): the caller walks it
 * back to the slabs.  Between slab_xfer_put() and the stores below a
 * statistics read on another CPU can count the list twice (objs_xfer and
 * this thread's room[i]): harmless, tc_cached() clamps and such reads are
 * racy snapshots anyway.
 */
static bool tcache_xfer_put(struct slab_tcache *tc, int i)
{
	long len = slab_t1_limit[i] - tc->hot.room[i];

	if (!slab_xfer_put(i, tc->hot.freed[i], (unsigned long)clamp(len, 0L, slab_t1_limit[i])))
		return false;
	tc->hot.freed[i] = NULL;
	tc->hot.room[i] = slab_t1_limit[i];
	return true;
}

/*
 * Push @obj on freed list @i; a full list goes whole to the transfer
 * cache first, else to the slabs.
 */
void tcache_push(struct slab_tcache *tc, int i, void *obj)
{
	if (tc->hot.room[i] <= 0) {
		tc->flushes[i]++;
		if (!tcache_xfer_put(tc, i))
			tcache_drain(tc, i);
	}
	tc->hot.room[i]--;
	*free_link(&kmalloc_caches[i], obj) = tc->hot.freed[i];
	tc->hot.freed[i] = obj;
}

/* Exit hook: the thread's cache goes back and it never gets another. */
static void slab_task_exit(struct task_struct *t)
{
	struct slab_tcache *tc = t->slab_cache;
	unsigned long flags;

	tcache_set(t, TC_DEAD);
	if (!tc_live(tc))
		return;
	tcache_flush_all(tc);
	spin_lock_irqsave(&tcache_list_lock, flags);
	list_del(&tc->node);
	for (int i = 0; i < NR_T1; i++) {
		struct slab_cpu_stats *st = &kmalloc_caches[i].stats[tc->cpu];

		st->t1_hits += tc_hits(tc, i);
		st->t1_misses += tc->misses[i];
		st->t1_flushes += tc->flushes[i];
	}
	spin_unlock_irqrestore(&tcache_list_lock, flags);
	/* I10: another node's tcache goes home, not into this CPU's tier 2. */
	if (!(slab_multi_node() && slab_node_free(&tcache_cache, tc)))
		cache_free(&tcache_cache, tc);
}

static struct task_exit_hook slab_exit_hook = { .fn = slab_task_exit };

void kmem_flush_current(void)
{
	struct slab_tcache *tc = tcache_get();

	if (tc)
		tcache_flush_all(tc);
}

/* Register the exit hook (once: the hosted build initialises again). */
void slab_tcache_init(void)
{
	static bool exit_hook_registered;

	INIT_LIST_HEAD(&tcache_list);
	slab_xfer_init();
	if (TIER1 && !exit_hook_registered) {
		register_task_exit_hook(&slab_exit_hook);
		exit_hook_registered = true;
	}
}

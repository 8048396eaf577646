/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel allocator's private declarations, shared by its files:
 *
 *   slab_common.c  kmalloc size classes, kmalloc/kfree and friends,
 *                  pointer classification
 *   slab_krealloc.c  krealloc (slab_kmalloc.h: what it shares with
 *                  slab_common.c)
 *   slab_cache_api.c  the typed-cache API (kmem_cache_*())
 *   slab_large.c   tier 3: kmalloc of whole page blocks, the per-CPU block
 *                  cache (inline parts: slab_large.h)
 *   slab.c         slabs, tier 2 (per-CPU arrays), cache registration,
 *                  reclaim
 *   slab_init.c    cache geometry, the class map, kmem_cache_init()
 *   slab_tcache.c  tier 1 (thread caches)
 *   slab_xfer.c    tier 1's transfer cache of whole lists (I12)
 *   slab_debug.c   CONFIG_SLAB_DEBUG (poison, red zones, call sites),
 *                  exception/NMI refusals, kmem_check()
 *   slab_stats.c   counters and the slabinfo shell command
 *   slab_node.c, slab_remote.c  the NUMA node layer: kmalloc_node(),
 *                  remote frees batched per CPU (I10)
 *
 * A 3-tier kmalloc over slabs, plus typed caches.
 *
 * Goal: the common small kmalloc/kfree pair costs a handful of plain loads
 * and stores, every context (threads, interrupt handlers, early boot, any
 * CPU freeing anything) is correct, and a bad pointer is refused, never
 * followed.  See Documentation/mm/slab.rst.
 *
 * Layers, top to bottom:
 *
 *   tier 1  struct slab_tcache hanging off current->slab_cache: two lists
 *           per small class (16..256 B), linked through the free objects:
 *           kmalloc pops head[], kfree pushes on freed[], and an empty
 *           head[] takes over freed[] whole (<exo/slab.h> says why two).
 *           Touched ONLY by its owning thread, never from an
 *           interrupt handler (they see slab_no_tcache, I5, and use tier
 *           2), so a hit needs no lock, no atomic and no interrupt-flag
 *           change; the hit paths are inline in <exo/slab.h>.  A
 *           thread preempted half-way through a pop or push is resumed
 *           later on the same CPU (threads never migrate) and finishes it;
 *           whatever ran meanwhile used its own thread cache or tier 2.
 *   tier 2  struct array_cache, one per cache per CPU (the kmalloc caches'
 *           in per-CPU memory, kmalloc_ac[]): a stack of object
 *           pointers, used on that CPU only, with local interrupts
 *           disabled, except for the kmalloc caches' hit paths, which
 *           are restartable sequences (<asm/pcp.h>; I11).  Refilled
 *           from / drained to the slabs in batches.
 *   slabs   pages from the buddy allocator, tagged PAGE_TYPE_SLAB, with
 *           the free objects of each slab linked from page->freelist and
 *           the number in use in page->counters; every slab is on exactly
 *           one of its node's partial/full/empty lists (c->node[], I9).
 *           All of it only under the cache's lock (taken with interrupts
 *           disabled).
 *   tier 3  kmalloc above 4 KiB: a buddy block tagged PAGE_TYPE_LARGE_KMALLOC,
 *           whose head records the order.
 *
 * Remote frees: an object freed by another thread or CPU of the same memory
 * node simply enters the freeing thread's cache (or the freeing CPU's
 * array); one of another node's slab goes back to its slab through the
 * freeing CPU's remote-free batch (I10).  Caches hold objects that are
 * "allocated" from the slabs' point of view, so no cache ever touches
 * memory another CPU owns, and a slab's
 * freelist only changes under its lock.  Objects thus migrate between
 * caches; the batch limits bound how many any cache holds, and exiting
 * threads and kmem_drain_all() give them back.
 *
 * Invariants:
 *   I1  slab_class_map[pfn] != CLS_NONE iff pfn belongs to a slab; the
 *       value is the kmalloc class (0..8) or, for typed caches, CLS_TYPED
 *       + the slab order.  Written before a slab is published, cleared
 *       before its pages go back to the buddy.
 *   I2  a slab's objects are: on its freelist (counted by objs - inuse),
 *       or allocated, or cached in a tier-1 list / tier-2 array /
 *       remote-free batch (all count as in use for the slab).
 *   I3  c->nr_slabs = partial + full + empty slabs of every node;
 *       c->nr_empty slabs have inuse == 0 and are on the nodes' empty
 *       lists, node[nid].nr_empty on each; at most SLAB_EMPTY_KEEP per
 *       node stay there after a free.
 *   I4  tier 1 is only reached with current != NULL, outside interrupt
 *       context, with current->slab_cache pointing at the thread's own
 *       cache; NULL means "none yet", TC_DEAD "never" (idle, exited).
 *   I5  the cache pointer of the fast paths (per-CPU slab_cur_cache; hosted:
 *       the thread-local slab_cur_cache_tls) is never NULL.  In thread
 *       context it equals slab_tc_publish(current->slab_cache): the live
 *       cache, or slab_no_tcache for NULL/TC_DEAD; in an interrupt,
 *       exception or NMI handler it is slab_no_tcache (do_interrupt() saves,
 *       replaces and restores it, nested handlers likewise, and restores it
 *       before any preemption on the way out).  Exceptions: inside __schedule()
 *       between its two stores (interrupts off, no kmalloc there) and
 *       inside tcache_set() (where the stale value is slab_no_tcache: slow
 *       path, which reads the task field).
 *   I6  slab_no_tcache's lists are always empty and its left and room
 *       words always negative (about SLAB_NO_ROOM: every "sub" on one is
 *       followed by the slow path storing SLAB_NO_ROOM back, so racing CPUs
 *       can only push it a few units lower), so no fast path ever pops or
 *       pushes on it.
 *       A thread's own words are only written by that thread, outside
 *       interrupt handlers: their updates need no atomicity.
 *   I7  for a live thread cache and each class i: freed[i] holds
 *       T1_LIMIT_OF(i) - room[i] objects and head[i] holds left[i], each
 *       at most T1_LIMIT_OF(i); hin[i] - left[i] is the number of hits
 *       (hin: objects the slow paths put on head[], net of flushes and
 *       refill misses; without the fast paths (SLAB_DEBUG, KASAN) also
 *       one per hit taken from freed[], which tcache_take() pops first
 *       there and which never passes through head[]).  A fast path's failed "sub" leaves left[i] or
 *       room[i] at -1 until the slow path it calls adds the 1 back, first
 *       thing.  left[5], kmalloc(0)'s list, stays about SLAB_NO_ROOM, as
 *       in slab_no_tcache.
 *   I8  nothing is allocated or freed from an exception or NMI handler
 *       (in_trap()): those interrupt anything, a tier-2 section with
 *       interrupts off or a cache lock held on this CPU included.  They
 *       see slab_no_tcache (do_interrupt() hides the thread cache for
 *       vectors 0-31 as for interrupts), so the tier-1 fast paths miss,
 *       and every out-of-line entry refuses them first, NULL included:
 *       NULL, or the object left allocated, with a report.  The fast paths cost
 *       nothing for it; the tier-2 hits one test of the preempt count.
 *   I9  a slab is on the lists of its own memory node, slab_lists(c, pg):
 *       page_to_nid() of its pages once the cache's slabs are filed per
 *       node, list 0 before.  The early initcall slab_numa_init() files
 *       each cache (slab_refile_nodes()) and switches it to per-node lists
 *       (c->nr_node_lists) in one hold of its lock, so every list choice,
 *       made under that lock, sees one layout; the static key is only for
 *       the free fast paths (I10).  Refills take from the refilling CPU's
 *       node's lists (slab_local_lists()) first, and new slabs come from
 *       that node first.
 *   I10 with the node layer on (static key slab_numa_free), a free never
 *       puts another node's slab object into a tier: every free of one,
 *       fast paths and a dead thread's own tcache included, goes to the
 *       freeing CPU's remote-free batch of its cache (slab_node_free(),
 *       slab_remote.c: at most REMOTE_SLOTS caches of REMOTE_BATCH
 *       objects, in use for their slabs as in a tier, I2), which goes
 *       back to the slabs in one lock hold when full, when evicted, at
 *       every CPU drain and page-allocator drain (drain_local_pages()),
 *       and, every CPU's batches of the cache, before a slab allocation
 *       of any gfp fails (slab_remote_flush(): each CPU's batches have a
 *       lock, so no cross-CPU call is needed).  The tiers can still hold other
 *       nodes' objects that got there otherwise: refills while the CPU's
 *       node had no memory left (they take from the other nodes), a
 *       thread's tier-1 lists after it moved to a CPU of another node
 *       (they are the thread's, not the CPU's), and other threads' tier-1
 *       lists filled before the switch (the initcall drains every CPU's
 *       tier 2 and its own thread's tier 1 only).  Large kmalloc blocks
 *       are not slab objects: the freeing CPU's large-block cache keeps
 *       one per order whatever its node.
 *   I11 a tier-2 array changes only on its own CPU, either with local
 *       interrupts disabled or (the kmalloc caches' pop and push hits,
 *       t2_pop_kmalloc() and t2_push_kmalloc()) in a restartable
 *       sequence whose only store that counts is its last instruction,
 *       the update of the array's count (kmalloc_t2.top[]): an interrupt
 *       that lands inside one before it sends it back to its start
 *       (do_interrupt()), so a handler's own
 *       kmalloc/kfree (or another thread's, after a preemption there)
 *       comes wholly before or after it.  Exceptions and NMIs are not
 *       rewound: I8 keeps them off the arrays.
 *   I12 each tier-1 class has a transfer cache (slab_xfer.c): per memory
 *       node a stack of at most XFER_SLOTS whole thread lists put by
 *       its CPUs, each with its exact length, changed only under
 *       the class's lock; so at most XFER_SLOTS * T1_LIMIT_OF(i) objects
 *       of class i per memory node.  A full freed list goes on the stack
 *       of its CPU's numa_mem_id() in O(1) (tcache_push()) before it is
 *       walked back to the slabs, a refill takes the top list of its
 *       CPU's numa_mem_id() in O(1) (tcache_refill()), neither looks at
 *       another node's stack; kmem_drain_all() gives them all
 *       back (slab_xfer_drain(), before slab_caches_lock, one list per
 *       lock hold); their objects count as cached (I2, objs_cached).
 *       A list there is walked only by kmem_drain_all() and, when node 0
 *       has no memory, by slab_xfer_nodes_init() for node 0's stacks
 *       alone (xfer_drain_node(), at boot, outside slab_caches_lock): a
 *       loop a double free made in it is reported when the refill that
 *       took it has popped its count and a head is left (tcache_take()
 *       returns NULL over a head with a count of 0, tcache_refill()
 *       reports it), or by slab_put_chain() when either gives it back.
 */
#ifndef _MM_SLAB_H
#define _MM_SLAB_H

#include <exo/bug.h>
#include <exo/kernel.h>
#include <exo/jump_label.h>
#include <exo/list.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <asm/pcp.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#ifdef __HOSTED__
#include <asm/hosted.h>
#endif

#ifdef CONFIG_HOSTED_GLUE
/*
 * tests/hosted/kmalloc_glue.c: a host thread's first call makes it a hosted
 * CPU with a `current`.  Only the out-of-line entry points check: until
 * then the thread's cache pointer is slab_no_tcache, so no tier-1 fast
 * path hits, and its preempt count holds one trap level
 * (HOSTED_PREEMPT_INIT), so that the in_trap() test of a hit path
 * (slab_trap_entry_tail()) catches it too.
 */
extern __thread int hosted_glue_ready;
void hosted_glue_thread_init(void);
#define slab_entry()	do { if (unlikely(!hosted_glue_ready)) hosted_glue_thread_init(); } while (0)
/*
 * The in_trap() test of a hit path that must keep nothing across a call:
 * in a trap, return @trap; a thread not set up yet (in_trap() too, see
 * above) instead makes a tail call to @first(...), which sets the thread
 * up and calls the entry again.
 */
#define slab_trap_entry_tail(trap, first, ...) do {			\
	if (unlikely(in_trap())) {					\
		if (unlikely(!hosted_glue_ready))			\
			return first(__VA_ARGS__);			\
		return trap;						\
	}								\
} while (0)
#else
#define slab_entry()	do { } while (0)
#define slab_trap_entry_tail(trap, first, ...) do {			\
	if (unlikely(in_trap()))					\
		return trap;						\
} while (0)
#endif


#define T1_BATCH	CONFIG_SLAB_TIER_THREAD_BATCH
#define T1_LIMIT	CONFIG_SLAB_TIER_THREAD_LIMIT
#define T1_BYTES	CONFIG_SLAB_TIER_THREAD_BYTES
/* Length bound of thread list @i (objects of 16 << @i bytes). */
#define T1_FIT(i)	((unsigned int)(T1_BYTES >> (4 + (i))))
#define T1_LIMIT_OF(i)	(T1_FIT(i) > T1_LIMIT ? T1_LIMIT : T1_FIT(i) < T1_BATCH ? T1_BATCH : T1_FIT(i))
/* Thread lists each tier-1 class's transfer cache holds per memory node (slab_xfer.c). */
#define XFER_SLOTS	CONFIG_SLAB_TIER_THREAD_XFER
#define T2_BATCH	CONFIG_SLAB_TIER_PERCPU_BATCH
#define T2_LIMIT	CONFIG_SLAB_TIER_PERCPU_LIMIT
#define EMPTY_KEEP	CONFIG_SLAB_EMPTY_KEEP
/* slab_put_chain(): runs given back per hold of the cache lock. */
#define PUT_CHAIN_RUNS	64

#define TIER1		IS_ENABLED(CONFIG_SLAB_TIER_THREAD)
#define TIER2		IS_ENABLED(CONFIG_SLAB_TIER_PERCPU)
#define DEBUG		IS_ENABLED(CONFIG_SLAB_DEBUG)
#if defined(CONFIG_KASAN) && !defined(__HOSTED__)
#define KASAN		1
#else
#define KASAN		0
#endif

#define NR_KMALLOC	9		/* 16 .. 4096 */
#define NR_T1		5		/* 16 .. 256 */
/* Class map values: 0..8 kmalloc class, CLS_TYPED + order, CLS_NONE. */
#define CLS_TYPED	9
#define CLS_NONE	15
#define NR_CLS		16
#define MAX_SLAB_ORDER	3
/* Internal c->flags bits (kmem_cache_create() refuses them). */
#define SLAB_KMALLOC_AC	0x80000000u	/* arrays in kmalloc_ac: see pcpu_ac */
#define SLAB_KMALLOC	0x40000000u	/* a built-in kmalloc cache */
/* Caches whose kmem_cache_alloc/free take the slow path (kmalloc's own). */
#define SLAB_TYPED_SLOW	(SLAB_NO_TIER2 | SLAB_KMALLOC_AC | SLAB_KMALLOC)

BUILD_BUG_ON(T1_BATCH > T1_LIMIT);
BUILD_BUG_ON(T2_BATCH > T2_LIMIT);

/* Debug patterns. */
#define POISON_FREE	0x6b
#define REDZONE_BYTE	0xbb
#define REDZONE_WORD	0xbbbbbbbbbbbbbbbbULL
#define STATE_FREE	0x5ab1ef4eeUL
#define STATE_ALLOC	0x5ab1a110cUL

/*
 * CONFIG_SLAB_DEBUG: after each object, a pad starting with this record;
 * the rest of the pad is red zone.  The free-list link lives in the pad,
 * so the whole object can be poisoned.
 */
struct slab_track {
	u64 redzone;
	unsigned long state;		/* STATE_FREE / STATE_ALLOC */
	unsigned long alloc_ip;
	unsigned long free_ip;
	void *link;
};

/* Tier-1 counters of thread caches that are gone, per CPU. */
struct slab_cpu_stats {
	unsigned long t1_hits, t1_misses, t1_flushes;
};

/*
 * Not __aligned(64): list_for_each_entry() forms a struct kmem_cache
 * pointer from the list head, which UBSan rejects for over-aligned types.
 * Neighbouring CPUs' arrays share at most one cache line at their edges.
 */
/*
 * A power of two in size (the entries beyond T2_LIMIT are slack), so that
 * finding this CPU's array is one shift.
 */
#define AC_HEADER	32
#define AC_BYTES_MIN	(AC_HEADER + T2_LIMIT * 8)
#define AC_BYTES	(AC_BYTES_MIN <= 256 ? 256 : AC_BYTES_MIN <= 512 ? 512 :	\
			 AC_BYTES_MIN <= 1024 ? 1024 : AC_BYTES_MIN <= 2048 ? 2048 :	\
			 AC_BYTES_MIN <= 4096 ? 4096 : 8192)
struct array_cache {
	/*
	 * Objects in entry[] of a typed cache's array, a word that the hit
	 * paths index with as is.  The kmalloc arrays count in
	 * kmalloc_t2.top[] instead and
	 * leave it 0: read a count through ac_top() or ac_count().
	 */
	unsigned long avail;
	unsigned long hits, misses, drains;
	void *entry[(AC_BYTES - AC_HEADER) / 8];
};
BUILD_BUG_ON(sizeof(struct array_cache) != AC_BYTES);

/* The slabs of one memory node (Linux's struct kmem_cache_node). */
struct slab_node_lists {
	struct list_head partial, full, empty;
	unsigned long nr_empty;		/* slabs on empty; at most EMPTY_KEEP after a free */
};

struct kmem_cache {
	unsigned int size;		/* object size (ksize) */
	unsigned int stride;		/* slot size in the slab */
	unsigned int order;		/* slab order */
	unsigned int objs;		/* objects per slab */
	unsigned int link_off;		/* free-list link offset in a free slot */
	unsigned int cls;		/* class map value */
	unsigned int flags;
	int t1;				/* tier-1 list, -1 if none */
	/* kmem_cache_free()'s object check (cache_layout()), see typed_obj_of() */
	unsigned long pfn_mask;		/* ~(frames per slab - 1) */
	unsigned long off_mask;		/* bytes per slab - 1 */
	unsigned long objs_end;		/* objs * stride */
	unsigned long stride_magic;	/* off % stride == 0 iff off * magic < magic */
	void (*ctor)(void *obj);
	const char *name;
	struct list_head list;		/* all caches */

	spinlock_t lock;		/* everything below except stats/cpu */
	unsigned long nr_slabs, nr_empty, nr_slab_free;
	unsigned long slab_allocs, slab_frees, slabs_created, slabs_freed;
	unsigned long node_frees;	/* objects sent home by slab_node_free() */
	unsigned long node_puts;	/* lock holds that sent them (batches) */
	unsigned long take_steps;	/* slabs slab_take() looked at (I9: O(1) each) */
	/*
	 * I9: the lists of each node, those below slab_nr_node_lists set up.
	 * &node0 until the node layer turns on (the built-in caches), or an
	 * array of MAX_NUMNODES after the cache (kmem_cache_create()); only
	 * changed and read under the lock.
	 */
	struct slab_node_lists *node;
	struct slab_node_lists node0;
	/*
	 * The lists in use: 1 (list 0 for every slab) until
	 * slab_refile_nodes() files the cache's slabs per node and sets
	 * MAX_NUMNODES in the same lock hold.  Chosen by this, not by the
	 * static key, whose sites switch one by one (I9).
	 */
	unsigned int nr_node_lists;

	struct slab_cpu_stats stats[NR_CPUS];
#ifdef CONFIG_SLAB_TIER_PERCPU
	/*
	 * The kmalloc caches' arrays are per-CPU variables (kmalloc_ac, flag
	 * SLAB_KMALLOC_AC); the typed caches' are cpu_ac[].
	 */
	struct array_cache __percpu *pcpu_ac;
	struct array_cache cpu_ac[NR_CPUS];	/* the others' */
#endif
};

#ifdef CONFIG_SLAB_TIER_PERCPU
/*
 * Tier-2 arrays of the kmalloc caches, in each CPU's per-CPU area: the
 * fast paths find this CPU's array of class i from the per-CPU base and
 * i alone, with no CPU-number multiply.  A CPU that was never brought up
 * has no area: cpu_ac_any() gives NULL for it.  The hosted build has the
 * same arrays and counts: its <asm/pcp.h> runs the sequences below as
 * plain per-thread accesses (a hosted CPU is one thread).
 */
DECLARE_PER_CPU(struct array_cache, kmalloc_ac[NR_KMALLOC]);

/*
 * The kmalloc caches' counts and hit counts are not kept in their arrays
 * (whose avail and hits stay unused) but here, indexed by the bit length
 * of (size - 1), which is the class + 3 (KT2_IDX()): kmalloc() indexes
 * them with its bsr of the size, kfree() with its class byte, each by one
 * scaled index, no class * AC_BYTES to form.  top[] is the index of the
 * next free entry as a word of kmalloc_ac[] (class k's entries start at
 * word KT2_BASE(k)), so that an entry is one scaled index too;
 * kmalloc_t2_bottom[] and kmalloc_t2_limit[] (constant tables) give each
 * array's first word and the top a push may not start from.  Indexes
 * 0..2 are no class: their top and bottom stay 0, an empty array.
 */
#define SLAB_KT2
#define KT2_N		(NR_KMALLOC + 3)
#define KT2_IDX(k)	((k) + 3)
#define KT2_BASE(k)	(((k) * AC_BYTES + AC_HEADER) / 8)
struct kmalloc_t2 {
	unsigned long top[KT2_N];
	unsigned long hits[KT2_N];
};
DECLARE_PER_CPU(struct kmalloc_t2, kmalloc_t2);
extern const unsigned long kmalloc_t2_bottom[KT2_N];
extern const unsigned long kmalloc_t2_limit[KT2_N];

static __always_inline struct array_cache *cpu_ac(struct kmem_cache *c, unsigned int cpu)
{
	if (c->pcpu_ac)
		return per_cpu_ptr(c->pcpu_ac, cpu);
	return &c->cpu_ac[cpu];
}

#ifdef SLAB_KT2
/*
 * The kmalloc_t2 of the per-CPU area that holds kmalloc array @ac of
 * @c: both are per-CPU variables, so their distance is that of the
 * template's copies, whatever the CPU (no per-CPU offset to look up).
 */
static __always_inline struct kmalloc_t2 *ac_kt2(const struct kmem_cache *c,
						 const struct array_cache *ac)
{
	return (struct kmalloc_t2 *)((unsigned long)ac + ((__force unsigned long)&kmalloc_t2 -
				     (__force unsigned long)&kmalloc_ac[c->cls]));
}
#endif

/*
 * The word that counts the objects of @c's array @ac (its CPU with
 * interrupts off, or a racy statistic), and what it holds for an empty
 * array: the kmalloc caches keep it in kmalloc_t2 (the count plus their
 * first entry's word index), the typed caches in the array (the count).
 */
static __always_inline unsigned long *ac_top(const struct kmem_cache *c, struct array_cache *ac)
{
#ifdef SLAB_KT2
	if (c->flags & SLAB_KMALLOC_AC)
		return &ac_kt2(c, ac)->top[KT2_IDX(c->cls)];
#endif
	return &ac->avail;
}

static __always_inline unsigned long ac_base(const struct kmem_cache *c)
{
#ifdef SLAB_KT2
	if (c->flags & SLAB_KMALLOC_AC)
		return KT2_BASE(c->cls);
#endif
	(void)c;
	return 0;
}

/* The objects in @c's array @ac (a racy read unless on its CPU with interrupts off). */
static __always_inline unsigned long ac_count(const struct kmem_cache *c,
					      const struct array_cache *ac)
{
#ifdef SLAB_KT2
	if (c->flags & SLAB_KMALLOC_AC)
		return READ_ONCE(ac_kt2(c, ac)->top[KT2_IDX(c->cls)]) - KT2_BASE(c->cls);
#endif
	return READ_ONCE(ac->avail);
}

/* The hit count of @c's array @ac (a racy read, for statistics). */
static __always_inline unsigned long ac_hits(const struct kmem_cache *c,
					     const struct array_cache *ac)
{
#ifdef SLAB_KT2
	if (c->flags & SLAB_KMALLOC_AC)
		return READ_ONCE(ac_kt2(c, ac)->hits[KT2_IDX(c->cls)]);
#endif
	return READ_ONCE(ac->hits);
}

/* Count a hit of @c's array @ac: its CPU, interrupts off. */
static __always_inline void ac_hit(const struct kmem_cache *c, struct array_cache *ac)
{
#ifdef SLAB_KT2
	if (c->flags & SLAB_KMALLOC_AC) {
		ac_kt2(c, ac)->hits[KT2_IDX(c->cls)]++;
		return;
	}
#endif
	ac->hits++;
}

struct array_cache *cpu_ac_any(struct kmem_cache *c, unsigned int cpu);
#endif

/* Tier 1: a thread's cache. */
struct slab_tcache {
	struct slab_tcache_hot hot;	/* first: what the inline fast paths see */
	unsigned long hin[NR_T1];	/* I7 */
	unsigned long misses[NR_T1];
	unsigned long flushes[NR_T1];
	struct task_struct *owner;
	unsigned int cpu;
	struct list_head node;		/* tcache_list */
};

BUILD_BUG_ON(NR_T1 != SLAB_T1_CLASSES);
BUILD_BUG_ON(offsetof(struct slab_tcache, hot) != 0);

/* current->slab_cache of a thread that must never get one (idle, exited). */
#define TC_DEAD		((struct slab_tcache *)1UL)

extern struct kmem_cache kmalloc_caches[NR_KMALLOC];
extern struct kmem_cache tcache_cache;
/* Every cache, under slab_caches_lock; the live thread caches, under tcache_list_lock. */
extern struct list_head slab_caches;
extern spinlock_t slab_caches_lock;
extern unsigned int slab_nr_node_lists;
extern struct list_head tcache_list;
extern spinlock_t tcache_list_lock;
/*
 * (ptr & t2_obj_mask[cls]) == 0 iff ptr starts a tier-2 kmalloc object;
 * t2_free_mask is the same on one memory node, ~0 with the node layer on
 * (the tier-2 kfree() hit tests it: I10 out of line).
 */
extern unsigned long t2_free_mask[NR_CLS];
extern unsigned long t2_obj_mask[NR_CLS];
/* (ptr & t1_obj_mask[cls]) == 0 iff ptr starts a tier-1 kmalloc object. */
extern unsigned long t1_obj_mask[NR_CLS];
extern unsigned long slab_errors;
/*
 * Pages held by tier 3.  One atomic, not a per-CPU counter: an AP's per-CPU
 * area starts as a copy of the boot CPU's, which would count twice.
 */
extern long large_pages;
void large_cache_init(void);
void large_cache_drain(unsigned int cpu);
unsigned long large_cache_pages(void);
unsigned long large_cache_cpu_pages(unsigned int cpu);
bool cpu_has_area(unsigned int cpu);
extern bool slab_ready;
extern struct ratelimit_state slab_rs;

/* Class 0..8 of a size 1..4096: 16 << class >= size. */
static __always_inline unsigned int kmalloc_class(size_t size)
{
	return (unsigned int)(63 - __builtin_clzl((size - 1) | 15)) - 3;
}

/* Byte offset of a direct-map address in the direct map; huge for anything else. */
static __always_inline unsigned long addr_off(const void *p)
{
#ifdef __HOSTED__
	return (unsigned long)p - (unsigned long)hosted_ram_base;
#else
	return (unsigned long)p - PAGE_OFFSET;
#endif
}

/* Frame number of a direct-map address; huge for anything else. */
static __always_inline unsigned long addr_pfn(const void *p)
{
	return addr_off(p) >> PAGE_SHIFT;
}

/*
 * Does the node layer run (I9, I10)?  From the early initcall on with
 * several memory nodes; off, each test is a 5-byte NOP.
 */
static __always_inline bool slab_multi_node(void)
{
	return static_branch_unlikely(&slab_numa_free);
}

/* The lists @pg belongs on (I9); @c's lock held. */
static __always_inline struct slab_node_lists *slab_lists(struct kmem_cache *c,
							 const struct page *pg)
{
	return &c->node[c->nr_node_lists > 1 ? page_to_nid(pg) : 0];
}

/* The lists of @c a refill on this CPU takes from first (I9); lock held. */
static __always_inline struct slab_node_lists *slab_local_lists(struct kmem_cache *c)
{
	return &c->node[c->nr_node_lists > 1 ? numa_mem_id() : 0];
}

static __always_inline void **free_link(const struct kmem_cache *c, const void *obj)
{
	return (void **)((char *)obj + c->link_off);
}

static __always_inline bool tc_live(const struct slab_tcache *tc)
{
	return (unsigned long)tc > (unsigned long)TC_DEAD;
}

/* The thread cache the fast paths see, NULL for slab_no_tcache (I5). */
static __always_inline struct slab_tcache *tcache_cur(void)
{
	struct slab_tcache_hot *h = slab_cur_tc();

	return h == &slab_no_tcache ? NULL : container_of(h, struct slab_tcache, hot);
}

/*
 * The calling thread's cache if tier 1 may be used: a thread (not early
 * boot), not an interrupt handler, with a live cache; NULL otherwise.  The
 * published pointer says all of it (I5).
 */
static __always_inline struct slab_tcache *tcache_get(void)
{
	if (!TIER1)
		return NULL;
	return tcache_cur();
}

static inline struct ratelimit_state *rs(void)
{
	return &slab_rs;
}

void slab_trap_refuse(const char *fn, unsigned long ip);
void *slab_trap_null(const char *fn);
void slab_trap_void(const char *fn);

/* I8: true (and reported) for an entry point called from an exception or NMI handler. */
#define slab_trap_refused(fn, ip)					\
	(unlikely(in_trap()) ? (slab_trap_refuse(fn, ip), true) : false)

/* One report line; counts every error even when the line is suppressed. */
#define slab_report(fmt, ...) do {					\
	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);		\
	if (__ratelimit(rs()))						\
		pr_err(fmt, ##__VA_ARGS__);				\
} while (0)

/* ---------------------------------------------------------------------
 * Tier 2: this CPU's arrays (inline hit paths)
 */

/*
 * Tier-2 hit paths of the typed caches (kmem_cache_alloc/free): this
 * CPU's array with local interrupts off.  irqsave rather than a bare cli/sti: callers may already
 * run with interrupts disabled (spin_lock_irqsave holders), and there is no
 * cheaper way to know.  NULL / false on a miss: the slow path refills or
 * drains.
 */
static __always_inline bool t2_pop(struct kmem_cache *c, void **objp)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct array_cache *ac;
	unsigned long flags, avail;

	local_irq_save(flags);
	ac = &c->cpu_ac[smp_processor_id()];
	/* Keep ac in a register: gcc otherwise re-derives every field from the array base. */
	OPTIMIZER_HIDE_VAR(ac);
	avail = ac->avail;
	if (unlikely(!avail)) {
		local_irq_restore(flags);
		return false;
	}
	ac->avail = --avail;
	*objp = ac->entry[avail];
	ac->hits++;
	local_irq_restore(flags);
	return true;
#else
	(void)c;
	(void)objp;
	return false;
#endif
}

static __always_inline bool t2_push(struct kmem_cache *c, void *obj)
{
#ifdef CONFIG_SLAB_TIER_PERCPU
	struct array_cache *ac;
	unsigned long flags;
	bool ok = false;

	local_irq_save(flags);
	ac = &c->cpu_ac[smp_processor_id()];
	OPTIMIZER_HIDE_VAR(ac);
	if (likely(ac->avail < T2_LIMIT)) {
		ac->entry[ac->avail++] = obj;
		ok = true;
	}
	local_irq_restore(flags);
	return ok;
#else
	(void)c;
	(void)obj;
	return false;
#endif
}

/*
 * The same for the kmalloc caches, whose arrays are per-CPU variables:
 * @b is the class + 3, the bsr of (size - 1) (at most 11), for the pop;
 * @cls the class for the push.  In the kernel, restartable
 * sequences on kmalloc_t2 (I11) instead of an interrupt save and
 * restore: five instructions for the pop or the push, and one increment
 * of the hit count (a statistic, outside the sequence).  The hosted
 * build runs the same code on its own <asm/pcp.h>: the same accesses
 * to this thread's per-CPU area (a hosted CPU is one thread, which
 * nothing interrupts).
 */
static __always_inline bool t2_pop_kmalloc(unsigned long b, void **objp)
{
#ifdef SLAB_KT2
#ifdef arch_pcp_pop_idx_hit
	/* The arch's pop that counts the hit itself (hosted: one per-CPU offset read). */
	return likely(arch_pcp_pop_idx_hit(kmalloc_t2.top[0], kmalloc_t2_bottom[0], kmalloc_ac,
					   kmalloc_t2.hits[0], b, objp));
#else
	if (unlikely(!arch_pcp_pop_idx(kmalloc_t2.top[0], kmalloc_t2_bottom[0], kmalloc_ac, b,
				       objp)))
		return false;
	raw_cpu_inc_idx(kmalloc_t2.hits[0], b);
	return true;
#endif
#else
	(void)b;
	(void)objp;
	return false;
#endif
}

static __always_inline bool t2_push_kmalloc(unsigned long cls, void *obj)
{
#ifdef SLAB_KT2
	return arch_pcp_push_idx(kmalloc_t2.top[KT2_IDX(0)], kmalloc_t2_limit[KT2_IDX(0)],
				 kmalloc_ac, cls, obj);
#else
	(void)cls;
	(void)obj;
	return false;
#endif
}

/* ---------------------------------------------------------------------
 * Tier 1: the hit path shared by kmalloc's slow path and the refill
 */

/* T1_LIMIT_OF() of a run-time class. */
extern const long slab_t1_limit[NR_T1];

/*
 * The empty head list @i, of count @left, takes over the freed list.
 * Return: the new count, for the caller to store (I7 holds once it has).
 */
static __always_inline long tcache_swap(struct slab_tcache *tc, unsigned long i, long left)
{
	long room = slab_t1_limit[i];

	tc->hot.head[i] = tc->hot.freed[i];
	tc->hot.freed[i] = NULL;
	tc->hin[i] += (unsigned long)(room - tc->hot.room[i]);
	left += room - tc->hot.room[i];
	tc->hot.room[i] = room;
	return left;
}

#ifdef SLAB_T1_FAST
#define T1_LIFO		0
#else
#define T1_LIFO		1
#endif

/*
 * A hit on thread list @i of a live thread cache: its head list, else
 * its freed one; NULL if both are empty, which list 5 always is (never
 * slab_no_tcache, whose words other CPUs write: I6).  The count
 * left[i] says whether the head list is empty, as on the fast path.  A
 * head list that disagrees with it (a use after free that overwrote a
 * listed object's link, a double free that made the list a loop) is never
 * followed past its count: NULL, and the refill that follows reports and
 * drops it (tcache_refill()), so that this stays a leaf of
 * __kmalloc_slow().  A head left with a count of 0 is reported, never
 * swapped over: that is where a loop that went through the transfer
 * cache unwalked (I12) is caught.
 */
static inline void *tcache_take(struct slab_tcache *tc, unsigned long i)
{
	void **list = &tc->hot.head[i];
	void *obj;

	if (T1_LIFO && tc->hot.freed[i]) {
		/*
		 * Without the fast paths (debugging, KASAN) the object freed
		 * last comes back first, so that the checks see a freed
		 * object again as soon as possible.
		 */
		list = &tc->hot.freed[i];
		tc->hot.room[i]++;
		tc->hin[i]++;		/* a hit: hin[i] - left[i] grows by one */
	} else {
		long left = tc->hot.left[i];

		if (left <= 0) {
			/*
			 * Below 0: list 5 (no freed list), or
			 * a bad count, which the next refill or flush reports.
			 */
			if (!tc->hot.freed[i] || unlikely(*list))
				return NULL;	/* nothing, or a stale head[i]: the refill reports it */
			left = tcache_swap(tc, i, left);
		} else if (unlikely(!*list)) {
			return NULL;		/* a count with no list */
		}
		tc->hot.left[i] = left - 1;
	}
	obj = *list;
	/* With the fast paths there is no debugging: the link is at offset 0, as they assume. */
	*list = T1_LIFO ? *free_link(&kmalloc_caches[i], obj) : *(void **)obj;
	return obj;
}

/* ---------------------------------------------------------------------
 * Across the files
 */

/* slab.c */
struct page *slab_alloc_pages(unsigned int order, gfp_t gfp);
struct page *slab_new(struct kmem_cache *c, gfp_t gfp);
struct page *slab_init(struct kmem_cache *c, struct page *pg);
void *slab_take_node(struct kmem_cache *c, int nid);
gfp_t slab_gfp_local(gfp_t gfp);
void slab_put_home(struct kmem_cache *c, void *const *objs, unsigned int n,
		   struct list_head *reap);

/* slab_large.c */
void *kmalloc_large_node(size_t size, gfp_t gfp, int nid);

/* slab_remote.c: remote frees batched per CPU (I10) */
#define REMOTE_SLOTS	4	/* caches batched at once by a CPU */
#define REMOTE_BATCH	16	/* objects given back per lock hold */
void slab_remote_init(void);
void slab_remote_drain(unsigned int cpu);
unsigned int slab_remote_flush(struct kmem_cache *c);
unsigned long slab_remote_pending(const struct kmem_cache *c, int cpu);
void slab_fast_free_off(void);
void slab_fast_free_on(void);

/* slab_remote.c */
bool slab_node_free(struct kmem_cache *c, void *obj);
/* slab.c, beside slab_node_free() (SLAB_T1_FAST) */
void kfree_t1_node(const void *p, unsigned long cls);
/* slab_common.c */
void kfree_t2_node(const void *p, unsigned long cls);
void kmem_cache_free_slow(struct kmem_cache *c, void *obj);
/* slab.c: the node lists */
void slab_publish(struct kmem_cache *c, struct page *pg);
void *slab_publish_taken(struct kmem_cache *c, struct page *pg);
int slab_node_lists_init(void);
void slab_refile_nodes(void);
unsigned long cache_shrink(struct kmem_cache *c, unsigned int keep);
unsigned int slab_get_bulk_from(struct kmem_cache *c, void **objs, unsigned int n, gfp_t gfp,
				bool local_failed);

/* slab_get_bulk_from() with no new-slab try made on this node yet. */
static inline unsigned int slab_get_bulk(struct kmem_cache *c, void **objs, unsigned int n,
					 gfp_t gfp)
{
	return slab_get_bulk_from(c, objs, n, gfp, false);
}
void cache_put_bulk(struct kmem_cache *c, void *const *objs, unsigned int n);
unsigned long slab_put_chain(struct kmem_cache *c, void *obj, unsigned long max,
			     struct list_head *reap, unsigned int keep);
unsigned long slab_reap(struct kmem_cache *c, struct list_head *reap);
unsigned int t2_take(struct kmem_cache *c, void **objs, unsigned int n);
void *cache_alloc(struct kmem_cache *c, gfp_t gfp);
void cache_free(struct kmem_cache *c, void *obj);
/* slab_init.c */
bool cache_layout(struct kmem_cache *c, size_t size, size_t align, bool kmalloc_class,
		  bool ctor);
/* slab.c */
void cache_init(struct kmem_cache *c, const char *name, unsigned int flags,
		void (*ctor)(void *));

/* slab_xfer.c: tier 1's transfer cache of whole lists (I12) */
bool slab_xfer_put(int i, void *head, unsigned long len);
unsigned long slab_xfer_get(int i, void **head);
unsigned long slab_xfer_drain(void);
unsigned long slab_xfer_stats(const struct kmem_cache *c, unsigned long *puts,
			      unsigned long *gets);
void slab_xfer_init(void);

/* slab_tcache.c */
void tcache_set(struct task_struct *t, struct slab_tcache *tc);
struct slab_tcache *tcache_get_create(gfp_t gfp);
void *tcache_refill(struct slab_tcache *tc, int i, gfp_t gfp);
void tcache_push(struct slab_tcache *tc, int i, void *obj);
unsigned long tc_cached(const struct slab_tcache *tc, int i);

/*
 * Hits of thread list @i so far (I7).  Racy from another CPU, and not
 * monotonic: the owner updates hin[i] and left[i] with two stores (a
 * flush lowers hin[i] by the list length before it zeroes left[i], a
 * refill pop lowers hin[i] before left[i]), so a reader between them sees
 * hin[i] - left[i] too low, even below 0.  Computed signed and clamped at
 * 0, so that a sum of them never wraps; over-stated by at most a list's
 * length meanwhile.
 */
static inline unsigned long tc_hits(const struct slab_tcache *tc, int i)
{
	long hits = (long)(READ_ONCE(tc->hin[i]) - (unsigned long)READ_ONCE(tc->hot.left[i]));

	return hits > 0 ? (unsigned long)hits : 0;
}
void slab_tcache_init(void);

/* slab_debug.c */
void debug_init_slot(struct kmem_cache *c, void *obj);
void debug_alloc(struct kmem_cache *c, void *obj, unsigned long ip);
int debug_free(struct kmem_cache *c, void *obj, unsigned long ip);

#endif /* _MM_SLAB_H */

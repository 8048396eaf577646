/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel allocator (mm/slab_common.c and friends, mm/slab.h): kmalloc
 * and typed object caches.
 * See Documentation/mm/slab.rst for the design.
 *
 * Contract API (Exo-OS memory API): kmalloc(), kfree(), krealloc(),
 * kzalloc(), kcalloc(), ksize().  Three tiers, chosen by the size rounded
 * up to a power of two (minimum 16 bytes):
 *
 *   1. thread-local free lists, 16 .. 256 B (no lock, no atomic, no
 *      interrupt-flag save on a hit);
 *   2. per-CPU object arrays, 512 .. 4096 B, and the small sizes when the
 *      thread cache misses or cannot be used (interrupts, idle, early boot);
 *   3. whole pages from the buddy allocator above 4096 B.
 *
 * Allocations take Linux's gfp flags (<exo/gfp.h>): GFP_KERNEL in thread
 * context (might_sleep() reports it elsewhere), GFP_ATOMIC or GFP_NOWAIT
 * under a spinlock, with interrupts off and in interrupt handlers; see
 * Documentation/mm/api.rst.  Every function may be called from any thread,
 * on any CPU, and (with GFP_ATOMIC) from interrupt handlers.  Not from
 * exception or NMI handlers (vectors 0-31), which may interrupt the
 * allocator itself: there allocations return NULL
 * and frees leave the object allocated, with a report (mm/slab.h I8).  An
 * object may be freed by a thread or CPU other than the one that
 * allocated it.
 */
#ifndef _EXO_SLAB_H
#define _EXO_SLAB_H

#include <exo/types.h>
#include <exo/compiler.h>
#include <exo/gfp.h>
#include <exo/jump_label.h>
#include <exo/lockdep.h>

/* What kmalloc(0) returns: not NULL, faults on access, accepted by kfree(). */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_TIER1_MAX	256	/* largest thread-local class */
#define KMALLOC_MAX_CACHE_SIZE	4096	/* largest slab class; above: pages */

/* ---------------------------------------------------------------------
 * Tier-1 fast paths, inlined into callers (the allocator has the rest).
 *
 * What they see of a thread cache: its first bytes, struct slab_tcache_hot.
 * The cache in use is the per-CPU slab_cur_cache, which is never NULL: a
 * thread with a live cache publishes it; everything that must not touch
 * tier 1 (interrupt, exception and NMI handlers, idle and exited threads,
 * early boot, a thread whose cache is not created yet) sees slab_no_tcache,
 * whose lists are always empty and whose left and room words are always
 * negative, so that both fast paths fall through to the out-of-line code
 * with no extra test.
 *
 * Each class has two lists: kmalloc() pops head[i], kfree() pushes on
 * freed[i], and when head[i] runs dry the out-of-line code makes freed[i]
 * the new head[i] in one step.  Keeping the two ends apart is what makes a
 * kmalloc+kfree pair cheap: with one list, the kmalloc() after a kfree()
 * loads the very word that kfree() stored at an address known only once the
 * class map byte of the freed pointer has been read, and the pair runs at
 * that chain's latency.  For the same reason each side counts in its own
 * word: left[i] (objects left on head[i], kmalloc) and room[i] (pushes
 * left on freed[i] before a flush, kfree).  Both count down and say
 * "miss" by going negative, so one sub and one branch are each side's
 * whole test: kmalloc's pop needs no NULL test of its own (left[i] > 0
 * means head[i] is not empty), and the hits are what the slow paths put
 * on head[i] less left[i] (mm/slab.h I7).
 */
#define SLAB_T1_CLASSES		5			/* 16 .. 256 B */
#define SLAB_NO_ROOM		(-(1L << 62))		/* slab_no_tcache's left, room */

struct slab_tcache_hot {
	void *head[SLAB_T1_CLASSES + 1];	/* [5] stays NULL */
	long left[SLAB_T1_CLASSES + 1];		/* objects on head[]; [5] < 0: kmalloc(0) misses */
	void *freed[SLAB_T1_CLASSES + 1];	/* freed since the last swap; [5] NULL */
	long room[SLAB_T1_CLASSES];		/* pushes left on freed[] */
};

/* The cache seen by code that must not use tier 1 (see above). */
extern struct slab_tcache_hot slab_no_tcache;

/* What slab_cur_cache holds for a task->slab_cache (NULL, TC_DEAD: none). */
static __always_inline void *slab_tc_publish(void *tc)
{
	return (unsigned long)tc > 1UL ? tc : (void *)&slab_no_tcache;
}

#ifndef __HOSTED__
#include <exo/percpu.h>
#include <asm/page.h>

/*
 * The cache the fast paths use on this CPU (I5 in mm/slab.h):
 * slab_tc_publish(current->slab_cache) while a thread runs, slab_no_tcache
 * while an interrupt, exception or NMI handler runs.  The scheduler stores
 * it right after current_task at every switch (interrupts off);
 * do_interrupt() saves it, stores slab_no_tcache and restores it around
 * every handler, vectors 0-31 included (slab_irq_enter/exit), which nests;
 * mm/slab_tcache.c stores it when it changes the running thread's own cache.
 * Nobody else writes it.
 */
DECLARE_PER_CPU(void *, slab_cur_cache);

/*
 * Read with a volatile %gs load, once per call: never reused across calls,
 * where the exit hook may have freed the cache it pointed to.  A value read
 * before a preemption is still this thread's own cache after it.
 */
static __always_inline struct slab_tcache_hot *slab_cur_tc(void)
{
	return (struct slab_tcache_hot *)this_cpu_read(slab_cur_cache);
}

/**
 * slab_irq_enter() - hide the thread cache from an interrupt handler
 *
 * Interrupt, exception or NMI entry, interrupts disabled, before the
 * handler runs.
 * Return: the value to give slab_irq_exit().
 */
static __always_inline void *slab_irq_enter(void)
{
	void *prev = this_cpu_read(slab_cur_cache);

	this_cpu_write(slab_cur_cache, (void *)&slab_no_tcache);
	return prev;
}

/**
 * slab_irq_exit() - give the interrupted code its cache back
 * @prev: what slab_irq_enter() returned
 *
 * Interrupt exit, interrupts disabled, before any preemption.
 */
static __always_inline void slab_irq_exit(void *prev)
{
	this_cpu_write(slab_cur_cache, prev);
}
#else
/* Hosted: one per host thread; the same rules, `current` being per thread. */
extern __thread void *slab_cur_cache_tls;

static __always_inline struct slab_tcache_hot *slab_cur_tc(void)
{
	return (struct slab_tcache_hot *)*(void *volatile *)&slab_cur_cache_tls;
}

static __always_inline void *slab_irq_enter(void)
{
	void *prev = slab_cur_cache_tls;

	slab_cur_cache_tls = (void *)&slab_no_tcache;
	return prev;
}

static __always_inline void slab_irq_exit(void *prev)
{
	slab_cur_cache_tls = prev;
}
#endif

/*
 * The fast paths exist without the debugging checks and KASAN, which need
 * every call out of line; they are inlined into callers in the kernel
 * proper, not in modules (which call the exported kmalloc_kernel() for a
 * constant GFP_KERNEL, else kmalloc(), and kfree()), not in
 * the hosted build (whose callers, like the host-alloc anchor, call across
 * an object boundary), not in the allocator itself (mm/slab_common.c
 * defines the exported functions), and not with fault injection, whose
 * should_fail_slab() hook sits first in the out-of-line kmalloc().
 */
#if defined(CONFIG_SLAB_TIER_THREAD) && !defined(CONFIG_SLAB_DEBUG) && \
	!(defined(CONFIG_KASAN) && !defined(__HOSTED__))
#define SLAB_T1_FAST		1
#if !defined(__HOSTED__) && !defined(MODULE) && !defined(SLAB_OUT_OF_LINE) && \
	!defined(SLAB_CALLS_AS_MODULE) && !defined(CONFIG_FAULT_INJECTION)
#define SLAB_T1_INLINE		1
#endif
#endif

/* Shared by the inline fast paths and the allocator (whatever the configuration). */
/*
 * Tier-1 list of kmalloc(@size), @size 0..256 (0 gives the empty list 5),
 * as a constant expression: what slab_t1_class[] holds (it is generated
 * from this) and what a constant size folds to.
 */
#define SLAB_T1_CLASS_CONST(size)						\
	((size) == 0 ? SLAB_T1_CLASSES : (size) <= 16 ? 0 : (size) <= 32 ? 1 :	\
	 (size) <= 64 ? 2 : (size) <= 128 ? 3 : 4)
/* SLAB_T1_CLASS_CONST(size) for size 0..256: one load at run time. */
extern const u8 slab_t1_class[KMALLOC_TIER1_MAX + 1];
/* The class map (one byte per frame) and its bounds: see mm/slab.h I1. */
extern u8 *slab_class_map;
extern unsigned long slab_map_pfns;
extern unsigned long slab_pfn_bias;
/*
 * (ptr & slab_t1_free_mask[class]) == 0 iff ptr starts a tier-1 object
 * that the kfree() fast path may keep: with several memory nodes, none
 * (every tier-1 class's mask is ~0, and kfree_other_slow() looks at the node).
 */
extern unsigned long slab_t1_free_mask[16];

#ifndef __HOSTED__
/*
 * The kernel's class map is always at this fixed address (slab_class_map
 * is only set to it): the fast path needs no load for the map's base,
 * and loops keep the constant in a register.
 */
#define slab_class_map_base()	((const u8 *)SLAB_CLASS_MAP_START)
#else
#define slab_class_map_base()	((const u8 *)slab_class_map)
#endif

/*
 * Flags the fast paths serve (the context bits): anything else - zone,
 * __GFP_ZERO, __GFP_NOFAIL - goes to __kmalloc_gfp().
 */
#define SLAB_GFP_PLAIN(gfp) \
	(!((__force unsigned int)(gfp) & ~(___GFP_ATOMIC | ___GFP_NOWARN)))

/**
 * __kmalloc_slow() - kmalloc() of 0 .. 256 bytes when the tier-1 list is empty
 * @size: 0 .. KMALLOC_TIER1_MAX
 * @gfp: context bits only (SLAB_GFP_PLAIN)
 *
 * With the fast paths (SLAB_T1_FAST), the left count of list
 * slab_t1_class[@size] in the current cache has been taken (below 0): this
 * gives it back first.
 * Return: as for kmalloc().
 */
void *__kmalloc_slow(size_t size, gfp_t gfp);

/**
 * __kmalloc_big() - kmalloc() above the tier-1 sizes (tier 2, tier 3)
 * @size: more than KMALLOC_TIER1_MAX
 * @gfp: context bits only (SLAB_GFP_PLAIN)
 * Return: as for kmalloc().
 */
void *__kmalloc_big(size_t size, gfp_t gfp);

/**
 * __kmalloc_gfp() - kmalloc() with any flags, out of line
 * @size: as for kmalloc()
 * @gfp: as for kmalloc()
 * Return: as for kmalloc().
 */
void *__kmalloc_gfp(size_t size, gfp_t gfp);

/**
 * __kfree_slow() - kfree() of a pointer outside the class map
 * @ptr: as for kfree()
 */
void __kfree_slow(const void *ptr);

/**
 * __kfree_other() - kfree() of a pointer the fast path does not keep
 * @ptr: as for kfree(): not a tier-1 object start, or any tier-1 object
 *	 once the node layer is on (slab_numa_free)
 * @cls: its class map byte
 * @pfn: its frame number (inside the class map)
 */
void __kfree_other(const void *ptr, unsigned long cls, unsigned long pfn);

/**
 * __kfree_full() - kfree() of a tier-1 object when the list had no room
 * @ptr: the object
 * @cls: its class; the room of list @cls in the current cache has been
 *	 taken (below 0): this gives it back
 */
void __kfree_full(const void *ptr, unsigned long cls);

/*
 * On with more than one memory node (set once at boot): the free paths
 * give an object of another node's slab back to its slab instead of
 * keeping it in this thread's or CPU's cache.  The inline kfree() has no
 * site: the same switch sets its tier-1 masks to ~0, so that every object
 * goes to __kfree_other().  Documentation/mm/numa.rst.
 */
DECLARE_STATIC_KEY_FALSE(slab_numa_free);

/* The arch's single-instruction steps of the paths below. */
#include <asm/slab.h>
#include <trace/events/mm.h>

#ifdef SLAB_T1_FAST
/* Take one unit of room of freed list @i; false if there was none. */
static __always_inline bool slab_t1_room_take(struct slab_tcache_hot *tc, unsigned long i)
{
	return arch_slab_room_take(tc, i);
}

/* Take one object's count of head list @i (a hit); false if it was empty. */
static __always_inline bool slab_t1_left_take(struct slab_tcache_hot *tc, unsigned long i)
{
	return arch_slab_left_take(tc, i);
}

/* Does @p start an object of tier-1 class @cls that the fast path may keep? */
static __always_inline bool slab_t1_object(const void *p, unsigned long cls)
{
	return !arch_slab_mask_test(p, slab_t1_free_mask[cls]);
}

/* Pop from list @i of @tc; out of line if it is empty. */
static __always_inline void *__kmalloc_t1_pop(struct slab_tcache_hot *tc, unsigned long i,
					      size_t size, gfp_t gfp)
{
	void *obj;

	if (unlikely(!slab_t1_left_take(tc, i)))
		return __kmalloc_slow(size, gfp);
	obj = tc->head[i];
	/*
	 * left[i] was above 0, so head[i] holds an object (I7), which the
	 * next line reads anyway: say so, and the caller's NULL test folds.
	 * Only memory corruption breaks I7 here: a use after free that
	 * zeroed a listed object's link faults on the NULL read below, as
	 * any other overwritten link would (the slow paths, which trust the
	 * count too, report such a list and drop it: tcache_refill()).
	 */
	if (!obj)
		__builtin_unreachable();
	tc->head[i] = *(void **)obj;
	return obj;
}

/*
 * slab_t1_class[@size], @size 0..256: for a compile-time constant, folded
 * away (as is the size test before it), so that a kmalloc() of a constant
 * size is the cache load and the pop.  Both come from SLAB_T1_CLASS_CONST(),
 * so the slow path, which looks the table up, gives back the count of the
 * list this took it from.
 */
static __always_inline unsigned long slab_t1_class_of(size_t size)
{
	if (__builtin_constant_p(size))
		return SLAB_T1_CLASS_CONST(size);
	return slab_t1_class[size];
}

/* The kmalloc() fast path: a pop from this thread's list, else out of line. */
static __always_inline void *__kmalloc_t1(size_t size, gfp_t gfp)
{
	if (unlikely(size > KMALLOC_TIER1_MAX))
		return __kmalloc_big(size, gfp);
	return __kmalloc_t1_pop(slab_cur_tc(), slab_t1_class_of(size), size, gfp);
}

/* Push @p on freed list @cls of @tc; out of line if the list is full. */
static __always_inline void __kfree_t1_push(struct slab_tcache_hot *tc, unsigned long cls,
					    const void *p)
{
	if (unlikely(!slab_t1_room_take(tc, cls)))
		return __kfree_full(p, cls);
	arch_slab_push_freed(tc, cls, p);
}

/*
 * The kfree() fast path: the class byte of the frame (the always-on
 * foreign-pointer check: a pointer outside the map, in a frame that is not
 * a tier-1 slab, or not at an object start goes out of line, and so does
 * every tier-1 object with several memory nodes), then a push within the
 * list bound.
 */
static __always_inline void __kfree_t1(const void *p)
{
	unsigned long pfn = ((unsigned long)p >> 12) - slab_pfn_bias;
	unsigned long cls;

	if (unlikely(pfn >= slab_map_pfns))
		return __kfree_slow(p);
	cls = slab_class_map_base()[pfn];
	if (unlikely(!slab_t1_object(p, cls)))
		return __kfree_other(p, cls, pfn);
	__kfree_t1_push(slab_cur_tc(), cls, p);
}
#endif /* SLAB_T1_FAST */

/**
 * kmalloc_kernel() - kmalloc(@size, GFP_KERNEL), out of line
 * @size: as for kmalloc()
 *
 * The exported kmalloc() for the flags modules pass nearly always: the
 * same path without the flag argument and its test.  A module's kmalloc()
 * with a constant GFP_KERNEL calls it (a macro of <exo/slab.h>).
 * Return: as for kmalloc().
 */
void *kmalloc_kernel(size_t size);

#ifdef SLAB_T1_INLINE
/*
 * kmalloc() and kfree() as documented below, inlined: the tier-1 hit is
 * about ten instructions each, everything else is one call away.  Flags
 * are nearly always constant: then the test below folds away, and
 * GFP_KERNEL or GFP_ATOMIC cost nothing on the hit.
 */
static __always_inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (!__builtin_constant_p(gfp) || !SLAB_GFP_PLAIN(gfp))
		return __kmalloc_gfp(size, gfp);
	if (trace_kmalloc_enabled())
		return __kmalloc_gfp(size, gfp);
	might_alloc(gfp);
	/* A constant 0 needs no list 5 miss (folded away for any other size). */
	if (__builtin_constant_p(size) && !size)
		return ZERO_SIZE_PTR;
	return __kmalloc_t1(size, gfp);
}

static __always_inline void kfree(const void *ptr)
{
	trace_kfree(TRACE_THIS_IP, ptr);
	__kfree_t1(ptr);
}
#else
/**
 * kmalloc() - allocate @size bytes
 * @size: any size; 0 gives ZERO_SIZE_PTR
 * @gfp: GFP_KERNEL (thread context, may wait), GFP_ATOMIC or GFP_NOWAIT
 *	 (never waits, never creates the thread cache), optionally with
 *	 __GFP_ZERO, __GFP_NOWARN, __GFP_NOFAIL, GFP_DMA or GFP_DMA32
 *
 * Alignment: at least 16 bytes; power-of-two sizes up to 4096 are
 * naturally aligned; larger allocations are page aligned.  The memory is
 * zeroed only with __GFP_ZERO.  GFP_DMA and GFP_DMA32 are honoured with
 * whole pages from that zone, whatever @size (the slabs take any zone).
 * GFP_KERNEL where sleeping is forbidden is reported by might_sleep()
 * (CONFIG_DEBUG_ATOMIC_SLEEP), and the allocation goes on.
 * Return: the object, ZERO_SIZE_PTR for 0, or NULL when memory is
 * exhausted or @size is larger than the largest buddy block (logged
 * unless __GFP_NOWARN); NULL with a WARN for __GFP_NOFAIL refused
 * (gfp_nofail_refused(), order 2 above 8 KiB) or still failing.
 */
void *kmalloc(size_t size, gfp_t gfp);

/**
 * kfree() - free an object from kmalloc(), kzalloc(), kcalloc(), krealloc()
 * @ptr: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer that does not start an object of a slab or a kmalloc page is
 * refused and reported (one line with the caller), never followed; with
 * CONFIG_SLAB_DEBUG a double free is refused and reported too.
 */
void kfree(const void *ptr);

/* Modules, and built-in code that calls kmalloc() as they do (SLAB_CALLS_AS_MODULE). */
#if defined(MODULE) || defined(SLAB_CALLS_AS_MODULE)
#define kmalloc(size, gfp)							\
	((__builtin_constant_p((__force unsigned int)(gfp)) &&			\
	  (__force unsigned int)(gfp) == (__force unsigned int)GFP_KERNEL) ?	\
	 kmalloc_kernel(size) : (kmalloc)(size, gfp))
#endif
#endif

/**
 * kmalloc_node() - kmalloc() from the slabs of a NUMA node
 * @size: as for kmalloc()
 * @gfp: as for kmalloc(); __GFP_THISNODE: no other node when @nid has no
 *	 free memory left
 * @nid: the node (a memoryless node: the nearest node with memory), or
 *	 NUMA_NO_NODE for kmalloc() itself
 *
 * With several memory nodes the object comes from a slab on @nid (from a
 * new slab of the next node by distance when @nid is full), taken under
 * the cache's lock; a block above 4 KiB from alloc_pages_node().  One
 * memory node, GFP_DMA/GFP_DMA32, __GFP_NOFAIL, CONFIG_SLAB_DEBUG or
 * KASAN: kmalloc().  Free it with kfree().
 * Return: as for kmalloc(); NULL (logged unless __GFP_NOWARN) when @nid
 * is not an online node.
 */
void *kmalloc_node(size_t size, gfp_t gfp, int nid);

/**
 * kzalloc_node() - kmalloc_node() and zero the @size bytes
 * @size: as for kmalloc()
 * @gfp: as for kmalloc_node()
 * @nid: as for kmalloc_node()
 * Return: as for kmalloc_node().
 */
void *kzalloc_node(size_t size, gfp_t gfp, int nid);

struct kmem_cache;

/**
 * kmem_cache_alloc_node() - kmem_cache_alloc() from a slab on a NUMA node
 * @c: the cache
 * @gfp: as for kmem_cache_alloc(); __GFP_THISNODE as for kmalloc_node()
 * @nid: as for kmalloc_node()
 *
 * As kmalloc_node() for the typed cache @c.  Free it with kmem_cache_free().
 * Return: the object; NULL when memory is exhausted, @gfp is refused or
 * @nid is not an online node (logged unless __GFP_NOWARN).
 */
void *kmem_cache_alloc_node(struct kmem_cache *c, gfp_t gfp, int nid);

/**
 * kfree_checked() - kfree() that says what it did
 * @ptr: as for kfree()
 *
 * Return: 0 (freed, or NULL/ZERO_SIZE_PTR); -EFAULT if @ptr is not inside
 * a slab or a kmalloc page; -EINVAL if it points inside one but not at the
 * start of an object; -ENOENT if a slab object is already free (double
 * free, caught with CONFIG_SLAB_DEBUG or KASAN); -EBADMSG if
 * CONFIG_SLAB_DEBUG found its red zone overwritten (it is freed anyway).
 * A freed page block (> KMALLOC_MAX_CACHE_SIZE) is no kmalloc page any
 * more, so freeing it again is always caught, as -EFAULT.  -EDEADLK from
 * an exception or NMI handler, where nothing is freed.
 * Every error but -EBADMSG leaves the allocator unchanged.
 */
int kfree_checked(const void *ptr);

/**
 * krealloc() - resize an object, keeping its contents
 * @ptr: an object, NULL (then this is kmalloc(@new_size, @gfp)) or ZERO_SIZE_PTR
 * @new_size: the new size; 0 frees @ptr and returns ZERO_SIZE_PTR
 * @gfp: as for kmalloc(), but without GFP_DMA/GFP_DMA32
 *
 * The object stays in place whenever @new_size fits its usable size
 * (ksize()), growing or shrinking; otherwise a new object receives the
 * old usable size's bytes and the old one is freed.  With __GFP_ZERO a
 * moved object has every byte beyond the old usable size zeroed, and a
 * shrink in place zeroes the bytes past @new_size (so growing back in
 * place, with __GFP_ZERO on every call, finds zeroes).
 * Return: the object, or NULL on failure or for a foreign @ptr (then @ptr
 * is untouched and still valid); NULL with a WARN for a zone flag.
 */
void *krealloc(const void *ptr, size_t new_size, gfp_t gfp);

/**
 * kzalloc() - kmalloc() and zero the @size bytes
 * @size: as for kmalloc()
 * @gfp: as for kmalloc()
 * Return: as for kmalloc().
 */
void *kzalloc(size_t size, gfp_t gfp);

/**
 * kmalloc_array() - array of @n elements of @size bytes
 * @n: number of elements
 * @size: element size
 * @gfp: as for kmalloc()
 * Return: as for kmalloc(@n * @size); NULL (logged unless __GFP_NOWARN)
 * if the product overflows.
 */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);

/**
 * kcalloc() - zeroed array of @n elements of @size bytes
 * @n: number of elements
 * @size: element size
 * @gfp: as for kmalloc()
 * Return: as for kmalloc_array(@n, @size, @gfp | __GFP_ZERO).
 */
void *kcalloc(size_t n, size_t size, gfp_t gfp);

/**
 * ksize() - usable size of an object
 * @ptr: an object from kmalloc()
 * Return: the size of its class (or page block), 0 for NULL, ZERO_SIZE_PTR
 * and foreign pointers (reported).
 */
size_t ksize(const void *ptr);

/* ---------------------------------------------------------------------
 * Typed object caches, on the same machinery (tiers 2 and 3 of slabs).
 */
struct kmem_cache;

/* kmem_cache_create() flags. */
#define SLAB_HWCACHE_ALIGN	0x1u	/* align objects to 64 bytes */
#define SLAB_NO_TIER2		0x2u	/* no per-CPU arrays: every op takes the lock */

/**
 * kmem_cache_create() - a cache of fixed-size objects
 * @name: shown by slabinfo (the string must outlive the cache)
 * @size: object size, 1 .. 4096
 * @align: 0, or a power of two <= 4096 that every object is aligned to
 *	   (objects are always aligned to at least 8 bytes)
 * @flags: SLAB_* above
 * @ctor: NULL, or called once on every object when its slab is created;
 *	  objects must be freed in their constructed state
 *
 * Return: the cache, or NULL (logged) for a bad argument or no memory.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *obj));

/**
 * kmem_cache_destroy() - free a cache whose objects were all freed
 * @c: the cache (NULL is ignored)
 *
 * Drains the per-CPU arrays of every CPU first.
 * Return: 0; -EBUSY (logged, cache kept) if objects are still allocated.
 */
int kmem_cache_destroy(struct kmem_cache *c);

/* GFP_KERNEL / any flags: what kmem_cache_alloc() calls. */
void *__kmem_cache_alloc(struct kmem_cache *c);
void *__kmem_cache_alloc_gfp(struct kmem_cache *c, gfp_t gfp);

/**
 * kmem_cache_alloc() - allocate one object of @c
 * @c: the cache
 * @gfp: as for kmalloc(); GFP_DMA/GFP_DMA32 are refused with a WARN (typed
 *	 caches take slabs from any zone); __GFP_ZERO zeroes the object
 *
 * Return: the object, or NULL when memory is exhausted or @gfp is refused.
 */
static __always_inline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	/* A constant GFP_KERNEL is one call, as before flags existed. */
	if (__builtin_constant_p(gfp) && (__force unsigned int)gfp == 0)
		return __kmem_cache_alloc(c);
	return __kmem_cache_alloc_gfp(c, gfp);
}

/**
 * kmem_cache_zalloc() - kmem_cache_alloc() of a zeroed object
 * @c: the cache
 * @gfp: as for kmem_cache_alloc()
 * Return: as for kmem_cache_alloc().
 */
static __always_inline void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	return kmem_cache_alloc(c, gfp | __GFP_ZERO);
}

/**
 * kmem_cache_free() - free an object of @c
 * @c: the cache
 * @obj: the object (NULL ignored); an object of another cache, or a
 *	 foreign pointer, is refused and reported
 */
void kmem_cache_free(struct kmem_cache *c, void *obj);

/**
 * kmem_cache_size() - object size of @c (what kmem_cache_create() was given)
 */
size_t kmem_cache_size(const struct kmem_cache *c);

/* ---------------------------------------------------------------------
 * Reclaim and statistics
 */

/**
 * kmem_flush_current() - empty the calling thread's cache into the slabs
 *
 * The thread keeps using tier 1 afterwards.  Threads flush automatically
 * when they exit.
 */
void kmem_flush_current(void);

/**
 * kmem_drain_all() - empty every per-CPU array and free every empty slab
 *
 * Flushes the calling thread's cache, drains this CPU's arrays and, where
 * cross-CPU calls exist, every other online CPU's (waited for); then gives
 * all empty slabs back to the buddy allocator.  Process context, interrupts
 * enabled.  Objects cached by other live threads stay where they are.
 * Return: number of pages given back.
 */
unsigned long kmem_drain_all(void);

/**
 * kmem_drain_cpu() - drain the per-CPU arrays of a CPU that is not running
 * @cpu: an offline CPU, or (hosted) a CPU whose thread has finished
 */
void kmem_drain_cpu(unsigned int cpu);

/* Counters of one cache, summed over CPUs (or for one CPU). */
struct kmem_cache_stats {
	const char *name;
	unsigned int size;		/* object size */
	unsigned int stride;		/* bytes per object in the slab */
	unsigned int objs_per_slab;
	unsigned int order;		/* slab order */
	unsigned long slabs;		/* slabs allocated */
	unsigned long empty_slabs;	/* of which with no object in use */
	unsigned long objs_total;	/* slabs * objs_per_slab */
	unsigned long objs_slab_free;	/* free on the slabs' own lists */
	unsigned long objs_cached;	/* in the tiers, transfer cache, remote-free batches */
	unsigned long objs_inuse;	/* total - slab_free - cached */
	unsigned long t1_hits, t1_misses, t1_flushes;	/* tier 1 */
	unsigned long t2_hits, t2_misses, t2_drains;	/* tier 2 */
	unsigned long slab_allocs, slab_frees;		/* lock taken, per object */
	unsigned long slabs_created, slabs_freed;
	unsigned long node_frees;	/* another node's objects sent home (NUMA) */
	unsigned long node_puts;	/* lock holds that sent them, a batch each */
	unsigned long node_pending;	/* of objs_cached: in remote-free batches */
	unsigned long objs_xfer;	/* of objs_cached: in tier 1's transfer cache */
	unsigned long xfer_puts, xfer_gets;	/* whole thread lists put there, taken */
};

/**
 * kmem_cache_get_stats() - counters of @c
 * @c: the cache
 * @cpu: a CPU number for that CPU's tier counters, or -1 for the sum
 * @st: filled in (racy snapshot; the slab counts are exact under the lock)
 *
 * The slab counts and the transfer cache's (objs_xfer, xfer_puts,
 * xfer_gets) are the cache's whatever @cpu: the transfer cache belongs to
 * no CPU, so its objects are part of objs_cached for a single CPU too.
 */
void kmem_cache_get_stats(struct kmem_cache *c, int cpu, struct kmem_cache_stats *st);

/**
 * kmalloc_cache() - the built-in cache serving kmalloc(@size)
 * @size: 1 .. KMALLOC_MAX_CACHE_SIZE
 * Return: the cache, or NULL for sizes served by whole pages.
 */
struct kmem_cache *kmalloc_cache(size_t size);

/**
 * kmalloc_usage() - totals over the built-in kmalloc caches
 * @slab_pages: if not NULL, set to the pages their slabs hold
 *
 * The leak checks of tests and of the soak compare these with a baseline.
 * Racy snapshot, like kmem_cache_get_stats(); large (page) kmallocs are
 * not included: the free-frame count covers them.
 * Return: the objects allocated and not yet freed (objects cached free in
 * tier 1 or 2 do not count).
 */
unsigned long kmalloc_usage(unsigned long *slab_pages);

/* Reports (foreign pointers, double frees, red zones, poison) so far. */
unsigned long kmem_error_count(void);

/* Pages currently held by tier 3 (kmalloc > 4 KiB). */
unsigned long kmalloc_large_pages(void);

/**
 * kmem_check() - verify the slab lists and counters of every cache
 *
 * Takes each cache lock in turn.  Prints the first problems.
 * Return: the number of violations (0 when consistent).
 */
unsigned long kmem_check(void);

/* Print per-cache figures (the `slabinfo` shell command). */
void kmem_show_slabinfo(bool per_cpu);

/**
 * kmem_cache_init() - set up the built-in caches and the class map
 *
 * Called by mm_core_init() right after the page allocator, so kmalloc
 * works from then on (tier 2 until the scheduler gives threads a cache).
 * The hosted build may call it again after hosted_mm_init(), before any
 * thread that used the previous instance allocates again.
 */
void kmem_cache_init(void);

#endif /* _EXO_SLAB_H */

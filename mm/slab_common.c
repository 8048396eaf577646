// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's API: the kmalloc size classes, kmalloc/kfree and
 * their out-of-line paths, kzalloc and friends (krealloc: slab_krealloc.c),
 * and the classification of any pointer (kmem_cache_free()'s slow path
 * included: the rest of the typed-cache API is slab_cache_api.c).  Design
 * and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* This file defines the exported kmalloc()/kfree(): no inline copies here. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/fault_inject.h>
#include <exo/kasan.h>
#include <exo/string.h>

#include "slab.h"
/* After slab.h: it has what internal.h needs. */
#include "internal.h"
#include "slab_large.h"
#include "slab_kmalloc.h"

/*
 * kmalloc_class() of the tier-1 sizes, indexed by the size itself: one
 * load, no bsr, no "size - 1" (257 bytes, of which a call touches one
 * line).  Size 0 maps to list NR_T1, which is always empty: kmalloc(0)
 * takes the slow path with no test of its own.  Generated from
 * SLAB_T1_CLASS_CONST(), the fold of a constant size: the two never
 * disagree (the slab suite checks every size against kmalloc_class()).
 */
#define T1C1(n)		SLAB_T1_CLASS_CONST(n)
#define T1C2(n)		T1C1(n), T1C1((n) + 1)
#define T1C4(n)		T1C2(n), T1C2((n) + 2)
#define T1C8(n)		T1C4(n), T1C4((n) + 4)
#define T1C16(n)	T1C8(n), T1C8((n) + 8)
#define T1C32(n)	T1C16(n), T1C16((n) + 16)
#define T1C64(n)	T1C32(n), T1C32((n) + 32)
#define T1C128(n)	T1C64(n), T1C64((n) + 64)
const u8 slab_t1_class[KMALLOC_TIER1_MAX + 1] = {
	T1C128(0), T1C128(128), T1C1(256)
};
#undef T1C1
#undef T1C2
#undef T1C4
#undef T1C8
#undef T1C16
#undef T1C32
#undef T1C64
#undef T1C128
BUILD_BUG_ON(KMALLOC_TIER1_MAX != 256);
BUILD_BUG_ON(SLAB_T1_CLASS_CONST(0) != NR_T1);

/* ---------------------------------------------------------------------
 * Pointer classification
 */

/*
 * What @p is.  Return: 1 slab object (ref->c; ref->page its slab, or NULL
 * for a kmalloc class without debugging), 2 large kmalloc block
 * (ref->page), or -EFAULT (not ours), -EINVAL (inside ours, not an object
 * start), -ENOENT (a freed large block).  Never dereferences @p.
 */
int classify(const void *p, struct obj_ref *ref)
{
	unsigned long pfn = addr_pfn(p), off;
	struct kmem_cache *c;
	struct page *pg;
	unsigned int cls, order;

	if (pfn < slab_map_pfns && (cls = READ_ONCE(slab_class_map[pfn])) != CLS_NONE) {
		/*
		 * Without debugging a kmalloc class's stride is its size, a
		 * power of two no larger than the slab, which is aligned to
		 * its own size: an object start is a multiple of the size.
		 * (ref->page is only used for large blocks.)
		 */
		if (!DEBUG && cls < NR_KMALLOC) {
			if ((unsigned long)p & ((16UL << cls) - 1))
				return -EINVAL;
			ref->c = &kmalloc_caches[cls];
			ref->page = NULL;
			return 1;
		}
		if (cls < NR_KMALLOC) {
			c = &kmalloc_caches[cls];
			order = c->order;
			pg = pfn_to_page(pfn & ~((1UL << order) - 1));
		} else {
			order = cls - CLS_TYPED;
			pg = pfn_to_page(pfn & ~((1UL << order) - 1));
			c = READ_ONCE(pg->slab_cache);
			if (!c)
				return -EFAULT;
		}
		off = (unsigned long)((const char *)p - (const char *)page_address(pg));
		if (off % c->stride || off / c->stride >= c->objs)
			return -EINVAL;
		ref->c = c;
		ref->page = pg;
		return 1;
	}
	if (pfn >= max_pfn)
		return -EFAULT;
	pg = pfn_to_block_head(pfn);
	if (!pg) {
		/* A freed large block, or never ours. */
		return -EFAULT;
	}
	if (READ_ONCE(pg->type) != PAGE_TYPE_LARGE_KMALLOC)
		return -EFAULT;
	if (p != page_address(pg))
		return -EINVAL;
	ref->c = NULL;
	ref->page = pg;
	return 2;
}

void report_bad_free(const char *fn, const void *p, int err, unsigned long ip)
{
	slab_report("%s(%p) from %pS: %s, refused\n", fn, p, (void *)ip,
		    err == -EINVAL ? "not the start of an object" :
		    "not a kmalloc/slab pointer (foreign, or already freed pages)");
}

/* ---------------------------------------------------------------------
 * kmalloc and friends
 */

/* free_large()'s arguments, in its order: no moves before the tail call. */
static noinline int free_large_refused(struct page *pg, const void *addr, unsigned long ip,
				       const char *fn)
{
	slab_report("%s(%p) from %pS: double free of a large block (pfn %#lx), refused\n",
		    fn, addr, (void *)ip, page_to_pfn(pg));
	return -ENOENT;
}

/*
 * free_large_refused() for kfree(), which reaches __free_large() by tail
 * calls only (kfree_other_slow()): the return address is kfree()'s
 * caller, and only this cold path needs the frame that reads it.
 */
static noinline int free_large_refused_kfree(struct page *pg, const void *addr)
{
	return free_large_refused(pg, addr, _RET_IP_, "kfree");
}

/* The block back to the buddy allocator (not cached). */
static noinline int free_large_pages(struct page *pg, unsigned int order)
{
	__atomic_fetch_sub(&large_pages, 1L << order, __ATOMIC_RELAXED);
	__free_pages(pg, order);
	return 0;
}

/*
 * A cacheable block with several memory nodes: only this CPU's node's
 * blocks are cached (as free_slab_tiers() sends other nodes' objects
 * home), since the cache serves any kmalloc() on this CPU, which wants
 * local memory.  Out of line, reached by a tail call: its two calls
 * would give __free_large() a stack frame and four saved registers on
 * every path, the single-node cached one included.
 */
static noinline int free_large_numa(struct page *pg, const void *addr, unsigned int order)
{
	if (page_to_nid(pg) == numa_mem_id() && large_cache_put(pg, addr, order))
		return 0;
	return free_large_pages(pg, order);
}

/*
 * Free the large block @addr, whose head page is @pg.  The type moves from
 * LARGE_KMALLOC to BUDDY by cmpxchg, so that of two CPUs that kfree() the
 * block at once exactly one owns it: the other reports the double free.
 * The report and the buddy free are tail calls: the cached case needs no
 * stack frame.  @ip 0: kfree()'s caller, found by the report itself.
 * Return: 0, or -ENOENT (the block was already freed).
 */
static __always_inline int __free_large(struct page *pg, const void *addr, unsigned long ip,
					const char *fn)
{
	u8 old = PAGE_TYPE_LARGE_KMALLOC;
	unsigned int order;

	if (unlikely(!__atomic_compare_exchange_n(&pg->type, &old, (u8)PAGE_TYPE_BUDDY, false,
						  __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
		return ip ? free_large_refused(pg, addr, ip, fn) :
			    free_large_refused_kfree(pg, addr);
	order = page_order(pg);
	if (!(pg->flags & LARGE_F_CACHE))
		return free_large_pages(pg, order);
	if (slab_multi_node())
		return free_large_numa(pg, addr, order);
	if (large_cache_put(pg, addr, order))
		return 0;
	return free_large_pages(pg, order);
}

static int free_large(struct page *pg, const void *addr, unsigned long ip, const char *fn)
{
	return __free_large(pg, addr, ip, fn);
}

/* free_large() for callers that drop the result (krealloc()): no result to set. */
void free_large_void(struct page *pg, const void *addr, unsigned long ip, const char *fn)
{
	__free_large(pg, addr, ip, fn);
}

/* free_large_void() for kfree(), reached by tail calls only: no frame for its caller's address. */
static void free_large_kfree(struct page *pg, const void *addr)
{
	__free_large(pg, addr, 0, "kfree");
}

/*
 * kfree of a page-aligned pointer outside the slabs: a large kmalloc block
 * is freed at once when @p is its head (O(1) state check).  Anything else
 * goes to the slow path, which classifies and reports.
 */
static __always_inline bool large_free_fast(const void *p, unsigned long pfn)
{
	struct page *pg;

	if (((unsigned long)p & (PAGE_SIZE - 1)) || !pfn_is_block_head(pfn))
		return false;
	pg = pfn_to_page(pfn);
	if (READ_ONCE(pg->type) != PAGE_TYPE_LARGE_KMALLOC)
		return false;
	free_large_kfree(pg, p);
	return true;
}

/*
 * The slow paths are reached by tail calls (CFLAGS_slab.o allows sibling
 * calls) from the exported kmalloc/kfree and from the __kmalloc_*() and
 * __kfree_*() entry points, which the inline copies call directly, so
 * their own return address is the caller of kmalloc/kfree.
 */
noinline void *kmalloc_slow(size_t size, gfp_t gfp)
{
	unsigned long ip = _RET_IP_;
	struct kmem_cache *c;
	struct slab_tcache *tc;
	void *obj;
	int i;

	if (slab_trap_refused("kmalloc", ip))
		return NULL;
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, gfp);
	if (WARN_ON_ONCE(!slab_ready))
		return NULL;
	i = (int)kmalloc_class(size);
	c = &kmalloc_caches[i];
	tc = i < NR_T1 ? tcache_get_create(gfp) : NULL;
	if (tc) {
		obj = tcache_take(tc, i);
		if (!obj)
			obj = tcache_refill(tc, i, gfp);
	} else {
		obj = cache_alloc(c, gfp);
	}
	if (unlikely(!obj) && !(gfp & __GFP_NOWARN) && __ratelimit(rs()))
		pr_warn("kmalloc(%zu): out of memory\n", size);
	if (DEBUG && obj)
		debug_alloc(c, obj, ip);
	return obj;
}

static int kfree_common(const void *p, unsigned long ip, const char *fn);
static int free_slab_obj(struct kmem_cache *c, void *obj, unsigned long ip);

/*
 * A slab object KASAN has poisoned: the SLAB_DEBUG checks now (so their
 * error codes are the caller's), the tiers after the quarantine.
 */
static int free_slab_quarantined(struct kmem_cache *c, void *obj, unsigned long ip)
{
	int ret = 0;

	if (DEBUG) {
		ret = debug_free(c, obj, ip);
		if (ret == -ENOENT)
			return ret;
	}
	if (!kasan_quarantine_put(obj, c, c->stride))
		free_slab_tiers(c, obj);
	return ret;
}

int kfree_hooked(const void *p, unsigned long ip, const char *fn)
{
	struct obj_ref ref;
	size_t slot;
	int kind;

	if (slab_trap_refused(fn, ip))
		return -EDEADLK;
	if (!KASAN || ZERO_OR_NULL_PTR(p))
		return kfree_common(p, ip, fn);
	/* A double free: KASAN's report is the log line; -ENOENT as SLAB_DEBUG's. */
	if (kasan_free_precheck(p, ip))
		goto double_free;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free(fn, p, kind, ip);
		return kind;
	}
	slot = kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page);
	if (kasan_slab_free((void *)p, slot, ip))
		goto double_free;
	/*
	 * Slab objects only: a large block goes straight back to the page
	 * allocator, where it stays poisoned (and kfree of it is refused
	 * with -EFAULT) until the pages are allocated again.
	 */
	if (kind == 1)
		return free_slab_quarantined(ref.c, (void *)p, ip);
	return kfree_common(p, ip, fn);
double_free:
	__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
	return -ENOENT;
}

#if KASAN
void kmem_free_quarantined(void *obj, struct kmem_cache *c)
{
	free_slab_tiers(c, obj);
}
#endif

#ifdef SLAB_T1_FAST
/*
 * Both lists of @h's class @i are empty.  A live cache is the running
 * thread's own, in thread context (I5): the thread itself or a softirq
 * that local_bh_enable() runs in thread context, with the thread's cache
 * still published (it runs between the thread's tier-1 operations, never
 * inside one).  That is all that kmalloc_slow() would check before the
 * same refill: refill it here.  Out of memory,
 * kmalloc_slow() tries once more and reports.  Out of __kmalloc_slow(),
 * whose list swap stays a leaf, and reached by tail calls (_RET_IP_).
 */
static noinline void *kmalloc_refill(struct slab_tcache_hot *h, unsigned long i, size_t size,
				     gfp_t gfp)
{
	void *obj;

	if (h != &slab_no_tcache && i < NR_T1) {
		obj = tcache_refill(container_of(h, struct slab_tcache, hot), (int)i, gfp);
		if (likely(obj))
			return obj;
	}
	slab_entry();
	return kmalloc_slow(size, gfp);
}
#endif

/* The tier-1 sizes after a miss of the fast path (or without it). */
noinline void *__kmalloc_slow(size_t size, gfp_t gfp)
{
#ifdef SLAB_T1_FAST
	/*
	 * The fast path took a count of left[i] that was not there: give it
	 * back (I6, I7).  Then the common miss: head[i] ran dry and freed[i]
	 * takes over.  slab_no_tcache and kmalloc(0) (list 5) find a count
	 * below 0.
	 */
	struct slab_tcache_hot *h = slab_cur_tc();
	unsigned long i = slab_t1_class[size];
	void *obj;

	if (h == &slab_no_tcache) {
		/*
		 * Its lists are always empty and other CPUs write its words
		 * (I6): store the count back and look for no hit.
		 */
		WRITE_ONCE(slab_no_tcache.left[i], SLAB_NO_ROOM);
		return kmalloc_refill(h, i, size, gfp);
	}
	h->left[i]++;
	obj = tcache_take(container_of(h, struct slab_tcache, hot), i);

	if (likely(obj))
		return obj;
	return kmalloc_refill(h, i, size, gfp);
#else
	slab_entry();
	return kmalloc_slow(size, gfp);
#endif
}

#ifdef CONFIG_HOSTED_GLUE
/* slab_trap_entry_tail(): a host thread's first __kmalloc_big(). */
static noinline void *kmalloc_big_first(size_t size, gfp_t gfp)
{
	hosted_glue_thread_init();
	return __kmalloc_big(size, gfp);
}
#endif

/*
 * Above 256 bytes: a tier-2 hit here, tier 3 and the rest out of line.
 * (size - 1) >= 256, so its bsr is the class + 3 with no "| 15", the
 * index of kmalloc_t2 (KT2_IDX()), computed once for both tiers.
 */
noinline void *__kmalloc_big(size_t size, gfp_t gfp)
{
	unsigned long b;
	void *obj;

	slab_trap_entry_tail(slab_trap_null("kmalloc"), kmalloc_big_first, size, gfp);
	/* One bsr for both tiers: gcc otherwise keeps a clz for tier 3. */
	b = 63UL - (unsigned long)__builtin_clzl(size - 1);
	OPTIMIZER_HIDE_VAR(b);
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE)) {
		if (!DEBUG && !KASAN && size <= LARGE_CACHE_MAX &&
		    likely(obj = large_cache_take(b)))
			return obj;
		return kmalloc_large(size, gfp);
	}
	if (TIER2 && !DEBUG && !KASAN && likely(t2_pop_kmalloc(b, &obj)))
		return obj;
	return kmalloc_slow(size, gfp);
}

noinline void *__kmalloc_gfp(size_t size, gfp_t gfp)
{
	return kmalloc_gfp_ip(size, gfp, _RET_IP_);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (unlikely(!SLAB_GFP_PLAIN(gfp)))
		return __kmalloc_gfp(size, gfp);
	if (trace_kmalloc_enabled())
		return __kmalloc_gfp(size, gfp);
	might_alloc(gfp);
	if (should_fail_slab(size, gfp))
		return NULL;
	return kmalloc_plain(size, gfp);
}
EXPORT_SYMBOL(kmalloc);

void *kmalloc_kernel(size_t size)
{
	if (trace_kmalloc_enabled())
		return __kmalloc_gfp(size, GFP_KERNEL);
	might_alloc(GFP_KERNEL);
	if (should_fail_slab(size, GFP_KERNEL))
		return NULL;
	return kmalloc_plain(size, GFP_KERNEL);
}
EXPORT_SYMBOL(kmalloc_kernel);

/* Give a freed (and checked) object to the tiers. */
void free_slab_tiers(struct kmem_cache *c, void *obj)
{
	struct slab_tcache *tc;

	/* NUMA: an object of another node's slab goes home (slab_node.c). */
	if (static_branch_unlikely(&slab_numa_free) && slab_node_free(c, obj))
		return;
	if (c->t1 >= 0) {
		/* kfree() has no flags: as any kfree() did, it may create the cache. */
		tc = tcache_get_create(GFP_KERNEL);
		if (tc) {
			tcache_push(tc, c->t1, obj);
			return;
		}
	}
	cache_free(c, obj);
}

/* Free a classified slab object through the tiers. */
static int free_slab_obj(struct kmem_cache *c, void *obj, unsigned long ip)
{
	int ret = 0;

	if (DEBUG) {
		ret = debug_free(c, obj, ip);
		if (ret == -ENOENT)
			return ret;
	}
	free_slab_tiers(c, obj);
	return ret;
}

static int kfree_common(const void *p, unsigned long ip, const char *fn)
{
	struct obj_ref ref;
	int kind;

	if (slab_trap_refused(fn, ip))
		return -EDEADLK;
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free(fn, p, kind, ip);
		return kind;
	}
	if (kind == 2)
		return free_large(ref.page, p, ip, fn);
	return free_slab_obj(ref.c, (void *)p, ip);
}

/* kfree() of anything the fast paths do not handle: classify and report. */
noinline void __kfree_slow(const void *p)
{
	slab_entry();
	kfree_common(p, _RET_IP_, "kfree");
}

/*
 * The tier-2 push of kfree(@p) (class byte @cls), checks done: false if
 * @p does not start a tier-2 object (or the node layer is on, with which
 * t2_free_mask is ~0: I10 in kfree_other_slow()) or the array is full.
 */
static __always_inline bool kfree_t2_push(const void *p, unsigned long cls)
{
	return TIER2 && likely(!arch_slab_mask_test(p, t2_free_mask[cls])) &&
	       likely(t2_push_kmalloc(cls, (void *)p));
}

#ifdef SLAB_T1_FAST
/* kfree_t2_push() with __kfree_other()'s in_trap() test first: kfree()'s. */
static __always_inline bool kfree_t2_hit(const void *p, unsigned long cls)
{
	return likely(!in_trap()) && kfree_t2_push(p, cls);
}
#endif

/*
 * kfree() of a tier-2 kmalloc object (class @cls) with the node layer on:
 * another node's goes back to its slab (I10), this node's to this CPU's
 * array.
 */
noinline void kfree_t2_node(const void *p, unsigned long cls)
{
	slab_entry();
	if (unlikely(in_trap()))
		return slab_trap_void("kfree");
	if (slab_node_free(&kmalloc_caches[cls], (void *)p))
		return;
	if (likely(t2_push_kmalloc(cls, (void *)p)))
		return;
	kfree_common(p, _RET_IP_, "kfree");
}

/*
 * __kfree_other() past its tier-2 push: with the node layer on, any
 * tier-1 or tier-2 object (whose free masks are ~0 then, I10); a large
 * block, a full array, or anything to classify and report.  Reached by a
 * tail call, and reaches what needs _RET_IP_ (the caller of kfree) by
 * tail calls, so that neither it nor __kfree_other() needs a frame: the
 * large block's free runs without one.
 */
static noinline void kfree_other_slow(const void *p, unsigned long cls, unsigned long pfn)
{
	if (static_branch_unlikely(&slab_numa_free)) {
#ifdef SLAB_T1_FAST
		if (!arch_slab_mask_test(p, t1_obj_mask[cls]))
			return kfree_t1_node(p, cls);
#endif
		if (TIER2 && !arch_slab_mask_test(p, t2_obj_mask[cls]))
			return kfree_t2_node(p, cls);
	}
	if (cls == CLS_NONE && large_free_fast(p, pfn))
		return;
	__kfree_slow(p);
}

/*
 * Not a tier-1 object start (or the node layer is on): a tier-2 object, a
 * large block, or the slow path.
 */
#ifdef CONFIG_HOSTED_GLUE
/* slab_trap_entry_tail(): a host thread's first __kfree_other(). */
static noinline void kfree_other_first(const void *p, unsigned long cls, unsigned long pfn)
{
	hosted_glue_thread_init();
	__kfree_other(p, cls, pfn);
}
#endif

noinline void __kfree_other(const void *p, unsigned long cls, unsigned long pfn)
{
	slab_trap_entry_tail(slab_trap_void("kfree"), kfree_other_first, p, cls, pfn);
	if (likely(kfree_t2_push(p, cls)))
		return;
	kfree_other_slow(p, cls, pfn);
}

/* A tier-1 object whose push found no room (taken: give it back first). */
noinline void __kfree_full(const void *p, unsigned long cls)
{
	struct slab_tcache *tc;

	slab_entry();
	tc = tcache_get();
	if (!tc) {
		/* slab_no_tcache (I6): an interrupt handler, idle, no cache yet. */
		WRITE_ONCE(slab_no_tcache.room[cls], SLAB_NO_ROOM);
		kfree_common(p, _RET_IP_, "kfree");
		return;
	}
	tc->hot.room[cls]++;
	tcache_push(tc, (int)cls, (void *)p);
}

void kfree(const void *p)
{
	trace_kfree(_RET_IP_, p);
	if (KASAN) {
		kfree_hooked(p, _RET_IP_, "kfree");
		return;
	}
#ifdef SLAB_T1_FAST
	/*
	 * __kfree_t1() with __kfree_other()'s tier-2 push in place of its
	 * tail call: a tier-2 free takes one branch less.
	 */
	unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) - slab_pfn_bias, cls;

	if (unlikely(pfn >= slab_map_pfns))
		return __kfree_slow(p);
	cls = slab_class_map_base()[pfn];
	if (unlikely(!slab_t1_object(p, cls))) {
		if (likely(kfree_t2_hit(p, cls)))
			return;
		return __kfree_other(p, cls, pfn);
	}
	__kfree_t1_push(slab_cur_tc(), cls, p);
#else
	/* addr_pfn() with the bias in memory: one sub instead of movabs + add. */
	unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) - slab_pfn_bias;

	if (likely(pfn < slab_map_pfns))
		__kfree_other(p, slab_class_map[pfn], pfn);
	else
		__kfree_slow(p);
#endif
}
EXPORT_SYMBOL(kfree);

int kfree_checked(const void *p)
{
	return kfree_hooked(p, _RET_IP_, "kfree");
}

size_t ksize(const void *p)
{
	struct obj_ref ref;
	int kind;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	kind = classify(p, &ref);
	if (kind < 0) {
		report_bad_free("ksize", p, kind, _RET_IP_);
		return 0;
	}
	/* The caller may now use all of it. */
	kasan_unpoison(p, kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page));
	return kind == 1 ? ref.c->size : PAGE_SIZE << page_order(ref.page);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc_gfp(size, gfp | __GFP_ZERO);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes)) {
		if (!(gfp & __GFP_NOWARN) && __ratelimit(rs()))
			pr_err("kmalloc_array(%zu, %zu): size overflows\n", n, size);
		return NULL;
	}
	return __kmalloc_gfp(bytes, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

struct kmem_cache *kmalloc_cache(size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return &kmalloc_caches[kmalloc_class(size)];
}

unsigned long kmalloc_usage(unsigned long *slab_pages)
{
	struct kmem_cache_stats st;
	unsigned long pages = 0, inuse = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches); i++) {
		kmem_cache_get_stats(&kmalloc_caches[i], -1, &st);
		pages += st.slabs << st.order;
		inuse += st.objs_inuse;
	}
	if (slab_pages)
		*slab_pages = pages;
	return inuse;
}

/*
 * kmem_cache_free() past its fast path (slab_cache_api.c, by tail calls):
 * classify @obj, free it or refuse it with a report.
 */
noinline void kmem_cache_free_slow(struct kmem_cache *c, void *obj)
{
	unsigned long ip = _RET_IP_;
	struct obj_ref ref;
	int kind;

	if (!obj)
		return;
	kind = classify(obj, &ref);
	if (kind != 1 || ref.c != c) {
		if (kind == 1)
			slab_report("kmem_cache_free(%s, %p) from %pS: object of %s, refused\n",
				    c->name, obj, (void *)ip, ref.c->name);
		else
			report_bad_free("kmem_cache_free", obj, kind == 2 ? -EFAULT : kind, ip);
		return;
	}
	if (KASAN && kasan_slab_free(obj, c->size, ip)) {
		__atomic_fetch_add(&slab_errors, 1, __ATOMIC_RELAXED);
		return;
	}
	if (KASAN) {
		free_slab_quarantined(c, obj, ip);
		return;
	}
	free_slab_obj(c, obj, ip);
}

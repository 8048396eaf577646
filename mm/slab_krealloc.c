// SPDX-License-Identifier: GPL-2.0
/*
 * krealloc(): keep an object that still fits, move one that grows
 * through the kmalloc fast paths and free the old one straight to its
 * tier.  Design and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* krealloc() is exported from here: no inline copies of kmalloc/kfree. */
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

/* krealloc() of a typed cache's object: -EFAULT, reported as such. */
static void report_typed_realloc(const void *p, unsigned long ip)
{
	slab_report("krealloc(%p) from %pS: a kmem_cache object, not from kmalloc, refused\n",
		    p, (void *)ip);
}

/* krealloc()'s new object with flags kmalloc_plain() does not handle. */
static noinline void *krealloc_gfp(size_t size, gfp_t gfp, unsigned long ip)
{
	return kmalloc_gfp_ip(size, gfp, ip);
}

/*
 * The new object of krealloc() (@gfp without zone bits), not zeroed;
 * traced as a kmalloc from @ip.
 */
static __always_inline void *krealloc_new(size_t size, gfp_t gfp, unsigned long ip)
{
	void *n;

	gfp &= ~__GFP_ZERO;
	if (!SLAB_GFP_PLAIN(gfp))
		return krealloc_gfp(size, gfp, ip);
	/* The fast paths, as kmalloc() takes them (KASAN: its hook). */
	n = should_fail_slab(size, gfp) ? NULL : kmalloc_plain(size, gfp);
	if (n)
		trace_kmalloc(ip, n, size, (__force unsigned int)gfp);
	return n;
}

/*
 * classify() for krealloc(): a kmalloc object without debugging inline,
 * found as kfree() finds it (the class map byte, the object-start test of
 * the class's power-of-two size), anything else by classify().  *@clsp:
 * the kmalloc class when the result is 1 and @ref->c is a kmalloc cache,
 * else NR_KMALLOC or more.  Return: as classify().
 */
static __always_inline int krealloc_classify(const void *p, struct obj_ref *ref,
					     unsigned long *clsp)
{
	unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) - slab_pfn_bias, cls;
	int kind;

	if (!DEBUG && likely(pfn < slab_map_pfns)) {
		cls = READ_ONCE(slab_class_map_base()[pfn]);
		if (likely(cls < NR_KMALLOC)) {
			if ((unsigned long)p & ((16UL << cls) - 1))
				return -EINVAL;
			ref->c = &kmalloc_caches[cls];
			ref->page = NULL;
			*clsp = cls;
			return 1;
		}
	}
	kind = classify(p, ref);
	*clsp = kind == 1 ? ref->c->cls : NR_KMALLOC;
	return kind;
}

/*
 * Free the old kmalloc object @p (class @cls) of a krealloc() that moved
 * it, without debugging or KASAN: straight to its tier, as kfree() would
 * send it, with no second class map lookup: the thread's list (tier 1),
 * this CPU's array (tier 2), else the slow free.  With the node layer on,
 * another node's object goes home (I10), this node's tier-2 object to
 * this CPU's array as kfree_t2_node() sends it, the rest through
 * free_slab_tiers().
 */
static __always_inline void krealloc_free_obj(const void *p, unsigned long cls)
{
	if (slab_multi_node()) {
		if (TIER2 && cls >= NR_T1 &&
		    (slab_node_free(&kmalloc_caches[cls], (void *)p) ||
		     likely(t2_push_kmalloc(cls, (void *)p))))
			return;
		free_slab_tiers(&kmalloc_caches[cls], (void *)p);
		return;
	}
#ifdef SLAB_T1_FAST
	if (cls < NR_T1) {
		__kfree_t1_push(slab_cur_tc(), cls, p);
		return;
	}
#endif
	if (TIER2 && likely(!arch_slab_mask_test(p, t2_free_mask[cls])) &&
	    likely(t2_push_kmalloc(cls, (void *)p)))
		return;
	free_slab_tiers(&kmalloc_caches[cls], (void *)p);
}

/*
 * Free the old object of a krealloc() that moved it: @ref, @kind and
 * @cls are what krealloc_classify() said.  KASAN (quarantine, poison) and
 * debugging through the checked path.
 */
static __always_inline void krealloc_free(const void *p, const struct obj_ref *ref, int kind,
					  unsigned long cls, unsigned long ip)
{
	if (KASAN || DEBUG) {
		kfree_hooked(p, ip, "krealloc");
		return;
	}
	if (kind == 2) {
		free_large_void(ref->page, p, ip, "krealloc");
		return;
	}
	krealloc_free_obj(p, cls);
}

/*
 * krealloc() of the kmalloc object @p (class @cls, @old bytes) to a
 * larger @new_size without __GFP_ZERO, debugging or KASAN: the common
 * move, reached by a tail call, so that only @p, the new object and @cls
 * live across the copy (three saved registers, not krealloc()'s six).
 */
static noinline void *krealloc_move(const void *p, size_t old, size_t new_size, gfp_t gfp,
				    unsigned long cls, unsigned long ip)
{
	void *n = krealloc_new(new_size, gfp, ip);

	if (!n)
		return NULL;
	trace_kfree(ip, p);
	memcpy(n, p, old);
	krealloc_free_obj(p, cls);
	return n;
}

/* krealloc() of anything krealloc() does not take itself; @ip its caller. */
static noinline void *krealloc_slow(const void *p, size_t new_size, gfp_t gfp, unsigned long ip)
{
	struct obj_ref ref;
	unsigned long cls;
	size_t old;
	void *n;
	int kind;

	if (WARN_ON_ONCE(gfp & GFP_ZONEMASK))
		return NULL;
	might_alloc(gfp);
	slab_entry();
	if (slab_trap_refused("krealloc", ip))
		return NULL;
	if (ZERO_OR_NULL_PTR(p)) {
		n = krealloc_new(new_size, gfp, ip);
		if ((gfp & __GFP_ZERO) && !ZERO_OR_NULL_PTR(n))
			memset(n, 0, new_size);
		return n;
	}
	if (KASAN && kasan_free_precheck(p, ip))
		return NULL;
	kind = krealloc_classify(p, &ref, &cls);
	if (kind < 0) {
		report_bad_free("krealloc", p, kind, ip);
		return NULL;
	}
	if (!new_size) {
		trace_kfree(ip, p);
		kfree_hooked(p, ip, "krealloc");
		return ZERO_SIZE_PTR;
	}
	if (kind == 1) {
		if (cls >= NR_KMALLOC) {
			report_typed_realloc(p, ip);
			return NULL;
		}
		old = ref.c->size;
	} else {
		old = PAGE_SIZE << page_order(ref.page);
	}
	/*
	 * Still fits: the same object, as Linux's krealloc().  With
	 * __GFP_ZERO the bytes past the new size are zeroed, so that a later
	 * krealloc() that grows it again in place finds zeroes there.
	 */
	if (new_size <= old) {
		if (gfp & __GFP_ZERO) {
			kasan_unpoison(p, old);
			memset((char *)p + new_size, 0, old - new_size);
		}
		return kasan_alloc_hook((void *)p, new_size, ip);
	}
	if (!KASAN && !DEBUG && kind == 1 && !(gfp & __GFP_ZERO))
		return krealloc_move(p, old, new_size, gfp, cls, ip);
	n = krealloc_new(new_size, gfp, ip);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	if (gfp & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	trace_kfree(ip, p);
	krealloc_free(p, &ref, kind, cls, ip);
	return n;
}

/*
 * The common krealloc(), with no stack frame: a kmalloc object (without
 * debugging or KASAN) that still fits is kept, one that grows (no
 * __GFP_ZERO) is moved by a tail call to krealloc_move(); the rest is
 * krealloc_slow()'s: NULL and ZERO_SIZE_PTR (whose frame numbers are
 * below the map's, so that the unsigned test sends them there, as it does
 * for kfree()), flags with zone or zeroing bits, large blocks, typed
 * objects, bad pointers (reported there), size 0, a trap, and a hosted
 * thread's first call (in_trap() then: mm/slab.h, slab_trap_entry_tail()).
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	unsigned long pfn = ((unsigned long)p >> PAGE_SHIFT) - slab_pfn_bias, cls;
	size_t old;

	if (KASAN || DEBUG || unlikely(gfp & (GFP_ZONEMASK | __GFP_ZERO)) ||
	    unlikely(in_trap()) || unlikely(pfn >= slab_map_pfns) ||
	    unlikely(!new_size))
		return krealloc_slow(p, new_size, gfp, _RET_IP_);
	cls = READ_ONCE(slab_class_map_base()[pfn]);
	if (unlikely(cls >= NR_KMALLOC) || unlikely((unsigned long)p & ((16UL << cls) - 1)))
		return krealloc_slow(p, new_size, gfp, _RET_IP_);
	might_alloc(gfp);
	/* The size of a kmalloc class without debugging (kmalloc_caches[cls].size). */
	old = 16UL << cls;
	if (new_size <= old)
		return (void *)p;
	return krealloc_move(p, old, new_size, gfp, cls, _RET_IP_);
}

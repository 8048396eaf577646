/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mm/slab_common.c shares with mm/slab_krealloc.c: the pointer
 * classification, the bad-pointer report, the free and allocation paths
 * krealloc() takes, and kmalloc()'s flag-free fast path, inlined in both.
 * Include after slab.h.
 */
#ifndef _MM_SLAB_KMALLOC_H
#define _MM_SLAB_KMALLOC_H

struct obj_ref {
	struct kmem_cache *c;
	struct page *page;		/* slab head, or large-kmalloc head */
};

/* What @p is: 1 slab object, 2 large block, or an error (slab_common.c). */
int classify(const void *p, struct obj_ref *ref);
/* The refusal line of @fn(@p) from @ip for classify()'s error @err. */
void report_bad_free(const char *fn, const void *p, int err, unsigned long ip);
/* kfree() with KASAN's and the debugging checks, as @fn from @ip. */
int kfree_hooked(const void *p, unsigned long ip, const char *fn);
/* Give a freed (and checked) object to the tiers. */
void free_slab_tiers(struct kmem_cache *c, void *obj);
/* Free the large block @pg (@addr its start), as @fn from @ip. */
void free_large_void(struct page *pg, const void *addr, unsigned long ip, const char *fn);
/* kmalloc() past the fast paths. */
void *kmalloc_slow(size_t size, gfp_t gfp);

/*
 * CONFIG_KASAN: every call takes the slow paths, so that each allocation
 * unpoisons exactly the bytes asked for and each free poisons the slot and
 * catches a double free before the tiers see the pointer.
 */
static inline void *kasan_alloc_hook(void *obj, size_t size, unsigned long ip)
{
	struct obj_ref ref;
	int kind;

	if (!KASAN || ZERO_OR_NULL_PTR(obj))
		return obj;
	kind = classify(obj, &ref);
	if (kind == 1)
		kasan_slab_alloc(obj, size, ref.c->size, ip);
	else if (kind == 2)
		kasan_slab_alloc(obj, size, PAGE_SIZE << page_order(ref.page), ip);
	return obj;
}

/*
 * The tier-2 hit of kmalloc(@size), 256 < @size, as __kmalloc_big() has
 * it (the in_trap() test also finds a hosted thread not set up yet):
 * false for anything else, which __kmalloc_big() then takes.
 */
static __always_inline bool kmalloc_t2_hit(size_t size, void **objp)
{
	if (!TIER2 || DEBUG || KASAN || unlikely(size > KMALLOC_MAX_CACHE_SIZE) ||
	    unlikely(in_trap()))
		return false;
	return t2_pop_kmalloc(63UL - (unsigned long)__builtin_clzl(size - 1), objp);
}

/* kmalloc() for @gfp with only context bits (SLAB_GFP_PLAIN), checks done. */
static __always_inline void *kmalloc_plain(size_t size, gfp_t gfp)
{
	if (KASAN)
		return kasan_alloc_hook(kmalloc_slow(size, gfp), size, _RET_IP_);
#ifdef SLAB_T1_FAST
	/*
	 * __kmalloc_t1() with the tier-2 hit in place of its tail call to
	 * __kmalloc_big(): in these out-of-line copies (the exported
	 * kmalloc(), kmalloc_kernel(), krealloc()'s move) a tier-2 hit
	 * takes one branch less.
	 */
	if (unlikely(size > KMALLOC_TIER1_MAX)) {
		void *obj;

		if (likely(kmalloc_t2_hit(size, &obj)))
			return obj;
		return __kmalloc_big(size, gfp);
	}
	return __kmalloc_t1_pop(slab_cur_tc(), slab_t1_class_of(size), size, gfp);
#else
	if (size > KMALLOC_TIER1_MAX)
		return __kmalloc_big(size, gfp);
	return __kmalloc_slow(size, gfp);
#endif
}

/*
 * The flags kmalloc_plain() does not handle: zone, zeroing, __GFP_NOFAIL;
 * traced as a kmalloc from @ip.
 */
static __always_inline void *kmalloc_gfp_ip(size_t size, gfp_t gfp, unsigned long ip)
{
	void *p;

	if (unlikely(gfp & __GFP_NOFAIL) &&
	    WARN_ON_ONCE(gfp_nofail_refused(gfp, size > 2 * PAGE_SIZE ? 2 : 0)))
		return NULL;
	might_alloc(gfp);
	if (should_fail_slab(size, gfp))
		return NULL;
	if (unlikely(gfp & GFP_ZONEMASK)) {
		slab_entry();
		if (unlikely(in_trap()))
			return slab_trap_null("kmalloc");
		p = size ? kasan_alloc_hook(kmalloc_zone(size, gfp), size, ip) :
			   ZERO_SIZE_PTR;
	} else {
		p = kmalloc_plain(size, gfp);
	}
	if (unlikely(!p)) {
		WARN_ON_ONCE(gfp & __GFP_NOFAIL);
		return NULL;
	}
	if ((gfp & __GFP_ZERO) && !ZERO_OR_NULL_PTR(p))
		memset(p, 0, size);
	trace_kmalloc(ip, p, size, (__force unsigned int)gfp);
	return p;
}

#endif /* _MM_SLAB_KMALLOC_H */

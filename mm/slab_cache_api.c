// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel allocator's typed-cache API: kmem_cache_create/destroy(),
 * kmem_cache_alloc/free() and kmem_cache_size().  The free's slow path,
 * which classifies the pointer as kfree() does, is slab_common.c's.
 * Design and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/kasan.h>
#include <exo/string.h>

#include "slab.h"
/* After slab.h: it has what internal.h needs. */
#include "internal.h"

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *obj))
{
	struct kmem_cache *c;

	if (!name || !size || size > KMALLOC_MAX_CACHE_SIZE ||
	    (align && (!is_power_of_2(align) || align > PAGE_SIZE)) ||
	    (flags & ~(SLAB_HWCACHE_ALIGN | SLAB_NO_TIER2))) {
		pr_err("kmem_cache_create(%s, %zu, %zu, %#x): bad argument (-EINVAL)\n",
		       name ? name : "(null)", size, align, flags);
		return NULL;
	}
	align = max_t(size_t, align, 8);
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max_t(size_t, align, 64);
	/* Room for the lists of every node after it (I9). */
	c = kzalloc(sizeof(*c) + MAX_NUMNODES * sizeof(struct slab_node_lists), GFP_KERNEL);
	if (!c) {
		pr_err("kmem_cache_create(%s): no memory\n", name);
		return NULL;
	}
	if (!cache_layout(c, size, align, false, ctor != NULL)) {
		pr_err("kmem_cache_create(%s, %zu): object too large for a slab\n", name, size);
		kfree(c);
		return NULL;
	}
	c->cls = CLS_TYPED + c->order;
	c->node = (struct slab_node_lists *)(c + 1);
	cache_init(c, name, flags, ctor);
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;
	bool busy;

	if (!c)
		return 0;
	if (c->cls < NR_KMALLOC || c == &tcache_cache) {
		pr_err("kmem_cache_destroy(%s): built-in cache (-EINVAL)\n", c->name);
		return -EINVAL;
	}
	kmem_drain_all();
	spin_lock_irqsave(&c->lock, flags);
	busy = c->nr_slabs != c->nr_empty;
	spin_unlock_irqrestore(&c->lock, flags);
	if (busy) {
		pr_err("kmem_cache_destroy(%s): objects still allocated (-EBUSY)\n", c->name);
		return -EBUSY;
	}
	cache_shrink(c, 0);
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&c->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	kfree(c);
	return 0;
}

/* kmem_cache_alloc() for @gfp without zone bits, __GFP_ZERO, __GFP_NOFAIL. */
static __always_inline void *cache_alloc_plain(struct kmem_cache *c, gfp_t gfp,
					       unsigned long ip)
{
	void *obj;

	might_alloc(gfp);
	if (should_fail_slab(c->size, gfp))
		return NULL;
	if (unlikely(in_trap()))
		return slab_trap_null("kmem_cache_alloc");
	if (TIER2 && !DEBUG && !KASAN && likely(!(c->flags & SLAB_TYPED_SLOW)) &&
	    likely(t2_pop(c, &obj)))
		return obj;
	obj = cache_alloc(c, gfp);
	if (DEBUG && obj)
		debug_alloc(c, obj, ip);
	if (KASAN && obj)
		kasan_slab_alloc(obj, c->size, c->size, ip);
	return obj;
}

/* GFP_KERNEL: what the inline kmem_cache_alloc() calls for that constant. */
void *__kmem_cache_alloc(struct kmem_cache *c)
{
	return cache_alloc_plain(c, GFP_KERNEL, _RET_IP_);
}

void *__kmem_cache_alloc_gfp(struct kmem_cache *c, gfp_t gfp)
{
	void *obj;

	/* Typed caches are not zone-constrained: refused rather than ignored. */
	if (WARN_ON_ONCE(gfp & GFP_ZONEMASK))
		return NULL;
	if (unlikely(gfp & __GFP_NOFAIL) && WARN_ON_ONCE(gfp_nofail_refused(gfp, c->order)))
		return NULL;
	obj = cache_alloc_plain(c, gfp & ~(__GFP_ZERO | __GFP_NOFAIL), _RET_IP_);
	if (unlikely(!obj)) {
		WARN_ON_ONCE(gfp & __GFP_NOFAIL);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->size);
	return obj;
}

/*
 * Does @obj start an object of typed cache @c?  O(1), never dereferences
 * @obj: its frame is a slab of @c (class byte, then the head page), and
 * its offset in the slab is below the last object's end and a multiple
 * of the stride (a multiply, no divide: stride_magic).  Slabs are
 * naturally aligned blocks, so the offset is the direct-map offset masked.
 */
static __always_inline bool typed_obj_of(const struct kmem_cache *c, const void *obj)
{
	unsigned long off = addr_off(obj), pfn = off >> PAGE_SHIFT;

	if (unlikely(pfn >= slab_map_pfns) || slab_class_map[pfn] != c->cls ||
	    pfn_to_page(pfn & c->pfn_mask)->slab_cache != c)
		return false;
	off &= c->off_mask;
	return off * c->stride_magic < c->stride_magic && off < c->objs_end;
}

/*
 * kmem_cache_free() with several memory nodes: an object of another
 * node's slab goes back to it (I10), one of this node's to this CPU's
 * array as on the fast path.
 */
static noinline void kmem_cache_free_node(struct kmem_cache *c, void *obj)
{
	if (TIER2 && !DEBUG && !KASAN && !(c->flags & SLAB_TYPED_SLOW) && typed_obj_of(c, obj)) {
		if (slab_node_free(c, obj) || t2_push(c, obj))
			return;
	}
	kmem_cache_free_slow(c, obj);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (unlikely(in_trap()))
		return slab_trap_void("kmem_cache_free");
	/* I10: a tail call, which leaves this path's code as it is. */
	if (static_branch_unlikely(&slab_numa_free))
		return kmem_cache_free_node(c, obj);
	/* SLAB_TYPED_SLOW: the kmalloc caches (tier 1 among them) take the slow path. */
	if (TIER2 && !DEBUG && !KASAN && likely(!(c->flags & SLAB_TYPED_SLOW)) &&
	    likely(typed_obj_of(c, obj)) && likely(t2_push(c, obj)))
		return;
	kmem_cache_free_slow(c, obj);
}

size_t kmem_cache_size(const struct kmem_cache *c)
{
	return c->size;
}

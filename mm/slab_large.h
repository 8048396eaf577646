/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tier 3 (kmalloc above the slab sizes: whole page blocks), what both
 * slab_large.c and the kmalloc()/kfree() paths of slab_common.c use: the
 * per-CPU block cache, its take and put inline.  The free of a large block
 * is slab_common.c's, beside kfree().  Design and invariants: slab.h.
 */
#ifndef _MM_SLAB_LARGE_H
#define _MM_SLAB_LARGE_H

#include "slab.h"

/*
 * Tier 3's block cache: one freed block per order 1..LARGE_CACHE_ORDERS
 * (8 KiB..1 MiB: every order below the 2 MiB one, which the page
 * allocator's per-CPU rings keep themselves) on each CPU, so that a
 * kmalloc/kfree of a large size is not a buddy split and merge each time.
 * At most 2 MiB less 8 KiB per CPU; taken and put with interrupts off (any
 * context frees), no atomic: a cached block stays counted in large_pages,
 * and kmalloc_large_pages() subtracts the caches' pages.  A cached block
 * is typed PAGE_TYPE_BUDDY, so a second kfree() is refused as for a block
 * back in the buddy allocator.  kmem_drain_all() and the CPU drains empty
 * it, and so does drain_local_pages() (page_alloc_set_drain_hook()), so
 * the page allocator before it fails any allocation.  Not with slab
 * debugging or KASAN, whose checks want every block back at once.
 */
#define LARGE_CACHE_ORDERS	(PCP_HUGE_ORDER - 1)
#define LARGE_CACHE_MAX		(PAGE_SIZE << LARGE_CACHE_ORDERS)

/*
 * addr[o] != NULL: a block of order o (1..LARGE_CACHE_ORDERS; slot 0 is
 * unused, so that the order is the index), blk[o] its head page.
 */
struct large_cache {
	void *addr[LARGE_CACHE_ORDERS + 1];
	struct page *blk[LARGE_CACHE_ORDERS + 1];
};

DECLARE_PER_CPU(struct large_cache, large_cache);

/*
 * This CPU's slot at byte offset @off (8 * the order; interrupts off): in
 * the kernel %gs-relative with the offset in a register, no per-CPU base
 * to load; the hosted build has no such accessors.
 */
#ifdef __HOSTED__
#define lc_read(field, off)	(this_cpu_ptr(&large_cache)->field[(off) / 8])
#define lc_write(field, off, v)	(this_cpu_ptr(&large_cache)->field[(off) / 8] = (v))
#else
#define lc_read(field, off)	raw_cpu_read_off(large_cache.field[0], off)
#define lc_write(field, off, v)	raw_cpu_write_off(large_cache.field[0], off, v)
#endif

/*
 * page->flags (0 when the page allocator hands a block out) of a large
 * block that its kfree() may cache: set by kmalloc_large() and
 * kmalloc_large_node() when large_cacheable(), so that the free tests one
 * bit.  Not by kmalloc_zone(): a GFP_DMA/GFP_DMA32 block goes back at
 * once, since the zone is scarce and a cached block would go to a
 * kmalloc() that needs no zone (and not by the page's zone: below 4 GiB of
 * RAM, DMA32 is all the memory a plain kmalloc() gets).  A cached block
 * keeps the bit for its next user.
 */
#define LARGE_F_CACHE	0x1

/*
 * A cached block for kmalloc(@size), 4 KiB < @size <= LARGE_CACHE_MAX,
 * or NULL, from @b, the bsr of (@size - 1): the order is @b - 11.
 */
static __always_inline void *large_cache_take(unsigned long b)
{
	unsigned long off = (b - 11) * 8, flags;
	void *obj;

	/* Computed whole before the irqsave: gcc otherwise splits it around. */
	OPTIMIZER_HIDE_VAR(off);
	local_irq_save(flags);
	obj = lc_read(addr, off);
	if (obj) {
		WRITE_ONCE(lc_read(blk, off)->type, (u8)PAGE_TYPE_LARGE_KMALLOC);
		lc_write(addr, off, NULL);
	}
	local_irq_restore(flags);
	return obj;
}

static __always_inline bool large_cache_put(struct page *pg, const void *addr, unsigned int order)
{
	unsigned long flags, off = order * 8UL;
	bool put = false;

	OPTIMIZER_HIDE_VAR(off);
	local_irq_save(flags);
	if (!lc_read(addr, off)) {
		lc_write(addr, off, (void *)addr);
		lc_write(blk, off, pg);
		put = true;
	}
	local_irq_restore(flags);
	return put;
}

/* slab_large.c */
void *kmalloc_large(size_t size, gfp_t gfp);
void *kmalloc_zone(size_t size, gfp_t gfp);

#endif /* _MM_SLAB_LARGE_H */

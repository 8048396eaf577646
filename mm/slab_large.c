// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 3 of the kernel allocator: kmalloc above the slab sizes (and any
 * size from a DMA zone) as whole page blocks, and the per-CPU block
 * cache's set-up, drains and counts.  The cache's take and put are inline
 * in slab_large.h; the free of a large block is slab_common.c's, beside
 * kfree().  Design and invariants: slab.h.
 */
#define pr_fmt(fmt) "slab: " fmt
/* Inside the allocator kmalloc()/kfree() are the exported ones, not inline copies. */
#define SLAB_OUT_OF_LINE

#include <exo/errno.h>
#include <exo/string.h>

#include "slab.h"
/* After slab.h: it has what internal.h needs. */
#include "internal.h"
#include "slab_large.h"

DEFINE_PER_CPU(struct large_cache, large_cache);

/*
 * A page block for kmalloc(@size), or the failure line and NULL.  The
 * order is read back from @pg so that it need not live across the call.
 */
static __always_inline void *kmalloc_pages_done(struct page *pg, size_t size, gfp_t gfp)
{
	if (unlikely(!pg)) {
		if (!(gfp & __GFP_NOWARN) && __ratelimit(rs()))
			pr_warn("kmalloc(%zu): out of memory\n", size);
		return NULL;
	}
	/* Marked: a racing kfree() of a stale pointer reads it (free_large()). */
	WRITE_ONCE(pg->type, (u8)PAGE_TYPE_LARGE_KMALLOC);
	__atomic_fetch_add(&large_pages, 1L << page_order(pg), __ATOMIC_RELAXED);
	return page_address(pg);
}

static __always_inline bool large_cacheable(unsigned int order)
{
	return !DEBUG && !KASAN && order - 1 < LARGE_CACHE_ORDERS;
}

static __always_inline struct page *large_mark(struct page *pg)
{
	if (pg && large_cacheable(page_order(pg)))
		pg->flags = LARGE_F_CACHE;
	return pg;
}

static void slab_drain_local_hook(void);

/*
 * Forget every cache (kmem_cache_init(): the hosted tests start over), and
 * have the page allocator empty them and this CPU's remote-free batches
 * with its own per-CPU caches (slab_drain_local_hook() from
 * drain_local_pages(), also its drain IPI and its last try before it
 * fails an allocation).
 */
void large_cache_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_has_area(cpu))
			memset(per_cpu_ptr(&large_cache, cpu), 0, sizeof(struct large_cache));
	/* Set with any cache size: it also drains the remote-free batches. */
	page_alloc_set_drain_hook(slab_drain_local_hook);
}

/* Empty @cpu's block cache (that CPU with interrupts off, or not running). */
void large_cache_drain(unsigned int cpu)
{
	struct large_cache *lc;

	if (!cpu_has_area(cpu))
		return;
	lc = per_cpu_ptr(&large_cache, cpu);
	for (unsigned int o = 1; o <= LARGE_CACHE_ORDERS; o++) {
		struct page *pg = lc->blk[o];

		if (!lc->addr[o])
			continue;
		lc->addr[o] = NULL;
		__atomic_fetch_sub(&large_pages, 1L << o, __ATOMIC_RELAXED);
		__free_pages(pg, o);
	}
}

/* Pages in CPU @cpu's block cache (a statistic: read racily). */
unsigned long large_cache_cpu_pages(unsigned int cpu)
{
	unsigned long n = 0;

	for (unsigned int o = 1; cpu_has_area(cpu) && o <= LARGE_CACHE_ORDERS; o++)
		if (READ_ONCE(per_cpu_ptr(&large_cache, cpu)->addr[o]))
			n += 1UL << o;
	return n;
}

/* Pages in the block caches of every CPU (a statistic: read racily). */
unsigned long large_cache_pages(void)
{
	unsigned long n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += large_cache_cpu_pages(cpu);
	return n;
}

/* The page allocator's drain: this CPU's large blocks and remote-free batches. */
static noinline void slab_drain_local_hook(void)
{
	unsigned long flags;

	local_irq_save(flags);
	slab_remote_drain(smp_processor_id());
	large_cache_drain(smp_processor_id());
	local_irq_restore(flags);
}

/* Whole pages above the slab sizes, from any zone. */
noinline void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order;
	struct page *pg;

	/* Before any rounding: DIV_ROUND_UP(SIZE_MAX, ...) wraps. */
	if (unlikely(size > (PAGE_SIZE << MAX_ORDER))) {
		if (__ratelimit(rs()))
			pr_err("kmalloc(%zu): larger than the largest block (%lu KiB)\n", size,
			       (PAGE_SIZE << MAX_ORDER) >> 10);
		return NULL;
	}
	order = (unsigned int)(64 - __builtin_clzl((size - 1) >> PAGE_SHIFT));
	/* Before it fails, the page allocator empties the block caches. */
	pg = slab_alloc_pages(order, gfp);
	return kmalloc_pages_done(large_mark(pg), size, gfp);
}

/* kmalloc_large() from node @nid first (slab_node.c: kmalloc_node()). */
noinline void *kmalloc_large_node(size_t size, gfp_t gfp, int nid)
{
	unsigned int order;

	if (unlikely(size > (PAGE_SIZE << MAX_ORDER)))
		return kmalloc_large(size, gfp);
	order = (unsigned int)(64 - __builtin_clzl((size - 1) >> PAGE_SHIFT));
	return kmalloc_pages_done(large_mark(alloc_pages_node(nid, (gfp & (__GFP_ATOMIC |
									 __GFP_THISNODE)) |
							       __GFP_NOWARN, order)), size, gfp);
}

/*
 * GFP_DMA/GFP_DMA32 (@gfp's zone bits), any size but 0: whole pages from
 * the zone, since the slabs are not zone-constrained.
 */
noinline void *kmalloc_zone(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct page *pg;

	if (unlikely(size > (PAGE_SIZE << MAX_ORDER)))
		return kmalloc_large(size, gfp);
	if (size > PAGE_SIZE)
		order = (unsigned int)(64 - __builtin_clzl((size - 1) >> PAGE_SHIFT));
	/* Not large_mark()ed: given back at once. */
	pg = alloc_pages((gfp & (GFP_ZONEMASK | __GFP_ATOMIC)) | __GFP_NOWARN, order);
	return kmalloc_pages_done(pg, size, gfp);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Isolated frame-allocator instances for tests (mm/page_alloc_test.h): a
 * private zone over one block taken from the system allocator, driven by
 * the same code as the system allocator.  Built with the tests only.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/string.h>

#include "page_alloc_test.h"

/* Carve a private 2^@order instance out of the system allocator. */
int buddy_test_init(struct buddy_test_instance *bi, unsigned int order)
{
	struct pcp_counters unused = { 0 };
	struct page *page;
	unsigned long pfn, flags;
	struct zone *zone;

	if (order > MAX_ORDER)
		return -EINVAL;
	/*
	 * Worst case on purpose: take twice the size and give the upper half
	 * back, so that the instance's buddy is a free block of the same order
	 * in the system allocator.  A merge across the instance's boundary
	 * would corrupt both and be caught.
	 */
	page = order < MAX_ORDER ? alloc_pages(GFP_KERNEL | __GFP_NOWARN, order + 1) : NULL;
	if (page)
		/* Straight to the lists: a cached buddy would never be merged. */
		free_range(&global_pa, page_to_phys(page) + PFN_PHYS(1UL << order), 1UL << order,
			   "buddy_test_init", false);
	else
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	if (!page)
		return -ENOMEM;
	pfn = page_to_pfn(page);
	memset(bi, 0, sizeof(*bi));
	bi->base_pfn = pfn;
	bi->order = order;
	zone = &bi->pa.zones[0];
	zone_init(zone, "test", pfn, pfn + (1UL << order));
	zone->managed = 1UL << order;
	bi->pa.nr_zones = 1;
	bi->pa.preferred = 0;
	bi->pa.pageset = &bi->pageset;
	pageset_reset(&bi->pageset);
	/* The block is ours: from the system's view it stays an allocated
	 * block; inside, the instance's zone owns every state bit. */
	if (WARN_ON(!test_and_clear_bit(pfn, page_alloc_map)))
		return -EINVAL;
	spin_lock_irqsave(&zone->lock, flags);
	__free_one(zone, pfn, order, &unused);
	spin_unlock_irqrestore(&zone->lock, flags);
	return 0;
}

/* Give an empty instance's block back; -EBUSY if frames are in use. */
int buddy_test_destroy(struct buddy_test_instance *bi)
{
	struct zone *zone = &bi->pa.zones[0];
	unsigned long flags;

	buddy_test_drain(bi);
	spin_lock_irqsave(&zone->lock, flags);
	if (zone->nr_free != 1UL << bi->order || !pfn_listed(bi->base_pfn)) {
		spin_unlock_irqrestore(&zone->lock, flags);
		pr_err("buddy_test_destroy: %lu of %lu frames still allocated, block leaked\n",
		       (1UL << bi->order) - zone->nr_free, 1UL << bi->order);
		return -EBUSY;
	}
	free_list_del(zone, bi->base_pfn, bi->order);
	zone->nr_free = 0;
	spin_unlock_irqrestore(&zone->lock, flags);
	prep_block(bi->base_pfn, bi->order);
	__free_pages(&mem_map[bi->base_pfn], bi->order);
	return 0;
}

/* The instance's alloc_frame(): the same code on its own zone and cache. */
int buddy_test_alloc_frame(struct buddy_test_instance *bi, phys_addr_t *frame)
{
	return pa_alloc_frame(&bi->pa, frame);
}

/* The instance's free_frame(). */
int buddy_test_free_frame(struct buddy_test_instance *bi, phys_addr_t frame)
{
	return pa_free_frame(&bi->pa, frame);
}

/* The instance's alloc_contiguous(). */
int buddy_test_alloc_contiguous(struct buddy_test_instance *bi, size_t count, phys_addr_t *base)
{
	return pa_alloc_contiguous(&bi->pa, count, base);
}

/* The instance's free_contiguous(). */
int buddy_test_free_contiguous(struct buddy_test_instance *bi, phys_addr_t base, size_t count)
{
	return pa_free_contiguous(&bi->pa, base, count);
}

/* Empty the instance's cache into its zone. */
void buddy_test_drain(struct buddy_test_instance *bi)
{
	unsigned long flags = arch_local_irq_save();

	drain_pageset(&bi->pa, pa_pageset(&bi->pa));
	arch_local_irq_restore(flags);
}

/* Free frames of the instance, list plus cache. */
unsigned long buddy_test_nr_free(struct buddy_test_instance *bi)
{
	return bi->pa.zones[0].nr_free + pageset_pages(&bi->pa, &bi->pageset, -1);
}

/* Fingerprint of the instance's free lists. */
void buddy_test_fingerprint(struct buddy_test_instance *bi, struct free_area_fingerprint *fp)
{
	fingerprint_pa(&bi->pa, fp);
}

/* Invariant violations in the instance. */
unsigned long buddy_test_check(struct buddy_test_instance *bi)
{
	return check_pa(&bi->pa);
}

/* The instance's counters. */
void buddy_test_stats(struct buddy_test_instance *bi, struct page_alloc_cpu_stats *st)
{
	memset(st, 0, sizeof(*st));
	stats_add(st, &bi->pageset);
}

/* Blocks of @order in the instance's cache. */
unsigned int buddy_test_pcp_count(struct buddy_test_instance *bi, unsigned int order)
{
	return pcp_cached(order) ? pcp_count(&bi->pageset.pcp, pcp_ring(order)) : 0;
}

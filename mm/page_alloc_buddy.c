// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy free lists of a zone: a block freed into the zone merges with
 * its free buddies, a block taken splits a larger one.  The callers hold
 * zone->lock with interrupts disabled.  Design and invariants: internal.h.
 */
#include <exo/kernel.h>
#include <exo/page_alloc.h>

#include "internal.h"

/* Free the unlisted block (pfn, order) into @zone, merging with free buddies. */
void __free_one(struct zone *zone, unsigned long pfn, unsigned int order,
		struct pcp_counters *st)
{
	unsigned long span = zone->end_pfn - zone->start_pfn;

	zone->nr_free += 1UL << order;
	while (order < MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);

		/* A buddy outside the zone is never merged: blocks stay in one zone. */
		if (buddy - zone->start_pfn >= span || !pfn_listed(buddy) ||
		    mem_map[buddy].order != order)
			break;
		free_list_del(zone, buddy, order);
		pfn &= buddy;
		order++;
		st->merges++;
	}
	free_list_add(zone, pfn, order);
}

/* Take a block of @order off @zone's lists, splitting a larger one if needed. */
bool __rmqueue(struct zone *zone, unsigned int order, unsigned long *pfnp,
	       struct pcp_counters *st)
{
	unsigned long avail = zone->free_mask >> order, pfn;
	unsigned int o;
	struct page *page;

	if (!avail)
		return false;
	o = order + __builtin_ctzl(avail);
	page = list_first_entry(&zone->free_area[o].free_list, struct page, lru);
	pfn = page_to_pfn(page);
	free_list_del(zone, pfn, o);
	/* Keep the low half, give back the high halves. */
	while (o > order) {
		o--;
		free_list_add(zone, pfn + (1UL << o), o);
		st->splits++;
	}
	zone->nr_free -= 1UL << order;
	*pfnp = pfn;
	return true;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator at boot: zones and metadata from memblock, and the
 * hand-over of free RAM (page_alloc_add_range(), also used for the __init
 * sections).
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/bug.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/string.h>

#ifndef __HOSTED__
#include <asm/setup.h>
#endif

#include "internal.h"

/* ---------------------------------------------------------------------
 * Initialisation
 */

/* An empty zone spanning [start, end). */
void zone_init(struct zone *zone, const char *name, unsigned long start, unsigned long end)
{
	memset(zone, 0, sizeof(*zone));
	spin_lock_init(&zone->lock);
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
	zone->name = name;
	zone->start_pfn = start;
	zone->end_pfn = max(start, end);
}

/* Set (@set) or clear bits [start, start + n) of a plain bitmap (callers serialise). */
static void bitmap_assign_range(unsigned long *map, unsigned long start, unsigned long n, bool set)
{
	/* Boot hands all RAM over in a few ranges: whole words in one fill. */
	if (n >= 128) {
		unsigned long head = -start % 64;

		bitmap_assign_range(map, start, head, set);
		start += head;
		n -= head;
		memset64((u64 *)&map[start / 64], set ? ~0ULL : 0, n / 64);
		start += n & ~63UL;
		n %= 64;
	}
	while (n) {
		unsigned int bit = start % 64;
		unsigned long len = min_t(unsigned long, n, 64 - bit);
		unsigned long mask = (len == 64 ? ~0UL : ((1UL << len) - 1)) << bit;

		map[start / 64] = (map[start / 64] & ~mask) | (set ? mask : 0);
		start += len;
		n -= len;
	}
}

/*
 * While page_alloc_init() hands the free RAM over, page_managed_map is
 * written once, not zeroed first: bits below this frame are written, the
 * rest is garbage until a range or the end of the hand-over writes it.
 * ~0UL at any other time.
 */
static unsigned long managed_written = ~0UL;

/* Boot memory for metadata, through the direct map. */
static void *__init meta_alloc(u64 bytes, const char *why)
{
	phys_addr_t pa = memblock_alloc_range(bytes, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE, why);

	if (!pa)
		panic("page_alloc: cannot allocate %llu bytes for %s", bytes, why);
	metadata_bytes += ALIGN(bytes, PAGE_SIZE);
	return phys_to_virt(pa);
}

phys_addr_t mem_map_phys;
u64 mem_map_bytes;

#ifndef __HOSTED__
/*
 * mem_map[] for @pfns frames at VMEMMAP_START, in 2 MiB pages of one boot
 * block (its last page partly unused): page_alloc_meta_to_nodes() later
 * moves each node's part to the node under the same addresses, which the
 * free lists and every struct page pointer keep.  A mem_map[] under 2 MiB
 * (address space under 168 MiB) stays a direct-map block where it is
 * (mem_map_bytes 0): rounding it up would take a fifth of a 10 MiB machine.
 */
static struct page *__init mem_map_alloc(unsigned long pfns)
{
	u64 bytes = ALIGN((u64)pfns * sizeof(struct page), PMD_SIZE);
	phys_addr_t pa;

	if ((u64)pfns * sizeof(struct page) < PMD_SIZE) {
		struct page *map = meta_alloc((u64)pfns * sizeof(struct page), "mem_map");

		mem_map_phys = virt_to_phys(map);
		mem_map_bytes = 0;
		return map;
	}

	BUILD_BUG_ON((DIRECT_MAP_SIZE >> PAGE_SHIFT) * sizeof(struct page) >
		     VMEMMAP_END - VMEMMAP_START);
	pa = memblock_alloc_range(bytes, PMD_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE, "mem_map");
	if (!pa)
		panic("page_alloc: cannot allocate %llu bytes for mem_map", bytes);
	metadata_bytes += bytes;
	mem_map_phys = pa;
	mem_map_bytes = bytes;
	init_map_range(VMEMMAP_START, pa, bytes);
	return (struct page *)VMEMMAP_START;
}
#else
/* Hosted: in the arena, through its direct map. */
static struct page *__init mem_map_alloc(unsigned long pfns)
{
	struct page *map = meta_alloc((u64)pfns * sizeof(struct page), "mem_map");

	mem_map_phys = virt_to_phys(map);
	mem_map_bytes = ALIGN((u64)pfns * sizeof(struct page), PAGE_SIZE);
	return map;
}
#endif

/* A zeroed bitmap of @words words. */
static unsigned long *__init bitmap_alloc(unsigned long words, const char *why)
{
	unsigned long *map = meta_alloc(words * sizeof(unsigned long), why);

	/* Word stores: a byte memset() would be 8x the instructions per frame. */
	memset64((u64 *)map, 0, words);
	return map;
}

/*
 * Hand free frames [start, end) to the zones as aligned blocks; returns
 * frames.  Not __init: free_initmem() gives the __init sections back with
 * it, and this code must not sit in what it frees.
 */
unsigned long page_alloc_add_range(unsigned long start, unsigned long end)
{
	struct pcp_counters unused = { 0 };
	unsigned long added = 0;

	struct zone *zone;

	end = min(end, max_pfn);
	if (start < end && start > managed_written)	/* boot: a gap is not managed */
		bitmap_assign_range(page_managed_map, managed_written, start - managed_written, false);
	if (start < end && end > managed_written)
		managed_written = end;
	for_each_pa_zone(&global_pa, zone, z) {
		unsigned long s = max(start, zone->start_pfn), e = min(end, zone->end_pfn);
		unsigned long flags;

		if (s >= e)
			continue;
		/* One insertion per aligned block: O(blocks), never per frame. */
		spin_lock_irqsave(&zone->lock, flags);
		bitmap_assign_range(page_managed_map, s, e - s, true);
		zone->managed += e - s;
		added += e - s;
		while (s < e) {
			unsigned int o = block_order(s, e);

			__free_one(zone, s, o, &unused);
			s += 1UL << o;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return added;
}

/* Metadata from memblock, then every free range to the zones.  Once, at boot. */
void __init page_alloc_init(void)
{
	unsigned long frames, map_words;

	max_pfn = PHYS_PFN(memblock_end_of_ram());
	if (!max_pfn)
		panic("page_alloc: no usable RAM");
	page_alloc_set_drain_hook(NULL);
	map_words = DIV_ROUND_UP(max_pfn, 64);
	metadata_bytes = 0;
	/* mem_map is never initialised: entries are written when used. */
	mem_map = mem_map_alloc(max_pfn);
	page_alloc_map = bitmap_alloc(map_words, "page alloc bitmap");
	page_free_map = bitmap_alloc(map_words, "page free bitmap");
	/* Written as the free RAM is handed over, below. */
	page_managed_map = meta_alloc(map_words * sizeof(unsigned long), "page managed bitmap");
#ifdef __HOSTED__
	/* Boot memory is not zeroed on a real machine, as mmap() zeroes the arena: garbage. */
	memset64((u64 *)page_managed_map, ~0ULL, map_words);
#endif
	page_poison_map = IS_ENABLED(CONFIG_PAGE_POISONING) ?
			  bitmap_alloc(map_words, "page poison bitmap") : NULL;
	atomic_long_set(&poison_errors, 0);

	zone_init(&global_pa.zones[ZONE_DMA], zone_names[ZONE_DMA], 0,
		  min(max_pfn, ZONE_DMA_END_PFN));
	zone_init(&global_pa.zones[ZONE_DMA32], zone_names[ZONE_DMA32], ZONE_DMA_END_PFN,
		  min(max_pfn, ZONE_DMA32_END_PFN));
	zone_init(&global_pa.zones[ZONE_NORMAL], zone_names[ZONE_NORMAL], ZONE_DMA32_END_PFN,
		  max_pfn);
	global_pa.nr_zones = MAX_NR_ZONES;
	global_pa.pageset = NULL;
	/* One node until page_alloc_numa_init() (hosted tests re-initialise). */
	pa_nr_nodes = 1;
	pa_node_order[0] = 0;
	NODE_DATA(0)->start_pfn = 0;
	NODE_DATA(0)->end_pfn = max_pfn;
	pcp_pfn_limit = max_pfn;
	/* Empty caches (hosted tests re-initialise: forget the previous run's). */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_pageset(cpu))
			pageset_reset(cpu_pageset(cpu));

	managed_written = 0;
	frames = memblock_release_to_buddy();
	/* Above the last free range: not managed either. */
	bitmap_assign_range(page_managed_map, managed_written, map_words * 64 - managed_written, false);
	managed_written = ~0UL;
	global_pa.preferred = ZONE_DMA;
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		if (global_pa.zones[z].managed)
			global_pa.preferred = z;
	pr_info("%lu frames (%lu MiB) free, max_pfn %#lx, metadata %lu KiB (%zu-byte struct page)\n",
		frames, frames >> (20 - PAGE_SHIFT), max_pfn, metadata_bytes >> 10,
		sizeof(struct page));
}

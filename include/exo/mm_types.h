/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-allocator data structures: struct page, zones, per-CPU page caches.
 *
 * struct page is NOT initialised per frame.  An entry means something only
 * for the head frame of a block, and only while the frame's two state bits
 * (see mm/page_alloc.c) say so:
 *
 *   state 11  allocated head: order, type, flags, units and the owner fields
 *             (lru, private[]) are valid; lru/private belong to the owner.
 *   state 10  head of a free block on a buddy free list: order and lru valid.
 *   other     the entry is stale garbage and must not be read.
 *
 * Users outside mm/ go through the helpers in <exo/page_alloc.h>.
 */
#ifndef _EXO_MM_TYPES_H
#define _EXO_MM_TYPES_H

#include <exo/types.h>
#include <exo/list.h>
#include <exo/spinlock.h>

#ifndef CONFIG_MAX_ORDER
#define CONFIG_MAX_ORDER 12
#endif
#ifndef CONFIG_PCP_BATCH
#define CONFIG_PCP_BATCH 63
#endif
#ifndef CONFIG_PCP_HIGH
#define CONFIG_PCP_HIGH 1024
#endif

/* Orders 0 .. MAX_ORDER inclusive: 4 KiB .. 16 MiB with the default 12. */
#define MAX_ORDER		CONFIG_MAX_ORDER
#define NR_ORDERS		(MAX_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_ORDER)

/* Who owns an allocated block; stored in the head's struct page. */
enum page_type {
	PAGE_TYPE_NONE = 0,		/* not an allocated head */
	PAGE_TYPE_BUDDY,		/* allocated, no owner tag set */
	PAGE_TYPE_SLAB,			/* slab: slab_cache/freelist/counters */
	PAGE_TYPE_LARGE_KMALLOC,	/* kmalloc > 4 KiB served by whole pages */
	PAGE_TYPE_PGTABLE,		/* page-table page */
	PAGE_TYPE_STACK,		/* thread stack */
	NR_PAGE_TYPES
};

/* 48 bytes per frame: 12 MiB of mem_map per GiB of physical address space. */
struct page {
	union {
		struct list_head lru;		/* free: buddy list; allocated: owner's */
		struct list_head slab_list;	/* slab: partial/full list */
	};
	union {
		struct {			/* PAGE_TYPE_SLAB */
			void *slab_cache;
			void *freelist;
			unsigned long counters;
		};
		unsigned long private[3];	/* any other owner */
	};
	union {
		struct {
			u8 order;		/* block order (heads only) */
			u8 type;		/* enum page_type (allocated heads) */
			u16 flags;		/* owner flags, 0 at allocation */
			u32 units;		/* owner counter, 0 at allocation */
		};
		u64 info;			/* all four, written in one store */
	};
};

enum zone_type {
	ZONE_DMA,		/* below 16 MiB (ISA DMA) */
	ZONE_DMA32,		/* below 4 GiB (32-bit DMA) */
	ZONE_NORMAL,		/* the rest */
	MAX_NR_ZONES
};

#define ZONE_DMA_END_PFN	(16UL << (20 - 12))	/* 16 MiB */
#define ZONE_DMA32_END_PFN	(4UL << (30 - 12))	/* 4 GiB */

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks of this order */
};

struct zone {
	spinlock_t lock;		/* free lists, nr_free, free_mask */
	unsigned long free_mask;	/* bit o set iff free_area[o] is not empty */
	unsigned long nr_free;		/* pages on the free lists */
	struct free_area free_area[NR_ORDERS];
	unsigned long start_pfn;	/* span [start_pfn, end_pfn) */
	unsigned long end_pfn;
	unsigned long managed;		/* pages handed to this zone */
	const char *name;
};

/*
 * Per-CPU caches of blocks of order 0 .. PCP_MAX_ORDER: one LIFO ring per
 * order, shared by the zones (a ring may hold blocks of any zone; requests
 * restricted to low zones bypass it).  A miss refills PCP_BATCH pages; once
 * a CPU caches PCP_HIGH pages (all orders together), PCP_BATCH pages of the
 * order just freed go back, oldest first.  Ring o holds PCP_RING >> o block
 * numbers, enough for PCP_HIGH pages; the rings share one slots[] array.
 */
#define PCP_MAX_ORDER	3
#define PCP_ORDERS	(PCP_MAX_ORDER + 1)
#define PCP_BATCH	CONFIG_PCP_BATCH
#define PCP_HIGH	CONFIG_PCP_HIGH
#define PCP_RING	(PCP_HIGH <= 64 ? 64 : PCP_HIGH <= 128 ? 128 :		\
			 PCP_HIGH <= 256 ? 256 : PCP_HIGH <= 512 ? 512 :	\
			 PCP_HIGH <= 1024 ? 1024 : PCP_HIGH <= 2048 ? 2048 : 4096)
#define PCP_RING_BASE(o) (2 * PCP_RING - ((2 * PCP_RING) >> (o)))

struct per_cpu_pages {
	unsigned int count;		/* pages cached, all orders */
	unsigned int top[PCP_ORDERS];	/* free-running push index */
	unsigned int bottom[PCP_ORDERS];/* free-running oldest index */
	unsigned long slots[2 * PCP_RING];
};

/*
 * Event counters, per CPU, plain increments with interrupts disabled.
 * Allocations served by the cache count as pcp_hits only; the total is
 * allocs + pcp_hits (page_alloc_get_stats() reports it so).
 */
struct page_alloc_cpu_stats {
	unsigned long allocs;		/* successful allocations */
	unsigned long frees;		/* successful free calls */
	unsigned long alloc_failed;	/* -ENOMEM / NULL returns */
	unsigned long splits;		/* block split in two */
	unsigned long merges;		/* block merged with its buddy */
	unsigned long pcp_hits;		/* served from the per-CPU cache */
	unsigned long pcp_misses;	/* per-CPU cache empty */
	unsigned long pcp_refills;	/* batches taken from the buddy */
	unsigned long pcp_drains;	/* batches given back to the buddy */
};

struct per_cpu_pageset {
	/*
	 * Points at itself once initialised on this CPU's area.  A per-CPU
	 * area copied from the boot CPU's (SMP bring-up) has a foreign value
	 * here and is reset on first use instead of sharing its pages.
	 */
	struct per_cpu_pageset *self;
	struct page_alloc_cpu_stats stats;
	struct per_cpu_pages pcp;
};

/*
 * A set of zones with its caches: the system allocator, or an isolated
 * instance carved out of it for tests (struct buddy_test_instance).
 */
struct page_allocator {
	struct zone zones[MAX_NR_ZONES];
	unsigned int nr_zones;
	unsigned int preferred;		/* highest populated zone */
	struct per_cpu_pageset *pageset;/* NULL: the per-CPU pagesets */
};

#endif /* _EXO_MM_TYPES_H */

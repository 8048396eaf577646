/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-allocator data structures: struct page, zones, per-CPU page caches.
 *
 * struct page is NOT initialised per frame.  An entry means something only
 * for the head frame of a block, and only while the frame's bits in the
 * two head bitmaps (see mm/page_alloc.c) say so:
 *
 *   alloc bit  allocated head: order, type, flags, units and the owner
 *              fields (lru, private[]) are valid; lru/private belong to the
 *              owner.
 *   free bit   head of a free block on a buddy free list: order and lru.
 *   neither    the entry is stale garbage and must not be read (except by
 *              the allocator for a block in a per-CPU cache).
 *
 * Users outside mm/ go through the helpers in <exo/page_alloc.h>.
 */
#ifndef _EXO_MM_TYPES_H
#define _EXO_MM_TYPES_H

#include <exo/types.h>
#include <exo/list.h>
#include <exo/spinlock.h>

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
 * Per-CPU caches: one LIFO stack of block numbers per cached order, shared
 * by the zones (a stack may hold blocks of any zone; requests restricted
 * to low zones bypass them).  Stack r (pcp_ring(order)) lives in
 * slots[PCP_RING_BASE(r) ...] and holds the blocks [bottom, top): pops and
 * pushes at the top, drains take the oldest blocks at the bottom.
 *
 * A push that starts from top limit[r] (the mark minus one) fills the
 * stack to its mark and takes the slow path: the stack holds
 * PCP_RING_HIGH(r) blocks (drain at least PCP_BATCH pages, oldest first,
 * and the blocks after them that reach the end of a refill block) or has
 * reached the end of its slots (move the blocks down, amortised: the
 * capacity is twice the high-water mark).  One compare on the fast path
 * covers both, and indexes need no wrap-around arithmetic.
 *
 * High-water marks: PCP_HIGH order-0 frames; orders 1-3 a quarter of that
 * in pages each (at least two batches); order PCP_HUGE_ORDER (2 MiB, what
 * Linux 6.1 also caches) PCP_HUGE_HIGH blocks, refilled and drained one
 * block at a time.
 */
#define PCP_MAX_ORDER	3
#define PCP_HUGE_ORDER	9
#define PCP_HUGE_HIGH	CONFIG_PCP_HUGE_HIGH
#define PCP_RINGS	(PCP_MAX_ORDER + 2)
#define PCP_HUGE_RING	(PCP_RINGS - 1)
#define PCP_BATCH	CONFIG_PCP_BATCH
#define PCP_HIGH	CONFIG_PCP_HIGH

/* Blocks of @order moved per drain: PCP_BATCH pages, at least one. */
#define PCP_BATCH_BLOCKS(order)	((PCP_BATCH >> (order)) ? (PCP_BATCH >> (order)) : 1)
/*
 * Blocks of @order moved per refill: PCP_BATCH_BLOCKS() rounded up to a
 * power of two, so that a refill is one buddy block when the zone has one
 * (one list operation, frames handed out contiguous).
 */
#define PCP_REFILL_BLOCKS(order)	(1U << __PCP_LOG2_CEIL(PCP_BATCH_BLOCKS(order)))
#define __PCP_LOG2_CEIL(n)	((n) <= 1 ? 0 : (n) <= 2 ? 1 : (n) <= 4 ? 2 : (n) <= 8 ? 3 :	\
				 (n) <= 16 ? 4 : (n) <= 32 ? 5 : (n) <= 64 ? 6 :		\
				 (n) <= 128 ? 7 : (n) <= 256 ? 8 : 9)
/* Slots beyond the limit for frees nested in interrupt handlers. */
#define PCP_MARGIN	64
#define __PCP_SMALL_HIGH(r)	((PCP_HIGH >> ((r) + 2)) > 2 * PCP_BATCH_BLOCKS(r) ?	\
				 (PCP_HIGH >> ((r) + 2)) : 2 * PCP_BATCH_BLOCKS(r))
/* A ring is drained when a push makes it hold this many blocks. */
#define PCP_RING_HIGH(r)	((unsigned int)((r) == 0 ? PCP_HIGH :				\
				 (r) == PCP_HUGE_RING ? PCP_HUGE_HIGH + 1 : __PCP_SMALL_HIGH(r)))
#define PCP_RING_CAP(r)		(2 * PCP_RING_HIGH(r) + PCP_MARGIN)
#define PCP_RING_BASE(r)	((r) == 0 ? 0 : (r) == 1 ? PCP_RING_CAP(0) :			\
				 (r) == 2 ? PCP_RING_CAP(0) + PCP_RING_CAP(1) :			\
				 (r) == 3 ? PCP_RING_CAP(0) + PCP_RING_CAP(1) + PCP_RING_CAP(2) :	\
				 PCP_RING_CAP(0) + PCP_RING_CAP(1) + PCP_RING_CAP(2) + PCP_RING_CAP(3))
#define PCP_SLOTS		(PCP_RING_BASE(PCP_HUGE_RING) + PCP_RING_CAP(PCP_HUGE_RING))

struct per_cpu_pages {
	unsigned int top[PCP_RINGS];	/* next free slot */
	unsigned int bottom[PCP_RINGS];	/* oldest cached block */
	unsigned int limit[PCP_RINGS];	/* a push from this top drains or compacts */
	unsigned long slots[PCP_SLOTS];
};

/*
 * Event counters as reported: per CPU, or summed.  The total number of
 * successful allocations is allocs (page_alloc_get_stats() and
 * page_alloc_cpu_stats() include the cache hits in it).
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

#endif /* _EXO_MM_TYPES_H */

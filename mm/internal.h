/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical frame allocator's private declarations, shared by its files:
 *
 *   page_alloc.c        per-CPU rings, the allocation and free paths,
 *                       the contract and Linux-like APIs
 *   page_alloc_buddy.c  merging and splitting blocks on a zone's free
 *                       lists (__free_one(), __rmqueue())
 *   page_alloc_drain.c  refilling the per-CPU rings from the zones and
 *                       draining them into the zones, a ring's overflow,
 *                       drain_*_pages()
 *   page_alloc_range.c  freeing arbitrary runs of allocated frames, the
 *                       head of the block holding a frame
 *   page_alloc_init.c   zones and metadata at boot, page_alloc_add_range()
 *   page_alloc_debug.c  page poisoning, consistency checks, fingerprints
 *   page_alloc_stats.c  counters, buddyinfo and meminfo
 *
 * A binary buddy allocator with zones and per-CPU caches.
 *
 * Design goal: the common case, one block allocated and freed on the same
 * CPU, costs a few dozen instructions, takes no lock, runs no
 * compare-and-swap loop and touches no shared cache line but one word of a
 * bitmap and the block's struct page; everything else (splits, merges,
 * zone fallback, validation of odd requests) is off that path.
 * Initialisation costs O(blocks), not O(frames): nothing is written per
 * frame at boot.
 *
 * Metadata, for frames [0, max_pfn), one bit each in two bitmaps:
 *
 *   page_alloc_map   "an allocated block starts here": the allocation
 *                    state bit.  For a frame from alloc_frame() it is the
 *                    frame's state; the other frames of a larger block
 *                    are 0 and belong to the block whose head is the
 *                    nearest set bit at an aligned position below them
 *                    (found in at most MAX_ORDER + 1 steps).
 *   page_free_map    "a free block on a buddy list starts here"
 *   mem_map[]        struct page per frame, valid only for heads: order,
 *                    owner type, list link and owner fields
 *   page_managed_map 1 bit per frame: RAM handed to the allocator
 *   page_poison_map  1 bit per frame (CONFIG_PAGE_POISONING): frame holds
 *                    the poison pattern and must be verified when allocated
 *
 * Invariants (checked by page_alloc_check()):
 *
 *   I1  every block is naturally aligned (head pfn multiple of 2^order) and
 *       lies inside one zone; no block spans two zones;
 *   I2  a block on free_area[o] of a zone has its free bit set, order o in
 *       its struct page and no bit set on any other of its frames, and is
 *       counted in free_area[o].nr_free, zone->nr_free and zone->free_mask;
 *   I3  no free block on the lists has a buddy (pfn ^ 2^o) that is itself a
 *       free block of order o on the lists: frees merge as far as possible,
 *       up to MAX_ORDER;
 *   I4  an allocated block has its alloc bit set at its head and no bit on
 *       its other frames; its head's struct page has its order and owner
 *       type;
 *   I5  blocks in per-CPU caches have no bit set: free as far as
 *       free_frame() is concerned (a second free is -ENOENT), but not on
 *       the lists, so never merged; their head's struct page already holds
 *       the info of a fresh allocation (order, PAGE_TYPE_BUDDY), so that
 *       allocating from a cache sets one bit and nothing else;
 *   I6  free bits only change under the zone lock; an alloc bit is set by
 *       whoever just took the block and cleared by exactly one freeing
 *       caller (an atomic test-and-clear: of two racing frees of the same
 *       block one wins, the other gets -ENOENT).  Both are single-bit
 *       atomic instructions, never read-modify-write loops: a word is
 *       shared by 64 frames of different owners.
 *
 * Buddy test:   "is my buddy free with order o" = free bit of buddy &&
 *               mem_map[buddy].order == o: two loads, O(1).
 * Free lists:   doubly linked through struct page: O(1) insert and remove.
 * Per-CPU:      one LIFO stack (a "ring" in the code) per cached order
 *               (0..3 and 9), shared by the zones, in the CPU's per-CPU
 *               area (pagesets), used by its own CPU only, with no lock:
 *               the fast pop and push as restartable sequences
 *               (<asm/pcp.h>), everything else with local interrupts
 *               disabled; refilled and drained in batches
 *               under the zone lock.  Other CPUs never touch a ring: they
 *               ask its owner to drain it (drain_remote_pages(), a
 *               cross-CPU call).
 * Locking:      zone->lock, always with local interrupts disabled.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <exo/atomic.h>
#include <exo/bitmap.h>
#include <exo/kasan.h>
#include <exo/mm_types.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <asm/irqflags.h>
#include <asm/page.h>

#define NO_PFN		(~0UL)
#define PAGE_POISON	0xaa

/* Head info of a freshly allocated block of @order. */
#define BUDDY_INFO(order)	((u64)(order) | ((u64)PAGE_TYPE_BUDDY << 8))

/* ---------------------------------------------------------------------
 * Allocator instances
 */

/*
 * What a CPU actually counts, with interrupts disabled: the fast paths
 * count only frees into the cache.  Cache hits follow exactly from
 * conservation of the blocks that went through the rings:
 *   hits = pcp_frees + refill_blocks - drain_blocks - cached - miss_pops.
 */
struct pcp_counters {
	unsigned long pcp_frees;	/* frees pushed on a ring (fast path) */
	unsigned long frees;		/* other successful frees */
	unsigned long allocs;		/* allocations not served by a hit */
	unsigned long alloc_failed;
	unsigned long splits;
	unsigned long merges;
	unsigned long pcp_misses;
	unsigned long pcp_refills;
	unsigned long pcp_drains;
	unsigned long refill_blocks;	/* blocks pushed by refills */
	unsigned long drain_blocks;	/* blocks removed by drains */
	unsigned long miss_pops;	/* pops right after a refill (a miss) */
};

/*
 * NUMA events of the allocations a CPU made outside its cache hits, by
 * node (Linux's numastat): hit[n] allocations placed on n as asked,
 * miss[n] placed on n though another node was asked, foreign[n] asked of
 * n but placed elsewhere.  Cache hits are all hits on the CPU's memory
 * node and are derived (page_alloc_numa_stats()).
 */
struct pcp_numa_counters {
	unsigned long hit[MAX_NUMNODES];
	unsigned long miss[MAX_NUMNODES];
	unsigned long foreign[MAX_NUMNODES];
};

/* One CPU's caches (pagesets) or a test instance's. */
struct per_cpu_pageset {
	struct pcp_counters stats;
	struct pcp_numa_counters numa;
	struct per_cpu_pages pcp;
};

/*
 * A node of the system allocator (Linux's pg_data_t): its zones, the span
 * of frames it owns and its fallback order.  The first node's zones are
 * global_pa.zones; page_alloc_numa_init() puts each other memory node's
 * descriptor and zones on a page of the node's own memory.
 * Each memory node owns one run of frames [start_pfn, end_pfn), aligned to
 * MAX_ORDER_NR_PAGES, so that no block ever straddles two nodes.
 */
struct pglist_data {
	struct zone *zones;		/* [MAX_NR_ZONES] */
	int node_id;
	unsigned long start_pfn, end_pfn;
};

/*
 * Where an online node's allocations go: the memory nodes by distance from
 * it (itself first when it has memory, the lowest number among equals).
 * nr 0: not an online node.
 */
struct pa_fallback {
	unsigned int nr;
	u8 node[MAX_NUMNODES];
};
extern struct pa_fallback pa_fallback[MAX_NUMNODES];
bool pa_node_start_ok(unsigned long start, unsigned long m);

/*
 * page_alloc_meta_to_nodes() - move each memory node's part of the page
 * metadata onto its own memory (mm/page_alloc_meta.c).  Called by
 * page_alloc_numa_init() on the boot CPU alone, after the split; what a
 * full node cannot take stays where it is, with a log line.
 */
void page_alloc_meta_to_nodes(void);

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

extern struct page_allocator global_pa;
extern struct pglist_data *node_data[MAX_NUMNODES];
extern struct pglist_data pa_node0_data;	/* global_pa.zones */
#define NODE_DATA(nid)	(node_data[nid])
/* Memory nodes of the allocator, by ascending start_pfn; 1 (node 0) without NUMA. */
extern unsigned int pa_nr_nodes;
extern u8 pa_node_order[MAX_NUMNODES];
/*
 * Frames below it are freed into the per-CPU caches without a node check:
 * max_pfn with one memory node, 0 with several (every free then checks
 * that the frame is on the CPU's node: free_block_numa()).
 */
extern unsigned long pcp_pfn_limit;
/* Each CPU's memory node: its own, or the nearest one with memory. */
extern u8 pa_cpu_node[NR_CPUS];
/* Each CPU's own node (cpu_to_node()): local_node/other_node of numastat. */
extern u8 pa_cpu_home[NR_CPUS];
DECLARE_PER_CPU(struct per_cpu_pageset, pagesets);
extern unsigned long *page_free_map;
extern unsigned long *page_poison_map;
extern bool poison_on;
extern atomic_long_t poison_errors;
extern unsigned long metadata_bytes;
extern const char *const zone_names[MAX_NR_ZONES];

#define report(fmt, ...) pr_err_ratelimited(fmt "\n", ##__VA_ARGS__)

/* Is @pfn the head of a free block on a buddy list? */
static __always_inline bool pfn_listed(unsigned long pfn)
{
	return test_bit(pfn, page_free_map);
}

/* Put the head @pfn of a free block on its list. */
static __always_inline void free_list_add(struct zone *zone, unsigned long pfn, unsigned int order)
{
	struct page *page = &mem_map[pfn];
	struct free_area *area = &zone->free_area[order];

	page->info = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
	zone->free_mask |= 1UL << order;
	/* Atomic: a word may be shared with a test instance's zone. */
	test_and_set_bit(pfn, page_free_map);
}

/* Take the free block headed by @pfn off its list; its head bit goes. */
static __always_inline void free_list_del(struct zone *zone, unsigned long pfn, unsigned int order)
{
	struct free_area *area = &zone->free_area[order];
	struct list_head *e = &mem_map[pfn].lru;

	/* Unlink only: the node is dead until the block is listed again. */
	e->next->prev = e->prev;
	e->prev->next = e->next;
	if (--area->nr_free == 0)
		zone->free_mask &= ~(1UL << order);
	test_and_clear_bit(pfn, page_free_map);
}

/* Index of @pfn's zone; only for pfns already known to be in @pa. */
static __always_inline unsigned int pa_zone_idx(struct page_allocator *pa, unsigned long pfn)
{
	if (pa == &global_pa)
		return pfn < ZONE_DMA_END_PFN ? ZONE_DMA :
		       pfn < ZONE_DMA32_END_PFN ? ZONE_DMA32 : ZONE_NORMAL;
	return 0;
}

/* The allocator node owning @pfn (any pfn: a hole goes to the node below it). */
static __always_inline int pfn_to_nid(unsigned long pfn)
{
	unsigned int i;

	if (likely(pa_nr_nodes <= 1))
		return pa_node_order[0];
	for (i = 1; i < pa_nr_nodes; i++)
		if (pfn < NODE_DATA(pa_node_order[i])->start_pfn)
			break;
	return pa_node_order[i - 1];
}

/* The zone of @pfn in @pa; only for pfns already known to be in @pa. */
static __always_inline struct zone *pa_zone(struct page_allocator *pa, unsigned long pfn)
{
	if (pa == &global_pa)
		return &NODE_DATA(pfn_to_nid(pfn))->zones[pa_zone_idx(pa, pfn)];
	return &pa->zones[0];
}

/* Zone @z of allocator node @nid. */
static __always_inline struct zone *node_zone(int nid, unsigned int z)
{
	return &NODE_DATA(nid)->zones[z];
}

#define for_each_pa_node(i, nid)					\
	for ((i) = 0; (i) < pa_nr_nodes && ((nid) = pa_node_order[i], 1); (i)++)

/*
 * Each zone @zone (index @z) of @pa that spans frames: every node's for
 * the system allocator.
 */
#define for_each_pa_zone(pa, zone, z)						\
	for (unsigned int __i = 0, z = 0; __i < ((pa) == &global_pa ? pa_nr_nodes : 1);	\
	     __i++)								\
		for (z = 0; z < (pa)->nr_zones; z++)				\
			if (((zone) = (pa) == &global_pa ?			\
			     node_zone(pa_node_order[__i], z) : &(pa)->zones[z]),	\
			    (zone)->start_pfn >= (zone)->end_pfn) {} else

/* Does @pa manage @pfn (< max_pfn)?  Always for the system allocator. */
static __always_inline bool pa_owns(struct page_allocator *pa, unsigned long pfn)
{
	const struct zone *z = &pa->zones[0];

	return pa == &global_pa || pfn - z->start_pfn < z->end_pfn - z->start_pfn;
}

/* Stack ("ring" r) of a cached @order: 0..3 for orders 0..3, then order 9. */
static __always_inline unsigned int pcp_ring(unsigned int order)
{
	return order <= PCP_MAX_ORDER ? order : PCP_HUGE_RING;
}

/* Order of the blocks in stack @r. */
static __always_inline unsigned int ring_order(unsigned int r)
{
	return r < PCP_HUGE_RING ? r : PCP_HUGE_ORDER;
}

/* Is @order served by the per-CPU stacks? */
static __always_inline bool pcp_cached(unsigned int order)
{
	return order <= PCP_MAX_ORDER || (PCP_HUGE_HIGH && order == PCP_HUGE_ORDER);
}

/* Slot @idx of stack @r. */
static __always_inline unsigned long *pcp_slot(struct per_cpu_pages *pcp, unsigned int r,
					       unsigned int idx)
{
	return &pcp->slots[PCP_RING_BASE(r) + idx];
}

/* Blocks in stack @r. */
static __always_inline unsigned int pcp_count(const struct per_cpu_pages *pcp, unsigned int r)
{
	return pcp->top[r] - pcp->bottom[r];
}

/*
 * Recompute stack @r's push limit after its bottom or top moved (the last
 * top a push may start from without filling the stack to its mark);
 * rewind the stack when empty.
 */
static inline void pcp_set_limit(struct per_cpu_pages *pcp, unsigned int r)
{
	if (pcp->top[r] == pcp->bottom[r])
		pcp->top[r] = pcp->bottom[r] = 0;
	pcp->limit[r] = min(pcp->bottom[r] + (unsigned int)PCP_RING_HIGH(r),
			    (unsigned int)(PCP_RING_CAP(r) - PCP_MARGIN)) - 1;
}

/* This CPU's pageset of @pa (interrupts disabled by the caller). */
static __always_inline struct per_cpu_pageset *pa_pageset(struct page_allocator *pa)
{
	if (pa != &global_pa)
		return pa->pageset;
	return this_cpu_ptr(&pagesets);
}

/* Write the head's metadata and state of a block just taken off a list. */
static __always_inline void prep_block(unsigned long pfn, unsigned int order)
{
	mem_map[pfn].info = BUDDY_INFO(order);
	test_and_set_bit(pfn, page_alloc_map);
}

/* Largest aligned block starting at @s that fits before @e. */
static inline unsigned int block_order(unsigned long s, unsigned long e)
{
	unsigned int o = s ? __builtin_ctzl(s) : MAX_ORDER;

	o = min(o, ilog2(e - s));
	return min(o, (unsigned int)MAX_ORDER);
}

/* Poison the frames of a freed block (CONFIG_PAGE_POISONING, when on). */
void __poison_frames(unsigned long pfn, unsigned long n);

static __always_inline void poison_frames(unsigned long pfn, unsigned long n)
{
	if (IS_ENABLED(CONFIG_PAGE_POISONING) && READ_ONCE(poison_on))
		__poison_frames(pfn, n);
}

/* page_alloc_buddy.c */
void __free_one(struct zone *zone, unsigned long pfn, unsigned int order,
		struct pcp_counters *st);
bool __rmqueue(struct zone *zone, unsigned int order, unsigned long *pfnp,
	       struct pcp_counters *st);

/* page_alloc.c */
void pageset_reset(struct per_cpu_pageset *ps);
int pa_alloc_frame(struct page_allocator *pa, phys_addr_t *frame);
int pa_free_frame(struct page_allocator *pa, phys_addr_t frame);
int pa_alloc_contiguous(struct page_allocator *pa, size_t count, phys_addr_t *base);
int pa_free_contiguous(struct page_allocator *pa, phys_addr_t base, size_t count);

/* page_alloc_drain.c */
unsigned int pcp_refill(struct zone *zone, struct per_cpu_pages *pcp, unsigned int order,
			struct pcp_counters *st);
void drain_pageset(struct page_allocator *pa, struct per_cpu_pageset *ps);
void pcp_push_slow(struct page_allocator *pa, struct per_cpu_pageset *ps, unsigned int r);
struct per_cpu_pageset *cpu_pageset(unsigned int cpu);

/* page_alloc_range.c */
unsigned long find_alloc_head(unsigned long pfn);
void mark_allocated(unsigned long a, unsigned long b, u64 info);
void free_run_locked(struct page_allocator *pa, unsigned long a, unsigned long b,
		     struct pcp_counters *st);
int free_range(struct page_allocator *pa, phys_addr_t base, size_t count,
	       const char *who, bool cache);

/* page_alloc_init.c */
void zone_init(struct zone *zone, const char *name, unsigned long start, unsigned long end);

/* page_alloc_debug.c */
void check_poison(unsigned long pfn, unsigned long n);
unsigned long check_pa(struct page_allocator *pa);
void fingerprint_pa(struct page_allocator *pa, struct free_area_fingerprint *fp);

/* page_alloc_stats.c */
unsigned long pageset_pages(struct page_allocator *pa, const struct per_cpu_pageset *ps, int z);
void stats_add(struct page_alloc_cpu_stats *a, const struct per_cpu_pageset *ps);

#endif /* _MM_INTERNAL_H */

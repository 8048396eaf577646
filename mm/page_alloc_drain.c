// SPDX-License-Identifier: GPL-2.0
/*
 * Moving blocks between the per-CPU caches and the zones: refilling an
 * empty ring, giving cached blocks back to the zones (merging buddies on
 * the way), a ring's overflow on a free, and the drain_*_pages() APIs.
 * The rings' fast paths are in page_alloc.c.  Design and invariants:
 * internal.h.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/bug.h>
#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/irqflags.h>

#include "internal.h"

/* ---------------------------------------------------------------------
 * Refills (zone->lock taken here, interrupts disabled by the caller)
 */

/*
 * Fill the empty stack of @order with PCP_REFILL_BLOCKS() blocks from
 * @zone: one buddy block of that size when the zone has one, else the
 * largest blocks available, split.  Pops must come out in ascending
 * address order, first block first, so that consecutive allocations are
 * buddies: the frames are written downwards from slot @need in the order
 * they must come out, then moved to the bottom if the zone ran short.
 * Returns the blocks added.
 */
static __always_inline unsigned int __pcp_refill(struct zone *zone, struct per_cpu_pages *pcp,
						  unsigned int order, struct pcp_counters *st)
{
	unsigned int need = PCP_REFILL_BLOCKS(order), got = 0, r = pcp_ring(order);
	unsigned long *slot = pcp_slot(pcp, r, need), step = 1UL << order;

	spin_lock(&zone->lock);
	while (got < need) {
		unsigned int k = min(ilog2(need - got) + order, (unsigned int)MAX_ORDER);
		unsigned long avail = zone->free_mask, pfn, end;
		struct page *page;

		if (!(avail >> k)) {
			if (!(avail >> order))
				break;
			k = ilog2(avail);	/* largest block still >= order */
		}
		if (WARN_ON(!__rmqueue(zone, k, &pfn, st)))	/* free_mask lied */
			break;
		got += 1U << (k - order);
		/* Cached blocks carry their future head info (I5). */
		page = &mem_map[pfn];
		end = pfn + (1UL << k);
		/* Four blocks a round when there are (a power of two: 1, 2 or a multiple of 4). */
		for (; k >= order + 2 && pfn != end; pfn += step * 4, page += step * 4, slot -= 4) {
			page[0].info = BUDDY_INFO(order);
			page[step].info = BUDDY_INFO(order);
			page[step * 2].info = BUDDY_INFO(order);
			page[step * 3].info = BUDDY_INFO(order);
			slot[-1] = pfn;
			slot[-2] = pfn + step;
			slot[-3] = pfn + step * 2;
			slot[-4] = pfn + step * 3;
		}
		for (; pfn != end; pfn += step, page += step) {
			page->info = BUDDY_INFO(order);
			*--slot = pfn;
		}
	}
	spin_unlock(&zone->lock);
	/* The stack was empty (pops may have left it at any index): restart at 0. */
	if (got != need)
		memcpy64_down((u64 *)pcp_slot(pcp, r, 0), (u64 *)slot, got);
	pcp->bottom[r] = 0;
	pcp->top[r] = got;
	pcp_set_limit(pcp, r);
	st->pcp_refills += got != 0;
	st->refill_blocks += got;
	return got;
}

/* One copy per cached order, so that the ring arithmetic is constant. */
noinline unsigned int pcp_refill(struct zone *zone, struct per_cpu_pages *pcp, unsigned int order,
				struct pcp_counters *st)
{
	switch (order) {
	case 0: return __pcp_refill(zone, pcp, 0, st);
	case 1: return __pcp_refill(zone, pcp, 1, st);
	case 2: return __pcp_refill(zone, pcp, 2, st);
	case 3: return __pcp_refill(zone, pcp, 3, st);
	default: return __pcp_refill(zone, pcp, PCP_HUGE_ORDER, st);
	}
}

/* ---------------------------------------------------------------------
 * Drains
 */

/* Runs kept by pcp_drain() before it takes a zone lock. */
#define DRAIN_RUNS	16

/* Frames [lo, hi): neighbouring blocks drained together. */
struct drain_run {
	unsigned long lo, hi;
};

/*
 * Free the collected runs as maximal aligned blocks, one lock hold per
 * group of runs in the same zone; a run that crosses the end of its zone
 * continues in the next one.  Returns the number of blocks freed.
 */
static unsigned long drain_flush(struct page_allocator *pa, struct drain_run *runs,
				 unsigned int n, struct pcp_counters *st)
{
	unsigned long blocks = 0;
	unsigned int i = 0;

	while (i < n) {
		struct zone *zone = pa_zone(pa, runs[i].lo);

		spin_lock(&zone->lock);
		do {
			unsigned long a = runs[i].lo, e = min(runs[i].hi, zone->end_pfn);

			while (a < e) {
				unsigned int o = block_order(a, e);

				__free_one(zone, a, o, st);
				a += 1UL << o;
				blocks++;
			}
			if (e < runs[i].hi) {	/* the rest is in the next zone */
				runs[i].lo = e;
				break;
			}
		} while (++i < n && pa_zone(pa, runs[i].lo) == zone);
		spin_unlock(&zone->lock);
	}
	return blocks;
}

/*
 * Free the aligned block (pfn, order), made of managed frames, into the
 * zone of @pfn.  The rings are shared by all zones and nodes, but the
 * block is aligned and at most 2^9 pages, while zone boundaries are
 * multiples of 2^12 pages (ZONE_DMA_END_PFN, ZONE_DMA32_END_PFN) and node
 * boundaries of MAX_ORDER_NR_PAGES: it lies in one zone of one node.
 */
#define PCP_REFILL_SPAN_ORDER(o)	((o) + __PCP_LOG2_CEIL(PCP_BATCH_BLOCKS(o)))
BUILD_BUG_ON(PCP_REFILL_SPAN_ORDER(0) > 9 || PCP_REFILL_SPAN_ORDER(1) > 9 ||
	     PCP_REFILL_SPAN_ORDER(2) > 9 || PCP_REFILL_SPAN_ORDER(3) > 9 ||
	     PCP_REFILL_SPAN_ORDER(PCP_HUGE_ORDER) > 9 || 9 > MAX_ORDER);
BUILD_BUG_ON(ZONE_DMA_END_PFN % (1UL << 9) || ZONE_DMA32_END_PFN % (1UL << 9));
static void drain_block(struct page_allocator *pa, unsigned long pfn, unsigned int order,
			struct pcp_counters *st)
{
	struct zone *zone = pa_zone(pa, pfn);

	spin_lock(&zone->lock);
	__free_one(zone, pfn, order, st);
	spin_unlock(&zone->lock);
}

/*
 * Are the @nr blocks of @order at @slot, in any order, exactly one aligned
 * block of @nr << @order pages?  Its head in *@base if so.  The blocks of
 * the rings are aligned and distinct (I5, I6: a block enters a ring only
 * once its alloc bit is taken, and leaves it when popped or drained), so
 * @nr of them cover the block if they all lie in it: if the AND and the
 * OR of their numbers agree on every bit above the block's offset bits.
 * Two instructions a block; the first eight blocks decide alone whether
 * the rest is read (a ring of scattered frees pays for eight).
 */
static __always_inline bool pcp_whole_block(const unsigned long *slot, unsigned int nr,
					    unsigned int order, unsigned long *base)
{
	const unsigned long span = (unsigned long)nr << order;
	unsigned long a = slot[0], o = slot[0];
	unsigned int i;

	if (nr < 8) {
		for (i = 1; i < nr; i++) {
			a &= slot[i];
			o |= slot[i];
		}
	} else {
		/*
		 * The ANDs, then the ORs after a compiler barrier so that
		 * they read their blocks again: each takes its block straight
		 * from memory (one instruction, not a load and two
		 * operations).  The first eight decide alone whether the rest
		 * is read (scattered frees pay for eight).
		 */
#pragma GCC unroll 8
		for (i = 1; i < 8; i++)
			a &= slot[i];
		barrier();
#pragma GCC unroll 8
		for (i = 1; i < 8; i++)
			o |= slot[i];
		if ((a ^ o) >= span)
			return false;
#pragma GCC unroll 64
		for (i = 8; i < nr; i++)
			a &= slot[i];
		barrier();
#pragma GCC unroll 64
		for (i = 8; i < nr; i++)
			o |= slot[i];
	}
	if ((a ^ o) >= span)
		return false;
	*base = a & ~(span - 1);
	return true;
}

/*
 * The blocks [@b, @end) of the ring of @order (@blocks of the drain
 * already freed), and the next ones while they complete the last run's
 * refill-sized block.  Blocks freed back to back are often neighbours (a
 * run of frames freed in order, either way): a block that extends the
 * current run at either end joins it (along a run, four compares a
 * round), and each run goes to the zone as the largest aligned blocks it
 * holds.  The zone then sees a few large blocks instead of many small
 * ones to merge one by one.  The blocks are owned by us and unlisted, so
 * this is what __free_one() of each would have done, minus the list
 * traffic.
 */
static __always_inline void __pcp_drain_runs(struct page_allocator *pa, struct per_cpu_pages *pcp,
					     unsigned int order, unsigned int b, unsigned int end,
					     unsigned long blocks, struct pcp_counters *st)
{
	const unsigned long size = 1UL << order, align = (PCP_REFILL_BLOCKS(order) << order) - 1;
	unsigned int r = pcp_ring(order), n, nr = 0;
	struct drain_run runs[DRAIN_RUNS];
	unsigned long lo, hi;
	const unsigned long *slot = pcp_slot(pcp, r, b), *stop = pcp_slot(pcp, r, end);
	/* Four blocks are left while slot < last. */
	const unsigned long *last = end - b > 3 ? stop - 3 : slot;

	lo = *slot++;
	hi = lo + size;
	for (;;) {
		unsigned long pfn;

		/*
		 * Runs of blocks freed in allocation order (ascending)
		 * or in reverse (descending) are the common case: four
		 * compares a round while four blocks are left, then
		 * one each.
		 */
		while (slot < last && slot[0] == hi && slot[1] == hi + size &&
		       slot[2] == hi + 2 * size && slot[3] == hi + 3 * size) {
			hi += 4 * size;
			slot += 4;
		}
		while (slot != stop && *slot == hi) {
			hi += size;
			slot++;
		}
		while (slot < last && slot[0] == lo - size && slot[1] == lo - 2 * size &&
		       slot[2] == lo - 3 * size && slot[3] == lo - 4 * size) {
			lo -= 4 * size;
			slot += 4;
		}
		while (slot != stop && *slot == lo - size) {
			lo -= size;
			slot++;
		}
		if (slot == stop)
			break;
		pfn = *slot;
		if (pfn == hi)	/* ascending again */
			continue;
		slot++;
		runs[nr].lo = lo;
		runs[nr++].hi = hi;
		if (nr == DRAIN_RUNS) {	/* room for the last run */
			blocks += drain_flush(pa, runs, nr, st);
			nr = 0;
		}
		lo = pfn;
		hi = pfn + size;
	}
	b = end;
	/*
	 * Past the batch, the blocks that extend the run towards an
	 * end not yet aligned to a refill's block (at most
	 * PCP_REFILL_BLOCKS() - 1 each way): a run cut short of that
	 * boundary would reach the zone as several small blocks now
	 * and its rest later, merged level by level; ending it there
	 * hands the zone whole blocks.
	 */
	for (end = pcp->top[r]; b != end; b++) {
		unsigned long pfn = *pcp_slot(pcp, r, b);

		if (pfn == hi && (hi & align))
			hi += size;
		else if (pfn + size == lo && (lo & align))
			lo = pfn;
		else
			break;
	}
	runs[nr].lo = lo;
	runs[nr++].hi = hi;
	blocks += drain_flush(pa, runs, nr, st);
	n = b - pcp->bottom[r];
	pcp->bottom[r] = b;
	st->drain_blocks += n;
	/* n blocks went to the zones as @blocks: the merges done here. */
	st->merges += n - blocks;
}

/* One copy per cached order, off the whole-block path (its frame holds the runs). */
static noinline void pcp_drain_runs(struct page_allocator *pa, struct per_cpu_pages *pcp,
				    unsigned int order, unsigned int b, unsigned int end,
				    unsigned long blocks, struct pcp_counters *st)
{
	switch (order) {
	case 0: __pcp_drain_runs(pa, pcp, 0, b, end, blocks, st); break;
	case 1: __pcp_drain_runs(pa, pcp, 1, b, end, blocks, st); break;
	case 2: __pcp_drain_runs(pa, pcp, 2, b, end, blocks, st); break;
	case 3: __pcp_drain_runs(pa, pcp, 3, b, end, blocks, st); break;
	default: __pcp_drain_runs(pa, pcp, PCP_HUGE_ORDER, b, end, blocks, st); break;
	}
}

/*
 * Give the @n oldest blocks of the ring of @order back to their zones,
 * and the next ones while they complete the last run's refill-sized
 * block: whole refill-sized blocks at once, else run by run
 * (__pcp_drain_runs()).
 */
static __always_inline void __pcp_drain(struct page_allocator *pa, struct per_cpu_pages *pcp,
					unsigned int order, unsigned int n,
					struct pcp_counters *st)
{
	unsigned int r = pcp_ring(order), b = pcp->bottom[r], end = pcp->top[r];
	unsigned long blocks = 0;

	if (end - b > n)
		end = b + n;
	/*
	 * The common case first: the oldest blocks are a whole refill-sized
	 * block (a refill's blocks freed back, in any order), which is where
	 * a batch that starts in it ends.  Each such block goes to its zone
	 * as one block, read at two instructions a block, not run by run.
	 */
	while (b != end && pcp->top[r] - b >= PCP_REFILL_BLOCKS(order)) {
		unsigned long base;

		if (!pcp_whole_block(pcp_slot(pcp, r, b), PCP_REFILL_BLOCKS(order), order, &base))
			break;
		drain_block(pa, base, order + ilog2(PCP_REFILL_BLOCKS(order)), st);
		blocks++;
		b += PCP_REFILL_BLOCKS(order);
		end = max(end, b);
	}
	if (b != end) {
		pcp_drain_runs(pa, pcp, order, b, end, blocks, st);
	} else if (blocks) {
		n = b - pcp->bottom[r];
		pcp->bottom[r] = b;
		st->drain_blocks += n;
		st->merges += n - blocks;
	}
	pcp_set_limit(pcp, r);
	st->pcp_drains++;
}

/* One copy per cached order, so that the ring arithmetic is constant. */
static noinline void pcp_drain(struct page_allocator *pa, struct per_cpu_pages *pcp,
			       unsigned int order, unsigned int n, struct pcp_counters *st)
{
	switch (order) {
	case 0: __pcp_drain(pa, pcp, 0, n, st); break;
	case 1: __pcp_drain(pa, pcp, 1, n, st); break;
	case 2: __pcp_drain(pa, pcp, 2, n, st); break;
	case 3: __pcp_drain(pa, pcp, 3, n, st); break;
	default: __pcp_drain(pa, pcp, PCP_HUGE_ORDER, n, st); break;
	}
}

/* Empty every ring of @ps into @pa's zones (interrupts disabled). */
void drain_pageset(struct page_allocator *pa, struct per_cpu_pageset *ps)
{
	for (unsigned int r = 0; r < PCP_RINGS; r++)
		if (pcp_count(&ps->pcp, r))
			pcp_drain(pa, &ps->pcp, ring_order(r), pcp_count(&ps->pcp, r), &ps->stats);
}

/*
 * A push reached ring @r's limit (interrupts disabled): drain batches of
 * the oldest blocks while the ring is at its high-water mark, then move
 * the blocks to the start of the ring if they reached its end.
 */
static __always_inline void __pcp_push_slow(struct page_allocator *pa, struct per_cpu_pageset *ps,
					    unsigned int r)
{
	struct per_cpu_pages *pcp = &ps->pcp;
	unsigned int order = ring_order(r);

	while (pcp_count(pcp, r) >= PCP_RING_HIGH(r))
		__pcp_drain(pa, pcp, order, PCP_BATCH_BLOCKS(order), &ps->stats);
	if (pcp->top[r] >= PCP_RING_CAP(r) - PCP_MARGIN && pcp->bottom[r]) {
		unsigned int n = pcp_count(pcp, r);

		memcpy64_down((u64 *)pcp_slot(pcp, r, 0), (u64 *)pcp_slot(pcp, r, pcp->bottom[r]), n);
		pcp->bottom[r] = 0;
		pcp->top[r] = n;
	}
	pcp_set_limit(pcp, r);
}

/*
 * One copy per ring, so that its marks and offsets are constants, each
 * with the drain of its order inlined (no second dispatch on the order).
 */
void pcp_push_slow(struct page_allocator *pa, struct per_cpu_pageset *ps, unsigned int r)
{
	switch (r) {
	case 0: __pcp_push_slow(pa, ps, 0); break;
	case 1: __pcp_push_slow(pa, ps, 1); break;
	case 2: __pcp_push_slow(pa, ps, 2); break;
	case 3: __pcp_push_slow(pa, ps, 3); break;
	default: __pcp_push_slow(pa, ps, PCP_HUGE_RING); break;
	}
}

/* ---------------------------------------------------------------------
 * The drain_*_pages() APIs
 */

/* CPU @cpu's pageset, or NULL for a CPU without one (not possible). */
struct per_cpu_pageset *cpu_pageset(unsigned int cpu)
{
	return cpu_possible(cpu) ? per_cpu_ptr(&pagesets, cpu) : NULL;
}

/*
 * The slab's large-block caches (mm/slab_large.c) keep whole blocks out of
 * the zones as the rings do.  The slab registers how to empty this CPU's
 * (kmem_cache_init()); before that, and in builds without the slab (the
 * hosted page allocator fuzzers), there is none.  page_alloc_init()
 * forgets it: a fresh allocator owes nothing to the old one's caches.
 */
static void (*drain_local_hook)(void);

void page_alloc_set_drain_hook(void (*fn)(void))
{
	WRITE_ONCE(drain_local_hook, fn);
}

/*
 * Empty this CPU's caches into the zones, any context: the slab's block
 * cache first (its blocks go through the rings), then the rings.
 */
void drain_local_pages(void)
{
	void (*hook)(void) = READ_ONCE(drain_local_hook);
	unsigned long flags = arch_local_irq_save();

	if (hook)
		hook();
	drain_pageset(&global_pa, pa_pageset(&global_pa));
	arch_local_irq_restore(flags);
}

/* Empty the caches of a CPU that is not running allocator code. */
void drain_cpu_pages(unsigned int cpu)
{
	struct per_cpu_pageset *ps = cpu_pageset(cpu);
	unsigned long flags;

	if (!ps)
		return;
	flags = arch_local_irq_save();
	drain_pageset(&global_pa, ps);
	arch_local_irq_restore(flags);
}

/* Cross-CPU call handler: the owner drains its rings, interrupts off. */
static void drain_local_ipi(void *unused)
{
	(void)unused;
	drain_local_pages();
}

/*
 * Every other online CPU empties its own caches while we wait: rings are
 * only ever touched by their CPU, so this is the only correct way to get
 * at them.
 */
void drain_remote_pages(void)
{
	if (num_online_cpus() > 1)
		smp_call_function_many(&cpu_online_mask, drain_local_ipi, NULL, true);
}

/* This CPU's caches, then the others' when we may wait for them. */
void drain_all_pages(void)
{
	drain_local_pages();
	if (!irqs_disabled() && !in_interrupt())
		drain_remote_pages();
}

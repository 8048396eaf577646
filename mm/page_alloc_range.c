// SPDX-License-Identifier: GPL-2.0
/*
 * Freeing arbitrary runs of allocated frames: the slow path of every free
 * that is not exactly one allocated block, and finding the head of the
 * allocated block that holds a frame.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/errno.h>
#include <exo/kernel.h>

#include "internal.h"

/* ---------------------------------------------------------------------
 * Heads of allocated blocks
 */

/*
 * Head of the allocated block containing @pfn, or NO_PFN.  Blocks are
 * aligned and disjoint, so the first head met going up the aligned
 * positions decides: a covering allocated head, or nothing.
 */
unsigned long find_alloc_head(unsigned long pfn)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);

		if (test_bit(h, page_alloc_map))
			return pfn < h + (1UL << mem_map[h].order) ? h : NO_PFN;
		if (pfn_listed(h))
			return NO_PFN;
	}
	return NO_PFN;
}

/* Head of the allocated block holding @pfn, or NULL. */
struct page *pfn_to_block_head(unsigned long pfn)
{
	unsigned long h;

	if (pfn >= max_pfn)
		return NULL;
	h = find_alloc_head(pfn);
	return h == NO_PFN ? NULL : &mem_map[h];
}

/* Is @pfn inside an allocated block? */
bool pfn_allocated(unsigned long pfn)
{
	return pfn < max_pfn && find_alloc_head(pfn) != NO_PFN;
}

/* ---------------------------------------------------------------------
 * Freeing arbitrary runs of allocated frames
 *
 * A run [pfn, end) that is not exactly one allocated block is freed under
 * the locks of the zones it touches (two at most: a run is at most
 * MAX_ORDER_NR_PAGES frames, and page_alloc_numa_init() keeps every two
 * zone boundaries that far apart, pa_node_start_ok()), in three steps:
 *
 *  1. claim_run() takes the alloc bit of every block covering the run,
 *     in address order, with the fast paths' own atomic test-and-clear.
 *     A block that is not allocated, or that a lock-free fast free takes
 *     first, fails the claim: the bits already taken are set again and
 *     the call returns -ENOENT, having changed nothing.  Checking and
 *     clearing are thus one atomic step against every other free, fast or
 *     slow: of two frees of the same run exactly one gets it.  A fast free
 *     that finds a bit taken by a claim that is then undone falls back to
 *     this path and waits for the lock, so it sees the bit set again.
 *  2. The parts of the first and last blocks outside the run stay
 *     allocated, as aligned blocks with their owner's info.
 *  3. The run, now owned by nobody (no bit, on no list: like a block on
 *     its way to a per-CPU cache), is poisoned -- only now, once it is
 *     ours, and with the locks dropped, since poisoning touches every
 *     byte -- and put on the lists.
 *
 * What depends on the arguments alone (alignment, count, managed RAM) is
 * checked first, without a lock.
 */

BUILD_BUG_ON(MAX_ORDER_NR_PAGES > ZONE_DMA32_END_PFN - ZONE_DMA_END_PFN);

/* Mark [a, b), part of one block allocated with @info, as allocated aligned blocks. */
void mark_allocated(unsigned long a, unsigned long b, u64 info)
{
	while (a < b) {
		unsigned int o = block_order(a, b);

		mem_map[a].info = (info & ~0xffULL) | o;
		test_and_set_bit(a, page_alloc_map);
		a += 1UL << o;
	}
}

/* Put the frames [a, b), owned by nobody, on @pa's lists (zone locks held). */
void free_run_locked(struct page_allocator *pa, unsigned long a, unsigned long b,
		     struct pcp_counters *st)
{
	while (a < b) {
		struct zone *zone = pa_zone(pa, a);
		unsigned int o = block_order(a, min(b, zone->end_pfn));

		__free_one(zone, a, o, st);
		a += 1UL << o;
	}
}

/*
 * Step 1 (zone locks held): take the alloc bits of the blocks covering
 * [pfn, end).  @claimed: the caller's fast path already holds the bit of
 * the block headed by @pfn.  0 with *@first and *@last the heads of the
 * first and last block, or -ENOENT with every bit as it was before the
 * call (the caller's included) and *@bad the first frame not allocated.
 * Orders are read only from blocks already ours.
 */
static int claim_run(unsigned long pfn, unsigned long end, bool claimed, unsigned long *first,
		     unsigned long *last, phys_addr_t *bad)
{
	unsigned long h = claimed ? pfn : find_alloc_head(pfn), p;

	if (h == NO_PFN) {
		*bad = PFN_PHYS(pfn);
		return -ENOENT;
	}
	/* Blocks are disjoint: after the first, each starts where the last ends. */
	for (p = h; p < end; p += 1UL << mem_map[p].order) {
		if ((claimed && p == h) || test_and_clear_bit(p, page_alloc_map)) {
			*last = p;
			continue;
		}
		*bad = PFN_PHYS(max(p, pfn));
		for (unsigned long q = h; q < p; q += 1UL << mem_map[q].order)
			test_and_set_bit(q, page_alloc_map);
		return -ENOENT;
	}
	*first = h;
	return 0;
}

/*
 * The zones of a run, lower first (interrupts disabled).  Both are
 * "taken" for sparse when they are one zone, so that the count is the
 * same on every path.
 */
static void lock_run(struct zone *lo, struct zone *hi) __acquires(lo->lock) __acquires(hi->lock)
{
	spin_lock(&lo->lock);
	if (hi != lo)
		spin_lock(&hi->lock);
	else
		__acquire(hi->lock);
}

static void unlock_run(struct zone *lo, struct zone *hi) __releases(lo->lock) __releases(hi->lock)
{
	if (hi != lo)
		spin_unlock(&hi->lock);
	else
		__release(hi->lock);
	spin_unlock(&lo->lock);
}

/*
 * Validate what the arguments alone decide, without changing anything: 0,
 * or -EINVAL/-EFAULT with *bad set to the offending address.  Whether the
 * frames are allocated is claim_run()'s business, under the lock.
 */
static int check_range(struct page_allocator *pa, phys_addr_t base, size_t count,
		       phys_addr_t *bad)
{
	unsigned long pfn = PHYS_PFN(base);

	*bad = base;
	if (!count || count > MAX_ORDER_NR_PAGES || (base & ~PAGE_MASK))
		return -EINVAL;
	for (unsigned long p = pfn; p < pfn + count; p++) {
		if (!pfn_valid(p) || !pa_owns(pa, p)) {
			*bad = PFN_PHYS(p);
			return -EFAULT;
		}
	}
	return 0;
}

/* The one log line of a rejected free. */
static noinline void report_free_error(const char *who, phys_addr_t base, size_t count,
				       int err, phys_addr_t bad)
{
	switch (err) {
	case -EINVAL:
		if (!count || count > MAX_ORDER_NR_PAGES)
			report("%s(%#llx, %zu): bad count (-EINVAL)", who, base, count);
		else
			report("%s(%#llx): misaligned address (-EINVAL)", who, base);
		break;
	case -EFAULT:
		report("%s(%#llx, %zu): %#llx is not RAM managed by the allocator (-EFAULT)",
		       who, base, count, bad);
		break;
	default:
		report("%s(%#llx, %zu): %#llx is not allocated, double free? (-ENOENT)",
		       who, base, count, bad);
		break;
	}
}

/* Does a freed run need its bytes or shadow written before it is listed? */
static __always_inline bool free_needs_poison(void)
{
	return IS_ENABLED(CONFIG_KASAN) ||
	       (IS_ENABLED(CONFIG_PAGE_POISONING) && READ_ONCE(poison_on));
}

/*
 * Slow path of every free: [base, base + count) as described above.
 * @claimed: the fast path already took the bit of the block at @base.
 */
noinline int free_range(struct page_allocator *pa, phys_addr_t base, size_t count,
			const char *who, bool claimed)
{
	unsigned long pfn = PHYS_PFN(base), end = pfn + count, first = 0, last = 0, flags;
	struct zone *lo = pa_zone(pa, pfn);
	struct zone *hi = pa_zone(pa, end - 1);
	struct per_cpu_pageset *ps;
	phys_addr_t bad;
	int err = check_range(pa, base, count, &bad);

	flags = arch_local_irq_save();
	if (unlikely(err)) {
		/* Only a run reaching past the claimed block can be refused here. */
		if (claimed) {
			spin_lock(&lo->lock);
			test_and_set_bit(pfn, page_alloc_map);
			spin_unlock(&lo->lock);
		}
		goto out;
	}
	lock_run(lo, hi);
	err = claim_run(pfn, end, claimed, &first, &last, &bad);
	if (unlikely(err)) {
		unlock_run(lo, hi);
		goto out;
	}
	{
		u64 first_info = mem_map[first].info, last_info = mem_map[last].info;
		unsigned long last_end = last + (1UL << mem_map[last].order);

		if (first < pfn)
			mark_allocated(first, pfn, first_info);
		if (last_end > end)
			mark_allocated(end, last_end, last_info);
	}
	if (free_needs_poison()) {
		unlock_run(lo, hi);
		arch_local_irq_restore(flags);
		if (IS_ENABLED(CONFIG_PAGE_POISONING))
			poison_frames(pfn, count);
		kasan_poison_pages(pfn, count);
		flags = arch_local_irq_save();
		lock_run(lo, hi);
	}
	ps = pa_pageset(pa);
	free_run_locked(pa, pfn, end, &ps->stats);
	ps->stats.frees++;
	unlock_run(lo, hi);
out:
	arch_local_irq_restore(flags);
	if (unlikely(err))
		report_free_error(who, base, count, err, bad);
	return err;
}

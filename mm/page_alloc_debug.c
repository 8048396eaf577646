// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator's checks: page poisoning (CONFIG_PAGE_POISONING),
 * the invariant checks of page_alloc_check() and the free-list
 * fingerprints.  Invariants: internal.h.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/atomic.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/string.h>

#include "internal.h"

/* ---------------------------------------------------------------------
 * Page poisoning
 */

/* Fill freed frames with the pattern and flag them for verification. */
void __poison_frames(unsigned long pfn, unsigned long n)
{
	for (unsigned long p = pfn; p < pfn + n; p++) {
		memset(phys_to_virt(PFN_PHYS(p)), PAGE_POISON, PAGE_SIZE);
		__atomic_fetch_or(&page_poison_map[p / 64], 1UL << (p % 64), __ATOMIC_RELAXED);
	}
}

/* Report a frame written to after it was freed. */
static noinline void poison_report(unsigned long pfn, const u8 *va, const u8 *bad)
{
	atomic_long_inc(&poison_errors);
	pr_err_ratelimited("use-after-free: frame %#llx written while free, first bad byte at offset %#lx (%#x, expected %#x)\n",
			   PFN_PHYS(pfn), (unsigned long)(bad - va), *bad, PAGE_POISON);
}

/* Verify (and unflag) the poisoned frames of [pfn, pfn + n). */
void check_poison(unsigned long pfn, unsigned long n)
{
	unsigned long p = pfn, end = pfn + n;

	while (p < end) {
		unsigned long *w = &page_poison_map[p / 64];
		unsigned long bit = 1UL << (p % 64);
		const u8 *va, *bad;

		if (!(READ_ONCE(*w) & bit)) {
			/* A clear word means 64 frames to skip at once. */
			p = READ_ONCE(*w) ? p + 1 : ALIGN(p + 1, 64);
			continue;
		}
		va = phys_to_virt(PFN_PHYS(p));
		bad = memchr_inv(va, PAGE_POISON, PAGE_SIZE);
		if (unlikely(bad))
			poison_report(p, va, bad);
		__atomic_fetch_and(w, ~bit, __ATOMIC_RELAXED);
		p++;
	}
}

/* Turn poisoning of freed frames on or off; returns the old setting. */
bool page_poison_enable(bool on)
{
	bool old = READ_ONCE(poison_on);

	WRITE_ONCE(poison_on, on && IS_ENABLED(CONFIG_PAGE_POISONING));
	return old;
}

/* ---------------------------------------------------------------------
 * Consistency checks and fingerprints
 */

/* Is no bit of either head bitmap set for [pfn, pfn + n)? */
static bool heads_clear(unsigned long pfn, unsigned long n)
{
	for (unsigned long p = pfn; p < pfn + n; p++) {
		if (!(p % 64) && p + 64 <= pfn + n) {
			if (READ_ONCE(page_alloc_map[p / 64]) | READ_ONCE(page_free_map[p / 64]))
				return false;
			p += 63;
		} else if (test_bit(p, page_alloc_map) || pfn_listed(p)) {
			return false;
		}
	}
	return true;
}

/* Are all frames of [pfn, pfn + n) managed? */
static bool managed_range(unsigned long pfn, unsigned long n)
{
	for (unsigned long p = pfn; p < pfn + n; p++)
		if (!pfn_valid(p))
			return false;
	return true;
}

/* Managed frames of [s, e), a word at a time where it can. */
static unsigned long managed_count(unsigned long s, unsigned long e)
{
	unsigned long n = 0;

	for (; s < e; s++) {
		if (!(s % 64) && s + 64 <= e) {
			n += __builtin_popcountl(READ_ONCE(page_managed_map[s / 64]));
			s += 63;
		} else {
			n += pfn_valid(s);
		}
	}
	return n;
}

#define check_fail(nbad, fmt, ...) do {					\
	if ((nbad)++ < 8)						\
		pr_err("check: " fmt "\n", ##__VA_ARGS__);		\
} while (0)

/* Invariants I1-I3 for one zone, and its managed count (lock held). */
static unsigned long check_zone(const struct zone *zone)
{
	unsigned long nbad = 0, pages = 0, blocks = 0, heads = 0, managed;
	unsigned long span = zone->end_pfn - zone->start_pfn;

	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		const struct free_area *area = &zone->free_area[o];
		const struct page *page;
		unsigned long n = 0;

		list_for_each_entry(page, &area->free_list, lru) {
			unsigned long pfn = page_to_pfn(page), buddy = pfn ^ (1UL << o);

			if (n++ > span) {
				check_fail(nbad, "%s order %u: free list loops", zone->name, o);
				break;
			}
			if (pfn & ((1UL << o) - 1))
				check_fail(nbad, "%s: free block %#lx misaligned for order %u",
					   zone->name, pfn, o);
			if (pfn < zone->start_pfn || pfn + (1UL << o) > zone->end_pfn)
				check_fail(nbad, "%s: free block %#lx order %u outside the zone",
					   zone->name, pfn, o);
			else if (!managed_range(pfn, 1UL << o))
				check_fail(nbad, "%s: free block %#lx order %u covers unmanaged frames",
					   zone->name, pfn, o);
			if (!pfn_listed(pfn) || test_bit(pfn, page_alloc_map) || page->order != o)
				check_fail(nbad, "%s: free block %#lx: bits %d%d order %u on list %u",
					   zone->name, pfn, test_bit(pfn, page_alloc_map),
					   pfn_listed(pfn), page->order, o);
			if (!heads_clear(pfn + 1, (1UL << o) - 1))
				check_fail(nbad, "%s: free block %#lx order %u has non-free frames",
					   zone->name, pfn, o);
			if (o < MAX_ORDER && buddy - zone->start_pfn < span &&
			    pfn_listed(buddy) && mem_map[buddy].order == o)
				check_fail(nbad, "%s: free block %#lx and its buddy %#lx not merged (order %u)",
					   zone->name, pfn, buddy, o);
			pages += 1UL << o;
		}
		if (n != area->nr_free)
			check_fail(nbad, "%s order %u: %lu blocks listed, nr_free %lu",
				   zone->name, o, n, area->nr_free);
		if (!n != !(zone->free_mask & (1UL << o)))
			check_fail(nbad, "%s order %u: free_mask bit wrong", zone->name, o);
		blocks += n;
	}
	if (pages != zone->nr_free)
		check_fail(nbad, "%s: %lu pages listed, nr_free %lu", zone->name, pages, zone->nr_free);
	/* Every free bit in the zone is a listed head; allocated heads are sane. */
	for (unsigned long p = zone->start_pfn; p < zone->end_pfn;) {
		unsigned int o;

		if (!(p % 64) && p + 64 <= zone->end_pfn && !READ_ONCE(page_alloc_map[p / 64])) {
			heads += __builtin_popcountl(READ_ONCE(page_free_map[p / 64]));
			p += 64;
			continue;
		}
		heads += pfn_listed(p);
		if (!test_bit(p, page_alloc_map)) {
			p++;
			continue;
		}
		o = mem_map[p].order;
		if (o > MAX_ORDER || (p & ((1UL << o) - 1)) || p + (1UL << o) > zone->end_pfn ||
		    pfn_listed(p) || !heads_clear(p + 1, (1UL << o) - 1)) {
			check_fail(nbad, "%s: allocated block %#lx order %u misplaced or overlapping",
				   zone->name, p, o);
			p++;
			continue;
		}
		p += 1UL << o;		/* its other frames have no bit set */
	}
	if (heads != blocks)
		check_fail(nbad, "%s: %lu free heads in the bitmap, %lu on the lists",
			   zone->name, heads, blocks);
	/* The managed bitmap, written once at boot, agrees with the count. */
	managed = managed_count(zone->start_pfn, zone->end_pfn);
	if (managed != zone->managed)
		check_fail(nbad, "%s: %lu frames in the managed bitmap, managed %lu",
			   zone->name, managed, zone->managed);
	return nbad;
}

/* Check every zone of @pa (every node's for the system allocator). */
unsigned long check_pa(struct page_allocator *pa)
{
	unsigned long nbad = 0, flags;
	struct zone *zone;

	for_each_pa_zone(pa, zone, z) {
		spin_lock_irqsave(&zone->lock, flags);
		nbad += check_zone(zone);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return nbad;
}

/* Number of invariant violations in the system allocator. */
unsigned long page_alloc_check(void)
{
	return check_pa(&global_pa);
}

/* O(MAX_ORDER + block / 64) check of the block around @pfn: 0 or -EBADMSG. */
int page_alloc_check_pfn(unsigned long pfn)
{
	unsigned int o;
	unsigned long buddy, h = NO_PFN, span;
	const struct zone *zone;

	if (!pfn_valid(pfn))
		return 0;
	if (test_bit(pfn, page_alloc_map) && pfn_listed(pfn)) {
		pr_err("check: frame %#lx is both an allocated and a free head\n", pfn);
		return -EBADMSG;
	}
	if (find_alloc_head(pfn) != NO_PFN)
		return 0;
	/* The free block containing pfn, if it is on a list. */
	for (o = 0; o <= MAX_ORDER; o++) {
		unsigned long c = pfn & ~((1UL << o) - 1);

		if (pfn_listed(c)) {
			if (c + (1UL << mem_map[c].order) > pfn)
				h = c;
			break;
		}
	}
	if (h == NO_PFN)
		return 0;	/* cached per CPU or racing */
	zone = pa_zone(&global_pa, h);
	span = zone->end_pfn - zone->start_pfn;
	o = mem_map[h].order;
	buddy = h ^ (1UL << o);
	if (o > MAX_ORDER || (h & ((1UL << o) - 1)) || h + (1UL << o) > zone->end_pfn) {
		pr_err("check: free block %#lx order %u misplaced\n", h, o);
		return -EBADMSG;
	}
	if (test_bit(h, page_alloc_map) || !heads_clear(h + 1, (1UL << o) - 1)) {
		pr_err("check: free block %#lx order %u overlaps other blocks\n", h, o);
		return -EBADMSG;
	}
	if (o < MAX_ORDER && buddy - zone->start_pfn < span && pfn_listed(buddy) &&
	    mem_map[buddy].order == o) {
		pr_err("check: free block %#lx and buddy %#lx not merged\n", h, buddy);
		return -EBADMSG;
	}
	return 0;
}

/* Order-independent mix of a block number into the fingerprint. */
static u64 fp_mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Fingerprint the free lists of @pa. */
void fingerprint_pa(struct page_allocator *pa, struct free_area_fingerprint *fp)
{
	unsigned long flags;
	struct zone *zone;

	memset(fp, 0, sizeof(*fp));
	for_each_pa_zone(pa, zone, z) {
		spin_lock_irqsave(&zone->lock, flags);
		for (unsigned int o = 0; o < NR_ORDERS; o++) {
			const struct page *page;

			list_for_each_entry(page, &zone->free_area[o].free_list, lru) {
				fp->nr[z][o]++;
				fp->hash[z][o] += fp_mix(page_to_pfn(page));
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

/* Order-independent summary of the system free lists. */
void page_alloc_fingerprint(struct free_area_fingerprint *fp)
{
	fingerprint_pa(&global_pa, fp);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The physical frame allocator: a binary buddy allocator with zones and
 * per-CPU caches.
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
 *               area (pagesets), used with local interrupts disabled and no
 *               lock, by its own CPU only; refilled and drained in batches
 *               under the zone lock.  Other CPUs never touch a ring: they
 *               ask its owner to drain it (drain_remote_pages(), a
 *               cross-CPU call).
 * Locking:      zone->lock, always with local interrupts disabled.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/atomic.h>
#include <exo/bitmap.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/fault_inject.h>
#include <exo/init.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/printk.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/irqflags.h>
#include <asm/page.h>

#define NO_PFN		(~0UL)
#define PAGE_POISON	0xaa

/* Head info of a freshly allocated block of @order. */
#define BUDDY_INFO(order)	((u64)(order) | ((u64)PAGE_TYPE_BUDDY << 8))

BUILD_BUG_ON(sizeof(struct page) != 48);
BUILD_BUG_ON(MAX_ORDER < 10 || MAX_ORDER > 18);
/* A batch of at least a buddy pair; room for a batch after a drain. */
BUILD_BUG_ON(PCP_BATCH < 2 || PCP_HIGH < 16 || PCP_HIGH < 2 * PCP_BATCH || PCP_HIGH > 4096);
BUILD_BUG_ON(PCP_HUGE_HIGH > 8 || PCP_RING_HIGH(1) > PCP_HIGH || PCP_RING_HIGH(3) < 2);
BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);	/* page->info */

struct page *mem_map;
unsigned long max_pfn;
unsigned long *page_alloc_map;
unsigned long *page_managed_map;
static unsigned long *page_free_map;
static unsigned long *page_poison_map;
static bool poison_on = IS_ENABLED(CONFIG_PAGE_POISONING);
static atomic_long_t poison_errors;
static unsigned long metadata_bytes;

static struct page_allocator global_pa;
#ifdef __HOSTED__
/*
 * Hosted: indexed by CPU number.  A hosted CPU's per-CPU area is a copy of
 * CPU 0's live one, which would duplicate the blocks CPU 0 has cached.
 */
static struct per_cpu_pageset pagesets[NR_CPUS] __aligned(64);
#else
/*
 * In each CPU's per-CPU area: memory for the CPUs present, not NR_CPUS
 * slots of 22 KiB.  Every area is a copy of the pristine template
 * (arch/x86/kernel/smpboot.c), so each CPU starts from this: empty rings
 * with their push limits (pcp_set_limit() with bottom 0).
 */
static DEFINE_PER_CPU_ALIGNED(struct per_cpu_pageset, pagesets) = {
	.pcp.limit = { PCP_RING_HIGH(0), PCP_RING_HIGH(1), PCP_RING_HIGH(2), PCP_RING_HIGH(3),
		       PCP_RING_HIGH(4) },
};
BUILD_BUG_ON(PCP_RINGS != 5);
#endif

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal" };

#define report(fmt, ...) pr_err_ratelimited(fmt "\n", ##__VA_ARGS__)

/*
 * arch_local_irq_restore() with the flags kept opaque until here, so that
 * the compiler tests the saved IF bit right before the sti instead of
 * computing the mask early into another register (two instructions on
 * every fast path).
 */
static __always_inline void pa_irq_restore(unsigned long flags)
{
	asm volatile("" : "+a"(flags));
	arch_local_irq_restore(flags);
}

/* ---------------------------------------------------------------------
 * Head bitmaps
 */

/*
 * Atomically set / clear bit @nr of @map; return its old value.  On x86 a
 * single locked bts/btr addressing the bitmap as one bit string: no index
 * arithmetic, no loop.
 */
static __always_inline bool map_test_and_set(unsigned long *map, unsigned long nr)
{
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)	/* TSan sees no asm */
	bool old;

	asm volatile("lock btsq %2, %0" : "+m"(*map), "=@ccc"(old) : "r"(nr) : "memory");
	return old;
#else
	return test_and_set_bit(nr, map);
#endif
}

static __always_inline bool map_test_and_clear(unsigned long *map, unsigned long nr)
{
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
	bool old;

	asm volatile("lock btrq %2, %0" : "+m"(*map), "=@ccc"(old) : "r"(nr) : "memory");
	return old;
#else
	return test_and_clear_bit(nr, map);
#endif
}

static __always_inline bool map_test(const unsigned long *map, unsigned long nr)
{
	return (READ_ONCE(map[nr / 64]) >> (nr % 64)) & 1;
}

/* Is @pfn the head of a free block on a buddy list? */
static __always_inline bool pfn_listed(unsigned long pfn)
{
	return map_test(page_free_map, pfn);
}

/* Set bits [start, start + n) of a plain bitmap (callers serialise). */
static void bitmap_set_range(unsigned long *map, unsigned long start, unsigned long n)
{
	/* Boot hands all RAM over in a few ranges: whole words in one fill. */
	if (n >= 128) {
		unsigned long head = -start % 64;

		bitmap_set_range(map, start, head);
		start += head;
		n -= head;
		memset64((u64 *)&map[start / 64], ~0ULL, n / 64);
		start += n & ~63UL;
		n %= 64;
	}
	while (n) {
		unsigned int bit = start % 64;
		unsigned long len = min_t(unsigned long, n, 64 - bit);
		unsigned long mask = (len == 64 ? ~0UL : ((1UL << len) - 1)) << bit;

		map[start / 64] |= mask;
		start += len;
		n -= len;
	}
}

/*
 * Head of the allocated block containing @pfn, or NO_PFN.  Blocks are
 * aligned and disjoint, so the first head met going up the aligned
 * positions decides: a covering allocated head, or nothing.
 */
static unsigned long find_alloc_head(unsigned long pfn)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);

		if (map_test(page_alloc_map, h))
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
 * Page poisoning
 */

/* Fill freed frames with the pattern and flag them for verification. */
static void poison_frames(unsigned long pfn, unsigned long n)
{
	if (!IS_ENABLED(CONFIG_PAGE_POISONING) || !READ_ONCE(poison_on))
		return;
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
static void check_poison(unsigned long pfn, unsigned long n)
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

/* What every successful allocation does outside the critical section. */
static __always_inline void post_alloc(unsigned long pfn, unsigned long n, gfp_t gfp)
{
	if (IS_ENABLED(CONFIG_PAGE_POISONING))
		check_poison(pfn, n);
	kasan_unpoison_pages(pfn, n);
	if (gfp & __GFP_ZERO)
		memset(phys_to_virt(PFN_PHYS(pfn)), 0, n << PAGE_SHIFT);
}

/* ---------------------------------------------------------------------
 * Zones and free lists (zone->lock held, interrupts disabled)
 */

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
	map_test_and_set(page_free_map, pfn);
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
	map_test_and_clear(page_free_map, pfn);
}

/* Free the unlisted block (pfn, order) into @zone, merging with free buddies. */
static void __free_one(struct zone *zone, unsigned long pfn, unsigned int order,
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
static bool __rmqueue(struct zone *zone, unsigned int order, unsigned long *pfnp,
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

/* ---------------------------------------------------------------------
 * Allocator instances: the system one and test instances
 */

/* Index of @pfn's zone; only for pfns already known to be in @pa. */
static __always_inline unsigned int pa_zone_idx(struct page_allocator *pa, unsigned long pfn)
{
	if (pa == &global_pa)
		return pfn < ZONE_DMA_END_PFN ? ZONE_DMA :
		       pfn < ZONE_DMA32_END_PFN ? ZONE_DMA32 : ZONE_NORMAL;
	return 0;
}

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

/* Recompute stack @r's push limit after its bottom or top moved; rewind it when empty. */
static void pcp_set_limit(struct per_cpu_pages *pcp, unsigned int r)
{
	if (pcp->top[r] == pcp->bottom[r])
		pcp->top[r] = pcp->bottom[r] = 0;
	pcp->limit[r] = min(pcp->bottom[r] + (unsigned int)PCP_RING_HIGH(r),
			    (unsigned int)(PCP_RING_CAP(r) - PCP_MARGIN));
}

/*
 * An empty pageset with its push limits.  The slots are left alone:
 * clearing NR_CPUS x 22 KiB at boot would cost more than the rest of
 * the buddy initialisation.
 */
static void pageset_reset(struct per_cpu_pageset *ps)
{
	memset(&ps->stats, 0, sizeof(ps->stats));
	for (unsigned int r = 0; r < PCP_RINGS; r++) {
		ps->pcp.top[r] = ps->pcp.bottom[r] = 0;
		pcp_set_limit(&ps->pcp, r);
	}
}

/*
 * This CPU's pageset of @pa (interrupts disabled by the caller).  Hosted,
 * the offset is computed in 32 bits, which the compiler knows to be
 * zero-extended for free.
 */
static __always_inline struct per_cpu_pageset *pa_pageset(struct page_allocator *pa)
{
	if (pa != &global_pa)
		return pa->pageset;
#ifdef __HOSTED__
	return (struct per_cpu_pageset *)((char *)pagesets + smp_processor_id() *
					  (unsigned int)sizeof(struct per_cpu_pageset));
#else
	return this_cpu_ptr(&pagesets);
#endif
}

/* Pop the most recently cached block of @order. */
static __always_inline bool pcp_pop(struct per_cpu_pages *pcp, unsigned int order,
				    unsigned long *pfn)
{
	unsigned int r = pcp_ring(order), top = pcp->top[r];

	if (top == pcp->bottom[r])
		return false;
	pcp->top[r] = --top;
	*pfn = *pcp_slot(pcp, r, top);
	return true;
}

/*
 * Fill the empty stack of @order with PCP_BATCH pages from @zone, taking
 * the largest blocks available and splitting them.  Pops must come out in
 * ascending address order, first block first, so that consecutive
 * allocations are buddies: the frames are written downwards from slot
 * @need in the order they must come out, then moved to the bottom if the
 * zone ran short.  Returns the blocks added.
 */
static __always_inline unsigned int __pcp_refill(struct zone *zone, struct per_cpu_pages *pcp,
						  unsigned int order, struct pcp_counters *st)
{
	unsigned int need = PCP_BATCH_BLOCKS(order), got = 0, r = pcp_ring(order), idx = need;

	spin_lock(&zone->lock);
	while (got < need) {
		unsigned int k = min(ilog2(need - got) + order, (unsigned int)MAX_ORDER);
		unsigned long avail = zone->free_mask, pfn;

		if (!(avail >> k)) {
			if (!(avail >> order))
				break;
			k = ilog2(avail);	/* largest block still >= order */
		}
		if (WARN_ON(!__rmqueue(zone, k, &pfn, st)))	/* free_mask lied */
			break;
		for (unsigned long i = 0; i < 1UL << (k - order); i++) {
			/* Cached blocks carry their future head info (I5). */
			mem_map[pfn + (i << order)].info = BUDDY_INFO(order);
			*pcp_slot(pcp, r, --idx) = pfn + (i << order);
		}
		got += 1U << (k - order);
	}
	spin_unlock(&zone->lock);
	/* The stack was empty (pops may have left it at any index): restart at 0. */
	if (idx)
		memmove(pcp_slot(pcp, r, 0), pcp_slot(pcp, r, idx), got * sizeof(long));
	pcp->bottom[r] = 0;
	pcp->top[r] = got;
	pcp_set_limit(pcp, r);
	st->pcp_refills += got != 0;
	st->refill_blocks += got;
	return got;
}

/* One copy per cached order, so that the ring arithmetic is constant. */
static noinline unsigned int pcp_refill(struct zone *zone, struct per_cpu_pages *pcp,
					unsigned int order, struct pcp_counters *st)
{
	switch (order) {
	case 0: return __pcp_refill(zone, pcp, 0, st);
	case 1: return __pcp_refill(zone, pcp, 1, st);
	case 2: return __pcp_refill(zone, pcp, 2, st);
	case 3: return __pcp_refill(zone, pcp, 3, st);
	default: return __pcp_refill(zone, pcp, PCP_HUGE_ORDER, st);
	}
}

/* Blocks kept by pcp_drain() before it takes a zone lock. */
#define DRAIN_STACK	32
/* Zone boundaries (16 MiB, 4 GiB) are aligned to 2^12 frames. */
#define DRAIN_MERGE_MAX	(MAX_ORDER < 12 ? MAX_ORDER : 12U)

struct drain_block {
	unsigned long pfn;
	unsigned int order;
};

/* Free the collected blocks, one lock round per run of the same zone. */
static void drain_flush(struct page_allocator *pa, struct drain_block *stk, unsigned int n,
			struct pcp_counters *st)
{
	unsigned int i = 0;

	while (i < n) {
		struct zone *zone = &pa->zones[pa_zone_idx(pa, stk[i].pfn)];

		spin_lock(&zone->lock);
		do {
			__free_one(zone, stk[i].pfn, stk[i].order, st);
		} while (++i < n && &pa->zones[pa_zone_idx(pa, stk[i].pfn)] == zone);
		spin_unlock(&zone->lock);
	}
}

/*
 * Give the @n oldest blocks of the ring of @order back to their zones.
 * Blocks freed back to back are often buddies (a run of frames freed in
 * order): like a binary counter, a block that completes the one on top of
 * a small stack is merged with it on the spot, before any lock is taken.
 * The zone then sees one large block instead of many small ones.  Both
 * halves are owned by us and unlisted, so this is exactly what
 * __free_one() would have done, minus the list traffic.
 */
static __always_inline void __pcp_drain(struct page_allocator *pa, struct per_cpu_pages *pcp,
					unsigned int order, unsigned int n,
					struct pcp_counters *st)
{
	struct drain_block stk[DRAIN_STACK];
	unsigned int sp = 0, r = pcp_ring(order);

	while (n-- && pcp->bottom[r] != pcp->top[r]) {
		unsigned long pfn = *pcp_slot(pcp, r, pcp->bottom[r]++);
		unsigned int o = order;

		st->drain_blocks++;
		while (sp && stk[sp - 1].order == o && (stk[sp - 1].pfn ^ (1UL << o)) == pfn &&
		       o < DRAIN_MERGE_MAX) {
			pfn &= stk[--sp].pfn;
			o++;
			st->merges++;
		}
		if (sp == DRAIN_STACK) {
			drain_flush(pa, stk, sp, st);
			sp = 0;
		}
		stk[sp].pfn = pfn;
		stk[sp++].order = o;
	}
	drain_flush(pa, stk, sp, st);
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
static void drain_pageset(struct page_allocator *pa, struct per_cpu_pageset *ps)
{
	for (unsigned int r = 0; r < PCP_RINGS; r++)
		if (pcp_count(&ps->pcp, r))
			pcp_drain(pa, &ps->pcp, ring_order(r), pcp_count(&ps->pcp, r), &ps->stats);
}

/* Write the head's metadata and state of a block just taken off a list. */
static __always_inline void prep_block(unsigned long pfn, unsigned int order)
{
	mem_map[pfn].info = BUDDY_INFO(order);
	map_test_and_set(page_alloc_map, pfn);
}

/*
 * Take a block of @order from zones @high .. 0 and prepare it.  @cached:
 * any zone will do, so this CPU's ring serves it and is refilled from the
 * highest zone that has memory.
 */
static bool take_block(struct page_allocator *pa, int high, bool cached, unsigned int order,
		       unsigned long *pfnp)
{
	unsigned long flags = arch_local_irq_save();
	struct per_cpu_pageset *ps = pa_pageset(pa);
	bool ok = false;

	if (cached) {
		if (pcp_pop(&ps->pcp, order, pfnp)) {	/* a hit after all */
			map_test_and_set(page_alloc_map, *pfnp);
			arch_local_irq_restore(flags);
			return true;
		}
		ps->stats.pcp_misses++;
		for (int z = high; z >= 0; z--)
			if (pa->zones[z].managed && pcp_refill(&pa->zones[z], &ps->pcp, order, &ps->stats))
				break;
		ok = pcp_pop(&ps->pcp, order, pfnp);
		if (ok) {
			ps->stats.miss_pops++;
			map_test_and_set(page_alloc_map, *pfnp);
		}
	} else {
		for (int z = high; z >= 0 && !ok; z--) {
			struct zone *zone = &pa->zones[z];

			if (!zone->managed)
				continue;
			spin_lock(&zone->lock);
			ok = __rmqueue(zone, order, pfnp, &ps->stats);
			spin_unlock(&zone->lock);
			if (ok)
				prep_block(*pfnp, order);
		}
	}
	ps->stats.allocs += ok;
	arch_local_irq_restore(flags);
	return ok;
}

/* Highest zone index @gfp allows in @pa. */
static unsigned int gfp_zone(struct page_allocator *pa, gfp_t gfp)
{
	unsigned int g = (__force unsigned int)gfp;
	unsigned int z = (g & ___GFP_DMA) ? ZONE_DMA : (g & ___GFP_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;

	return min(z, pa->nr_zones - 1);
}

/* Before failing: pull cached blocks back into the zones. */
static void drain_for_retry(struct page_allocator *pa, gfp_t gfp)
{
	unsigned long flags;

	if (pa != &global_pa) {
		flags = arch_local_irq_save();
		drain_pageset(pa, pa_pageset(pa));
		arch_local_irq_restore(flags);
		return;
	}
	drain_local_pages();
	if (!(gfp & __GFP_ATOMIC) && !irqs_disabled() && !in_interrupt())
		drain_remote_pages();
}

/*
 * Allocate and prepare a block of @order: zones from the highest @gfp
 * allows down to DMA, then once more after draining the caches.
 * Returns 0 or -ENOMEM; does not log.
 */
static int alloc_block(struct page_allocator *pa, gfp_t gfp, unsigned int order,
		       unsigned long *pfnp)
{
	unsigned int high = min(gfp_zone(pa, gfp), pa->preferred);
	bool cached = pcp_cached(order) && high == pa->preferred;
	unsigned long flags;

	if (take_block(pa, high, cached, order, pfnp))
		return 0;
	drain_for_retry(pa, gfp);
	if (take_block(pa, high, cached, order, pfnp))
		return 0;
	flags = arch_local_irq_save();
	pa_pageset(pa)->stats.alloc_failed++;
	arch_local_irq_restore(flags);
	return -ENOMEM;
}

/* Free the unlisted block (pfn, order) straight into its zone. */
static noinline void free_to_zone(struct page_allocator *pa, unsigned long pfn, unsigned int order)
{
	struct zone *zone = &pa->zones[pa_zone_idx(pa, pfn)];
	unsigned long flags = arch_local_irq_save();
	struct per_cpu_pageset *ps = pa_pageset(pa);

	ps->stats.frees++;
	spin_lock(&zone->lock);
	__free_one(zone, pfn, order, &ps->stats);
	spin_unlock(&zone->lock);
	arch_local_irq_restore(flags);
}

/*
 * A push reached ring @r's limit (interrupts disabled): drain batches of
 * the oldest blocks while the ring is at its high-water mark, then move
 * the blocks to the start of the ring if they reached its end.
 */
static void pcp_push_slow(struct page_allocator *pa, struct per_cpu_pageset *ps, unsigned int r)
{
	struct per_cpu_pages *pcp = &ps->pcp;
	unsigned int order = ring_order(r);

	while (pcp_count(pcp, r) >= PCP_RING_HIGH(r))
		pcp_drain(pa, pcp, order, PCP_BATCH_BLOCKS(order), &ps->stats);
	if (pcp->top[r] >= PCP_RING_CAP(r) - PCP_MARGIN && pcp->bottom[r]) {
		unsigned int n = pcp_count(pcp, r);

		memmove(pcp_slot(pcp, r, 0), pcp_slot(pcp, r, pcp->bottom[r]), n * sizeof(long));
		pcp->bottom[r] = 0;
		pcp->top[r] = n;
	}
	pcp_set_limit(pcp, r);
}

/* What the free fast paths return: 0 (done) or what is left to do. */
enum {
	FREE_CLAIMED = -2,	/* the head's bit is ours, the block is not (pfn, order) */
	FREE_SLOW = -1,		/* nothing changed; not a whole allocated block */
	FREE_DONE = 0,
	FREE_LIMIT,		/* pushed; the ring reached its limit */
	FREE_ZONE,		/* uncached order: straight to the zone */
};

/*
 * The cold end of every fast free that returned @code > 0 for the block
 * (pfn, order), whose alloc bit is already cleared.  Interrupts may have
 * been enabled in between, so the ring is re-read.
 */
static noinline void free_finish(struct page_allocator *pa, unsigned long pfn, unsigned int order,
				 int code)
{
	unsigned long flags;
	struct per_cpu_pageset *ps;
	unsigned int r = pcp_ring(order);

	if (code == FREE_ZONE) {
		free_to_zone(pa, pfn, order);
		return;
	}
	flags = arch_local_irq_save();
	ps = pa_pageset(pa);
	if (ps->pcp.top[r] >= ps->pcp.limit[r])
		pcp_push_slow(pa, ps, r);
	arch_local_irq_restore(flags);
}

/*
 * Give the block (pfn, order), whose alloc bit the caller just cleared,
 * back to this CPU's ring.  Plain stores with interrupts disabled: only
 * this CPU ever touches its rings.  Anything unusual is left to
 * free_finish() through the return code, so that each fast path has one
 * call site and needs no stack frame.
 */
static __always_inline int release_block(struct page_allocator *pa, unsigned long pfn,
					 unsigned int order)
{
	unsigned int r = pcp_ring(order), top;
	struct per_cpu_pageset *ps;
	unsigned long flags;

	if (IS_ENABLED(CONFIG_PAGE_POISONING))
		poison_frames(pfn, 1UL << order);
	/* Before the per-CPU cache: cached blocks are free memory too. */
	kasan_poison_pages(pfn, 1UL << order);
	if (!pcp_cached(order))
		return FREE_ZONE;
	flags = arch_local_irq_save();
	ps = pa_pageset(pa);
	top = ps->pcp.top[r];
	*pcp_slot(&ps->pcp, r, top) = pfn;
	ps->pcp.top[r] = ++top;
	ps->stats.pcp_frees++;
	if (unlikely(top >= ps->pcp.limit[r])) {
		pa_irq_restore(flags);
		return FREE_LIMIT;
	}
	pa_irq_restore(flags);
	return FREE_DONE;
}

/* ---------------------------------------------------------------------
 * Freeing arbitrary runs of allocated frames
 *
 * A run [pfn, end) that is not exactly one allocated block is freed under
 * the locks of the zones it touches (two at most: a run is at most
 * MAX_ORDER_NR_PAGES frames, far less than ZONE_DMA32), in three steps:
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

/* Largest aligned block starting at @s that fits before @e. */
static unsigned int block_order(unsigned long s, unsigned long e)
{
	unsigned int o = s ? __builtin_ctzl(s) : MAX_ORDER;

	o = min(o, ilog2(e - s));
	return min(o, (unsigned int)MAX_ORDER);
}

/* Mark [a, b), part of one block allocated with @info, as allocated aligned blocks. */
static void mark_allocated(unsigned long a, unsigned long b, u64 info)
{
	while (a < b) {
		unsigned int o = block_order(a, b);

		mem_map[a].info = (info & ~0xffULL) | o;
		map_test_and_set(page_alloc_map, a);
		a += 1UL << o;
	}
}

/* Put the frames [a, b), owned by nobody, on @pa's lists (zone locks held). */
static void free_run_locked(struct page_allocator *pa, unsigned long a, unsigned long b,
			    struct pcp_counters *st)
{
	while (a < b) {
		struct zone *zone = &pa->zones[pa_zone_idx(pa, a)];
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
		if ((claimed && p == h) || map_test_and_clear(page_alloc_map, p)) {
			*last = p;
			continue;
		}
		*bad = PFN_PHYS(max(p, pfn));
		for (unsigned long q = h; q < p; q += 1UL << mem_map[q].order)
			map_test_and_set(page_alloc_map, q);
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
static noinline int free_range(struct page_allocator *pa, phys_addr_t base, size_t count,
			       const char *who, bool claimed)
{
	unsigned long pfn = PHYS_PFN(base), end = pfn + count, first = 0, last = 0, flags;
	struct zone *lo = &pa->zones[pa_zone_idx(pa, pfn)];
	struct zone *hi = &pa->zones[pa_zone_idx(pa, end - 1)];
	struct per_cpu_pageset *ps;
	phys_addr_t bad;
	int err = check_range(pa, base, count, &bad);

	flags = arch_local_irq_save();
	if (unlikely(err)) {
		/* Only a run reaching past the claimed block can be refused here. */
		if (claimed) {
			spin_lock(&lo->lock);
			map_test_and_set(page_alloc_map, pfn);
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

/* ---------------------------------------------------------------------
 * Contract API, generic over instances
 */

/*
 * Cache hit for a block of @order (a constant after inlining): pop it from
 * this CPU's ring and set its alloc bit.  False on a miss, nothing changed.
 * No counter: hits are derived (struct pcp_counters).
 */
static __always_inline bool pcp_alloc_fast(struct page_allocator *pa, unsigned int order,
					   unsigned long *pfnp)
{
	unsigned long flags = arch_local_irq_save();
	struct per_cpu_pageset *ps = pa_pageset(pa);

	if (likely(pcp_pop(&ps->pcp, order, pfnp))) {
		pa_irq_restore(flags);
		/* Ours since the pop: nobody else may touch this bit now. */
		map_test_and_set(page_alloc_map, *pfnp);
		return true;
	}
	pa_irq_restore(flags);
	return false;
}

/* pcp_alloc_fast() with a constant order for each cached order. */
static __always_inline bool alloc_order_fast(struct page_allocator *pa, unsigned int order,
					     unsigned long *pfnp)
{
	switch (order) {
	case 0: return pcp_alloc_fast(pa, 0, pfnp);
	case 1: return pcp_alloc_fast(pa, 1, pfnp);
	case 2: return pcp_alloc_fast(pa, 2, pfnp);
	case 3: return pcp_alloc_fast(pa, 3, pfnp);
	case PCP_HUGE_ORDER: return PCP_HUGE_HIGH && pcp_alloc_fast(pa, PCP_HUGE_ORDER, pfnp);
	default: return false;
	}
}

/*
 * Free (pfn, order) in O(1) if it is exactly an allocated block of that
 * order.  A head of another order is left to free_range() untouched
 * (FREE_SLOW): clearing its alloc bit first would hide the whole block,
 * outside any lock, from a rightful free of another of its frames on
 * another CPU.  Then the alloc bit is taken with one atomic
 * test-and-clear, so that of two frees racing for a block exactly one
 * gets it, and the other finds the bit clear and goes to free_range()
 * (FREE_SLOW, nothing changed), which reports it.  The head info is read
 * again once the block is ours: it is then the block's own (I4), not a
 * guess that a free and a new allocation of the same frames could have
 * made stale; if that changed its order, free_range() finishes the block
 * (FREE_CLAIMED).  One whose owner left the info as allocated needs no
 * store to be cached again (I5).
 */
static __always_inline int free_block_fast(struct page_allocator *pa, unsigned long pfn,
					   unsigned int order)
{
	struct page *page;

	if (unlikely(pfn >= max_pfn || !pa_owns(pa, pfn) || (pfn & ((1UL << order) - 1))))
		return FREE_SLOW;
	/* The address before the bit: the asm's clobber would reload mem_map. */
	page = &mem_map[pfn];
	if (unlikely(READ_ONCE(page->order) != order))
		return FREE_SLOW;
	if (unlikely(!map_test_and_clear(page_alloc_map, pfn)))
		return FREE_SLOW;
	if (unlikely(page->info != BUDDY_INFO(order))) {
		if (page->order != order)
			return FREE_CLAIMED;
		page->info = BUDDY_INFO(order);
	}
	return release_block(pa, pfn, order);
}

/* free_block_fast() with a constant order for each cached order. */
static __always_inline int free_order_fast(struct page_allocator *pa, unsigned long pfn,
					   unsigned int order)
{
	switch (order) {
	case 0: return free_block_fast(pa, pfn, 0);
	case 1: return free_block_fast(pa, pfn, 1);
	case 2: return free_block_fast(pa, pfn, 2);
	case 3: return free_block_fast(pa, pfn, 3);
	case PCP_HUGE_ORDER: return free_block_fast(pa, pfn, PCP_HUGE_ORDER);
	default: return order <= MAX_ORDER ? free_block_fast(pa, pfn, order) : FREE_SLOW;
	}
}

/* alloc_frame() after a cache miss. */
static noinline int alloc_frame_slow(struct page_allocator *pa, phys_addr_t *frame)
{
	unsigned long pfn;

	if (alloc_block(pa, GFP_KERNEL, 0, &pfn)) {
		report("alloc_frame: out of memory (-ENOMEM)");
		return -ENOMEM;
	}
	post_alloc(pfn, 1, GFP_KERNEL);
	*frame = PFN_PHYS(pfn);
	return 0;
}

/* One frame: this CPU's ring, else the slow path. */
static __always_inline int __alloc_frame(struct page_allocator *pa, phys_addr_t *frame)
{
	unsigned long pfn;

	if (likely(pcp_alloc_fast(pa, 0, &pfn))) {
		if (IS_ENABLED(CONFIG_PAGE_POISONING))
			check_poison(pfn, 1);
		kasan_unpoison_pages(pfn, 1);
		*frame = PFN_PHYS(pfn);
		return 0;
	}
	return alloc_frame_slow(pa, frame);
}

/* Rotate right by 12 bits: the frame number of an aligned address. */
static __always_inline unsigned long frame_ror(phys_addr_t frame)
{
	return (unsigned long)((frame >> PAGE_SHIFT) | (frame << (64 - PAGE_SHIFT)));
}

/* free_frame() once its fast path returned @code (arguments in fast-path registers). */
static noinline int free_frame_slow(unsigned long rpfn, int code, struct page_allocator *pa)
{
	/* Errors, or a frame of a larger block. */
	if (code < 0)
		return free_range(pa, (phys_addr_t)((rpfn << PAGE_SHIFT) | (rpfn >> (64 - PAGE_SHIFT))),
				  1, "free_frame", code == FREE_CLAIMED);
	free_finish(pa, rpfn, 0, code);
	return 0;
}

/*
 * One allocated order-0 block: O(1) checks, then this CPU's cache.  The
 * frame number is the address rotated right by 12 bits: a misaligned
 * address then has its low bits on top and fails the max_pfn test, so
 * alignment and range cost one compare (free_range() tells them apart).
 */
static __always_inline int __free_frame(struct page_allocator *pa, phys_addr_t frame)
{
	unsigned long rpfn = frame_ror(frame);
	int code = free_block_fast(pa, rpfn, 0);

	if (likely(code == FREE_DONE))
		return 0;
	return free_frame_slow(rpfn, code, pa);
}

static int __alloc_contiguous(struct page_allocator *pa, size_t count, phys_addr_t *base)
{
	unsigned long pfn;
	unsigned int order;

	if (!count || count > MAX_ORDER_NR_PAGES) {
		report("alloc_contiguous(%zu): bad count (-EINVAL)", count);
		return -EINVAL;
	}
	order = order_base_2(count);
	if (count == 1UL << order && alloc_order_fast(pa, order, &pfn)) {
		post_alloc(pfn, count, GFP_KERNEL);
		*base = PFN_PHYS(pfn);
		return 0;
	}
	if (alloc_block(pa, GFP_KERNEL, order, &pfn)) {
		report("alloc_contiguous(%zu): out of memory (-ENOMEM)", count);
		return -ENOMEM;
	}
	if (count < 1UL << order) {
		/* Give the tail back now (never poisoned: never handed out). */
		struct zone *zone = &pa->zones[pa_zone_idx(pa, pfn)];
		unsigned long flags = arch_local_irq_save();
		struct per_cpu_pageset *ps = pa_pageset(pa);

		spin_lock(&zone->lock);
		mark_allocated(pfn, pfn + count, BUDDY_INFO(order));
		free_run_locked(pa, pfn + count, pfn + (1UL << order), &ps->stats);
		spin_unlock(&zone->lock);
		arch_local_irq_restore(flags);
	}
	post_alloc(pfn, count, GFP_KERNEL);
	*base = PFN_PHYS(pfn);
	return 0;
}

/* free_contiguous() once its fast path returned @code. */
static noinline int free_contiguous_slow(struct page_allocator *pa, phys_addr_t base,
					 size_t count, const char *who, int code)
{
	if (code < 0)
		return free_range(pa, base, count, who, code == FREE_CLAIMED);
	free_finish(pa, PHYS_PFN(base), ilog2(count), code);
	return 0;
}

/* Whole blocks as allocated take the O(1) path; anything else is carved. */
static __always_inline int __free_contiguous(struct page_allocator *pa, phys_addr_t base,
					     size_t count, const char *who)
{
	int code = FREE_SLOW;

	if (is_power_of_2(count) && !(base & ~PAGE_MASK))
		code = free_order_fast(pa, PHYS_PFN(base), ilog2(count));
	if (likely(code == FREE_DONE))
		return 0;
	return free_contiguous_slow(pa, base, count, who, code);
}

/* One 4 KiB frame, or -ENOMEM.  Kernel-doc in <exo/page_alloc.h>. */
int alloc_frame(phys_addr_t *frame)
{
	if (should_fail_page_alloc(GFP_KERNEL, 0))
		return -ENOMEM;
	return __alloc_frame(&global_pa, frame);
}

/* Free one allocated frame; -EINVAL/-EFAULT/-ENOENT change nothing. */
int free_frame(phys_addr_t frame)
{
	return __free_frame(&global_pa, frame);
}

/* @count contiguous frames, tail of the power-of-two block given back. */
int alloc_contiguous(size_t count, phys_addr_t *base)
{
	/* Fault injection; a bad count still gets its -EINVAL. */
	if (count - 1 < MAX_ORDER_NR_PAGES &&
	    should_fail_page_alloc(GFP_KERNEL, order_base_2(count)))
		return -ENOMEM;
	return __alloc_contiguous(&global_pa, count, base);
}

/* Free any run of allocated frames, all checked first. */
int free_contiguous(phys_addr_t base, size_t count)
{
	return __free_contiguous(&global_pa, base, count, "free_contiguous");
}

/* ---------------------------------------------------------------------
 * Linux-like API
 */

/* A 2^@order block from the zones @gfp allows, or NULL. */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long pfn;

	if (order > MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			report("alloc_pages(%#x, %u): order above %u", (__force unsigned int)gfp,
			       order, MAX_ORDER);
		return NULL;
	}
	if (should_fail_page_alloc(gfp, order))
		return NULL;
	/* Any zone will do: this CPU's cache first. */
	if (!(gfp & (__GFP_DMA | __GFP_DMA32)) && alloc_order_fast(&global_pa, order, &pfn))
		goto out;
	if (alloc_block(&global_pa, gfp, order, &pfn)) {
		if (!(gfp & __GFP_NOWARN))
			report("alloc_pages(%#x, %u): out of memory", (__force unsigned int)gfp, order);
		return NULL;
	}
out:
	post_alloc(pfn, 1UL << order, gfp);
	return &mem_map[pfn];
}

/* Free a block from alloc_pages(); anything else as free_contiguous(). */
void __free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	int code = free_order_fast(&global_pa, pfn, order);

	if (likely(code == FREE_DONE))
		return;
	if (order > MAX_ORDER) {
		report("__free_pages(%#llx, %u): order above %u", PFN_PHYS(pfn), order, MAX_ORDER);
		return;
	}
	free_contiguous_slow(&global_pa, PFN_PHYS(pfn), 1UL << order, "__free_pages", code);
}

/* alloc_pages() as a direct-map address, or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

/* One zeroed frame as a direct-map address, or 0. */
unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* Free a __get_free_pages() block; 0 is ignored. */
void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* ---------------------------------------------------------------------
 * Per-CPU cache draining
 */

/* CPU @cpu's pageset, or NULL for a CPU without one (not possible). */
static struct per_cpu_pageset *cpu_pageset(unsigned int cpu)
{
#ifdef __HOSTED__
	return cpu < NR_CPUS ? &pagesets[cpu] : NULL;
#else
	return cpu_possible(cpu) ? per_cpu_ptr(&pagesets, cpu) : NULL;
#endif
}

/* Empty this CPU's caches into the zones; any context. */
void drain_local_pages(void)
{
	unsigned long flags = arch_local_irq_save();

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
 * at them.  Weak so that the SMP code may provide a batched variant.
 */
void __weak drain_remote_pages(void)
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

/* ---------------------------------------------------------------------
 * Statistics
 */

/* Pages cached in @ps: all of them (@z < 0) or those of zone @z. */
static unsigned long pageset_pages(struct page_allocator *pa, const struct per_cpu_pageset *ps,
				   int z)
{
	unsigned long n = 0;

	for (unsigned int r = 0; r < PCP_RINGS; r++) {
		unsigned int top = READ_ONCE(ps->pcp.top[r]), i = READ_ONCE(ps->pcp.bottom[r]);
		unsigned int o = ring_order(r);

		if (top - i > PCP_RING_CAP(r))		/* torn snapshot */
			continue;
		if (z < 0) {
			n += (unsigned long)(top - i) << o;
			continue;
		}
		for (; i != top; i++)
			if (pa_zone_idx(pa, ps->pcp.slots[PCP_RING_BASE(r) + i]) == (unsigned int)z)
				n += 1UL << o;
	}
	return n;
}

/* Blocks cached in @ps, all rings. */
static unsigned long pageset_blocks(const struct per_cpu_pageset *ps)
{
	unsigned long n = 0;

	for (unsigned int r = 0; r < PCP_RINGS; r++)
		n += READ_ONCE(ps->pcp.top[r]) - READ_ONCE(ps->pcp.bottom[r]);
	return n;
}

/* Free frames, lists plus caches (racy snapshot). */
unsigned long nr_free_pages(void)
{
	unsigned long n = 0;

	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		n += READ_ONCE(global_pa.zones[z].nr_free);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pageset *ps = cpu_pageset(cpu);

		if (ps)
			n += pageset_pages(&global_pa, ps, -1);
	}
	return n;
}

/*
 * Add the counters of @ps to @a.  Every block popped from a ring was
 * pushed by a free or a refill and not drained, hence the hits; the pops
 * right after a refill are misses.
 */
static void stats_add(struct page_alloc_cpu_stats *a, const struct per_cpu_pageset *ps)
{
	const struct pcp_counters *b = &ps->stats;
	unsigned long pops = b->pcp_frees + b->refill_blocks - b->drain_blocks - pageset_blocks(ps);
	unsigned long hits = pops - b->miss_pops;

	a->allocs += b->allocs + hits;
	a->frees += b->frees + b->pcp_frees;
	a->alloc_failed += b->alloc_failed;
	a->splits += b->splits;
	a->merges += b->merges;
	a->pcp_hits += hits;
	a->pcp_misses += b->pcp_misses;
	a->pcp_refills += b->pcp_refills;
	a->pcp_drains += b->pcp_drains;
}

/* One CPU's counters; returns its cached pages. */
unsigned long page_alloc_cpu_stats(unsigned int cpu, struct page_alloc_cpu_stats *st)
{
	const struct per_cpu_pageset *ps = cpu_pageset(cpu);
	unsigned long n = 0;

	memset(st, 0, sizeof(*st));
	if (!ps)
		return 0;
	stats_add(st, ps);
	n = pageset_pages(&global_pa, ps, -1);
	return n;
}

/* Every counter, per zone and summed over CPUs (racy snapshot). */
void page_alloc_get_stats(struct page_alloc_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &global_pa.zones[z];
		struct page_alloc_zone_stats *zs = &st->zone[z];

		zs->name = zone_names[z];
		zs->start_pfn = zone->start_pfn;
		zs->end_pfn = zone->end_pfn;
		zs->managed = zone->managed;
		zs->free = READ_ONCE(zone->nr_free);
		for (unsigned int o = 0; o < NR_ORDERS; o++)
			zs->nr_free[o] = READ_ONCE(zone->free_area[o].nr_free);
		st->managed += zs->managed;
		st->free += zs->free;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pageset *ps = cpu_pageset(cpu);

		if (!ps)
			continue;
		stats_add(&st->events, ps);
		for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long n = pageset_pages(&global_pa, ps, z);

			st->zone[z].pcp += n;
			st->pcp += n;
		}
	}
	st->free += st->pcp;
	st->poison_errors = atomic_long_read(&poison_errors);
	st->metadata_bytes = metadata_bytes;
}

/* Free blocks per order and zone, /proc/buddyinfo style. */
void page_alloc_show_buddyinfo(void)
{
	char line[32 + 8 * NR_ORDERS];

	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &global_pa.zones[z];
		size_t n;

		if (!zone->managed)
			continue;
		n = snprintf(line, sizeof(line), "Node 0, zone %8s", zone->name);
		for (unsigned int o = 0; o < NR_ORDERS && n < sizeof(line); o++)
			n += snprintf(line + n, sizeof(line) - n, " %6lu",
				      READ_ONCE(zone->free_area[o].nr_free));
		printk(KERN_INFO "%s\n", line);
	}
}

/* Totals, zones and events, /proc/meminfo style. */
void page_alloc_show_meminfo(void)
{
	struct page_alloc_stats st;
	const struct page_alloc_cpu_stats *ev = &st.events;

	page_alloc_get_stats(&st);
	printk(KERN_INFO "MemTotal:       %10lu kB\n", st.managed << (PAGE_SHIFT - 10));
	printk(KERN_INFO "MemFree:        %10lu kB\n", st.free << (PAGE_SHIFT - 10));
	printk(KERN_INFO "PerCPUCached:   %10lu kB\n", st.pcp << (PAGE_SHIFT - 10));
	printk(KERN_INFO "PageMetadata:   %10lu kB\n", st.metadata_bytes >> 10);
	printk(KERN_INFO "PerCPUPagesets: %10zu kB (%u CPUs of %zu bytes)\n",
	       cpumask_weight(&cpu_possible_mask) * sizeof(struct per_cpu_pageset) >> 10,
	       cpumask_weight(&cpu_possible_mask), sizeof(struct per_cpu_pageset));
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		const struct page_alloc_zone_stats *zs = &st.zone[z];

		if (!zs->managed)
			continue;
		printk(KERN_INFO "Zone %-6s managed %lu kB, free %lu kB (cached %lu kB), span [%#llx-%#llx)\n",
		       zs->name, zs->managed << (PAGE_SHIFT - 10),
		       (zs->free + zs->pcp) << (PAGE_SHIFT - 10), zs->pcp << (PAGE_SHIFT - 10),
		       PFN_PHYS(zs->start_pfn), PFN_PHYS(zs->end_pfn));
	}
	printk(KERN_INFO "Allocations %lu, frees %lu, failures %lu, splits %lu, merges %lu\n",
	       ev->allocs, ev->frees, ev->alloc_failed, ev->splits, ev->merges);
	printk(KERN_INFO "Per-CPU cache: hits %lu, misses %lu, refills %lu, drains %lu\n",
	       ev->pcp_hits, ev->pcp_misses, ev->pcp_refills, ev->pcp_drains);
	printk(KERN_INFO "Poisoning %s, use-after-free writes found %lu\n",
	       !IS_ENABLED(CONFIG_PAGE_POISONING) ? "not built" : READ_ONCE(poison_on) ? "on" : "off",
	       st.poison_errors);
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
		} else if (map_test(page_alloc_map, p) || pfn_listed(p)) {
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

#define check_fail(nbad, fmt, ...) do {					\
	if ((nbad)++ < 8)						\
		pr_err("check: " fmt "\n", ##__VA_ARGS__);		\
} while (0)

/* Invariants I1-I3 for one zone (lock held). */
static unsigned long check_zone(const struct zone *zone)
{
	unsigned long nbad = 0, pages = 0, blocks = 0, heads = 0;
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
			if (!pfn_listed(pfn) || map_test(page_alloc_map, pfn) || page->order != o)
				check_fail(nbad, "%s: free block %#lx: bits %d%d order %u on list %u",
					   zone->name, pfn, map_test(page_alloc_map, pfn),
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
		if (!map_test(page_alloc_map, p)) {
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
	return nbad;
}

/* Check every zone of @pa. */
static unsigned long check_pa(struct page_allocator *pa)
{
	unsigned long nbad = 0;

	for (unsigned int z = 0; z < pa->nr_zones; z++) {
		struct zone *zone = &pa->zones[z];
		unsigned long flags;

		if (zone->start_pfn >= zone->end_pfn)
			continue;
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
	unsigned int z, o;
	unsigned long buddy, h = NO_PFN, span;
	const struct zone *zone;

	if (!pfn_valid(pfn))
		return 0;
	if (map_test(page_alloc_map, pfn) && pfn_listed(pfn)) {
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
	z = pa_zone_idx(&global_pa, h);
	zone = &global_pa.zones[z];
	span = zone->end_pfn - zone->start_pfn;
	o = mem_map[h].order;
	buddy = h ^ (1UL << o);
	if (o > MAX_ORDER || (h & ((1UL << o) - 1)) || h + (1UL << o) > zone->end_pfn) {
		pr_err("check: free block %#lx order %u misplaced\n", h, o);
		return -EBADMSG;
	}
	if (map_test(page_alloc_map, h) || !heads_clear(h + 1, (1UL << o) - 1)) {
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
static void fingerprint_pa(struct page_allocator *pa, struct free_area_fingerprint *fp)
{
	memset(fp, 0, sizeof(*fp));
	for (unsigned int z = 0; z < pa->nr_zones; z++) {
		struct zone *zone = &pa->zones[z];
		unsigned long flags;

		if (zone->start_pfn >= zone->end_pfn)
			continue;
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

/* ---------------------------------------------------------------------
 * Test instances
 */

/* An empty zone spanning [start, end). */
static void zone_init(struct zone *zone, const char *name, unsigned long start, unsigned long end)
{
	memset(zone, 0, sizeof(*zone));
	spin_lock_init(&zone->lock);
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
	zone->name = name;
	zone->start_pfn = start;
	zone->end_pfn = max(start, end);
}

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
	if (WARN_ON(!map_test_and_clear(page_alloc_map, pfn)))
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
	return __alloc_frame(&bi->pa, frame);
}

/* The instance's free_frame(). */
int buddy_test_free_frame(struct buddy_test_instance *bi, phys_addr_t frame)
{
	return __free_frame(&bi->pa, frame);
}

/* The instance's alloc_contiguous(). */
int buddy_test_alloc_contiguous(struct buddy_test_instance *bi, size_t count, phys_addr_t *base)
{
	return __alloc_contiguous(&bi->pa, count, base);
}

/* The instance's free_contiguous(). */
int buddy_test_free_contiguous(struct buddy_test_instance *bi, phys_addr_t base, size_t count)
{
	return __free_contiguous(&bi->pa, base, count, "free_contiguous");
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

/* ---------------------------------------------------------------------
 * Initialisation
 */

/* Boot memory for metadata, through the direct map. */
static void *__init meta_alloc(u64 bytes, const char *why)
{
	phys_addr_t pa = memblock_alloc_range(bytes, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE, why);

	if (!pa)
		panic("page_alloc: cannot allocate %llu bytes for %s", bytes, why);
	metadata_bytes += ALIGN(bytes, PAGE_SIZE);
	return phys_to_virt(pa);
}

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

	end = min(end, max_pfn);
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &global_pa.zones[z];
		unsigned long s = max(start, zone->start_pfn), e = min(end, zone->end_pfn);
		unsigned long flags;

		if (s >= e)
			continue;
		/* One insertion per aligned block: O(blocks), never per frame. */
		spin_lock_irqsave(&zone->lock, flags);
		bitmap_set_range(page_managed_map, s, e - s);
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
	map_words = DIV_ROUND_UP(max_pfn, 64);
	metadata_bytes = 0;
	/* mem_map is never initialised: entries are written when used. */
	mem_map = meta_alloc((u64)max_pfn * sizeof(struct page), "mem_map");
	page_alloc_map = bitmap_alloc(map_words, "page alloc bitmap");
	page_free_map = bitmap_alloc(map_words, "page free bitmap");
	page_managed_map = bitmap_alloc(map_words, "page managed bitmap");
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
	/* Empty caches (hosted tests re-initialise: forget the previous run's). */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_pageset(cpu))
			pageset_reset(cpu_pageset(cpu));

	frames = memblock_release_to_buddy();
	global_pa.preferred = ZONE_DMA;
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		if (global_pa.zones[z].managed)
			global_pa.preferred = z;
	pr_info("%lu frames (%lu MiB) free, max_pfn %#lx, metadata %lu KiB (%zu-byte struct page)\n",
		frames, frames >> (20 - PAGE_SHIFT), max_pfn, metadata_bytes >> 10,
		sizeof(struct page));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The physical frame allocator: per-CPU rings, the allocation and free
 * paths, the contract and Linux-like APIs.  Merging and splitting blocks
 * on the zones' free lists is page_alloc_buddy.c's; refilling and
 * draining the rings (and a ring's overflow on a free) is
 * page_alloc_drain.c's.  Design and invariants: internal.h.
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
#include <asm/pcp.h>
#include <trace/events/mm.h>

#include "internal.h"

BUILD_BUG_ON(sizeof(struct page) != 48);
BUILD_BUG_ON(MAX_ORDER < 10 || MAX_ORDER > 18);
/* A batch of at least a buddy pair; room for a batch after a drain. */
BUILD_BUG_ON(PCP_BATCH < 2 || PCP_HIGH < 16 || PCP_HIGH < 2 * PCP_BATCH || PCP_HIGH > 4096);
BUILD_BUG_ON(PCP_HUGE_HIGH > 8 || PCP_RING_HIGH(1) > PCP_HIGH || PCP_RING_HIGH(3) < 2);
/* A refill (on a miss: into an empty ring) leaves the ring below its drain mark. */
BUILD_BUG_ON(PCP_BATCH > 512 || PCP_REFILL_BLOCKS(0) >= PCP_RING_HIGH(0) ||
	     PCP_REFILL_BLOCKS(1) >= PCP_RING_HIGH(1) || PCP_REFILL_BLOCKS(2) >= PCP_RING_HIGH(2) ||
	     PCP_REFILL_BLOCKS(3) >= PCP_RING_HIGH(3));
BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);	/* page->info */

struct page *mem_map;
unsigned long max_pfn;
unsigned long *page_alloc_map;
unsigned long *page_managed_map;
unsigned long *page_free_map;
unsigned long *page_poison_map;
bool poison_on = IS_ENABLED(CONFIG_PAGE_POISONING);
atomic_long_t poison_errors;
unsigned long metadata_bytes;

struct page_allocator global_pa;
/* Node 0, the only one without NUMA: its zones are global_pa's. */
struct pglist_data pa_node0_data = { .zones = global_pa.zones };
struct pglist_data *node_data[MAX_NUMNODES] = { &pa_node0_data };
unsigned int pa_nr_nodes = 1;
u8 pa_node_order[MAX_NUMNODES];
unsigned long pcp_pfn_limit;
u8 pa_cpu_node[NR_CPUS];
u8 pa_cpu_home[NR_CPUS];
struct pa_fallback pa_fallback[MAX_NUMNODES] = { { .nr = 1 } };
/*
 * In each CPU's per-CPU area: memory for the CPUs present, not NR_CPUS
 * slots of 22 KiB.  Every area is a copy of the pristine template
 * (arch/x86/kernel/smpboot.c; the hosted build's too), so each CPU starts
 * from this: empty rings with their push limits (pcp_set_limit() with
 * bottom 0).
 */
DEFINE_PER_CPU_ALIGNED(struct per_cpu_pageset, pagesets) = {
	.pcp.limit = { PCP_RING_HIGH(0) - 1, PCP_RING_HIGH(1) - 1, PCP_RING_HIGH(2) - 1,
		       PCP_RING_HIGH(3) - 1, PCP_RING_HIGH(4) - 1 },
};
BUILD_BUG_ON(PCP_RINGS != 5);

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal" };

/* The node of @page's memory; kernel-doc in <exo/page_alloc.h>. */
int page_to_nid(const struct page *page)
{
	return pfn_to_nid(page_to_pfn(page));
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

/*
 * Count an allocation outside the cache hits for numastat (interrupts
 * disabled): @preferred is the memory node asked for.
 */
static __always_inline void numa_count_alloc(struct per_cpu_pageset *ps, int preferred,
					     unsigned long pfn)
{
	int nid = pfn_to_nid(pfn);

	if (nid == preferred) {
		ps->numa.hit[nid]++;
	} else {
		ps->numa.miss[nid]++;
		ps->numa.foreign[preferred]++;
	}
}

/* ---------------------------------------------------------------------
 * Allocator instances: the system one and test instances
 */

/*
 * An empty pageset with its push limits.  The slots are left alone:
 * clearing NR_CPUS x 22 KiB at boot would cost more than the rest of
 * the buddy initialisation.
 */
void pageset_reset(struct per_cpu_pageset *ps)
{
	memset(&ps->stats, 0, sizeof(ps->stats));
	for (unsigned int r = 0; r < PCP_RINGS; r++) {
		ps->pcp.top[r] = ps->pcp.bottom[r] = 0;
		pcp_set_limit(&ps->pcp, r);
	}
}

/*
 * This CPU's stack @r (a constant) of the system allocator, without
 * disabling interrupts: restartable sequences (<asm/pcp.h>).  Test
 * instances keep their pagesets elsewhere and disable interrupts.
 */
#define gpcp_pop(r, pfnp)							\
	arch_pcp_pop(pagesets.pcp.top[r], pagesets.pcp.bottom[r],		\
		     pagesets.pcp.slots[PCP_RING_BASE(r)], pfnp)
#define gpcp_push(r, pfn)							\
	arch_pcp_push(pagesets.pcp.top[r], pagesets.pcp.limit[r],		\
		      pagesets.pcp.slots[PCP_RING_BASE(r)], pfn)

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

/* Take a block of @order straight from zones @high .. 0 of @zones. */
static bool take_from_zones(struct zone *zones, int high, unsigned int order, unsigned long *pfnp,
			    struct pcp_counters *st)
{
	for (int z = high; z >= 0; z--) {
		struct zone *zone = &zones[z];
		bool ok;

		if (!zone->managed)
			continue;
		spin_lock(&zone->lock);
		ok = __rmqueue(zone, order, pfnp, st);
		spin_unlock(&zone->lock);
		if (ok) {
			prep_block(*pfnp, order);
			return true;
		}
	}
	return false;
}

/*
 * Take a block of @order from zones @high .. 0 and prepare it.  @cached:
 * any zone will do, so this CPU's ring serves it and is refilled from the
 * highest zone that has memory.  The system allocator takes it from
 * memory node @nid (a node with memory: the caller's choice or this CPU's
 * memory node; the rings are refilled only from the CPU's own), then from
 * the other memory nodes by distance from @nid unless @thisnode.
 */
static __always_inline bool __take_block(struct page_allocator *pa, int nid, bool thisnode,
					 int high, bool cached, unsigned int order,
					 unsigned long *pfnp)
{
	unsigned long flags = arch_local_irq_save();
	struct per_cpu_pageset *ps = pa_pageset(pa);
	bool ok = false;

	if (cached) {
		if (pcp_pop(&ps->pcp, order, pfnp)) {	/* a hit after all */
			test_and_set_bit(*pfnp, page_alloc_map);
			arch_local_irq_restore(flags);
			return true;
		}
		ps->stats.pcp_misses++;
		for (int z = high; z >= 0; z--) {
			struct zone *zone = pa == &global_pa ? node_zone(nid, z) : &pa->zones[z];

			if (zone->managed && pcp_refill(zone, &ps->pcp, order, &ps->stats))
				break;
		}
		ok = pcp_pop(&ps->pcp, order, pfnp);
		if (ok) {
			ps->stats.miss_pops++;
			test_and_set_bit(*pfnp, page_alloc_map);
		}
	}
	if (pa != &global_pa) {
		if (!ok)
			ok = take_from_zones(pa->zones, high, order, pfnp, &ps->stats);
	} else if (!ok) {
		const struct pa_fallback *fb = &pa_fallback[nid];

		/* The local node ran dry: straight from the next ones, never cached. */
		for (unsigned int i = 0; i < (thisnode ? 1U : fb->nr) && !ok; i++)
			ok = take_from_zones(NODE_DATA(fb->node[i])->zones, high, order, pfnp,
					     &ps->stats);
	}
	if (ok && pa == &global_pa)
		numa_count_alloc(ps, nid, *pfnp);
	ps->stats.allocs += ok;
	arch_local_irq_restore(flags);
	return ok;
}

static noinline bool take_block(struct page_allocator *pa, int nid, bool thisnode, int high,
				bool cached, unsigned int order, unsigned long *pfnp)
{
	return __take_block(pa, nid, thisnode, high, cached, order, pfnp);
}

/*
 * An order-0 ring miss on the system allocator (alloc_frame(), or
 * alloc_pages() for any zone and any node): take_block() with what
 * alloc_block() would compute for it (this CPU's node, every zone, its
 * ring), compiled for those constants.  False when nothing was found:
 * the caller then calls retry_frame().
 */
static noinline bool take_frame(unsigned long *pfnp)
{
	return __take_block(&global_pa, pa_cpu_node[smp_processor_id()], false,
			    global_pa.preferred, true, 0, pfnp);
}

/* Highest zone index @gfp allows in @pa. */
static unsigned int gfp_zone(struct page_allocator *pa, gfp_t gfp)
{
	unsigned int g = (__force unsigned int)gfp;
	unsigned int z = (g & ___GFP_DMA) ? ZONE_DMA : (g & ___GFP_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;

	return min(z, pa->nr_zones - 1);
}

/* Before failing: pull cached blocks back into the zones (the slabs' too). */
static void drain_for_retry(struct page_allocator *pa, gfp_t gfp)
{
	unsigned long flags;

	if (pa != &global_pa) {
		flags = arch_local_irq_save();
		drain_pageset(pa, pa_pageset(pa));
		arch_local_irq_restore(flags);
		return;
	}
	/* With kmalloc's cached large blocks (page_alloc_set_drain_hook()). */
	drain_local_pages();
	if (!(gfp & __GFP_ATOMIC) && !irqs_disabled() && !in_interrupt())
		drain_remote_pages();
}

/*
 * Allocate and prepare a block of @order: zones from the highest @gfp
 * allows down to DMA, then once more after draining the caches.  @nid:
 * the memory node to take it from first (the system allocator),
 * NUMA_NO_NODE for this CPU's.  Returns 0 or -ENOMEM; does not log.
 */
static int alloc_block(struct page_allocator *pa, int nid, gfp_t gfp, unsigned int order,
		       unsigned long *pfnp)
{
	unsigned int high = min(gfp_zone(pa, gfp), pa->preferred);
	int local = pa_cpu_node[smp_processor_id()];
	bool thisnode = gfp & __GFP_THISNODE;
	bool cached;
	unsigned long flags;

	if (nid == NUMA_NO_NODE)
		nid = local;
	/* The rings hold only the CPU's own node's frames. */
	cached = pcp_cached(order) && high == pa->preferred && (pa != &global_pa || nid == local);
	/* Exception and NMI handlers must not allocate (<asm/pcp.h>). */
	WARN_ON_ONCE(in_trap());
	if (take_block(pa, nid, thisnode, high, cached, order, pfnp))
		return 0;
	if (!(gfp & __GFP_NORETRY)) {
		drain_for_retry(pa, gfp);
		if (take_block(pa, nid, thisnode, high, cached, order, pfnp))
			return 0;
	}
	flags = arch_local_irq_save();
	pa_pageset(pa)->stats.alloc_failed++;
	arch_local_irq_restore(flags);
	return -ENOMEM;
}

/*
 * take_frame() found nothing: alloc_block()'s second half for the same
 * arguments (its first attempt is the one just made), so that a failing
 * order-0 allocation scans the zones once before the drain, not twice.
 */
static noinline int retry_frame(gfp_t gfp, unsigned long *pfnp)
{
	unsigned long flags;

	drain_for_retry(&global_pa, gfp);
	if (take_frame(pfnp))
		return 0;
	flags = arch_local_irq_save();
	pa_pageset(&global_pa)->stats.alloc_failed++;
	arch_local_irq_restore(flags);
	return -ENOMEM;
}

/* Free the unlisted block (pfn, order) straight into its zone. */
static noinline void free_to_zone(struct page_allocator *pa, unsigned long pfn, unsigned int order)
{
	struct zone *zone = pa_zone(pa, pfn);
	unsigned long flags = arch_local_irq_save();
	struct per_cpu_pageset *ps = pa_pageset(pa);

	ps->stats.frees++;
	spin_lock(&zone->lock);
	__free_one(zone, pfn, order, &ps->stats);
	spin_unlock(&zone->lock);
	arch_local_irq_restore(flags);
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

	/* Exception and NMI handlers must not free pages (<asm/pcp.h>). */
	WARN_ON_ONCE(in_trap());
	if (code == FREE_ZONE) {
		free_to_zone(pa, pfn, order);
		return;
	}
	flags = arch_local_irq_save();
	ps = pa_pageset(pa);
	if (ps->pcp.top[r] > ps->pcp.limit[r])
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
					 unsigned int order, bool cached)
{
	unsigned int r = pcp_ring(order), top;
	struct per_cpu_pageset *ps;
	unsigned long flags;

	if (IS_ENABLED(CONFIG_PAGE_POISONING))
		poison_frames(pfn, 1UL << order);
	/* Before the per-CPU cache: cached blocks are free memory too. */
	kasan_poison_pages(pfn, 1UL << order);
	if (!cached || !pcp_cached(order))
		return FREE_ZONE;
	if (pa == &global_pa) {
		/* An exception does not rewind the sequence it interrupted: free_finish() warns. */
		if (unlikely(in_trap()))
			return FREE_ZONE;
		/* One instruction: exact on this CPU, threads never migrate. */
		this_cpu_inc(pagesets.stats.pcp_frees);
		if (unlikely(gpcp_push(r, pfn)))
			return FREE_LIMIT;
		return FREE_DONE;
	}
	flags = arch_local_irq_save();
	ps = pa_pageset(pa);
	top = ps->pcp.top[r];
	*pcp_slot(&ps->pcp, r, top) = pfn;
	ps->pcp.top[r] = ++top;
	ps->stats.pcp_frees++;
	if (unlikely(top > ps->pcp.limit[r])) {
		arch_local_irq_restore_late(flags);
		return FREE_LIMIT;
	}
	arch_local_irq_restore_late(flags);
	return FREE_DONE;
}

/* ---------------------------------------------------------------------
 * Contract API, generic over instances
 */

/*
 * Cache hit for a block of @order (a constant after inlining): pop it from
 * this CPU's ring and set its alloc bit.  False on a miss: nothing taken,
 * *@pfnp garbage.
 * No counter: hits are derived (struct pcp_counters).
 */
static __always_inline bool pcp_alloc_fast(struct page_allocator *pa, unsigned int order,
					   unsigned long *pfnp)
{
	unsigned long flags;
	struct per_cpu_pageset *ps;

	if (pa == &global_pa) {
		/* An exception does not rewind the sequence it interrupted: slow path, which warns. */
		if (unlikely(in_trap()))
			return false;
		if (!gpcp_pop(pcp_ring(order), pfnp))
			return false;
		test_and_set_bit(*pfnp, page_alloc_map);
		return true;
	}
	flags = arch_local_irq_save();
	ps = pa_pageset(pa);
	if (likely(pcp_pop(&ps->pcp, order, pfnp))) {
		arch_local_irq_restore_late(flags);
		/* Ours since the pop: nobody else may touch this bit now. */
		test_and_set_bit(*pfnp, page_alloc_map);
		return true;
	}
	arch_local_irq_restore_late(flags);
	return false;
}

/* pcp_alloc_fast() with a constant order for each cached order. */
static __always_inline bool alloc_order_fast(struct page_allocator *pa, unsigned int order,
					     unsigned long *pfnp)
{
	/* The common order first: two instructions instead of a jump table's four. */
	if (likely(order == 0))
		return pcp_alloc_fast(pa, 0, pfnp);
	switch (order) {
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
static __always_inline int free_block_claim(struct page_allocator *pa, unsigned long pfn,
					    unsigned int order, bool cached)
{
	struct page *page;

	/* The address before the bit: the bit op's memory clobber would reload mem_map. */
	page = &mem_map[pfn];
	/* A hint, read unlocked: the owner's order is stable, a racer's is checked below. */
	if (unlikely(data_race(page->order) != order))
		return FREE_SLOW;
	if (unlikely(!test_and_clear_bit(pfn, page_alloc_map)))
		return FREE_SLOW;
	if (unlikely(page->info != BUDDY_INFO(order))) {
		if (page->order != order)
			return FREE_CLAIMED;
		page->info = BUDDY_INFO(order);
	}
	return release_block(pa, pfn, order, cached);
}

/*
 * The checks of free_block_fast(), then free_block_claim().  With several
 * memory nodes pcp_pfn_limit is 0, so that every free of the system
 * allocator leaves the fast path here for free_block_numa(), which checks
 * that the frame is on this CPU's node before it may go to the CPU's
 * cache; the one-node path pays nothing for it.  No alignment test: the
 * block is taken only if @pfn heads an allocated block whose order, read
 * once the bit is ours, is @order, and such a head is aligned (I1).
 */
static __always_inline int free_block_fast(struct page_allocator *pa, unsigned long pfn,
					   unsigned int order, bool cached)
{
	if (unlikely(pfn >= (pa == &global_pa ? pcp_pfn_limit : max_pfn) || !pa_owns(pa, pfn)))
		return FREE_SLOW;
	return free_block_claim(pa, pfn, order, cached);
}

/*
 * What free_block_fast() would have done for the aligned block (pfn,
 * order) of the system allocator below max_pfn on a NUMA machine: this
 * CPU's cache for a frame of its node, else straight to the frame's own
 * node's zone.  Called by the slow paths when they get FREE_SLOW.
 */
static noinline int free_block_numa(unsigned long pfn, unsigned int order)
{
	if (pfn_to_nid(pfn) != pa_cpu_node[smp_processor_id()])
		return free_block_claim(&global_pa, pfn, order, false);
	switch (order) {
	case 0: return free_block_claim(&global_pa, pfn, 0, true);
	case 1: return free_block_claim(&global_pa, pfn, 1, true);
	case 2: return free_block_claim(&global_pa, pfn, 2, true);
	case 3: return free_block_claim(&global_pa, pfn, 3, true);
	case PCP_HUGE_ORDER: return free_block_claim(&global_pa, pfn, PCP_HUGE_ORDER, true);
	default: return free_block_claim(&global_pa, pfn, order, false);
	}
}

/* Several memory nodes, and (pfn, order) a block free_block_numa() can take? */
static __always_inline bool numa_free_candidate(struct page_allocator *pa, unsigned long pfn,
						unsigned int order)
{
	return pa == &global_pa && pcp_pfn_limit != max_pfn && pfn < max_pfn &&
	       order <= MAX_ORDER && !(pfn & ((1UL << order) - 1));
}

/* free_block_fast() with a constant order for each cached order. */
static __always_inline int free_order_fast(struct page_allocator *pa, unsigned long pfn,
					   unsigned int order)
{
	if (likely(order == 0))
		return free_block_fast(pa, pfn, 0, true);
	switch (order) {
	case 1: return free_block_fast(pa, pfn, 1, true);
	case 2: return free_block_fast(pa, pfn, 2, true);
	case 3: return free_block_fast(pa, pfn, 3, true);
	case PCP_HUGE_ORDER: return free_block_fast(pa, pfn, PCP_HUGE_ORDER, true);
	/* Uncached: no stack code for a run-time order (its per-CPU address is a constant). */
	default: return order <= MAX_ORDER ? free_block_fast(pa, pfn, order, false) : FREE_SLOW;
	}
}

/* alloc_frame() after a cache miss. */
static noinline int alloc_frame_slow(struct page_allocator *pa, phys_addr_t *frame)
{
	unsigned long pfn;
	int err;

	/* Exception handlers go to alloc_block(), which warns. */
	if (pa == &global_pa && !in_trap())
		err = take_frame(&pfn) ? 0 : retry_frame(GFP_KERNEL, &pfn);
	else
		err = alloc_block(pa, NUMA_NO_NODE, GFP_KERNEL, 0, &pfn);
	if (err) {
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

/*
 * A free_frame() push filled this CPU's order-0 ring of the system
 * allocator to its mark: free_finish() for that case alone, with the
 * ring's per-CPU fields as constants.  Interrupts may have run since
 * the push (a drain among them), so the ring is read again with them
 * disabled.  Not in_trap(): release_block() sent a trap's free to the
 * zone.
 */
static noinline void frame_ring_full(void)
{
	unsigned long flags = arch_local_irq_save();

	if (this_cpu_read(pagesets.pcp.top[0]) > this_cpu_read(pagesets.pcp.limit[0]))
		pcp_push_slow(&global_pa, this_cpu_ptr(&pagesets), 0);
	arch_local_irq_restore(flags);
}

/* free_frame() once its fast path returned @code (arguments in fast-path registers). */
static noinline int free_frame_slow(unsigned long rpfn, int code, struct page_allocator *pa)
{
	/* The ring reached its mark: the common case, straight to its drain. */
	if (pa == &global_pa && code == FREE_LIMIT) {
		frame_ring_full();
		return 0;
	}
	if (code == FREE_SLOW && numa_free_candidate(pa, rpfn, 0)) {
		code = free_block_numa(rpfn, 0);
		if (code == FREE_DONE)
			return 0;
		/* A frame of this CPU's node filled its ring: the same drain. */
		if (code == FREE_LIMIT) {
			frame_ring_full();
			return 0;
		}
	}
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
	int code = free_block_fast(pa, rpfn, 0, true);

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
	if (alloc_block(pa, NUMA_NO_NODE, GFP_KERNEL, order, &pfn)) {
		report("alloc_contiguous(%zu): out of memory (-ENOMEM)", count);
		return -ENOMEM;
	}
	if (count < 1UL << order) {
		/* Give the tail back now (never poisoned: never handed out). */
		struct zone *zone = pa_zone(pa, pfn);
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
	if (code == FREE_SLOW && is_power_of_2(count) && !(base & ~PAGE_MASK) &&
	    numa_free_candidate(pa, PHYS_PFN(base), ilog2(count))) {
		code = free_block_numa(PHYS_PFN(base), ilog2(count));
		if (code == FREE_DONE)
			return 0;
	}
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
/* The contract API on any instance, out of line (test instances). */
int pa_alloc_frame(struct page_allocator *pa, phys_addr_t *frame)
{
	return __alloc_frame(pa, frame);
}

int pa_free_frame(struct page_allocator *pa, phys_addr_t frame)
{
	return __free_frame(pa, frame);
}

int pa_alloc_contiguous(struct page_allocator *pa, size_t count, phys_addr_t *base)
{
	return __alloc_contiguous(pa, count, base);
}

int pa_free_contiguous(struct page_allocator *pa, phys_addr_t base, size_t count)
{
	return __free_contiguous(pa, base, count, "free_contiguous");
}

int alloc_frame(phys_addr_t *frame)
{
	int ret;

	if (should_fail_page_alloc(GFP_KERNEL, 0))
		return -ENOMEM;
	ret = __alloc_frame(&global_pa, frame);
	if (!ret)
		trace_page_alloc(PHYS_PFN(*frame), 0, GFP_KERNEL);
	return ret;
}

/*
 * Free one allocated frame; -EINVAL/-EFAULT/-ENOENT change nothing.  The
 * event is recorded once the frame is free (a refused free records none),
 * so another CPU's page_alloc of the frame may be recorded first.
 */
int free_frame(phys_addr_t frame)
{
	int ret = __free_frame(&global_pa, frame);

	if (!ret)
		trace_page_free(PHYS_PFN(frame), 0);
	return ret;
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

/*
 * __GFP_NOFAIL, out of the way of the common path: refused up front when
 * it cannot be honoured, and a failure after the drain-and-retry WARNs
 * (there is no reclaim to wait for).
 */
static noinline struct page *alloc_pages_nofail(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (WARN_ON_ONCE(gfp_nofail_refused(gfp, order)))
		return NULL;
	page = alloc_pages_node(nid, gfp & ~__GFP_NOFAIL, order);
	WARN_ON_ONCE(!page);
	return page;
}

/*
 * alloc_pages() past its fast path: checks, zones, nodes, __GFP_ZERO,
 * __GFP_NOFAIL.  @nid: a memory node, or NUMA_NO_NODE for this CPU's.
 */
static noinline struct page *alloc_pages_slow(gfp_t gfp, unsigned int order, int nid)
{
	unsigned long pfn;
	bool tried = false;

	if (order > MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			report("alloc_pages(%#x, %u): order above %u", (__force unsigned int)gfp,
			       order, MAX_ORDER);
		return NULL;
	}
	if (should_fail_page_alloc(gfp, order))
		return NULL;
	/* Any zone will do: this CPU's cache first (it holds only local frames). */
	if (!(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_NOFAIL)) &&
	    (nid == NUMA_NO_NODE || nid == pa_cpu_node[smp_processor_id()])) {
		if (alloc_order_fast(&global_pa, order, &pfn))
			goto out;
		/* An order-0 miss as alloc_frame()'s, when other nodes may serve it. */
		tried = !order && !(gfp & __GFP_THISNODE) && !in_trap();
		if (tried && take_frame(&pfn))
			goto out;
	}
	if (unlikely(gfp & __GFP_NOFAIL))
		return alloc_pages_nofail(nid, gfp, order);
	if (tried ? retry_frame(gfp, &pfn) : alloc_block(&global_pa, nid, gfp, order, &pfn)) {
		if (!(gfp & __GFP_NOWARN))
			report("alloc_pages(%#x, %u) on node %d: out of memory",
			       (__force unsigned int)gfp, order, nid);
		return NULL;
	}
out:
	post_alloc(pfn, 1UL << order, gfp);
	trace_page_alloc(pfn, order, gfp);
	return &mem_map[pfn];
}

/*
 * A 2^@order block from the zones @gfp allows, or NULL.  The common case,
 * a cached order from any zone with nothing to do after, takes this CPU's
 * cache here; everything else is alloc_pages_slow().
 */
static __always_inline struct page *alloc_pages_common(gfp_t gfp, unsigned int order)
{
	unsigned long pfn;

	/* Fault injection: the slow path, which checks @order first. */
	if (likely(!(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_NOFAIL | __GFP_ZERO))) &&
	    !IS_ENABLED(CONFIG_FAULT_INJECTION) && alloc_order_fast(&global_pa, order, &pfn)) {
		post_alloc(pfn, 1UL << order, 0);
		trace_page_alloc(pfn, order, gfp);
		return &mem_map[pfn];
	}
	return alloc_pages_slow(gfp, order, NUMA_NO_NODE);
}

/* Any order; a constant cached order goes to its own copy (<exo/page_alloc.h>). */
struct page *(alloc_pages)(gfp_t gfp, unsigned int order)
{
	return alloc_pages_common(gfp, order);
}

/* This CPU's memory node; kernel-doc in <exo/page_alloc.h>. */
int numa_mem_id(void)
{
	return pa_cpu_node[smp_processor_id()];
}

/* The memory node serving @nid; kernel-doc in <exo/page_alloc.h>. */
int numa_node_mem(int nid)
{
	if (nid < 0 || nid >= MAX_NUMNODES || !pa_fallback[nid].nr)
		return NUMA_NO_NODE;
	return pa_fallback[nid].node[0];
}

/* A block from node @nid first; kernel-doc in <exo/page_alloc.h>. */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		return alloc_pages(gfp, order);
	if (nid < 0 || nid >= MAX_NUMNODES || !pa_fallback[nid].nr) {
		if (!(gfp & __GFP_NOWARN))
			report("alloc_pages_node(%d, %#x, %u): no such node", nid,
			       (__force unsigned int)gfp, order);
		return NULL;
	}
	/* A memoryless node's memory is its nearest memory node's. */
	nid = pa_fallback[nid].node[0];
	if (nid == pa_cpu_node[smp_processor_id()] && !(gfp & __GFP_THISNODE))
		return alloc_pages(gfp, order);
	return alloc_pages_slow(gfp, order, nid);
}

/* __free_pages() once its fast path returned @code. */
static noinline void __free_pages_slow(unsigned long pfn, unsigned int order, int code)
{
	if (order > MAX_ORDER) {
		report("__free_pages(%#llx, %u): order above %u", PFN_PHYS(pfn), order, MAX_ORDER);
		return;
	}
	free_contiguous_slow(&global_pa, PFN_PHYS(pfn), 1UL << order, "__free_pages", code);
}

/* Free a block from alloc_pages(); anything else as free_contiguous(). */
static __always_inline void free_pages_common(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	int code;

	trace_page_free(pfn, order);
	code = free_order_fast(&global_pa, pfn, order);

	if (likely(code == FREE_DONE))
		return;
	__free_pages_slow(pfn, order, code);
}

/* Any order; a constant cached order goes to its own copy (<exo/page_alloc.h>). */
void (__free_pages)(struct page *page, unsigned int order)
{
	free_pages_common(page, order);
}

/*
 * alloc_pages() and __free_pages() compiled for each cached order, which
 * callers with a constant order reach straight from <exo/page_alloc.h>:
 * no dispatch on the order at run time.
 */
#define PAGES_ORDER_FNS(o)							\
struct page *alloc_pages_order##o(gfp_t gfp)					\
{										\
	return alloc_pages_common(gfp, o);					\
}										\
void __free_pages_order##o(struct page *page)					\
{										\
	free_pages_common(page, o);						\
}
PAGES_ORDER_FNS(0)
PAGES_ORDER_FNS(1)
PAGES_ORDER_FNS(2)
PAGES_ORDER_FNS(3)
PAGES_ORDER_FNS(9)
BUILD_BUG_ON(PCP_MAX_ORDER != 3 || PCP_HUGE_ORDER != 9);

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

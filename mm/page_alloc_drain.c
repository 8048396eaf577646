// SPDX-License-Identifier: GPL-2.0
/*
 * Draining the per-CPU caches: giving cached blocks back to the zones
 * (merging buddies on the way), a ring's overflow on a free, and the
 * drain_*_pages() APIs.  The rings' fast paths and refills are in
 * page_alloc.c.  Design and invariants: internal.h.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/kernel.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/preempt.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/irqflags.h>

#include "internal.h"

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
		struct zone *zone = pa_zone(pa, stk[i].pfn);

		spin_lock(&zone->lock);
		do {
			__free_one(zone, stk[i].pfn, stk[i].order, st);
		} while (++i < n && pa_zone(pa, stk[i].pfn) == zone);
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
void pcp_push_slow(struct page_allocator *pa, struct per_cpu_pageset *ps, unsigned int r)
{
	struct per_cpu_pages *pcp = &ps->pcp;
	unsigned int order = ring_order(r);

	while (pcp_count(pcp, r) >= PCP_RING_HIGH(r))
		pcp_drain(pa, pcp, order, PCP_BATCH_BLOCKS(order), &ps->stats);
	if (pcp->top[r] >= PCP_RING_CAP(r) - PCP_MARGIN && pcp->bottom[r]) {
		unsigned int n = pcp_count(pcp, r);

		memcpy64_down((u64 *)pcp_slot(pcp, r, 0), (u64 *)pcp_slot(pcp, r, pcp->bottom[r]), n);
		pcp->bottom[r] = 0;
		pcp->top[r] = n;
	}
	pcp_set_limit(pcp, r);
}

/* ---------------------------------------------------------------------
 * The drain_*_pages() APIs
 */

/* CPU @cpu's pageset, or NULL for a CPU without one (not possible). */
struct per_cpu_pageset *cpu_pageset(unsigned int cpu)
{
	return cpu_possible(cpu) ? per_cpu_ptr(&pagesets, cpu) : NULL;
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

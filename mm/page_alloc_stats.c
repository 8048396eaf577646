// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator's counters: per zone and CPU, totals, and the
 * buddyinfo and meminfo reports.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/atomic.h>
#include <exo/kernel.h>
#include <exo/string.h>

#include "internal.h"

/* ---------------------------------------------------------------------
 * Statistics
 */

/* Pages cached in @ps: all of them (@z < 0) or those of zone @z. */
unsigned long pageset_pages(struct page_allocator *pa, const struct per_cpu_pageset *ps,
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
	struct zone *zone;

	for_each_pa_zone(&global_pa, zone, z)
		n += READ_ONCE(zone->nr_free);
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
void stats_add(struct page_alloc_cpu_stats *a, const struct per_cpu_pageset *ps)
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
	struct zone *zone;

	memset(st, 0, sizeof(*st));
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		st->zone[z].name = zone_names[z];
		st->zone[z].start_pfn = ~0UL;
	}
	/* Zone z of the report is zone z of every node: its span covers theirs. */
	for_each_pa_zone(&global_pa, zone, z) {
		struct page_alloc_zone_stats *zs = &st->zone[z];

		zs->start_pfn = min(zs->start_pfn, zone->start_pfn);
		zs->end_pfn = max(zs->end_pfn, zone->end_pfn);
		zs->managed += zone->managed;
		zs->free += READ_ONCE(zone->nr_free);
		for (unsigned int o = 0; o < NR_ORDERS; o++)
			zs->nr_free[o] += READ_ONCE(zone->free_area[o].nr_free);
		st->managed += zone->managed;
		st->free += READ_ONCE(zone->nr_free);
	}
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		if (st->zone[z].start_pfn == ~0UL)
			st->zone[z].start_pfn = 0;
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
	struct zone *zone;

	for_each_pa_zone(&global_pa, zone, z) {
		size_t n;

		(void)z;
		if (!zone->managed)
			continue;
		n = snprintf(line, sizeof(line), "Node %u, zone %8s", pa_node_order[__i], zone->name);
		for (unsigned int o = 0; o < NR_ORDERS && n < sizeof(line); o++)
			n += snprintf(line + n, sizeof(line) - n, " %6lu",
				      READ_ONCE(zone->free_area[o].nr_free));
		printk(KERN_INFO "%s\n", line);
	}
}

/* Free pages of memory node @nid: its lists plus the caches of its CPUs. */
unsigned long node_free_pages(int nid)
{
	unsigned long n = 0;

	if (nid < 0 || nid >= MAX_NUMNODES || !NODE_DATA(nid) || !NODE_DATA(nid)->zones)
		return 0;
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		n += READ_ONCE(node_zone(nid, z)->nr_free);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pageset *ps = cpu_pageset(cpu);

		if (ps && pa_cpu_node[cpu] == nid)
			n += pageset_pages(&global_pa, ps, -1);
	}
	return n;
}

/* Pages handed to memory node @nid's zones. */
unsigned long node_managed_pages(int nid)
{
	unsigned long n = 0;

	if (nid < 0 || nid >= MAX_NUMNODES || !NODE_DATA(nid) || !NODE_DATA(nid)->zones)
		return 0;
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		n += node_zone(nid, z)->managed;
	return n;
}

/*
 * Linux's numastat counters of node @nid, summed over the CPUs (racy
 * snapshot): the counted allocations plus each CPU's cache hits, which
 * are all hits on its memory node.
 */
void page_alloc_numa_stats(int nid, struct numa_node_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (nid < 0 || nid >= MAX_NUMNODES)
		return;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pageset *ps = cpu_pageset(cpu);
		struct page_alloc_cpu_stats cs = { 0 };
		unsigned long on_nid;

		if (!ps)
			continue;
		on_nid = READ_ONCE(ps->numa.hit[nid]) + READ_ONCE(ps->numa.miss[nid]);
		if (pa_cpu_node[cpu] == nid) {
			stats_add(&cs, ps);
			on_nid += cs.pcp_hits;
			st->numa_hit += cs.pcp_hits;
		}
		st->numa_hit += READ_ONCE(ps->numa.hit[nid]);
		st->numa_miss += READ_ONCE(ps->numa.miss[nid]);
		st->numa_foreign += READ_ONCE(ps->numa.foreign[nid]);
		if (pa_cpu_home[cpu] == nid)
			st->local_node += on_nid;
		else
			st->other_node += on_nid;
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

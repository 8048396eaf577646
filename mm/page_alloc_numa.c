// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator's NUMA nodes: at boot, once the SRAT has given the
 * RAM its nodes (numa_init()), each memory node gets its own zones, the
 * free blocks of its frames move there, and every online node gets its
 * fallback order.  Design: Documentation/mm/numa.rst.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/slab.h>
#include <exo/string.h>

#include <asm/processor.h>

#include "internal.h"

/*
 * Set bits of @map in [s, e): the ends bit by bit, whole words between.
 * The managed map is words of ones over RAM and of zeroes over holes:
 * those skip the popcount, a libgcc call of some 20 instructions without
 * POPCNT, and 1 TiB is 4 M words.
 */
static unsigned long count_bits(const unsigned long *map, unsigned long s, unsigned long e)
{
	unsigned long n = 0, i;

	for (; s < e && s % BITS_PER_LONG; s++)
		n += test_bit(s, map);
	for (i = s / BITS_PER_LONG; i < e / BITS_PER_LONG; i++) {
		unsigned long w = map[i];

		n += w == ~0UL ? BITS_PER_LONG : w ? __builtin_popcountl(w) : 0;
	}
	for (s = max(s, i * BITS_PER_LONG); s < e; s++)
		n += test_bit(s, map);
	return n;
}

/* Memory nodes @mem (ascending) by distance from @from: itself first, the lowest number among equals. */
static void __init build_fallback(int from, const u8 *mem, unsigned int nr)
{
	struct pa_fallback *fb = &pa_fallback[from];

	for (unsigned int i = 0; i < nr; i++) {
		int d = node_distance(from, mem[i]);
		unsigned int j = i;

		/* Insertion sort, stable: mem[] is ascending. */
		while (j && node_distance(from, fb->node[j - 1]) > d) {
			fb->node[j] = fb->node[j - 1];
			j--;
		}
		fb->node[j] = mem[i];
	}
	fb->nr = nr;
}

/* The memory node of CPU @cpu; kernel-doc in <exo/page_alloc.h>. */
int cpu_to_mem(unsigned int cpu)
{
	return cpu < NR_CPUS ? pa_cpu_node[cpu] : NUMA_NO_NODE;
}

/* Each CPU's own node and memory node. */
static void __init set_cpu_nodes(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		int home = cpu_to_node(cpu);

		if (home < 0 || !pa_fallback[home].nr)
			home = first_node(&node_online_map);
		pa_cpu_home[cpu] = home;
		pa_cpu_node[cpu] = pa_fallback[home].nr ? pa_fallback[home].node[0] : pa_node_order[0];
	}
}

/*
 * Forget the boot fallback ({ node 0 } for node 0 alone): only online
 * nodes get one back, so that an offline node 0 is refused like any other
 * offline node instead of reaching a NULL NODE_DATA(0).
 */
static void __init reset_fallback(void)
{
	memset(pa_fallback, 0, sizeof(pa_fallback));
}

/* Everything on one allocator node @nid: every node falls back to it. */
static void __init numa_single(int nid)
{
	int n;

	reset_fallback();
	pa_node_order[0] = nid;
	/* One pglist_data, under @nid only: per-node sums must not count it twice. */
	for (n = 0; n < MAX_NUMNODES; n++)
		node_data[n] = n == nid ? &pa_node0_data : NULL;
	pa_node0_data.node_id = nid;
	for_each_online_node(n) {
		pa_fallback[n].nr = 1;
		pa_fallback[n].node[0] = nid;
	}
	/* @nid has the memory: online even if the node map says nothing. */
	pa_fallback[nid].nr = 1;
	pa_fallback[nid].node[0] = nid;
	set_cpu_nodes();
}

/*
 * May a node start at @start (a multiple of @m, MAX_ORDER_NR_PAGES)?
 * free_range() locks the zones of a run of at most @m frames in two
 * locks, lowest first: the run must touch at most two zones, i.e. no two
 * zone boundaries may lie less than @m apart.  Node starts are multiples
 * of @m, and so is the end of ZONE_DMA32 (4 GiB, @m a power of two below
 * it), so any two of those are either equal or @m apart, and the end of
 * ZONE_DMA is @m or more below 4 GiB (a BUILD_BUG_ON in page_alloc_range.c).
 * Only the end of ZONE_DMA (16 MiB), not a multiple of @m once
 * MAX_ORDER >= 13, can be too close to a node start: it must then be
 * that start, or @m or more away from it.
 */
bool pa_node_start_ok(unsigned long start, unsigned long m)
{
	unsigned long d = start > ZONE_DMA_END_PFN ? start - ZONE_DMA_END_PFN :
						     ZONE_DMA_END_PFN - start;

	return !d || d >= m;
}

/* Move the free blocks of global_pa.zones outside node 0's span to their nodes. */
static void __init move_free_blocks(void)
{
	unsigned long flags;

	for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *from = &global_pa.zones[z];

		spin_lock_irqsave(&from->lock, flags);
		for (unsigned int o = 0; o < NR_ORDERS; o++) {
			struct page *page, *next;

			list_for_each_entry_safe(page, next, &from->free_area[o].free_list, lru) {
				unsigned long pfn = page_to_pfn(page);
				struct zone *to = pa_zone(&global_pa, pfn);

				if (to == from)
					continue;
				free_list_del(from, pfn, o);
				from->nr_free -= 1UL << o;
				free_list_add(to, pfn, o);
				to->nr_free += 1UL << o;
			}
		}
		spin_unlock_irqrestore(&from->lock, flags);
	}
}

/* A node's descriptor and zones in one block of its own memory. */
struct node_block {
	struct pglist_data pgdat;
	struct zone zones[MAX_NR_ZONES];
};

/*
 * Copy zone @from to @to: the free lists' heads move, so the first and
 * last block of each list are pointed at the new head.  Nothing else
 * points into a zone.  The lock is copied as it is: unlocked, with
 * zone_init()'s lockdep class and name.
 */
static void __init zone_move(struct zone *to, const struct zone *from)
{
	*to = *from;
	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		struct list_head *h = &to->free_area[o].free_list;

		if (list_empty(&from->free_area[o].free_list)) {
			INIT_LIST_HEAD(h);
		} else {
			h->next->prev = h;
			h->prev->next = h;
		}
	}
}

/*
 * Move allocator node @nid's descriptor and zones, allocated by the boot
 * CPU before the split, onto a block of the node's own memory (Linux's
 * NODE_DATA placement).  The boot CPU alone runs, with interrupts off
 * during the copy.  A node without room gets the nearest node's memory,
 * and keeps what it had if no node has any, with a log line.
 */
static void __init node_data_to_node(int nid)
{
	struct pglist_data *old = NODE_DATA(nid);
	struct node_block *nb;
	struct page *page;
	unsigned long flags;

	BUILD_BUG_ON(sizeof(*nb) > PAGE_SIZE);
	page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
	if (!page) {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, 0);
		pr_warn("NUMA: no room on node %d for its zones: %s\n", nid,
			page ? "on the nearest node with room" : "left where they were");
		if (!page)
			return;
	}
	nb = page_address(page);
	memset(nb, 0, PAGE_SIZE);
	nb->pgdat = *old;
	nb->pgdat.zones = nb->zones;
	flags = arch_local_irq_save();
	for (unsigned int z = 0; z < MAX_NR_ZONES; z++)
		zone_move(&nb->zones[z], &old->zones[z]);
	WRITE_ONCE(node_data[nid], &nb->pgdat);
	arch_local_irq_restore(flags);
	kfree(old->zones);
	kfree(old);
}

/* Split the allocator into nodes; kernel-doc in <exo/page_alloc.h>. */
void __init page_alloc_numa_init(void)
{
	unsigned long lo[MAX_NUMNODES], hi[MAX_NUMNODES], start, end;
	u8 mem[MAX_NUMNODES], order[MAX_NUMNODES];
	unsigned int nr = 0;
	u64 t0 = rdtsc_ordered();
	int nid, i;

	for_each_node_state(nid, N_MEMORY) {
		lo[nid] = ~0UL;
		hi[nid] = 0;
		for_each_mem_pfn_range(i, nid, &start, &end, NULL) {
			lo[nid] = min(lo[nid], start);
			hi[nid] = max(hi[nid], min(end, max_pfn));
		}
		if (lo[nid] < hi[nid])
			mem[nr++] = nid;
	}
	if (nr <= 1) {
		numa_single(nr ? mem[0] : 0);
		return;
	}
	/* Ascending start: a run of frames per node, aligned, in address order. */
	for (unsigned int k = 0; k < nr; k++) {
		unsigned int j = k;

		while (j && lo[order[j - 1]] > lo[mem[k]]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = mem[k];
	}
	for (unsigned int k = 1; k < nr; k++) {
		unsigned long b = ALIGN_DOWN(lo[order[k]], MAX_ORDER_NR_PAGES);

		if (b < hi[order[k - 1]]) {
			pr_warn("NUMA: node %d's memory does not start on a %lu MiB boundary after node %d's: one node for the page allocator\n",
				order[k], MAX_ORDER_NR_PAGES >> (20 - PAGE_SHIFT), order[k - 1]);
			numa_single(order[0]);
			return;
		}
		if (!pa_node_start_ok(b, MAX_ORDER_NR_PAGES)) {
			pr_warn("NUMA: node %d starts at %#llx, within %lu MiB of the ZONE_DMA end: one node for the page allocator\n",
				order[k], PFN_PHYS(b), MAX_ORDER_NR_PAGES >> (20 - PAGE_SHIFT));
			numa_single(order[0]);
			return;
		}
	}
	for (unsigned int k = 0; k < nr; k++) {
		struct pglist_data *pgdat = k ? kzalloc(sizeof(*pgdat), GFP_KERNEL) : &pa_node0_data;
		struct zone *zones = k ? kcalloc(MAX_NR_ZONES, sizeof(*zones), GFP_KERNEL) : NULL;

		if (k && (!pgdat || !zones)) {
			pr_err("NUMA: no memory for node %d's zones: one node for the page allocator\n",
			       order[k]);
			kfree(pgdat);
			kfree(zones);
			for (unsigned int m = 1; m < k; m++) {
				kfree(node_data[order[m]]->zones);
				kfree(node_data[order[m]]);
				node_data[order[m]] = NULL;
			}
			numa_single(order[0]);
			return;
		}
		if (k)
			pgdat->zones = zones;
		pgdat->node_id = order[k];
		pgdat->start_pfn = k ? ALIGN_DOWN(lo[order[k]], MAX_ORDER_NR_PAGES) : 0;
		node_data[order[k]] = pgdat;
		pa_node_order[k] = order[k];
	}
	if (order[0] != 0 && node_data[0] == &pa_node0_data)
		node_data[0] = NULL;
	for (unsigned int k = 0; k < nr; k++)
		NODE_DATA(order[k])->end_pfn = k + 1 < nr ? NODE_DATA(order[k + 1])->start_pfn : max_pfn;

	/* The boot CPU alone runs: its cache back to the lists, then the split. */
	drain_local_pages();
	pa_nr_nodes = nr;
	for (unsigned int k = 0; k < nr; k++) {
		struct pglist_data *pgdat = NODE_DATA(order[k]);
		static const unsigned long zend[MAX_NR_ZONES] = {
			ZONE_DMA_END_PFN, ZONE_DMA32_END_PFN, ~0UL
		};

		for (unsigned int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long zs = z ? zend[z - 1] : 0;
			unsigned long s = max(zs, pgdat->start_pfn), e = min(zend[z], pgdat->end_pfn);
			struct zone *zone = &pgdat->zones[z];

			if (k) {
				zone_init(zone, zone_names[z], s, e);
			} else {
				/* Node 0's lists stay; only their span shrinks. */
				zone->start_pfn = s;
				zone->end_pfn = max(s, e);
			}
			zone->managed = count_bits(page_managed_map, zone->start_pfn, zone->end_pfn);
		}
	}
	move_free_blocks();
	reset_fallback();
	for_each_online_node(nid)
		build_fallback(nid, mem, nr);
	set_cpu_nodes();
	/* From now on every free checks the frame's node. */
	pcp_pfn_limit = 0;
	/* The first node's are in the image, which lies on it (its lowest memory). */
	for (unsigned int k = 1; k < nr; k++)
		node_data_to_node(order[k]);
	page_alloc_meta_to_nodes();
	for (unsigned int k = 0; k < nr; k++)
		pr_info("NUMA: node %d has its own zones: [mem %#llx-%#llx], %lu MiB free\n",
			order[k], PFN_PHYS(NODE_DATA(order[k])->start_pfn),
			PFN_PHYS(NODE_DATA(order[k])->end_pfn) - 1,
			node_free_pages(order[k]) >> (20 - PAGE_SHIFT));
	/* Guest instructions under -icount: make bench's 1 TiB row. */
	pr_info("NUMA: %u allocator nodes set up in %llu TSC ticks\n", nr, rdtsc_ordered() - t0);
}

/* Where a node's structures lie; kernel-doc in <exo/page_alloc.h>. */
int page_alloc_node_data(int nid, struct node_data_place *place)
{
	struct pglist_data *pgdat;

	if (nid < 0 || nid >= MAX_NUMNODES)
		return -EINVAL;
	pgdat = READ_ONCE(node_data[nid]);
	if (!pgdat || !pgdat->zones)
		return -ENOENT;
	place->pgdat = pgdat;
	place->pgdat_size = sizeof(*pgdat);
	place->zones = pgdat->zones;
	place->zones_size = MAX_NR_ZONES * sizeof(*pgdat->zones);
	return 0;
}

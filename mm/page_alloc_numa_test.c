// SPDX-License-Identifier: GPL-2.0
/*
 * Node-local page allocation (the numa_alloc suite): each CPU allocates
 * from its own node (a memoryless node's CPUs from the nearest node with
 * memory), alloc_pages_node() places a block on the node asked, an
 * exhausted node makes allocations fall back in SLIT distance order, the
 * per-CPU caches hold only their CPU's node's frames, and the numastat
 * counters add up.  On one node it checks the same on node 0; make check
 * runs it in the 2- and 4-node boots too (Documentation/mm/numa.rst).  The
 * slab's node placement cases of the suite are in mm/slab_numa_test.c.
 */
#include <exo/errno.h>
#include <exo/jump_label.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/smp.h>
#include <exo/string.h>

#include <exo/slab.h>

#include "internal.h"
#include "page_alloc_numa_test.h"
#include "slab.h"

#define LOCAL_ALLOCS	64

struct cpu_run {
	unsigned int cpu;
	int want;		/* memory node expected */
	int bad_node;		/* NUMA_NO_NODE, or the node of a misplaced block */
	int ran_on;
	int failed;
};

/* On the bound CPU: allocate with every API, check each block's node. */
static int local_allocs(void *arg)
{
	struct cpu_run *r = arg;
	struct page *pages[LOCAL_ALLOCS];
	phys_addr_t frames[LOCAL_ALLOCS];

	r->ran_on = smp_processor_id();
	for (unsigned int i = 0; i < LOCAL_ALLOCS; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, i % 4);
		if (alloc_frame(&frames[i]))
			frames[i] = 0;
		if (!pages[i] || !frames[i]) {
			r->failed++;
			continue;
		}
		if (page_to_nid(pages[i]) != r->want)
			r->bad_node = page_to_nid(pages[i]);
		if (page_to_nid(phys_to_page(frames[i])) != r->want)
			r->bad_node = page_to_nid(phys_to_page(frames[i]));
	}
	for (unsigned int i = 0; i < LOCAL_ALLOCS; i++) {
		if (pages[i])
			__free_pages(pages[i], i % 4);
		if (frames[i])
			free_frame(frames[i]);
	}
	return 0;
}

/* Every online CPU gets blocks of its own (or nearest) memory node. */
static void test_cpu_local(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct cpu_run r = { .cpu = cpu, .want = mem_node_of_cpu(cpu),
				     .bad_node = NUMA_NO_NODE, .ran_on = -1 };

		KTEST_ASSERT_EQ(t, run_on(cpu, local_allocs, &r), 0);
		KTEST_EXPECT_EQ(t, r.ran_on, (int)cpu);
		KTEST_EXPECT_EQ(t, r.failed, 0);
		if (r.bad_node != NUMA_NO_NODE)
			ktest_log(t, "CPU %u (node %d) got a block of node %d, not %d", cpu,
				  cpu_to_node(cpu), r.bad_node, r.want);
		KTEST_EXPECT_EQ(t, r.bad_node, NUMA_NO_NODE);
	}
}

/* alloc_pages_node() on every node; bad node numbers refused. */
static void test_alloc_pages_node(struct ktest *t)
{
	int nid;

	for_each_online_node(nid) {
		int want = numa_nearest_node(nid, N_MEMORY);

		for (unsigned int order = 0; order <= 9; order += 3) {
			struct page *p = alloc_pages_node(nid, GFP_KERNEL, order);

			KTEST_ASSERT_NOT_NULL(t, p);
			KTEST_EXPECT_EQ(t, page_to_nid(p), want);
			__free_pages(p, order);
			p = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_ZERO, order);
			KTEST_ASSERT_NOT_NULL(t, p);
			KTEST_EXPECT_EQ(t, page_to_nid(p), want);
			__free_pages(p, order);
		}
	}
	KTEST_EXPECT_NULL(t, alloc_pages_node(MAX_NUMNODES, GFP_KERNEL | __GFP_NOWARN, 0));
	KTEST_EXPECT_NULL(t, alloc_pages_node(-2, GFP_KERNEL | __GFP_NOWARN, 0));
	KTEST_EXPECT_NULL(t, alloc_pages_node(MAX_NUMNODES - 1, GFP_KERNEL | __GFP_NOWARN, 0));
}

/* Are all cached blocks of @cpu on its memory node, and is @pfn not among them? */
static bool cache_local(unsigned int cpu, unsigned long pfn)
{
	const struct per_cpu_pageset *ps = cpu_pageset(cpu);
	int want = pa_cpu_node[cpu];

	for (unsigned int r = 0; r < PCP_RINGS; r++) {
		unsigned int top = READ_ONCE(ps->pcp.top[r]);

		for (unsigned int i = READ_ONCE(ps->pcp.bottom[r]); i < top; i++) {
			unsigned long p = READ_ONCE(ps->pcp.slots[PCP_RING_BASE(r) + i]);

			if (p == pfn || pfn_to_nid(p) != want)
				return false;
		}
	}
	return true;
}

/*
 * A block of another node freed here goes back to its node, not into this
 * CPU's cache; every CPU's cache holds only its node's frames.
 */
static void test_remote_free(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;
	int nid;

	for_each_node_state(nid, N_MEMORY) {
		struct page *p = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE, 0);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, page_to_nid(p), nid);
		__free_pages(p, 0);
		if (nid != pa_cpu_node[me])
			KTEST_EXPECT_TRUE(t, cache_local(me, page_to_pfn(p)));
	}
	for_each_online_cpu(cpu)
		KTEST_EXPECT_TRUE(t, cache_local(cpu, NO_PFN));
}

/* Totals of the numastat counters over the nodes. */
struct numa_sums {
	unsigned long hit, miss, foreign, local, other;
};

static void numa_sums(struct numa_sums *s)
{
	struct numa_node_stats st;
	int nid;

	memset(s, 0, sizeof(*s));
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		page_alloc_numa_stats(nid, &st);
		s->hit += st.numa_hit;
		s->miss += st.numa_miss;
		s->foreign += st.numa_foreign;
		s->local += st.local_node;
		s->other += st.other_node;
	}
}


/*
 * Exhaust this CPU's memory node, then the next one: allocations fall back
 * in SLIT order, counted as misses on the node they land on and foreign
 * on the node asked; everything comes back after.
 */
static void test_fallback_by_distance(struct ktest *t)
{
	unsigned int me = smp_processor_id();
	int local = mem_node_of_cpu(me), order_seen[MAX_NUMNODES], n = 0, nid;
	unsigned long before = node_free_pages(local);
	struct numa_node_stats l0, l1;
	void *held[MAX_NUMNODES];

	if (nodes_weight(&node_states[N_MEMORY]) < 2) {
		ktest_skip(t, "one memory node");
		return;
	}
	/* The expected order: memory nodes by distance from the CPU's node. */
	for (;;) {
		int best = NUMA_NO_NODE;

		for_each_node_state(nid, N_MEMORY) {
			bool seen = false;

			for (int i = 0; i < n; i++)
				seen |= order_seen[i] == nid;
			if (!seen && (best == NUMA_NO_NODE ||
				      node_distance(local, nid) < node_distance(local, best)))
				best = nid;
		}
		if (best == NUMA_NO_NODE)
			break;
		order_seen[n++] = best;
	}
	KTEST_ASSERT_EQ(t, order_seen[0], local);
	/* Keep two nodes' worth of memory: at least one node stays free. */
	for (int i = 0; i < min(n - 1, 2); i++) {
		struct numa_node_stats m0, m1;
		struct page *p = NULL;
		int got = NUMA_NO_NODE;

		held[i] = NULL;
		KTEST_EXPECT_GT(t, exhaust_into(order_seen[i], &held[i]), 0UL);
		/* Asked of the local node, placed on the next: foreign there, a miss here. */
		page_alloc_numa_stats(local, &l0);
		page_alloc_numa_stats(order_seen[i + 1], &m0);
		/*
		 * Another CPU may free a frame of an exhausted node at any time
		 * (deferred task and stack frees, IRQ-time frees): re-exhaust
		 * them right before each probe, and keep a probe that still
		 * landed on one of them, a bounded number of times.
		 */
		for (int tries = 0; tries < FALLBACK_TRIES; tries++) {
			int j;

			for (j = 0; j <= i; j++)
				exhaust_into(order_seen[j], &held[j]);
			p = alloc_pages(GFP_KERNEL, 0);
			if (!p)
				break;
			got = page_to_nid(p);
			for (j = 0; j <= i && order_seen[j] != got; j++)
				;
			if (j > i)
				break;
			hold_block(&held[j], p, 0);
			p = NULL;
		}
		KTEST_EXPECT_NOT_NULL(t, p);
		if (p) {
			KTEST_EXPECT_EQ(t, got, order_seen[i + 1]);
			__free_pages(p, 0);
		}
		page_alloc_numa_stats(local, &l1);
		page_alloc_numa_stats(order_seen[i + 1], &m1);
		KTEST_EXPECT_GE(t, l1.numa_foreign - l0.numa_foreign, 1UL);
		KTEST_EXPECT_GE(t, m1.numa_miss - m0.numa_miss, 1UL);
	}
	for (int i = min(n - 1, 2) - 1; i >= 0; i--)
		restore_node(held[i]);
	KTEST_EXPECT_EQ(t, node_free_pages(local) >= before - 2 * PCP_HIGH, true);
	KTEST_EXPECT_EQ(t, page_alloc_check(), 0UL);
}

/* numa_hit + numa_miss == local_node + other_node == allocations; miss == foreign. */
static void test_counters_add_up(struct ktest *t)
{
	struct page_alloc_stats st0, st1;
	struct numa_sums s0, s1;
	struct numa_node_stats n0, n1;
	unsigned int me = smp_processor_id();
	int local = pa_cpu_node[me], nid;

	page_alloc_get_stats(&st0);
	numa_sums(&s0);
	for_each_node_state(nid, N_MEMORY) {
		page_alloc_numa_stats(nid, &n0);
		for (unsigned int i = 0; i < LOCAL_ALLOCS; i++) {
			struct page *p = alloc_pages_node(nid, GFP_KERNEL, 0);

			KTEST_ASSERT_NOT_NULL(t, p);
			__free_pages(p, 0);
		}
		page_alloc_numa_stats(nid, &n1);
		KTEST_EXPECT_GE(t, n1.numa_hit - n0.numa_hit, (unsigned long)LOCAL_ALLOCS);
		if (cpu_to_node(me) == nid)
			KTEST_EXPECT_GE(t, n1.local_node - n0.local_node, (unsigned long)LOCAL_ALLOCS);
		else
			KTEST_EXPECT_GE(t, n1.other_node - n0.other_node, (unsigned long)LOCAL_ALLOCS);
	}
	numa_sums(&s1);
	page_alloc_get_stats(&st1);
	KTEST_EXPECT_EQ(t, s1.hit + s1.miss, s1.local + s1.other);
	KTEST_EXPECT_EQ(t, s1.miss, s1.foreign);
	/* Allocations counted between the snapshots: all of this CPU's, at least. */
	KTEST_EXPECT_GE(t, (s1.hit + s1.miss) - (s0.hit + s0.miss),
			(unsigned long)LOCAL_ALLOCS * nodes_weight(&node_states[N_MEMORY]));
	/*
	 * Both sums add up per-CPU counters read without a lock, and an
	 * allocation bumps its numa counter and its allocs event at two
	 * points: one allocation in flight per other CPU may be in the numa
	 * window but not the allocs one, hence the slack of one per CPU.
	 */
	KTEST_EXPECT_LE(t, (s1.hit + s1.miss) - (s0.hit + s0.miss),
			st1.events.allocs - st0.events.allocs + num_online_cpus());
	(void)local;
}

/*
 * Node starts that would let a run of MAX_ORDER_NR_PAGES frames touch
 * three zones are refused: with 32 MiB blocks (MAX_ORDER 13), a node at
 * 32 MiB puts the ZONE_DMA end (16 MiB) and a node start in one run.
 */
static void test_node_start_ok(struct ktest *t)
{
	const unsigned long mib = 1UL << (20 - PAGE_SHIFT);

	/* Blocks of 16 MiB or less: the ZONE_DMA end is a block boundary. */
	for (unsigned long m = mib; m <= 16 * mib; m <<= 1)
		for (unsigned long s = m; s <= 64 * mib; s += m)
			KTEST_EXPECT_TRUE(t, pa_node_start_ok(s, m));
	KTEST_EXPECT_FALSE(t, pa_node_start_ok(32 * mib, 32 * mib));
	KTEST_EXPECT_TRUE(t, pa_node_start_ok(64 * mib, 32 * mib));
	KTEST_EXPECT_FALSE(t, pa_node_start_ok(64 * mib, 64 * mib));
	KTEST_EXPECT_TRUE(t, pa_node_start_ok(128 * mib, 64 * mib));
	KTEST_EXPECT_TRUE(t, pa_node_start_ok(MAX_ORDER_NR_PAGES * 8, MAX_ORDER_NR_PAGES));
}

/*
 * Exactly the online nodes have a fallback, all of whose nodes have
 * zones; every offline node is refused by alloc_pages_node() and
 * kmalloc_node() (QEMU numbers its nodes densely, so node 0 is never
 * offline in a boot: this is what keeps an offline node 0 out).
 */
static void test_offline_nodes(struct ktest *t)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		const struct pa_fallback *fb = &pa_fallback[nid];

		KTEST_EXPECT_EQ(t, fb->nr != 0, node_online(nid));
		for (unsigned int i = 0; i < fb->nr; i++)
			KTEST_EXPECT_NOT_NULL(t, NODE_DATA(fb->node[i]));
		if (node_online(nid))
			continue;
		KTEST_EXPECT_EQ(t, numa_node_mem(nid), NUMA_NO_NODE);
		KTEST_EXPECT_NULL(t, alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, 0));
		KTEST_EXPECT_NULL(t, kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, nid));
	}
}

/* buddyinfo has a Node N line per node and zone with memory. */
static void test_buddyinfo(struct ktest *t)
{
	int nid;

	struct page_alloc_stats st;
	unsigned long sum = 0;

	for_each_node_state(nid, N_MEMORY)
		KTEST_EXPECT_GT(t, node_managed_pages(nid), 0UL);
	/* Each page on one node: the nodes' pages add up to the allocator's. */
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		sum += node_managed_pages(nid);
	page_alloc_get_stats(&st);
	KTEST_EXPECT_EQ(t, sum, st.managed);
	KTEST_EXPECT_EQ(t, node_managed_pages(MAX_NUMNODES), 0UL);
	KTEST_EXPECT_EQ(t, node_free_pages(-1), 0UL);
	page_alloc_show_buddyinfo();
}

/* Node of the frame behind a mapped kernel address, NUMA_NO_NODE if unmapped. */
static int node_of_va(unsigned long va)
{
	phys_addr_t pa;

	if (translate(va, &pa))
		return NUMA_NO_NODE;
	return page_to_nid(phys_to_page(pa));
}

/*
 * Every memory node's struct pages lie on its own memory (the pages of
 * mem_map[] wholly inside its part); a memoryless node has none.
 */
static void test_mem_map_on_node(struct ktest *t)
{
	unsigned long checked = 0;
	unsigned int i;
	int nid;

	if (!mem_map_bytes)
		KTEST_SKIP(t, "mem_map[] under 2 MiB stays in the direct map");
	KTEST_EXPECT_EQ(t, (unsigned long)mem_map, VMEMMAP_START);
	for_each_pa_node(i, nid) {
		unsigned long s = ALIGN((unsigned long)pfn_to_page(NODE_DATA(nid)->start_pfn),
					PAGE_SIZE);
		unsigned long e = (unsigned long)pfn_to_page(NODE_DATA(nid)->end_pfn);
		unsigned long bad = 0;

		for (unsigned long va = s; va + PAGE_SIZE <= e; va += PAGE_SIZE, checked++) {
			int n = node_of_va(va);

			if (n != nid && !bad++)
				ktest_log(t, "node %d: mem_map page %#lx (frames from %#lx) on node %d",
					  nid, va, (va - VMEMMAP_START) / sizeof(struct page), n);
		}
		KTEST_EXPECT_EQ(t, bad, 0UL);
	}
	KTEST_EXPECT_GT(t, checked, 0UL);
	for_each_online_node(nid)
		if (!node_state(nid, N_MEMORY))
			KTEST_EXPECT_NULL(t, NODE_DATA(nid));
}

/*
 * Every page of the allocator's bitmaps lies on the node of the first
 * frame it describes (32768 frames a page).
 */
static void test_bitmaps_on_node(struct ktest *t)
{
	const unsigned long *maps[] = { page_alloc_map, page_free_map, page_managed_map,
					page_poison_map };
	unsigned long bytes = DIV_ROUND_UP(max_pfn, BITS_PER_LONG) * sizeof(long);

	for (unsigned int i = 0; i < ARRAY_SIZE(maps); i++) {
		unsigned long bad = 0;

		if (!maps[i])
			continue;
		for (unsigned long off = 0; off < bytes; off += PAGE_SIZE) {
			unsigned long first = off * 8;
			int want = page_to_nid(pfn_to_page(first)), n;

			n = node_of_va((unsigned long)maps[i] + off);
			if (n != want && !bad++)
				ktest_log(t, "bitmap %u: page of frames from %#lx on node %d, not %d",
					  i, first, n, want);
		}
		KTEST_EXPECT_EQ(t, bad, 0UL);
	}
}

static struct ktest_case numa_alloc_cases[] = {
	KTEST_CASE(test_cpu_local),
	KTEST_CASE_RAM(test_alloc_pages_node, 0, 32),	/* order-9 blocks on every node */
	KTEST_CASE(test_remote_free),
	KTEST_CASE(test_fallback_by_distance),
	KTEST_CASE(test_counters_add_up),
	KTEST_CASE(test_node_start_ok),
	KTEST_CASE(test_offline_nodes),
	KTEST_CASE(test_buddyinfo),
	KTEST_CASE(test_kmalloc_node),
	KTEST_CASE(test_kmem_cache_alloc_node),
	KTEST_CASE(test_kmalloc_remote_free),
	KTEST_CASE(test_kmem_cache_node_oom),
	KTEST_CASE(test_slab_numa_key),
	KTEST_CASE(test_slab_remote_fast_free),
	KTEST_CASE(test_slab_node_lists),
	KTEST_CASE(test_slab_empty_keep_per_node),
	KTEST_CASE(test_node_full_noretry),
	KTEST_CASE(test_mem_map_on_node),
	KTEST_CASE(test_bitmaps_on_node),
	{}
};

static struct ktest_suite numa_alloc_suite = {
	.name = "numa_alloc",
	.cases = numa_alloc_cases,
};
KTEST_SUITE(numa_alloc_suite);
// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA benchmarks (bench=numa_): alloc_pages_node() pairs on the CPU's
 * own node and on another, and kmalloc_node() of another node's memory
 * freed here.  They need two memory nodes: make bench boots QEMU with two
 * -numa nodes for them (scripts/bench.sh); elsewhere they are skipped.
 */
#include <exo/bench.h>
#include <exo/errno.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/slab.h>

static int remote_nid = NUMA_NO_NODE;

/* The first memory node other than this CPU's; -ENODEV without one. */
static int numa_bench_setup(struct bench *b)
{
	int nid;

	(void)b;
	remote_nid = NUMA_NO_NODE;
	for_each_node_state(nid, N_MEMORY)
		if (nid != numa_mem_id() && remote_nid == NUMA_NO_NODE)
			remote_nid = nid;
	return remote_nid == NUMA_NO_NODE ? -ENODEV : 0;
}

static void node_pair(unsigned int ops, int nid)
{
	for (unsigned int i = 0; i < ops; i++) {
		struct page *p = alloc_pages_node(nid, GFP_KERNEL, 0);

		if (!p) {
			pr_err("bench: alloc_pages_node(%d) failed\n", nid);
			return;
		}
		__free_pages(p, 0);
	}
}

static void local_pair(struct bench *b, unsigned int ops)
{
	(void)b;
	node_pair(ops, numa_mem_id());
}
DEFINE_BENCH_FULL(numa_local_pair, .desc = "alloc_pages_node(local, 0)+__free_pages (2 nodes)",
		  .run = local_pair, .setup = numa_bench_setup, .ops = 64, .min_cpus = 2);

static void remote_pair(struct bench *b, unsigned int ops)
{
	(void)b;
	node_pair(ops, remote_nid);
}
DEFINE_BENCH_FULL(numa_remote_pair, .desc = "alloc_pages_node(remote, 0)+__free_pages (2 nodes)",
		  .run = remote_pair, .setup = numa_bench_setup, .ops = 64, .min_cpus = 2);

static void kmalloc_remote(struct bench *b, unsigned int ops)
{
	(void)b;
	for (unsigned int i = 0; i < ops; i++) {
		void *p = kmalloc_node(256, GFP_KERNEL, remote_nid);

		if (!p) {
			pr_err("bench: kmalloc_node(%d) failed\n", remote_nid);
			return;
		}
		kfree(p);
	}
}
DEFINE_BENCH_FULL(numa_kmalloc_node_remote_pair,
		  .desc = "kmalloc_node(256, remote)+kfree here (2 nodes)",
		  .run = kmalloc_remote, .setup = numa_bench_setup, .ops = 64, .min_cpus = 2);

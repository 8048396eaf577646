/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NUMA topology: nodes, their CPUs, memory and distances.
 *
 * A node is a proximity domain of the ACPI SRAT (arch/x86/mm/numa.c turns
 * the SRAT and SLIT into nodes at boot); without ACPI, without an SRAT or
 * with a malformed one there is a single node 0 holding every CPU and all
 * memory.  The maps are written once during boot, before the APs start,
 * and only read afterwards, so readers take no lock.
 *
 * The names and semantics are Linux's (<linux/numa.h>, <linux/nodemask.h>,
 * <linux/topology.h>).  The page and slab allocators' node layer
 * (alloc_pages_node(), kmalloc_node()) is in <exo/page_alloc.h> and
 * <exo/slab.h>; Documentation/mm/numa.rst describes both.
 */
#ifndef _EXO_NUMA_H
#define _EXO_NUMA_H

#include <exo/types.h>
#include <exo/cpumask.h>

#define NODES_SHIFT	6
#define MAX_NUMNODES	(1 << NODES_SHIFT)
#define NUMA_NO_NODE	(-1)

/* SLIT units: a node's distance to itself, and the default to any other. */
#define LOCAL_DISTANCE		10
#define REMOTE_DISTANCE		20
#define DISTANCE_BITS		8

typedef struct {
	unsigned long bits[BITS_TO_LONGS(MAX_NUMNODES)];
} nodemask_t;

/* The node states of node_states[] (Linux's enum node_states, the subset in use). */
enum node_states {
	N_POSSIBLE,	/* named by the firmware (an enabled SRAT entry) */
	N_ONLINE,	/* has CPUs or memory now */
	N_MEMORY,	/* has RAM in the memory map */
	N_CPU,		/* has possible CPUs */
	NR_NODE_STATES
};

extern nodemask_t node_states[NR_NODE_STATES];
#define node_online_map		node_states[N_ONLINE]
#define node_possible_map	node_states[N_POSSIBLE]

static inline bool node_isset(int node, const nodemask_t *m)
{
	return node >= 0 && node < MAX_NUMNODES &&
	       ((m->bits[node / BITS_PER_LONG] >> (node % BITS_PER_LONG)) & 1);
}

static inline void node_set(int node, nodemask_t *m)
{
	m->bits[node / BITS_PER_LONG] |= 1UL << (node % BITS_PER_LONG);
}

static inline void node_clear(int node, nodemask_t *m)
{
	m->bits[node / BITS_PER_LONG] &= ~(1UL << (node % BITS_PER_LONG));
}

static inline unsigned int nodes_weight(const nodemask_t *m)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < BITS_TO_LONGS(MAX_NUMNODES); i++)
		w += __builtin_popcountl(m->bits[i]);
	return w;
}

/* Next node set in @m after @node (-1 to start), or MAX_NUMNODES. */
static inline int next_node(int node, const nodemask_t *m)
{
	for (int n = node + 1; n < MAX_NUMNODES; n++)
		if (node_isset(n, m))
			return n;
	return MAX_NUMNODES;
}

static inline int first_node(const nodemask_t *m)
{
	return next_node(-1, m);
}

#define for_each_node_mask(node, mask)					\
	for ((node) = first_node(&(mask)); (node) < MAX_NUMNODES;	\
	     (node) = next_node((node), &(mask)))
#define for_each_node_state(node, state) for_each_node_mask(node, node_states[state])
#define for_each_online_node(node)	for_each_node_state(node, N_ONLINE)
#define for_each_node(node)		for_each_node_state(node, N_POSSIBLE)

/**
 * node_state() - is @node in @state?
 * @node: node number (any int: out-of-range numbers are in no state)
 * @state: N_POSSIBLE, N_ONLINE, N_MEMORY or N_CPU
 */
static inline bool node_state(int node, enum node_states state)
{
	return node_isset(node, &node_states[state]);
}

static inline bool node_online(int node)
{
	return node_state(node, N_ONLINE);
}

static inline unsigned int num_online_nodes(void)
{
	return nodes_weight(&node_online_map);
}

extern int numa_cpu_node_map[NR_CPUS];

/**
 * cpu_to_node() - the node of a CPU
 * @cpu: CPU number
 *
 * Return: its node, or NUMA_NO_NODE for a number past NR_CPUS.  CPUs the
 * firmware does not list belong to node 0 (the map's initial value), so
 * that code running before numa_init() sees the single-node answer.
 */
static inline int cpu_to_node(unsigned int cpu)
{
	return cpu < NR_CPUS ? numa_cpu_node_map[cpu] : NUMA_NO_NODE;
}

/**
 * cpumask_of_node() - the possible CPUs of @node
 * @node: a node number
 *
 * Return: their mask (empty for a CPU-less or unknown node); never NULL.
 */
const struct cpumask *cpumask_of_node(int node);

/**
 * node_distance() - SLIT distance from node @from to node @to
 * @from: node number
 * @to: node number
 *
 * From the SLIT when the firmware has a valid one, else LOCAL_DISTANCE (10)
 * to itself and REMOTE_DISTANCE (20) to any other node.
 * Return: the distance, 255 (unreachable) for a node that does not exist.
 */
int node_distance(int from, int to);

/**
 * numa_nearest_node() - the node in @state closest to @node
 * @node: where the caller is (a possible node)
 * @state: e.g. N_MEMORY, to find where a memoryless node's CPUs get RAM
 *
 * @node itself when it is in @state; else the node with the smallest
 * distance (the lowest number among equals).
 * Return: a node number, or NUMA_NO_NODE if @node is invalid or no node is
 * in @state.
 */
int numa_nearest_node(int node, unsigned int state);

/**
 * pxm_to_node() - the node of ACPI proximity domain @pxm
 * Return: the node, or NUMA_NO_NODE when the SRAT did not name @pxm.
 */
int pxm_to_node(int pxm);

/**
 * node_to_pxm() - the ACPI proximity domain of @node
 * Return: the domain, or -1 (PXM_INVAL) for the fallback node 0 made
 * without an SRAT and for nodes that do not exist.
 */
int node_to_pxm(int node);

/**
 * node_present_pages() - pages of RAM on @node, from the memory map
 * Return: the count (reservations included: it is the node's size); 0 for
 * a memoryless or unknown node.
 */
unsigned long node_present_pages(int node);

/**
 * numa_show() - print nodes, CPUs, memory ranges, the distance table and
 * the page allocator's per-node counters (page_alloc_numa_stats())
 *
 * The output of the `numastat` shell command.
 */
void numa_show(void);

/**
 * numa_show_meminfo() - per online node its memory size and free memory
 *
 * The per-node section of `meminfo`.
 */
void numa_show_meminfo(void);

/**
 * numa_init() - build the node maps from the SRAT and SLIT (x86)
 *
 * Called once on the boot CPU after the MADT has given CPU numbers their
 * APIC IDs and before the APs start.  Any SRAT or SLIT problem is logged
 * and leaves one node (or default distances): never a panic.
 */
void numa_init(void);

#endif /* _EXO_NUMA_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * x86 NUMA topology from ACPI: one node per SRAT proximity domain.
 *
 * numa_init() runs once on the boot CPU, after the MADT has numbered the
 * CPUs and before the APs start.  It either builds the whole topology from
 * a consistent SRAT (and SLIT) or none of it: any doubt (no SRAT, a
 * malformed one, RAM the SRAT does not place, CPUs it does not list) is
 * logged and leaves, or puts the affected part on, node 0.  The maps are
 * then read-only, so lookups take no lock.
 *
 * Nodes are numbered by ascending proximity domain, which makes node N
 * domain N on QEMU (-numa node,nodeid=N).  A node is possible when an
 * enabled SRAT entry names its domain; online when it has a possible CPU
 * (N_CPU) or RAM in the memory map (N_MEMORY).  A domain with hot-pluggable
 * memory only stays possible but offline.
 */
#define pr_fmt(fmt) "NUMA: " fmt

#include <exo/acpi.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <asm/smp.h>

/* Node 0 in every state until numa_init() says more: Linux's start too. */
nodemask_t node_states[NR_NODE_STATES] = {
	[N_POSSIBLE] = { { 1UL } },
	[N_ONLINE] = { { 1UL } },
	[N_MEMORY] = { { 1UL } },
	[N_CPU] = { { 1UL } },
};
EXPORT_SYMBOL_GPL(node_states);
int numa_cpu_node_map[NR_CPUS];
EXPORT_SYMBOL_GPL(numa_cpu_node_map);

static struct cpumask node_to_cpumask_map[MAX_NUMNODES];
static u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES] = { [0] = { [0] = LOCAL_DISTANCE } };
static int node_to_pxm_map[MAX_NUMNODES] = { [0 ... MAX_NUMNODES - 1] = -1 };
static unsigned int nr_numa_nodes = 1;
static bool numa_slit_used;
static struct srat_info srat __initdata;

const struct cpumask *cpumask_of_node(int node)
{
	static const struct cpumask none;

	return node >= 0 && node < MAX_NUMNODES ? &node_to_cpumask_map[node] : &none;
}
EXPORT_SYMBOL_GPL(cpumask_of_node);

int node_distance(int from, int to)
{
	if (!node_state(from, N_POSSIBLE) || !node_state(to, N_POSSIBLE))
		return 255;
	return numa_distance[from][to];
}
EXPORT_SYMBOL_GPL(node_distance);

int numa_nearest_node(int node, unsigned int state)
{
	int n, best = NUMA_NO_NODE, best_d = 256;

	if (!node_state(node, N_POSSIBLE) || state >= NR_NODE_STATES)
		return NUMA_NO_NODE;
	if (node_state(node, state))
		return node;
	for_each_node_state(n, state) {
		if (node_distance(node, n) < best_d) {
			best_d = node_distance(node, n);
			best = n;
		}
	}
	return best;
}
EXPORT_SYMBOL_GPL(numa_nearest_node);

int pxm_to_node(int pxm)
{
	for (unsigned int n = 0; n < nr_numa_nodes; n++)
		if (pxm >= 0 && node_to_pxm_map[n] == pxm)
			return n;
	return NUMA_NO_NODE;
}
EXPORT_SYMBOL_GPL(pxm_to_node);

int node_to_pxm(int node)
{
	return node_state(node, N_POSSIBLE) ? node_to_pxm_map[node] : -1;
}
EXPORT_SYMBOL_GPL(node_to_pxm);

unsigned long node_present_pages(int node)
{
	unsigned long start, end, pages = 0;
	int i;

	if (node < 0 || node >= MAX_NUMNODES)
		return 0;
	for_each_mem_pfn_range(i, node, &start, &end, NULL)
		pages += end - start;
	return pages;
}
EXPORT_SYMBOL_GPL(node_present_pages);

/* Bytes of [@base, @end) that no SRAT memory range covers. */
static u64 __init srat_uncovered(u64 base, u64 end)
{
	u64 pos = base, lost = 0;

	while (pos < end) {
		u64 next = end;
		bool covered = false;

		for (unsigned int i = 0; i < srat.nr_mems; i++) {
			const struct srat_mem *m = &srat.mems[i];

			if (m->base <= pos && pos < m->base + m->size) {
				pos = min(end, m->base + m->size);
				covered = true;
				break;
			}
			if (m->base > pos)
				next = min(next, m->base);
		}
		if (!covered) {
			lost += next - pos;
			pos = next;
		}
	}
	return lost;
}

static int __init srat_node_of_apic(u32 apic_id)
{
	for (unsigned int i = 0; i < srat.nr_cpus; i++)
		if (srat.cpus[i].apic_id == apic_id)
			return pxm_to_node(srat.cpus[i].pxm);
	return NUMA_NO_NODE;
}

/*
 * The SLIT's distances between the nodes, or the defaults when there is
 * none, it is malformed, or it does not cover every node's domain.
 */
static void __init numa_init_distances(void)
{
	const struct acpi_table_header *h = acpi_get_table("SLIT", 0);
	const struct acpi_table_slit *slit = (const void *)h;
	long n = h ? acpi_parse_slit(slit, h->length) : -ENOENT;

	for (unsigned int i = 0; i < MAX_NUMNODES; i++)
		for (unsigned int j = 0; j < MAX_NUMNODES; j++)
			numa_distance[i][j] = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	if (n < 0 || node_to_pxm_map[0] < 0)
		return;
	for (unsigned int i = 0; i < nr_numa_nodes; i++) {
		if ((u32)node_to_pxm_map[i] >= (u64)n) {
			pr_warn("SLIT has %ld localities, not domain %d's: default distances\n",
				n, node_to_pxm_map[i]);
			return;
		}
	}
	for (unsigned int i = 0; i < nr_numa_nodes; i++)
		for (unsigned int j = 0; j < nr_numa_nodes; j++)
			numa_distance[i][j] =
				slit->entry[(u64)node_to_pxm_map[i] * n + node_to_pxm_map[j]];
	numa_slit_used = true;
}

/* Nodes from the SRAT; on any error nothing global has changed but memblock nodes. */
static int __init numa_init_srat(void)
{
	const struct acpi_table_header *h = acpi_get_table("SRAT", 0);
	phys_addr_t base;
	u64 size, lost = 0;
	unsigned int cpu;
	int err;

	if (!h) {
		pr_info("no SRAT: one node\n");
		return -ENOENT;
	}
	err = acpi_parse_srat((const void *)h, h->length, &srat);
	if (err) {
		pr_err("unusable SRAT (%d): one node\n", err);
		return err;
	}
	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++)
		lost += srat_uncovered(base, base + size);
	/* As Linux: losing a whole MiB means the SRAT does not describe this machine. */
	if (lost >= (1ULL << 20)) {
		pr_err("SRAT leaves %llu KiB of RAM without a node: one node\n", lost >> 10);
		return -EINVAL;
	}
	nr_numa_nodes = srat.nr_pxms;
	for (unsigned int n = 0; n < nr_numa_nodes; n++)
		node_to_pxm_map[n] = srat.pxms[n];
	for (unsigned int i = 0; i < srat.nr_mems; i++) {
		const struct srat_mem *m = &srat.mems[i];

		err = memblock_set_node(m->base, m->size, pxm_to_node(m->pxm));
		if (err)
			return err;
	}
	for_each_possible_cpu(cpu) {
		int node = srat_node_of_apic(cpu_to_apicid(cpu));

		if (node == NUMA_NO_NODE) {
			pr_warn("CPU %u (APIC %u) is not in the SRAT: node 0\n", cpu,
				cpu_to_apicid(cpu));
			node = 0;
		}
		numa_cpu_node_map[cpu] = node;
	}
	return 0;
}

static void __init numa_init_single(void)
{
	unsigned int cpu;

	nr_numa_nodes = 1;
	node_to_pxm_map[0] = -1;
	memblock_set_node(0, MEMBLOCK_MAX_PHYS, 0);
	for_each_possible_cpu(cpu)
		numa_cpu_node_map[cpu] = 0;
}

/* "0-3,6" from the CPUs of @m. */
static void format_cpus(char *buf, size_t size, const struct cpumask *m)
{
	unsigned int cpu, start = NR_CPUS, prev = NR_CPUS;
	size_t used = 0;

	buf[0] = 0;
	for (cpu = 0; cpu <= NR_CPUS; cpu++) {
		bool set = cpu < NR_CPUS && cpumask_test_cpu(cpu, m);

		if (set && start == NR_CPUS)
			start = cpu;
		if (!set && start != NR_CPUS && used < size) {
			used += snprintf(buf + used, size - used, start == prev ? "%s%u" : "%s%u-%u",
					 used ? "," : "", start, prev);
			start = NR_CPUS;
		}
		prev = cpu;
	}
	if (!used)
		snprintf(buf, size, "none");
}

static void numa_show_node_line(int node)
{
	char cpus[64];

	format_cpus(cpus, sizeof(cpus), cpumask_of_node(node));
	printk(KERN_INFO "node %d: PXM %d, CPUs %s, %lu MiB%s%s\n", node, node_to_pxm(node), cpus,
	       node_present_pages(node) >> (20 - PAGE_SHIFT),
	       node_state(node, N_MEMORY) ? "" : " (memoryless)",
	       node_state(node, N_CPU) ? "" : " (CPU-less)");
}

/* The node states from the maps just built; one line per node. */
static void __init numa_register(void)
{
	unsigned long start, end;
	unsigned int cpu;
	int i, nid, node;

	for (unsigned int n = 0; n < nr_numa_nodes; n++)
		node_set(n, &node_states[N_POSSIBLE]);
	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid)
		node_set(nid, &node_states[N_MEMORY]);
	for_each_possible_cpu(cpu) {
		cpumask_set_cpu(cpu, &node_to_cpumask_map[cpu_to_node(cpu)]);
		node_set(cpu_to_node(cpu), &node_states[N_CPU]);
	}
	for_each_node(node) {
		if (node_state(node, N_MEMORY) || node_state(node, N_CPU))
			node_set(node, &node_states[N_ONLINE]);
		else
			pr_info("node %d (PXM %d): no CPU and no RAM yet, offline\n", node,
				node_to_pxm(node));
	}
	for_each_online_node(node)
		numa_show_node_line(node);
}

void __init numa_init(void)
{
	memset(node_states, 0, sizeof(node_states));
	memset(node_to_cpumask_map, 0, sizeof(node_to_cpumask_map));
	if (numa_init_srat())
		numa_init_single();
	numa_init_distances();
	numa_register();
	pr_info("%u node(s) online, distances from %s\n", num_online_nodes(),
		numa_slit_used ? "the SLIT" : "defaults (10 local, 20 remote)");
}

void numa_show(void)
{
	int from, to;
	char line[16 + 5 * MAX_NUMNODES];
	size_t used;

	printk(KERN_INFO "%u node(s) online, %u possible; topology from %s, distances from %s\n",
	       num_online_nodes(), nodes_weight(&node_possible_map),
	       node_to_pxm(0) >= 0 ? "the SRAT" : "no SRAT (one node)",
	       numa_slit_used ? "the SLIT" : "defaults");
	for_each_online_node(from) {
		unsigned long start, end;
		int i;

		numa_show_node_line(from);
		for_each_mem_pfn_range(i, from, &start, &end, NULL)
			printk(KERN_INFO "  [mem %#018llx-%#018llx]\n",
			       (unsigned long long)PFN_PHYS(start), (unsigned long long)PFN_PHYS(end) - 1);
	}
	used = snprintf(line, sizeof(line), "distance:");
	for_each_online_node(to)
		used += snprintf(line + used, sizeof(line) - used, " %4d", to);
	printk(KERN_INFO "%s\n", line);
	for_each_online_node(from) {
		used = snprintf(line, sizeof(line), "  node %3d:", from);
		for_each_online_node(to)
			used += snprintf(line + used, sizeof(line) - used, " %4d",
					 node_distance(from, to));
		printk(KERN_INFO "%s\n", line);
	}
	/* The page allocator's counters, as Linux's numastat(8) prints them. */
	printk(KERN_INFO "%-6s %12s %12s %12s %12s %12s\n", "node", "numa_hit", "numa_miss",
	       "numa_foreign", "local_node", "other_node");
	for_each_online_node(from) {
		struct numa_node_stats st;

		page_alloc_numa_stats(from, &st);
		printk(KERN_INFO "%-6d %12lu %12lu %12lu %12lu %12lu\n", from, st.numa_hit,
		       st.numa_miss, st.numa_foreign, st.local_node, st.other_node);
	}
}

void numa_show_meminfo(void)
{
	int node;

	for_each_online_node(node) {
		printk(KERN_INFO "Node %d MemTotal: %lu kB\n", node,
		       node_present_pages(node) << (PAGE_SHIFT - 10));
		printk(KERN_INFO "Node %d MemFree:  %lu kB (page allocator node %d)\n", node,
		       node_free_pages(node) << (PAGE_SHIFT - 10), numa_node_mem(node));
	}
}

static int cmd_numastat(int argc, char **argv)
{
	numa_show();
	return 0;
}
DEFINE_SHELL_CMD(numastat, "NUMA nodes: CPUs, memory, distances, allocation counters",
		 cmd_numastat);

// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA tests: the SRAT and SLIT parsers on forged tables (good ones, and
 * each way a table can be broken), the invariants of the node maps on any
 * machine, and the topology QEMU was told to build.
 *
 * make check boots QEMU with -numa options and passes what they say as
 *
 *	numa_test_expect=<node of CPU 0>,<node of CPU 1>,.../<MiB of node 0>,.../<distances>
 *
 * the distances row-major over the online nodes (e.g. 2 nodes without a
 * SLIT: "0,0,1,1/256,256/10,20,20,10").  A node's memory counts as
 * expected when it is within 2 MiB below the backend's size: node 0 loses
 * the legacy hole below 1 MiB, and firmware reserves a few pages.
 */
#include <exo/acpi.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/ktest.h>
#include <exo/memblock.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/shell.h>
#include <exo/smp.h>
#include <exo/string.h>

/* Room for the nodes of 256 CPUs ("0,0,...,3": 512 bytes) and the rest. */
static char expect[1024];

static int __init numa_expect_setup(const char *val)
{
	if (strlen(val) >= sizeof(expect))
		return -EINVAL;
	memcpy(expect, val, strlen(val) + 1);
	return 0;
}
__setup_desc("numa_test_expect=", numa_expect_setup,
	     "CPU nodes/node MiB/distances, each a comma list");

/* ---- forged tables ---- */

struct forge {
	u8 buf[4096];
	size_t len;
};

static struct forge f;
static struct srat_info info;

static void forge_init(const char *sig, size_t hdr_len, u8 rev)
{
	struct acpi_table_header *h = (void *)f.buf;

	memset(&f, 0, sizeof(f));
	memcpy(h->signature, sig, 4);
	h->revision = rev;
	f.len = hdr_len;
}

static void forge_add(const void *e, size_t len)
{
	BUG_ON(f.len + len > sizeof(f.buf));
	memcpy(f.buf + f.len, e, len);
	f.len += len;
}

static const void *forge_done(void)
{
	struct acpi_table_header *h = (void *)f.buf;
	u8 sum = 0;

	h->length = f.len;
	h->checksum = 0;
	for (size_t i = 0; i < f.len; i++)
		sum += f.buf[i];
	h->checksum = -sum;
	return f.buf;
}

static void srat_init(u8 rev)
{
	forge_init("SRAT", sizeof(struct acpi_table_srat), rev);
}

/* Processor local APIC affinity (type 0, 16 bytes). */
static void srat_cpu(u8 apic_id, u32 pxm, u32 flags)
{
	u8 e[16] = { 0, 16, pxm & 0xff, apic_id };

	memcpy(e + 4, &flags, 4);
	e[9] = pxm >> 8;
	e[10] = pxm >> 16;
	e[11] = pxm >> 24;
	forge_add(e, sizeof(e));
}

/* x2APIC affinity (type 2, 24 bytes). */
static void srat_x2apic(u32 apic_id, u32 pxm, u32 flags)
{
	u8 e[24] = { 2, 24 };

	memcpy(e + 4, &pxm, 4);
	memcpy(e + 8, &apic_id, 4);
	memcpy(e + 12, &flags, 4);
	forge_add(e, sizeof(e));
}

/* Memory affinity (type 1, 40 bytes). */
static void srat_mem(u64 base, u64 size, u32 pxm, u32 flags)
{
	u8 e[40] = { 1, 40 };

	memcpy(e + 2, &pxm, 4);
	memcpy(e + 8, &base, 8);
	memcpy(e + 16, &size, 8);
	memcpy(e + 28, &flags, 4);
	forge_add(e, sizeof(e));
}

static int parse_srat(void)
{
	const struct acpi_table_srat *s = forge_done();

	return acpi_parse_srat(s, f.len, &info);
}

static void test_srat_good(struct ktest *t)
{
	u8 unknown[8] = { 0x7f, 8 };

	srat_init(3);
	srat_cpu(0, 0, ACPI_SRAT_CPU_ENABLED);
	srat_cpu(1, 0x10002, ACPI_SRAT_CPU_ENABLED);		/* rev 3: 32-bit domain */
	srat_cpu(2, 5, 0);					/* disabled */
	srat_cpu(0, 0, ACPI_SRAT_CPU_ENABLED);			/* repeated: one CPU */
	srat_x2apic(300, 1, ACPI_SRAT_CPU_ENABLED);
	srat_mem(0, 0xa0000, 0, ACPI_SRAT_MEM_ENABLED);
	srat_mem(1 << 20, 255 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	srat_mem(256 << 20, 256 << 20, 1, ACPI_SRAT_MEM_ENABLED);
	srat_mem(1ULL << 32, 1ULL << 30, 7, ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_HOT_PLUGGABLE);
	srat_mem(0, 0, 0, 0);					/* QEMU's padding */
	forge_add(unknown, sizeof(unknown));
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_ASSERT_EQ(t, info.nr_cpus, 3);
	KTEST_EXPECT_EQ(t, info.cpus[1].pxm, 0x10002);
	KTEST_EXPECT_EQ(t, info.cpus[2].apic_id, 300);
	KTEST_EXPECT_EQ(t, info.cpus[2].pxm, 1);
	KTEST_EXPECT_EQ(t, info.nr_disabled, 2);
	KTEST_ASSERT_EQ(t, info.nr_mems, 4);
	KTEST_EXPECT_EQ(t, info.mems[3].base, 1ULL << 32);
	KTEST_EXPECT_EQ(t, info.mems[3].flags & ACPI_SRAT_MEM_HOT_PLUGGABLE,
			ACPI_SRAT_MEM_HOT_PLUGGABLE);
	/* Distinct domains, ascending. */
	KTEST_ASSERT_EQ(t, info.nr_pxms, 4);
	KTEST_EXPECT_EQ(t, info.pxms[0], 0);
	KTEST_EXPECT_EQ(t, info.pxms[1], 1);
	KTEST_EXPECT_EQ(t, info.pxms[2], 7);
	KTEST_EXPECT_EQ(t, info.pxms[3], 0x10002);

	/* Before revision 2 only the low 8 bits name a domain. */
	srat_init(1);
	srat_cpu(0, 0x302, ACPI_SRAT_CPU_ENABLED);
	srat_mem(0, 1 << 20, 0x104, ACPI_SRAT_MEM_ENABLED);
	KTEST_ASSERT_EQ(t, parse_srat(), 0);
	KTEST_EXPECT_EQ(t, info.cpus[0].pxm, 2);
	KTEST_EXPECT_EQ(t, info.mems[0].pxm, 4);
}

static void test_srat_malformed(struct ktest *t)
{
	const struct acpi_table_srat *s;
	u8 e[4] = { 0, 4 };

	srat_init(3);
	srat_cpu(0, 0, ACPI_SRAT_CPU_ENABLED);
	s = forge_done();
	f.buf[f.len - 1] ^= 1;					/* checksum */
	KTEST_EXPECT_EQ(t, acpi_parse_srat(s, f.len, &info), -EINVAL);
	s = forge_done();
	KTEST_EXPECT_EQ(t, acpi_parse_srat(s, f.len - 1, &info), -EINVAL);	/* truncated */
	KTEST_EXPECT_EQ(t, acpi_parse_srat(s, 20, &info), -EINVAL);
	memcpy(f.buf, "SRAX", 4);
	s = forge_done();
	KTEST_EXPECT_EQ(t, acpi_parse_srat(s, f.len, &info), -EINVAL);

	srat_init(3);
	forge_add(e, sizeof(e));				/* CPU entry 4 bytes long */
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);
	srat_cpu(0, 0, ACPI_SRAT_CPU_ENABLED);
	f.buf[f.len - 16 + 1] = 200;				/* overruns the table */
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	f.buf[f.len - 16 + 1] = 0;				/* zero length */
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);

	srat_init(3);						/* nothing enabled */
	srat_cpu(0, 0, 0);
	srat_mem(0, 1 << 20, 0, 0);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);						/* one APIC, two domains */
	srat_cpu(0, 0, ACPI_SRAT_CPU_ENABLED);
	srat_x2apic(0, 1, ACPI_SRAT_CPU_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);						/* overlap across domains */
	srat_mem(0, 2 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	srat_mem(1 << 20, 2 << 20, 1, ACPI_SRAT_MEM_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);						/* same domain: fine */
	srat_mem(0, 2 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	srat_mem(1 << 20, 2 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), 0);
	srat_init(3);						/* wraps */
	srat_mem(~0ULL << 20, 2 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);						/* beyond 2^52 */
	srat_mem(1ULL << 52, 1 << 20, 0, ACPI_SRAT_MEM_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);						/* too many domains */
	for (u32 i = 0; i <= SRAT_MAX_PXMS && i < NR_CPUS; i++)
		srat_x2apic(i, i, ACPI_SRAT_CPU_ENABLED);
	if (NR_CPUS > SRAT_MAX_PXMS)
		KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
	srat_init(3);
	for (u32 i = 0; i <= SRAT_MAX_PXMS; i++)
		srat_mem((u64)i << 21, 1 << 20, i, ACPI_SRAT_MEM_ENABLED);
	KTEST_EXPECT_EQ(t, parse_srat(), -EINVAL);
}

static long parse_slit(unsigned int n, const u8 *d, size_t len_adjust)
{
	u64 count = n;

	forge_init("SLIT", sizeof(struct acpi_table_slit), 1);
	memcpy(f.buf + offsetof(struct acpi_table_slit, locality_count), &count, 8);
	forge_add(d, (size_t)n * n - len_adjust);
	return acpi_parse_slit(forge_done(), f.len);
}

static void test_slit(struct ktest *t)
{
	static const u8 two[] = { 10, 21, 21, 10 };
	static const u8 three[] = { 10, 15, 255, 15, 10, 20, 255, 20, 10 };
	static const u8 bad_diag[] = { 10, 21, 21, 11 };
	static const u8 bad_near[] = { 10, 10, 21, 10 };
	u64 huge = 1ULL << 32;

	KTEST_EXPECT_EQ(t, parse_slit(2, two, 0), 2);
	KTEST_EXPECT_EQ(t, parse_slit(3, three, 0), 3);	/* 255: unreachable */
	KTEST_EXPECT_EQ(t, parse_slit(2, bad_diag, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_slit(2, bad_near, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, parse_slit(2, two, 1), -EINVAL);	/* matrix cut short */
	KTEST_EXPECT_EQ(t, parse_slit(0, two, 0), -EINVAL);
	parse_slit(2, two, 0);
	memcpy(f.buf + offsetof(struct acpi_table_slit, locality_count), &huge, 8);
	KTEST_EXPECT_EQ(t, acpi_parse_slit(forge_done(), f.len), -EINVAL);
	parse_slit(2, two, 0);
	f.buf[10] ^= 1;					/* checksum no longer right */
	KTEST_EXPECT_EQ(t, acpi_parse_slit((const void *)f.buf, f.len), -EINVAL);
	KTEST_EXPECT_EQ(t, acpi_parse_slit((const void *)f.buf, 30), -EINVAL);
}

/* ---- this machine ---- */

/* Whatever the firmware said, the maps agree with each other. */
static void test_topology_consistent(struct ktest *t)
{
	unsigned long pages = 0, start, end;
	unsigned int cpu, n = 0;
	int node, other, i, nid;

	KTEST_EXPECT_TRUE(t, node_online(0));
	for_each_online_node(node) {
		n++;
		KTEST_EXPECT_TRUE(t, node_state(node, N_POSSIBLE));
		KTEST_EXPECT_TRUE(t, node_state(node, N_MEMORY) || node_state(node, N_CPU));
		KTEST_EXPECT_EQ(t, node_state(node, N_MEMORY), node_present_pages(node) > 0);
		KTEST_EXPECT_EQ(t, node_state(node, N_CPU), !cpumask_empty(cpumask_of_node(node)));
		KTEST_EXPECT_EQ(t, node_distance(node, node), LOCAL_DISTANCE);
		for_each_online_node(other)
			if (other != node)
				KTEST_EXPECT_GT(t, node_distance(node, other), LOCAL_DISTANCE);
		if (node_to_pxm(node) >= 0)
			KTEST_EXPECT_EQ(t, pxm_to_node(node_to_pxm(node)), node);
		pages += node_present_pages(node);
		/* A memoryless node's CPUs get RAM from the nearest node that has some. */
		nid = numa_nearest_node(node, N_MEMORY);
		KTEST_ASSERT_TRUE(t, node_state(nid, N_MEMORY));
		for_each_node_state(other, N_MEMORY)
			KTEST_EXPECT_LE(t, node_distance(node, nid), node_distance(node, other));
	}
	KTEST_EXPECT_EQ(t, n, num_online_nodes());
	for_each_possible_cpu(cpu) {
		KTEST_EXPECT_TRUE(t, node_online(cpu_to_node(cpu)));
		KTEST_EXPECT_TRUE(t, cpumask_test_cpu(cpu, cpumask_of_node(cpu_to_node(cpu))));
	}
	/* Every page of RAM is on exactly one online node. */
	n = 0;
	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid) {
		KTEST_EXPECT_TRUE(t, node_online(nid));
		n += end - start;
	}
	KTEST_EXPECT_EQ(t, pages, n);
	KTEST_EXPECT_EQ(t, pages, memblock_phys_mem_size() >> PAGE_SHIFT);
	/* Bad numbers answer, never crash. */
	KTEST_EXPECT_EQ(t, cpu_to_node(NR_CPUS), NUMA_NO_NODE);
	KTEST_EXPECT_EQ(t, node_distance(0, MAX_NUMNODES), 255);
	KTEST_EXPECT_EQ(t, node_distance(-1, 0), 255);
	KTEST_EXPECT_EQ(t, numa_nearest_node(MAX_NUMNODES, N_MEMORY), NUMA_NO_NODE);
	KTEST_EXPECT_EQ(t, pxm_to_node(-1), NUMA_NO_NODE);
	KTEST_EXPECT_EQ(t, node_to_pxm(MAX_NUMNODES), -1);
	KTEST_EXPECT_EQ(t, node_present_pages(-1), 0);
	KTEST_EXPECT_TRUE(t, cpumask_empty(cpumask_of_node(MAX_NUMNODES)));
	KTEST_EXPECT_EQ(t, memblock_get_region_node(MEMBLOCK_MAX_REGIONS), NUMA_NO_NODE);
	KTEST_EXPECT_EQ(t, memblock_set_node(0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, memblock_set_node(0, PAGE_SIZE, MAX_NUMNODES), -EINVAL);
	KTEST_EXPECT_EQ(t, memblock_set_node(~0ULL - PAGE_SIZE, 2 * PAGE_SIZE, 0), -EINVAL);
}

/* Next number of a comma list in *@s; false at its end ('/' or NUL). */
static bool next_num(const char **s, unsigned long *v)
{
	char num[24];
	size_t n = 0;

	if (!**s || **s == '/')
		return false;
	while (**s && **s != ',' && **s != '/' && n + 1 < sizeof(num))
		num[n++] = *(*s)++;
	num[n] = 0;
	if (**s == ',')
		(*s)++;
	return !kstrtoul(num, 10, v);
}

static void skip_field(const char **s)
{
	while (**s && **s != '/')
		(*s)++;
	if (**s == '/')
		(*s)++;
}

/* The topology the QEMU command line asked for (numa_test_expect=). */
static void test_topology_expected(struct ktest *t)
{
	const char *s = expect;
	unsigned long v;
	unsigned int cpu = 0, nodes = 0;
	int from = -1, to = -1;

	if (!expect[0])
		KTEST_SKIP(t, "no numa_test_expect= on the command line");
	for (; next_num(&s, &v); cpu++) {
		KTEST_EXPECT_TRUE(t, cpu_possible(cpu));
		KTEST_EXPECT_EQ(t, cpu_to_node(cpu), v);
	}
	KTEST_EXPECT_EQ(t, cpu, nr_cpu_ids);
	skip_field(&s);
	for (; next_num(&s, &v); nodes++) {
		unsigned long mib = node_present_pages(nodes) >> (20 - PAGE_SHIFT);

		KTEST_EXPECT_TRUE(t, node_online(nodes));
		KTEST_EXPECT_EQ(t, node_state(nodes, N_MEMORY), v != 0);
		KTEST_EXPECT_LE(t, mib, v);
		KTEST_EXPECT_GE(t, mib + 2, v);
		KTEST_EXPECT_EQ(t, node_to_pxm(nodes), nodes);	/* QEMU: domain = nodeid */
	}
	KTEST_EXPECT_EQ(t, nodes, num_online_nodes());
	skip_field(&s);
	KTEST_ASSERT_GT(t, nodes, 0);
	for (unsigned int k = 0; next_num(&s, &v); k++) {
		from = k / nodes;
		to = k % nodes;
		KTEST_EXPECT_EQ(t, node_distance(from, to), v);
	}
	KTEST_EXPECT_EQ(t, from, (int)nodes - 1);
	KTEST_EXPECT_EQ(t, to, (int)nodes - 1);
}

/* The shell commands print the topology (seen in the boot log) and succeed. */
static void test_numastat_command(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, shell_run_command("numastat"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("numastat extra"), -EINVAL);
	KTEST_EXPECT_EQ(t, shell_run_command("meminfo"), 0);	/* with its node lines */
}

static struct ktest_case numa_cases[] = {
	KTEST_CASE(test_srat_good),
	KTEST_CASE(test_srat_malformed),
	KTEST_CASE(test_slit),
	KTEST_CASE(test_topology_consistent),
	KTEST_CASE(test_topology_expected),
	KTEST_CASE(test_numastat_command),
	{}
};

static struct ktest_suite numa_suite = {
	.name = "numa",
	.cases = numa_cases,
};
KTEST_SUITE(numa_suite);

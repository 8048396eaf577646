// SPDX-License-Identifier: GPL-2.0
/*
 * Placement of per-node and per-CPU memory (the numa_place suite): each
 * CPU's per-CPU area (with its IST stacks), its boot/idle stack and the
 * stacks of threads bound to it lie on its memory node (the nearest node
 * with memory for a CPU of a memoryless node).  On one node everything is
 * on node 0 and the checks hold trivially; make check runs the suite in
 * the NUMA boots (Documentation/mm/numa.rst).
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/percpu.h>
#include <exo/pgtable.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <asm/smp.h>

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_bsp[];

/* The node a CPU's memory must come from (independent of cpu_to_mem()). */
static int want_node(unsigned int cpu)
{
	return numa_nearest_node(cpu_to_node(cpu), N_MEMORY);
}

/* Node of the frame behind a mapped kernel address, or NUMA_NO_NODE. */
static int node_of_va(unsigned long va)
{
	phys_addr_t pa;

	if (translate(va, &pa))
		return NUMA_NO_NODE;
	return page_to_nid(phys_to_page(pa));
}

/* Are all pages of [@va, @va + @size) on @nid?  Logs the first that is not. */
static bool range_on_node(struct ktest *t, const char *what, unsigned int cpu,
			  unsigned long va, size_t size, int nid)
{
	for (unsigned long p = va & PAGE_MASK; p < va + size; p += PAGE_SIZE) {
		int n = node_of_va(p);

		if (n != nid) {
			ktest_log(t, "CPU %u: %s page %#lx on node %d, not %d", cpu, what, p, n,
				  nid);
			return false;
		}
	}
	return true;
}

/*
 * Every AP's per-CPU area (its IST stacks included) is on its memory
 * node; the boot CPU's is the image's .bss copy.
 */
static void test_percpu_areas(struct ktest *t)
{
	size_t bytes = __per_cpu_end - __per_cpu_start;
	unsigned int cpu;

	KTEST_EXPECT_EQ(t, __per_cpu_offset[0], (unsigned long)__per_cpu_bsp);
	for_each_possible_cpu(cpu) {
		if (!cpu)
			continue;
		KTEST_ASSERT_NE(t, __per_cpu_offset[cpu], 0UL);
		KTEST_EXPECT_TRUE(t, range_on_node(t, "per-CPU area", cpu, __per_cpu_offset[cpu],
						   bytes, want_node(cpu)));
		KTEST_EXPECT_EQ(t, cpu_to_mem(cpu), want_node(cpu));
	}
	KTEST_EXPECT_EQ(t, cpu_to_mem(NR_CPUS), NUMA_NO_NODE);
}

/* The stack each AP started on (its idle thread's) is on its memory node. */
static void test_boot_stacks(struct ktest *t)
{
	unsigned int cpu;

	KTEST_EXPECT_NULL(t, smp_boot_stack(0));
	KTEST_EXPECT_NULL(t, smp_boot_stack(NR_CPUS));
	for_each_online_cpu(cpu) {
		void *stack = smp_boot_stack(cpu);

		if (!cpu)
			continue;
		KTEST_ASSERT_NOT_NULL(t, stack);
		KTEST_EXPECT_TRUE(t, range_on_node(t, "boot stack", cpu, (unsigned long)stack,
						   KTHREAD_STACK_SIZE, want_node(cpu)));
	}
}

struct bound_run {
	unsigned int cpu;
	int ran_on;
};

static int bound_fn(void *arg)
{
	struct bound_run *r = arg;

	r->ran_on = smp_processor_id();
	return 0;
}

/*
 * A thread bound to a CPU before it runs gets its stack on that CPU's
 * memory node, wherever it was created, and runs there.
 */
static void test_bound_thread_stacks(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct bound_run r = { .cpu = cpu, .ran_on = -1 };
		struct task_struct *k = kthread_create(bound_fn, &r, "numa_place/%u", cpu);

		KTEST_ASSERT_NOT_NULL(t, k);
		KTEST_ASSERT_EQ(t, kthread_bind(k, cpu), 0);
		KTEST_EXPECT_TRUE(t, range_on_node(t, "bound thread stack", cpu,
						   (unsigned long)k->stack, k->stack_size,
						   want_node(cpu)));
		wake_up_process(k);
		KTEST_EXPECT_EQ(t, kthread_join(k), 0);
		KTEST_EXPECT_EQ(t, r.ran_on, (int)cpu);
	}
}

/* alloc_kernel_stack_node() on every node; offline nodes refused. */
static void test_stack_node_api(struct ktest *t)
{
	const size_t size = 4 * PAGE_SIZE;
	void *s;
	int nid;

	for_each_online_node(nid) {
		s = alloc_kernel_stack_node(size, nid, NULL);
		KTEST_ASSERT_NOT_NULL(t, s);
		KTEST_EXPECT_TRUE(t, range_on_node(t, "stack", smp_processor_id(),
						   (unsigned long)s, size,
						   numa_nearest_node(nid, N_MEMORY)));
		free_kernel_stack(s, size);
	}
	s = alloc_kernel_stack_node(size, NUMA_NO_NODE, NULL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_TRUE(t, range_on_node(t, "stack", smp_processor_id(), (unsigned long)s,
					   size, numa_mem_id()));
	free_kernel_stack(s, size);
	KTEST_EXPECT_NULL(t, alloc_kernel_stack_node(size, MAX_NUMNODES, NULL));
	KTEST_EXPECT_NULL(t, alloc_kernel_stack_node(size, -2, NULL));
	KTEST_EXPECT_NULL(t, alloc_kernel_stack_node(size, MAX_NUMNODES - 1, NULL));
	KTEST_EXPECT_NULL(t, alloc_kernel_stack_node(size + 1, 0, NULL));
}

/*
 * Each memory node's allocator descriptor and zones (free areas, counts)
 * lie on that node; a memoryless node has none and uses its nearest
 * memory node's.
 */
static void test_node_data(struct ktest *t)
{
	unsigned int cpu = smp_processor_id(), found = 0;
	const struct zone *ref = NULL;
	struct node_data_place p;
	int nid, r;

	for_each_online_node(nid) {
		KTEST_EXPECT_EQ(t, page_alloc_node_data(numa_node_mem(nid), &p), 0);
		r = page_alloc_node_data(nid, &p);
		if (!node_state(nid, N_MEMORY)) {
			KTEST_EXPECT_EQ(t, r, -ENOENT);
			continue;
		}
		if (r == -ENOENT)	/* one allocator node manages every node's memory */
			continue;
		KTEST_ASSERT_EQ(t, r, 0);
		found++;
		ktest_log(t, "node %d: descriptor %#lx, zones %#lx", nid, (unsigned long)p.pgdat,
			  (unsigned long)p.zones);
		KTEST_EXPECT_TRUE(t, range_on_node(t, "node descriptor", cpu,
						   (unsigned long)p.pgdat, p.pgdat_size, nid));
		KTEST_EXPECT_TRUE(t, range_on_node(t, "node zones", cpu, (unsigned long)p.zones,
						   p.zones_size, nid));
		/* A moved zone's lock keeps zone_init()'s class and name (the first node's). */
		for (const struct zone *z = p.zones;
		     (const char *)(z + 1) <= (const char *)p.zones + p.zones_size; z++) {
			if (!ref)
				ref = z;
#ifdef CONFIG_LOCKDEP
			KTEST_EXPECT_EQ(t, (unsigned long)z->lock.key, (unsigned long)ref->lock.key);
#endif
#ifdef CONFIG_DEBUG_SPINLOCK
			KTEST_EXPECT_EQ(t, strcmp(z->lock.name, ref->lock.name), 0);
#endif
		}
	}
	KTEST_EXPECT_GT(t, found, 0u);
	KTEST_EXPECT_EQ(t, page_alloc_node_data(NUMA_NO_NODE, &p), -EINVAL);
	KTEST_EXPECT_EQ(t, page_alloc_node_data(MAX_NUMNODES, &p), -EINVAL);
}

static struct ktest_case numa_place_cases[] = {
	KTEST_CASE(test_percpu_areas),
	KTEST_CASE(test_boot_stacks),
	KTEST_CASE(test_bound_thread_stacks),
	KTEST_CASE(test_stack_node_api),
	KTEST_CASE(test_node_data),
	{}
};

static struct ktest_suite numa_place_suite = {
	.name = "numa_place",
	.cases = numa_place_cases,
};
KTEST_SUITE(numa_place_suite);

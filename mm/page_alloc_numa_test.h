/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the numa_alloc suite's files: mm/page_alloc_numa_test.c (the
 * page allocator's node placement, and the suite) and mm/slab_numa_test.c
 * (the slab's node layer).
 */
#ifndef _MM_PAGE_ALLOC_NUMA_TEST_H
#define _MM_PAGE_ALLOC_NUMA_TEST_H

#include <exo/errno.h>
#include <exo/kthread.h>
#include <exo/ktest.h>
#include <exo/numa.h>
#include <exo/page_alloc.h>
#include <exo/sched.h>
#include <exo/smp.h>

#define FALLBACK_TRIES	16	/* probes before an exhausted node counts as refilled for good */

/* Where a CPU's allocations must come from: its node, or the nearest with memory. */
static inline int mem_node_of_cpu(unsigned int cpu)
{
	return numa_nearest_node(cpu_to_node(cpu), N_MEMORY);
}

/* Run @fn(@arg) on @cpu and wait for it. */
static inline int run_on(unsigned int cpu, int (*fn)(void *), void *arg)
{
	struct task_struct *t = kthread_create(fn, arg, "numa_alloc/%u", cpu);

	if (!t)
		return -ENOMEM;
	if (kthread_bind(t, cpu)) {
		wake_up_process(t);
		kthread_join(t);
		return -EINVAL;
	}
	wake_up_process(t);
	return kthread_join(t);
}

/* Keep the order-@order block @p on the list @head. */
static inline void hold_block(void **head, struct page *p, unsigned int order)
{
	unsigned long *blk = page_address(p);

	blk[0] = (unsigned long)*head;
	blk[1] = order;
	*head = blk;
}

/* Take every free block of node @nid onto the list @head; returns the pages taken. */
static inline unsigned long exhaust_into(int nid, void **head)
{
	unsigned long pages = 0;

	for (int order = MAX_ORDER; order >= 0; order--) {
		struct page *p;

		while ((p = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN,
					     order))) {
			hold_block(head, p, order);
			pages += 1UL << order;
		}
	}
	return pages;
}

static inline void restore_node(void *head)
{
	while (head) {
		unsigned long *blk = head;

		head = (void *)blk[0];
		__free_pages(virt_to_page(blk), blk[1]);
	}
}

/* mm/slab_numa_test.c */
void test_kmalloc_node(struct ktest *t);
void test_kmem_cache_alloc_node(struct ktest *t);
void test_kmalloc_remote_free(struct ktest *t);
void test_kmem_cache_node_oom(struct ktest *t);
void test_slab_numa_key(struct ktest *t);
void test_slab_remote_fast_free(struct ktest *t);
void test_slab_node_lists(struct ktest *t);
void test_slab_empty_keep_per_node(struct ktest *t);
void test_node_full_noretry(struct ktest *t);

#endif /* _MM_PAGE_ALLOC_NUMA_TEST_H */

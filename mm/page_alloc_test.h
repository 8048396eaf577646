/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers of the frame allocator (mm/buddy_test.c), for its tests
 * (mm/page_alloc_test.c) and fuzzer (tests/fuzz/fuzz_page_alloc.c).
 */
#ifndef _MM_PAGE_ALLOC_TEST_H
#define _MM_PAGE_ALLOC_TEST_H

#include "internal.h"

/*
 * Isolated instances for tests: a private zone over one block taken from
 * the system allocator, driven by the same code as the system allocator
 * (per-CPU cache fast path included).  Single-threaded use only.
 */
struct buddy_test_instance {
	struct page_allocator pa;
	struct per_cpu_pageset pageset;
	unsigned long base_pfn;
	unsigned int order;
};

/**
 * buddy_test_init() - carve an instance out of the system allocator
 * @bi: instance to set up
 * @order: its size, 2^@order frames (<= MAX_ORDER)
 *
 * Return: 0, or -ENOMEM if no block of that order is free, -EINVAL for a
 * bad order.
 */
int buddy_test_init(struct buddy_test_instance *bi, unsigned int order);

/**
 * buddy_test_destroy() - give the instance's block back
 * @bi: an instance whose frames were all freed
 *
 * Return: 0, or -EBUSY (and the block is leaked) if frames are still
 * allocated.
 */
int buddy_test_destroy(struct buddy_test_instance *bi);

int buddy_test_alloc_frame(struct buddy_test_instance *bi, phys_addr_t *frame);
int buddy_test_free_frame(struct buddy_test_instance *bi, phys_addr_t frame);
int buddy_test_alloc_contiguous(struct buddy_test_instance *bi, size_t count,
				phys_addr_t *base);
int buddy_test_free_contiguous(struct buddy_test_instance *bi, phys_addr_t base,
			       size_t count);
/* Empty the instance's cache into its zone. */
void buddy_test_drain(struct buddy_test_instance *bi);
/* Free pages in the instance (free lists + cache). */
unsigned long buddy_test_nr_free(struct buddy_test_instance *bi);
void buddy_test_fingerprint(struct buddy_test_instance *bi, struct free_area_fingerprint *fp);
unsigned long buddy_test_check(struct buddy_test_instance *bi);
/* The instance's event counters (allocs includes cache hits). */
void buddy_test_stats(struct buddy_test_instance *bi, struct page_alloc_cpu_stats *st);
/* Blocks of order @order currently in the instance's cache. */
unsigned int buddy_test_pcp_count(struct buddy_test_instance *bi, unsigned int order);

#endif /* _MM_PAGE_ALLOC_TEST_H */

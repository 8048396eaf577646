/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers of the frame allocator (mm/buddy_test.c), for its tests
 * (mm/page_alloc_test.c) and fuzzer (tests/fuzz/fuzz_page_alloc.c).
 */
#ifndef _MM_PAGE_ALLOC_TEST_H
#define _MM_PAGE_ALLOC_TEST_H

#include <exo/string.h>

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

/* ---------------------------------------------------------------------
 * Shared by the page_alloc suite's files
 */
struct ktest;

/* xorshift64*: deterministic, cheap, good enough for test sequences. */
static inline u64 rnd_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline unsigned long rnd_below(u64 *s, unsigned long n)
{
	return (unsigned long)(rnd_next(s) % n);
}

static inline bool fp_equal(const struct free_area_fingerprint *a, const struct free_area_fingerprint *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * Drain every cache we can reach so the free lists are the whole story:
 * every CPU's rings and the slab's large-block caches (the drain hook),
 * which nr_free_pages() does not count and a failed allocation empties.
 */
static inline void settle(void)
{
	drain_all_pages();
}

/* mm/page_alloc_stress_test.c */
void test_pcp_drain_runs(struct ktest *t);
void test_pcp_drain_shuffled(struct ktest *t);
void test_pcp_local_mark(struct ktest *t);
void test_pcp_local_mark_smp(struct ktest *t);
void test_random_sequence(struct ktest *t);
void test_smp_stress(struct ktest *t);
void test_double_free_race(struct ktest *t);
void test_split_free_race(struct ktest *t);

/* mm/page_alloc_init_test.c */
void test_memblock_reservations(struct ktest *t);
#ifdef __HOSTED__
void test_memblock_sanitise(struct ktest *t);
void test_percpu_area_copy(struct ktest *t);
void test_init_16g(struct ktest *t);
#endif

#endif /* _MM_PAGE_ALLOC_TEST_H */

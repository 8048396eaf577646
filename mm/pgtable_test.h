/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the page-table tests share: mm/pgtable_test.c (the suite, single
 * pages, address spaces), mm/pgtable_huge_test.c (huge pages, splits,
 * ranges) and mm/pgtable_race_test.c (races).
 */
#ifndef _MM_PGTABLE_TEST_H
#define _MM_PGTABLE_TEST_H

#include <exo/ktest.h>
#include <exo/list.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#define SEED_VA		0x10000000UL		/* the seed's test_page_mapping */
#define LOW_VA		0x0000004000000000UL	/* 256 GiB, 1 GiB aligned, lower half */
#define KERN_VA		0xffffe00000000000UL	/* unused corner of the vmalloc area */
#define FAKE_PA		0x0000004000000000ULL	/* never accessed: translate only */

struct baseline {
	unsigned long tables, free;
};

/*
 * Every CPU's caches drained (drain_all_pages(): the slab's large-block
 * caches too, which nr_free_pages() does not count and which any failed
 * allocation empties), so that the free count is comparable afterwards.
 */
static inline void baseline_take(struct baseline *b)
{
	drain_all_pages();
	b->tables = nr_pgtable_pages();
	b->free = nr_free_pages();
}

#define EXPECT_BASELINE(t, b) do {					\
	drain_all_pages();						\
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), (b)->tables);		\
	KTEST_EXPECT_EQ(t, nr_free_pages(), (b)->free);			\
} while (0)

struct leaf_info {
	unsigned long size;
	pgflags_t flags;
	int n;
};

static inline int leaf_cb(const struct pt_leaf *l, void *arg)
{
	struct leaf_info *li = arg;

	li->size = l->size;
	li->flags = pte_pgflags(l->entry, l->size);
	li->n++;
	return 0;
}

/* The leaf mapping @va in @mm: its size and flags (n == 0: none). */
static inline struct leaf_info leaf_of(struct mm_struct *mm, unsigned long va)
{
	struct leaf_info li = { 0, 0, 0 };

	mm_walk(mm, va, va + 1, leaf_cb, &li);
	return li;
}

static inline int count_cb(const struct pt_leaf *l, void *arg)
{
	unsigned long *n = arg;

	(*n)++;
	return 0;
}

static inline unsigned long count_leaves(struct mm_struct *mm, unsigned long start,
					 unsigned long end)
{
	unsigned long n = 0;

	mm_walk(mm, start, end, count_cb, &n);
	return n;
}

/* Take every free frame (linked through struct page): maps then find no table frames. */
static inline unsigned long exhaust(struct list_head *held)
{
	unsigned long n = 0;
	phys_addr_t pa;

	drain_all_pages();
	while (alloc_frame(&pa) == 0) {
		list_add(&phys_to_page(pa)->lru, held);
		n++;
	}
	return n;
}

static inline void give_back(struct list_head *held)
{
	struct page *pg, *n;

	list_for_each_entry_safe(pg, n, held, lru) {
		list_del(&pg->lru);
		free_frame(page_to_phys(pg));
	}
}

/* xorshift64*: the random sequences of the model and of the races. */
static inline u64 model_rnd(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* The cases of mm/pgtable_huge_test.c (in the "pgtable" suite). */
void test_split_2m(struct ktest *t);
void test_remap_leaf(struct ktest *t);
void test_range_covers_huge(struct ktest *t);
void test_split_1g_protect(struct ktest *t);
void test_unmap_huge_matrix(struct ktest *t);
void test_failed_split_undone(struct ktest *t);
void test_map_range_sizes(struct ktest *t);
#ifndef __HOSTED__
void test_check_wx(struct ktest *t);
void test_direct_map_counts(struct ktest *t);
#endif

/* The cases of mm/pgtable_race_test.c (in the "pgtable" suite). */
void test_translate_unmap_race(struct ktest *t);
void test_translate_unmap_race_dir(struct ktest *t);
void test_translate_cache_freed(struct ktest *t);
#ifdef __HOSTED__
void test_concurrent_tables(struct ktest *t);
#endif

#endif

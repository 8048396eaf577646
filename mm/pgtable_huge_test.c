// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of huge pages, splits and range operations (mm/pgtable.c,
 * mm/pgtable_range.c), part of the "pgtable" ktest suite defined in
 * mm/pgtable_test.c.  Portable: they run in the kernel and in the hosted
 * build.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/string.h>
#include <exo/tlb.h>

#include "pgtable_test.h"

/*
 * The start of a case on a 2 MiB page: without 2 MiB pages the case is
 * skipped (false), else @b is taken and a writable 2 MiB page mapped at
 * @va (to FAKE_PA).
 */
static bool huge_2m_begin(struct ktest *t, unsigned long va, struct baseline *b)
{
	if (!pgtable_huge_supported(PAGE_HUGE_2M)) {
		ktest_skip(t, "CONFIG_HUGEPAGES_2M=n");
		return false;
	}
	baseline_take(b);
	KTEST_ASSERT_EQ(t, map_page(va, FAKE_PA, PAGE_WRITABLE | PAGE_HUGE_2M), 0);
	return true;
}

void test_split_2m(struct ktest *t)
{
	unsigned long va = KERN_VA + 4 * PMD_SIZE;
	struct baseline b;
	phys_addr_t pa;

	if (!huge_2m_begin(t, va, &b))
		return;
	/* Unmapping a 4 KiB page inside splits the 2 MiB page: 511 pages remain. */
	KTEST_EXPECT_EQ(t, unmap_page(va + 7 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, translate(va + 7 * PAGE_SIZE + 5, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(va + 6 * PAGE_SIZE + 5, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 6 * PAGE_SIZE + 5);
	KTEST_EXPECT_EQ(t, translate(va + PMD_SIZE - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PMD_SIZE - 1);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + PMD_SIZE), 511UL);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), b.tables + 2);	/* the PD, the split PT */
	/* The rest goes with one range call, tables included. */
	KTEST_EXPECT_EQ(t, unmap_range(va, PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + PMD_SIZE), 0UL);
	EXPECT_BASELINE(t, &b);
}

/* mm_remap_leaf(): a 2 MiB and a 4 KiB leaf switch frames, nothing else changes. */
void test_remap_leaf(struct ktest *t)
{
	unsigned long va = KERN_VA + 6 * PMD_SIZE;
	struct baseline b;
	phys_addr_t pa;

	if (!huge_2m_begin(t, va, &b))
		return;
	KTEST_ASSERT_EQ(t, map_page(va + PMD_SIZE, FAKE_PA, 0), 0);
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va, FAKE_PA + 3 * PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, translate(va + 5 * PAGE_SIZE + 7, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 3 * PMD_SIZE + 5 * PAGE_SIZE + 7);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va + PMD_SIZE, FAKE_PA + PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, translate(va + PMD_SIZE + 9, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PAGE_SIZE + 9);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PMD_SIZE).flags & PAGE_WRITABLE, 0UL);
	/* Inside a leaf, misaligned for it, unmapped, not page aligned: refused. */
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va + PAGE_SIZE, FAKE_PA), -EINVAL);
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va, FAKE_PA + PAGE_SIZE), -EINVAL);
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va + 2 * PMD_SIZE, FAKE_PA), -ENOENT);
	KTEST_EXPECT_EQ(t, mm_remap_leaf(&init_mm, va + PMD_SIZE, FAKE_PA + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, translate(va, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 3 * PMD_SIZE);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 2 * PMD_SIZE), 2UL);
	KTEST_EXPECT_EQ(t, unmap_range(va, 2 * PMD_SIZE), 0);
	EXPECT_BASELINE(t, &b);
}

/*
 * A range that covers a huge page entirely changes it whole: no split, no
 * table page, even when the range goes on into small pages beside it.
 */
void test_range_covers_huge(struct ktest *t)
{
	unsigned long va = KERN_VA + 8 * PMD_SIZE;
	struct baseline b;
	unsigned long tables;
	struct leaf_info li;

	if (!huge_2m_begin(t, va, &b))
		return;
	KTEST_ASSERT_EQ(t, map_page(va + PMD_SIZE, FAKE_PA + PMD_SIZE, PAGE_WRITABLE), 0);
	tables = nr_pgtable_pages();
	KTEST_EXPECT_EQ(t, protect_range(va, PMD_SIZE + PAGE_SIZE, 0), 0);
	li = leaf_of(&init_mm, va);
	KTEST_EXPECT_EQ(t, li.size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, li.flags & PAGE_WRITABLE, 0UL);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PMD_SIZE).flags & PAGE_WRITABLE, 0UL);
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), tables);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 2 * PMD_SIZE), 2UL);
	/* Exactly the huge page: unmapped whole, the 4 KiB page beside it stays. */
	KTEST_EXPECT_EQ(t, unmap_range(va, PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 2 * PMD_SIZE), 1UL);
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), tables);
	KTEST_EXPECT_EQ(t, unmap_range(va + PMD_SIZE, PAGE_SIZE), 0);
	EXPECT_BASELINE(t, &b);
}

void test_split_1g_protect(struct ktest *t)
{
	unsigned long va = LOW_VA + 2 * PUD_SIZE;
	struct baseline b;
	struct leaf_info li;
	phys_addr_t pa;

	if (!pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_SKIP(t, "no 1 GiB pages");
	baseline_take(&b);
	KTEST_ASSERT_EQ(t, map_page(va, FAKE_PA, PAGE_WRITABLE | PAGE_HUGE_1G), 0);
	/* Read-only + executable for 3 pages in the middle: 1G -> 2M -> 4K. */
	KTEST_EXPECT_EQ(t, protect_range(va + PMD_SIZE + PAGE_SIZE, 3 * PAGE_SIZE, PAGE_EXEC), 0);
	li = leaf_of(current_mm(), va + PMD_SIZE + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, li.size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_EXEC);
	li = leaf_of(current_mm(), va + PMD_SIZE);
	KTEST_EXPECT_EQ(t, li.size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	li = leaf_of(current_mm(), va);
	KTEST_EXPECT_EQ(t, li.size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, translate(va + PMD_SIZE + 2 * PAGE_SIZE + 9, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PMD_SIZE + 2 * PAGE_SIZE + 9);
	KTEST_EXPECT_EQ(t, translate(va + PUD_SIZE - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PUD_SIZE - 1);
	KTEST_EXPECT_EQ(t, count_leaves(current_mm(), va, va + PUD_SIZE), 511UL + 512UL);
	KTEST_EXPECT_EQ(t, unmap_range(va, PUD_SIZE), 0);
	EXPECT_BASELINE(t, &b);
}

/*
 * unmap_page() of one 4 KiB page inside a page of every size, at every
 * alignment the offset can have (4 KiB, 2 MiB, 1 GiB), first, middle and
 * last of each (issue 15, item 3: at a 2 MiB-aligned offset of a 1 GiB
 * page it removed 2 MiB).  Offset 0 removes the whole page.  Afterwards
 * the leaves must tile the rest of the page exactly: right addresses,
 * the original flags, 2 MiB leaves where the page was not split further,
 * and every 4 KiB page but the one unmapped still translates.
 */
struct matrix_walk {
	unsigned long va, size, hole;	/* the page; the unmapped 4 KiB */
	phys_addr_t pa;
	pgflags_t flags;
	unsigned long covered, n4k, n2m, bad;
};

static int matrix_cb(const struct pt_leaf *l, void *arg)
{
	struct matrix_walk *m = arg;
	pgflags_t f = pte_pgflags(l->entry, l->size) & ~(PAGE_HUGE_2M | PAGE_HUGE_1G);

	m->bad += l->phys != m->pa + (l->virt - m->va) || f != m->flags ||
		  (l->virt <= m->hole && m->hole < l->virt + l->size);
	m->covered += l->size;
	m->n4k += l->size == PAGE_SIZE;
	m->n2m += l->size == PMD_SIZE;
	return 0;
}

static void matrix_case(struct ktest *t, unsigned long va, unsigned long size, pgflags_t huge,
			unsigned long off)
{
	const pgflags_t flags = PAGE_WRITABLE | PAGE_WRITETHROUGH | PAGE_GLOBAL;
	struct matrix_walk m = { .va = va, .size = size, .hole = va + off, .pa = FAKE_PA,
				 .flags = flags };
	unsigned long wrong = 0;
	phys_addr_t pa;

	KTEST_ASSERT_EQ(t, map_page(va, FAKE_PA, flags | huge), 0);
	KTEST_EXPECT_EQ(t, unmap_page(va + off), 0);
	mm_walk(&init_mm, va, va + size, matrix_cb, &m);
	if (!off) {
		KTEST_EXPECT_EQ(t, m.covered, 0UL);	/* the base: the whole page */
		KTEST_EXPECT_EQ(t, translate(va + size - 1, &pa), -ENOENT);
		return;
	}
	KTEST_EXPECT_EQ(t, m.bad, 0UL);
	KTEST_EXPECT_EQ(t, m.covered, size - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, m.n4k, PTRS_PER_TABLE - 1UL);
	KTEST_EXPECT_EQ(t, m.n2m, size == PUD_SIZE ? PTRS_PER_TABLE - 1UL : 0UL);
	for (unsigned long o = 0; o < size; o += PAGE_SIZE) {
		int err = translate(va + o + 0x123, &pa);

		if (o == off)
			wrong += err != -ENOENT;
		else
			wrong += err || pa != FAKE_PA + o + 0x123;
	}
	KTEST_EXPECT_EQ(t, wrong, 0UL);
	if (m.bad || wrong || m.covered != size - PAGE_SIZE)
		ktest_log(t, "page %#lx, unmapped at offset %#lx", size, off);
	KTEST_EXPECT_EQ(t, unmap_range(va, size), 0);
}

void test_unmap_huge_matrix(struct ktest *t)
{
	static const struct { unsigned long size; pgflags_t flag; } pages[] = {
		{ PAGE_SIZE, 0 }, { PMD_SIZE, PAGE_HUGE_2M }, { PUD_SIZE, PAGE_HUGE_1G },
	};
	unsigned long va = KERN_VA + 28 * PUD_SIZE, cases = 0;
	struct baseline b;

	baseline_take(&b);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		unsigned long size = pages[i].size;

		if (pages[i].flag && !pgtable_huge_supported(pages[i].flag))
			continue;
		matrix_case(t, va, size, pages[i].flag, 0);
		cases++;
		/* Offsets aligned to 4 KiB, 2 MiB: the first, one in the middle, the last. */
		for (unsigned long align = PAGE_SIZE; align < size; align <<= 9) {
			unsigned long offs[3] = { align, size / 2 + align, size - align };

			for (unsigned int k = 0; k < 3; k++, cases++)
				matrix_case(t, va, size, pages[i].flag, offs[k]);
		}
	}
	ktest_log(t, "%lu cases", cases);
	EXPECT_BASELINE(t, &b);
}

/*
 * A range call or unmap_page() that runs out of frames for its splits
 * changes nothing, not even the splits it could have done (issue 15,
 * item 4): two 2 MiB pages and one free frame, a range from inside the
 * first to inside the second needs two tables.  The one frame is held by
 * this CPU's cache, so preemption stays off while it matters.
 */
void test_failed_split_undone(struct ktest *t)
{
	unsigned long va = KERN_VA + 30 * PUD_SIZE, free_before, tables;
	LIST_HEAD(held);
	struct baseline b;
	struct page *one;
	phys_addr_t pa;

	if (!huge_2m_begin(t, va, &b))
		return;
	KTEST_ASSERT_EQ(t, map_page(va + PMD_SIZE, FAKE_PA + PMD_SIZE, PAGE_WRITABLE | PAGE_HUGE_2M),
			0);
	if (pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_ASSERT_EQ(t, map_page(va + PUD_SIZE, FAKE_PA, PAGE_WRITABLE | PAGE_HUGE_1G), 0);
	tables = nr_pgtable_pages();
	preempt_disable();
	KTEST_ASSERT_GT(t, exhaust(&held), 0UL);
	one = list_first_entry(&held, struct page, lru);
	list_del(&one->lru);
	KTEST_EXPECT_EQ(t, free_frame(page_to_phys(one)), 0);
	free_before = nr_free_pages();
	KTEST_EXPECT_EQ(t, unmap_range(va + PAGE_SIZE, 2 * PMD_SIZE - 2 * PAGE_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, protect_range(va + PAGE_SIZE, 2 * PMD_SIZE - 2 * PAGE_SIZE, 0), -ENOMEM);
	/* Inside a 1 GiB page, off its 2 MiB grid: 1G -> 2M -> 4K needs two tables. */
	if (pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_EXPECT_EQ(t, unmap_page(va + PUD_SIZE + PMD_SIZE + PAGE_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	preempt_enable();
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), tables);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PMD_SIZE).size, PMD_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PMD_SIZE).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	if (pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PUD_SIZE).size, PUD_SIZE);
	KTEST_EXPECT_EQ(t, translate(va + PMD_SIZE + 5 * PAGE_SIZE, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PMD_SIZE + 5 * PAGE_SIZE);
	give_back(&held);
	/* With memory, the same calls do their work. */
	KTEST_EXPECT_EQ(t, protect_range(va + PAGE_SIZE, 2 * PMD_SIZE - 2 * PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).flags & PAGE_WRITABLE, PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PAGE_SIZE).flags & PAGE_WRITABLE, 0);
	KTEST_EXPECT_EQ(t, unmap_range(va, 2 * PMD_SIZE), 0);
	if (pgtable_huge_supported(PAGE_HUGE_1G)) {
		KTEST_EXPECT_EQ(t, unmap_page(va + PUD_SIZE + PMD_SIZE + PAGE_SIZE), 0);
		KTEST_EXPECT_EQ(t, unmap_range(va + PUD_SIZE, PUD_SIZE), 0);
	}
	EXPECT_BASELINE(t, &b);
}

void test_map_range_sizes(struct ktest *t)
{
	unsigned long va = KERN_VA + 2 * PUD_SIZE;
	bool gb = pgtable_huge_supported(PAGE_HUGE_1G);
	bool mb = pgtable_huge_supported(PAGE_HUGE_2M);
	size_t size = PUD_SIZE + PMD_SIZE + 3 * PAGE_SIZE;
	struct baseline b;
	phys_addr_t pa;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, map_range(va, FAKE_PA, size, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va).size, gb ? PUD_SIZE : mb ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PUD_SIZE).size, mb ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PUD_SIZE + PMD_SIZE).size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + size),
			gb ? 1UL + 1 + 3 : mb ? 512UL + 1 + 3 : size >> PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, translate(va + size - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + size - 1);
	/* Misaligned physical address: 4 KiB pieces only. */
	KTEST_EXPECT_EQ(t, unmap_range(va, size), 0);
	KTEST_ASSERT_EQ(t, map_range(va, FAKE_PA + PAGE_SIZE, 2 * PMD_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 2 * PMD_SIZE), 1024UL);
	/* Unmapping the middle of it: one call, the rest intact. */
	KTEST_EXPECT_EQ(t, unmap_range(va + PMD_SIZE - 8 * PAGE_SIZE, 16 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 2 * PMD_SIZE), 1008UL);
	KTEST_EXPECT_EQ(t, unmap_range(va, 2 * PMD_SIZE), 0);
	/*
	 * A run of 2 MiB leaves ends with its page directory: the 1 GiB
	 * piece that starts there is still found, then 2 MiB again.
	 */
	KTEST_ASSERT_EQ(t, map_range(va + PUD_SIZE - 4 * PMD_SIZE, FAKE_PA + PUD_SIZE - 4 * PMD_SIZE,
				     4 * PMD_SIZE + PUD_SIZE + PMD_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PUD_SIZE - 4 * PMD_SIZE).size,
			mb ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + PUD_SIZE).size,
			gb ? PUD_SIZE : mb ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + 2 * PUD_SIZE).size, mb ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, count_leaves(&init_mm, va, va + 3 * PUD_SIZE),
			gb ? 4UL + 1 + 1 : mb ? 4UL + 512 + 1 : (4UL + 512 + 1) * 512);
	KTEST_EXPECT_EQ(t, translate(va + 2 * PUD_SIZE + PMD_SIZE - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 2 * PUD_SIZE + PMD_SIZE - 1);
	KTEST_EXPECT_EQ(t, unmap_range(va + PUD_SIZE - 4 * PMD_SIZE,
				       4 * PMD_SIZE + PUD_SIZE + PMD_SIZE), 0);
	EXPECT_BASELINE(t, &b);
}

#ifndef __HOSTED__
/*
 * paging_check_wx() finds a W+X leaf in a page table (its tight loop), a
 * page directory and a PDPT, and nothing else.  Each W+X leaf goes before
 * the next assertion can abort the case: a leaf left behind would make
 * every later check of the kernel's tables fail.
 */
void test_check_wx(struct ktest *t)
{
	unsigned long va = KERN_VA + 3 * PUD_SIZE;
	unsigned long gb = KERN_VA + 4 * PUD_SIZE;
	unsigned long wx, wx_more;
	struct baseline b;
	int err, err_more;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, paging_check_wx(false), 0UL);
	err = map_range(va + 5 * PAGE_SIZE, FAKE_PA, PAGE_SIZE, PAGE_WRITABLE | PAGE_EXEC);
	wx = paging_check_wx(false);
	/* Writable NX and read-only executable leaves are fine. */
	err_more = map_range(va + 8 * PAGE_SIZE, FAKE_PA, 2 * PAGE_SIZE, PAGE_WRITABLE) ?:
		   map_range(va + 10 * PAGE_SIZE, FAKE_PA, PAGE_SIZE, PAGE_EXEC);
	wx_more = paging_check_wx(false);
	KTEST_EXPECT_EQ(t, unmap_range(va + 5 * PAGE_SIZE, 6 * PAGE_SIZE), 0);
	KTEST_ASSERT_EQ(t, err, 0);
	KTEST_ASSERT_EQ(t, err_more, 0);
	KTEST_EXPECT_EQ(t, wx, 1UL);
	KTEST_EXPECT_EQ(t, wx_more, 1UL);

	if (pgtable_huge_supported(PAGE_HUGE_2M)) {
		err = map_range(va + 4 * PMD_SIZE, FAKE_PA, PMD_SIZE, PAGE_WRITABLE | PAGE_EXEC);
		KTEST_EXPECT_EQ(t, leaf_of(&init_mm, va + 4 * PMD_SIZE).size, PMD_SIZE);
		wx = paging_check_wx(false);
		KTEST_EXPECT_EQ(t, unmap_range(va + 4 * PMD_SIZE, PMD_SIZE), 0);
		KTEST_ASSERT_EQ(t, err, 0);
		KTEST_EXPECT_EQ(t, wx, 1UL);
	}
	if (pgtable_huge_supported(PAGE_HUGE_1G)) {
		err = map_range(gb, FAKE_PA, PUD_SIZE, PAGE_WRITABLE | PAGE_EXEC);
		KTEST_EXPECT_EQ(t, leaf_of(&init_mm, gb).size, PUD_SIZE);
		wx = paging_check_wx(false);
		KTEST_EXPECT_EQ(t, unmap_range(gb, PUD_SIZE), 0);
		KTEST_ASSERT_EQ(t, err, 0);
		KTEST_EXPECT_EQ(t, wx, 1UL);
	} else {
		ktest_log(t, "no 1 GiB pages: the PDPT case is not run");
	}
	KTEST_EXPECT_EQ(t, paging_check_wx(false), 0UL);
	EXPECT_BASELINE(t, &b);
}

static int count_by_size(const struct pt_leaf *l, void *arg)
{
	unsigned long *n = arg;

	if (l->size == PAGE_SIZE)
		n[0]++;
	else if (l->size == PMD_SIZE)
		n[1]++;
	else if (l->size == PUD_SIZE)
		n[2]++;
	else
		return -EINVAL;
	return 0;
}

/*
 * The direct map's leaves by size, as paging_check_wx() counts them on
 * its way (paging_init() prints them), agree with an mm_walk() of the
 * direct map.
 */
void test_direct_map_counts(struct ktest *t)
{
	unsigned long scan[3], walk[3] = { 0, 0, 0 };

	KTEST_EXPECT_EQ(t, paging_check_wx(false), 0UL);
	paging_direct_map_counts(scan);
	KTEST_ASSERT_EQ(t, mm_walk(&init_mm, PAGE_OFFSET, PAGE_OFFSET + DIRECT_MAP_SIZE,
				   count_by_size, walk), 0);
	ktest_log(t, "direct map: %lu x 1 GiB, %lu x 2 MiB, %lu x 4 KiB", walk[2], walk[1],
		  walk[0]);
	KTEST_EXPECT_GT(t, walk[0] + walk[1] + walk[2], 0UL);
	KTEST_EXPECT_EQ(t, scan[0], walk[0]);
	KTEST_EXPECT_EQ(t, scan[1], walk[1]);
	KTEST_EXPECT_EQ(t, scan[2], walk[2]);
}
#endif

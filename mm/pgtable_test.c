// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the page-table code (mm/pgtable*.c); the huge-page, split and
 * range cases are in mm/pgtable_huge_test.c, the races in
 * mm/pgtable_race_test.c.  The portable cases run in the kernel and in
 * the hosted build (ASan + UBSan, a fresh allocator and init_mm per case);
 * the cases that touch memory through the new mappings or expect faults
 * are kernel only.  Every case checks that page-table pages and free
 * frames are back to where they started.
 */
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/ktest.h>
#include <exo/list.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/preempt.h>
#include <exo/string.h>
#include <exo/tlb.h>

#ifdef __HOSTED__
#include <asm/hosted.h>
#else
#include <exo/shell.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#endif

#include "pgtable_test.h"

static void test_page_mapping(struct ktest *t)
{
	phys_addr_t frame, pa = 0;
	struct baseline b;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	KTEST_ASSERT_EQ(t, map_page(SEED_VA, frame, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, translate(SEED_VA, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, frame);
	KTEST_EXPECT_EQ(t, unmap_page(SEED_VA), 0);
	KTEST_EXPECT_EQ(t, translate(SEED_VA, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
	EXPECT_BASELINE(t, &b);
}

/* The size flag of a leaf at @level. */
static pgflags_t size_flag_of(int level)
{
	return level == PT_LEVEL_PUD ? PAGE_HUGE_1G : level == PT_LEVEL_PMD ? PAGE_HUGE_2M : 0;
}

/*
 * The architecture's entry hooks: every combination of flags survives
 * pt_mk_leaf() -> pte_pgflags() at every leaf level, the address comes
 * back, and pt_split_fill() gives the next level's leaves the same flags
 * over the same memory.
 */
static void test_entry_encoding(struct ktest *t)
{
	const pgflags_t all = PAGE_FLAGS_ALL & ~(PAGE_HUGE_2M | PAGE_HUGE_1G);
	const phys_addr_t pa = FAKE_PA;
	phys_addr_t frame;
	pte_t *table;

	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	table = phys_to_virt(frame);
	for (int level = PT_LEVEL_PTE; level <= PT_LEVEL_PUD; level++) {
		unsigned long size = 1UL << pt_level_shift(level);
		unsigned long step = size / PTRS_PER_TABLE;
		pgflags_t f = 0;

		do {	/* every subset of @all */
			pte_t e = pt_mk_leaf(pa, f, level);

			if ((f & PAGE_WRITECOMBINE) && (f & (PAGE_NOCACHE | PAGE_WRITETHROUGH)))
				continue;	/* refused by the API */
			KTEST_EXPECT_TRUE(t, pte_present(e) && pt_leaf(e, level));
			KTEST_EXPECT_EQ(t, pt_entry_phys(e) & ~(size - 1), pa);
			KTEST_EXPECT_EQ(t, pte_pgflags(e, size), f | size_flag_of(level));
			if (level == PT_LEVEL_PTE && !(f & ~(PAGE_HW_FLAGS | PAGE_EXEC))) {
				/* Global forced (kernel half), or not asked for (lower half). */
				KTEST_EXPECT_EQ(t, pte_val(pt_mk_pte_fast(pa, f, true)),
						pte_val(pt_mk_leaf(pa, f | PAGE_GLOBAL, level)));
				if (!(f & PAGE_GLOBAL))
					KTEST_EXPECT_EQ(t, pte_val(pt_mk_pte_fast(pa, f, false)),
							pte_val(e));
			}
			if (level == PT_LEVEL_PTE)
				continue;
			pt_split_fill(e, level, table);
			for (unsigned int i = 0; i < PTRS_PER_TABLE; i += PTRS_PER_TABLE - 1) {
				KTEST_EXPECT_TRUE(t, pt_leaf(table[i], level - 1));
				KTEST_EXPECT_EQ(t, pt_entry_phys(table[i]) & ~(step - 1), pa + i * step);
				KTEST_EXPECT_EQ(t, pte_pgflags(table[i], step),
						f | size_flag_of(level - 1));
			}
		} while ((f = (f - all) & all));
	}
	/* A table entry is not a leaf above the PTE level, and leads to its table. */
	KTEST_EXPECT_FALSE(t, pt_leaf(pt_mk_table(frame, true), PT_LEVEL_PMD));
	KTEST_EXPECT_TRUE(t, pt_table(pt_mk_table(frame, false)) == table);
	/* translate()'s walk masks a table entry with -4096: no bit 52-63. */
	for (int user = 0; user <= 1; user++)
		KTEST_EXPECT_EQ(t, pte_val(pt_mk_table(frame, user)) & ~(PTE_PFN_MASK | 0xfff), 0);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
}

static int entry_cb(const struct pt_leaf *l, void *arg)
{
	*(u64 *)arg = pte_val(l->entry);
	return 0;
}

/* The raw leaf entry mapping @va in the current mm (0: none). */
static u64 entry_of(unsigned long va)
{
	u64 e = 0;

	mm_walk(current_mm(), va, va + 1, entry_cb, &e);
	return e;
}

/*
 * PAGE_WRITECOMBINE: the PAT bit at the place each page size has it (bit 7
 * at 4 KiB, bit 12 at 2 MiB, where it is not part of the address), moved
 * when a split turns one into the other; exclusive with the other types.
 */
static void test_write_combine(struct ktest *t)
{
	const pgflags_t wc = PAGE_WRITABLE | PAGE_WRITECOMBINE;
	phys_addr_t pa = 0;
	struct baseline b;
	struct leaf_info li;

	baseline_take(&b);
	KTEST_EXPECT_EQ(t, map_page(KERN_VA, FAKE_PA, wc | PAGE_NOCACHE), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(KERN_VA, FAKE_PA, wc | PAGE_WRITETHROUGH), -EINVAL);
	KTEST_EXPECT_EQ(t, map_range(KERN_VA, FAKE_PA, PMD_SIZE, wc | PAGE_NOCACHE), -EINVAL);
	KTEST_ASSERT_EQ(t, map_page(KERN_VA, FAKE_PA + PAGE_SIZE, wc), 0);
	KTEST_EXPECT_EQ(t, entry_of(KERN_VA) & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT), _PAGE_PAT);
	KTEST_EXPECT_TRUE(t, leaf_of(current_mm(), KERN_VA).flags & PAGE_WRITECOMBINE);
	KTEST_EXPECT_EQ(t, translate(KERN_VA + 0x10, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PAGE_SIZE + 0x10);
	/* protect_range() sets the type it is given, WB included. */
	KTEST_EXPECT_EQ(t, protect_range(KERN_VA, PAGE_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, entry_of(KERN_VA) & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT), 0ULL);
	KTEST_EXPECT_EQ(t, protect_range(KERN_VA, PAGE_SIZE, wc), 0);
	KTEST_EXPECT_TRUE(t, leaf_of(current_mm(), KERN_VA).flags & PAGE_WRITECOMBINE);
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA), 0);
	if (pgtable_huge_supported(PAGE_HUGE_2M)) {
		KTEST_ASSERT_EQ(t, map_range(KERN_VA, FAKE_PA, PMD_SIZE, wc), 0);
		li = leaf_of(current_mm(), KERN_VA + PAGE_SIZE);
		KTEST_EXPECT_EQ(t, li.size, PMD_SIZE);
		KTEST_EXPECT_TRUE(t, li.flags & PAGE_WRITECOMBINE);
		KTEST_EXPECT_EQ(t, entry_of(KERN_VA) & (_PAGE_PAT_LARGE | _PAGE_PCD | _PAGE_PWT),
				_PAGE_PAT_LARGE);
		KTEST_EXPECT_EQ(t, translate(KERN_VA + 0x1234, &pa), 0);
		KTEST_EXPECT_EQ(t, pa, FAKE_PA + 0x1234);
		/* Unmapping the second page splits the leaf: 511 entries keep the type. */
		KTEST_EXPECT_EQ(t, unmap_range(KERN_VA + PAGE_SIZE, PAGE_SIZE), 0);
		for (unsigned long off = 0; off < PMD_SIZE; off += PAGE_SIZE) {
			if (off == PAGE_SIZE)
				continue;
			li = leaf_of(current_mm(), KERN_VA + off);
			KTEST_EXPECT_EQ(t, li.size, PAGE_SIZE);
			KTEST_EXPECT_TRUE(t, li.flags & PAGE_WRITECOMBINE);
			KTEST_EXPECT_EQ(t, entry_of(KERN_VA + off) &
					(_PAGE_PAT | _PAGE_PCD | _PAGE_PWT), _PAGE_PAT);
			KTEST_EXPECT_EQ(t, translate(KERN_VA + off, &pa), 0);
			KTEST_EXPECT_EQ(t, pa, FAKE_PA + off);
		}
		KTEST_EXPECT_EQ(t, unmap_range(KERN_VA, PMD_SIZE), 0);
	}
	EXPECT_BASELINE(t, &b);
}

#define TOP_VA		(0UL - PMD_SIZE)	/* the last 2 MiB: the range ends at 2^64 */

/* Ranges that end exactly at 2^64 (their exclusive end is 0). */
static void test_range_ends_at_2_64(struct ktest *t)
{
	phys_addr_t pa = 0;
	struct baseline b;
	struct leaf_info li;

	baseline_take(&b);
	KTEST_EXPECT_EQ(t, map_range(TOP_VA, FAKE_PA, PMD_SIZE + PAGE_SIZE, PAGE_WRITABLE), -EINVAL);
	KTEST_ASSERT_EQ(t, map_range(TOP_VA, FAKE_PA, PMD_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, translate(~0UL, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PMD_SIZE - 1);
	li = leaf_of(current_mm(), ~0UL);
	KTEST_EXPECT_EQ(t, li.size, pgtable_huge_supported(PAGE_HUGE_2M) ? PMD_SIZE : PAGE_SIZE);
	KTEST_EXPECT_EQ(t, map_range(0UL - PAGE_SIZE, FAKE_PA, PAGE_SIZE, 0), -EEXIST);
	/* The last page alone: splits the leaf at its start, keeps the rest. */
	KTEST_EXPECT_EQ(t, protect_range(0UL - PAGE_SIZE, PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, leaf_of(current_mm(), ~0UL).flags & PAGE_WRITABLE, 0UL);
	KTEST_EXPECT_TRUE(t, leaf_of(current_mm(), 0UL - 2 * PAGE_SIZE).flags & PAGE_WRITABLE);
	KTEST_EXPECT_EQ(t, unmap_range(0UL - PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, translate(~0UL, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(0UL - PAGE_SIZE - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PMD_SIZE - PAGE_SIZE - 1);
	/* The rest, ending at 2^64 with a hole at the end: unmapped whole. */
	KTEST_EXPECT_EQ(t, unmap_range(TOP_VA, PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, count_leaves(current_mm(), TOP_VA, 0UL - PAGE_SIZE), 0UL);
	KTEST_EXPECT_EQ(t, unmap_range(TOP_VA, PMD_SIZE), -ENOENT);
	EXPECT_BASELINE(t, &b);
}

/* map, translate at several offsets, unmap, for one page size. */
static void roundtrip(struct ktest *t, unsigned long va, pgflags_t size_flag, unsigned long size)
{
	static const unsigned long offs[] = { 0, 1, 0x123, 0xfff, 0x1000, 0x1234 };
	phys_addr_t pa = 0;
	struct baseline b;
	struct leaf_info li;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, map_page(va, FAKE_PA, PAGE_WRITABLE | size_flag), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++) {
		unsigned long off = offs[i] * (size / PAGE_SIZE) + (offs[i] & 0xfff);

		if (off >= size)
			continue;
		KTEST_EXPECT_EQ(t, translate(va + off, &pa), 0);
		KTEST_EXPECT_EQ(t, pa, FAKE_PA + off);
	}
	KTEST_EXPECT_EQ(t, translate(va + size - 1, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + size - 1);
	KTEST_EXPECT_EQ(t, translate(va + size, &pa), -ENOENT);
	li = leaf_of(current_mm(), va);
	KTEST_EXPECT_EQ(t, li.n, 1);
	KTEST_EXPECT_EQ(t, li.size, size);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	/* A second mapping on top is refused, at any size. */
	KTEST_EXPECT_EQ(t, map_page(va, FAKE_PA, 0), -EEXIST);
	KTEST_EXPECT_EQ(t, map_page(va + size - PAGE_SIZE, FAKE_PA, 0), -EEXIST);
	KTEST_EXPECT_EQ(t, unmap_page(va), 0);
	KTEST_EXPECT_EQ(t, translate(va, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(va + size - 1, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, unmap_page(va), -ENOENT);
	EXPECT_BASELINE(t, &b);
}

static void test_roundtrip_4k(struct ktest *t)
{
	roundtrip(t, LOW_VA + 0x5000, 0, PAGE_SIZE);
	roundtrip(t, KERN_VA + 0x5000, 0, PAGE_SIZE);
}

static void test_roundtrip_2m(struct ktest *t)
{
	if (!pgtable_huge_supported(PAGE_HUGE_2M))
		KTEST_SKIP(t, "CONFIG_HUGEPAGES_2M=n");
	roundtrip(t, LOW_VA + PMD_SIZE * 3, PAGE_HUGE_2M, PMD_SIZE);
	roundtrip(t, KERN_VA + PMD_SIZE * 3, PAGE_HUGE_2M, PMD_SIZE);
}

static void test_roundtrip_1g(struct ktest *t)
{
	if (!pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_SKIP(t, "no 1 GiB pages (CPU or CONFIG_HUGEPAGES_1G)");
	roundtrip(t, LOW_VA + PUD_SIZE, PAGE_HUGE_1G, PUD_SIZE);
	roundtrip(t, KERN_VA + PUD_SIZE, PAGE_HUGE_1G, PUD_SIZE);
}

/* Bad map_page() arguments in the kernel half, one page each (test_errors()). */
static const struct {
	unsigned long va_off;
	phys_addr_t pa;
	pgflags_t flags;
} kern_bad[] = {
	{ 0, FAKE_PA + 8, 0 },
	{ 0, 1ULL << 52, 0 },
	{ 0, FAKE_PA | (1ULL << 63), 0 },
	{ 0, FAKE_PA, 0x1 },		/* raw present bit */
	{ 0, FAKE_PA, PAGE_USER },
	{ 8, FAKE_PA, 0 },
	{ 0x800, FAKE_PA, 0 },
};

static void test_errors(struct ktest *t)
{
	phys_addr_t pa;
	struct baseline b;

	baseline_take(&b);
	/* Addresses. */
	KTEST_EXPECT_EQ(t, map_page(LOW_VA + 1, FAKE_PA, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(0x0000800000000000UL, FAKE_PA, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(0xffff7ffffffff000UL, FAKE_PA, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA + 8, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, 1ULL << 52, 0), -EINVAL);
	/*
	 * The same through the kernel half's one-compare fast-path checks.
	 * A neighbour in the same 2 MiB gives the fast path a page table to
	 * reach, so that only those checks stand between each call and a
	 * written entry; each call has a page of its own, so that one wrongly
	 * accepted call does not turn the next into -EEXIST.  Misaligned
	 * @virt last: with its check gone, + 0x800 writes across two entries.
	 */
	KTEST_ASSERT_EQ(t, map_page(KERN_VA, FAKE_PA, 0), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(kern_bad); i++) {
		unsigned long va = KERN_VA + (i + 1) * PAGE_SIZE + kern_bad[i].va_off;

		KTEST_EXPECT_EQ(t, map_page(va, kern_bad[i].pa, kern_bad[i].flags), -EINVAL);
		KTEST_EXPECT_EQ(t, translate(va & PAGE_MASK, &pa), -ENOENT);
		KTEST_EXPECT_EQ(t, translate((va & PAGE_MASK) + PAGE_SIZE, &pa), -ENOENT);
	}
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA + 8), -EINVAL);
	KTEST_EXPECT_EQ(t, translate(KERN_VA, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA);
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA), 0);
	KTEST_EXPECT_EQ(t, map_page(0xfffe000000000000UL, FAKE_PA, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(0x8000000000000000UL, FAKE_PA, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, unmap_page(0xfffe000000000000UL), -EINVAL);
	/* Flags. */
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, 0x1), -EINVAL);	/* raw present bit */
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, 1UL << 40), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, PAGE_HUGE_2M | PAGE_HUGE_1G), -EINVAL);
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, PAGE_GLOBAL), -EINVAL);
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, FAKE_PA, PAGE_SIZE, PAGE_GLOBAL), -EINVAL);
	if (pgtable_huge_supported(PAGE_HUGE_2M)) {
		KTEST_EXPECT_EQ(t, map_page(LOW_VA + PAGE_SIZE, FAKE_PA, PAGE_HUGE_2M), -EINVAL);
		KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA + PAGE_SIZE, PAGE_HUGE_2M), -EINVAL);
	} else {
		KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, PAGE_HUGE_2M), -EINVAL);
	}
	if (!pgtable_huge_supported(PAGE_HUGE_1G))
		KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, PAGE_HUGE_1G), -EINVAL);
	else
		KTEST_EXPECT_EQ(t, map_page(LOW_VA + PMD_SIZE, FAKE_PA, PAGE_HUGE_1G), -EINVAL);
	/* Nothing was created by the rejected calls. */
	EXPECT_BASELINE(t, &b);
	KTEST_EXPECT_EQ(t, translate(LOW_VA, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(0x0000800000000000UL, &pa), -EINVAL);
	KTEST_EXPECT_EQ(t, unmap_page(LOW_VA), -ENOENT);
	KTEST_EXPECT_EQ(t, unmap_page(LOW_VA + 4), -EINVAL);
	KTEST_EXPECT_EQ(t, unmap_page(0x0000900000000000UL), -EINVAL);
	/* Ranges. */
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, FAKE_PA, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, FAKE_PA, 100, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, map_range(USER_HALF_END - PAGE_SIZE, FAKE_PA, 2 * PAGE_SIZE, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, FAKE_PA, PAGE_SIZE, PAGE_HUGE_2M), -EINVAL);
	KTEST_EXPECT_EQ(t, unmap_range(LOW_VA, 16 * PAGE_SIZE), -ENOENT);
	KTEST_EXPECT_EQ(t, protect_range(LOW_VA, PAGE_SIZE, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, protect_range(LOW_VA, PAGE_SIZE, PAGE_HUGE_1G), -EINVAL);
	/* -EEXIST for an overlapping range leaves the range as it was. */
	KTEST_ASSERT_EQ(t, map_page(LOW_VA + 5 * PAGE_SIZE, FAKE_PA, 0), 0);
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, FAKE_PA, 16 * PAGE_SIZE, PAGE_WRITABLE), -EEXIST);
	KTEST_EXPECT_EQ(t, count_leaves(current_mm(), LOW_VA, LOW_VA + 16 * PAGE_SIZE), 1UL);
	/* -ENOENT for a partly mapped protect changes nothing either. */
	KTEST_EXPECT_EQ(t, protect_range(LOW_VA + 4 * PAGE_SIZE, 2 * PAGE_SIZE, PAGE_WRITABLE),
			-ENOENT);
	KTEST_EXPECT_EQ(t, leaf_of(current_mm(), LOW_VA + 5 * PAGE_SIZE).flags & PAGE_WRITABLE,
			0UL);
	KTEST_EXPECT_EQ(t, unmap_range(LOW_VA, 16 * PAGE_SIZE), 0);
	/* Address spaces. */
	KTEST_EXPECT_EQ(t, mm_destroy(&init_mm), -EINVAL);
	KTEST_EXPECT_EQ(t, mm_destroy(NULL), -EINVAL);
	EXPECT_BASELINE(t, &b);
}

/*
 * Found by the pgtable fuzzer (tests/fuzz/corpus/pgtable/regress-range-beyond-52-bits):
 * map_range() checked only the start of the physical range, so a range
 * reaching past 2^52 had its last pages' addresses cut by the entry mask
 * (mapped to physical 0).  Now -EINVAL, nothing mapped.
 */
static void test_range_beyond_52_bits(struct ktest *t)
{
	phys_addr_t top = (1ULL << 52) - PAGE_SIZE, pa;
	struct baseline b;

	baseline_take(&b);
	KTEST_EXPECT_EQ(t, map_range(LOW_VA, top, 2 * PAGE_SIZE, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, translate(LOW_VA + PAGE_SIZE, &pa), -ENOENT);
	EXPECT_BASELINE(t, &b);
	/* The last page below the limit is still fine. */
	KTEST_ASSERT_EQ(t, map_range(LOW_VA, top, PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, translate(LOW_VA + 0x123, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, top + 0x123);
	KTEST_EXPECT_EQ(t, unmap_range(LOW_VA, PAGE_SIZE), 0);
	EXPECT_BASELINE(t, &b);
}


static void test_enomem(struct ktest *t)
{
	LIST_HEAD(held);
	struct baseline b;
	phys_addr_t pa;
	unsigned long tables;

	baseline_take(&b);
	KTEST_ASSERT_GT(t, exhaust(&held), 0UL);
	tables = nr_pgtable_pages();
	KTEST_EXPECT_EQ(t, map_page(LOW_VA, FAKE_PA, PAGE_WRITABLE), -ENOMEM);
	KTEST_EXPECT_EQ(t, map_range(KERN_VA, FAKE_PA, 8 * PAGE_SIZE, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, nr_pgtable_pages(), tables);
	KTEST_EXPECT_EQ(t, translate(LOW_VA, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, translate(KERN_VA, &pa), -ENOENT);
	give_back(&held);
	/* With the tables in place, a split that needs a frame fails cleanly too. */
	if (pgtable_huge_supported(PAGE_HUGE_2M)) {
		KTEST_ASSERT_EQ(t, map_page(KERN_VA, FAKE_PA, PAGE_WRITABLE | PAGE_HUGE_2M), 0);
		exhaust(&held);
		KTEST_EXPECT_EQ(t, unmap_page(KERN_VA + PAGE_SIZE), -ENOMEM);
		KTEST_EXPECT_EQ(t, protect_range(KERN_VA, PAGE_SIZE, 0), -ENOMEM);
		KTEST_EXPECT_EQ(t, leaf_of(&init_mm, KERN_VA).size, PMD_SIZE);
		KTEST_EXPECT_EQ(t, leaf_of(&init_mm, KERN_VA).flags & PAGE_WRITABLE, PAGE_WRITABLE);
		KTEST_EXPECT_EQ(t, translate(KERN_VA + PAGE_SIZE, &pa), 0);
		give_back(&held);
		KTEST_EXPECT_EQ(t, unmap_page(KERN_VA), 0);
	}
	EXPECT_BASELINE(t, &b);
}

static void test_no_table_leaks(struct ktest *t)
{
	const unsigned long n = 4096, spread = 37 * PAGE_SIZE + PMD_SIZE;
	struct baseline b;
	phys_addr_t pa;

	baseline_take(&b);
	for (unsigned long i = 0; i < n; i++)
		KTEST_ASSERT_EQ(t, map_page(LOW_VA + i * spread, FAKE_PA + i * PAGE_SIZE,
					    PAGE_WRITABLE), 0);
	KTEST_EXPECT_GT(t, nr_pgtable_pages(), b.tables + n);	/* one PT each at least */
	for (unsigned long i = 0; i < n; i += 97) {
		KTEST_EXPECT_EQ(t, translate(LOW_VA + i * spread + 0x77, &pa), 0);
		KTEST_EXPECT_EQ(t, pa, FAKE_PA + i * PAGE_SIZE + 0x77);
	}
	for (unsigned long i = 0; i < n; i++)
		KTEST_ASSERT_EQ(t, unmap_page(LOW_VA + i * spread), 0);
	EXPECT_BASELINE(t, &b);
	/* The same through the range helpers, 64 MiB at a time. */
	for (unsigned int round = 0; round < 4; round++) {
		unsigned long va = KERN_VA + round * (64UL << 20) + (round & 1) * PAGE_SIZE;

		KTEST_ASSERT_EQ(t, map_range(va, FAKE_PA, 64UL << 20, PAGE_WRITABLE), 0);
		KTEST_ASSERT_EQ(t, unmap_range(va, 64UL << 20), 0);
	}
	EXPECT_BASELINE(t, &b);
}

/*
 * The fast paths' table cache of a new address space, or of one whose
 * table was freed, is empty: PT_CACHE_NONE must match no address the
 * fast paths take, those of the first 2 MiB included (an "empty" value
 * of ~0 matched 0 .. 2 MiB - 8 and sent them through the NULL table).
 */
static void test_table_cache_empty(struct ktest *t)
{
	struct mm_struct *a;
	phys_addr_t pa = 0;
	struct baseline b;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, mm_create(&a), 0);
	KTEST_EXPECT_EQ(t, a->pt_cache_va, PT_CACHE_NONE);
	for (int round = 0; round < 2; round++) {	/* the second after the free */
		KTEST_EXPECT_EQ(t, mm_map_page(a, 0, FAKE_PA, 0), 0);
		KTEST_EXPECT_EQ(t, mm_map_page(a, PMD_SIZE - PAGE_SIZE, FAKE_PA, 0), 0);
		KTEST_EXPECT_EQ(t, mm_translate(a, PMD_SIZE - PAGE_SIZE + 8, &pa), 0);
		KTEST_EXPECT_EQ(t, pa, FAKE_PA + 8);
		KTEST_EXPECT_EQ(t, mm_map_page(a, 0, FAKE_PA, 0), -EEXIST);
		KTEST_EXPECT_EQ(t, mm_unmap_page(a, PMD_SIZE - PAGE_SIZE), 0);
		KTEST_EXPECT_EQ(t, mm_unmap_page(a, 0), 0);
		KTEST_EXPECT_EQ(t, a->pt_cache_va, PT_CACHE_NONE);
		KTEST_EXPECT_EQ(t, mm_translate(a, 0, &pa), -ENOENT);
	}
	KTEST_EXPECT_EQ(t, mm_destroy(a), 0);
	EXPECT_BASELINE(t, &b);
}

static void test_address_spaces(struct ktest *t)
{
	struct mm_struct *a, *c;
	phys_addr_t pa = 0;
	struct baseline b;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, mm_create(&a), 0);
	KTEST_ASSERT_EQ(t, mm_create(&c), 0);
	KTEST_EXPECT_NE(t, a->ctx_id, c->ctx_id);
	/* Same lower-half address, different frames. */
	KTEST_EXPECT_EQ(t, mm_map_page(a, SEED_VA, FAKE_PA, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, mm_map_page(c, SEED_VA, FAKE_PA + PAGE_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, mm_translate(a, SEED_VA + 8, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + 8);
	KTEST_EXPECT_EQ(t, mm_translate(c, SEED_VA + 8, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA + PAGE_SIZE + 8);
	KTEST_EXPECT_EQ(t, mm_translate(&init_mm, SEED_VA, &pa), -ENOENT);
	/* The kernel half is shared: a kernel mapping made through one is seen by all. */
	KTEST_EXPECT_EQ(t, mm_map_page(a, KERN_VA, FAKE_PA, 0), 0);
	KTEST_EXPECT_EQ(t, mm_translate(c, KERN_VA, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA);
	KTEST_EXPECT_EQ(t, translate(KERN_VA, &pa), 0);
	KTEST_EXPECT_EQ(t, mm_unmap_page(c, KERN_VA), 0);
	KTEST_EXPECT_EQ(t, mm_translate(a, KERN_VA, &pa), -ENOENT);
	KTEST_EXPECT_EQ(t, memcmp(&a->pgd[PGD_KERNEL_FIRST], &init_mm.pgd[PGD_KERNEL_FIRST],
				  256 * sizeof(pte_t)), 0);
	/* Loaded somewhere: not destroyable. */
	switch_mm(a);
	KTEST_EXPECT_TRUE(t, current_mm() == a);
	KTEST_EXPECT_EQ(t, translate(SEED_VA, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, FAKE_PA);
	KTEST_EXPECT_EQ(t, mm_destroy(a), -EBUSY);
	switch_mm(&init_mm);
	KTEST_EXPECT_TRUE(t, current_mm() == &init_mm);
	/* Destroying frees the lower-half tables even with mappings left. */
	KTEST_EXPECT_EQ(t, mm_destroy(a), 0);
	KTEST_EXPECT_EQ(t, mm_destroy(c), 0);
	EXPECT_BASELINE(t, &b);
}

/*
 * Random operations against a reference model (one entry per 4 KiB page
 * of a 16 MiB window): every result and every translate() must match, and
 * at the end tables and frames are back to the baseline.
 */
#define MODEL_PAGES	4096
#ifdef __HOSTED__
#define MODEL_OPS	40000
#else
#define MODEL_OPS	4000
#endif

static void model_run(struct ktest *t, unsigned long base, u64 seed)
{
	static phys_addr_t model[MODEL_PAGES];	/* 0: unmapped, else phys | 1 */
	struct baseline b;
	unsigned long bad = 0;

	memset(model, 0, sizeof(model));
	baseline_take(&b);
	for (unsigned long op = 0; op < MODEL_OPS && bad < 10; op++) {
		unsigned long r = model_rnd(&seed), i = r % MODEL_PAGES;
		unsigned long n = 1 + (r >> 20) % 64, mapped = 0, va = base + i * PAGE_SIZE;
		phys_addr_t pa = FAKE_PA + ((r >> 32) % 65536) * PAGE_SIZE, got;
		int err, want;

		if (i + n > MODEL_PAGES)
			n = MODEL_PAGES - i;
		for (unsigned long k = i; k < i + n; k++)
			mapped += model[k] != 0;
		switch ((r >> 8) % 6) {
		case 0:		/* map_page 4K */
			want = model[i] ? -EEXIST : 0;
			err = map_page(va, pa, PAGE_WRITABLE);
			if (!err)
				model[i] = pa | 1;
			break;
		case 1:		/* map_page 2M at the aligned address below */
			if (!pgtable_huge_supported(PAGE_HUGE_2M))
				continue;
			i &= ~511UL;
			va = base + i * PAGE_SIZE;
			pa &= ~(PMD_SIZE - 1);
			mapped = 0;
			for (unsigned long k = i; k < i + 512; k++)
				mapped += model[k] != 0;
			want = mapped ? -EEXIST : 0;
			err = map_page(va, pa, PAGE_WRITABLE | PAGE_HUGE_2M);
			if (!err)
				for (unsigned long k = 0; k < 512; k++)
					model[i + k] = (pa + k * PAGE_SIZE) | 1;
			break;
		case 2:		/* map_range */
			want = mapped ? -EEXIST : 0;
			err = map_range(va, pa, n * PAGE_SIZE, 0);
			if (!err)
				for (unsigned long k = 0; k < n; k++)
					model[i + k] = (pa + k * PAGE_SIZE) | 1;
			break;
		case 3:		/* unmap_range (splits huge pages at the ends) */
			want = mapped ? 0 : -ENOENT;
			err = unmap_range(va, n * PAGE_SIZE);
			if (!err)
				memset(&model[i], 0, n * sizeof(model[0]));
			break;
		case 4:		/* protect_range */
			want = mapped == n ? 0 : -ENOENT;
			err = protect_range(va, n * PAGE_SIZE, r & 1 ? PAGE_WRITABLE : 0);
			break;
		default:	/* translate */
			va += r & 0xfff;
			err = translate(va, &got);
			want = model[i] ? 0 : -ENOENT;
			if (!err && got != (model[i] & ~1ULL) + (r & 0xfff)) {
				ktest_fail(t, __FILE__, __LINE__, "op %lu: translate(%#lx) = %#llx, model %#llx",
					   op, va, got, (model[i] & ~1ULL) + (r & 0xfff));
				bad++;
			}
			break;
		}
		if (err != want) {
			ktest_fail(t, __FILE__, __LINE__, "op %lu kind %lu va %#lx n %lu: got %d, model %d",
				   op, (r >> 8) % 6, va, n, err, want);
			bad++;
		}
	}
	/* Every page agrees, then everything goes. */
	for (unsigned long k = 0; k < MODEL_PAGES && bad < 10; k++) {
		phys_addr_t got = 0;
		int err = translate(base + k * PAGE_SIZE, &got);

		if ((err == 0) != (model[k] != 0) || (!err && got != (model[k] & ~1ULL))) {
			ktest_fail(t, __FILE__, __LINE__, "page %lu: translate %d %#llx, model %#llx",
				   k, err, got, model[k]);
			bad++;
		}
	}
	unmap_range(base, MODEL_PAGES * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, count_leaves(current_mm(), base, base + MODEL_PAGES * PAGE_SIZE), 0UL);
	EXPECT_BASELINE(t, &b);
}

static void test_random_against_model(struct ktest *t)
{
	model_run(t, KERN_VA + 8 * PUD_SIZE, 0x1234567887654321ULL);
	model_run(t, LOW_VA + 8 * PUD_SIZE + 5 * PMD_SIZE, 0x0badc0ffee15900dULL);
}

#ifdef __HOSTED__
/* What the page-table code asks the TLB for (the hosted TLB records it). */
static void test_flush_requests(struct ktest *t)
{
	struct hosted_tlb_log before = hosted_tlb_log;

	KTEST_ASSERT_EQ(t, map_page(KERN_VA, FAKE_PA, 0), 0);
	KTEST_ASSERT_EQ(t, map_page(KERN_VA + PAGE_SIZE, FAKE_PA, 0), 0);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.calls, before.calls);	/* mapping: no flush */
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA), 0);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.calls, before.calls + 1);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.last_start, KERN_VA);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.last_end, KERN_VA + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.last_flags, 0U);	/* table still in use */
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA + PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.last_flags, (unsigned int)TLB_FLUSH_FULL);
	/* A range is one request. */
	KTEST_ASSERT_EQ(t, map_range(KERN_VA, FAKE_PA, 512 * PAGE_SIZE + PAGE_SIZE, 0), 0);
	before = hosted_tlb_log;
	KTEST_EXPECT_EQ(t, unmap_range(KERN_VA, 512 * PAGE_SIZE + PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, hosted_tlb_log.calls, before.calls + 1);
	if (pgtable_huge_supported(PAGE_HUGE_2M)) {
		KTEST_ASSERT_EQ(t, map_page(KERN_VA, FAKE_PA, PAGE_HUGE_2M), 0);
		KTEST_EXPECT_EQ(t, unmap_page(KERN_VA), 0);
		KTEST_EXPECT_EQ(t, hosted_tlb_log.last_stride_shift, (unsigned int)PMD_SHIFT);
	}
}

static int pgtable_case_init(struct ktest *t)
{
	int err = hosted_mm_init(NULL);

	if (!err)
		err = hosted_pgtable_init();
	return err;
}
#else
extern char _text[], _etext[], _rodata[], _data[], init_stack_guard[], init_stack[];

static void test_write_through_mapping(struct ktest *t)
{
	volatile u64 *v = (volatile u64 *)(KERN_VA + 0x3000);
	phys_addr_t frame;
	u64 *direct;
	struct baseline b;

	baseline_take(&b);
	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	direct = phys_to_virt(frame);
	KTEST_ASSERT_EQ(t, map_page(KERN_VA + 0x3000, frame, PAGE_WRITABLE), 0);
	v[0] = 0x1122334455667788ULL;
	v[511] = 0xdeadbeefcafef00dULL;
	KTEST_EXPECT_EQ(t, direct[0], 0x1122334455667788ULL);
	KTEST_EXPECT_EQ(t, direct[511], 0xdeadbeefcafef00dULL);
	direct[17] = 42;
	KTEST_EXPECT_EQ(t, v[17], 42ULL);
	KTEST_EXPECT_EQ(t, unmap_page(KERN_VA + 0x3000), 0);
	KTEST_EXPECT_FAULT_READ(t, KERN_VA + 0x3000);
	/* Same in the lower half of the current address space (supervisor page). */
	KTEST_ASSERT_EQ(t, map_page(SEED_VA, frame, PAGE_WRITABLE), 0);
	((volatile u64 *)SEED_VA)[3] = 0x55aa;
	KTEST_EXPECT_EQ(t, direct[3], 0x55aaULL);
	KTEST_EXPECT_EQ(t, unmap_page(SEED_VA), 0);
	KTEST_EXPECT_FAULT_READ(t, SEED_VA);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
	EXPECT_BASELINE(t, &b);
}

static void test_faults(struct ktest *t)
{
	unsigned long va = KERN_VA + 0x7000;
	phys_addr_t frame;
	u8 v = 0;

	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	*(u8 *)phys_to_virt(frame) = 0x77;
	/* Read-only: reads work, writes fault. */
	KTEST_ASSERT_EQ(t, map_page(va, frame, 0), 0);
	KTEST_EXPECT_EQ(t, probe_read((void *)va, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x77);
	KTEST_EXPECT_FAULT_WRITE(t, va);
	/* Made writable with protect_range: the write goes through. */
	KTEST_EXPECT_EQ(t, protect_range(va, PAGE_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, probe_write((void *)va, 0x78), 0);
	KTEST_EXPECT_EQ(t, *(u8 *)phys_to_virt(frame), 0x78);
	/* And read-only again: the stale writable TLB entry was flushed. */
	KTEST_EXPECT_EQ(t, protect_range(va, PAGE_SIZE, 0), 0);
	KTEST_EXPECT_FAULT_WRITE(t, va);
	KTEST_EXPECT_EQ(t, unmap_page(va), 0);
	/* Unmapped: every access faults, also right after a use (TLB flushed). */
	KTEST_EXPECT_FAULT_READ(t, va);
	KTEST_EXPECT_FAULT_WRITE(t, va);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
}

/*
 * The last page of the address space: its flush range ends at 2^64, which
 * the single-page flush loop once read as empty, leaving the old
 * translation usable.
 */
static void test_last_page_flush(struct ktest *t)
{
	unsigned long va = 0UL - PAGE_SIZE;
	phys_addr_t frame;
	u8 v = 0;

	KTEST_ASSERT_EQ(t, alloc_frame(&frame), 0);
	*(u8 *)phys_to_virt(frame) = 0x5a;
	KTEST_ASSERT_EQ(t, map_range(va, frame, PAGE_SIZE, PAGE_WRITABLE), 0);
	KTEST_EXPECT_EQ(t, probe_read((void *)va, &v), 0);	/* in the TLB now */
	KTEST_EXPECT_EQ(t, v, 0x5a);
	KTEST_EXPECT_EQ(t, protect_range(va, PAGE_SIZE, 0), 0);
	KTEST_EXPECT_FAULT_WRITE(t, va);
	KTEST_EXPECT_EQ(t, unmap_range(va, PAGE_SIZE), 0);
	KTEST_EXPECT_FAULT_READ(t, va);
	KTEST_ASSERT_EQ(t, map_page(va, frame, 0), 0);
	KTEST_EXPECT_EQ(t, probe_read((void *)va, &v), 0);
	KTEST_EXPECT_EQ(t, unmap_page(va), 0);
	KTEST_EXPECT_FAULT_READ(t, va);
	KTEST_EXPECT_EQ(t, free_frame(frame), 0);
}

/* The boot-time layout: least privilege, no W+X, no identity map. */
static void test_kernel_layout(struct ktest *t)
{
	struct leaf_info li;
	phys_addr_t pa;

	KTEST_EXPECT_EQ(t, paging_check_wx(false), 0UL);
	li = leaf_of(&init_mm, (unsigned long)_text);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC | PAGE_GLOBAL),
			PAGE_EXEC | PAGE_GLOBAL);
	li = leaf_of(&init_mm, (unsigned long)_rodata);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), 0UL);
	li = leaf_of(&init_mm, (unsigned long)_data);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	li = leaf_of(&init_mm, (unsigned long)init_stack);
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	/* The boot stack's guard page (first page of .bss) is a hole. */
	KTEST_EXPECT_EQ(t, translate((unsigned long)init_stack_guard, &pa), -ENOENT);
	KTEST_EXPECT_FAULT_WRITE(t, init_stack - 1);
	/* RAM at 64 MiB, or half-way up a smaller machine's: a huge RW page. */
	li = leaf_of(&init_mm, PAGE_OFFSET + min(64UL << 20, ALIGN_DOWN(max_pfn << PAGE_SHIFT >> 1,
								     PMD_SIZE)));
	KTEST_EXPECT_EQ(t, li.flags & (PAGE_WRITABLE | PAGE_EXEC), PAGE_WRITABLE);
	KTEST_EXPECT_GE(t, li.size, PMD_SIZE);
	KTEST_EXPECT_FAULT_WRITE(t, _text);
	KTEST_EXPECT_FAULT_WRITE(t, _rodata);
	KTEST_EXPECT_NO_FAULT_READ(t, _rodata);
	/* No identity map any more; the image translates to its load address. */
	KTEST_EXPECT_EQ(t, translate(0x100000, &pa), -ENOENT);
	KTEST_EXPECT_FAULT_READ(t, 0x100000);
	KTEST_EXPECT_EQ(t, translate((unsigned long)_text, &pa), 0);
	KTEST_EXPECT_EQ(t, pa, virt_to_phys(_text));
	/* Nothing below the image in the -2 GiB window. */
	KTEST_EXPECT_EQ(t, translate(KERNEL_VMA, &pa), -ENOENT);
	KTEST_EXPECT_NE(t, read_cr4() & X86_CR4_PGE, 0UL);
}

/* The shell commands run (make run / make bochs use them interactively). */
static void test_shell_commands(struct ktest *t)
{
	unsigned int ceiling = tlb_single_page_flush_ceiling;

	KTEST_EXPECT_EQ(t, shell_run_command("ptdump"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("vmallocinfo"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("tlbinfo"), 0);
	KTEST_EXPECT_EQ(t, shell_run_command("tlbinfo ceiling 0"), -EINVAL);
	KTEST_EXPECT_EQ(t, tlb_single_page_flush_ceiling, ceiling);
	KTEST_EXPECT_EQ(t, shell_run_command("tlbinfo ceiling 64"), 0);
	KTEST_EXPECT_EQ(t, tlb_single_page_flush_ceiling, 64U);
	tlb_single_page_flush_ceiling = ceiling;
}

static int pgtable_case_init(struct ktest *t)
{
	return 0;
}
#endif

static struct ktest_case pgtable_cases[] = {
	KTEST_CASE(test_page_mapping),
	KTEST_CASE(test_write_combine),
	KTEST_CASE(test_entry_encoding),
	KTEST_CASE(test_roundtrip_4k),
	KTEST_CASE(test_roundtrip_2m),
	KTEST_CASE(test_roundtrip_1g),
	KTEST_CASE(test_errors),
	KTEST_CASE(test_table_cache_empty),
	KTEST_CASE(test_range_beyond_52_bits),
	KTEST_CASE(test_enomem),
	KTEST_CASE(test_split_2m),
	KTEST_CASE(test_remap_leaf),
	KTEST_CASE(test_range_covers_huge),
	KTEST_CASE(test_range_ends_at_2_64),
	KTEST_CASE(test_split_1g_protect),
	KTEST_CASE(test_unmap_huge_matrix),
	KTEST_CASE(test_failed_split_undone),
	KTEST_CASE(test_map_range_sizes),
	KTEST_CASE_RAM(test_no_table_leaks, 0, 32),
	KTEST_CASE(test_address_spaces),
	KTEST_CASE(test_random_against_model),
	KTEST_CASE_FLAGS(test_translate_unmap_race, KTEST_F_SMP),
	KTEST_CASE_FLAGS(test_translate_unmap_race_dir, KTEST_F_SMP),
	KTEST_CASE(test_translate_cache_freed),
#ifdef __HOSTED__
	KTEST_CASE(test_flush_requests),
	KTEST_CASE(test_concurrent_tables),
#else
	KTEST_CASE(test_write_through_mapping),
	KTEST_CASE(test_faults),
	KTEST_CASE(test_last_page_flush),
	KTEST_CASE(test_kernel_layout),
	KTEST_CASE(test_check_wx),
	KTEST_CASE(test_direct_map_counts),
	KTEST_CASE(test_shell_commands),
#endif
	{}
};

static struct ktest_suite pgtable_suite = {
	.name = "pgtable",
	.cases = pgtable_cases,
	.init = pgtable_case_init,
};
KTEST_SUITE(pgtable_suite);

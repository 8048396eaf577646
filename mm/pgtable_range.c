// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table range operations: map_range(), unmap_range(),
 * protect_range() and their mm_ variants.
 *
 * One recursive walk over the levels (range_walk()) does every operation:
 * count the leaves or holes of a range, split the huge leaves that straddle
 * its ends, unmap, re-protect.  map_range() picks the biggest page size
 * that fits at each step; unmap/protect split the ends first (every table
 * taken beforehand), so a call either does everything or nothing.  The
 * invariants are at the top of mm/pgtable.c.
 */
#define pr_fmt(fmt) "pgtable: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/tlb.h>

#include "pgtable_internal.h"

struct range_op {
	int op;			/* RANGE_* */
	pgflags_t flags;	/* RANGE_PROTECT */
	unsigned long lo, hi;	/* the caller's whole range: leaves inside stay whole */
	unsigned long found;	/* leaves seen */
	struct list_head *dead;
	struct table_pool *pool;	/* RANGE_SPLIT: the tables, counted beforehand */
};

/*
 * Count leaves, change nothing.  map_range()'s emptiness check has its own
 * loop (count_leaves()); the op stays because dropping its test from
 * range_walk() makes gcc lay out the unmap walk worse (vm_shoot_512 +2 %).
 */
#define RANGE_COUNT	0
#define RANGE_SPLIT	1	/* split huge leaves that straddle the ends */
#define RANGE_UNMAP	2
#define RANGE_PROTECT	3
#define RANGE_HOLES	4	/* count unmapped 4 KiB pages in the range */

/*
 * Leaves in [@start, @end), not empty, below @table at @level (@end 0
 * means 2^64): map_range()'s check that its range is empty.  A page
 * table's entries are all leaves, so its slice is one loop.
 */
static unsigned long count_leaves(const pte_t *table, int level, unsigned long start,
				  unsigned long end)
{
	unsigned long size = level_size(level), va = start, n = 0;

	if (level == PT_LEVEL_PTE) {
		for (unsigned int i = pt_index(start, level), last = pt_index(end - 1, level);
		     i <= last; i++)
			n += pte_present(table[i]);
		return n;
	}
	for (;;) {
		unsigned long next = (va & ~(size - 1)) + size;
		pte_t e = table[pt_index(va, level)];

		if (next - 1 >= end - 1)	/* past the end, or at 2^64 */
			next = end;
		if (pte_present(e))
			n += pt_leaf(e, level) ? 1 : count_leaves(pt_table(e), level - 1, va, next);
		if (next == end)
			return n;
		va = next;
	}
}

/*
 * Apply @op to [@start, @end), not empty, below @table at @level (@end 0
 * means 2^64).  A leaf is "whole"
 * when it lies inside the caller's range [@op->lo, @op->hi), which may be
 * wider than the part walked: split_ends() walks only the first and last
 * page of a range, and must leave a huge leaf that the range covers
 * entirely alone.  For RANGE_SPLIT, leaves that are not whole are split
 * (may fail with -ENOMEM); the other ops expect the ends to be split
 * already.
 */
static int range_walk(struct mm_struct *mm, pte_t *table, int level, unsigned long start,
		      unsigned long end, struct range_op *op)
{
	unsigned long size = level_size(level);
	unsigned long va = start;

	/* Never empty (start < end); end may be 2^64, i.e. 0. */
	for (;;) {
		unsigned long base = va & ~(size - 1);
		unsigned long next = base + size;
		pte_t *e = &table[pt_index(va, level)];
		/* Inclusive ends: next or hi may be 0, i.e. 2^64. */
		bool whole = base >= op->lo && next - 1 <= op->hi - 1;
		int err;

		if (next - 1 >= end - 1)	/* past the end, or at 2^64 */
			next = end;
		if (!pte_present(*e)) {
			if (op->op == RANGE_HOLES)
				op->found += (next - va) >> PAGE_SHIFT;
		} else if (pt_leaf(*e, level)) {
			if (!whole && op->op != RANGE_COUNT && op->op != RANGE_HOLES) {
				if (op->op != RANGE_SPLIT)
					return -EINVAL;	/* caller bug: ends not split */
				err = pgt_split_leaf(e, level, va, op->pool);
				if (err)
					return err;
				continue;	/* walk the new table */
			}
			if (op->op != RANGE_HOLES)
				op->found++;
			if (op->op == RANGE_UNMAP) {
				clear_entry(e);
			} else if (op->op == RANGE_PROTECT) {
				set_pte(e, make_leaf(leaf_phys(*e, level), op->flags, level,
							 va));
			}
		} else {
			pte_t *child = pt_table(*e);

			err = range_walk(mm, child, level - 1, va, next, op);
			if (err)
				return err;
			if (op->op == RANGE_UNMAP && table_page_of(child)->units == 0 &&
			    !(level == PGTABLE_LEVELS && is_kernel_addr(va))) {
				clear_entry(e);
				pgt_table_defer_free(mm, child, op->dead);
			}
		}
		if (next == end)
			break;
		va = next;
	}
	return 0;
}

static int range_apply(struct mm_struct *mm, unsigned long start, size_t size,
		       struct range_op *op)
{
	unsigned long end = start + size;

	if (op->op != RANGE_SPLIT) {
		op->lo = start;
		op->hi = end;
	}
	return range_walk(mm, mm->pgd, PGTABLE_LEVELS, start, end, op);
}

/*
 * The tables split_ends() will need: for each end, one per level from the
 * huge leaf holding it down to the first level where the leaf holding it
 * lies inside [@lo, @hi) (@hi 0: 2^64), a leaf both ends share counted
 * once.  Changes nothing.
 */
static unsigned int split_ends_need(struct mm_struct *mm, unsigned long lo, unsigned long hi)
{
	const unsigned long ends[2] = { lo, hi - PAGE_SIZE };
	unsigned long split_base[SPLITS_MAX];
	int split_level[SPLITS_MAX];
	unsigned int n = 0;

	for (unsigned int i = 0; i < 2; i++) {
		int level;

		if (!walk_leaf(mm, ends[i], &level))
			continue;
		for (; level > PT_LEVEL_PTE; level--) {
			unsigned long size = level_size(level), base = ends[i] & ~(size - 1);
			bool seen = false;

			if (base >= lo && base + size - 1 <= hi - 1)
				break;		/* whole: stays as it is */
			for (unsigned int k = 0; k < n; k++)
				seen |= split_level[k] == level && split_base[k] == base;
			if (!seen) {
				split_level[n] = level;
				split_base[n++] = base;
			}
		}
	}
	return n;
}

/*
 * Split the huge leaves straddling the two ends of [@start, @start +
 * @size), and only those: a huge page the range covers entirely is
 * unmapped or re-protected whole (owner lock held).  Every table is taken
 * first: -ENOMEM changes nothing.
 */
static int split_ends(struct mm_struct *mm, unsigned long start, size_t size)
{
	struct table_pool pool;
	struct range_op op = { .op = RANGE_SPLIT, .lo = start, .hi = start + size, .pool = &pool };
	unsigned int need = split_ends_need(mm, start, start + size);
	int err;

	if (!need)
		return 0;	/* the common case: no huge page straddles an end */
	err = pgt_pool_fill(mm, &pool, need);
	if (err)
		return err;
	err = range_apply(mm, start, PAGE_SIZE, &op);
	if (!err && size > PAGE_SIZE)
		err = range_apply(mm, start + size - PAGE_SIZE, PAGE_SIZE, &op);
	/* Counted exactly: nothing is left over, and nothing can fail. */
	WARN_ON(err || pool.n);
	pgt_pool_drain(mm, &pool);
	return err;
}

/* The level of the biggest piece that fits at @va/@pa with @left bytes. */
static int piece_level(unsigned long va, phys_addr_t pa, unsigned long left)
{
	if (pgtable_huge_supported(PAGE_HUGE_1G) && !((va | pa) & (PUD_SIZE - 1)) &&
	    left >= PUD_SIZE)
		return PT_LEVEL_PUD;
	if (pgtable_huge_supported(PAGE_HUGE_2M) && !((va | pa) & (PMD_SIZE - 1)) &&
	    left >= PMD_SIZE)
		return PT_LEVEL_PMD;
	return PT_LEVEL_PTE;
}

int mm_map_range(struct mm_struct *mm, unsigned long virt, phys_addr_t phys, size_t size,
		 pgflags_t flags)
{
	unsigned long irqflags, done = 0;
	LIST_HEAD(dead);
	int err;

	err = pgt_check_range("map_range", virt, size);
	if (!err)
		err = pgt_check_flags("map_range", virt, flags, false);
	if (!err)
		err = pgt_check_phys("map_range", phys, PAGE_SIZE);
	/* The whole physical range must fit in 52 bits, not just its start. */
	if (!err && (phys + size < phys || phys + size > (1ULL << __PHYSICAL_MASK_SHIFT))) {
		pr_err_ratelimited("map_range(%#lx): physical %#llx + %#zx beyond 52 bits (-EINVAL)\n",
				   virt, phys, size);
		err = -EINVAL;
	}
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	if (count_leaves(mm->pgd, PGTABLE_LEVELS, virt, virt + size)) {
		err = -EEXIST;
		goto unlock;
	}
	while (done < size) {
		int level = piece_level(virt + done, phys + done, size - done);
		/*
		 * The rest of the table in one walk: a bigger piece can only
		 * start where the table ends (at a 2 MiB boundary for 4 KiB
		 * leaves, 1 GiB for 2 MiB leaves).
		 */
		long n = pgt_map_run(mm, virt + done, phys + done, size - done, flags, level,
				     &dead);

		if (n < 0) {
			err = n;
			break;
		}
		done += n;
	}
	if (err && done) {
		struct range_op un = { .op = RANGE_UNMAP, .dead = &dead };

		range_apply(mm, virt, done, &un);
	}
unlock:
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (err) {
		if (done || !list_empty(&dead))
			flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, TLB_FLUSH_FULL);
		pgt_free_dead_tables(&dead);
		pr_err_ratelimited("map_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -EEXIST ? "something is mapped there" : "no memory", err);
	}
	return err;
}

int mm_unmap_range(struct mm_struct *mm, unsigned long virt, size_t size)
{
	struct range_op op = { .op = RANGE_UNMAP };
	unsigned long irqflags;
	LIST_HEAD(dead);
	int err = pgt_check_range("unmap_range", virt, size);

	if (unlikely(err))
		return err;
	op.dead = &dead;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	err = split_ends(mm, virt, size);
	if (!err)
		err = range_apply(mm, virt, size, &op);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (!err && !op.found)
		err = -ENOENT;
	if (err) {
		pr_err_ratelimited("unmap_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -ENOENT ? "nothing mapped" : "no memory to split", err);
		return err;
	}
	flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT,
			   list_empty(&dead) ? 0 : TLB_FLUSH_FULL);
	pgt_free_dead_tables(&dead);
	return 0;
}

int mm_protect_range(struct mm_struct *mm, unsigned long virt, size_t size, pgflags_t flags)
{
	struct range_op holes = { .op = RANGE_HOLES };
	struct range_op op = { .op = RANGE_PROTECT, .flags = flags };
	unsigned long irqflags;
	int err = pgt_check_range("protect_range", virt, size);

	if (!err)
		err = pgt_check_flags("protect_range", virt, flags, false);
	if (unlikely(err))
		return err;
	mm = owner_mm(mm, virt);
	spin_lock_irqsave(&mm->lock, irqflags);
	range_apply(mm, virt, size, &holes);
	if (holes.found)
		err = -ENOENT;
	if (!err)
		err = split_ends(mm, virt, size);
	if (!err)
		err = range_apply(mm, virt, size, &op);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	if (err) {
		pr_err_ratelimited("protect_range(%#lx + %#zx): %s (%d)\n", virt, size,
				   err == -ENOENT ? "not everything is mapped" : "no memory to split",
				   err);
		return err;
	}
	flush_tlb_mm_range(mm, virt, virt + size, PAGE_SHIFT, 0);
	return 0;
}

int map_range(unsigned long virt, phys_addr_t phys, size_t size, pgflags_t flags)
{
	return mm_map_range(current_mm(), virt, phys, size, flags);
}

int unmap_range(unsigned long virt, size_t size)
{
	return mm_unmap_range(current_mm(), virt, size);
}

int protect_range(unsigned long virt, size_t size, pgflags_t flags)
{
	return mm_protect_range(current_mm(), virt, size, flags);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces (pgtable_init(), mm_create(), mm_destroy()) and the
 * read-only walk for dumps and checks (mm_walk()).  The invariants are at
 * the top of mm/pgtable.c.
 */
#define pr_fmt(fmt) "pgtable: " fmt

#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/list.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/string.h>

#include "pgtable_internal.h"

static u64 next_ctx_id = 2;

int pgtable_init(void)
{
	pgd_t *pgd = pgt_table_alloc(&init_mm);

	if (!pgd)
		return -ENOMEM;
	init_mm.nr_tables--;	/* the PGD is not counted as a lower table */
	for (unsigned int i = PGD_KERNEL_FIRST; i < PTRS_PER_TABLE; i++) {
		pte_t *table = pgt_table_alloc(&init_mm);

		if (!table)
			return -ENOMEM;	/* boot-time only: the caller panics */
		set_entry(&pgd[i], make_table_entry(table, KERNEL_HALF_START));
		kernel_tables[i - PGD_KERNEL_FIRST] = table;
	}
	init_mm.pgd = pgd;
	init_mm.pgd_phys = virt_to_phys(pgd);
	return 0;
}

int mm_create(struct mm_struct **out)
{
	struct mm_struct *mm = (void *)get_zeroed_page(GFP_KERNEL);
	pgd_t *pgd;

	if (!mm)
		goto nomem;
	pgd = pgt_table_alloc(mm);
	if (!pgd) {
		free_page((unsigned long)mm);
		goto nomem;
	}
	mm->nr_tables = 0;
	memcpy(&pgd[PGD_KERNEL_FIRST], &init_mm.pgd[PGD_KERNEL_FIRST],
	       (PTRS_PER_TABLE - PGD_KERNEL_FIRST) * sizeof(pgd_t));
	table_page_of(pgd)->units = PTRS_PER_TABLE - PGD_KERNEL_FIRST;
	spin_lock_init(&mm->lock);
	mm->pgd = pgd;
	mm->pgd_phys = virt_to_phys(pgd);
	mm->ctx_id = __atomic_fetch_add(&next_ctx_id, 1, __ATOMIC_RELAXED);
	mm->tlb_gen = 1;
	mm->pt_cache_va = PT_CACHE_NONE;
	*out = mm;
	return 0;
nomem:
	pr_err("mm_create: out of memory (-ENOMEM)\n");
	return -ENOMEM;
}

static void free_lower(struct mm_struct *mm, pte_t *table, int level, struct list_head *dead)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t e = table[i];

		if (level == PGTABLE_LEVELS && i >= PGD_KERNEL_FIRST)
			break;
		if (!pte_present(e))
			continue;
		if (!pt_leaf(e, level)) {
			pte_t *child = pt_table(e);

			free_lower(mm, child, level - 1, dead);
			table_page_of(child)->units = 0;
			pgt_table_defer_free(mm, child, dead);
		}
		table_page_of(&table[i])->units--;
		table[i] = __pte(0);
	}
}

int mm_destroy(struct mm_struct *mm)
{
	LIST_HEAD(dead);

	if (!mm || mm == &init_mm) {
		pr_err("mm_destroy: %s (-EINVAL)\n", mm ? "init_mm is permanent" : "NULL");
		return -EINVAL;
	}
	if (!cpumask_empty(&mm->cpus)) {
		pr_err("mm_destroy: address space still loaded on %u CPU(s) (-EBUSY)\n",
		       cpumask_weight(&mm->cpus));
		return -EBUSY;
	}
	/*
	 * No CPU has it loaded, and its ctx_id is never reused: stale PCID
	 * entries are flushed when their slot is given to another mm.
	 */
	free_lower(mm, mm->pgd, PGTABLE_LEVELS, &dead);
	WARN_ON(mm->nr_tables != 0);
	pgt_free_dead_tables(&dead);
	table_page_of(mm->pgd)->units = 0;
	page_set_type(virt_to_page(mm->pgd), PAGE_TYPE_BUDDY);
	free_page((unsigned long)mm->pgd);
	__atomic_fetch_sub(&pgtable_pages, 1, __ATOMIC_RELAXED);
	free_page((unsigned long)mm);
	return 0;
}

/* ---------------------------------------------------------------------
 * Walk for dumps and checks.
 */

static int walk_level(pte_t *table, int level, unsigned long va_base, unsigned long start,
		      unsigned long last, int (*fn)(const struct pt_leaf *, void *), void *arg)
{
	unsigned long size = level_size(level);
	/*
	 * Below the PGD a table's count of present entries is exact: the
	 * walk stops after the last one instead of reading all 512 (a table
	 * changed under a racing walk is read as it is, as before).
	 */
	unsigned int left = level == PGTABLE_LEVELS ? PTRS_PER_TABLE : table_page_of(table)->units;

	for (unsigned int i = 0; i < PTRS_PER_TABLE && left; i++) {
		unsigned long va = va_base + i * size;
		pte_t e = READ_ONCE(table[i]);
		int ret;

		if (!pte_present(e))
			continue;
		left--;
		if (level == PGTABLE_LEVELS && i >= PGD_KERNEL_FIRST)
			va |= 0xffff000000000000UL;	/* sign extension */
		if (va + size - 1 < start || va > last)
			continue;
		if (pt_leaf(e, level)) {
			struct pt_leaf leaf = {
				.virt = va, .phys = leaf_phys(e, level), .size = size, .entry = e,
			};

			ret = fn(&leaf, arg);
		} else if (table_page_of(pt_table(e))->units) {
			/* Empty tables (idle kernel_tables[]) are skipped whole. */
			ret = walk_level(pt_table(e), level - 1, va, start, last, fn, arg);
		} else {
			ret = 0;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int mm_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	    int (*fn)(const struct pt_leaf *leaf, void *arg), void *arg)
{
	return walk_level(mm->pgd, PGTABLE_LEVELS, 0, start, end ? end - 1 : ~0UL, fn, arg);
}

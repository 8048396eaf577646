/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the page-table files share (mm/pgtable.c: tables, walks, single
 * pages, translate; mm/pgtable_range.c: range operations; mm/pgtable_mm.c:
 * address spaces and mm_walk()).  The invariants are at the top of
 * mm/pgtable.c.
 */
#ifndef _MM_PGTABLE_INTERNAL_H
#define _MM_PGTABLE_INTERNAL_H

#include <exo/list.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>

/* Page-table pages of all address spaces (nr_pgtable_pages()). */
extern unsigned long pgtable_pages;
/*
 * Direct-map addresses of the permanent tables the kernel-half PGD slots
 * point to (PUD tables on x86-64, where the P4D level is folded).
 */
extern pte_t *kernel_tables[PTRS_PER_TABLE - PGD_KERNEL_FIRST];

static __always_inline unsigned long level_size(int level)
{
	return 1UL << pt_level_shift(level);
}

/* Physical address of a leaf at @level (the arch's bits below its size masked). */
static __always_inline phys_addr_t leaf_phys(pte_t e, int level)
{
	return pt_entry_phys(e) & ~(level_size(level) - 1);
}

/* The table page an entry lives in (tables are single frames). */
static __always_inline struct page *table_page_of(const pte_t *entry)
{
	return pfn_to_page(PHYS_PFN(direct_virt_to_phys(entry)));
}

static __always_inline bool is_kernel_addr(unsigned long va)
{
	return (long)va < 0;	/* canonical kernel half: bit 63 set */
}

static __always_inline struct mm_struct *owner_mm(struct mm_struct *mm, unsigned long va)
{
	return is_kernel_addr(va) ? &init_mm : mm;
}
/* Store an entry and keep the table's present count. */
static __always_inline void set_entry(pte_t *slot, pte_t e)
{
	table_page_of(slot)->units++;
	set_pte(slot, e);
}

static __always_inline void clear_entry(pte_t *slot)
{
	table_page_of(slot)->units--;
	set_pte(slot, __pte(0));
}

/* Kernel-half leaves are always global. */
static __always_inline pte_t make_leaf(phys_addr_t pa, pgflags_t flags, int level,
				       unsigned long va)
{
	if (is_kernel_addr(va))
		flags |= PAGE_GLOBAL;
	return pt_mk_leaf(pa, flags, level);
}

/* No USER above a leaf in the kernel half. */
static __always_inline pte_t make_table_entry(const pte_t *table, unsigned long va)
{
	return pt_mk_table(virt_to_phys(table), !is_kernel_addr(va));
}
/*
 * Tables for splits, taken before any entry changes: a call that would run
 * out of frames half-way through its splits fails before the first one.
 */
#define SPLITS_MAX	4	/* two ends, 1 GiB -> 2 MiB -> 4 KiB each */

struct table_pool {
	pte_t *t[SPLITS_MAX];
	unsigned int n;
};

pte_t *pgt_table_alloc(struct mm_struct *mm);
void pgt_table_defer_free(struct mm_struct *mm, pte_t *table, struct list_head *dead);
void pgt_free_dead_tables(struct list_head *dead);
int pgt_pool_fill(struct mm_struct *mm, struct table_pool *pool, unsigned int need);
void pgt_pool_drain(struct mm_struct *mm, struct table_pool *pool);

/* The leaf slot that maps @va and its level, or NULL. */
static inline pte_t *walk_leaf(const struct mm_struct *mm, unsigned long va, int *levelp)
{
	pte_t *table = mm->pgd;

	for (int level = PGTABLE_LEVELS; level >= PT_LEVEL_PTE; level--) {
		pte_t *e = &table[pt_index(va, level)];
		pte_t v = READ_ONCE(*e);

		if (!pte_present(v))
			return NULL;
		if (pt_leaf(v, level)) {
			*levelp = level;
			return e;
		}
		table = pt_table(v);
	}
	return NULL;
}

int pgt_check_range(const char *fn, unsigned long va, size_t size);
int pgt_check_flags(const char *fn, unsigned long va, pgflags_t flags, bool sizes_ok);
int pgt_check_phys(const char *fn, phys_addr_t pa, unsigned long align);

int pgt_split_leaf(pte_t *slot, int level, unsigned long va, struct table_pool *pool);
int pgt_map_one(struct mm_struct *mm, unsigned long va, phys_addr_t pa, pgflags_t flags,
		int level, struct list_head *dead);
long pgt_map_run(struct mm_struct *mm, unsigned long va, phys_addr_t pa, unsigned long left,
		 pgflags_t flags, int level, struct list_head *dead);

#endif

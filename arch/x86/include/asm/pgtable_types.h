/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page-table entries: their types, hardware bits and geometry
 * (4 levels of 512 entries, 48-bit virtual addresses, the P4D level folded
 * into the PGD).  The accessors are in <asm/pgtable_64.h>; generic code
 * includes <exo/pgtable.h>, which pulls in both.
 *
 * The hosted build (arch/hosted) walks tables of this very format in its
 * fake RAM, so this header and <asm/pgtable_64.h> must stay free of
 * instructions and CPU state.
 */
#ifndef _ASM_X86_PGTABLE_TYPES_H
#define _ASM_X86_PGTABLE_TYPES_H

#include <exo/types.h>

/*
 * One entry.  __bitwise: sparse rejects arithmetic on an entry that does
 * not go through pte_val()/__pte().  Every level has the same format, so
 * the per-level names are the same type and a table of any level is an
 * array of pte_t for the level-generic walker.
 */
typedef u64 pteval_t;
typedef pteval_t __bitwise pte_t;
typedef pte_t pmd_t;
typedef pte_t pud_t;
typedef pte_t p4d_t;
typedef pte_t pgd_t;

static __always_inline pteval_t pte_val(pte_t p)
{
	return (__force pteval_t)p;
}

static __always_inline pte_t __pte(pteval_t v)
{
	return (__force pte_t)v;
}

/* Hardware bits of an entry at any level. */
#define _PAGE_PRESENT	0x001ULL
#define _PAGE_RW	0x002ULL
#define _PAGE_USER	0x004ULL
#define _PAGE_PWT	0x008ULL
#define _PAGE_PCD	0x010ULL
#define _PAGE_ACCESSED	0x020ULL
#define _PAGE_DIRTY	0x040ULL
#define _PAGE_PSE	0x080ULL	/* leaf at PD (2 MiB) / PDPT (1 GiB) level */
#define _PAGE_PAT	0x080ULL	/* the same bit in a 4 KiB entry: PAT index bit 2 */
#define _PAGE_PAT_LARGE	0x1000ULL	/* PAT index bit 2 in a 2 MiB / 1 GiB leaf */
#define _PAGE_GLOBAL	0x100ULL
#define _PAGE_NX	(1ULL << 63)
/* The address field (bits 12-51); a huge leaf also has _PAGE_PAT_LARGE in it. */
#define PTE_PFN_MASK	0x000ffffffffff000ULL

/* Levels, counted from the leaves up (Linux's enum pg_level). */
#define PGTABLE_LEVELS	4
#define PT_LEVEL_PTE	1	/* page table: 4 KiB leaves */
#define PT_LEVEL_PMD	2	/* page directory: 2 MiB leaves or tables */
#define PT_LEVEL_PUD	3	/* PDPT: 1 GiB leaves or tables */
#define PT_LEVEL_PGD	4	/* PML4: tables only */

#define PT_INDEX_BITS	9
#define PTRS_PER_TABLE	(1 << PT_INDEX_BITS)
#define PTRS_PER_PTE	PTRS_PER_TABLE
#define PTRS_PER_PMD	PTRS_PER_TABLE
#define PTRS_PER_PUD	PTRS_PER_TABLE
#define PTRS_PER_P4D	1		/* folded */
#define PTRS_PER_PGD	PTRS_PER_TABLE
/* PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT and PGDIR_SHIFT are in <asm/page.h>. */
#define P4D_SHIFT	PGDIR_SHIFT

/*
 * Canonical addresses: bits 63..47 all equal.  The lower half belongs to
 * each address space, the upper half (PGD slots 256..511) is the kernel's,
 * shared by all.
 */
#define __VIRTUAL_MASK_SHIFT	47
#define KERNEL_HALF_START	0xffff800000000000UL
#define USER_HALF_END		0x0000800000000000UL
#define PGD_KERNEL_FIRST	256	/* first kernel-half PML4 slot */
/* Physical addresses an entry can hold. */
#define __PHYSICAL_MASK_SHIFT	52

#endif

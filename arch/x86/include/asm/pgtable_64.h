/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page-table accessors: what the generic page-table code
 * (mm/pgtable*.c) asks of an entry.  Two families:
 *
 *  - level-generic hooks (pt_*), for the walkers that loop over levels:
 *    pt_level_shift(), pt_index(), pt_leaf(), pt_entry_phys(), pt_table(),
 *    pt_mk_leaf(), pt_mk_table(), pt_split_fill(), pte_pgflags();
 *  - Linux's per-level names, for the unrolled fast paths:
 *    pgd/p4d/pud/pmd/pte _index() and _offset(), _present(), pud_leaf(),
 *    pmd_leaf(), pud_is_table()/pmd_is_table(), set_pte().
 *
 * Levels are PT_LEVEL_PTE (1) .. PGTABLE_LEVELS; a "table" of any level is
 * an array of PTRS_PER_TABLE pte_t.  Pure C on the entry format: the hosted
 * build uses it unchanged.  Include <exo/pgtable.h>, not this.
 */
#ifndef _ASM_X86_PGTABLE_64_H
#define _ASM_X86_PGTABLE_64_H

#include <exo/compiler.h>
#include <exo/pgtable.h>
#include <asm/page.h>
#include "pgtable_types.h"

/* pt_mk_leaf() and pte_pgflags() copy these flags as they are. */
_Static_assert(PAGE_WRITABLE == _PAGE_RW && PAGE_USER == _PAGE_USER &&
	       PAGE_WRITETHROUGH == _PAGE_PWT && PAGE_NOCACHE == _PAGE_PCD &&
	       PAGE_GLOBAL == _PAGE_GLOBAL, "PAGE_HW_FLAGS are not the x86 bits");

/* ---- level-generic hooks ---- */

/* log2 of the span of one entry at @level (12, 21, 30, 39). */
static __always_inline unsigned int pt_level_shift(int level)
{
	return PAGE_SHIFT + PT_INDEX_BITS * (level - 1);
}

static __always_inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> pt_level_shift(level)) & (PTRS_PER_TABLE - 1);
}

static __always_inline bool pte_present(pte_t e)
{
	return pte_val(e) & _PAGE_PRESENT;
}

/* Whether a present entry at @level maps memory itself (else: a table). */
static __always_inline bool pt_leaf(pte_t e, int level)
{
	return level == PT_LEVEL_PTE || (pte_val(e) & _PAGE_PSE);
}

/*
 * The address field of a present entry: a table's or a page's physical
 * address.  A huge leaf's has PAT bits below its size, which the caller
 * masks off with the leaf size.
 */
static __always_inline phys_addr_t pt_entry_phys(pte_t e)
{
	return pte_val(e) & PTE_PFN_MASK;
}

/* The table a present non-leaf entry points to (direct-map address). */
static __always_inline pte_t *pt_table(pte_t e)
{
	return phys_to_virt(pt_entry_phys(e));
}

/*
 * A leaf at @level mapping @pa with the PAGE_* @flags (the size flags are
 * ignored: @level is the size).  The hardware-backed flags are their
 * x86 bits; NX unless PAGE_EXEC; PAGE_WRITECOMBINE is the PAT bit, whose
 * place depends on the level.
 */
static __always_inline pte_t pt_mk_leaf(phys_addr_t pa, pgflags_t flags, int level)
{
	pteval_t e = pa | _PAGE_PRESENT | (flags & PAGE_HW_FLAGS);

	if (!(flags & PAGE_EXEC))
		e |= _PAGE_NX;
	if (level != PT_LEVEL_PTE)
		e |= _PAGE_PSE;
	if (unlikely(flags & PAGE_WRITECOMBINE))
		e |= level == PT_LEVEL_PTE ? _PAGE_PAT : _PAGE_PAT_LARGE;
	return __pte(e);
}

/*
 * pt_mk_leaf() of a 4 KiB page for the map_page() fast path, present,
 * global if @global: @pa | @flags, then one xor with an entry of a table
 * indexed by the PAGE_GLOBAL and PAGE_EXEC bits of @flags (bits 8 and 9)
 * that sets PRESENT, trades PAGE_EXEC's bit for NX or drops it, and sets
 * GLOBAL where @flags lacks it and @global asks for it: no test, no
 * conditional or.  Precondition: @flags within PAGE_HW_FLAGS | PAGE_EXEC
 * (map_page() checks it first), so flags >> 8 is those two bits alone;
 * the & 3 keeps the table read in bounds regardless, and after that
 * check it costs nothing.
 */
static __always_inline pte_t pt_mk_pte_fast(phys_addr_t pa, pgflags_t flags, bool global)
{
	static const pteval_t fix[2][4] = {
		{ _PAGE_PRESENT | _PAGE_NX, _PAGE_PRESENT | _PAGE_NX,
		  _PAGE_PRESENT | PAGE_EXEC, _PAGE_PRESENT | PAGE_EXEC },
		{ _PAGE_PRESENT | _PAGE_NX | _PAGE_GLOBAL, _PAGE_PRESENT | _PAGE_NX,
		  _PAGE_PRESENT | PAGE_EXEC | _PAGE_GLOBAL, _PAGE_PRESENT | PAGE_EXEC },
	};

	BUILD_BUG_ON(PAGE_GLOBAL != 1UL << 8 || PAGE_EXEC != 1UL << 9 ||
		     ((PAGE_HW_FLAGS | PAGE_EXEC) >> 10) || (PAGE_HW_FLAGS & _PAGE_PRESENT));
	return __pte((pa | flags) ^ fix[global][(flags >> 8) & 3]);
}

/*
 * An entry pointing to the table at @table_pa.  Upper levels are
 * permissive and the leaf decides; @user lets lower-half leaves below it
 * be user-accessible.
 *
 * Rule: nothing above bit 51 (NX, protection keys, software bits) is
 * ever set in a table entry, and below bit 12 only P, RW, USER (and the
 * CPU's accessed bit).  translate()'s walk (arch_xlate_walk() in
 * asm/pcp.h) takes a table's address with one and $-4096, which keeps
 * bits 52-63; test_entry_encoding checks the rule.
 */
static __always_inline pte_t pt_mk_table(phys_addr_t table_pa, bool user)
{
	pteval_t e = table_pa | _PAGE_PRESENT | _PAGE_RW;

	if (user)
		e |= _PAGE_USER;
	return __pte(e);
}

/*
 * Fill @table with the PTRS_PER_TABLE leaves of level @level - 1 that
 * together map what the huge leaf @old at @level maps, with its flags.
 */
static inline void pt_split_fill(pte_t old, int level, pte_t *table)
{
	pteval_t flags = pte_val(old) & (PAGE_HW_FLAGS | _PAGE_NX);
	unsigned long step = 1UL << pt_level_shift(level - 1);
	phys_addr_t pa = pt_entry_phys(old) & ~((1UL << pt_level_shift(level)) - 1);

	if (level - 1 != PT_LEVEL_PTE)
		flags |= _PAGE_PSE;
	/* The PAT bit moves from bit 12 to bit 7 in 4 KiB entries. */
	if (pte_val(old) & _PAGE_PAT_LARGE)
		flags |= level - 1 == PT_LEVEL_PTE ? _PAGE_PAT : _PAGE_PAT_LARGE;
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		table[i] = __pte((pa + i * step) | _PAGE_PRESENT | flags);
}

/**
 * pte_pgflags() - the PAGE_* flags of a leaf
 * @entry: a present leaf entry
 * @size: its size: PAGE_SIZE, PMD_SIZE or PUD_SIZE
 *
 * Return: the hardware-backed flags, PAGE_EXEC when NX is clear,
 * PAGE_WRITECOMBINE for the PAT bit and the size flag of a huge leaf.
 */
static inline pgflags_t pte_pgflags(pte_t entry, unsigned long size)
{
	pteval_t v = pte_val(entry);
	pgflags_t f = v & PAGE_HW_FLAGS;

	if (!(v & _PAGE_NX))
		f |= PAGE_EXEC;
	if (v & (size == PAGE_SIZE ? _PAGE_PAT : _PAGE_PAT_LARGE))
		f |= PAGE_WRITECOMBINE;
	if (size == PMD_SIZE)
		f |= PAGE_HUGE_2M;
	else if (size == PUD_SIZE)
		f |= PAGE_HUGE_1G;
	return f;
}

/* ---- per-level names (Linux's) ---- */

static __always_inline unsigned int pgd_index(unsigned long va)
{
	return pt_index(va, PT_LEVEL_PGD);
}

static __always_inline unsigned int pud_index(unsigned long va)
{
	return pt_index(va, PT_LEVEL_PUD);
}

static __always_inline unsigned int pmd_index(unsigned long va)
{
	return pt_index(va, PT_LEVEL_PMD);
}

static __always_inline unsigned int pte_index(unsigned long va)
{
	return pt_index(va, PT_LEVEL_PTE);
}

#define pgd_present(e)	pte_present(e)
#define p4d_present(e)	pte_present(e)
#define pud_present(e)	pte_present(e)
#define pmd_present(e)	pte_present(e)

/* Whether a present PUD / PMD entry is a 1 GiB / 2 MiB leaf. */
static __always_inline bool pud_leaf(pud_t e)
{
	return pte_val(e) & _PAGE_PSE;
}

#define pmd_leaf(e)	pud_leaf(e)

/* Present and pointing to a table: one test for both conditions. */
static __always_inline bool pud_is_table(pud_t e)
{
	return (pte_val(e) & (_PAGE_PRESENT | _PAGE_PSE)) == _PAGE_PRESENT;
}

#define pmd_is_table(e)	pud_is_table(e)

static __always_inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long va)
{
	return pgd + pgd_index(va);
}

/* The P4D level is folded: its one entry is the PGD entry. */
static __always_inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long va)
{
	(void)va;
	return pgd;
}

/* The slots below a present table entry (which may be a local copy). */
static __always_inline pud_t *pud_offset(const p4d_t *p4d, unsigned long va)
{
	return pt_table(*p4d) + pud_index(va);
}

static __always_inline pmd_t *pmd_offset(const pud_t *pud, unsigned long va)
{
	return pt_table(*pud) + pmd_index(va);
}

static __always_inline pte_t *pte_offset_kernel(const pmd_t *pmd, unsigned long va)
{
	return pt_table(*pmd) + pte_index(va);
}

/* Entries are stored whole, in one access: lock-free walkers read them. */
static __always_inline void set_pte(pte_t *slot, pte_t e)
{
	WRITE_ONCE(*slot, e);
}

#endif

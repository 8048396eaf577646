/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables and address spaces: the "Virtual memory" part of the memory
 * API contract (Documentation/mm/api.rst), see Documentation/mm/vm.rst.
 *
 *	phys_addr_t f;
 *	alloc_frame(&f);
 *	map_page(0x10000000, f, PAGE_WRITABLE);		// RW, NX, 4 KiB
 *	translate(0x10000123, &pa);			// pa == f + 0x123
 *	unmap_page(0x10000000);			// flushed wherever it may be cached
 *
 * The entry format, its accessors and the address-space geometry are the
 * architecture's (<asm/pgtable_types.h>, <asm/pgtable.h>, included here):
 * the code in mm/ walks tables only through them.
 */
#ifndef _EXO_PGTABLE_H
#define _EXO_PGTABLE_H

#include <exo/types.h>
#include <exo/cpumask.h>
#include <exo/spinlock.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>

/*
 * Mapping flags (pgflags_t).  The hardware-backed ones have their
 * x86 bit values so that building an x86 entry is one mask; PAGE_EXEC and
 * the size flags use bits the CPU ignores and are never stored.
 * PAGE_WRITECOMBINE selects PAT entry 4, which the architecture programs
 * as write-combining (x86: arch/x86/mm/pat.c), and excludes PAGE_NOCACHE
 * and PAGE_WRITETHROUGH.  The architecture turns flags into entries
 * (pt_mk_leaf()) and back (pte_pgflags()).
 */
#define PAGE_WRITABLE		0x002UL
#define PAGE_USER		0x004UL
#define PAGE_WRITETHROUGH	0x008UL
#define PAGE_NOCACHE		0x010UL
#define PAGE_GLOBAL		0x100UL
#define PAGE_EXEC		0x200UL
#define PAGE_HUGE_2M		0x400UL
#define PAGE_HUGE_1G		0x800UL
#define PAGE_WRITECOMBINE	0x1000UL
#define PAGE_FLAGS_ALL		0x1f1eUL
#define PAGE_HW_FLAGS		(PAGE_WRITABLE | PAGE_USER | PAGE_WRITETHROUGH | \
				 PAGE_NOCACHE | PAGE_GLOBAL)

/**
 * struct mm_struct - an address space
 * @pgd: its top-level table (direct-map address); the kernel-half slots
 *	(PGD_KERNEL_FIRST..) are init_mm's
 * @pgd_phys: physical address of @pgd, for CR3
 * @lock: serialises changes to the lower-half tables (init_mm's lock
 *	covers the shared kernel half for every address space)
 * @cpus: CPUs that have it loaded now and may cache its lower-half
 *	translations; the shootdown targets
 * @cpus_ever: CPUs that ever loaded it (for the lazy-mode statistics)
 * @ctx_id: unique, never reused: names the address space in the per-CPU
 *	PCID slots
 * @tlb_gen: bumped by every change that needs a flush; a CPU switching
 *	in with an older generation in its PCID slot flushes that PCID
 * @nr_tables: page-table pages below the PML4 owned by this mm
 * @pt_cache_va: the 2 MiB-aligned start of what the last page table the
 *	4 KiB fast path walked to maps (under @lock), PT_CACHE_NONE when
 *	invalid: a page-aligned @va is in it if @va - @pt_cache_va < 2 MiB,
 *	and its slot lies (@va - @pt_cache_va) >> 9 bytes into @pt_cache
 * @pt_cache: that page table
 * @pt_cache_page: its struct page (the present-entry count)
 */
struct mm_struct {
	pgd_t *pgd;
	phys_addr_t pgd_phys;
	spinlock_t lock;
	struct cpumask cpus;
	struct cpumask cpus_ever;
	u64 ctx_id;
	u64 tlb_gen;
	unsigned long nr_tables;
	unsigned long pt_cache_va;
	pte_t *pt_cache;
	struct page *pt_cache_page;
};

/* Whether @v is canonical, as a constant expression (virt_is_canonical()). */
#define VIRT_IS_CANONICAL(v)	((v) < USER_HALF_END || (v) >= KERNEL_HALF_START)

/*
 * mm_struct.pt_cache_va of an empty cache: the end of the lower half,
 * non-canonical like every address less than 2 MiB above it, so no
 * address the fast paths accept matches it.
 */
#define PT_CACHE_NONE	USER_HALF_END
BUILD_BUG_ON(VIRT_IS_CANONICAL(PT_CACHE_NONE) ||
	     VIRT_IS_CANONICAL(PT_CACHE_NONE + PMD_SIZE - 1));

/* The kernel's address space: the boot page tables and the shared kernel half. */
extern struct mm_struct init_mm;

/* ---- the contract: current address space (kernel half shared by all) ---- */

/**
 * map_page() - map one page at @virt to @phys in the current address space
 * @virt: canonical virtual address, aligned to the page size
 * @phys: physical address, aligned to the page size
 * @flags: PAGE_* flags; NX unless PAGE_EXEC; 4 KiB unless PAGE_HUGE_2M or
 *	PAGE_HUGE_1G.  Kernel-half mappings are always global.
 *
 * Missing tables are created.  No TLB flush is needed (nothing was mapped).
 * Return: 0; -EINVAL for a misaligned or non-canonical address, an unknown
 * flag, PAGE_USER in the kernel half, PAGE_GLOBAL in the lower half
 * (it would leak into every address space) or a huge size that is not
 * configured/supported; -EEXIST if something (or a huge page) is mapped
 * there; -ENOMEM if no frame is left for a page table.
 */
int map_page(unsigned long virt, phys_addr_t phys, pgflags_t flags);

/**
 * unmap_page() - remove the mapping of the page containing @virt
 * @virt: page-aligned canonical address
 *
 * A 4 KiB page inside a huge mapping splits it first.  Tables that become
 * empty go back to the frame allocator.  Every TLB that may hold the
 * translation is flushed before the call returns.  The frame itself is the
 * caller's.
 * Return: 0; -EINVAL bad address; -ENOENT nothing mapped; -ENOMEM no frame
 * for the split.
 */
int unmap_page(unsigned long virt);

/**
 * translate() - physical address behind @virt in the current address space
 * @virt: any canonical address (the offset inside the page is kept)
 * @phys: result
 * Return: 0; -EINVAL non-canonical; -ENOENT not mapped.
 */
int translate(unsigned long virt, phys_addr_t *phys);

/* ---- range helpers: huge pages wherever alignment and size allow ---- */

/**
 * map_range() - map [@virt, @virt + @size) to [@phys, ...)
 * @virt: page-aligned start
 * @phys: page-aligned physical start
 * @size: bytes, a multiple of PAGE_SIZE; the range may end at 2^64 exactly
 *	(as for unmap_range() and protect_range()), never wrap past it
 * @flags: as map_page() without the size flags (the helper picks 1 GiB,
 *	2 MiB or 4 KiB pieces itself: 1 GiB only where configured and
 *	supported, 2 MiB only with CONFIG_HUGEPAGES_2M)
 * Return: 0; the errors of map_page(); nothing is mapped on failure.
 */
int map_range(unsigned long virt, phys_addr_t phys, size_t size, pgflags_t flags);

/**
 * unmap_range() - remove every mapping in [@virt, @virt + @size)
 *
 * Huge pages that straddle an end are split; holes are skipped; one
 * shootdown round covers the whole range.
 * Return: 0; -EINVAL bad range; -ENOENT nothing was mapped in it;
 * -ENOMEM no frame for a split (nothing changed).
 */
int unmap_range(unsigned long virt, size_t size);

/**
 * protect_range() - give every page of [@virt, @virt + @size) new flags
 * @flags: PAGE_* without the size flags; the physical addresses stay
 *
 * Huge pages that straddle an end are split.
 * Return: 0; -EINVAL bad range or flags; -ENOENT some page of the range is
 * not mapped; -ENOMEM no frame for a split.  Nothing changes on failure.
 */
int protect_range(unsigned long virt, size_t size, pgflags_t flags);

/* ---- address spaces ---- */

/**
 * mm_create() - a new address space sharing the kernel half
 * @mm: result
 * Return: 0, -ENOMEM.
 */
int mm_create(struct mm_struct **mm);

/**
 * mm_destroy() - free an address space and its lower-half page tables
 * @mm: not loaded on any CPU; the mapped frames stay the caller's
 *
 * The -EBUSY check catches destroying a loaded address space; it cannot
 * stop a switch_mm() to @mm racing with the destroy (switch_mm() cannot
 * fail): the caller must make sure nobody switches to @mm any more.
 * Return: 0; -EINVAL for init_mm or NULL; -EBUSY while some CPU has it loaded.
 */
int mm_destroy(struct mm_struct *mm);

/**
 * switch_mm() - load @mm on this CPU
 *
 * With PCID the address space keeps its TLB entries across switches (a
 * per-CPU ASID slot, see arch/x86/mm/tlb.c); without, the switch flushes the
 * non-global entries.
 */
void switch_mm(struct mm_struct *mm);

/* The address space loaded on this CPU (init_mm until switch_mm()). */
struct mm_struct *current_mm(void);

/* mm_-prefixed variants: like the above on @mm (kernel-half addresses act on init_mm). */
int mm_map_page(struct mm_struct *mm, unsigned long virt, phys_addr_t phys, pgflags_t flags);
int mm_unmap_page(struct mm_struct *mm, unsigned long virt);
int mm_translate(struct mm_struct *mm, unsigned long virt, phys_addr_t *phys);
int mm_map_range(struct mm_struct *mm, unsigned long virt, phys_addr_t phys, size_t size,
		 pgflags_t flags);
int mm_unmap_range(struct mm_struct *mm, unsigned long virt, size_t size);
int mm_protect_range(struct mm_struct *mm, unsigned long virt, size_t size, pgflags_t flags);

/**
 * mm_remap_leaf() - point the leaf mapping that starts at @virt at other frames
 * @mm: the address space (kernel-half addresses act on init_mm)
 * @virt: the first address of a mapped leaf (4 KiB, 2 MiB or 1 GiB)
 * @phys: the new frames, aligned to the leaf's size
 *
 * The leaf keeps its size and flags; one entry store switches it, so an
 * access sees either the old frames or the new ones, never a hole (for
 * memory that must stay mapped while it moves: the caller copies it
 * first and keeps writers out until this returns).  Every TLB that may
 * hold the old translation is flushed before the call returns.
 * Return: 0; -EINVAL bad address, @virt not the start of its leaf or
 * @phys misaligned for it; -ENOENT nothing mapped.  Nothing changes on
 * failure.
 */
int mm_remap_leaf(struct mm_struct *mm, unsigned long virt, phys_addr_t phys);

/* ---- inspection ---- */

/**
 * struct pt_leaf - one leaf mapping seen by mm_walk()
 * @virt: its first address
 * @phys: its physical address
 * @size: PAGE_SIZE, PMD_SIZE or PUD_SIZE
 * @entry: the raw entry
 */
struct pt_leaf {
	unsigned long virt;
	phys_addr_t phys;
	unsigned long size;
	pte_t entry;
};

/**
 * mm_walk() - call @fn for every leaf mapping of @mm in [@start, @end)
 * @fn: callback; a non-zero return stops the walk and is returned
 *
 * Lock-free reader: fine for dumps and checks, racy against concurrent
 * changes.  Return: 0 or @fn's first non-zero return.
 */
int mm_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	    int (*fn)(const struct pt_leaf *leaf, void *arg), void *arg);

/* Page-table pages (all levels below the PML4s) in use, all address spaces. */
unsigned long nr_pgtable_pages(void);

/**
 * pgtable_init() - allocate init_mm's PML4 and the 256 kernel-half PDPTs
 *
 * Called once after page_alloc_init().  The kernel half is pre-allocated
 * so that every address space shares it by copying 256 PML4 entries, with
 * no later synchronisation.  Return: 0, -ENOMEM.
 */
int pgtable_init(void);

/* Reset this CPU's page-table state (tlb_cpu_init() calls it on every CPU). */
void pgtable_cpu_init(void);

/**
 * xlate_cache_flush() - forget @cpu's cached kernel page table and directory
 * @cpu: the CPU whose translate() caches to clear
 *
 * Part of the TLB shootdown that precedes every free of a kernel-half page
 * table (TLB_FLUSH_FULL): mm/tlb.c calls it on each CPU for itself, with
 * interrupts off, the hosted build on a CPU's behalf while that CPU cannot
 * be in translate().  The reasoning is at the cache in mm/pgtable.c.
 */
void xlate_cache_flush(unsigned int cpu);

/* Whether the CPU and the configuration allow PAGE_HUGE_2M / PAGE_HUGE_1G. */
bool pgtable_huge_supported(pgflags_t size_flag);

static inline bool virt_is_canonical(unsigned long v)
{
	return VIRT_IS_CANONICAL(v);
}

/* The PGD slot of @va in @mm. */
#define pgd_offset(mm, va)	pgd_offset_pgd((mm)->pgd, (va))

/*
 * The accessors (pte_pgflags() among them) take the PAGE_* flags and
 * struct mm_struct above, so they come last.
 */
#include <asm/pgtable.h>

#endif /* _EXO_PGTABLE_H */

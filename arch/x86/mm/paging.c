// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel address space, rebuilt at boot on the page allocator.
 *
 * head.S and init_direct_map() leave a permissive RWX map of the first
 * 4 GiB three times (identity, direct map, kernel image) plus RAM above.
 * paging_init() replaces all of it with init_mm's tables (mm/pgtable.c):
 *
 *  - direct map (PAGE_OFFSET + phys) of all RAM and nothing else, RW + NX,
 *    write-back, with the largest pages the configuration and CPU allow
 *    (1 GiB, 2 MiB, 4 KiB at the edges).  The holes -- legacy VGA/BIOS
 *    area, ACPI tables in firmware ranges, the LAPIC/IOAPIC/PCI MMIO
 *    window below 4 GiB -- are unmapped: a stray phys_to_virt() of one
 *    faults.  Device registers and firmware tables get mappings of their
 *    own from ioremap() and acpi_os_map() (arch/x86/mm/ioremap.c), which
 *    only run after this (see there).
 *  - the kernel image by section with least privilege: text RX, rodata
 *    R + NX, data/bss RW + NX, init text RX and init data RW + NX until
 *    free_initmem(); the boot stack's guard page is left unmapped.
 *  - no identity map: nothing runs at low addresses any more (the AP
 *    trampoline builds its own temporary tables).
 *  - every kernel leaf global; SMEP, SMAP, UMIP, PCID when available.
 *
 * Then a W+X check walks the result and panics if any leaf is both
 * writable and executable.
 */
#define pr_fmt(fmt) "paging: " fmt

#include <exo/bug.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <exo/tlb.h>
#include <asm/cpufeature.h>
#include <asm/page.h>
#include <asm/pat.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

extern char _text[], _etext[], _rodata[], _erodata[], _data[], __init_begin[],
	__init_data_begin[], __init_end[], __bss_start[], __bss_end[], __kallsyms_start[],
	_end[], init_stack_guard[];

bool x86_gbpages;

/* The last scan's direct-map leaves: 4K, 2M, 1G. */
static unsigned long nr_maps[3];

void x86_paging_features(void)
{
	x86_gbpages = boot_cpu_has(X86_FEATURE_GBPAGES);
}

static void __init map_or_die(unsigned long va, phys_addr_t pa, size_t size, pgflags_t flags,
			      const char *what)
{
	int err;

	if (!size)
		return;
	err = mm_map_range(&init_mm, va, pa, size, flags);
	if (err)
		panic("paging: cannot map %s [%#lx-%#lx): %d", what, va, va + size, err);
}

/* Map the kernel image range [@start, @end) with @flags. */
static void __init map_image(const void *start, const void *end, pgflags_t flags,
			     const char *what)
{
	unsigned long s = (unsigned long)start, e = ALIGN((unsigned long)end, PAGE_SIZE);

	BUG_ON(!IS_ALIGNED(s, PAGE_SIZE));
	map_or_die(s, virt_to_phys(start), e - s, flags | PAGE_GLOBAL, what);
}

static void __init map_direct(phys_addr_t start, phys_addr_t end)
{
	map_or_die((unsigned long)phys_to_virt(start), start, end - start,
		   PAGE_WRITABLE | PAGE_GLOBAL, "direct map");
}

static void __init build_direct_map(void)
{
	phys_addr_t base, end = 0;
	u64 size;

	/* memblock's ranges are whole pages, sorted and disjoint: RAM exactly. */
	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++) {
		phys_addr_t s = ALIGN_DOWN(base, PAGE_SIZE), e = ALIGN(base + size, PAGE_SIZE);

		if (s < end)
			s = end;
		if (e <= s)
			continue;
		map_direct(s, e);
		end = e;
	}
}

static void __init build_kernel_image(void)
{
	unsigned long guard = (unsigned long)init_stack_guard;

	map_image(_text, _etext, PAGE_EXEC, "kernel text");
	map_image(_rodata, _erodata, 0, "kernel rodata");
	map_image(_data, __init_begin, PAGE_WRITABLE, "kernel data");
	map_image(__init_begin, __init_data_begin, PAGE_EXEC, "init text");
	map_image(__init_data_begin, __init_end, PAGE_WRITABLE, "init data");
	/* bss, with a hole for the boot stack's guard page. */
	map_image(__bss_start, (void *)guard, PAGE_WRITABLE, "bss");
	map_image((void *)(guard + PAGE_SIZE), __bss_end, PAGE_WRITABLE, "bss");
	map_image(__kallsyms_start, _end, 0, "kallsyms");
}

/*
 * The W+X check, and the direct map's leaf counts on the way, in one pass
 * over init_mm's tables with no call per entry: a page table's 512
 * entries are all leaves, so its loop is one mask and compare each (the
 * bulk of the entries); above, a table's count of present entries
 * (page->units, exact below the PGD) ends its loop after the last one.
 */
#define WX_MASK		(_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)
#define WX_BITS		(_PAGE_PRESENT | _PAGE_RW)

struct wx_scan {
	unsigned long count;
	unsigned long dmap[3];	/* direct-map leaves: 4K, 2M, 1G */
	bool report;
};

static bool in_direct_map(unsigned long va)
{
	return va - PAGE_OFFSET < DIRECT_MAP_SIZE;
}

static unsigned int table_units(const pte_t *table)
{
	return pfn_to_page(PHYS_PFN(direct_virt_to_phys(table)))->units;
}

static void wx_found(struct wx_scan *st, unsigned long va, int level, pte_t e)
{
	unsigned long size = 1UL << pt_level_shift(level);

	if (st->report)
		pr_emerg("W+X mapping at %#lx (%#lx bytes) -> %#llx\n", va, size,
			 pt_entry_phys(e) & ~(size - 1));
	st->count++;
}

static void wx_scan_table(const pte_t *table, int level, unsigned long base, struct wx_scan *st)
{
	unsigned long size = 1UL << pt_level_shift(level);
	unsigned int left;

	if (level == PT_LEVEL_PTE) {
		for (unsigned int i = 0; i < PTRS_PER_TABLE; i++) {
			pte_t e = READ_ONCE(table[i]);

			if (unlikely((pte_val(e) & WX_MASK) == WX_BITS))
				wx_found(st, base + i * size, level, e);
		}
		if (in_direct_map(base))
			st->dmap[0] += table_units(table);
		return;
	}
	left = level == PGTABLE_LEVELS ? PTRS_PER_TABLE : table_units(table);
	for (unsigned int i = 0; i < PTRS_PER_TABLE && left; i++) {
		pte_t e = READ_ONCE(table[i]);
		unsigned long va = base + i * size;

		if (!pte_present(e))
			continue;
		left--;
		if (level == PGTABLE_LEVELS && i >= PGD_KERNEL_FIRST)
			va |= 0xffff000000000000UL;	/* sign extension */
		if (pt_leaf(e, level)) {
			if ((pte_val(e) & WX_MASK) == WX_BITS)
				wx_found(st, va, level, e);
			if (in_direct_map(va))
				st->dmap[level - 1]++;
		} else if (table_units(pt_table(e))) {
			/* Empty tables (idle kernel_tables[]) are skipped whole. */
			wx_scan_table(pt_table(e), level - 1, va, st);
		}
	}
}

unsigned long paging_check_wx(bool report)
{
	struct wx_scan st = { .report = report };

	wx_scan_table(init_mm.pgd, PGTABLE_LEVELS, 0, &st);
	memcpy(nr_maps, st.dmap, sizeof(nr_maps));
	return st.count;
}

/**
 * paging_direct_map_counts() - the direct map's leaves at the last W+X scan
 * @counts: filled with the number of 4 KiB, 2 MiB and 1 GiB leaves in
 *	[PAGE_OFFSET, PAGE_OFFSET + DIRECT_MAP_SIZE), in that order
 *
 * As paging_check_wx() counted them on its way (paging_init() prints them).
 */
void paging_direct_map_counts(unsigned long counts[3])
{
	memcpy(counts, nr_maps, sizeof(nr_maps));
}

/**
 * paging_init() - build init_mm's tables, switch to them, check W+X
 *
 * Called by mm_core_init() once the page allocator runs.  Panics when the
 * tables cannot be built or a W+X mapping exists.
 */
void __init paging_init(void)
{
	unsigned long wx;

	x86_paging_features();
	if (pgtable_init())
		panic("paging: no memory for the kernel page tables");
	build_direct_map();
	build_kernel_image();
	/* mem_map[], where the boot tables had it (mm/page_alloc_init.c). */
	if (mem_map_bytes)
		map_or_die(VMEMMAP_START, mem_map_phys, mem_map_bytes,
			   PAGE_WRITABLE | PAGE_GLOBAL, "mem_map");
	pat_cpu_init();
	cr4_init();
	tlb_cpu_init();
	wx = paging_check_wx(true);
	if (wx)
		panic("paging: %lu W+X mappings in the kernel page tables", wx);
	pr_info("direct map: %lu x 1 GiB, %lu x 2 MiB, %lu x 4 KiB pages (1 GiB pages %s)\n",
		nr_maps[2], nr_maps[1], nr_maps[0],
		pgtable_huge_supported(PAGE_HUGE_1G) ? "used" : "not available");
	pr_info("kernel address space: %lu page-table pages, no W+X, CR4 %#lx%s%s%s%s%s\n",
		nr_pgtable_pages(), read_cr4(), read_cr4() & X86_CR4_SMEP ? " SMEP" : "",
		read_cr4() & X86_CR4_SMAP ? " SMAP" : "", read_cr4() & X86_CR4_UMIP ? " UMIP" : "",
		read_cr4() & X86_CR4_PCIDE ? " PCID" : "", tlb_invpcid_enabled() ? " INVPCID" : "");
}

/**
 * paging_free_initmem() - unmap [@start, @end) of the image before it is freed
 *
 * Stale calls into freed init code then fault instead of running whatever
 * the frames hold next.
 */
void paging_free_initmem(unsigned long start, unsigned long end)
{
	int err = mm_unmap_range(&init_mm, start, end - start);

	if (err)
		pr_err("cannot unmap init memory [%#lx-%#lx): %d\n", start, end, err);
}

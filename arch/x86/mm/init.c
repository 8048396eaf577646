// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time direct map of all RAM.
 *
 * The early tables of head.S map the first 4 GiB at PAGE_OFFSET with 2 MiB
 * pages, which covers the kernel, the loader's data and every firmware
 * table.  RAM above 4 GiB must be reachable through phys_to_virt() before
 * the page allocator can put its metadata there (memblock hands out the
 * highest addresses first), so this file extends the direct map over every
 * usable memblock range, with 1 GiB pages where the CPU has them and a
 * whole gigabyte is RAM, 2 MiB pages elsewhere.  Its page-table pages come
 * from memblock below 4 GiB, i.e. from memory that is already mapped.
 *
 * The direct map gets its own PDPT here: head.S shares one PDPT between the
 * identity map and the direct map, and RAM above 4 GiB has no business in
 * the identity map.
 *
 * The full page-table API (least-privilege kernel mappings, 4 KiB edges,
 * splitting) is mm/pgtable.c; this is only what the allocator needs.
 */
#define pr_fmt(fmt) "direct map: " fmt

#include <exo/bug.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/setup.h>

#define PTE_PRESENT	0x001UL
#define PTE_WRITE	0x002UL
#define PTE_PSE		0x080UL
#define PTE_NX		(1UL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000UL
#define PTRS_PER_TABLE	512
#define EARLY_MAPPED	(4ULL << 30)	/* what head.S mapped */

extern u64 early_pml4[PTRS_PER_TABLE];

static unsigned long nr_1g, nr_2m, nr_tables;

static bool cpu_has_gbpages(void)
{
	return IS_ENABLED(CONFIG_HUGEPAGES_1G) && boot_cpu_has(X86_FEATURE_GBPAGES);
}

static bool cpu_has_nx(void)
{
	return rdmsr(MSR_EFER) & EFER_NXE;	/* set by head.S */
}

/* A zeroed page-table page below 4 GiB (already mapped). */
static u64 *__init table_alloc(void)
{
	phys_addr_t pa = memblock_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, EARLY_MAPPED,
					      "direct map page tables");
	u64 *t;

	if (!pa)
		panic("direct map: no memory below 4 GiB for page tables");
	t = phys_to_virt(pa);
	clear_page(t);		/* quadword stores: 1/8 of a byte memset()'s instructions */
	nr_tables++;
	return t;
}

/* The table an entry points to, allocated if the entry is empty. */
static u64 *__init table_of(u64 *entry)
{
	if (!(*entry & PTE_PRESENT))
		*entry = virt_to_phys(table_alloc()) | PTE_PRESENT | PTE_WRITE;
	return phys_to_virt(*entry & PTE_ADDR_MASK);
}

static unsigned int idx(unsigned long va, unsigned int shift)
{
	return (va >> shift) & (PTRS_PER_TABLE - 1);
}

/* Map [@start, @end) of physical memory, both 2 MiB aligned. */
static void __init map_range(phys_addr_t start, phys_addr_t end, bool gbpages, u64 nx)
{
	while (start < end) {
		unsigned long va = (unsigned long)phys_to_virt(start);
		u64 *pdpt = table_of(&early_pml4[idx(va, PGDIR_SHIFT)]);
		u64 *pud = &pdpt[idx(va, PUD_SHIFT)];
		u64 *pd;

		if (gbpages && IS_ALIGNED(start, PUD_SIZE) && end - start >= PUD_SIZE &&
		    !(*pud & PTE_PRESENT)) {
			*pud = start | PTE_PRESENT | PTE_WRITE | PTE_PSE | nx;
			nr_1g++;
			start += PUD_SIZE;
			continue;
		}
		if (*pud & PTE_PSE) {		/* already covered by a 1 GiB page */
			start = ALIGN_DOWN(start, PUD_SIZE) + PUD_SIZE;
			continue;
		}
		pd = table_of(pud);
		if (!(pd[idx(va, PMD_SHIFT)] & PTE_PRESENT)) {
			pd[idx(va, PMD_SHIFT)] = start | PTE_PRESENT | PTE_WRITE | PTE_PSE | nx;
			nr_2m++;
		}
		start += PMD_SIZE;
	}
}

/**
 * init_map_range() - map [@pa, @pa + @size) at @va before paging_init()
 * @va: a kernel address outside the direct map, 2 MiB aligned, unmapped
 * @pa: physical start, 2 MiB aligned
 * @size: bytes, a multiple of 2 MiB
 *
 * Read-write, NX, 2 MiB pages, in the boot tables; paging_init() maps the
 * same range again in init_mm's.  For mem_map[] at VMEMMAP_START.
 */
void __init init_map_range(unsigned long va, phys_addr_t pa, u64 size)
{
	u64 nx = cpu_has_nx() ? PTE_NX : 0;
	u64 *pd = NULL;

	BUG_ON(!IS_ALIGNED(va | pa | size, PMD_SIZE));
	for (; size; va += PMD_SIZE, pa += PMD_SIZE, size -= PMD_SIZE) {
		/* One walk per page directory (1 GiB), not per entry. */
		if (!pd || !idx(va, PMD_SHIFT)) {
			u64 *pdpt = table_of(&early_pml4[idx(va, PGDIR_SHIFT)]);

			pd = table_of(&pdpt[idx(va, PUD_SHIFT)]);
		}
		pd[idx(va, PMD_SHIFT)] = pa | PTE_PRESENT | PTE_WRITE | PTE_PSE | nx;
	}
}

/**
 * init_direct_map() - make every usable RAM range reachable via phys_to_virt()
 *
 * Call after memblock_init() and before anything allocates from memblock
 * above 4 GiB.  RAM below 4 GiB is already mapped by head.S.
 */
void __init init_direct_map(void)
{
	unsigned int pml4i = idx(PAGE_OFFSET, PGDIR_SHIFT);
	u64 nx = cpu_has_nx() ? PTE_NX : 0;
	bool gbpages = cpu_has_gbpages();
	u64 *old = phys_to_virt(early_pml4[pml4i] & PTE_ADDR_MASK);
	u64 *pdpt = table_alloc();
	phys_addr_t base;
	u64 size;

	/* Private PDPT for the direct map, starting as a copy of the shared one. */
	memcpy(pdpt, old, 4 * sizeof(u64));
	early_pml4[pml4i] = virt_to_phys(pdpt) | PTE_PRESENT | PTE_WRITE;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++) {
		phys_addr_t s = max_t(phys_addr_t, ALIGN_DOWN(base, PMD_SIZE), EARLY_MAPPED);
		phys_addr_t e = ALIGN(base + size, PMD_SIZE);

		if (e > MEMBLOCK_MAX_RAM)
			e = MEMBLOCK_MAX_RAM;
		if (s < e)
			map_range(s, e, gbpages, nx);
	}
	write_cr3(read_cr3());
	pr_info("RAM above 4 GiB: %lu x 1 GiB + %lu x 2 MiB pages, %lu table pages\n", nr_1g,
		nr_2m, nr_tables);
}

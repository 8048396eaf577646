// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bring-up order: boot memory map -> memblock (reservations) ->
 * direct map of all RAM -> buddy allocator -> the kernel address space
 * (paging_init: least-privilege tables built on the buddy allocator) ->
 * kmalloc.  free_initmem() hands the
 * __init sections back once boot is over.
 */
#define pr_fmt(fmt) "mm: " fmt

#include <exo/bootinfo.h>
#include <exo/bug.h>
#include <exo/init.h>
#include <exo/jump_label.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/mm.h>
#include <exo/page_alloc.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/swiotlb.h>
#include <exo/time.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/setup.h>

static const char *const mem_type_names[] = {
	"?", "usable", "reserved", "ACPI data", "ACPI NVS", "bad",
};

/* Guest instructions (icount) or TSC ticks spent in mm_core_init(). */
static u64 mm_init_ticks;

static void __init print_boot_map(void)
{
	if (boot_info.efi_mmap)
		pr_info("EFI-provided physical RAM map (%u descriptors):\n",
			boot_info.nr_efi_desc);
	else
		pr_info("BIOS-provided physical RAM map:\n");
	for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		pr_info("  [mem %#018llx-%#018llx] %s\n", e->addr, e->addr + e->len - 1,
			e->type < ARRAY_SIZE(mem_type_names) ? mem_type_names[e->type] :
								 "unknown");
	}
}

/**
 * mm_core_init() - bring up physical memory management
 *
 * memblock from the boot map, the direct map of all RAM, then the buddy
 * allocator with every free frame.  Panics only when there is no usable
 * RAM at all or no room for the allocator's metadata.
 */
void __init mm_core_init(void)
{
	u64 t0;

	print_boot_map();
	t0 = rdtsc_ordered();
	memblock_init(&boot_info);
	/* The bounce pool must be contiguous and low: only memblock can promise it. */
	swiotlb_reserve();
	init_direct_map();
	page_alloc_init();
	paging_init();
	kasan_init();
	kmem_cache_init();
	mm_init_ticks = rdtsc_ordered() - t0;
	memblock_dump();
	pr_info("memory initialised in %llu TSC ticks (%llu us)\n", mm_init_ticks,
		tsc_khz ? mm_init_ticks * 1000 / tsc_khz : 0);
}

/**
 * free_initmem() - give the __init sections to the page allocator
 *
 * The range is unmapped from the kernel image first, so that a stale call
 * into freed init code faults (and oopses with a backtrace); the frames
 * are filled with int3 through the direct map as a second line of defence.
 */
/*
 * A loader may put its information block or a boot module in the slack
 * between two of the kernel's segments (GRUB does), i.e. inside the span
 * of the __init sections; such a page stays reserved.
 */
static bool init_page_in_use(phys_addr_t pa)
{
	phys_addr_t end = pa + PAGE_SIZE;

	if (boot_info.info_end > pa && boot_info.info_start < end)
		return true;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		if (boot_info.modules[i].end > pa && boot_info.modules[i].start < end)
			return true;
	return false;
}

void free_initmem(void)
{
	unsigned long start = (unsigned long)__init_begin;
	unsigned long end = (unsigned long)__init_end;
	unsigned long frames = 0, kept = 0;

	if (WARN_ON(!IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE)))
		return;
	jump_label_invalidate_initmem();
	/* Unmap the sections from the image mapping, then free them via the direct map. */
	paging_free_initmem(start, end);
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		phys_addr_t pa = virt_to_phys((void *)va);

		if (init_page_in_use(pa)) {
			kept++;
			continue;
		}
		memset(phys_to_virt(pa), 0xcc, PAGE_SIZE);
		frames += page_alloc_add_range(PHYS_PFN(pa), PHYS_PFN(pa) + 1);
	}
	pr_info("freed %lu KiB of init memory", frames << (PAGE_SHIFT - 10));
	if (kept)
		pr_cont(" (%lu pages kept: boot loader data inside the image)", kept);
	pr_cont("\n");
}

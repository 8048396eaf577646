// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bring-up order: boot memory map -> memblock (reservations) ->
 * direct map of all RAM -> buddy allocator.  free_initmem() hands the
 * __init sections back once boot is over.
 */
#include <exo/bootinfo.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/printk.h>

static const char *const mem_type_names[] = {
	"?", "usable", "reserved", "ACPI data", "ACPI NVS", "bad",
};

static void __init print_boot_map(void)
{
	pr_info("BIOS-provided physical RAM map:\n");
	for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		pr_info("  [mem %#018llx-%#018llx] %s\n", e->addr, e->addr + e->len - 1,
			e->type < 6 ? mem_type_names[e->type] : "unknown");
	}
}

void __init mm_core_init(void)
{
	print_boot_map();
}

void free_initmem(void)
{
}

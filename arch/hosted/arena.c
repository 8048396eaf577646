// SPDX-License-Identifier: GPL-2.0
/*
 * Hosted build: the fake machine.  hosted_mm_init() plays the boot path of
 * the kernel: fill boot_info from a layout, memblock_init(), map an arena
 * covering physical [0, end of RAM) with only the RAM accessible, then
 * page_alloc_init().  See <asm/hosted.h>.
 */
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/string.h>
#include <asm/hosted.h>
#include <asm/page.h>

#include <sys/mman.h>

#define HOSTED_MAX_ARENA	(64ULL << 30)

struct boot_info boot_info;
unsigned char *hosted_ram_base;
size_t hosted_arena_size;

static phys_addr_t fake_kernel_start, fake_kernel_end;

phys_addr_t kernel_phys_start(void)
{
	return fake_kernel_start;
}

phys_addr_t kernel_phys_end(void)
{
	return fake_kernel_end;
}

#define MiB_ULL(x)	((u64)(x) << 20)
#define GiB_ULL(x)	((u64)(x) << 30)

/*
 * Deliberately unsorted, with overlaps and absurd entries; what a sloppy
 * firmware could produce.  After sanitising, usable RAM is:
 *   [0, 0x9f000)                 (under 1 MiB: kept by memblock)
 *   [1 MiB, 12 MiB)              DMA; kernel image, info block, module inside
 *   [13 MiB, 96 MiB)             DMA and DMA32 (crosses 16 MiB)
 *   [97 MiB + 64 KiB, 112 MiB), [112 MiB + 4 KiB, 128 MiB)   DMA32 ("bad" page cut out)
 *   [4 GiB, 4 GiB + 128 MiB)     NORMAL (two overlapping entries)
 */
static const struct boot_mmap_entry default_map[] = {
	{ GiB_ULL(4) + MiB_ULL(64), MiB_ULL(64), BOOT_MEM_USABLE },	/* overlaps the next */
	{ GiB_ULL(4), MiB_ULL(96), BOOT_MEM_USABLE },
	{ 0, 0x9fc00, BOOT_MEM_USABLE },				/* partial last page */
	{ 0x9fc00, 0x400, BOOT_MEM_RESERVED },				/* EBDA */
	{ 0xf0000, 0x10000, BOOT_MEM_RESERVED },			/* BIOS ROM */
	{ MiB_ULL(13), MiB_ULL(3), BOOT_MEM_USABLE },			/* touches the next */
	{ MiB_ULL(1), MiB_ULL(11), BOOT_MEM_USABLE },
	{ MiB_ULL(12), MiB_ULL(1), BOOT_MEM_RESERVED },		/* firmware hole in DMA */
	{ MiB_ULL(16), MiB_ULL(80), BOOT_MEM_USABLE },
	{ MiB_ULL(96), MiB_ULL(1), BOOT_MEM_ACPI },
	{ MiB_ULL(97), 0x10000, BOOT_MEM_NVS },
	{ MiB_ULL(97) + 0x10000, MiB_ULL(31) - 0x10000, BOOT_MEM_USABLE },
	{ MiB_ULL(112), 0x800, BOOT_MEM_BAD },				/* inside usable: cut out */
	{ MiB_ULL(80), 0, BOOT_MEM_USABLE },				/* zero length */
	{ 0xfffffffffffff000ULL, 0x2000, BOOT_MEM_USABLE },		/* wraps around */
	{ 1ULL << 53, GiB_ULL(1), BOOT_MEM_USABLE },			/* beyond 2^52 */
	{ MiB_ULL(128), MiB_ULL(1), 99 },				/* unknown type */
	{ 0xfec00000, 0x1000, BOOT_MEM_RESERVED },			/* IOAPIC, in the hole */
};

static const struct boot_module default_modules[] = {
	{ .start = MiB_ULL(6), .end = MiB_ULL(6) + 0x12345, .name = "initrd" },
};

const struct hosted_mem_layout hosted_default_layout = {
	.name = "default",
	.map = default_map,
	.nr_map = ARRAY_SIZE(default_map),
	.kernel_start = MiB_ULL(1),
	.kernel_end = MiB_ULL(3) + 0x1234,		/* not page aligned */
	.info_start = MiB_ULL(5) + 0x800,
	.info_end = MiB_ULL(5) + 0x1800,		/* straddles two pages */
	.modules = default_modules,
	.nr_modules = ARRAY_SIZE(default_modules),
};

void hosted_mm_exit(void)
{
	if (hosted_ram_base)
		munmap(hosted_ram_base, hosted_arena_size);
	hosted_ram_base = NULL;
	hosted_arena_size = 0;
}

int hosted_mm_init(const struct hosted_mem_layout *l)
{
	phys_addr_t end, base;
	unsigned char *arena;
	u64 size;

	if (!l)
		l = &hosted_default_layout;
	if (l->nr_map > BOOT_MAX_MMAP || l->nr_modules > BOOT_MAX_MODULES)
		return -EINVAL;
	hosted_mm_exit();

	memset(&boot_info, 0, sizeof(boot_info));
	boot_info.protocol = "hosted";
	strlcpy(boot_info.loader_name, l->name ? l->name : "hosted", sizeof(boot_info.loader_name));
	memcpy(boot_info.mmap, l->map, l->nr_map * sizeof(*l->map));
	boot_info.nr_mmap = l->nr_map;
	if (l->nr_modules)
		memcpy(boot_info.modules, l->modules, l->nr_modules * sizeof(*l->modules));
	boot_info.nr_modules = l->nr_modules;
	boot_info.info_start = l->info_start;
	boot_info.info_end = l->info_end;
	fake_kernel_start = l->kernel_start;
	fake_kernel_end = l->kernel_end;

	memblock_init(&boot_info);
	end = memblock_end_of_ram();
	if (!end)
		return -EINVAL;
	if (end > HOSTED_MAX_ARENA)
		return -E2BIG;
	/* Reserve the whole range inaccessible, then open the RAM. */
	arena = mmap(NULL, end, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		return -ENOMEM;
	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++) {
		if (mprotect(arena + base, size, PROT_READ | PROT_WRITE)) {
			munmap(arena, end);
			return -ENOMEM;
		}
	}
	hosted_ram_base = arena;
	hosted_arena_size = end;
	page_alloc_init();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KASAN shadow: where it lives, how it is mapped, how it is written.
 *
 * Goal: every byte of RAM reached through the direct map and every byte of
 * the kernel image has a shadow byte per 8, and a check of any other
 * address costs one range test and never faults.
 *
 * Layout: shadow(addr) = (addr >> 3) + 0xdffffc0000000000, so the direct
 * map's shadow starts at 0xffffed1000000000 and the image's at
 * 0xfffffbfff0000000, both in the unused hole of Documentation/mm/layout.rst
 * (0xffffe90000000000 - 0xffffffff7fffffff).
 *
 * Invariants:
 *   S1  Shadow of the direct map is mapped in 2 MiB blocks, each covering
 *       16 MiB of physical memory ("chunks"); chunk i is mapped iff bit i
 *       of shadow_chunks is set, and a chunk is mapped iff some usable RAM
 *       lies in it.  Chunks are never unmapped.
 *   S2  The image's shadow is mapped for [_text, _end), 4 KiB pages.
 *   S3  kasan_on becomes true only after S1 and S2 hold; no check reads
 *       shadow before (instrumented early boot code runs unchecked).
 *   S4  Shadow starts all zero (accessible); the page allocator and the
 *       slab poison what they own from then on.
 */
#define pr_fmt(fmt) "kasan: " fmt

#include <exo/bitmap.h>
#include <exo/bug.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kasan.h>
#include <exo/kernel.h>
#include <exo/memblock.h>
#include <exo/page_alloc.h>
#include <exo/pgtable.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/page.h>
#include "kasan.h"

extern char _text[], _end[];

#define CHUNK_SHIFT	24			/* 16 MiB of RAM per 2 MiB of shadow */
#define CHUNK_ORDER	(CHUNK_SHIFT - KASAN_SHADOW_SCALE_SHIFT - PAGE_SHIFT)
#define MAX_CHUNKS	(KASAN_MAX_PHYS >> CHUNK_SHIFT)

bool kasan_on;
static unsigned long shadow_chunks[MAX_CHUNKS / BITS_PER_LONG];
static unsigned long image_start, image_end;
static unsigned long shadow_bytes;

bool kasan_enabled(void)
{
	return READ_ONCE(kasan_on);
}

bool kasan_addr_has_shadow(unsigned long addr)
{
	if (addr - PAGE_OFFSET < KASAN_MAX_PHYS) {
		unsigned long chunk = (addr - PAGE_OFFSET) >> CHUNK_SHIFT;

		return shadow_chunks[chunk / BITS_PER_LONG] & (1UL << (chunk % BITS_PER_LONG));
	}
	return addr - image_start < image_end - image_start;
}

/* The accessible granules need no shadow write for a range without shadow. */
void kasan_poison(const void *addr, size_t size, u8 code)
{
	unsigned long a = (unsigned long)addr;

	if (!kasan_enabled() || !size || !kasan_addr_has_shadow(a))
		return;
	__memset(kasan_mem_to_shadow(addr), code, DIV_ROUND_UP(size, KASAN_GRANULE_SIZE));
}

void kasan_unpoison(const void *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;
	u8 *s;

	if (!kasan_enabled() || !kasan_addr_has_shadow(a))
		return;
	s = kasan_mem_to_shadow(addr);
	__memset(s, 0, size / KASAN_GRANULE_SIZE);
	if (size % KASAN_GRANULE_SIZE)
		s[size / KASAN_GRANULE_SIZE] = size % KASAN_GRANULE_SIZE;
}

void kasan_poison_pages(unsigned long pfn, unsigned long n)
{
	kasan_poison(phys_to_virt(PFN_PHYS(pfn)), n << PAGE_SHIFT, KASAN_PAGE_FREE);
}

void kasan_unpoison_pages(unsigned long pfn, unsigned long n)
{
	kasan_unpoison(phys_to_virt(PFN_PHYS(pfn)), n << PAGE_SHIFT);
}

/* One 2 MiB shadow block for the 16 MiB chunk @chunk. */
static int __init map_chunk(unsigned long chunk)
{
	unsigned long va = (unsigned long)kasan_mem_to_shadow((void *)(PAGE_OFFSET +
						(chunk << CHUNK_SHIFT)));
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, CHUNK_ORDER);
	int err;

	if (!pg)
		return -ENOMEM;
	err = map_range(va, page_to_phys(pg), PAGE_SIZE << CHUNK_ORDER, PAGE_WRITABLE);
	if (err) {
		__free_pages(pg, CHUNK_ORDER);
		return err;
	}
	shadow_chunks[chunk / BITS_PER_LONG] |= 1UL << (chunk % BITS_PER_LONG);
	shadow_bytes += PAGE_SIZE << CHUNK_ORDER;
	return 0;
}

static int __init map_ram_shadow(void)
{
	phys_addr_t base;
	u64 size;
	int err;

	for (unsigned int i = 0; memblock_memory_region(i, &base, &size); i++) {
		unsigned long first = base >> CHUNK_SHIFT;
		unsigned long last = (base + size - 1) >> CHUNK_SHIFT;

		for (unsigned long c = first; c <= last && c < MAX_CHUNKS; c++) {
			if (shadow_chunks[c / BITS_PER_LONG] & (1UL << (c % BITS_PER_LONG)))
				continue;
			err = map_chunk(c);
			if (err)
				return err;
		}
		if (last >= MAX_CHUNKS)
			pr_warn("RAM above %lu GiB has no shadow: not checked\n",
				KASAN_MAX_PHYS >> 30);
	}
	return 0;
}

static int __init map_image_shadow(void)
{
	unsigned long s = ALIGN_DOWN((unsigned long)kasan_mem_to_shadow(_text), PAGE_SIZE);
	unsigned long e = ALIGN((unsigned long)kasan_mem_to_shadow(_end), PAGE_SIZE);

	for (unsigned long va = s; va < e; va += PAGE_SIZE) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);
		int err;

		if (!page)
			return -ENOMEM;
		err = map_page(va, virt_to_phys((void *)page), PAGE_WRITABLE);
		if (err) {
			free_pages(page, 0);
			return err;
		}
		shadow_bytes += PAGE_SIZE;
	}
	image_start = (unsigned long)_text;
	image_end = (unsigned long)_end;
	return 0;
}

void __init kasan_init(void)
{
	int err = map_ram_shadow();

	if (!err)
		err = map_image_shadow();
	if (err)
		panic("kasan: cannot map the shadow: %d\n", err);
	WRITE_ONCE(kasan_on, true);
	pr_info("shadow at %#lx: %lu KiB for RAM below %lu GiB and the kernel image\n",
		KASAN_SHADOW_OFFSET, shadow_bytes >> 10, KASAN_MAX_PHYS >> 30);
}

/* ---- slab and large kmalloc objects ---- */

void kasan_slab_alloc(void *obj, size_t size, size_t slot, unsigned long ip)
{
	size_t used = ALIGN(size, KASAN_GRANULE_SIZE);

	if (!kasan_enabled() || !kasan_addr_has_shadow((unsigned long)obj))
		return;
	kasan_unpoison(obj, size);
	if (slot > used)
		kasan_poison((char *)obj + used, slot - used,
			     slot >= PAGE_SIZE ? KASAN_LARGE_REDZONE : KASAN_SLAB_REDZONE);
	kasan_track_alloc(obj, size, ip);
}

int kasan_free_precheck(const void *obj, unsigned long ip)
{
	u8 s;

	if (!kasan_enabled() || !kasan_addr_has_shadow((unsigned long)obj) ||
	    ((unsigned long)obj & (KASAN_GRANULE_SIZE - 1)))
		return 0;
	s = *(u8 *)kasan_mem_to_shadow(obj);
	if (s == KASAN_SLAB_FREE) {
		kasan_report_free(obj, KASAN_BUG_DOUBLE_FREE, ip);
		return -ENOENT;
	}
	/*
	 * A free page: the allocator refuses it by its own contract (-EFAULT,
	 * "already freed pages"); KASAN only adds what it knows - whether
	 * this was a large kmalloc block freed before.
	 */
	if (s == KASAN_PAGE_FREE)
		kasan_report_free(obj, kasan_tracked_freed(obj) ? KASAN_BUG_DOUBLE_FREE :
				  KASAN_BUG_INVALID_FREE, ip);
	return 0;
}

int kasan_slab_free(void *obj, size_t slot, unsigned long ip)
{
	if (kasan_free_precheck(obj, ip))
		return -ENOENT;
	if (!kasan_enabled() || !kasan_addr_has_shadow((unsigned long)obj))
		return 0;
	kasan_poison(obj, slot, KASAN_SLAB_FREE);
	kasan_track_free(obj, ip);
	return 0;
}

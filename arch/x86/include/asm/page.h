/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page sizes and the kernel's virtual layout (see Documentation/mm/layout.rst).
 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#ifndef __ASSEMBLER__
#include <exo/types.h>
#endif

#define PAGE_SHIFT	12
#ifdef __ASSEMBLER__
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#define KERNEL_VMA_ASM	0xffffffff80000000
#else
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#endif
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PGDIR_SHIFT	39

/* Direct map of all physical memory. */
#define PAGE_OFFSET	0xffff888000000000UL
#define DIRECT_MAP_SIZE	(64UL << 40)		/* 64 TiB */
/* vmalloc-like area for large virtually contiguous allocations. */
#define VMALLOC_START	0xffffc90000000000UL
#define VMALLOC_END	0xffffe8ffffffffffUL
/* Its last TiB: get_vm_area() reservations (ioremap, acpi_os_map). */
#define IOREMAP_START	0xffffe80000000000UL
/* Slab class map: one byte per frame of the direct map (64 TiB / 4 KiB). */
#define SLAB_CLASS_MAP_START	0xffffe90000000000UL
#define SLAB_CLASS_MAP_END	(SLAB_CLASS_MAP_START + (DIRECT_MAP_SIZE >> PAGE_SHIFT))
/*
 * mem_map[]: the struct page array, virtually contiguous over pieces of
 * each node's own memory (Documentation/mm/numa.rst); 1 TiB holds the
 * 768 GiB that 64 TiB of frames need.
 */
#define VMEMMAP_START	0xffffea0000000000UL
#define VMEMMAP_END	(VMEMMAP_START + (1UL << 40))
/* Kernel image: -2 GiB, so -mcmodel=kernel addressing works. */
#define KERNEL_VMA	0xffffffff80000000UL
/* Modules sit within +-2 GiB of the kernel text for PC32 relocations. */
#define MODULES_VADDR	0xffffffffa0000000UL
#define MODULES_END	0xffffffffff000000UL

#ifndef __ASSEMBLER__
/**
 * phys_to_virt() - direct-map address of a physical address
 * @pa: physical address below the end of RAM
 */
static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + PAGE_OFFSET);
}

/**
 * virt_to_phys() - physical address of a direct-map or kernel-image address
 * @va: address inside the direct map or the kernel image
 */
static inline phys_addr_t virt_to_phys(const volatile void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - PAGE_OFFSET;
}

/* virt_to_phys() for an address known to be in the direct map (no branch). */
static inline phys_addr_t direct_virt_to_phys(const volatile void *va)
{
	return (unsigned long)va - PAGE_OFFSET;
}

/* Zero one page with 512 quadword stores (a fraction of rep stosb's cost). */
static inline void clear_page(void *page)
{
	unsigned long n = PAGE_SIZE / 8;

	__asm__ __volatile__("rep stosq" : "+D"(page), "+c"(n) : "a"(0UL) : "memory");
}

#define __va(pa)	phys_to_virt(pa)
#define __pa(va)	virt_to_phys(va)
#endif

#endif /* _ASM_X86_PAGE_H */

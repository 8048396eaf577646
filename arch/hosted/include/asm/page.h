/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: "physical memory" is a fake RAM arena reserved with mmap; a
 * physical address is an offset into it (see arch/hosted/arena.c).
 */
#ifndef _ASM_HOSTED_PAGE_H
#define _ASM_HOSTED_PAGE_H

#include <exo/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PGDIR_SHIFT	39

extern unsigned char *hosted_ram_base;

static inline void *phys_to_virt(phys_addr_t pa)
{
	return hosted_ram_base + pa;
}

static inline phys_addr_t virt_to_phys(const volatile void *va)
{
	return (phys_addr_t)((const unsigned char *)va - hosted_ram_base);
}

#define direct_virt_to_phys(va)	virt_to_phys(va)
#define clear_page(p)		__builtin_memset((p), 0, PAGE_SIZE)

#define __va(pa)	phys_to_virt(pa)
#define __pa(va)	virt_to_phys(va)

#endif

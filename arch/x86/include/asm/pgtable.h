/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page tables: the entry format and its accessors
 * (<asm/pgtable_types.h>, <asm/pgtable_64.h>), the paging features the
 * portable page-table code asks about, and the boot-time paging setup.
 * Generic code includes <exo/pgtable.h>, which includes this.
 */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <exo/types.h>
#include <exo/pgtable.h>
#include <asm/pgtable_types.h>
#include <asm/pgtable_64.h>

/* CPUID.80000001H:EDX.Page1GB, read once by x86_paging_features(). */
extern bool x86_gbpages;

static inline bool arch_has_gbpages(void)
{
	return x86_gbpages;
}

/* Read the CPUID bits the paging code uses (safe to call more than once). */
void x86_paging_features(void);

/* Build the kernel address space and switch to it (arch/x86/mm/paging.c). */
void paging_init(void);

/* Unmap the freed __init sections from the kernel image mapping. */
void paging_free_initmem(unsigned long start, unsigned long end);

/**
 * paging_check_wx() - count mappings that are both writable and executable
 * @report: log each one
 * Return: the number of W+X leaves in the kernel's tables.
 */
unsigned long paging_check_wx(bool report);

/* The direct map's 4 KiB, 2 MiB, 1 GiB leaves seen by the last paging_check_wx(). */
void paging_direct_map_counts(unsigned long counts[3]);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: no TLB; every flush goes through flush_tlb_mm_range() (logged). */
#ifndef _ASM_HOSTED_TLBFLUSH_H
#define _ASM_HOSTED_TLBFLUSH_H

#include <exo/types.h>

static inline bool arch_flush_tlb_kernel_page_local(unsigned long va)
{
	(void)va;
	return false;
}

#endif

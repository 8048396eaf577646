/* SPDX-License-Identifier: GPL-2.0 */
/* The page attribute table: see arch/x86/mm/pat.c. */
#ifndef _ASM_X86_PAT_H
#define _ASM_X86_PAT_H

#include <exo/types.h>

/* Whether PAGE_WRITECOMBINE gives write-combining (PAT programmed). */
extern bool x86_pat_wc;

/**
 * pat_cpu_init() - program this CPU's PAT (entry 4: write-combining)
 *
 * Called on every CPU at bring-up, interrupts off, before its first use
 * of a write-combining mapping; the boot CPU's call sets x86_pat_wc.
 */
void pat_cpu_init(void);

/**
 * pat_msr_value() - what pat_cpu_init() writes to IA32_PAT
 * Return: the eight one-byte memory types, entry 0 in the low byte.
 */
u64 pat_msr_value(void);

#endif /* _ASM_X86_PAT_H */

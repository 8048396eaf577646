/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-specific register numbers and the bits the kernel sets or tests in
 * them.  Names follow the Intel SDM (vol. 4) and Linux, so that a reader
 * can look each one up.  Usable from assembly (head.S, the AP trampoline).
 */
#ifndef _ASM_X86_MSR_INDEX_H
#define _ASM_X86_MSR_INDEX_H

#ifdef __ASSEMBLER__
#define _MSR_UL(x)			x
#else
#define _MSR_UL(x)			x##UL
#endif
#define _MSR_BIT(n)			(_MSR_UL(1) << (n))

#define MSR_IA32_APICBASE		0x0000001b
#define MSR_IA32_APICBASE_BSP		_MSR_BIT(8)
#define MSR_IA32_APICBASE_X2APIC	_MSR_BIT(10)
#define MSR_IA32_APICBASE_ENABLE	_MSR_BIT(11)
/* Bits 12-51: the xAPIC MMIO base (physical). */
#define MSR_IA32_APICBASE_BASE		_MSR_UL(0x000ffffffffff000)

#define MSR_IA32_PAT			0x00000277

/* x2APIC registers: MSR 0x800 + (xAPIC MMIO offset >> 4). */
#define MSR_X2APIC_BASE			0x00000800
#define MSR_X2APIC_ICR			0x00000830

#define MSR_EFER			0xc0000080
#define EFER_LME			_MSR_BIT(8)	/* long mode enable */
#define EFER_NXE			_MSR_BIT(11)	/* no-execute enable */

#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102

#endif /* _ASM_X86_MSR_INDEX_H */

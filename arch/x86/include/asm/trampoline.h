/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Values of the AP trampoline's APIC ID field (trampoline.S, smpboot.c)
 * besides a real APIC ID: no x2APIC ID takes either.
 */
#ifndef _ASM_X86_TRAMPOLINE_H
#define _ASM_X86_TRAMPOLINE_H

/* The parameters are nobody's: a CPU that starts now stands down. */
#define TRAMPOLINE_NOBODY	0xffffffff
/* The CPU they were for has taken them and is on its way in. */
#define TRAMPOLINE_CLAIMED	0xfffffffe

/*
 * Gates of the IDT a CPU that stands down loads (vectors 0-31: every
 * exception and the NMI), all to the trampoline's park.
 */
#define TRAMPOLINE_IDT_GATES	32

/*
 * Bytes of the stack a CPU that stands down parks on: a 32-bit exception
 * frame with an error code is 16, never popped, shared by every such CPU.
 */
#define TRAMPOLINE_PARK_STACK	32

#endif

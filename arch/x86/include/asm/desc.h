/* SPDX-License-Identifier: GPL-2.0 */
/* GDT selectors, the TSS and descriptor-table helpers. */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <exo/types.h>

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define TSS_SEL		0x28

struct desc_ptr {
	u16 size;
	u64 address;
} __packed;

/*
 * The hardware layout (104 bytes): IST1 is at offset 0x24, so ist[0]
 * overlays the reserved quadword at 0x1c and ist[n] is IST slot n.
 */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 ist[8];		/* ist[0] reserved, IST slots 1..7 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS layout");

#define IST_STACK_SIZE	(4 * 4096)

/**
 * cpu_init_descriptors() - load this CPU's GDT, TSS (with IST stacks) and IDT
 * @cpu: logical CPU number; its per-CPU area must already be in %gs
 */
void cpu_init_descriptors(unsigned int cpu);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Hosted build: there are no interrupts; the flag is tracked per thread. */
#ifndef _ASM_HOSTED_IRQFLAGS_H
#define _ASM_HOSTED_IRQFLAGS_H

#include <exo/compiler.h>

#define X86_EFLAGS_IF	0x200UL
extern __thread unsigned long hosted_irqflags;

static inline unsigned long arch_local_save_flags(void) { return hosted_irqflags; }
static inline void arch_local_irq_disable(void) { hosted_irqflags = 0; }
static inline void arch_local_irq_enable(void) { hosted_irqflags = X86_EFLAGS_IF; }
static inline unsigned long arch_local_irq_save(void)
{
	unsigned long f = hosted_irqflags;

	hosted_irqflags = 0;
	return f;
}
static inline void arch_local_irq_restore(unsigned long f) { hosted_irqflags = f; }
static inline int arch_irqs_disabled(void) { return !(hosted_irqflags & X86_EFLAGS_IF); }

#endif

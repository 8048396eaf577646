/* SPDX-License-Identifier: GPL-2.0 */
/* Local interrupt flag control (RFLAGS.IF). */
#ifndef _ASM_X86_IRQFLAGS_H
#define _ASM_X86_IRQFLAGS_H

#include <exo/compiler.h>

#define X86_EFLAGS_IF	0x200UL

static __always_inline unsigned long arch_local_save_flags(void)
{
	unsigned long f;

	/* "=r": with "=rm" clang spills the flags to the stack and reloads them. */
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static __always_inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static __always_inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long f = arch_local_save_flags();

	arch_local_irq_disable();
	return f;
}

static __always_inline void arch_local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		arch_local_irq_enable();
}

/*
 * arch_local_irq_restore() for the page allocator's fast paths: the flags
 * stay opaque (in %rax) until here, so that the compiler tests the saved
 * IF bit right before the sti instead of computing the mask early into
 * another register, two instructions there.  Elsewhere the plain one is
 * as short or shorter.
 */
static __always_inline void arch_local_irq_restore_late(unsigned long f)
{
	__asm__ __volatile__("" : "+a"(f));
	arch_local_irq_restore(f);
}

/*
 * Enable interrupts and halt until one arrives, with no window in between:
 * sti takes effect after the next instruction, so an interrupt that is
 * already pending wakes the hlt instead of being taken before it.
 */
static __always_inline void arch_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static __always_inline int arch_irqs_disabled(void)
{
	return !(arch_local_save_flags() & X86_EFLAGS_IF);
}

#endif /* _ASM_X86_IRQFLAGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hosted build: there are no interrupts; the flag is tracked per thread.
 *
 * A CPU thread (hosted_set_cpu()) also publishes in hosted_irq_state[] of
 * its CPU whether it runs with interrupts off, so that a TLB shootdown
 * (arch/hosted/tlb.c) can give the guarantee the kernel's IPI gives: it
 * waits until the CPU has interrupts on, and the CPU cannot turn them off
 * again while the "handler" runs on its behalf (hosted_cross_call()).
 * Lock-free readers that rely on disabled interrupts, like translate(),
 * are then as safe as in the kernel, and ThreadSanitizer sees why.  The
 * benchmarks measure the kernel's code and leave this out.
 */
#ifndef _ASM_HOSTED_IRQFLAGS_H
#define _ASM_HOSTED_IRQFLAGS_H

#include <exo/compiler.h>

#define X86_EFLAGS_IF	0x200UL
extern __thread unsigned long hosted_irqflags;

#ifndef HOSTED_BENCH
/* Bits of hosted_irq_state[cpu]; 0: interrupts on, nothing pending. */
#define HOSTED_IRQ_OFF		1	/* interrupts off */
#define HOSTED_IRQ_PENDING	2	/* a cross-CPU call waits: do not turn them off */
#define HOSTED_IRQ_CALL		4	/* a cross-CPU call runs for the CPU */

/* This thread's CPU's word, NULL before hosted_set_cpu(). */
extern __thread unsigned int *hosted_irq_self;
void hosted_irq_off_slow(void);

static inline void hosted_irq_off(void)
{
	unsigned int on = 0;

	if (hosted_irq_self &&
	    !__atomic_compare_exchange_n(hosted_irq_self, &on, HOSTED_IRQ_OFF, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		hosted_irq_off_slow();
}

static inline void hosted_irq_on(void)
{
	if (hosted_irq_self)
		__atomic_fetch_and(hosted_irq_self, ~HOSTED_IRQ_OFF, __ATOMIC_RELEASE);
}
#else
static inline void hosted_irq_off(void) { }
static inline void hosted_irq_on(void) { }
#endif

static inline unsigned long arch_local_save_flags(void) { return hosted_irqflags; }

static inline void arch_local_irq_disable(void)
{
	if (hosted_irqflags & X86_EFLAGS_IF)
		hosted_irq_off();
	hosted_irqflags = 0;
}

static inline void arch_local_irq_enable(void)
{
	if (!(hosted_irqflags & X86_EFLAGS_IF))
		hosted_irq_on();
	hosted_irqflags = X86_EFLAGS_IF;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long f = hosted_irqflags;

	arch_local_irq_disable();
	return f;
}

static inline void arch_local_irq_restore(unsigned long f)
{
#ifdef HOSTED_BENCH
	/* hosted_irq_on/off() do nothing: the flag is all there is to restore. */
	hosted_irqflags = f & X86_EFLAGS_IF;
#else
	if (f & X86_EFLAGS_IF)
		arch_local_irq_enable();
	else
		arch_local_irq_disable();
#endif
}

/* The x86 one keeps the flags opaque until here; nothing to gain hosted. */
static inline void arch_local_irq_restore_late(unsigned long f)
{
	arch_local_irq_restore(f);
}

static inline int arch_irqs_disabled(void) { return !(hosted_irqflags & X86_EFLAGS_IF); }

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The IRQ core's internals (kernel/irq/). */
#ifndef _KERNEL_IRQ_INTERNAL_H
#define _KERNEL_IRQ_INTERNAL_H

#include <exo/interrupt.h>
#include <exo/irq.h>
#include <exo/kernel.h>

#define NR_IRQS		1024

/* irqaction.thread_flags bit: the thread has work. */
#define IRQTF_RUNTHREAD	0

/* The stuck-line detector's window and verdict (Linux's figures). */
#define SPURIOUS_WINDOW		100000
#define SPURIOUS_THRESHOLD	99900
/* An unhandled interrupt this long after the previous one restarts the count. */
#define SPURIOUS_GAP_NS		100000000ull
/* SPURIOUS_GAP_NS, but the storm ktests lift it: a host stall must not reset their count. */
extern u64 spurious_gap_ns;

static inline struct irq_desc *irq_data_to_desc(struct irq_data *d)
{
	return container_of(d, struct irq_desc, irq_data);
}

/* chip.c; desc->lock held. */
int irq_startup(struct irq_desc *desc);
void irq_shutdown(struct irq_desc *desc);
void mask_irq(struct irq_desc *desc);
void unmask_irq(struct irq_desc *desc);
int __irq_set_trigger(struct irq_desc *desc, unsigned int type);

/* handle.c */
irqreturn_t handle_irq_event(struct irq_desc *desc) __must_hold(&desc->lock);

/* spurious.c; desc->lock held. */
void note_interrupt(struct irq_desc *desc, irqreturn_t ret);

/* manage.c */
void irq_finalize_oneshot(struct irq_desc *desc, struct irqaction *action);

/* irqdesc.c: iterate the descriptors (for `interrupts`). */
unsigned int irq_get_next_desc(unsigned int from);
/* sparse_irq_lock (a mutex): no descriptor is allocated or freed while held. */
void irq_lock_sparse(void);
void irq_unlock_sparse(void);


#endif /* _KERNEL_IRQ_INTERNAL_H */

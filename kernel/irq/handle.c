// SPDX-License-Identifier: GPL-2.0
/*
 * Running an IRQ's actions.  Called by the flow handlers with desc->lock
 * held; the lock is dropped while the handlers run and IRQS_INPROGRESS
 * tells free_irq()/synchronize_irq() that they do.
 */
#include <exo/bitmap.h>
#include <exo/export.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <trace/events/irq.h>
#include "internal.h"

static void irq_wake_thread(struct irq_desc *desc, struct irqaction *action)
{
	if (test_and_set_bit(IRQTF_RUNTHREAD, &action->thread_flags))
		return;		/* already woken, not run yet: one run serves both */
	/* The desc lock is not held: the oneshot mask is updated atomically. */
	__atomic_fetch_or(&desc->threads_oneshot, action->thread_mask, __ATOMIC_SEQ_CST);
	atomic_inc(&desc->threads_active);
	wake_up_process(action->thread);
}

/*
 * Every action runs, also after one returned IRQ_HANDLED: two devices on
 * a shared line may have raised it at once.
 */
static irqreturn_t handle_irq_event_percpu(struct irq_desc *desc)
{
	unsigned int irq = desc->irq_data.irq;
	irqreturn_t retval = IRQ_NONE;

	for (struct irqaction *action = READ_ONCE(desc->action); action;
	     action = READ_ONCE(action->next)) {
		irqreturn_t res;

		trace_irq_handler_entry(irq, action);
		res = action->handler(irq, action->dev_id);
		trace_irq_handler_exit(irq, action, res);

		if (res == IRQ_WAKE_THREAD) {
			if (unlikely(!action->thread_fn)) {
				pr_warn_ratelimited("IRQ %u (%s) asked for a thread it does not have\n",
						    irq, action->name);
				res = IRQ_HANDLED;
			} else {
				irq_wake_thread(desc, action);
			}
		}
		retval |= res;
	}
	return retval;
}

irqreturn_t handle_irq_event(struct irq_desc *desc) __must_hold(&desc->lock)
{
	irqreturn_t ret;

	desc->istate &= ~IRQS_PENDING;
	desc->istate |= IRQS_INPROGRESS;
	spin_unlock(&desc->lock);
	ret = handle_irq_event_percpu(desc);
	spin_lock(&desc->lock);
	note_interrupt(desc, ret);
	desc->istate &= ~IRQS_INPROGRESS;
	return ret;
}

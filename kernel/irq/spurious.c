// SPDX-License-Identifier: GPL-2.0
/*
 * The stuck-line detector, as Linux's note_interrupt(): out of every
 * SPURIOUS_WINDOW interrupts of an IRQ, if more than SPURIOUS_THRESHOLD
 * were handled by nobody (every action returned IRQ_NONE), the line is
 * stuck or misrouted and would eat a CPU: it is disabled with a log line
 * naming its handlers.  An unhandled interrupt more than SPURIOUS_GAP_NS
 * after the previous one restarts the unhandled count, so that occasional
 * strays over a long uptime never add up to a verdict.  enable_irq()
 * brings a disabled line back.
 */
#define pr_fmt(fmt) "irq: " fmt

#include <exo/printk.h>
#include <exo/time.h>
#include "internal.h"

u64 spurious_gap_ns = SPURIOUS_GAP_NS;

static void report_bad_irq(struct irq_desc *desc)
{
	pr_err("IRQ %u: nobody cared (%u of %u interrupts unhandled): disabling it\n",
	       desc->irq_data.irq, desc->irqs_unhandled, SPURIOUS_WINDOW);
	for (struct irqaction *a = desc->action; a; a = a->next)
		pr_err("IRQ %u: handler %ps (%s)\n", desc->irq_data.irq, a->handler, a->name);
}

void note_interrupt(struct irq_desc *desc, irqreturn_t ret)
{
	if (ret == IRQ_NONE) {
		u64 now = ktime_get_ns();

		if (now - desc->last_unhandled > READ_ONCE(spurious_gap_ns))
			desc->irqs_unhandled = 1;
		else
			desc->irqs_unhandled++;
		desc->last_unhandled = now;
	}
	if (++desc->irq_count < SPURIOUS_WINDOW)
		return;
	desc->irq_count = 0;
	if (desc->irqs_unhandled > SPURIOUS_THRESHOLD) {
		report_bad_irq(desc);
		desc->istate |= IRQS_SPURIOUS_DISABLED | IRQS_DISABLED;
		desc->depth++;
		mask_irq(desc);
	}
	desc->irqs_unhandled = 0;
}

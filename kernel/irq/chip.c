// SPDX-License-Identifier: GPL-2.0
/*
 * Chip plumbing and the flow handlers.  A flow handler runs from the
 * arch's dispatch with interrupts off and its vector in service; it must
 * end the interrupt at the chip in every case (irq_ack before the
 * handlers for edge, irq_eoi after them for fasteoi), or the local APIC
 * keeps the vector in service and blocks every lower one.
 */
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/printk.h>
#include "internal.h"

void mask_irq(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;

	if (desc->istate & IRQS_MASKED)
		return;
	if (chip->irq_mask)
		chip->irq_mask(&desc->irq_data);
	desc->istate |= IRQS_MASKED;
}

void unmask_irq(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;

	if (!(desc->istate & IRQS_MASKED))
		return;
	if (chip->irq_unmask)
		chip->irq_unmask(&desc->irq_data);
	desc->istate &= ~IRQS_MASKED;
}

static void mask_ack_irq(struct irq_desc *desc)
{
	mask_irq(desc);
	if (desc->irq_data.chip->irq_ack)
		desc->irq_data.chip->irq_ack(&desc->irq_data);
}

static void chip_eoi(struct irq_desc *desc)
{
	if (desc->irq_data.chip->irq_eoi)
		desc->irq_data.chip->irq_eoi(&desc->irq_data);
}

int irq_startup(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;
	int ret;

	if (!(desc->istate & IRQS_STARTED)) {
		ret = x86_vector_activate(desc);
		if (ret)
			return ret;
		desc->istate |= IRQS_STARTED;
	}
	desc->depth = 0;
	desc->istate &= ~(IRQS_DISABLED | IRQS_PENDING | IRQS_SPURIOUS_DISABLED);
	if (chip->irq_startup) {
		chip->irq_startup(&desc->irq_data);
		desc->istate &= ~IRQS_MASKED;
	} else {
		unmask_irq(desc);
	}
	return 0;
}

void irq_shutdown(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;

	if (chip->irq_shutdown)
		chip->irq_shutdown(&desc->irq_data);
	else if (chip->irq_mask)
		chip->irq_mask(&desc->irq_data);
	desc->istate |= IRQS_MASKED | IRQS_DISABLED;
	desc->istate &= ~(IRQS_PENDING | IRQS_ONESHOT);
	desc->depth = 1;
	if (desc->istate & IRQS_STARTED)
		x86_vector_deactivate(desc);
	desc->istate &= ~IRQS_STARTED;
}

int __irq_set_trigger(struct irq_desc *desc, unsigned int type)
{
	struct irq_chip *chip = desc->irq_data.chip;
	int ret = 0;

	if (chip && chip->irq_set_type)
		ret = chip->irq_set_type(&desc->irq_data, type);
	if (!ret)
		desc->irq_data.type = type;
	return ret;
}

/*
 * Edge: acknowledge first, so that a new edge during the handlers is
 * latched again.  An edge that arrives while the IRQ is disabled, or runs
 * on another CPU (after a move), is marked pending and replayed by the
 * CPU that runs the handlers, or by enable_irq().
 */
void handle_edge_irq(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	if ((desc->istate & (IRQS_DISABLED | IRQS_INPROGRESS)) || !desc->action) {
		desc->istate |= IRQS_PENDING;
		if (desc->istate & IRQS_INPROGRESS)
			desc->irq_data.chip->irq_ack(&desc->irq_data);
		else
			mask_ack_irq(desc);
		goto out;
	}
	desc->irq_data.chip->irq_ack(&desc->irq_data);
	do {
		if (unlikely(!desc->action)) {
			mask_irq(desc);
			goto out;
		}
		if ((desc->istate & (IRQS_PENDING | IRQS_MASKED | IRQS_DISABLED)) ==
		    (IRQS_PENDING | IRQS_MASKED))
			unmask_irq(desc);
		handle_irq_event(desc);
	} while ((desc->istate & (IRQS_PENDING | IRQS_DISABLED)) == IRQS_PENDING);
out:
	spin_unlock(&desc->lock);
}
EXPORT_SYMBOL_GPL(handle_edge_irq);

/* Mask and acknowledge, run the handlers, unmask unless a oneshot thread holds it. */
void handle_level_irq(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	mask_ack_irq(desc);
	if ((desc->istate & (IRQS_DISABLED | IRQS_INPROGRESS)) || !desc->action) {
		desc->istate |= IRQS_PENDING;
		goto out;
	}
	handle_irq_event(desc);
	if (!(desc->istate & IRQS_DISABLED) && !desc->threads_oneshot)
		unmask_irq(desc);
out:
	spin_unlock(&desc->lock);
}
EXPORT_SYMBOL_GPL(handle_level_irq);

/*
 * Level lines behind a controller that needs only an EOI (the I/O APIC):
 * the EOI comes after the handlers, so the line cannot re-fire before the
 * device was served.  With IRQF_ONESHOT the line is masked first and
 * unmasked when every woken thread finished (irq_finalize_oneshot()).
 */
void handle_fasteoi_irq(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	if (desc->istate & IRQS_INPROGRESS)
		goto out;	/* a level line asserts again */
	if ((desc->istate & IRQS_DISABLED) || !desc->action) {
		desc->istate |= IRQS_PENDING;
		mask_irq(desc);
		goto out;
	}
	if (desc->istate & IRQS_ONESHOT)
		mask_irq(desc);
	handle_irq_event(desc);
	if ((desc->istate & IRQS_ONESHOT) && !(desc->istate & IRQS_DISABLED) &&
	    !desc->threads_oneshot)
		unmask_irq(desc);
out:
	chip_eoi(desc);
	spin_unlock(&desc->lock);
}
EXPORT_SYMBOL_GPL(handle_fasteoi_irq);

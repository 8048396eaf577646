// SPDX-License-Identifier: GPL-2.0
/* Device-managed IRQs: freed when the device's binding ends (drivers/base/devres.c). */
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/slab.h>
#include "internal.h"

struct irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *data)
{
	struct irq_devres *dr = data;

	free_irq(dr->irq, dr->dev_id);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id)
{
	struct irq_devres *dr;
	int rc;

	dr = devm_kzalloc(dev, sizeof(*dr), GFP_KERNEL);
	if (!dr)
		return -ENOMEM;
	if (!devname)
		devname = dev_name(dev);
	rc = request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
	if (rc) {
		devm_kfree(dev, dr);
		return rc;
	}
	dr->irq = irq;
	dr->dev_id = dev_id;
	/* Added after the memory, so released before it. */
	return devm_add_action_or_reset(dev, devm_irq_release, dr);
}
EXPORT_SYMBOL_GPL(devm_request_threaded_irq);

struct irq_devres_match {
	unsigned int irq;
	void *dev_id;
	struct irq_devres *found;
};

static bool devm_irq_match(void *data, void *match_data)
{
	struct irq_devres *dr = data;
	struct irq_devres_match *m = match_data;

	if (dr->irq != m->irq || dr->dev_id != m->dev_id)
		return false;
	m->found = dr;
	return true;
}

void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id)
{
	struct irq_devres_match m = { .irq = irq, .dev_id = dev_id };

	if (devm_release_action_match(dev, devm_irq_release, devm_irq_match, &m)) {
		dev_err(dev, "devm_free_irq: IRQ %u (dev_id %p) was not requested with devm_\n",
			irq, dev_id);
		return;
	}
	devm_kfree(dev, m.found);
}
EXPORT_SYMBOL_GPL(devm_free_irq);

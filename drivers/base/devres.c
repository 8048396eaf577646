// SPDX-License-Identifier: GPL-2.0
/*
 * Managed device resources (devm_*): what a probe acquires is recorded on
 * the device and released in reverse order of acquisition when the binding
 * ends (probe failure, unbind, driver or device removal), so drivers have
 * no error-unwinding ladders and cannot leak on remove.
 *
 * Each resource is a struct devres node followed by its payload.  The list
 * is only touched under the device's lock (device_lock(): probe/remove) or
 * when the device's last reference is dropped, never concurrently.
 *
 * Device-model objects and devres nodes come from kzalloc()/kfree().
 */
#define pr_fmt(fmt) "devres: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kernel.h>
#include <exo/mm.h>
#include <exo/page_alloc.h>
#include <exo/slab.h>
#include <asm/page.h>

#include "base.h"

struct devres {
	struct list_head node;
	void (*action)(void *data);	/* NULL: plain memory */
	void *data;
	size_t size;
	u64 payload[];
};

static struct devres *devres_new(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr = kzalloc(sizeof(*dr) + size, gfp);

	if (!dr)
		return NULL;
	dr->size = size;
	list_add_tail(&dr->node, &dev->devres);
	return dr;
}

void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr = devres_new(dev, size, gfp);

	if (!dr) {
		dev_err(dev, "devm_kzalloc: out of memory for %zu bytes\n", size);
		return NULL;
	}
	return dr->payload;
}
EXPORT_SYMBOL(devm_kzalloc);

int devm_kfree(struct device *dev, void *p)
{
	struct devres *dr;

	list_for_each_entry(dr, &dev->devres, node)
		if (!dr->action && (void *)dr->payload == p) {
			list_del(&dr->node);
			kfree(dr);
			return 0;
		}
	dev_err(dev, "devm_kfree: %p is not a managed allocation of this device\n", p);
	return -ENOENT;
}
EXPORT_SYMBOL(devm_kfree);

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct devres *dr = devres_new(dev, 0, GFP_KERNEL);

	if (!dr) {
		dev_err(dev, "devm_add_action: out of memory\n");
		return -ENOMEM;
	}
	dr->action = action;
	dr->data = data;
	return 0;
}
EXPORT_SYMBOL(devm_add_action);

int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data)
{
	int ret = devm_add_action(dev, action, data);

	if (ret)
		action(data);
	return ret;
}
EXPORT_SYMBOL(devm_add_action_or_reset);

void devm_release_action(struct device *dev, void (*action)(void *), void *data)
{
	struct devres *dr, *found = NULL;

	list_for_each_entry(dr, &dev->devres, node)
		if (dr->action == action && dr->data == data)
			found = dr;
	if (!found) {
		dev_err(dev, "devm_release_action: action %p(%p) is not managed by this device\n",
			action, data);
		return;
	}
	list_del(&found->node);
	kfree(found);
	action(data);
}
EXPORT_SYMBOL(devm_release_action);

int devm_release_action_match(struct device *dev, void (*action)(void *),
			      bool (*match)(void *data, void *match_data), void *match_data)
{
	struct devres *dr;

	/* Newest first, as the release order goes. */
	for (dr = list_last_entry(&dev->devres, struct devres, node); &dr->node != &dev->devres;
	     dr = list_entry(dr->node.prev, struct devres, node))
		if (dr->action == action && match(dr->data, match_data)) {
			list_del(&dr->node);
			action(dr->data);
			kfree(dr);
			return 0;
		}
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(devm_release_action_match);

unsigned int devres_count(struct device *dev)
{
	struct devres *dr;
	unsigned int n = 0;

	list_for_each_entry(dr, &dev->devres, node)
		n++;
	return n;
}
EXPORT_SYMBOL(devres_count);

void devres_release_all(struct device *dev)
{
	/* devres lists of never-initialised devices are zeroed: nothing to do. */
	if (!dev->devres.next)
		return;
	while (!list_empty(&dev->devres)) {
		struct devres *dr = list_last_entry(&dev->devres, struct devres, node);

		list_del(&dr->node);
		if (dr->action)
			dr->action(dr->data);
		kfree(dr);
	}
}
EXPORT_SYMBOL(devres_release_all);

void devres_release_driver(struct device *dev)
{
	while (!list_empty(&dev->devres)) {
		struct devres *dr = list_last_entry(&dev->devres, struct devres, node);

		list_del(&dr->node);
		if (dr->action)
			dr->action(dr->data);
		else
			devres_check_block(dev, dr->payload, dr->size);
		kfree(dr);
	}
}

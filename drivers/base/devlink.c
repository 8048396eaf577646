// SPDX-License-Identifier: GPL-2.0
/*
 * Device links, as Linux's: device_link_add(consumer, supplier, flags)
 * says that @consumer's driver uses @supplier's.  Unless the link is
 * DL_FLAG_STATELESS (then it only records the dependency), the core
 * enforces it: the consumer probes only while the supplier is bound (its
 * probe is deferred before that and retried when the supplier binds), and
 * unbinding the supplier unbinds every consumer first.  A link holds a
 * reference on both devices; it goes with device_link_del(), when either
 * device is deleted, or when the consumer (DL_FLAG_AUTOREMOVE_CONSUMER) or
 * the supplier (DL_FLAG_AUTOREMOVE_SUPPLIER) unbinds.
 *
 * The links are on supplier->links_consumers and consumer->links_suppliers
 * under device_links_lock, which nests inside dm_mutex (base.h).
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/mutex.h>
#include <exo/slab.h>

#include "base.h"

static DEFINE_MUTEX(device_links_lock);

static bool link_managed(const struct device_link *link)
{
	return !(link->flags & DL_FLAG_STATELESS);
}

/* Is @target @dev, one of its descendants or (transitively) a consumer? */
static bool device_is_dependent(struct device *dev, struct device *target, unsigned int depth)
{
	struct device_link *link;
	struct device *child;

	if (dev == target)
		return true;
	/* The device tree and the links are acyclic; the bound is for safety. */
	if (depth > 32)
		return true;
	list_for_each_entry(child, &dev->children, sibling)
		if (device_is_dependent(child, target, depth + 1))
			return true;
	list_for_each_entry(link, &dev->links_consumers, s_node)
		if (device_is_dependent(link->consumer, target, depth + 1))
			return true;
	return false;
}

static struct device_link *find_link(struct device *consumer, struct device *supplier)
{
	struct device_link *link;

	list_for_each_entry(link, &supplier->links_consumers, s_node)
		if (link->consumer == consumer)
			return link;
	return NULL;
}

/* Why the link cannot be made (both locks held), or 0. */
static int link_check(struct device *consumer, struct device *supplier, u32 flags)
{
	if (flags & ~(DL_FLAG_STATELESS | DL_FLAG_AUTOREMOVE_CONSUMER |
		      DL_FLAG_AUTOREMOVE_SUPPLIER))
		return -EINVAL;
	if ((flags & DL_FLAG_STATELESS) &&
	    (flags & (DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER)))
		return -EINVAL;
	if (!consumer->registered || !supplier->registered)
		return -ENODEV;
	/* The supplier must not depend on the consumer: that is a cycle. */
	if (device_is_dependent(consumer, supplier, 0))
		return -EDEADLK;
	/* A bound consumer cannot start to need a supplier that is not. */
	if (!(flags & DL_FLAG_STATELESS) && consumer->driver &&
	    (!supplier->live || supplier->unbinding))
		return -EPROBE_DEFER;
	return 0;
}

struct device_link *device_link_add(struct device *consumer, struct device *supplier, u32 flags)
{
	struct device_link *link, *nl = kzalloc(sizeof(*nl), GFP_KERNEL);
	int ret;

	if (!consumer || !supplier || !nl) {
		kfree(nl);
		pr_err("device_link_add: %s\n", nl ? "no consumer or supplier" : "out of memory");
		return NULL;
	}
	dm_lock();
	mutex_lock(&device_links_lock);
	link = find_link(consumer, supplier);
	ret = link ? 0 : link_check(consumer, supplier, flags);
	if (link) {
		link->refcount++;
	} else if (!ret) {
		link = nl;
		nl = NULL;
		link->consumer = get_device(consumer);
		link->supplier = get_device(supplier);
		link->flags = flags;
		link->refcount = 1;
		list_add_tail(&link->s_node, &supplier->links_consumers);
		list_add_tail(&link->c_node, &consumer->links_suppliers);
	}
	mutex_unlock(&device_links_lock);
	dm_unlock();
	kfree(nl);
	if (ret)
		pr_err("device_link_add: %s -> %s (flags %#x): %s\n", dev_name(consumer),
		       dev_name(supplier), flags, errname(ret));
	return link;
}
EXPORT_SYMBOL_GPL(device_link_add);

/* Unlink and free @link; device_links_lock held.  Return: the devices to put. */
static void __link_del(struct device_link *link, struct device **put)
{
	list_del(&link->s_node);
	list_del(&link->c_node);
	put[0] = link->consumer;
	put[1] = link->supplier;
	kfree(link);
}

/* Drop one reference on @link; device_links_lock held.  Return: the puts. */
static void __link_put(struct device_link *link, struct device **put)
{
	if (--link->refcount == 0)
		__link_del(link, put);
}

void device_link_del(struct device_link *link)
{
	struct device *put[2] = { NULL, NULL };

	if (!link)
		return;
	mutex_lock(&device_links_lock);
	__link_put(link, put);
	mutex_unlock(&device_links_lock);
	put_device(put[0]);
	put_device(put[1]);
}
EXPORT_SYMBOL_GPL(device_link_del);

void device_link_remove(struct device *consumer, struct device *supplier)
{
	struct device *put[2] = { NULL, NULL };
	struct device_link *link;

	/* One locked section: a purge between find and put would free it. */
	mutex_lock(&device_links_lock);
	link = find_link(consumer, supplier);
	if (link)
		__link_put(link, put);
	mutex_unlock(&device_links_lock);
	if (!link)
		pr_err("device_link_remove: no link %s -> %s\n", dev_name(consumer),
		       dev_name(supplier));
	put_device(put[0]);
	put_device(put[1]);
}
EXPORT_SYMBOL_GPL(device_link_remove);

bool device_links_suppliers_ready(struct device *dev)
{
	struct device_link *link;
	bool ready = true;

	mutex_lock(&device_links_lock);
	list_for_each_entry(link, &dev->links_suppliers, c_node)
		if (link_managed(link) &&
		    (!link->supplier->live || link->supplier->unbinding)) {
			ready = false;
			break;
		}
	mutex_unlock(&device_links_lock);
	return ready;
}

/* A bound consumer of @dev through a managed link, referenced, or NULL. */
static struct device *bound_consumer(struct device *dev)
{
	struct device_link *link;
	struct device *found = NULL;

	mutex_lock(&device_links_lock);
	list_for_each_entry(link, &dev->links_consumers, s_node)
		if (link_managed(link) && READ_ONCE(link->consumer->driver)) {
			found = get_device(link->consumer);
			break;
		}
	mutex_unlock(&device_links_lock);
	return found;
}

bool device_links_busy(struct device *dev)
{
	struct device *c = bound_consumer(dev);

	put_device(c);
	return c != NULL;
}

void device_links_unbind_consumers(struct device *dev)
{
	struct device *c;

	while ((c = bound_consumer(dev))) {
		dev_info(dev, "unbinding consumer %s first (device link)\n", dev_name(c));
		device_release_driver(c);
		/* It binds again once its suppliers are back. */
		driver_deferred_probe_add(c);
		put_device(c);
	}
}

/*
 * Drop @dev's links that @pick selects, one at a time (puts run unlocked):
 * a purge frees them, an autoremove drops the one reference the core
 * manages and leaves the others' holders a stateless link (Linux's
 * device_link_drop_managed()), which their device_link_del() frees.
 */
static void links_drop(struct device *dev, bool (*pick)(struct device *dev,
							struct device_link *link),
		       bool purge)
{
	for (;;) {
		struct device *put[2] = { NULL, NULL };
		struct device_link *link, *found = NULL;

		mutex_lock(&device_links_lock);
		list_for_each_entry(link, &dev->links_suppliers, c_node)
			if (pick(dev, link)) {
				found = link;
				break;
			}
		if (!found)
			list_for_each_entry(link, &dev->links_consumers, s_node)
				if (pick(dev, link)) {
					found = link;
					break;
				}
		if (found && purge) {
			__link_del(found, put);
		} else if (found) {
			found->flags = DL_FLAG_STATELESS;
			__link_put(found, put);
		}
		mutex_unlock(&device_links_lock);
		if (!found)
			return;
		put_device(put[0]);
		put_device(put[1]);
	}
}

static bool pick_autoremove(struct device *dev, struct device_link *link)
{
	return (link->consumer == dev && (link->flags & DL_FLAG_AUTOREMOVE_CONSUMER)) ||
	       (link->supplier == dev && (link->flags & DL_FLAG_AUTOREMOVE_SUPPLIER));
}

static bool pick_all(struct device *dev, struct device_link *link)
{
	return true;
}

void device_links_driver_unbound(struct device *dev)
{
	links_drop(dev, pick_autoremove, false);
}

void device_links_purge(struct device *dev)
{
	links_drop(dev, pick_all, true);
}

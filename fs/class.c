// SPDX-License-Identifier: GPL-2.0
/*
 * Device classes and class devices with a dev_t (device_create()), as
 * Linux's drivers/base/class.c and core.c's device_create().  A class
 * device is a bus-less struct device, child of @parent, with its class
 * and number in dev->class and dev->devt; its /dev node is made here, and
 * its "add" uevent is sent once the node exists (Linux makes the node in
 * device_add(), before the event; here device_add() makes none).
 * device_destroy() deletes the node before device_del() sends "remove",
 * in Linux's order.  The wrapper below keeps what Linux keeps in the
 * device's private part: the class's list and the node's name.
 */
#define pr_fmt(fmt) "class: " fmt

#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kobject.h>
#include <exo/lockdep.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "internal.h"

struct class_dev {
	struct device dev;
	struct list_head node;		/* on cls->devices */
	char nodename[NAME_MAX + 1];	/* "" if no node was made */
};

static DEFINE_MUTEX(class_mutex);
static LIST_HEAD(class_list);

static struct class *class_find_locked(const char *name);

static struct class_dev *to_class_dev(const struct device *dev)
{
	return container_of(dev, struct class_dev, dev);
}

int class_register(struct class *cls)
{
	int ret = 0;

	if (!cls->name) {
		pr_err("class_register: no name\n");
		return -EINVAL;
	}
	mutex_lock(&class_mutex);
	if (cls->registered || class_find_locked(cls->name)) {
		ret = -EEXIST;
	} else {
		INIT_LIST_HEAD(&cls->devices);
		snprintf(cls->lock_name, sizeof(cls->lock_name), "class %s", cls->name);
		list_add_tail(&cls->node, &class_list);
		cls->registered = true;
	}
	mutex_unlock(&class_mutex);
	if (ret)
		pr_err("class %s is registered already\n", cls->name);
	return ret;
}
EXPORT_SYMBOL_GPL(class_register);

void class_unregister(struct class *cls)
{
	mutex_lock(&class_mutex);
	if (!cls->registered) {
		mutex_unlock(&class_mutex);
		pr_err("class_unregister: %s is not registered\n", cls->name);
		return;
	}
	if (!list_empty(&cls->devices))
		pr_err("class_unregister: %s still has devices\n", cls->name);
	list_del(&cls->node);
	cls->registered = false;
	mutex_unlock(&class_mutex);
}
EXPORT_SYMBOL_GPL(class_unregister);

static struct class *class_find_locked(const char *name)
{
	struct class *cls;

	list_for_each_entry(cls, &class_list, node)
		if (!strcmp(cls->name, name))
			return cls;
	return NULL;
}

struct class *class_find(const char *name)
{
	struct class *cls;

	mutex_lock(&class_mutex);
	cls = class_find_locked(name);
	mutex_unlock(&class_mutex);
	return cls;
}
EXPORT_SYMBOL_GPL(class_find);

static void class_dev_release(struct device *dev)
{
	kfree(to_class_dev(dev));
}

const char *device_get_devnode(const struct device *dev, umode_t *mode)
{
	const char *name = NULL;

	*mode = 0;
	if (dev->class && dev->class->devnode)
		name = dev->class->devnode(dev, mode);
	return name ?: dev_name(dev);
}

struct device *device_create(struct class *cls, struct device *parent, dev_t devt,
			     void *drvdata, const char *fmt, ...)
{
	char name[DEVICE_NAME_LEN];
	struct class_dev *cd;
	va_list ap;
	umode_t mode;
	int ret;

	if (!cls || !cls->registered) {
		pr_err("device_create: class %s not registered\n", cls ? cls->name : "(null)");
		return ERR_PTR(-EINVAL);
	}
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return ERR_PTR(-ENOMEM);
	device_initialize(&cd->dev);
	/* Its lock in the class's lock class, not with the bus devices' (see class.h). */
	lockdep_set_class_and_name(&cd->dev.mutex, &cls->lock_key, cls->lock_name);
	dev_set_name(&cd->dev, "%s", name);
	cd->dev.parent = parent;
	cd->dev.release = class_dev_release;
	dev_set_drvdata(&cd->dev, drvdata);
	cd->dev.devt = devt;
	cd->dev.class = cls;
	INIT_LIST_HEAD(&cd->node);
	/*
	 * The device refers to @cls (its lock key and name too) until its
	 * last put_device(): a class in a module keeps that module's memory
	 * until then (class.h).  device_add() would only look at the
	 * release(), which is ours.
	 */
	cd->dev.mem_owner = module_memory_get((unsigned long)cls);
	/*
	 * "add" once the node exists, as Linux's device_add() sends it:
	 * held back until then, and a failure on the way sends no "remove"
	 * either.  If the parent went meanwhile (its device_del() deleted
	 * ours), no node is left and no "add" is sent.
	 */
	dev_set_uevent_suppress(&cd->dev, true);
	ret = device_add(&cd->dev);
	if (ret)
		goto put;
	if (devt) {
		const char *nodename = device_get_devnode(&cd->dev, &mode);

		ret = devtmpfs_create_node(nodename, S_IFCHR | (mode ? mode & 07777 : 0600),
					   devt, &cd->dev);
		if (ret)
			goto del;
		strlcpy(cd->nodename, nodename, sizeof(cd->nodename));
	}
	ret = device_uevent_add_deferred(&cd->dev);
	if (ret) {
		/* Deleted by its parent's device_del(): no device_del() here. */
		if (devt)
			devtmpfs_delete_node(cd->nodename, S_IFCHR, devt);
		goto put;
	}
	mutex_lock(&class_mutex);
	list_add_tail(&cd->node, &cls->devices);
	mutex_unlock(&class_mutex);
	return &cd->dev;
del:
	device_del(&cd->dev);
put:
	put_device(&cd->dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(device_create);

void device_destroy(struct class *cls, dev_t devt)
{
	struct class_dev *cd, *found = NULL;

	mutex_lock(&class_mutex);
	list_for_each_entry(cd, &cls->devices, node) {
		if (cd->dev.devt == devt) {
			found = cd;
			list_del_init(&cd->node);
			break;
		}
	}
	mutex_unlock(&class_mutex);
	if (!found) {
		pr_err("device_destroy: %s has no device %u:%u\n", cls->name, MAJOR(devt),
		       MINOR(devt));
		return;
	}
	/* The node goes first; device_del() then sends "remove", as Linux's. */
	if (found->nodename[0])
		devtmpfs_delete_node(found->nodename, S_IFCHR, devt);
	device_unregister(&found->dev);
}
EXPORT_SYMBOL_GPL(device_destroy);

dev_t device_devt(const struct device *dev)
{
	return dev->devt;
}
EXPORT_SYMBOL_GPL(device_devt);

int class_for_each_device(struct class *cls, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	struct class_dev *cd;
	int ret = 0;

	mutex_lock(&class_mutex);
	list_for_each_entry(cd, &cls->devices, node) {
		ret = fn(&cd->dev, data);
		if (ret)
			break;
	}
	mutex_unlock(&class_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(class_for_each_device);

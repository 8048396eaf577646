// SPDX-License-Identifier: GPL-2.0
/*
 * Device model: walks over the buses, their devices and drivers, and the
 * device tree (for /sys, the module loader and uevents), and the shell's
 * lsdev, bind and unbind.  Binding itself, and the lists these walk, are
 * in core.c; every walk holds dm_mutex (dm_lock()).
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kobject.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/sysfs.h>

#include "base.h"

struct device *bus_find_device_by_name(struct bus_type *bus, const char *name)
{
	struct device *dev = NULL;

	dm_lock();
	if (bus->registered)
		dev = get_device(__find_by_name(&bus->devices, name));
	dm_unlock();
	return dev;
}
EXPORT_SYMBOL_GPL(bus_find_device_by_name);

int bus_for_each_dev(struct bus_type *bus, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct device *dev;
	int ret = 0;

	dm_lock();
	if (bus->registered)
		list_for_each_entry(dev, &bus->devices, bus_node) {
			ret = fn(dev, data);
			if (ret)
				break;
		}
	dm_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(bus_for_each_dev);

int bus_for_each_uevent_bus(int (*fn)(struct device *dev, void *data), void *data)
{
	struct bus_type *bus;
	struct device *dev;
	int ret = 0;

	dm_lock();
	list_for_each_entry(bus, &bus_list, node) {
		if (!bus->uevent)
			continue;
		list_for_each_entry(dev, &bus->devices, bus_node) {
			ret = fn(dev, data);
			if (ret)
				goto out;
		}
	}
out:
	dm_unlock();
	return ret;
}

/* A driver of @owner still registered on some bus, or NULL. */
static struct device_driver *find_owned_driver(struct module *owner)
{
	struct device_driver *drv;
	struct bus_type *bus;

	list_for_each_entry(bus, &bus_list, node)
		list_for_each_entry(drv, &bus->drivers, node)
			if (drv->owner == owner)
				return drv;
	return NULL;
}

unsigned int driver_unregister_owner(struct module *owner)
{
	struct device_driver *drv;
	unsigned int n = 0;

	if (!owner)
		return 0;
	for (;;) {
		dm_lock();
		drv = find_owned_driver(owner);
		dm_unlock();
		if (!drv)
			return n;
		pr_err("driver %s (bus %s) left registered by its module: unregistering\n",
		       drv->name, drv->bus->name);
		driver_unregister(drv);
		n++;
	}
}

int bus_for_each(void *data, int (*fn)(struct bus_type *bus, void *data))
{
	struct bus_type *bus;
	int ret = 0;

	dm_lock();
	list_for_each_entry(bus, &bus_list, node) {
		ret = fn(bus, data);
		if (ret)
			break;
	}
	dm_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(bus_for_each);

int bus_for_each_drv(struct bus_type *bus, void *data,
		     int (*fn)(struct device_driver *drv, void *data))
{
	struct device_driver *drv;
	int ret = 0;

	dm_lock();
	list_for_each_entry(drv, &bus->drivers, node) {
		ret = fn(drv, data);
		if (ret)
			break;
	}
	dm_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(bus_for_each_drv);

/* Roots: the parentless devices of every bus and of none. */
static int device_for_each_root(void *data, int (*fn)(struct device *dev, void *data))
{
	struct bus_type *bus;
	struct device *dev;
	int ret = 0;

	list_for_each_entry(bus, &bus_list, node) {
		list_for_each_entry(dev, &bus->devices, bus_node) {
			ret = dev->parent ? 0 : fn(dev, data);
			if (ret)
				return ret;
		}
	}
	list_for_each_entry(dev, &busless_devices, bus_node) {
		ret = dev->parent ? 0 : fn(dev, data);
		if (ret)
			return ret;
	}
	return 0;
}

int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	struct device *dev;
	int ret = 0;

	dm_lock();
	if (!parent) {
		ret = device_for_each_root(data, fn);
	} else {
		list_for_each_entry(dev, &parent->children, sibling) {
			ret = fn(dev, data);
			if (ret)
				break;
		}
	}
	dm_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(device_for_each_child);

/* ---------------------------------------------------------------- shell */

static void lsdev_one(struct device *dev)
{
	printk("  %-20s %-16s %-20s%s\n", dev_name(dev),
	       dev->driver ? dev->driver->name : "-",
	       dev->parent ? dev_name(dev->parent) : "-",
	       !list_empty(&dev->deferred) ? " (deferred)" : "");
}

static int cmd_lsdev(int argc, char **argv)
{
	struct bus_type *bus;
	struct device *dev;

	if (argc > 1) {
		if (shell_arg_choice(argv[0], argv[1], "-t") < 0)
			return -EINVAL;
		sysfs_show_tree();
		return 0;
	}
	dm_lock();
	list_for_each_entry(bus, &bus_list, node) {
		struct device_driver *drv;

		printk("bus %s: drivers", bus->name);
		list_for_each_entry(drv, &bus->drivers, node)
			printk(KERN_CONT " %s", drv->name);
		printk(KERN_CONT "\n  %-20s %-16s %-20s\n", "device", "driver", "parent");
		list_for_each_entry(dev, &bus->devices, bus_node)
			lsdev_one(dev);
	}
	if (!list_empty(&busless_devices)) {
		printk("no bus:\n");
		list_for_each_entry(dev, &busless_devices, bus_node)
			lsdev_one(dev);
	}
	dm_unlock();
	return 0;
}
DEFINE_SHELL_CMD_ARGS(lsdev, "[-t]", 0, 1,
		      "buses, devices and their bound drivers; -t: the device tree", cmd_lsdev);

/* The device @name on bus @bus_name, referenced; NULL after saying what is missing. */
static struct device *shell_find_device(const char *cmd, const char *bus_name,
					const char *name, struct bus_type **busp)
{
	struct bus_type *bus = bus_find(bus_name);
	struct device *dev = bus ? bus_find_device_by_name(bus, name) : NULL;

	if (!bus)
		printk("%s: no bus '%s' (lsdev lists them)\n", cmd, bus_name);
	else if (!dev)
		printk("%s: no device '%s' on bus %s\n", cmd, name, bus_name);
	*busp = bus;
	return dev;
}

/* bind <bus> <device> <driver>: probe a driver by hand, and say how it went. */
static int cmd_bind(int argc, char **argv)
{
	struct device_driver *drv;
	struct bus_type *bus;
	struct device *dev = shell_find_device(argv[0], argv[1], argv[2], &bus);
	int ret;

	if (!dev)
		return -ENOENT;
	drv = bus_find_driver(bus, argv[3]);
	if (!drv) {
		printk("bind: no driver '%s' on bus %s\n", argv[3], bus->name);
		put_device(dev);
		return -ENOENT;
	}
	ret = device_bind_driver(dev, drv);
	if (!ret)
		printk("bind: %s bound to %s\n", dev_name(dev), drv->name);
	else if (ret == -EBUSY)
		printk("bind: %s: EBUSY (it already has a driver: unbind it first)\n",
		       dev_name(dev));
	else if (ret == -ENODEV)
		printk("bind: %s: ENODEV (%s does not match it)\n", dev_name(dev), drv->name);
	else
		printk("bind: %s: %s's probe failed: %s\n", dev_name(dev), drv->name,
		       errname(ret));
	put_device(dev);
	return ret;
}
DEFINE_SHELL_CMD_ARGS(bind, "<bus> <device> <driver>", 3, 3, "probe a driver by hand",
		      cmd_bind);

/* unbind <bus> <device>: detach the driver, and say which it was. */
static int cmd_unbind(int argc, char **argv)
{
	struct bus_type *bus;
	struct device *dev = shell_find_device(argv[0], argv[1], argv[2], &bus);
	char drv_name[32] = "";

	if (!dev)
		return -ENOENT;
	/*
	 * The driver named is the one detached: one hold of the device lock.
	 * Its name is copied, as a module's driver may go once it is detached.
	 */
	device_lock(dev);
	if (dev->driver)
		strlcpy(drv_name, dev->driver->name, sizeof(drv_name));
	__device_release_driver(dev);
	device_unlock(dev);
	if (drv_name[0])
		printk("unbind: %s detached from %s\n", dev_name(dev), drv_name);
	else
		printk("unbind: %s: ENODEV (it has no driver)\n", dev_name(dev));
	put_device(dev);
	return drv_name[0] ? 0 : -ENODEV;
}
DEFINE_SHELL_CMD_ARGS(unbind, "<bus> <device>", 2, 2, "detach a device's driver", cmd_unbind);

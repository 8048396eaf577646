// SPDX-License-Identifier: GPL-2.0
/*
 * Device model core: buses, devices, drivers, binding and deferred probe.
 *
 * Goal: the Linux contract in a few hundred lines.  A device and a driver
 * meet whichever registers first; a failed probe leaves the device exactly
 * as before (no driver, no drvdata, every devm_ resource released); a probe
 * that returns -EPROBE_DEFER is retried after each later successful bind.
 *
 * Invariants (all under dm_lock):
 *  - dev->driver != NULL  <=>  dev is on dev->driver->devices;
 *  - a registered device is on exactly one list: its bus's devices, or
 *    busless_devices when it has no bus;
 *  - a device is on deferred_list only while registered and unbound;
 *  - dev->refcount counts references; the creator's reference plus one per
 *    registered child (dropped when the child is released).
 *
 * dm_lock is a recursive sleeping lock (owner task + depth): probe()
 * routinely registers child devices or drivers, which re-enters here.  It
 * is held across probe and remove so that bind/unbind of one device never
 * race; contended waiters yield the CPU rather than spin.
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/bug.h>
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/processor.h>

static struct {
	spinlock_t lock;
	struct task_struct *owner;
	unsigned int depth;
} dm = { .lock = __SPIN_LOCK_UNLOCKED(dm.lock) };

static LIST_HEAD(bus_list);
static LIST_HEAD(busless_devices);
static LIST_HEAD(deferred_list);
static bool deferred_pending;

static void run_deferred(void);

static void dm_lock(void)
{
	struct task_struct *me = current;

	for (;;) {
		spin_lock(&dm.lock);
		if (!dm.owner || dm.owner == me) {
			dm.owner = me;
			dm.depth++;
			spin_unlock(&dm.lock);
			return;
		}
		spin_unlock(&dm.lock);
		if (sched_ready())
			yield();
		else
			cpu_relax();
	}
}

static void dm_unlock(void)
{
	BUG_ON(dm.owner != current || !dm.depth);
	/* The outermost caller retries deferred devices once its work is done. */
	if (dm.depth == 1 && deferred_pending)
		run_deferred();
	spin_lock(&dm.lock);
	if (--dm.depth == 0)
		dm.owner = NULL;
	spin_unlock(&dm.lock);
}

/* ---------------------------------------------------------------- buses */

int bus_register(struct bus_type *bus)
{
	if (!bus->name || !bus->match) {
		pr_err("bus_register: bus %s has no name or match()\n",
		       bus->name ? bus->name : "(null)");
		return -EINVAL;
	}
	dm_lock();
	if (bus->registered || bus_find(bus->name)) {
		dm_unlock();
		pr_err("bus_register: bus %s is already registered\n", bus->name);
		return -EEXIST;
	}
	INIT_LIST_HEAD(&bus->devices);
	INIT_LIST_HEAD(&bus->drivers);
	list_add_tail(&bus->node, &bus_list);
	bus->registered = true;
	dm_unlock();
	return 0;
}
EXPORT_SYMBOL_GPL(bus_register);

int bus_unregister(struct bus_type *bus)
{
	int ret = 0;

	dm_lock();
	if (!bus->registered)
		ret = -ENOENT;
	else if (!list_empty(&bus->devices) || !list_empty(&bus->drivers))
		ret = -EBUSY;
	if (!ret) {
		list_del(&bus->node);
		bus->registered = false;
	}
	dm_unlock();
	if (ret)
		pr_err("bus_unregister: bus %s: %s\n", bus->name,
		       ret == -EBUSY ? "devices or drivers still registered" : "not registered");
	return ret;
}
EXPORT_SYMBOL_GPL(bus_unregister);

struct bus_type *bus_find(const char *name)
{
	struct bus_type *bus, *found = NULL;

	dm_lock();
	list_for_each_entry(bus, &bus_list, node)
		if (!strcmp(bus->name, name)) {
			found = bus;
			break;
		}
	dm_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(bus_find);

/* -------------------------------------------------------------- binding */

static void deferred_add(struct device *dev)
{
	if (list_empty(&dev->deferred))
		list_add_tail(&dev->deferred, &deferred_list);
}

/* Bind @dev to @drv.  Return: 1 bound, else the probe's error. */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	int ret = 0;

	dev->driver = drv;
	if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);
	dev->probe_err = ret;
	if (ret) {
		/* Leave the device as we found it, whatever probe did. */
		devres_release_all(dev);
		dev->driver = NULL;
		dev->driver_data = NULL;
		if (ret == -EPROBE_DEFER) {
			deferred_add(dev);
			pr_info("%s: probe of %s deferred\n", drv->name, dev_name(dev));
		} else if (ret != -ENODEV && ret != -ENXIO) {
			pr_warn("%s: probe of %s failed with error %d\n", drv->name,
				dev_name(dev), ret);
		}
		return ret;
	}
	list_add_tail(&dev->driver_node, &drv->devices);
	if (!list_empty(&dev->deferred))
		list_del_init(&dev->deferred);
	/* Something new is up: deferred devices may now find what they need. */
	if (!list_empty(&deferred_list))
		deferred_pending = true;
	return 1;
}

/* Try every driver of the bus in registration order. */
static int __device_attach(struct device *dev)
{
	struct device_driver *drv;
	int ret;

	if (dev->driver)
		return 1;
	if (!dev->bus)
		return 0;
	list_for_each_entry(drv, &dev->bus->drivers, node) {
		if (!dev->bus->match(dev, drv))
			continue;
		ret = really_probe(dev, drv);
		if (ret == 1 || ret == -EPROBE_DEFER)
			return ret;
	}
	return 0;
}

static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	if (dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv->remove)
		drv->remove(dev);
	devres_release_all(dev);
	list_del_init(&dev->driver_node);
	dev->driver = NULL;
	dev->driver_data = NULL;
}

static void run_deferred(void)
{
	bool progress;

	do {
		LIST_HEAD(todo);

		deferred_pending = false;
		progress = false;
		while (!list_empty(&deferred_list))
			list_move_tail(deferred_list.next, &todo);
		while (!list_empty(&todo)) {
			struct device *dev = list_first_entry(&todo, struct device, deferred);

			list_del_init(&dev->deferred);
			if (__device_attach(dev) == 1)
				progress = true;
		}
	} while (progress || deferred_pending);
}

int device_attach(struct device *dev)
{
	int ret;

	dm_lock();
	ret = dev->registered ? __device_attach(dev) : -ENODEV;
	dm_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(device_attach);

int device_bind_driver(struct device *dev, struct device_driver *drv)
{
	int ret;

	dm_lock();
	if (!dev->registered || !drv->registered || dev->bus != drv->bus)
		ret = -ENODEV;
	else if (dev->driver)
		ret = -EBUSY;
	else if (!dev->bus->match(dev, drv))
		ret = -ENODEV;
	else
		ret = really_probe(dev, drv);
	dm_unlock();
	return ret == 1 ? 0 : ret;
}
EXPORT_SYMBOL_GPL(device_bind_driver);

void device_release_driver(struct device *dev)
{
	dm_lock();
	__device_release_driver(dev);
	dm_unlock();
}
EXPORT_SYMBOL_GPL(device_release_driver);

void driver_deferred_probe_trigger(void)
{
	dm_lock();
	deferred_pending = true;
	dm_unlock();
}
EXPORT_SYMBOL_GPL(driver_deferred_probe_trigger);

unsigned int driver_deferred_count(void)
{
	struct device *dev;
	unsigned int n = 0;

	dm_lock();
	list_for_each_entry(dev, &deferred_list, deferred)
		n++;
	dm_unlock();
	return n;
}
EXPORT_SYMBOL_GPL(driver_deferred_count);

/* -------------------------------------------------------------- devices */

void device_initialize(struct device *dev)
{
	atomic_set(&dev->refcount, 1);
	INIT_LIST_HEAD(&dev->bus_node);
	INIT_LIST_HEAD(&dev->driver_node);
	INIT_LIST_HEAD(&dev->children);
	INIT_LIST_HEAD(&dev->sibling);
	INIT_LIST_HEAD(&dev->devres);
	INIT_LIST_HEAD(&dev->deferred);
	dev->driver = NULL;
	dev->registered = false;
	dev->parent_ref = false;
	dev->probe_err = 0;
}
EXPORT_SYMBOL_GPL(device_initialize);

void dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->name, sizeof(dev->name), fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(dev_set_name);

static struct device *__find_by_name(struct list_head *head, const char *name)
{
	struct device *d;

	list_for_each_entry(d, head, bus_node)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

int device_add(struct device *dev)
{
	struct list_head *head;
	int ret = 0;

	if (!dev->name[0] || !dev->release) {
		pr_err("device_add: device %s has no %s\n", dev->name[0] ? dev->name : "?",
		       dev->name[0] ? "release()" : "name");
		return -EINVAL;
	}
	dm_lock();
	head = dev->bus ? &dev->bus->devices : &busless_devices;
	if (dev->bus && !dev->bus->registered) {
		pr_err("device_add: %s: bus %s is not registered\n", dev->name, dev->bus->name);
		ret = -EINVAL;
	} else if (dev->parent && !dev->parent->registered) {
		pr_err("device_add: %s: parent %s is not registered\n", dev->name,
		       dev->parent->name);
		ret = -EINVAL;
	} else if (dev->registered || __find_by_name(head, dev->name)) {
		pr_err("device_add: %s is already registered on bus %s\n", dev->name,
		       dev->bus ? dev->bus->name : "(none)");
		ret = -EEXIST;
	}
	if (ret) {
		dm_unlock();
		return ret;
	}
	dev->registered = true;
	if (dev->parent) {
		dev->parent_ref = true;
		get_device(dev->parent);
		list_add_tail(&dev->sibling, &dev->parent->children);
	}
	list_add_tail(&dev->bus_node, head);
	__device_attach(dev);
	dm_unlock();
	return 0;
}
EXPORT_SYMBOL_GPL(device_add);

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}
EXPORT_SYMBOL_GPL(device_register);

void device_del(struct device *dev)
{
	dm_lock();
	if (!dev->registered) {
		dm_unlock();
		pr_err("device_del: %s is not registered\n", dev->name);
		return;
	}
	/* Children first, newest first, as Linux requires of its callers. */
	while (!list_empty(&dev->children)) {
		struct device *child = list_last_entry(&dev->children, struct device, sibling);

		get_device(child);
		device_del(child);
		put_device(child);
	}
	__device_release_driver(dev);
	if (!list_empty(&dev->deferred))
		list_del_init(&dev->deferred);
	list_del_init(&dev->bus_node);
	if (dev->parent)
		list_del_init(&dev->sibling);
	dev->registered = false;
	dm_unlock();
}
EXPORT_SYMBOL_GPL(device_del);

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}
EXPORT_SYMBOL_GPL(device_unregister);

struct device *get_device(struct device *dev)
{
	if (dev)
		WARN_ON(atomic_inc_return(&dev->refcount) <= 1);
	return dev;
}
EXPORT_SYMBOL_GPL(get_device);

void put_device(struct device *dev)
{
	struct device *parent;
	int left;

	if (!dev)
		return;
	left = atomic_dec_return(&dev->refcount);
	if (left > 0)
		return;
	if (left < 0 || dev->registered) {
		pr_err("put_device: %s: reference count underflow or still registered\n",
		       dev->name);
		WARN_ON(1);
		return;
	}
	parent = dev->parent_ref ? dev->parent : NULL;
	dev->parent_ref = false;
	devres_release_all(dev);
	dev->release(dev);
	/* The child's reference on its parent was taken by device_add(). */
	if (parent)
		put_device(parent);
}
EXPORT_SYMBOL_GPL(put_device);

/* -------------------------------------------------------------- drivers */

struct device_driver *bus_find_driver(struct bus_type *bus, const char *name)
{
	struct device_driver *drv, *found = NULL;

	dm_lock();
	if (bus->registered)
		list_for_each_entry(drv, &bus->drivers, node)
			if (!strcmp(drv->name, name)) {
				found = drv;
				break;
			}
	dm_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(bus_find_driver);

int driver_register(struct device_driver *drv)
{
	struct device *dev;
	int ret = 0;

	if (!drv->name || !drv->bus) {
		pr_err("driver_register: driver %s has no %s\n", drv->name ? drv->name : "?",
		       drv->name ? "bus" : "name");
		return -EINVAL;
	}
	dm_lock();
	if (!drv->bus->registered) {
		pr_err("driver_register: %s: bus %s is not registered\n", drv->name,
		       drv->bus->name);
		ret = -EINVAL;
	} else if (drv->registered || bus_find_driver(drv->bus, drv->name)) {
		pr_err("driver_register: %s is already registered on bus %s\n", drv->name,
		       drv->bus->name);
		ret = -EEXIST;
	}
	if (ret) {
		dm_unlock();
		return ret;
	}
	INIT_LIST_HEAD(&drv->devices);
	list_add_tail(&drv->node, &drv->bus->drivers);
	drv->registered = true;
	/*
	 * Probe may add devices to this bus (children), appended at the tail:
	 * the walk sees them too, which is what we want.
	 */
	list_for_each_entry(dev, &drv->bus->devices, bus_node)
		if (!dev->driver && drv->bus->match(dev, drv))
			really_probe(dev, drv);
	dm_unlock();
	return 0;
}
EXPORT_SYMBOL_GPL(driver_register);

void driver_unregister(struct device_driver *drv)
{
	dm_lock();
	if (!drv->registered) {
		dm_unlock();
		pr_err("driver_unregister: %s is not registered\n", drv->name ? drv->name : "?");
		return;
	}
	while (!list_empty(&drv->devices))
		__device_release_driver(list_first_entry(&drv->devices, struct device,
							 driver_node));
	list_del(&drv->node);
	drv->registered = false;
	dm_unlock();
}
EXPORT_SYMBOL_GPL(driver_unregister);

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

unsigned int driver_unregister_owner(struct module *owner)
{
	struct bus_type *bus;
	unsigned int n = 0;

	if (!owner)
		return 0;
	dm_lock();
	list_for_each_entry(bus, &bus_list, node) {
		struct device_driver *drv, *tmp;

		list_for_each_entry_safe(drv, tmp, &bus->drivers, node) {
			if (drv->owner != owner)
				continue;
			pr_err("driver %s (bus %s) left registered by its module: unregistering\n",
			       drv->name, bus->name);
			driver_unregister(drv);
			n++;
		}
	}
	dm_unlock();
	return n;
}

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
DEFINE_SHELL_CMD(lsdev, "buses, devices and their bound drivers", cmd_lsdev);

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
	 * The driver named is the one detached: one hold of the lock.  Its
	 * name is copied, as a module's driver may go once it is detached.
	 */
	dm_lock();
	if (dev->driver)
		strlcpy(drv_name, dev->driver->name, sizeof(drv_name));
	__device_release_driver(dev);
	dm_unlock();
	if (drv_name[0])
		printk("unbind: %s detached from %s\n", dev_name(dev), drv_name);
	else
		printk("unbind: %s: ENODEV (it has no driver)\n", dev_name(dev));
	put_device(dev);
	return drv_name[0] ? 0 : -ENODEV;
}
DEFINE_SHELL_CMD_ARGS(unbind, "<bus> <device>", 2, 2, "detach a device's driver", cmd_unbind);

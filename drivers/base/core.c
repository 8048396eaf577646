// SPDX-License-Identifier: GPL-2.0
/*
 * Device model core: buses, devices, drivers, binding and deferred probe.
 *
 * Goal: the Linux contract in a few hundred lines.  A device and a driver
 * meet whichever registers first; a failed probe leaves the device exactly
 * as before (no driver, no drvdata, every devm_ resource released); a probe
 * that returns -EPROBE_DEFER is retried after each later successful bind.
 *
 * Locking, as in Linux:
 *  - device_lock(dev), a mutex in each device, is held across its probe and
 *    remove: binding and unbinding of one device never race, while
 *    different devices probe in parallel.  A probe may register children
 *    (their probe nests the child's lock inside the parent's) and drivers;
 *  - dm_mutex, the global one, protects the buses, the device and driver
 *    lists, the deferred list and the registered flags.  It is only held
 *    for list work, never across a driver's probe or remove.
 *  Order: device_lock(parent) -> device_lock(child) -> dm_mutex ->
 *  device_links_lock (devlink.c, see base.h).  A walk
 *  that probes (a driver against the bus's devices, a device against the
 *  bus's drivers) drops dm_mutex for each probe and resumes by sequence
 *  number (dev->seq, drv->seq: registration order), so a concurrent removal
 *  neither breaks it nor makes it skip or repeat anything.
 *
 * Invariants:
 *  - dev->driver != NULL  <=>  dev is on dev->driver->devices; both change
 *    under device_lock(dev) and dm_mutex together, so either lock makes
 *    dev->driver stable.  dev->driver is set before probe() runs (claimed),
 *    so driver_unregister() waits for a probe in flight on device_lock();
 *  - a registered device is on exactly one list: its bus's devices, or
 *    busless_devices when it has no bus;
 *  - a device is on deferred_list (or a retry pass's list) only while
 *    registered and unbound;
 *  - dev->refcount counts references; the creator's reference plus one per
 *    registered child (dropped when the child is released).
 *
 * Deferred devices are retried by the outermost binding call (device_add,
 * driver_register, device_attach...), once its own work is done and it
 * holds no device lock: never from inside a probe, whose caller will.  A
 * driver registered from inside a probe is attached the same way: its walk
 * of the bus's devices locks each one, and under the probing device's
 * lock that would order unrelated devices (a deeper one's lock before a
 * shallower one's, which lockdep reports), so driver_register() only puts
 * it on the bus and on attach_pending, and the outermost call of the same
 * thread walks it once the probe is over (as Linux's deferred probe
 * trigger runs from the outermost call).  The registering thread, which
 * owns the driver as driver_register()'s caller does, runs the walk;
 * driver_unregister() from another thread waits for it (drv->attaching),
 * so the driver is not freed under it.
 */
#define pr_fmt(fmt) "device: " fmt

#include <exo/bug.h>
#include <exo/device.h>
#include <exo/dma-debug.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kobject.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/sched.h>
#include <exo/shell.h>
#include <exo/string.h>
#include <exo/sysfs.h>
#include <exo/wait.h>

#include "base.h"

static DEFINE_MUTEX(dm_mutex);
LIST_HEAD(bus_list);
LIST_HEAD(busless_devices);
static LIST_HEAD(deferred_list);
static LIST_HEAD(attach_pending);		/* drivers registered inside a probe */
static unsigned int nr_attach_pending;
/* Woken when a pending attach walk ends (drv->attaching goes false). */
static DECLARE_WAIT_QUEUE_HEAD(attach_done_wq);
static bool deferred_pending;
static unsigned long deferred_trigger_count;	/* successful binds */
static unsigned long dm_seq;			/* last dev->seq / drv->seq given */

/* A thread inside a probe() (on probing, under dm_mutex). */
struct probe_frame {
	struct task_struct *task;
	struct list_head node;
};
static LIST_HEAD(probing);

static bool current_in_probe(void)
{
	struct probe_frame *f;

	list_for_each_entry(f, &probing, node)
		if (f->task == current)
			return true;
	return false;
}

/* The first driver current registered inside a probe and has not attached. */
static struct device_driver *current_attach_pending(void)
{
	struct device_driver *drv;

	list_for_each_entry(drv, &attach_pending, attach_node)
		if (drv->attach_task == current)
			return drv;
	return NULL;
}

static void run_deferred(void);

void dm_lock(void)
{
	mutex_lock(&dm_mutex);
}

void dm_unlock(void)
{
	mutex_unlock(&dm_mutex);
}

/*
 * Unless inside a probe: attach the drivers this thread registered from
 * probes, and retry the deferred devices if a bind happened.
 */
static void deferred_probe_flush(void)
{
	bool run;

	/*
	 * Unlocked peek: what this thread queued or bound is seen, and what
	 * another thread did is flushed by that thread's outermost call.
	 */
	if (!READ_ONCE(deferred_pending) && !READ_ONCE(nr_attach_pending))
		return;
	mutex_lock(&dm_mutex);
	run = (deferred_pending || current_attach_pending()) && !current_in_probe();
	mutex_unlock(&dm_mutex);
	if (run)
		run_deferred();
}

/* ---------------------------------------------------------------- buses */

static struct bus_type *__bus_find(const char *name)
{
	struct bus_type *bus, *found = NULL;

	list_for_each_entry(bus, &bus_list, node)
		if (!strcmp(bus->name, name)) {
			found = bus;
			break;
		}
	return found;
}

int bus_register(struct bus_type *bus)
{
	if (!bus->name || !bus->match) {
		pr_err("bus_register: bus %s has no name or match()\n",
		       bus->name ? bus->name : "(null)");
		return -EINVAL;
	}
	mutex_lock(&dm_mutex);
	if (bus->registered || __bus_find(bus->name)) {
		mutex_unlock(&dm_mutex);
		pr_err("bus_register: bus %s is already registered\n", bus->name);
		return -EEXIST;
	}
	INIT_LIST_HEAD(&bus->devices);
	INIT_LIST_HEAD(&bus->drivers);
	list_add_tail(&bus->node, &bus_list);
	bus->registered = true;
	mutex_unlock(&dm_mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(bus_register);

int bus_unregister(struct bus_type *bus)
{
	int ret = 0;

	mutex_lock(&dm_mutex);
	if (!bus->registered)
		ret = -ENOENT;
	else if (!list_empty(&bus->devices) || !list_empty(&bus->drivers))
		ret = -EBUSY;
	if (!ret) {
		list_del(&bus->node);
		bus->registered = false;
	}
	mutex_unlock(&dm_mutex);
	if (ret)
		pr_err("bus_unregister: bus %s: %s\n", bus->name,
		       ret == -EBUSY ? "devices or drivers still registered" : "not registered");
	return ret;
}
EXPORT_SYMBOL_GPL(bus_unregister);

struct bus_type *bus_find(const char *name)
{
	struct bus_type *found;

	mutex_lock(&dm_mutex);
	found = __bus_find(name);
	mutex_unlock(&dm_mutex);
	return found;
}
EXPORT_SYMBOL_GPL(bus_find);

/* -------------------------------------------------------------- binding */

static void deferred_add(struct device *dev)
{
	if (list_empty(&dev->deferred))
		list_add_tail(&dev->deferred, &deferred_list);
}

/*
 * Bind @dev to @drv: claim it, probe, and keep or undo the binding.  Called
 * with @dev locked, unbound and registered, @drv registered and matching,
 * and dm_mutex held, which it drops for the probe.
 * Return: 1 bound, else the probe's error.
 */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	struct probe_frame frame = { .task = current };
	unsigned long trigger = deferred_trigger_count;
	bool suppliers = device_links_suppliers_ready(dev);
	int ret = 0;

	dev->driver = drv;
	list_add_tail(&dev->driver_node, &drv->devices);
	list_add(&frame.node, &probing);
	mutex_unlock(&dm_mutex);

	/* A managed device link's supplier must be bound first. */
	if (!suppliers)
		ret = -EPROBE_DEFER;
	else if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);
	/* Leave the device as we found it, whatever probe did. */
	if (ret) {
		devres_release_driver(dev);
		device_unbind_checks(dev, dev->driver_data);
	}

	mutex_lock(&dm_mutex);
	list_del(&frame.node);
	dev->probe_err = ret;
	if (ret) {
		list_del_init(&dev->driver_node);
		dev->driver = NULL;
		dev->driver_data = NULL;
		if (ret == -EPROBE_DEFER) {
			deferred_add(dev);
			/* What it waited for may have bound while it probed. */
			if (deferred_trigger_count != trigger)
				deferred_pending = true;
		}
	} else {
		/* Open to dev_enter() from now until unbinding starts. */
		WRITE_ONCE(dev->live, true);
		if (!list_empty(&dev->deferred))
			list_del_init(&dev->deferred);
		deferred_trigger_count++;
		/* Something new is up: deferred devices may now find what they need. */
		if (!list_empty(&deferred_list))
			deferred_pending = true;
	}
	mutex_unlock(&dm_mutex);
	if (!ret)
		device_uevent(dev, KOBJ_BIND);
	/* As after remove(): the failed binding's auto-remove links go. */
	if (ret)
		device_links_driver_unbound(dev);

	if (ret == -EPROBE_DEFER)
		pr_info("%s: probe of %s deferred\n", drv->name, dev_name(dev));
	else if (ret && ret != -ENODEV && ret != -ENXIO)
		pr_warn("%s: probe of %s failed with error %d\n", drv->name, dev_name(dev), ret);
	return ret ? ret : 1;
}

/*
 * device_del() of @dev or an ancestor has started (dm_mutex held): what it
 * unbinds must stay unbound, or a child could bind again before its
 * parent's remove() and then outlive the parent's resources.
 */
static bool device_dying(const struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->dead)
			return true;
	return false;
}

/*
 * Try the bus's drivers on @dev in registration order; @dev locked.
 * Return: 1 bound (or already), 0 none took it, -EPROBE_DEFER, -ENODEV
 * not registered.
 */
static int __device_attach(struct device *dev)
{
	struct device_driver *drv;
	unsigned long after = 0;
	int ret;

	for (;;) {
		struct device_driver *next = NULL;

		mutex_lock(&dm_mutex);
		if (!dev->registered || dev->driver || !dev->bus || device_dying(dev)) {
			ret = !dev->registered || device_dying(dev) ? -ENODEV :
			      dev->driver ? 1 : 0;
			mutex_unlock(&dm_mutex);
			return ret;
		}
		list_for_each_entry(drv, &dev->bus->drivers, node)
			if (drv->seq > after && dev->bus->match(dev, drv)) {
				next = drv;
				break;
			}
		if (!next) {
			mutex_unlock(&dm_mutex);
			return 0;
		}
		after = next->seq;
		ret = really_probe(dev, next);
		if (ret == 1 || ret == -EPROBE_DEFER)
			return ret;
	}
}

/* Offer every unbound device of @drv's bus to @drv, in registration order. */
static void driver_attach(struct device_driver *drv)
{
	unsigned long after = 0;

	for (;;) {
		struct device *dev, *next = NULL;

		mutex_lock(&dm_mutex);
		if (drv->registered)
			list_for_each_entry(dev, &drv->bus->devices, bus_node)
				if (dev->seq > after && !dev->driver && drv->bus->match(dev, drv)) {
					next = get_device(dev);
					break;
				}
		mutex_unlock(&dm_mutex);
		if (!next)
			return;
		after = next->seq;
		device_lock(next);
		mutex_lock(&dm_mutex);
		if (next->registered && !next->driver && drv->registered && !device_dying(next))
			really_probe(next, drv);
		else
			mutex_unlock(&dm_mutex);
		device_unlock(next);
		put_device(next);
	}
}

/*
 * Unbind @dev, which is locked (and unlocked meanwhile if it has bound
 * consumers, as in Linux).  In order: no consumer probes (unbinding); the
 * consumers (device links) are unbound, the fence still open to their
 * remove(); no new dev_enter() succeeds and the operations in flight end;
 * remove(); the devres are released.
 */
void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;
	char drv_var[48];
	void *drvdata;

	if (!drv)
		return;
	snprintf(drv_var, sizeof(drv_var), "DRIVER=%s", drv->name);
	for (;;) {
		/*
		 * No consumer probes against us from now, but the fence stays
		 * open: the consumers' remove() still uses our operations.
		 */
		mutex_lock(&dm_mutex);
		dev->unbinding = true;
		mutex_unlock(&dm_mutex);
		if (!device_links_busy(dev))
			break;
		device_unlock(dev);
		device_links_unbind_consumers(dev);
		device_lock(dev);
		/* Another thread may have unbound it meanwhile (and cleared the flag). */
		if (dev->driver != drv)
			return;
	}
	WRITE_ONCE(dev->live, false);
	dev_drain(dev);
	drvdata = dev->driver_data;
	WRITE_ONCE(dev->remover, current);
	if (dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv->remove)
		drv->remove(dev);
	WRITE_ONCE(dev->remover, NULL);
	devres_release_driver(dev);
	device_unbind_checks(dev, drvdata);
	device_links_driver_unbound(dev);
	/* What the driver still has mapped now is a leak (CONFIG_DMA_API_DEBUG). */
	dma_debug_driver_unbound(dev);
	mutex_lock(&dm_mutex);
	list_del_init(&dev->driver_node);
	dev->driver = NULL;
	dev->driver_data = NULL;
	dev->unbinding = false;
	mutex_unlock(&dm_mutex);
	device_uevent_env(dev, KOBJ_UNBIND, (char *[]){ drv_var, NULL });
}

static void attach_pending_del(struct device_driver *drv)
{
	if (!list_empty(&drv->attach_node)) {
		list_del_init(&drv->attach_node);
		nr_attach_pending--;
	}
}

/* Attach the drivers current registered inside probes; dm_mutex held, dropped. */
static void run_attach_pending(void)
{
	struct device_driver *drv;

	while ((drv = current_attach_pending())) {
		attach_pending_del(drv);
		/*
		 * driver_register() returned long ago: its caller may unregister
		 * and free drv while the walk runs unlocked, so driver_unregister()
		 * waits for the walk to drop drv.
		 */
		drv->attaching = true;
		mutex_unlock(&dm_mutex);
		driver_attach(drv);
		mutex_lock(&dm_mutex);
		drv->attaching = false;
		wake_up_all(&attach_done_wq);
	}
}

/*
 * Attach the drivers this thread registered inside probes, then retry
 * deferred devices, until a pass binds nothing new and queues nothing.
 */
static void run_deferred(void)
{
	bool again;

	do {
		LIST_HEAD(todo);
		bool progress = false;

		mutex_lock(&dm_mutex);
		run_attach_pending();
		deferred_pending = false;
		while (!list_empty(&deferred_list))
			list_move_tail(deferred_list.next, &todo);
		while (!list_empty(&todo)) {
			/* device_del() takes a device off @todo too, under dm_mutex. */
			struct device *dev = get_device(list_first_entry(&todo, struct device,
									 deferred));

			list_del_init(&dev->deferred);
			mutex_unlock(&dm_mutex);
			device_lock(dev);
			if (__device_attach(dev) == 1)
				progress = true;
			device_unlock(dev);
			put_device(dev);
			mutex_lock(&dm_mutex);
		}
		again = progress || deferred_pending || current_attach_pending();
		mutex_unlock(&dm_mutex);
	} while (again);
}

int device_attach(struct device *dev)
{
	int ret;

	device_lock(dev);
	ret = __device_attach(dev);
	device_unlock(dev);
	deferred_probe_flush();
	return ret;
}
EXPORT_SYMBOL_GPL(device_attach);

int device_bind_driver(struct device *dev, struct device_driver *drv)
{
	int ret;

	device_lock(dev);
	mutex_lock(&dm_mutex);
	if (!dev->registered || !drv->registered || dev->bus != drv->bus ||
	    device_dying(dev))
		ret = -ENODEV;
	else if (dev->driver)
		ret = -EBUSY;
	else if (!dev->bus->match(dev, drv))
		ret = -ENODEV;
	else
		ret = 0;
	if (ret)
		mutex_unlock(&dm_mutex);
	else
		ret = really_probe(dev, drv);	/* drops dm_mutex */
	device_unlock(dev);
	deferred_probe_flush();
	return ret == 1 ? 0 : ret;
}
EXPORT_SYMBOL_GPL(device_bind_driver);

void device_release_driver(struct device *dev)
{
	device_lock(dev);
	__device_release_driver(dev);
	device_unlock(dev);
}
EXPORT_SYMBOL_GPL(device_release_driver);

void device_release_driver_internal(struct device *dev, struct device_driver *drv,
				    struct device *parent)
{
	if (parent)
		device_lock(parent);
	device_lock(dev);
	/* Checked under the lock: an unbind+rebind may have come between. */
	if (!drv || READ_ONCE(dev->driver) == drv)
		__device_release_driver(dev);
	device_unlock(dev);
	if (parent)
		device_unlock(parent);
}
EXPORT_SYMBOL_GPL(device_release_driver_internal);

void driver_deferred_probe_add(struct device *dev)
{
	mutex_lock(&dm_mutex);
	if (dev->registered && !dev->driver && dev->bus)
		deferred_add(dev);
	mutex_unlock(&dm_mutex);
}

void driver_deferred_probe_trigger(void)
{
	mutex_lock(&dm_mutex);
	deferred_pending = true;
	mutex_unlock(&dm_mutex);
	deferred_probe_flush();
}
EXPORT_SYMBOL_GPL(driver_deferred_probe_trigger);

unsigned int driver_deferred_count(void)
{
	struct device *dev;
	unsigned int n = 0;

	mutex_lock(&dm_mutex);
	list_for_each_entry(dev, &deferred_list, deferred)
		n++;
	mutex_unlock(&dm_mutex);
	return n;
}
EXPORT_SYMBOL_GPL(driver_deferred_count);

/* -------------------------------------------------------------- devices */

void device_initialize(struct device *dev)
{
	atomic_set(&dev->refcount, 1);
	mutex_init(&dev->mutex);
	INIT_LIST_HEAD(&dev->bus_node);
	INIT_LIST_HEAD(&dev->driver_node);
	INIT_LIST_HEAD(&dev->children);
	INIT_LIST_HEAD(&dev->sibling);
	INIT_LIST_HEAD(&dev->devres);
	INIT_LIST_HEAD(&dev->deferred);
	INIT_LIST_HEAD(&dev->links_suppliers);
	INIT_LIST_HEAD(&dev->links_consumers);
	atomic_set(&dev->active, 0);
	dev->live = false;
	dev->driver = NULL;
	dev->registered = false;
	dev->parent_ref = false;
	dev->mem_owner = NULL;
	dev->probe_err = 0;
	dev->seq = 0;
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

struct device *__find_by_name(struct list_head *head, const char *name)
{
	struct device *d;

	list_for_each_entry(d, head, bus_node)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

/* Why @dev cannot be added (dm_mutex held), or 0. */
static int device_add_check(struct device *dev, struct list_head *head)
{
	if (dev->bus && !dev->bus->registered) {
		pr_err("device_add: %s: bus %s is not registered\n", dev->name, dev->bus->name);
		return -EINVAL;
	}
	if (dev->parent && !dev->parent->registered) {
		pr_err("device_add: %s: parent %s is not registered\n", dev->name,
		       dev->parent->name);
		return -EINVAL;
	}
	if (dev->registered || __find_by_name(head, dev->name)) {
		pr_err("device_add: %s is already registered on bus %s\n", dev->name,
		       dev->bus ? dev->bus->name : "(none)");
		return -EEXIST;
	}
	return 0;
}

int device_add(struct device *dev)
{
	struct list_head *head;
	int ret;

	if (!dev->name[0] || !dev->release) {
		pr_err("device_add: device %s has no %s\n", dev->name[0] ? dev->name : "?",
		       dev->name[0] ? "release()" : "name");
		return -EINVAL;
	}
	/*
	 * A release() in a module (or a device in its data) keeps the
	 * module's memory until the last put_device(), which may come
	 * after the module's unload: never a call into freed code.
	 */
	if (!dev->mem_owner) {
		dev->mem_owner = module_memory_get((unsigned long)dev->release);
		if (!dev->mem_owner)
			dev->mem_owner = module_memory_get((unsigned long)dev);
	}
	mutex_lock(&dm_mutex);
	head = dev->bus ? &dev->bus->devices : &busless_devices;
	ret = device_add_check(dev, head);
	if (ret) {
		mutex_unlock(&dm_mutex);
		return ret;
	}
	dev->registered = true;
	dev->dead = false;
	dev->seq = ++dm_seq;
	if (dev->parent) {
		dev->parent_ref = true;
		get_device(dev->parent);
		list_add_tail(&dev->sibling, &dev->parent->children);
	}
	list_add_tail(&dev->bus_node, head);
	/*
	 * Sent before dm_mutex goes: a probe (driver_attach() from another
	 * CPU) and device_del() need it first, so listeners get "add" before
	 * any "bind" or "remove".  Listeners include the module autoloader
	 * (drivers/base/modalias.c), which defers its work to a workqueue.
	 */
	device_uevent(dev, KOBJ_ADD);
	mutex_unlock(&dm_mutex);
	if (dev->bus) {
		device_lock(dev);
		__device_attach(dev);
		device_unlock(dev);
		deferred_probe_flush();
	}
	return 0;
}
EXPORT_SYMBOL_GPL(device_add);

int device_uevent_add_deferred(struct device *dev)
{
	int ret = -ENODEV;

	/*
	 * Under dm_mutex, as device_add() sends its "add" (dm_mutex ->
	 * uevent_mutex): device_del() marks @dev dead under it, so either
	 * it has not started and will send "remove" after this "add", or
	 * it has and, the hold still set, sends nothing.
	 */
	mutex_lock(&dm_mutex);
	if (dev->registered && !dev->dead) {
		dev_set_uevent_suppress(dev, false);
		device_uevent(dev, KOBJ_ADD);
		ret = 0;
	}
	mutex_unlock(&dm_mutex);
	if (ret)
		pr_err("%s: deleted before its held \"add\"\n", dev_name(dev));
	return ret;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}
EXPORT_SYMBOL_GPL(device_register);

/* @dev's newest registered child older than @seq, referenced, or NULL. */
static struct device *child_before(struct device *dev, unsigned long seq)
{
	struct device *c, *child = NULL;

	mutex_lock(&dm_mutex);
	/* Children are in registration order: walk back from the newest. */
	for (c = list_last_entry(&dev->children, struct device, sibling);
	     &c->sibling != &dev->children; c = list_entry(c->sibling.prev, struct device, sibling))
		if (c->seq < seq) {
			child = get_device(c);
			break;
		}
	mutex_unlock(&dm_mutex);
	return child;
}

/*
 * Unbind the drivers of @dev's descendants, deepest and newest first (a
 * child's driver may use its parent's): the "stop" half of Linux's
 * pci_stop_and_remove_bus_device(), before anything is deleted.
 */
static void device_unbind_children(struct device *dev)
{
	unsigned long seq = ULONG_MAX;
	struct device *child;

	while ((child = child_before(dev, seq))) {
		seq = child->seq;
		device_unbind_children(child);
		device_release_driver(child);
		put_device(child);
	}
}

void device_del(struct device *dev)
{
	struct device *child;
	bool registered, removed = false;

	mutex_lock(&dm_mutex);
	registered = dev->registered;
	/* Nothing below @dev binds again, before or after our remove(). */
	if (registered)
		dev->dead = true;
	mutex_unlock(&dm_mutex);
	if (!registered) {
		pr_err("device_del: %s is not registered\n", dev->name);
		return;
	}
	device_unbind_children(dev);
	/*
	 * Then our own driver, whose remove() may unregister the children it
	 * made; then the children left, newest first.  The device stays
	 * locked from its last unbind to the end, so nothing binds it again;
	 * a child added meanwhile means one more round.
	 */
	for (;;) {
		device_lock(dev);
		/*
		 * __device_release_driver() returns early if another thread
		 * unbound while it waited for the consumers: loop until no
		 * driver is left (none binds anew, @dev is dead).
		 */
		while (READ_ONCE(dev->driver))
			__device_release_driver(dev);
		mutex_lock(&dm_mutex);
		if (list_empty(&dev->children))
			break;
		mutex_unlock(&dm_mutex);
		device_unlock(dev);
		while ((child = child_before(dev, ULONG_MAX))) {
			device_del(child);
			put_device(child);
		}
	}
	/* A concurrent device_del() of the same device may have finished first. */
	if (dev->registered) {
		if (!list_empty(&dev->deferred))
			list_del_init(&dev->deferred);
		list_del_init(&dev->bus_node);
		if (dev->parent)
			list_del_init(&dev->sibling);
		dev->registered = false;
		removed = true;
	}
	mutex_unlock(&dm_mutex);
	device_unlock(dev);
	device_links_purge(dev);
	if (removed)
		device_uevent(dev, KOBJ_REMOVE);
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
	struct module *mem_owner;
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
	mem_owner = dev->mem_owner;
	devres_release_all(dev);
	dev->release(dev);
	/* The child's reference on its parent was taken by device_add(). */
	if (parent)
		put_device(parent);
	/* release() has returned: its module's memory may go now. */
	module_memory_put(mem_owner);
}
EXPORT_SYMBOL_GPL(put_device);

/* -------------------------------------------------------------- drivers */

static struct device_driver *__bus_find_driver(struct bus_type *bus, const char *name)
{
	struct device_driver *drv;

	if (bus->registered)
		list_for_each_entry(drv, &bus->drivers, node)
			if (!strcmp(drv->name, name))
				return drv;
	return NULL;
}

struct device_driver *bus_find_driver(struct bus_type *bus, const char *name)
{
	struct device_driver *found;

	mutex_lock(&dm_mutex);
	found = __bus_find_driver(bus, name);
	mutex_unlock(&dm_mutex);
	return found;
}
EXPORT_SYMBOL_GPL(bus_find_driver);

struct device_driver *bus_find_driver_get(struct bus_type *bus, const char *name)
{
	struct device_driver *found;

	/*
	 * A driver is unregistered under dm_mutex before its module's memory
	 * goes, so while it is on the list its owner can still be got.
	 */
	mutex_lock(&dm_mutex);
	found = __bus_find_driver(bus, name);
	if (found && !try_module_get(found->owner))
		found = NULL;
	mutex_unlock(&dm_mutex);
	return found;
}
EXPORT_SYMBOL_GPL(bus_find_driver_get);

int driver_register(struct device_driver *drv)
{
	bool inside_probe;
	int ret = 0;

	if (!drv->name || !drv->bus) {
		pr_err("driver_register: driver %s has no %s\n", drv->name ? drv->name : "?",
		       drv->name ? "bus" : "name");
		return -EINVAL;
	}
	mutex_lock(&dm_mutex);
	if (!drv->bus->registered) {
		pr_err("driver_register: %s: bus %s is not registered\n", drv->name,
		       drv->bus->name);
		ret = -EINVAL;
	} else if (drv->registered || __bus_find_driver(drv->bus, drv->name)) {
		pr_err("driver_register: %s is already registered on bus %s\n", drv->name,
		       drv->bus->name);
		ret = -EEXIST;
	}
	if (ret) {
		mutex_unlock(&dm_mutex);
		return ret;
	}
	INIT_LIST_HEAD(&drv->devices);
	INIT_LIST_HEAD(&drv->attach_node);
	drv->attaching = false;
	list_add_tail(&drv->node, &drv->bus->drivers);
	drv->registered = true;
	drv->seq = ++dm_seq;
	inside_probe = current_in_probe();
	if (inside_probe) {
		/* Walked by this thread's outermost binding call (see the top). */
		drv->attach_task = current;
		list_add_tail(&drv->attach_node, &attach_pending);
		nr_attach_pending++;
	}
	mutex_unlock(&dm_mutex);
	if (inside_probe)
		return 0;
	/* Devices probe() adds to this bus meanwhile come later: seen too. */
	driver_attach(drv);
	deferred_probe_flush();
	return 0;
}
EXPORT_SYMBOL_GPL(driver_register);

void driver_unregister(struct device_driver *drv)
{
	mutex_lock(&dm_mutex);
	if (!drv->registered) {
		mutex_unlock(&dm_mutex);
		pr_err("driver_unregister: %s is not registered\n", drv->name ? drv->name : "?");
		return;
	}
	list_del(&drv->node);
	attach_pending_del(drv);
	drv->registered = false;
	/*
	 * Nothing binds to it any more; unbind what is bound, waiting on each
	 * device's lock for a probe in flight (it claimed the device first).
	 */
	while (!list_empty(&drv->devices)) {
		struct device *dev = get_device(list_first_entry(&drv->devices, struct device,
								 driver_node));

		mutex_unlock(&dm_mutex);
		device_lock(dev);
		if (dev->driver == drv)
			__device_release_driver(dev);
		device_unlock(dev);
		put_device(dev);
		mutex_lock(&dm_mutex);
	}
	/*
	 * Another thread's pending attach walk may still hold drv (it sees
	 * !registered and stops), and the caller frees drv once this returns.
	 * Unless the walk is this thread's own (a probe it runs unregisters).
	 */
	while (drv->attaching && drv->attach_task != current) {
		mutex_unlock(&dm_mutex);
		wait_event(attach_done_wq, !READ_ONCE(drv->attaching));
		mutex_lock(&dm_mutex);
	}
	mutex_unlock(&dm_mutex);
}
EXPORT_SYMBOL_GPL(driver_unregister);

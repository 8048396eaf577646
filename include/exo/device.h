/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device model: buses, devices and drivers, as in Linux.
 *
 * A bus (struct bus_type) has a list of devices and a list of drivers and
 * decides which driver fits which device (match).  Registering a device
 * probes the bus's drivers against it; registering a driver probes it
 * against every unbound device, so the order of the two never matters.  A
 * probe that returns -EPROBE_DEFER parks the device on the deferred list,
 * retried each time another device binds.  Whatever a probe acquired with
 * the devm_*() helpers is released automatically when the probe fails or
 * the driver unbinds, in reverse order.
 *
 * Devices are reference counted (get_device/put_device); the release()
 * callback frees a device when the last reference goes.  A child holds a
 * reference on its parent.  Each device has a mutex, device_lock(), held
 * across its probe and remove, so binding and unbinding of one device never
 * race while different devices probe in parallel; a global mutex protects
 * the lists and is never held across a driver's callback.  Probe and remove
 * run in thread context and may sleep, register children (locking the
 * child inside the parent) or drivers.  A driver fences the operations it
 * offers with dev_enter()/dev_exit(), so unbinding waits for them and
 * later calls fail with -ENODEV; device links order a consumer's binding
 * after its supplier's.  See Documentation/driver-model.rst.
 */
#ifndef _EXO_DEVICE_H
#define _EXO_DEVICE_H

#include <exo/atomic.h>
#include <exo/gfp.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/types.h>

struct class;
struct device;
struct device_driver;
struct dma_map_ops;
struct module;
struct task_struct;

#define DEVICE_NAME_LEN		32

struct kobj_uevent_env;
struct attribute_group;

struct bus_type {
	const char *name;
	/* Non-zero if @drv can drive @dev.  Required. */
	int (*match)(struct device *dev, struct device_driver *drv);
	/* Bus-level probe/remove wrapping the driver's (optional). */
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	/*
	 * Optional: add the device's "MODALIAS=..." (and any other key) with
	 * add_uevent_var(), as Linux's bus uevent(); it drives module
	 * autoload (drivers/base/modalias.c).  0 or a negative errno.
	 */
	int (*uevent)(const struct device *dev, struct kobj_uevent_env *env);
	/* Optional: attributes of each device's /sys directory (<exo/sysfs.h>). */
	const struct attribute_group **dev_groups;

	/* Private to drivers/base. */
	struct list_head devices;
	struct list_head drivers;
	struct list_head node;
	bool registered;
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	struct module *owner;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);

	/* Private to drivers/base. */
	struct list_head devices;		/* bound devices */
	struct list_head node;			/* on bus->drivers */
	struct list_head attach_node;		/* on the pending-attach list */
	struct task_struct *attach_task;	/* who attaches it, once out of probes */
	bool attaching;				/* attach_task walks it, unlocked */
	unsigned long seq;			/* registration order */
	bool registered;
};

struct device {
	char name[DEVICE_NAME_LEN];
	struct device *parent;
	struct bus_type *bus;
	/*
	 * A class device's class and number, as Linux's: device_create()
	 * (<exo/device/class.h>) and the block layer set them,
	 * cdev_device_add() the number.  A device with a bus or a class
	 * sends uevents (SUBSYSTEM is the bus's name, else the class's);
	 * one with a non-zero MAJOR(devt) adds its node's MAJOR, MINOR and
	 * DEVNAME to them.  Only device_create(), cdev_device_add() and the
	 * block layer make the node (device_add() does not), and only they
	 * and a bus-less cdev_device_add() send "add" after it exists.
	 */
	struct class *class;
	dev_t devt;
	struct device_driver *driver;		/* bound driver or NULL */
	void *driver_data;
	void *platform_data;
	/* Frees the structure once the last reference is gone.  Required. */
	void (*release)(struct device *dev);
	/*
	 * DMA (<exo/dma-mapping.h>): the streaming mask lives in the bus's
	 * device (NULL: no DMA); the ops default to the direct mapping.
	 */
	u64 *dma_mask;
	u64 coherent_dma_mask;
	const struct dma_map_ops *dma_ops;
	bool dma_force_bounce;			/* bounce every mapping (tests) */

	/* Private to drivers/base. */
	struct mutex mutex;			/* device_lock() */
	atomic_t refcount;
	struct list_head bus_node;
	struct list_head driver_node;
	struct list_head children;
	struct list_head sibling;
	struct list_head devres;
	struct list_head deferred;
	int probe_err;				/* last probe result */
	unsigned long seq;			/* registration order */
	bool registered;
	bool parent_ref;			/* device_add() took a ref on parent */
	bool uevent_suppress;			/* dev_set_uevent_suppress() */
	/*
	 * The module whose memory holds release() (or this struct), whose
	 * memory device_add() referenced so that the last put_device() can
	 * come after the module's unload (module_memory_get()); or NULL.
	 */
	struct module *mem_owner;
	/*
	 * The binding's operations fence (dev_enter()): @live is true from
	 * the end of a successful probe until the consumers are unbound and
	 * only the operations in flight remain; @active counts the callers
	 * inside dev_enter()/dev_exit().  @unbinding (dm_mutex) is set for
	 * the whole unbind: no consumer probes against a supplier going away,
	 * while the consumers' remove() still reaches the supplier's ops.
	 * @dead (dm_mutex) is set when device_del() starts: neither the
	 * device nor its descendants bind again.  @remover is the thread
	 * running the driver's remove(): the children that remove()
	 * unregisters still reach our operations from their own remove(),
	 * as in Linux, where a parent's resources last until its remove()
	 * returns.
	 */
	bool live;
	bool unbinding;
	bool dead;
	atomic_t active;
	struct task_struct *remover;
	struct list_head links_suppliers;	/* device links: we consume */
	struct list_head links_consumers;	/* device links: we supply */
};

/**
 * dev_enter() - start an operation on @dev's bound driver
 * @dev: the device (the caller holds a reference: get_device())
 *
 * A driver calls it at the top of every operation it offers outside its
 * probe and remove (ops tables, file operations) and fails the operation
 * with -ENODEV when it returns false; on true, the binding cannot end
 * (remove() waits) until the matching dev_exit().  It is the driver core's
 * equivalent of Linux's drm_dev_enter(): unbinding (the `unbind` command,
 * driver or module removal, device removal) first makes every new
 * dev_enter() fail, then waits for the callers inside to leave, and only
 * then runs remove() and releases the devres (unmapping BARs, freeing the
 * driver data).  Between the two, the caller must not take @dev's lock
 * or wait for the binding to end.
 * Context: any context, interrupts included; not from the driver's own
 * probe or remove.  The thread running the driver's remove() is let in,
 * in process context only (the children remove() unregisters may call
 * the parent's operations from their own remove()); an interrupt handler
 * on that thread's CPU is not.  That window ends when remove() returns,
 * before devres_release_driver(): children unregistered from a devm
 * action get false (their operations -ENODEV).
 * Return: true if the binding the caller looked up is still live (some
 * driver is bound: a caller that cached its driver data checks that it is
 * still its own, see Documentation/driver-model.rst), and it stays bound
 * until dev_exit().
 */
bool dev_enter(struct device *dev);

/**
 * dev_exit() - end an operation that dev_enter() admitted
 * @dev: the device
 */
void dev_exit(struct device *dev);

/**
 * device_lock_subclass() - @dev's nesting level for the lock validator
 * @dev: the device
 *
 * Every device's lock is in one lock class; its subclass is the device's
 * depth in the device tree (0 for a device without parent), so that
 * lockdep checks the rule "a parent's lock before its children's"
 * (shallower before deeper), capped at MAX_LOCKDEP_SUBCLASSES - 1: locks
 * deeper than that are one subclass, not ordered among themselves.
 * Return: the subclass.
 */
static inline unsigned int device_lock_subclass(const struct device *dev)
{
	unsigned int depth = 0;

	while ((dev = dev->parent) && depth < MAX_LOCKDEP_SUBCLASSES - 1)
		depth++;
	return depth;
}

/**
 * device_lock() - take @dev's mutex, which its probe and remove run under
 * @dev: the device
 *
 * The driver core takes it to bind and unbind @dev; drivers take it to
 * keep the binding stable.  A parent's lock comes before its children's,
 * and more generally a shallower device's before a deeper one's: the lock
 * is taken at subclass device_lock_subclass(), so lockdep reports a child
 * locked before its parent.  Two devices of one depth are not ordered.
 */
static inline void device_lock(struct device *dev)
{
	mutex_lock_nested(&dev->mutex, device_lock_subclass(dev));
}

/**
 * device_trylock() - device_lock() without sleeping
 * @dev: the device
 *
 * A trylock cannot deadlock; the validator records the lock at subclass 0.
 * Return: 1 if locked, 0 if another thread holds the lock.
 */
static inline int device_trylock(struct device *dev)
{
	return mutex_trylock(&dev->mutex);
}

/**
 * device_unlock() - release the lock device_lock() took
 * @dev: the device
 */
static inline void device_unlock(struct device *dev)
{
	mutex_unlock(&dev->mutex);
}

/**
 * device_lock_assert() - warn unless current holds @dev's lock
 * @dev: the device
 */
static inline void device_lock_assert(struct device *dev)
{
	lockdep_assert_held(&dev->mutex);
}

/* Device links (drivers/base/devlink.c), Linux's flag values. */
#define DL_FLAG_STATELESS		(1U << 0)	/* record only, not enforced */
#define DL_FLAG_AUTOREMOVE_CONSUMER	(1U << 1)	/* dropped when the consumer unbinds */
#define DL_FLAG_AUTOREMOVE_SUPPLIER	(1U << 4)	/* dropped when the supplier unbinds */

/**
 * struct device_link - "@consumer's driver uses @supplier's"
 * @supplier: the device depended on
 * @consumer: the device that depends on it
 * @flags: DL_FLAG_*
 *
 * The rest is private to drivers/base.
 */
struct device_link {
	struct device *supplier;
	struct device *consumer;
	u32 flags;
	unsigned int refcount;		/* device_link_add() calls for this pair */
	struct list_head s_node;	/* on supplier->links_consumers */
	struct list_head c_node;	/* on consumer->links_suppliers */
};

/**
 * device_link_add() - make @consumer depend on @supplier
 * @consumer: the dependent device
 * @supplier: the device it needs
 * @flags: DL_FLAG_STATELESS, or DL_FLAG_AUTOREMOVE_CONSUMER and/or
 *	DL_FLAG_AUTOREMOVE_SUPPLIER (0: a managed link that stays until
 *	device_link_del() or either device is deleted)
 *
 * A managed link (not DL_FLAG_STATELESS) is enforced: @consumer probes
 * only while @supplier is bound (its probe is deferred until then), and
 * unbinding @supplier unbinds @consumer first.  The link holds a
 * reference on both devices.  Adding a link that exists returns it with
 * one more reference (one device_link_del() each).
 * Context: thread, may sleep; not under either device's lock.
 * Return: the link, or NULL (logged): bad flags, a device not registered,
 * a cycle (@supplier is @consumer, one of its descendants or, through
 * links, one of its consumers), a bound consumer with an unbound supplier,
 * no memory.
 */
struct device_link *device_link_add(struct device *consumer, struct device *supplier, u32 flags);

/**
 * device_link_del() - drop one reference of a link device_link_add() gave
 * @link: the link (NULL: nothing)
 */
void device_link_del(struct device_link *link);

/**
 * device_link_remove() - device_link_del() of the link from @consumer to @supplier
 * @consumer: its consumer
 * @supplier: its supplier
 */
void device_link_remove(struct device *consumer, struct device *supplier);

/**
 * bus_register() - make a bus known (for lsdev and driver registration)
 * Return: 0, -EINVAL if it has no name or match, -EEXIST if registered.
 */
int bus_register(struct bus_type *bus);

/**
 * bus_unregister() - forget a bus with no devices or drivers left
 * Return: 0, -EBUSY if devices or drivers are still registered, -ENOENT.
 */
int bus_unregister(struct bus_type *bus);

/**
 * device_initialize() - prepare @dev (reference count 1); no bus yet
 */
void device_initialize(struct device *dev);

/**
 * device_add() - register an initialised device and probe drivers for it
 *
 * Return: 0 (even if no driver binds); -EINVAL no name, no release or an
 * unregistered bus; -EEXIST already registered, or a device of that name
 * is already on the bus.
 */
int device_add(struct device *dev);

/**
 * device_register() - device_initialize() + device_add()
 *
 * On error the caller still holds its reference: put_device() frees it.
 */
int device_register(struct device *dev);

/**
 * device_del() - unbind and unregister @dev and, first, all its children
 *
 * In Linux's order (a bus's "stop" then "remove"): the drivers of @dev's
 * descendants are unbound, deepest and newest first, together with the
 * consumers of each device (device links); then @dev's own driver, whose
 * remove() may unregister the children it created; then the remaining
 * children are deleted, newest first, and @dev last.  Its links go.  The
 * memory stays until the last put_device().
 */
void device_del(struct device *dev);

/**
 * device_unregister() - device_del() + put_device()
 */
void device_unregister(struct device *dev);

/**
 * get_device() - take a reference; returns @dev (NULL stays NULL)
 */
struct device *get_device(struct device *dev);

/**
 * put_device() - drop a reference; the last one calls dev->release()
 */
void put_device(struct device *dev);

/**
 * dev_set_name() - printf-style name, truncated to DEVICE_NAME_LEN - 1
 */
void dev_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);

static inline const char *dev_name(const struct device *dev)
{
	return dev->name;
}

/**
 * dev_set_uevent_suppress() - hold back @dev's uevents, or send them again
 * @dev: the device
 * @val: true: device_uevent() sends nothing for @dev (it returns 0)
 *
 * As Linux's: a subsystem sets it before device_add() and, once the
 * device is ready (its /dev node made), sends "add" with
 * device_uevent_add_deferred(), which clears it.  A device_del() while
 * it is set sends no "remove" either.
 */
static inline void dev_set_uevent_suppress(struct device *dev, bool val)
{
	WRITE_ONCE(dev->uevent_suppress, val);
}

/*
 * device_uevent_add_deferred() - send the "add" that the uevent hold kept
 * back, unless @dev is already gone
 * @dev: a device added (device_add()) under dev_set_uevent_suppress()
 *
 * For the core's class device paths (device_create(), cdev_device_add(),
 * bdev_add()).  Under the device core's mutex: if @dev is registered and
 * no device_del() of it has started, clears the hold and sends "add"; a
 * later device_del() then sends "remove".  Otherwise (an ancestor's
 * device_del() deleted it meanwhile, sending nothing) the hold stays, so
 * listeners see both events or neither.
 * Context: thread, may sleep; neither dm_mutex nor @dev's own device lock held
 * (an ancestor's may be, in a probe), as for device_add().
 * Return: 0; -ENODEV (logged) if @dev was deleted or is being deleted:
 * the caller removes what it made for @dev (its node) and fails, without
 * device_del(), which that deletion does or did.
 */
int device_uevent_add_deferred(struct device *dev);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

/**
 * driver_register() - register @drv on its bus and bind it to every
 * unbound device it matches
 *
 * Called from inside a probe, @drv is on the bus at once (devices added
 * from then on may bind to it) but its walk of the bus's devices waits
 * until the outermost binding call of this thread has finished its probe:
 * that walk locks other devices, which must not happen under the probing
 * device's lock.
 * Return: 0; -EINVAL no name or bus, bus not registered; -EEXIST already
 * registered or a driver of that name is on the bus.
 */
int driver_register(struct device_driver *drv);

/**
 * driver_unregister() - unbind @drv from all its devices and remove it
 */
void driver_unregister(struct device_driver *drv);

/**
 * driver_unregister_owner() - unregister every driver @owner left behind
 *
 * The module loader calls it after a module's exit (or failed init): a
 * driver whose code is about to be freed must not stay on a bus.  Each one
 * found is logged.  Return: how many there were.
 */
unsigned int driver_unregister_owner(struct module *owner);

/**
 * device_attach() - try to bind an unbound registered device
 * Return: 1 bound, 0 no driver matched or all declined, -EPROBE_DEFER
 * deferred, -ENODEV not registered.
 */
int device_attach(struct device *dev);

/**
 * device_release_driver() - unbind @dev from its driver (remove, then the
 * devres of the binding are released)
 */
void device_release_driver(struct device *dev);

/**
 * device_bind_driver() - bind @dev to exactly @drv (the `bind` command)
 * Return: 0; -EBUSY already bound; -ENODEV no match; or the probe's error.
 */
int device_bind_driver(struct device *dev, struct device_driver *drv);

/**
 * driver_deferred_probe_trigger() - retry every deferred device now
 */
void driver_deferred_probe_trigger(void);

/**
 * driver_deferred_count() - number of devices waiting on the deferred list
 */
unsigned int driver_deferred_count(void);

/**
 * bus_find_device_by_name() - registered device of @bus named @name, with
 * a reference the caller drops with put_device()
 */
/**
 * device_modalias() - @dev's modalias, from its bus's uevent()
 * @dev: the device
 * @buf: where to write it
 * @size: bytes at @buf
 * Return: 0; -ENOENT the bus gives none; -E2BIG too long; -ENOMEM.
 */
int device_modalias(struct device *dev, char *buf, size_t size);

/**
 * device_request_module() - load the module for @dev's modalias, later
 * @dev: a device with no driver
 *
 * Queues request_module(<its modalias>) on a workqueue (device_add() does
 * this for every device nothing binds), once autoload has started; safe
 * from a module's init.  The driver, when its module loads, binds @dev.
 */
void device_request_module(struct device *dev);

/*
 * For kernel/module.c: start autoload once the boot modules are in, and
 * request a module for every device nothing drives yet (coldplug).
 */
void autoload_start(void);
/* No autoload request is queued or running (tests). */
bool device_autoload_idle(void);

/**
 * wait_for_device_probe() - wait until the modalias autoloads queued so far ran
 *
 * Context: thread, may sleep.  The boot calls it before the tests, the
 * benchmarks or the shell start, so that they meet every device driven
 * (Linux waits for its asynchronous probes the same way).  Gives up
 * after 30 s with a warning.
 */
void wait_for_device_probe(void);
/* For drivers/base/modalias.c: @fn on every device of every bus with a uevent(). */
int bus_for_each_uevent_bus(int (*fn)(struct device *dev, void *data), void *data);

struct device *bus_find_device_by_name(struct bus_type *bus, const char *name);

/**
 * bus_find_driver() - registered driver of @bus named @name (no reference:
 * drivers live as long as their code)
 */
struct device_driver *bus_find_driver(struct bus_type *bus, const char *name);

/**
 * bus_find_driver_get() - registered driver of @bus named @name, pinned
 * @bus: the bus
 * @name: the driver's name
 *
 * Looks the driver up and takes try_module_get() on its owner under
 * dm_mutex, so the driver (which lives in its module) stays valid until the
 * caller's module_put(drv->owner).
 *
 * Return: the driver, or NULL (none, or its module is being unloaded).
 */
/**
 * device_release_driver_internal() - unbind @dev, if @drv is its driver
 * @dev: the device
 * @drv: the driver expected bound (NULL: whichever is)
 * @parent: a device to lock first (as Linux, for parents that need it), or NULL
 *
 * For the /sys unbind file: the check and the unbind run under
 * device_lock(@dev) together, so a driver bound meanwhile is left alone.
 */
void device_release_driver_internal(struct device *dev, struct device_driver *drv,
				    struct device *parent);

struct device_driver *bus_find_driver_get(struct bus_type *bus, const char *name);

/**
 * bus_for_each_dev() - call @fn for each device of @bus until it returns
 * non-zero; returns that value.  @fn runs under the device model's global
 * mutex: it must not register, remove, bind or lock devices.
 */
int bus_for_each_dev(struct bus_type *bus, void *data,
		     int (*fn)(struct device *dev, void *data));

/**
 * bus_for_each() - call @fn for each registered bus until it returns
 * non-zero; returns that value.  Under the global mutex, as bus_for_each_dev().
 */
int bus_for_each(void *data, int (*fn)(struct bus_type *bus, void *data));

/**
 * bus_for_each_drv() - call @fn for each driver of @bus until it returns
 * non-zero; returns that value.  Under the global mutex.
 */
int bus_for_each_drv(struct bus_type *bus, void *data,
		     int (*fn)(struct device_driver *drv, void *data));

/**
 * device_for_each_child() - call @fn for each child of @parent (NULL: each
 * device without a parent) until it returns non-zero; returns that value.
 * Under the global mutex.
 */
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data));

/**
 * bus_find() - registered bus by name, or NULL
 */
struct bus_type *bus_find(const char *name);

/* Managed resources: released in reverse order when the binding ends. */

/**
 * devm_kzalloc() - zeroed memory owned by @dev's current binding
 * @dev: the device
 * @size: as for kzalloc()
 * @gfp: as for kzalloc() (GFP_KERNEL in probe)
 * Return: the memory (kzalloc()), or NULL.
 */
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);

/**
 * devm_kfree() - release a devm_kzalloc() block early
 * Return: 0, or -ENOENT if @p is not one of @dev's blocks.
 */
int devm_kfree(struct device *dev, void *p);

/**
 * devm_add_action() - call @action(@data) when the binding ends
 * Return: 0, -ENOMEM.
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data);

/**
 * devm_add_action_or_reset() - same, but runs @action at once on failure
 */
int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data);

/**
 * devm_release_action() - run the managed @action(@data) now and forget it
 * (the newest such entry); logs a line if @dev holds no such action
 */
void devm_release_action(struct device *dev, void (*action)(void *), void *data);

/**
 * devm_release_action_match() - run one managed action now and forget it
 * @dev: the device
 * @action: the action it was added with
 * @match: picks the resource: true for the @data it was added with
 * @match_data: passed to @match
 *
 * The newest matching action runs; for the *_free() of a managed
 * resource found by another key than its data (dmam_free_coherent()).
 * Return: 0, or -ENOENT if none matched (nothing runs).
 */
int devm_release_action_match(struct device *dev, void (*action)(void *),
			      bool (*match)(void *data, void *match_data), void *match_data);

/**
 * devres_count() - number of managed resources @dev holds (for tests)
 */
unsigned int devres_count(struct device *dev);

/**
 * devres_release_all() - release every managed resource of @dev now
 * (drivers/base calls it; drivers need not)
 */
void devres_release_all(struct device *dev);

#define dev_printk(level, dev, fmt, ...)				\
	printk(level "%s %s: " fmt,					\
	       (dev)->driver ? (dev)->driver->name : ((dev)->bus ? (dev)->bus->name : "device"), \
	       dev_name(dev), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)	dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)	dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)

#endif /* _EXO_DEVICE_H */

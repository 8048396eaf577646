/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device classes, as Linux's <linux/device/class.h>: a class ("mem",
 * "misc", "tty") groups devices by what they do rather than how they are
 * connected.  device_create() makes a class device with a dev_t, whose
 * /dev node appears at once; device_destroy() removes both.
 */
#ifndef _EXO_DEVICE_CLASS_H
#define _EXO_DEVICE_CLASS_H

#include <exo/fs.h>
#include <exo/list.h>
#include <exo/spinlock.h>

struct device;

/**
 * struct class - a class of devices
 * @name: its name (/sys/class/<name>)
 * @devnode: optional: the node's name and mode for @dev (NULL: its name,
 *	0600 or 0666 with *mode preset)
 *
 * The devices of a class have a lock class of their own for lockdep,
 * keyed by @lock_key (so a struct class must have static storage, as
 * lock class keys do): a class device is never probed, its lock is only
 * taken to delete it, and a subsystem that deletes it under its own
 * mutex (misc_mtx) while a bus device's probe takes that mutex (a driver
 * calling misc_register()) must not look like "device lock -> misc_mtx
 * -> device lock" to the validator.
 *
 * Lifetime: a class device points at its class (@devnode, @lock_key,
 * @lock_name) until its last put_device(), which may come after
 * device_destroy() and class_unregister() (a walker still holding it).
 * A struct class in a module's data therefore pins that module's memory
 * (module_memory_get()) from device_create() to that last put: it
 * outlives rmmod until then.  Lockdep keeps the lock class it registered
 * for @lock_key, and its pointer to @lock_name, after that memory goes:
 * there is no lockdep_free_key_range() as on Linux.  A report naming that
 * class would read freed memory, and a module later loaded at the same
 * address would inherit the class and its recorded dependencies.  Known
 * limitation; a class in a module is best avoided until lockdep can
 * forget a key range.
 */
struct class {
	const char *name;
	const char *(*devnode)(const struct device *dev, umode_t *mode);
	/* Private to fs/class.c. */
	struct list_head node;
	struct list_head devices;
	bool registered;
	struct lock_class_key lock_key;
	char lock_name[32];		/* "class <name>": lockdep's name for it */
};

/**
 * class_register() - make @cls known
 * Return: 0; -EINVAL no name; -EEXIST a class of that name exists.
 */
int class_register(struct class *cls);

/**
 * class_unregister() - forget @cls, which has no devices left (else logged)
 */
void class_unregister(struct class *cls);

/**
 * device_create() - create and register a class device with a /dev node
 * @cls: its class
 * @parent: its parent device, or NULL
 * @devt: its number (0: no node)
 * @drvdata: its driver data
 * @fmt: printf format of its name
 *
 * Sends "add" once the node exists (device_uevent_add_deferred()); a
 * failed call sends no uevent.
 * Return: the device, or ERR_PTR(): -EINVAL; -EEXIST a device or node of
 * that name; -ENOMEM; -ENODEV @parent was deleted meanwhile.
 */
struct device *device_create(struct class *cls, struct device *parent, dev_t devt,
			     void *drvdata, const char *fmt, ...) __printf(5, 6);

/**
 * device_destroy() - remove the device of @cls numbered @devt, and its node
 */
void device_destroy(struct class *cls, dev_t devt);

/**
 * device_devt() - @dev's number (dev->devt): a device_create() or
 * cdev_device_add() device's or a block device's dev_t, else 0
 */
dev_t device_devt(const struct device *dev);

/**
 * device_get_devnode() - the name of @dev's /dev node, and its mode
 * @dev: a device with a number (dev->devt)
 * @mode: set to the mode its class's devnode() chose, else 0 (then 0600)
 *
 * The class's devnode() name, else the device's name, as Linux's; the
 * string lives as long as the device or its class.  Core-internal (the
 * uevent code, fs/class.c, fs/char_dev.c): not exported to modules.
 * Return: the name relative to /dev.
 */
const char *device_get_devnode(const struct device *dev, umode_t *mode);

/**
 * class_for_each_device() - @fn on every device of @cls until non-zero
 * Return: that value, or 0.
 */
int class_for_each_device(struct class *cls, void *data,
			  int (*fn)(struct device *dev, void *data));

/**
 * class_find() - registered class by name, or NULL
 */
struct class *class_find(const char *name);

/**
 * devtmpfs_create_node() - /dev/@name for a device made elsewhere (the
 * block layer's, a cdev's), as Linux's devtmpfs
 * @name: the node's name
 * @mode: S_IFCHR or S_IFBLK and permission bits
 * @devt: its number
 * @priv: the inode's i_private
 *
 * Return: 0; -EINVAL bad name or type; -EEXIST; -ENOMEM; -ENODEV before
 * /dev exists.
 */
int devtmpfs_create_node(const char *name, umode_t mode, dev_t devt, void *priv);

/**
 * devtmpfs_delete_node() - remove /dev/@name if it is still the node of
 * @devt (open files keep working), as Linux's devtmpfs checks the inode
 * @name: the node's name
 * @mode: S_IFCHR or S_IFBLK (other bits ignored)
 * @devt: its number
 *
 * A missing node, or one of that name for another number or type (made
 * by someone else after this one's creation failed), is logged and left.
 */
void devtmpfs_delete_node(const char *name, umode_t mode, dev_t devt);

#endif /* _EXO_DEVICE_CLASS_H */

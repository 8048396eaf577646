/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Character devices, as in Linux's <linux/cdev.h> and the chrdev region
 * calls of <linux/fs.h>:
 *
 *	alloc_chrdev_region(&devt, 0, 1, "foo");	// or register_chrdev_region()
 *	cdev_init(&foo->cdev, &foo_fops);		// foo_fops.owner = THIS_MODULE
 *	foo->cdev.owner = THIS_MODULE;
 *	device_initialize(&foo->dev); ...dev_set_name(&foo->dev, "foo0");
 *	foo->dev.devt = devt;				// the cdev's number too
 *	cdev_device_add(&foo->cdev, &foo->dev);		// /dev/foo0 appears
 *	...
 *	cdev_device_del(&foo->cdev, &foo->dev);		// no new opens
 *	put_device(&foo->dev);				// freed after the last close
 *	unregister_chrdev_region(devt, 1);
 *
 * An open of a node finds the cdev of its dev_t and, under the lock of
 * the map, takes a reference on the cdev (and its ->owner), on fops->owner
 * and on the cdev's parent device; fops->open() then finds that same cdev
 * in inode->i_cdev.  The file drops them at close, the cdev first, the
 * modules last.  After cdev_del() no open finds the cdev; files already
 * open keep working on what they pinned: a cdev_alloc() cdev is freed at
 * its last reference, and a driver that embeds its cdev frees it from its
 * device's release(), not at unbind.  See Documentation/chardev.rst.
 */
#ifndef _EXO_CDEV_H
#define _EXO_CDEV_H

#include <exo/fs.h>
#include <exo/list.h>

struct device;
struct module;

/**
 * struct cdev - a range of char device numbers served by one fops
 * @owner: the module of @ops (set by the driver, usually THIS_MODULE)
 * @ops: the file operations (cdev_init())
 * @dev: the first dev_t (cdev_add(), cdev_device_add() from the device's
 *	devt, or set before cdev_device_add())
 * @count: how many consecutive minors
 * @parent: the device an open pins (cdev_set_parent(), cdev_device_add())
 */
struct cdev {
	struct module *owner;
	const struct file_operations *ops;
	dev_t dev;
	unsigned int count;
	struct device *parent;
	/* Private to fs/char_dev.c. */
	struct list_head list;		/* on the map, while added */
	struct list_head inodes;	/* whose i_cdev is this one */
	atomic_t refcnt;		/* the owner's (till cdev_del()) and files' */
	bool added;
	bool dead;			/* cdev_del() done */
	bool allocated;		/* cdev_alloc(): freed at the last reference */
};

/**
 * register_chrdev_region() - reserve the dev_t range [@from, @from + @count)
 * @from: the first number (its major fixed)
 * @count: how many
 * @name: the driver's name, for listings
 *
 * Return: 0; -EINVAL @count 0, a major out of range or a range crossing
 * majors' end; -EBUSY part of it is taken; -ENOMEM.
 */
int register_chrdev_region(dev_t from, unsigned int count, const char *name);

/**
 * alloc_chrdev_region() - reserve @count minors from @baseminor under a
 * free major (allocated from the top of the dynamic range down, as Linux)
 * @dev: set to the first dev_t
 * @baseminor: first minor
 * @count: how many
 * @name: the driver's name
 *
 * Return: 0; -EINVAL; -EBUSY no major is free; -ENOMEM.
 */
int alloc_chrdev_region(dev_t *dev, unsigned int baseminor, unsigned int count,
			const char *name);

/**
 * unregister_chrdev_region() - give back a range reserved above
 * @from: its first number
 * @count: its size
 *
 * A range that was not reserved is logged and ignored.
 */
void unregister_chrdev_region(dev_t from, unsigned int count);

/**
 * cdev_init() - prepare @cdev (zeroed) with @fops
 * @cdev: the cdev, not in use: never added, or deleted with no file left
 * @fops: its file operations
 *
 * A cdev still added, or deleted but still held by an open file, is left
 * as it is (a WARN and a log line): a driver rebinding while its node is
 * open uses a new cdev (cdev_alloc()) per binding.
 */
void cdev_init(struct cdev *cdev, const struct file_operations *fops);

/**
 * cdev_alloc() - a zeroed cdev, freed at its last reference: cdev_del()
 * drops the caller's, each file that opened it holds one until its close
 * Return: the cdev, or NULL.
 */
struct cdev *cdev_alloc(void);

/**
 * cdev_add() - make @p answer opens of [@dev, @dev + @count)
 * @p: the cdev
 * @dev: first number
 * @count: how many
 *
 * Return: 0; -EINVAL no ops or @count 0; -EBUSY @p is added already,
 * deleted (cdev_del(): a cdev is added once; cdev_init() again first) or a
 * number of the range has a cdev.
 */
int cdev_add(struct cdev *p, dev_t dev, unsigned int count);

/**
 * cdev_set_parent() - the device an open of @p pins with get_device()
 */
void cdev_set_parent(struct cdev *p, struct device *parent);

/**
 * cdev_del() - no open finds @p from now on; open files are unaffected
 * @p: the cdev; cdev_del() drops the reference cdev_init()/cdev_alloc()
 *	gave, so it must not be called twice: a cdev_alloc() cdev may be
 *	freed by the first call (a second is then a use-after-free; on an
 *	embedded cdev it is logged and ignored)
 *
 * A node whose cdev was deleted opens with -ENXIO as long as a file still
 * holds that cdev, even if its dev_t was added again meanwhile.
 */
void cdev_del(struct cdev *p);

/**
 * cdev_device_add() - device_add(@dev), cdev_add(@cdev, @dev->devt, 1)
 * and @dev's /dev node
 * @cdev: the cdev (its ->dev is set to @dev->devt; if that is 0, @cdev->dev
 *	must be set and becomes @dev->devt once cdev_add() took it)
 * @dev: initialised, named, with a release(); optionally a class, whose
 *	devnode() names the node (else the device's name, mode 0600)
 *
 * A bus-less device with a class sends its "add" uevent once the node
 * exists, and cdev_device_del() its "remove" once the node is gone, as
 * device_create() and device_destroy() do.  A device on a bus sends
 * "add" from device_add(), before its node exists.
 * Return: 0 or the error of device_add()/cdev_add() or of the node's
 * creation; -ENODEV if @dev's parent deleted it meanwhile.  Nothing is
 * left done and @dev->devt is as it was; a bus-less device sent no
 * uevent, a bus device its "add" and "remove".
 */
int cdev_device_add(struct cdev *cdev, struct device *dev);

/**
 * cdev_device_del() - undo cdev_device_add(): the node goes, no new open,
 * device_del(@dev) (its "remove" uevent); the caller still drops its
 * reference on @dev
 */
void cdev_device_del(struct cdev *cdev, struct device *dev);

/**
 * chrdev_show() - print the registered majors, as /proc/devices
 */
void chrdev_show(void);

/* The operations an open of any char node starts with (fs/char_dev.c). */
extern const struct file_operations def_chr_fops;

#endif /* _EXO_CDEV_H */

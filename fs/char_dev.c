// SPDX-License-Identifier: GPL-2.0
/*
 * Character device numbers and the map from a dev_t to its struct cdev,
 * as Linux's fs/char_dev.c.  Reserved ranges (register_chrdev_region(),
 * alloc_chrdev_region()) and added cdevs are two short lists, each under
 * its own mutex: lookups happen at open, not per read.
 *
 * chrdev_open() is the open of every char node: under cdev_lock it finds
 * the cdev, takes the references the file keeps (the cdev and its owner,
 * the fops' module, the cdev's parent device), so that cdev_del()
 * returning means no open can find the cdev any more, while files already
 * open keep what they pinned.  As in Linux, a node's inode caches the
 * cdev it reached (inode->i_cdev, on the cdev's list of inodes) until the
 * cdev's last reference goes (cdev_purge()) or the node is freed
 * (cd_forget()): so fops->open() always sees the cdev its open pinned,
 * never one that a rebind reusing the dev_t added meanwhile.
 */
#define pr_fmt(fmt) "chrdev: " fmt

#include <exo/bug.h>
#include <exo/cdev.h>
#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kobject.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include "internal.h"

/* Dynamic majors, as Linux: 254 down to 234, then 511 down to 384. */
#define CHRDEV_DYN_MAJOR_HI	254
#define CHRDEV_DYN_MAJOR_LO	234
#define CHRDEV_DYN_EXT_HI	511
#define CHRDEV_DYN_EXT_LO	384

struct char_device_struct {
	unsigned int major, baseminor, minorct;
	char name[32];
	struct list_head list;
};

static DEFINE_MUTEX(chrdevs_lock);
static LIST_HEAD(chrdevs);
static DEFINE_MUTEX(cdev_lock);
static LIST_HEAD(cdev_map);

static bool ranges_overlap(unsigned int a, unsigned int an, unsigned int b, unsigned int bn)
{
	return a < b + bn && b < a + an;
}

/* Is [@major:@minor, +@count) free?  chrdevs_lock held. */
static bool chrdev_range_free(unsigned int major, unsigned int minor, unsigned int count)
{
	struct char_device_struct *cd;

	list_for_each_entry(cd, &chrdevs, list)
		if (cd->major == major && ranges_overlap(cd->baseminor, cd->minorct, minor, count))
			return false;
	return true;
}

static bool chrdev_major_used(unsigned int major)
{
	struct char_device_struct *cd;

	list_for_each_entry(cd, &chrdevs, list)
		if (cd->major == major)
			return true;
	return false;
}

static int find_dynamic_major(void)
{
	for (int i = CHRDEV_DYN_MAJOR_HI; i >= CHRDEV_DYN_MAJOR_LO; i--)
		if (!chrdev_major_used(i))
			return i;
	for (int i = CHRDEV_DYN_EXT_HI; i >= CHRDEV_DYN_EXT_LO; i--)
		if (!chrdev_major_used(i))
			return i;
	return -EBUSY;
}

/* @major 0: pick a dynamic one.  Return: the major, or -errno. */
static int __register_chrdev_region(unsigned int major, unsigned int baseminor,
				    unsigned int count, const char *name)
{
	struct char_device_struct *cd;
	int ret;

	if (!count || !name || major >= CHRDEV_MAJOR_MAX || baseminor > MINORMASK ||
	    count > MINORMASK + 1 - baseminor) {
		pr_err("region %u:%u+%u (%s) is not a valid range\n", major, baseminor, count,
		       name ?: "(null)");
		return -EINVAL;
	}
	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	mutex_lock(&chrdevs_lock);
	if (!major) {
		ret = find_dynamic_major();
		if (ret < 0) {
			pr_err("%s: no free dynamic major\n", name);
			goto fail;
		}
		major = ret;
	} else if (!chrdev_range_free(major, baseminor, count)) {
		pr_err("%s: %u:%u+%u overlaps a registered region\n", name, major, baseminor,
		       count);
		ret = -EBUSY;
		goto fail;
	}
	cd->major = major;
	cd->baseminor = baseminor;
	cd->minorct = count;
	strlcpy(cd->name, name, sizeof(cd->name));
	list_add_tail(&cd->list, &chrdevs);
	mutex_unlock(&chrdevs_lock);
	return major;
fail:
	mutex_unlock(&chrdevs_lock);
	kfree(cd);
	return ret;
}

int register_chrdev_region(dev_t from, unsigned int count, const char *name)
{
	int ret;

	if (!MAJOR(from)) {
		pr_err("%s: register_chrdev_region needs a major (alloc_chrdev_region picks one)\n",
		       name ?: "(null)");
		return -EINVAL;
	}
	ret = __register_chrdev_region(MAJOR(from), MINOR(from), count, name);
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_GPL(register_chrdev_region);

int alloc_chrdev_region(dev_t *dev, unsigned int baseminor, unsigned int count, const char *name)
{
	int major = __register_chrdev_region(0, baseminor, count, name);

	if (major < 0)
		return major;
	*dev = MKDEV(major, baseminor);
	return 0;
}
EXPORT_SYMBOL_GPL(alloc_chrdev_region);

void unregister_chrdev_region(dev_t from, unsigned int count)
{
	struct char_device_struct *cd;

	mutex_lock(&chrdevs_lock);
	list_for_each_entry(cd, &chrdevs, list) {
		if (cd->major == MAJOR(from) && cd->baseminor == MINOR(from) &&
		    cd->minorct == count) {
			list_del(&cd->list);
			mutex_unlock(&chrdevs_lock);
			kfree(cd);
			return;
		}
	}
	mutex_unlock(&chrdevs_lock);
	pr_err("unregister %u:%u+%u: no such region\n", MAJOR(from), MINOR(from), count);
}
EXPORT_SYMBOL_GPL(unregister_chrdev_region);

void chrdev_show(void)
{
	struct char_device_struct *cd;

	mutex_lock(&chrdevs_lock);
	printk("Character devices:\n");
	list_for_each_entry(cd, &chrdevs, list)
		printk("%3u %s (minors %u-%u)\n", cd->major, cd->name, cd->baseminor,
		       cd->baseminor + cd->minorct - 1);
	mutex_unlock(&chrdevs_lock);
}
EXPORT_SYMBOL_GPL(chrdev_show);

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	/*
	 * Still in the map, or deleted but held by open files (or nodes):
	 * wiping it would free it under them.  Left as it is, cdev_add()
	 * refuses it.
	 */
	if (WARN_ON(cdev->added || (cdev->dead && atomic_read(&cdev->refcnt)) ||
		    (cdev->inodes.next && !list_empty(&cdev->inodes)))) {
		pr_err("cdev_init %u:%u: the cdev is in use\n", MAJOR(cdev->dev), MINOR(cdev->dev));
		return;
	}
	memset(cdev, 0, sizeof(*cdev));
	INIT_LIST_HEAD(&cdev->list);
	INIT_LIST_HEAD(&cdev->inodes);
	atomic_set(&cdev->refcnt, 1);
	cdev->ops = fops;
}
EXPORT_SYMBOL_GPL(cdev_init);

struct cdev *cdev_alloc(void)
{
	struct cdev *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p) {
		INIT_LIST_HEAD(&p->list);
		INIT_LIST_HEAD(&p->inodes);
		atomic_set(&p->refcnt, 1);
		p->allocated = true;
	}
	return p;
}
EXPORT_SYMBOL_GPL(cdev_alloc);

/* No inode refers to @p any more (its last reference is gone). */
static void cdev_purge(struct cdev *p)
{
	mutex_lock(&cdev_lock);
	while (!list_empty(&p->inodes)) {
		struct inode *inode = list_first_entry(&p->inodes, struct inode, i_devices);

		list_del_init(&inode->i_devices);
		WRITE_ONCE(inode->i_cdev, NULL);
	}
	mutex_unlock(&cdev_lock);
}

/* Linux's cdev kobject release: the inodes forget @p, then it may go. */
static void cdev_put_ref(struct cdev *p)
{
	if (!atomic_dec_and_test(&p->refcnt))
		return;
	cdev_purge(p);
	if (p->allocated)
		kfree(p);
}

/* Drop an open's reference: the cdev (maybe its last), then its owner. */
static void cdev_put(struct cdev *p)
{
	struct module *owner = p->owner;

	cdev_put_ref(p);
	module_put(owner);
}

void cd_forget(struct inode *inode)
{
	mutex_lock(&cdev_lock);
	if (inode->i_cdev) {
		list_del_init(&inode->i_devices);
		inode->i_cdev = NULL;
	}
	mutex_unlock(&cdev_lock);
}

void cdev_set_parent(struct cdev *p, struct device *parent)
{
	p->parent = parent;
}
EXPORT_SYMBOL_GPL(cdev_set_parent);

int cdev_add(struct cdev *p, dev_t dev, unsigned int count)
{
	struct cdev *q;

	if (!p->ops || !count || MINOR(dev) + (u64)count > MINORMASK + 1) {
		pr_err("cdev_add %u:%u+%u: no ops or a bad range\n", MAJOR(dev), MINOR(dev), count);
		return -EINVAL;
	}
	mutex_lock(&cdev_lock);
	/* A deleted cdev has given up its reference: it may be freed under the map. */
	if (p->added || p->dead) {
		mutex_unlock(&cdev_lock);
		pr_err("cdev_add %u:%u: this cdev is %s already\n", MAJOR(dev), MINOR(dev),
		       p->added ? "added" : "deleted");
		return -EBUSY;
	}
	list_for_each_entry(q, &cdev_map, list) {
		if (MAJOR(q->dev) == MAJOR(dev) &&
		    ranges_overlap(MINOR(q->dev), q->count, MINOR(dev), count)) {
			mutex_unlock(&cdev_lock);
			pr_err("cdev_add %u:%u+%u: numbers in use\n", MAJOR(dev), MINOR(dev), count);
			return -EBUSY;
		}
	}
	p->dev = dev;
	p->count = count;
	p->added = true;
	list_add_tail(&p->list, &cdev_map);
	mutex_unlock(&cdev_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(cdev_add);

void cdev_del(struct cdev *p)
{
	mutex_lock(&cdev_lock);
	if (p->dead) {
		mutex_unlock(&cdev_lock);
		pr_err("cdev_del %u:%u: deleted already\n", MAJOR(p->dev), MINOR(p->dev));
		return;
	}
	p->dead = true;
	if (p->added) {
		list_del_init(&p->list);
		p->added = false;
	}
	mutex_unlock(&cdev_lock);
	cdev_put_ref(p);
}
EXPORT_SYMBOL_GPL(cdev_del);

int cdev_device_add(struct cdev *cdev, struct device *dev)
{
	/*
	 * A bus-less device (a class device) announces "add" once its node
	 * exists, as device_create() does; a bus device's "add" stays in
	 * device_add(), before its probe.
	 */
	bool hold = !dev->bus && !READ_ONCE(dev->uevent_suppress);
	/* Linux's contract is dev->devt; cdev->dev alone still works. */
	dev_t old_devt = dev->devt, devt = old_devt ?: cdev->dev;
	const char *name;
	umode_t mode;
	int ret;

	cdev_set_parent(cdev, dev);
	/* cdev_add() sets cdev->dev; dev->devt once it took the number. */
	ret = cdev_add(cdev, devt, 1);
	if (ret)
		goto out;
	dev->devt = devt;
	if (hold)
		dev_set_uevent_suppress(dev, true);
	ret = device_add(dev);
	if (ret)
		goto del_cdev;
	name = device_get_devnode(dev, &mode);
	ret = devtmpfs_create_node(name, S_IFCHR | (mode ? mode & 07777 : 0600), cdev->dev, dev);
	if (ret)
		goto del_dev;
	if (hold) {
		ret = device_uevent_add_deferred(dev);
		/* Deleted by its parent's device_del(): no device_del() here. */
		if (ret) {
			devtmpfs_delete_node(name, S_IFCHR, cdev->dev);
			/* The hold stays: that device_del() sends nothing. */
			cdev_del(cdev);
			dev->devt = old_devt;
			return ret;
		}
	}
	return 0;
del_dev:
	device_del(dev);
del_cdev:
	cdev_del(cdev);
	/* As it was: a failed call leaves the caller's device unchanged. */
	dev->devt = old_devt;
out:
	if (hold)
		dev_set_uevent_suppress(dev, false);
	return ret;
}
EXPORT_SYMBOL_GPL(cdev_device_add);

void cdev_device_del(struct cdev *cdev, struct device *dev)
{
	umode_t mode;

	/* The node goes first; device_del() then sends "remove", as Linux's. */
	devtmpfs_delete_node(device_get_devnode(dev, &mode), S_IFCHR, cdev->dev);
	cdev_del(cdev);
	device_del(dev);
}
EXPORT_SYMBOL_GPL(cdev_device_del);

static struct cdev *cdev_lookup(dev_t dev)
{
	struct cdev *p;

	list_for_each_entry(p, &cdev_map, list)
		if (MAJOR(p->dev) == MAJOR(dev) && MINOR(dev) >= MINOR(p->dev) &&
		    MINOR(dev) - MINOR(p->dev) < p->count)
			return p;
	return NULL;
}

#ifdef CONFIG_KTEST
void (*chrdev_open_test_hook)(struct inode *inode, struct cdev *p);
#endif

/*
 * The cdev opens of @inode reach, with a reference for the file, as
 * Linux's chrdev_open() and cdev_get(); cdev_lock held.  Return: the cdev,
 * or ERR_PTR(-ENXIO) none, or a deleted one still cached (its dev_t may
 * have been added again: the inode must not hand that one to ->open()),
 * -ENODEV its owner is going.
 */
static struct cdev *cdev_get_locked(struct inode *inode)
{
	struct cdev *p = inode->i_cdev;

	if (!p) {
		p = cdev_lookup(inode->i_rdev);
		if (!p)
			return ERR_PTR(-ENXIO);
		WRITE_ONCE(inode->i_cdev, p);
		list_add(&inode->i_devices, &p->inodes);
	} else if (!p->added) {
		return ERR_PTR(-ENXIO);
	}
	/* Added: the owner's reference is still there to count on. */
	if (!try_module_get(p->owner))
		return ERR_PTR(-ENODEV);
	atomic_inc(&p->refcnt);
	return p;
}

int chrdev_open(struct inode *inode, struct file *filp)
{
	const struct file_operations *fops;
	struct device *dev = NULL;
	struct cdev *p;

	mutex_lock(&cdev_lock);
	p = cdev_get_locked(inode);
	if (IS_ERR(p)) {
		mutex_unlock(&cdev_lock);
		return PTR_ERR(p);
	}
	fops = p->ops;
	if (!try_module_get(fops->owner)) {
		mutex_unlock(&cdev_lock);
		cdev_put(p);
		return -ENODEV;
	}
	if (p->parent)
		dev = get_device(p->parent);
	mutex_unlock(&cdev_lock);
	filp->f_cdev = p;
	/* replace_fops(): the file now holds the driver's owner, not ours. */
	module_put(filp->f_owner);
	filp->f_owner = fops->owner;
	filp->f_op = fops;
	filp->f_dev = dev;
#ifdef CONFIG_KTEST
	/* A ktest deletes and re-adds its dev_t here, and opens again. */
	{
		void (*hook)(struct inode *, struct cdev *) = READ_ONCE(chrdev_open_test_hook);

		if (hook)
			hook(inode, p);
	}
#endif
	if (fops->open)
		return fops->open(inode, filp);
	return 0;
}

struct module *chrdev_file_put(struct file *filp)
{
	struct cdev *p = filp->f_cdev;
	struct module *owner;

	if (!p)
		return NULL;
	owner = p->owner;
	filp->f_cdev = NULL;
	cdev_put_ref(p);
	return owner;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
	.llseek = noop_llseek,
};

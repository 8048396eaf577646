// SPDX-License-Identifier: GPL-2.0
/*
 * Miscellaneous character devices, as Linux's drivers/char/misc.c: major
 * 10 is one cdev whose open finds the misc device of the minor and hands
 * the file over to its fops (and its module), pinning its class device.
 * misc_mtx covers the list and the minor bitmap; an open looks up and
 * pins under it, so misc_deregister() returning means no open can find
 * the device any more.
 */
#define pr_fmt(fmt) "misc: " fmt

#include <exo/bitmap.h>
#include <exo/cdev.h>
#include <exo/device.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/miscdevice.h>
#include <exo/module.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/string.h>

#define MISC_MINORS		256
/* Dynamic minors are given from here down, as Linux did. */
#define MISC_DYNAMIC_TOP	63

static DEFINE_MUTEX(misc_mtx);
static LIST_HEAD(misc_list);
static DECLARE_BITMAP(misc_minors, MISC_MINORS);
/* Minors misc_register() chose: misc_deregister() gives them back. */
static DECLARE_BITMAP(misc_dyn_minors, MISC_MINORS);

static const char *misc_devnode(const struct device *dev, umode_t *mode)
{
	const struct miscdevice *c = dev_get_drvdata(dev);

	if (c && c->mode)
		*mode = c->mode;
	return NULL;
}

static struct class misc_class = {
	.name = "misc",
	.devnode = misc_devnode,
};

static int misc_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = NULL;
	struct miscdevice *c, *found = NULL;
	struct device *dev;

	mutex_lock(&misc_mtx);
	list_for_each_entry(c, &misc_list, list) {
		if (c->minor == (int)iminor(inode)) {
			found = c;
			fops = c->fops;
			break;
		}
	}
	if (!found || !try_module_get(fops->owner)) {
		mutex_unlock(&misc_mtx);
		return -ENODEV;
	}
	dev = get_device(found->this_device);
	mutex_unlock(&misc_mtx);
	module_put(file->f_owner);
	file->f_owner = fops->owner;
	file->f_op = fops;
	if (file->f_dev)
		put_device(file->f_dev);
	file->f_dev = dev;
	/* As Linux: the driver finds its miscdevice here. */
	file->private_data = found;
	if (fops->open)
		return fops->open(inode, file);
	return 0;
}

static const struct file_operations misc_fops = {
	.open = misc_open,
	.llseek = noop_llseek,
};

static struct cdev misc_cdev;

/* misc_mtx held. */
static bool misc_taken(const struct miscdevice *misc)
{
	struct miscdevice *c;

	list_for_each_entry(c, &misc_list, list)
		if (c->minor == misc->minor || !strcmp(c->name, misc->name))
			return true;
	return false;
}

int misc_register(struct miscdevice *misc)
{
	bool dynamic = misc->minor == MISC_DYNAMIC_MINOR;
	struct device *dev;
	int ret = 0;

	if (!misc->name || !misc->fops || misc->minor < 0 || misc->minor > MISC_DYNAMIC_MINOR) {
		pr_err("misc_register %s: no name or fops, or minor %d out of range\n",
		       misc->name ?: "(null)", misc->minor);
		return -EINVAL;
	}
	mutex_lock(&misc_mtx);
	if (dynamic) {
		int i;

		for (i = MISC_DYNAMIC_TOP; i >= 0 && test_bit(i, misc_minors); i--)
			;
		if (i < 0) {
			ret = -EBUSY;
			goto out;
		}
		misc->minor = i;
	}
	if (test_bit(misc->minor, misc_minors) || misc_taken(misc)) {
		pr_err("misc_register %s: minor %d or the name is taken\n", misc->name,
		       misc->minor);
		ret = -EBUSY;
		goto out;
	}
	dev = device_create(&misc_class, misc->parent, MKDEV(MISC_MAJOR, misc->minor), misc,
			    "%s", misc->name);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out;
	}
	misc->this_device = dev;
	set_bit(misc->minor, misc_minors);
	if (dynamic)
		set_bit(misc->minor, misc_dyn_minors);
	list_add_tail(&misc->list, &misc_list);
out:
	if (ret && dynamic)
		misc->minor = MISC_DYNAMIC_MINOR;
	mutex_unlock(&misc_mtx);
	return ret;
}
EXPORT_SYMBOL_GPL(misc_register);

void misc_deregister(struct miscdevice *misc)
{
	mutex_lock(&misc_mtx);
	if (!misc->this_device) {
		mutex_unlock(&misc_mtx);
		pr_err("misc_deregister %s: not registered\n", misc->name ?: "(null)");
		return;
	}
	list_del(&misc->list);
	device_destroy(&misc_class, MKDEV(MISC_MAJOR, misc->minor));
	misc->this_device = NULL;
	clear_bit(misc->minor, misc_minors);
	/* As Linux: a dynamic minor is released, and registering again picks one. */
	if (test_and_clear_bit(misc->minor, misc_dyn_minors))
		misc->minor = MISC_DYNAMIC_MINOR;
	mutex_unlock(&misc_mtx);
}
EXPORT_SYMBOL_GPL(misc_deregister);

static int __init misc_init(void)
{
	int ret = class_register(&misc_class);

	if (ret)
		return ret;
	ret = register_chrdev_region(MKDEV(MISC_MAJOR, 0), MISC_MINORS, "misc");
	if (ret)
		return ret;
	cdev_init(&misc_cdev, &misc_fops);
	return cdev_add(&misc_cdev, MKDEV(MISC_MAJOR, 0), MISC_MINORS);
}
subsys_initcall(misc_init);

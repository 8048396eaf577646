// SPDX-License-Identifier: GPL-2.0
/*
 * /dev: the device nodes, as Linux's devtmpfs, in the namespace tree.  A
 * node appears when its device is created (device_create(),
 * cdev_device_add(), the block layer's bdev_add()) and goes with it.
 */
#define pr_fmt(fmt) "devtmpfs: " fmt

#include <exo/cdev.h>
#include <exo/device/class.h>
#include <exo/err.h>
#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/printk.h>
#include "internal.h"

struct dentry *dev_root;

int devtmpfs_create_node(const char *name, umode_t mode, dev_t devt, void *priv)
{
	const struct file_operations *fops = NULL;
	struct dentry *d;

	if (!dev_root)
		return -ENODEV;
	if (S_ISCHR(mode))
		fops = &def_chr_fops;
#ifdef CONFIG_BLOCK
	else if (S_ISBLK(mode))
		fops = &def_blk_fops;
#endif
	else
		return -EINVAL;
	d = ns_mknod(dev_root, name, mode, devt, fops, priv);
	if (IS_ERR(d)) {
		pr_err("/dev/%s: %d\n", name, (int)PTR_ERR(d));
		return PTR_ERR(d);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(devtmpfs_create_node);

/* Linux's dev_mynode(): is @d the node of @devt, of @mode's type? */
static bool dev_mynode(const struct dentry *d, umode_t mode, dev_t devt)
{
	const struct inode *inode = d->d_inode;

	return (inode->i_mode & S_IFMT) == (mode & S_IFMT) && inode->i_rdev == devt;
}

void devtmpfs_delete_node(const char *name, umode_t mode, dev_t devt)
{
	struct dentry *d;

	if (!dev_root)
		return;
	d = ns_child(dev_root, name);
	if (!d) {
		pr_err("/dev/%s: no such node to delete\n", name);
		return;
	}
	/* A node of the name made by someone else stays (dev_t and type differ). */
	if (dev_mynode(d, mode, devt))
		ns_remove(d);
	else
		pr_err("/dev/%s: not the node of %s %u:%u, left in place\n", name,
		       S_ISBLK(mode) ? "block" : "char", MAJOR(devt), MINOR(devt));
	dput(d);
}
EXPORT_SYMBOL_GPL(devtmpfs_delete_node);

/* Before any driver: devices of core and device initcalls get nodes. */
static int __init devtmpfs_init(void)
{
	struct dentry *d = ns_mkdir(ns_root, "dev");

	if (IS_ERR(d)) {
		pr_err("no /dev: %d\n", (int)PTR_ERR(d));
		return PTR_ERR(d);
	}
	dev_root = d;
	return 0;
}
core_initcall(devtmpfs_init);

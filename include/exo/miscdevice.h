/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Miscellaneous character devices (major 10), as Linux's <linux/miscdevice.h>:
 * a driver with one node fills a struct miscdevice and calls
 * misc_register(); /dev/<name> appears, and opens reach its fops (owner
 * pinned, the misc device pinned) until misc_deregister().
 *
 *	static struct miscdevice foo_misc = {
 *		.minor = MISC_DYNAMIC_MINOR, .name = "foo", .fops = &foo_fops,
 *	};
 *	misc_register(&foo_misc);
 */
#ifndef _EXO_MISCDEVICE_H
#define _EXO_MISCDEVICE_H

#include <exo/fs.h>
#include <exo/list.h>

#define MISC_MAJOR		10
#define HWRNG_MINOR		183
#define MISC_DYNAMIC_MINOR	255

struct device;

/**
 * struct miscdevice - one misc node
 * @minor: its minor, or MISC_DYNAMIC_MINOR (then set by misc_register())
 * @name: the node's name under /dev
 * @fops: its operations (owner: the module)
 * @parent: the device it belongs to, or NULL
 * @this_device: the class device misc_register() created
 * @mode: node permission bits (0: 0600)
 */
struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	struct device *parent;
	struct device *this_device;
	umode_t mode;
	/* Private to drivers/char/misc.c. */
	struct list_head list;
};

/**
 * misc_register() - add @misc and its /dev node
 * Return: 0; -EINVAL no name or fops, a minor out of range; -EBUSY the
 * minor or the name is taken; -ENOMEM.
 */
int misc_register(struct miscdevice *misc);

/**
 * misc_deregister() - remove @misc: its node goes, opens fail with
 * -ENODEV; files open keep their references until closed.  A minor that
 * misc_register() chose is released and @misc->minor is
 * MISC_DYNAMIC_MINOR again, so @misc can be registered anew.
 */
void misc_deregister(struct miscdevice *misc);

#endif /* _EXO_MISCDEVICE_H */

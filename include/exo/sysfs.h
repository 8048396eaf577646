/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attributes of /sys, as Linux's <linux/sysfs.h> and the device_attribute
 * of <linux/device.h>: a file under a device's directory whose read calls
 * show() and whose write calls store().
 *
 *	static ssize_t vendor_show(struct device *dev, struct device_attribute *attr,
 *				   char *buf)
 *	{
 *		return sysfs_emit(buf, "0x%04x\n", to_pci_dev(dev)->vendor);
 *	}
 *	static DEVICE_ATTR_RO(vendor);
 *	static struct attribute *pci_dev_attrs[] = { &dev_attr_vendor.attr, NULL };
 *	ATTRIBUTE_GROUPS(pci_dev);		// pci_dev_groups, for bus_type.dev_groups
 *
 * show() fills at most PAGE_SIZE bytes; store() gets the written bytes
 * NUL-terminated (a trailing newline included) and returns @count or a
 * negative errno: it validates its input and logs what it refused.
 * /sys itself is fs/sysfs.c: bus/<bus>/devices/<dev>/, bus/<bus>/drivers/
 * <drv>/{bind,unbind}, module/<mod>/{refcnt,parameters/}.
 */
#ifndef _EXO_SYSFS_H
#define _EXO_SYSFS_H

#include <exo/compiler.h>
#include <exo/fs.h>
#include <exo/types.h>

struct device;

#define SYSFS_BUF_SIZE	4096

struct attribute {
	const char *name;
	umode_t mode;
};

struct attribute_group {
	const char *name;		/* a subdirectory; NULL: the device's own */
	struct attribute **attrs;	/* NULL-terminated */
};

struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr, const char *buf,
			 size_t count);
};

#define __ATTR(_name, _mode, _show, _store) \
	{ .attr = { .name = #_name, .mode = (_mode) }, .show = (_show), .store = (_store) }
#define DEVICE_ATTR(_name, _mode, _show, _store) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, _mode, _show, _store)
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0444, _name##_show, NULL)
#define DEVICE_ATTR_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0644, _name##_show, _name##_store)
#define DEVICE_ATTR_WO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0200, NULL, _name##_store)

#define ATTRIBUTE_GROUPS(_name)						\
	static const struct attribute_group _name##_group = {		\
		.attrs = _name##_attrs,					\
	};								\
	static const struct attribute_group *_name##_groups[] = {	\
		&_name##_group, NULL,					\
	}

#define to_dev_attr(a)	container_of(a, struct device_attribute, attr)

/**
 * sysfs_emit() - format into a show() buffer (SYSFS_BUF_SIZE bytes)
 * Return: bytes written.
 */
int sysfs_emit(char *buf, const char *fmt, ...) __printf(2, 3);

/**
 * sysfs_emit_at() - the same at offset @at of the buffer
 * Return: bytes written.
 */
int sysfs_emit_at(char *buf, int at, const char *fmt, ...) __printf(3, 4);

/**
 * sysfs_streq() - @s equals @t, ignoring one trailing newline of either
 */
bool sysfs_streq(const char *s, const char *t);

/**
 * sysfs_show_tree() - draw the device tree (lsdev -t), each device with
 * its bus and driver
 */
void sysfs_show_tree(void);

#endif /* _EXO_SYSFS_H */

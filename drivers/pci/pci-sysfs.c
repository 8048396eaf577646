// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of a PCI device's /sys directory (/sys/bus/pci/devices/
 * <dev>/), as Linux's drivers/pci/pci-sysfs.c: vendor, device, class, irq,
 * resource and modalias read-only; enable read-write (1 enables the device
 * once more, 0 undoes one enable; anything else is -EINVAL, logged; as in
 * Linux, a device with a driver bound is the driver's: -EBUSY, logged).
 */
#define pr_fmt(fmt) "pci-sysfs: " fmt

#include <exo/device.h>
#include <exo/errno.h>
#include <exo/kernel.h>
#include <exo/pci.h>
#include <exo/string.h>
#include <exo/sysfs.h>
#include "pci.h"

/* A read-only attribute showing one field of struct pci_dev. */
#define pci_config_attr(field, format)					\
static ssize_t field##_show(struct device *dev, struct device_attribute *attr, \
			    char *buf)					\
{									\
	return sysfs_emit(buf, format, to_pci_dev(dev)->field);		\
}									\
static DEVICE_ATTR_RO(field)

pci_config_attr(vendor, "0x%04x\n");
pci_config_attr(device, "0x%04x\n");
pci_config_attr(class, "0x%06x\n");
pci_config_attr(irq, "%u\n");

/* One line per BAR: start, end, flags (zeroes for an unused BAR). */
static ssize_t resource_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	int n = 0;

	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		struct resource *r = &pdev->resource[i];
		bool used = r->flags != 0;

		n += sysfs_emit_at(buf, n, "0x%016llx 0x%016llx 0x%016llx\n",
				   used ? (u64)r->start : 0ULL, used ? (u64)r->end : 0ULL,
				   (u64)r->flags);
	}
	return n;
}
static DEVICE_ATTR_RO(resource);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	int ret = device_modalias(dev, buf, SYSFS_BUF_SIZE - 1);
	size_t len;

	if (ret)
		return ret;
	len = strlen(buf);
	buf[len++] = '\n';
	buf[len] = 0;
	return len;
}
static DEVICE_ATTR_RO(modalias);

static ssize_t enable_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&to_pci_dev(dev)->enable_cnt));
}

static ssize_t enable_store(struct device *dev, struct device_attribute *attr, const char *buf,
			    size_t count)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	int ret = 0;

	if (!sysfs_streq(buf, "0") && !sysfs_streq(buf, "1")) {
		size_t len = strnlen(buf, min_t(size_t, count, 32));

		if (len && buf[len - 1] == '\n')
			len--;
		pr_err("%s: enable: '%.*s' is not 0 or 1\n", dev_name(dev), (int)len, buf);
		return -EINVAL;
	}
	device_lock(dev);
	if (dev->driver) {
		pr_err("%s: enable: %s is bound to %s; unbind it first\n", dev_name(dev),
		       dev_name(dev), dev->driver->name);
		ret = -EBUSY;
	} else if (buf[0] == '1') {
		ret = pci_enable_device(pdev);
	} else if (pci_is_enabled(pdev)) {
		pci_disable_device(pdev);
	} else {
		pr_err("%s: enable: 0 on a device that is not enabled\n", dev_name(dev));
		ret = -EIO;
	}
	device_unlock(dev);
	return ret ? ret : (ssize_t)count;
}
static DEVICE_ATTR_RW(enable);

static struct attribute *pci_dev_attrs[] = {
	&dev_attr_vendor.attr, &dev_attr_device.attr, &dev_attr_class.attr, &dev_attr_irq.attr,
	&dev_attr_resource.attr, &dev_attr_modalias.attr, &dev_attr_enable.attr, NULL,
};

static const struct attribute_group pci_dev_group = {
	.attrs = pci_dev_attrs,
};

const struct attribute_group *pci_dev_groups[] = {
	&pci_dev_group, NULL,
};

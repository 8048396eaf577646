// SPDX-License-Identifier: GPL-2.0
/*
 * The "pci" bus of the device model: ID-table matching, probe/remove glue,
 * driver registration, lookups and config space accessors.
 * A driver's id_table is scanned in order and the first matching entry is
 * handed to its probe, so specific IDs go before class wildcards.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/kobject.h>
#include <exo/pci.h>
#include <exo/string.h>
#include <asm/io.h>
#include <asm/page.h>
#include "pci.h"

static bool id_is_end(const struct pci_device_id *id)
{
	return !id->vendor && !id->subvendor && !id->class_mask && !id->device;
}

static bool id_field(u32 want, u32 have)
{
	return want == PCI_ANY_ID || want == have;
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *pdev)
{
	if (!ids)
		return NULL;
	for (; !id_is_end(ids); ids++)
		if (id_field(ids->vendor, pdev->vendor) && id_field(ids->device, pdev->device) &&
		    id_field(ids->subvendor, pdev->subsystem_vendor) &&
		    id_field(ids->subdevice, pdev->subsystem_device) &&
		    !((ids->class ^ pdev->class) & ids->class_mask))
			return ids;
	return NULL;
}
EXPORT_SYMBOL_GPL(pci_match_id);

static int pci_bus_match(struct device *dev, struct device_driver *drv)
{
	return pci_match_id(to_pci_driver(drv)->id_table, to_pci_dev(dev)) != NULL;
}

static int pci_device_probe(struct device *dev)
{
	struct pci_driver *drv = to_pci_driver(dev->driver);
	struct pci_dev *pdev = to_pci_dev(dev);
	const struct pci_device_id *id = pci_match_id(drv->id_table, pdev);

	if (!id)
		return -ENODEV;
	return drv->probe(pdev, id);
}

static void pci_device_remove(struct device *dev)
{
	struct pci_driver *drv = to_pci_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_pci_dev(dev));
}

/* Linux's PCI modalias, which depmod's "alias pci:..." patterns match. */
static int pci_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct pci_dev *pdev = to_pci_dev(dev);

	return add_uevent_var(env, "MODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
			      pdev->vendor, pdev->device, pdev->subsystem_vendor,
			      pdev->subsystem_device, (u8)(pdev->class >> 16),
			      (u8)(pdev->class >> 8), (u8)pdev->class);
}

struct bus_type pci_bus_type = {
	.name = "pci",
	.match = pci_bus_match,
	.probe = pci_device_probe,
	.remove = pci_device_remove,
	.uevent = pci_uevent,
	.dev_groups = pci_dev_groups,
};
EXPORT_SYMBOL_GPL(pci_bus_type);

int __pci_register_driver(struct pci_driver *drv, struct module *owner)
{
	if (!drv->name || !drv->id_table || !drv->probe) {
		pr_err("pci_register_driver: %s has no %s\n", drv->name ? drv->name : "driver",
		       !drv->name ? "name" : !drv->id_table ? "id_table" : "probe");
		return -EINVAL;
	}
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL(__pci_register_driver);

void pci_unregister_driver(struct pci_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL(pci_unregister_driver);

struct pci_find {
	u32 vendor, device;
	struct pci_dev *from, *found;
	bool past_from;
};

static int pci_find_fn(struct device *dev, void *data)
{
	struct pci_find *f = data;
	struct pci_dev *p = to_pci_dev(dev);

	if (f->from && !f->past_from) {
		f->past_from = p == f->from;
		return 0;
	}
	if (id_field(f->vendor, p->vendor) && id_field(f->device, p->device)) {
		f->found = to_pci_dev(get_device(dev));
		return 1;
	}
	return 0;
}

struct pci_dev *pci_get_device(u32 vendor, u32 device, struct pci_dev *from)
{
	struct pci_find f = { .vendor = vendor, .device = device, .from = from };

	bus_for_each_dev(&pci_bus_type, &f, pci_find_fn);
	if (from)
		put_device(&from->dev);
	return f.found;
}
EXPORT_SYMBOL(pci_get_device);

#define DEFINE_CFG_ACCESSORS(sfx, type, size)				\
int pci_read_config_##sfx(struct pci_dev *pdev, unsigned int where, type *val) \
{									\
	u32 v = ~0u;							\
	int ret = pdev->cfg_ops ? pdev->cfg_ops->read(pdev, where, size, &v) : \
		  pci_bus_read_config(pdev->segment, pdev->bus, pdev->devfn, \
				      where, size, &v);			\
	*val = v;							\
	return ret;							\
}									\
EXPORT_SYMBOL(pci_read_config_##sfx);					\
int pci_write_config_##sfx(struct pci_dev *pdev, unsigned int where, type val) \
{									\
	if (pdev->cfg_ops)						\
		return pdev->cfg_ops->write(pdev, where, size, val);	\
	return pci_bus_write_config(pdev->segment, pdev->bus, pdev->devfn, \
				    where, size, val);			\
}									\
EXPORT_SYMBOL(pci_write_config_##sfx)

DEFINE_CFG_ACCESSORS(byte, u8, 1);
DEFINE_CFG_ACCESSORS(word, u16, 2);
DEFINE_CFG_ACCESSORS(dword, u32, 4);

void __iomem *pci_iomap(struct pci_dev *pdev, unsigned int bar)
{
	const struct resource *r;

	if (bar >= PCI_NUM_BARS)
		return NULL;
	r = &pdev->resource[bar];
	if (!(r->flags & IORESOURCE_MEM) || !r->start) {
		dev_err(&pdev->dev, "BAR%u is not a memory BAR\n", bar);
		return NULL;
	}
	return ioremap(r->start, resource_size(r));
}
EXPORT_SYMBOL(pci_iomap);

void pci_iounmap(struct pci_dev *pdev, void __iomem *addr)
{
	iounmap(addr);
}
EXPORT_SYMBOL(pci_iounmap);

static const struct { u16 class; const char *name; } class_names[] = {
	{ 0x0100, "SCSI storage controller" }, { 0x0101, "IDE interface" },
	{ 0x0106, "SATA controller" }, { 0x0108, "Non-Volatile memory controller" },
	{ 0x0200, "Ethernet controller" }, { 0x0300, "VGA compatible controller" },
	{ 0x0380, "Display controller" }, { 0x0401, "Multimedia audio controller" },
	{ 0x0403, "Audio device" }, { 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" },
	{ 0x0604, "PCI bridge" }, { 0x0680, "Bridge" }, { 0x0700, "Serial controller" },
	{ 0x0c03, "USB controller" }, { 0x0c05, "SMBus" }, { 0, NULL },
};

const char *pci_class_name(u32 class)
{
	for (unsigned int i = 0; class_names[i].name; i++)
		if (class_names[i].class == class)
			return class_names[i].name;
	if ((class >> 8) == 0x00 || (class >> 8) == 0xff)
		return "Unclassified device";
	return NULL;
}
EXPORT_SYMBOL_GPL(pci_class_name);

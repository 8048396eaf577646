// SPDX-License-Identifier: GPL-2.0
/*
 * The platform bus: fixed devices matched to drivers by name.  Devices are
 * allocated here (one kzalloc() block holds the device and a copy of its
 * resources) and freed by their release() when the last reference goes.
 */
#define pr_fmt(fmt) "platform: " fmt

#include <exo/errno.h>
#include <exo/init.h>
#include <exo/platform.h>
#include <exo/slab.h>
#include <exo/string.h>

static int platform_match(struct device *dev, struct device_driver *drv)
{
	return !strcmp(to_platform_device(dev)->name, drv->name);
}

static int platform_probe(struct device *dev)
{
	struct platform_driver *pdrv = to_platform_driver(dev->driver);

	return pdrv->probe ? pdrv->probe(to_platform_device(dev)) : 0;
}

static void platform_remove(struct device *dev)
{
	struct platform_driver *pdrv = to_platform_driver(dev->driver);

	if (pdrv->remove)
		pdrv->remove(to_platform_device(dev));
}

struct bus_type platform_bus_type = {
	.name = "platform",
	.match = platform_match,
	.probe = platform_probe,
	.remove = platform_remove,
};
EXPORT_SYMBOL_GPL(platform_bus_type);

struct platform_object {
	struct platform_device pdev;
	char name[DEVICE_NAME_LEN];
	struct resource res[];
};

static void platform_device_release(struct device *dev)
{
	kfree(container_of(to_platform_device(dev), struct platform_object, pdev));
}

struct platform_device *platform_device_register_simple(const char *name, int id,
							const struct resource *res,
							unsigned int nres)
{
	struct platform_object *po;
	int ret;

	if (nres > 16) {
		pr_err("%s: %u resources is too many\n", name, nres);
		return NULL;
	}
	po = kzalloc(sizeof(*po) + nres * sizeof(*res), GFP_KERNEL);
	if (!po) {
		pr_err("%s: out of memory\n", name);
		return NULL;
	}
	strlcpy(po->name, name, sizeof(po->name));
	po->pdev.name = po->name;
	po->pdev.id = id;
	if (nres)
		memcpy(po->res, res, nres * sizeof(*res));
	po->pdev.resource = po->res;
	po->pdev.num_resources = nres;
	for (unsigned int i = 0; i < nres; i++)
		if (!po->res[i].name)
			po->res[i].name = po->name;
	device_initialize(&po->pdev.dev);
	po->pdev.dev.bus = &platform_bus_type;
	po->pdev.dev.release = platform_device_release;
	if (id == PLATFORM_DEVID_NONE)
		dev_set_name(&po->pdev.dev, "%s", name);
	else
		dev_set_name(&po->pdev.dev, "%s.%d", name, id);
	ret = device_add(&po->pdev.dev);
	if (ret) {
		put_device(&po->pdev.dev);
		return NULL;
	}
	return &po->pdev;
}
EXPORT_SYMBOL_GPL(platform_device_register_simple);

void platform_device_unregister(struct platform_device *pdev)
{
	if (pdev)
		device_unregister(&pdev->dev);
}
EXPORT_SYMBOL_GPL(platform_device_unregister);

struct resource *platform_get_resource(struct platform_device *pdev, unsigned long type,
				       unsigned int num)
{
	for (unsigned int i = 0; i < pdev->num_resources; i++)
		if (resource_type(&pdev->resource[i]) == type && num-- == 0)
			return &pdev->resource[i];
	return NULL;
}
EXPORT_SYMBOL_GPL(platform_get_resource);

int __platform_driver_register(struct platform_driver *drv, struct module *owner)
{
	drv->driver.bus = &platform_bus_type;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__platform_driver_register);

void platform_driver_unregister(struct platform_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(platform_driver_unregister);

static int __init platform_bus_init(void)
{
	return bus_register(&platform_bus_type);
}
postcore_initcall(platform_bus_init);

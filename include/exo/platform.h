/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform bus: devices that cannot be discovered (legacy PC devices at
 * fixed ports: 16550 UART, CMOS RTC, PIT, port 0xE9) registered by code
 * that knows they are there, matched to drivers by name.
 *
 *	static struct platform_driver foo_driver = {
 *		.driver = { .name = "foo" },
 *		.probe = foo_probe,
 *	};
 *	module_platform_driver(foo_driver);
 */
#ifndef _EXO_PLATFORM_H
#define _EXO_PLATFORM_H

#include <exo/device.h>
#include <exo/ioport.h>
#include <exo/module.h>

#define PLATFORM_DEVID_NONE	(-1)

struct platform_device {
	const char *name;		/* driver match key */
	int id;				/* instance, or PLATFORM_DEVID_NONE */
	struct device dev;
	struct resource *resource;
	unsigned int num_resources;
};

struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	void (*remove)(struct platform_device *pdev);
	struct device_driver driver;
};

#define to_platform_device(d)	container_of(d, struct platform_device, dev)
#define to_platform_driver(d)	container_of(d, struct platform_driver, driver)

extern struct bus_type platform_bus_type;

/**
 * platform_device_register_simple() - allocate, name and register a device
 * @name: match key and name prefix ("serial8250" -> "serial8250.0")
 * @id: instance number or PLATFORM_DEVID_NONE (name alone)
 * @res: resources to copy (may be NULL)
 * @nres: how many
 *
 * Return: the device, or NULL (-ENOMEM, duplicate; logged).
 */
struct platform_device *platform_device_register_simple(const char *name, int id,
							const struct resource *res,
							unsigned int nres);

/**
 * platform_device_unregister() - unbind, unregister and free a device from
 * platform_device_register_simple()
 */
void platform_device_unregister(struct platform_device *pdev);

/**
 * platform_get_resource() - the @num'th resource of @type (IORESOURCE_*)
 * Return: the resource, or NULL.
 */
struct resource *platform_get_resource(struct platform_device *pdev, unsigned long type,
				       unsigned int num);

/**
 * platform_driver_register() - register a platform driver (owner THIS_MODULE)
 * Return: as driver_register().
 */
#define platform_driver_register(drv)	__platform_driver_register(drv, THIS_MODULE)
int __platform_driver_register(struct platform_driver *drv, struct module *owner);
void platform_driver_unregister(struct platform_driver *drv);

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/* One-line module_init/module_exit for a driver that only registers itself. */
#define module_platform_driver(__drv)					\
	static int __init __drv##_init(void)				\
	{								\
		return platform_driver_register(&(__drv));		\
	}								\
	module_init(__drv##_init);					\
	static void __drv##_exit(void)					\
	{								\
		platform_driver_unregister(&(__drv));			\
	}								\
	module_exit(__drv##_exit)

#endif /* _EXO_PLATFORM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Loader test module (kernel/module_lifetime_test.c): its init registers a
 * device whose release() is this module's code, lets the test take
 * references (on the device and on the module, as an open file would),
 * deletes the device and fails.  The loader must keep the module's memory
 * until the last of those references goes, then free it.
 */
#include <exo/device.h>
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/slab.h>

#include "modtest.h"

static void initref_release(struct device *dev)
{
	modtest_initref_released(dev);
	kfree(dev);
}

static int __init initref_init(void)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	int ret;

	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev_set_name(dev, "modtest_initref");
	dev->release = initref_release;
	ret = device_add(dev);
	if (!ret) {
		modtest_initref_hold(dev, THIS_MODULE);
		device_del(dev);
	}
	put_device(dev);
	return -EIO;
}
module_init(initref_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("loader test: init fails while others hold references");

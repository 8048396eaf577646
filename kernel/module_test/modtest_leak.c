// SPDX-License-Identifier: GPL-2.0
/*
 * Loader test module: registers a platform driver in init and "forgets" to
 * unregister it in exit.  The loader must unregister it before freeing the
 * module's code.
 */
#include <exo/errno.h>
#include <exo/module.h>
#include <exo/platform.h>

static int leak_probe(struct platform_device *pdev)
{
	return -ENODEV;
}

static struct platform_driver leak_driver = {
	.driver = { .name = "kt-leaked-driver" },
	.probe = leak_probe,
};

static int __init leak_init(void)
{
	return platform_driver_register(&leak_driver);
}

static void leak_exit(void)
{
}

module_init(leak_init);
module_exit(leak_exit);
MODULE_LICENSE("GPL");

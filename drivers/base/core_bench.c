// SPDX-License-Identifier: GPL-2.0
/*
 * Device-model benchmarks for `make bench`: one unbind + bind of a device
 * whose probe takes one devm_ resource (the cost of the core's bookkeeping,
 * including the kzalloc() of the devres node), and
 * one mechanism #1 configuration read (two port accesses).
 */
#include <exo/bench.h>
#include <exo/device.h>
#include <exo/pci.h>

static int bench_match(struct device *dev, struct device_driver *drv)
{
	return 1;
}

static struct bus_type bench_bus = { .name = "benchbus", .match = bench_match };

static void bench_action(void *data)
{
}

static int bench_probe(struct device *dev)
{
	return devm_add_action(dev, bench_action, NULL);
}

static struct device_driver bench_drv = { .name = "bench-drv", .bus = &bench_bus,
					  .probe = bench_probe };

static void bench_release(struct device *dev)
{
}

static struct device bench_dev = { .name = "bench0", .bus = &bench_bus,
				   .release = bench_release };

static int rebind_setup(struct bench *b)
{
	int ret = bus_register(&bench_bus);

	if (!ret)
		ret = driver_register(&bench_drv);
	if (!ret)
		ret = device_register(&bench_dev);
	return ret;
}

static void rebind_teardown(struct bench *b)
{
	device_unregister(&bench_dev);
	driver_unregister(&bench_drv);
	bus_unregister(&bench_bus);
}

static void rebind(struct bench *b, unsigned int ops)
{
	for (unsigned int i = 0; i < ops; i++) {
		device_release_driver(&bench_dev);
		if (device_attach(&bench_dev) != 1)
			return;
	}
}
DEFINE_BENCH_FULL(device_unbind_bind, .desc = "device_release_driver+device_attach (1 devres)",
		  .run = rebind, .setup = rebind_setup, .teardown = rebind_teardown, .ops = 16);

#ifdef CONFIG_PCI
static void conf1(struct bench *b, unsigned int ops)
{
	u32 v;

	for (unsigned int i = 0; i < ops; i++)
		pci_conf1_read(0, 0, PCI_VENDOR_ID, 4, &v);
}
DEFINE_BENCH(pci_conf1_read, "PCI config dword read, mechanism #1", conf1);
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed devices every PC (and QEMU, and Bochs) has at well-known
 * ports, described as platform devices so that drivers bind to them
 * through the device model.  Nothing is probed here: the drivers decide
 * whether the hardware answers.  (The HPET needs ACPI's HPET table and
 * joins when the ACPI code lands.)
 */
#define pr_fmt(fmt) "pc: " fmt

#include <exo/errno.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/platform.h>

struct legacy_dev {
	const char *name;
	int id;
	struct resource res[2];
	unsigned int nres;
};

static const struct legacy_dev legacy_devs[] __initconst = {
	{ "serial8250", 0, { DEFINE_RES_IO(0x3f8, 8), DEFINE_RES_IRQ(4) }, 2 },
	{ "rtc_cmos", PLATFORM_DEVID_NONE, { DEFINE_RES_IO(0x70, 2), DEFINE_RES_IRQ(8) }, 2 },
	{ "pit", PLATFORM_DEVID_NONE, { DEFINE_RES_IO(0x40, 4), DEFINE_RES_IRQ(0) }, 2 },
	{ "e9-console", PLATFORM_DEVID_NONE, { DEFINE_RES_IO(0xe9, 1) }, 1 },
};

static int __init pc_legacy_init(void)
{
	int failed = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(legacy_devs); i++) {
		const struct legacy_dev *d = &legacy_devs[i];

		if (!platform_device_register_simple(d->name, d->id, d->res, d->nres))
			failed++;
	}
	return failed ? -ENOMEM : 0;
}
arch_initcall(pc_legacy_init);

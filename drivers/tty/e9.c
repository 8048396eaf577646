// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0xE9 debug console: Bochs (port_e9_hack) and QEMU (-debugcon) print
 * every byte written to it.  Reading the port returns 0xE9 when the hack is
 * present, which is how we avoid writing into the void on real hardware.
 *
 * Like the UART: e9_early_init() registers the console before the first
 * printk; the "e9-console" platform driver binds later to the platform
 * device for port 0xE9 and reports whether the hack is there.
 */
#include <exo/console.h>
#include <exo/errno.h>
#include <exo/init.h>
#include <exo/platform.h>
#include <asm/io.h>

static void e9_write(struct console *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb(0xe9, s[i]);
}

static struct console e9_console = {
	.name = "e9",
	.write = e9_write,
};

void e9_early_init(void);

void e9_early_init(void)
{
	if (inb(0xe9) == 0xe9)
		register_console(&e9_console);
}

static int e9_probe(struct platform_device *pdev)
{
	struct resource *io = platform_get_resource(pdev, IORESOURCE_IO, 0);

	if (!io || inb(io->start) != 0xe9)
		return -ENODEV;	/* no emulator debug port: stay unbound */
	platform_set_drvdata(pdev, &e9_console);
	dev_info(&pdev->dev, "debug console at port %#llx\n", io->start);
	return 0;
}

static struct platform_driver e9_driver = {
	.driver = { .name = "e9-console" },
	.probe = e9_probe,
};

static int __init e9_driver_init(void)
{
	return platform_driver_register(&e9_driver);
}
device_initcall(e9_driver_init);

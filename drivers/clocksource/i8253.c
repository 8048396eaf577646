// SPDX-License-Identifier: GPL-2.0
/*
 * i8253/8254 programmable interval timer, a platform driver bound to the
 * "pit" device at ports 0x40-0x43.  The TSC is calibrated against channel
 * 2 long before this binds (arch/x86/kernel/tsc.c, by ports, no driver
 * needed); the driver owns the ports afterwards and checks that channel 0,
 * which the firmware leaves running at 18.2 Hz, really counts.  Until the
 * interrupt routing code lands it exposes only a tick reader.  Built in or
 * as a module (i8253.ko).
 */
#define pr_fmt(fmt) "pit: " fmt

#include <exo/errno.h>
#include <exo/export.h>
#include <exo/init.h>
#include <exo/module.h>
#include <exo/platform.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <asm/io.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_LATCH_CH0	0x00

static DEFINE_SPINLOCK(pit_lock);
static u16 pit_base;		/* 0 while unbound */

static u16 __pit_read(u16 base)
{
	unsigned long flags;
	u8 lo, hi;

	spin_lock_irqsave(&pit_lock, flags);
	outb(base + 3, PIT_LATCH_CH0);
	lo = inb(base);
	hi = inb(base);
	spin_unlock_irqrestore(&pit_lock, flags);
	return lo | (hi << 8);
}

/**
 * pit_read_channel0() - latched count of channel 0
 * @count: set to the counter value
 * Return: 0, or -ENODEV when no PIT driver is bound.
 */
int pit_read_channel0(u16 *count);

int pit_read_channel0(u16 *count)
{
	u16 base = READ_ONCE(pit_base);

	if (!base)
		return -ENODEV;
	*count = __pit_read(base);
	return 0;
}
EXPORT_SYMBOL(pit_read_channel0);

static void pit_unpublish(void *data)
{
	WRITE_ONCE(pit_base, 0);
}

static int pit_probe(struct platform_device *pdev)
{
	struct resource *io = platform_get_resource(pdev, IORESOURCE_IO, 0);
	u16 a, b = 0;
	int ret;

	if (!io || resource_size(io) < 4 || io->start != PIT_CH0)
		return -EINVAL;
	a = __pit_read(io->start);
	/* At 1.193 MHz, 100 us is ~119 counts: an equal value means a dead timer. */
	for (int i = 0; i < 10 && (b = __pit_read(io->start)) == a; i++)
		udelay(100);
	if (a == b) {
		dev_warn(&pdev->dev, "channel 0 does not count (stuck at %u)\n", a);
		return -ENODEV;
	}
	ret = devm_add_action(&pdev->dev, pit_unpublish, NULL);
	if (ret)
		return ret;
	WRITE_ONCE(pit_base, io->start);
	dev_info(&pdev->dev, "8254 PIT at %#llx, channel 0 running\n", io->start);
	return 0;
}

static struct platform_driver pit_driver = {
	.driver = { .name = "pit" },
	.probe = pit_probe,
};

module_platform_driver(pit_driver);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("8254 PIT");

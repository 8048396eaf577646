// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration against PIT channel 2 (gate through port 0x61), and the
 * time helpers built on it.  Under QEMU -icount shift=0 the TSC counts guest
 * instructions and the "frequency" is 1 GHz of virtual time.
 */
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/time.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/setup.h>

#define PIT_HZ		1193182UL
#define CAL_MS		10

u64 tsc_khz;
static u64 tsc_base;

void __init tsc_calibrate(void)
{
	u32 count = PIT_HZ * CAL_MS / 1000;
	u64 t0, t1;
	u8 gate = inb(0x61);

	/* Channel 2, mode 0, one-shot countdown; gate on, speaker off. */
	outb(0x61, (gate & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	t1 = rdtsc();
	outb(0x61, gate);
	tsc_khz = (t1 - t0) / CAL_MS;
	if (!tsc_khz)
		tsc_khz = 1000000;
	tsc_base = t0;
}

u64 ktime_get_ns(void)
{
	u64 d;

	if (!tsc_khz)
		return 0;
	d = rdtsc() - tsc_base;
	/* d * 1e6 / khz without overflowing for ~5 hours at 10 GHz. */
	return (d / tsc_khz) * 1000000ULL + (d % tsc_khz) * 1000000ULL / tsc_khz;
}

void udelay(unsigned long us)
{
	u64 khz = tsc_khz ? tsc_khz : 3000000;
	u64 end = rdtsc() + us * khz / 1000;

	while ((s64)(rdtsc() - end) < 0)
		cpu_relax();
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}

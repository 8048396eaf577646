// SPDX-License-Identifier: GPL-2.0
/*
 * Leaving the machine: power off, reboot, halt, and the emulator exit paths
 * that the test harness reads (see Documentation/testing.rst).
 */
#include <exo/console.h>
#include <exo/printk.h>
#include <exo/reboot.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/irqflags.h>

#define QEMU_EXIT_PORT	0xf4
#define QEMU_EXIT_PASS	0x10	/* exit status (0x10 << 1) | 1 = 33 */
#define QEMU_EXIT_FAIL	0x11	/* 35 */

__noreturn void machine_halt(void)
{
	arch_local_irq_disable();
	for (;;)
		halt();
}

__noreturn void emulator_exit(bool pass)
{
	const char *s = "Shutdown";

	console_flush();
	outl(QEMU_EXIT_PORT, pass ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	if (pass) {
		/* Bochs magic breakpoint; the harness rc file then quits (exit 0). */
		__asm__ __volatile__("xchgw %%bx, %%bx" : : : "memory");
	} else {
		while (*s)
			outb(0x8900, *s++);
	}
	machine_halt();
}

__noreturn void machine_power_off(void)
{
	console_flush();
	/*
	 * Under QEMU with isa-debug-exit a clean power-off exits 33, which a
	 * harness can tell apart from a triple fault (exit 0).
	 */
	outl(QEMU_EXIT_PORT, QEMU_EXIT_PASS);
	/* Bochs: the magic breakpoint ends the run with status 0. */
	__asm__ __volatile__("xchgw %%bx, %%bx" : : : "memory");
	/* ACPI PM1a control, SLP_TYPa=5|SLP_EN: QEMU i440fx (0x604), Bochs (0xb004). */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	emulator_exit(true);
}

__noreturn void machine_restart(void)
{
	console_flush();
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	/* Keyboard controller reset as a fallback. */
	outb(0x64, 0xfe);
	machine_halt();
}

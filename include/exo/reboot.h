/* SPDX-License-Identifier: GPL-2.0 */
/* Power off, reboot, and leaving an emulator with a pass/fail status. */
#ifndef _EXO_REBOOT_H
#define _EXO_REBOOT_H

#include <exo/compiler.h>
#include <exo/types.h>

/**
 * emulator_exit() - end the run with a status an emulator harness can read
 * @pass: true for success
 *
 * QEMU (isa-debug-exit at 0xf4) exits 33 for pass, 35 for fail; Bochs exits
 * 0 through the magic breakpoint for pass and 1 through the shutdown port
 * for fail.  On real hardware it halts.  The UART is drained first.
 */
__noreturn void emulator_exit(bool pass);

/* ACPI power-off (QEMU and Bochs PM ports), then emulator_exit(true). */
__noreturn void machine_power_off(void);
__noreturn void machine_restart(void);
__noreturn void machine_halt(void);

#endif

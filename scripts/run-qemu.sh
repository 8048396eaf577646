#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-qemu.sh <vmlinux>: boot in QEMU with 4 CPUs and 512 MiB.
# Interactive (stdin is a terminal): the kernel shell on the serial console,
# Ctrl-A X quits.  Otherwise: boot, print the log and the stats, power off.
# The modules beside the kernel (modules.cpio) are loaded at boot; QEMU's
# edu device is there for the edu driver (QEMU_DEVICES= to change).
. "$(dirname "$0")/qemu-common.sh"
kernel=$1
smp=${SMP:-4}
mem=${MEM:-512M}
if [ -t 0 ]; then
	exec $QEMU $(qemu_accel) -kernel "$kernel" $(qemu_modules "$kernel") $QEMU_DEVICES \
		-append "${CMDLINE:-}" -smp "$smp" \
		-m "$mem" -nographic -no-reboot $QEMU_EXIT_DEV $QEMU_EXTRA
fi
timeout "${TIMEOUT:-60}" $QEMU $(qemu_accel) -kernel "$kernel" $(qemu_modules "$kernel") $QEMU_DEVICES \
	-append "shell=0 ${CMDLINE:-}" -smp "$smp" -m "$mem" -display none \
	-serial stdio -monitor none -no-reboot $QEMU_EXIT_DEV $QEMU_EXTRA </dev/null
rc=$?
# 0: ACPI power-off; 33: isa-debug-exit pass.  A panic exits 35.
case $rc in
0|33) exit 0 ;;
124) echo "run-qemu: timed out" >&2; exit 1 ;;
*) echo "run-qemu: QEMU exited $rc" >&2; exit 1 ;;
esac

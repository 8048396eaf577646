#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-qemu.sh <vmlinux>: boot in QEMU with 4 CPUs and 512 MiB (SMP=N, MEM=;
# SMP=1 runs as -smp 1,maxcpus=2 for the virtio devices, see qemu_smp).
# Interactive (stdin is a terminal): the kernel shell on the serial console,
# Ctrl-A X quits.  Otherwise: boot, print the log and the stats, power off.
# The modules beside the kernel (modules.cpio) are loaded at boot; QEMU's
# edu device is there for the edu driver, a 16 MiB virtio-blk scratch
# disk for lsblk, and two virtio-net NICs on an internal hub for `ip link`
# and `net send`/`net recv` (QEMU_DEVICES= to change).
# UEFI=1: boot the hybrid GRUB ISO with OVMF instead of -kernel (PVH);
# the OVMF variable store is copied beside the kernel once, and the
# screen (the framebuffer console) opens in a window when $DISPLAY is set.
# Interactive, a second UART (QEMU's pci-serial) is connected to the unix
# socket MODLOAD_SOCK (default: modload.sock beside the kernel; empty: no
# such port), where `make load` sends freshly built modules
# (drivers/tty/modload_serial.c, Documentation/modules.rst).
# Exit status 0 when the kernel powered off (poweroff, exit, or the end of
# a non-interactive run) or QEMU was quit; 1 after a panic or a time-out.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1
smp=${SMP:-4}
mem=${MEM:-512M}
# The make load port (interactive runs only).
modload=
if [ -t 0 ]; then
	sock=${MODLOAD_SOCK-$(dirname "$kernel")/modload.sock}
	if [ ${#sock} -gt 107 ]; then
		# sun_path holds 108 bytes: QEMU would refuse to start.
		echo "run-qemu: $sock: too long for a unix socket; no make load port" >&2
	elif [ -n "$sock" ]; then
		modload="-chardev socket,id=modload,path=$sock,server=on,wait=off
			-device pci-serial,chardev=modload"
	fi
fi
if [ "${UEFI:-0}" = 1 ]; then
	cmdline=${CMDLINE:-}
	[ -t 0 ] || cmdline="shell=0 $cmdline"
	boot=$(qemu_uefi "$kernel" "$cmdline" "$(dirname "$kernel")/uefi") || exit 1
	display="-display none"
	[ -n "${DISPLAY:-}" ] && display=
	if [ -t 0 ]; then
		$QEMU $(qemu_accel) $boot $QEMU_DEVICES -smp "$(qemu_smp "$smp")" -m "$mem" $display \
			$modload -serial mon:stdio -no-reboot $QEMU_EXIT_DEV $QEMU_EXTRA
	else
		timeout "${TIMEOUT:-300}" $QEMU $(qemu_accel) $boot $QEMU_DEVICES -smp "$(qemu_smp "$smp")" \
			-m "$mem" -display none -serial stdio -monitor none -no-reboot \
			$QEMU_EXIT_DEV $QEMU_EXTRA </dev/null
	fi
elif [ -t 0 ]; then
	$QEMU $(qemu_accel) -kernel "$kernel" $(qemu_modules "$kernel") $QEMU_DEVICES $modload \
		-append "${CMDLINE:-}" -smp "$(qemu_smp "$smp")" \
		-m "$mem" -nographic -no-reboot $QEMU_EXIT_DEV $QEMU_EXTRA
else
	timeout "${TIMEOUT:-60}" $QEMU $(qemu_accel) -kernel "$kernel" \
		$(qemu_modules "$kernel") $QEMU_DEVICES \
		-append "shell=0 ${CMDLINE:-}" -smp "$(qemu_smp "$smp")" -m "$mem" -display none \
		-serial stdio -monitor none -no-reboot $QEMU_EXIT_DEV $QEMU_EXTRA </dev/null
fi
rc=$?
# The kernel powers off through isa-debug-exit (33, the test harness's pass
# status, so that make check can tell it from a triple fault, which exits 0);
# Ctrl-A X, ACPI power-off and -no-reboot's reset exit 0.  A panic exits 35.
case $rc in
0|33) exit 0 ;;
35) echo "run-qemu: the kernel panicked (QEMU exited 35)" >&2; exit 1 ;;
124) echo "run-qemu: timed out" >&2; exit 1 ;;
*) echo "run-qemu: QEMU exited $rc" >&2; exit 1 ;;
esac

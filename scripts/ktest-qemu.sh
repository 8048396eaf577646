#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktest-qemu.sh <vmlinux> <smp> <log> [extra cmdline]: boot with ktest=all,
# the modules beside the kernel (modules.cpio) and the PCI test devices
# (QEMU_DEVICES, scripts/qemu-common.sh), which the pci test expects to
# find (pci_expect=: PCI_EXPECT, vvvv:dddd,...).
# Pass = QEMU exit status 33 (isa-debug-exit) AND a clean KTAP log; a triple
# fault exits 0 and a timeout 124, both failures.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1 smp=$2 log=$3
extra=${4:-}
timeout "${TIMEOUT:-300}" $QEMU $(qemu_accel) -kernel "$kernel" \
	$(qemu_modules "$kernel") $QEMU_DEVICES \
	-append "ktest=all loglevel=6 pci_expect=${PCI_EXPECT:-1234:11e8,1b36:0005} $extra" -smp "$smp" -m "${MEM:-512M}" \
	-display none -serial file:"$log" -monitor none -no-reboot $QEMU_EXIT_DEV \
	${QEMU_EXTRA:-} </dev/null >"$log.qemu" 2>&1
echo $?

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktest-qemu.sh <vmlinux> <smp> <log> [extra cmdline]: boot with ktest=all,
# the modules beside the kernel (modules.cpio) and the PCI test devices
# (QEMU_DEVICES, scripts/qemu-common.sh), which the pci test expects to
# find (pci_expect=: PCI_EXPECT, vvvv:dddd,...).
# One vCPU runs as -smp 1,maxcpus=2 (qemu_smp): with a single possible vCPU
# QEMU 7.2's TCG elides guest barriers and loses virtio completions
# (QEMU_DEVICES has virtio-rng, -blk and -net), and a second, absent CPU
# turns that off.
# Pass = QEMU exit status 33 (isa-debug-exit) AND a clean KTAP log; a triple
# fault exits 0 and a timeout 124, both failures.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1 smp=$2 log=$3
extra=${4:-}
timeout "${TIMEOUT:-300}" $QEMU $(qemu_accel) -kernel "$kernel" \
	$(qemu_modules "$kernel") $QEMU_DEVICES \
	-append "ktest=all loglevel=6 pci_expect=${PCI_EXPECT:-1234:11e8,1b36:0005,1af4:1005} $extra" -smp "$(qemu_smp "$smp")" -m "${MEM:-512M}" \
	-display none -serial file:"$log" -monitor none -no-reboot $QEMU_EXIT_DEV \
	${QEMU_EXTRA:-} </dev/null >"$log.qemu" 2>&1
echo $?

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktest-qemu.sh <vmlinux> <smp> <log> [extra cmdline]: boot with ktest=all.
# Pass = QEMU exit status 33 (isa-debug-exit) AND a clean KTAP log; a triple
# fault exits 0 and a timeout 124, both failures.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1 smp=$2 log=$3
extra=${4:-}
timeout "${TIMEOUT:-300}" $QEMU $(qemu_accel) -kernel "$kernel" \
	-append "ktest=all loglevel=6 $extra" -smp "$smp" -m "${MEM:-512M}" \
	-display none -serial file:"$log" -monitor none -no-reboot $QEMU_EXIT_DEV \
	${QEMU_EXTRA:-} </dev/null >"$log.qemu" 2>&1
echo $?

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-gdb.sh <vmlinux>: QEMU stopped at the first instruction with a gdb stub,
# and gdb attached with the kernel's symbols.  Use hbreak (hardware
# breakpoints) before the higher half is mapped.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1
port=${GDB_PORT:-1234}
$QEMU -accel tcg -cpu max -kernel "$kernel" -append "${CMDLINE:-}" -smp "${SMP:-4}" -m 512M \
	-display none -serial file:"${SERIAL_LOG:-serial-gdb.log}" -no-reboot $QEMU_EXIT_DEV \
	-S -gdb tcp:127.0.0.1:"$port" &
qpid=$!
gdb -q "$kernel" -ex "target remote 127.0.0.1:$port" -ex "hbreak start_kernel" \
	-x "$(dirname "$0")/gdbinit" "$@"
kill $qpid 2>/dev/null

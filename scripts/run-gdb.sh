#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-gdb.sh <vmlinux> [gdb arguments...]: QEMU stopped at the first
# instruction with a gdb stub on 127.0.0.1:$GDB_PORT (1234), and gdb attached
# with the kernel's symbols, the lx-* helpers (scripts/gdb/, see
# Documentation/debugging.rst) and a hardware breakpoint on start_kernel.  Use
# hbreak (hardware breakpoints) before the higher half is mapped.  The
# modules and devices are make run's (modules.cpio, $QEMU_DEVICES).  The
# serial log goes to $SERIAL_LOG (default: serial-gdb.log beside vmlinux),
# or with SERIAL_PORT=n to a TCP server on 127.0.0.1:n, for the shell from
# another terminal (nc 127.0.0.1 n).
# Extra arguments go to gdb after the setup, e.g. -batch -ex continue.
. "$(dirname "$0")/qemu-common.sh"
kernel=$1
shift
port=${GDB_PORT:-1234}
log=${SERIAL_LOG:-$(dirname "$kernel")/serial-gdb.log}
serial=file:$log
[ -n "${SERIAL_PORT:-}" ] && serial=tcp:127.0.0.1:$SERIAL_PORT,server=on,wait=off
$QEMU -accel tcg -cpu max -kernel "$kernel" $(qemu_modules "$kernel") $QEMU_DEVICES \
	-append "${CMDLINE:-}" -smp "${SMP:-4}" -m 512M \
	-display none -monitor none -serial "$serial" -no-reboot $QEMU_EXIT_DEV \
	-S -gdb tcp:127.0.0.1:"$port" </dev/null &
qpid=$!
# gdb must not connect before QEMU listens (or after it died: port in use).
i=0
until ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do
	if ! kill -0 $qpid 2>/dev/null || [ $i -ge 100 ]; then
		echo "run-gdb: QEMU is not listening on port $port (GDB_PORT=)" >&2
		kill $qpid 2>/dev/null
		exit 1
	fi
	i=$((i + 1))
	sleep 0.1
done
gdb -q "$kernel" -ex "target remote 127.0.0.1:$port" -ex "hbreak start_kernel" \
	-x "$(dirname "$0")/gdbinit" -x "$(dirname "$0")/gdb/exo-gdb.py" "$@"
rc=$?
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
exit $rc

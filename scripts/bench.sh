#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: in-kernel micro-benchmarks and hosted microbenchmarks.
#
# Guest figures come from QEMU TCG with -icount shift=0,sleep=off and -smp 1:
# the guest TSC then advances one tick per guest instruction, so the numbers
# are exact instructions per operation, repeatable to the instruction.  With
# real KVM (kvm_intel/kvm_amd loaded) they are TSC cycles instead.  Plain
# TCG timings would be emulation time and are never reported as cycles.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$src/build/bench}
mkdir -p "$out"
"$src/scripts/deps.sh" bench || exit 1
. "$src/scripts/qemu-common.sh"

make -C "$src" O="$out" defconfig >/dev/null && make -C "$src" O="$out" -j"$(nproc)" >/dev/null || exit 1
if [ "$(qemu_accel | cut -d' ' -f2)" = kvm ]; then
	accel="$(qemu_accel)"
	unit=cycles
else
	accel="-accel tcg -cpu max -icount shift=0,sleep=off"
	unit=instructions
fi
echo "== guest benchmarks ($unit per operation; QEMU $accel -smp 1)"
timeout 600 $QEMU $accel -kernel "$out/vmlinux" -append "bench=${BENCH:-all} bench_unit=$unit loglevel=6" \
	-smp 1 -m 512M -display none -serial file:"$out/guest.log" -monitor none -no-reboot \
	$QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
sed -n 's/^\[ *[0-9.]*\] //p' "$out/guest.log" | grep '^bench'

if [ -f "$src/tests/hosted/Makefile" ]; then
	echo "== hosted benchmarks (host TSC ticks per operation)"
	make -C "$src" -f tests/hosted/Makefile O="$out/hosted" bench 2>&1 | tail -n 30
fi

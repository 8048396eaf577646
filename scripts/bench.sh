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
# -device edu: the interrupt round trip through a device's MSI (irq_edu_*).
# The virtio-net pair (QEMU_NET_DEVICES) and the modules: frames sent and
# received through virtio_net.ko (vnet_*).
timeout 600 $QEMU $accel -kernel "$out/vmlinux" -append "bench=${BENCH:-all} bench_unit=$unit loglevel=6 ${BENCH_CMDLINE:-}" \
	-smp 1 -m 512M -display none -serial file:"$out/guest.log" -monitor none -no-reboot \
	-device edu $(qemu_modules "$out/vmlinux") $QEMU_NET_DEVICES $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
sed -n 's/^\[ *[0-9.]*\] //p' "$out/guest.log" | grep '^bench'

# Memory initialisation (memblock + direct map + buddy), in guest
# instructions (icount) and boot wall time under plain TCG, per RAM size.
echo "== memory initialisation (mm_core_init; QEMU -smp 1)"
printf '%-6s %16s %14s %14s\n' RAM "$unit" "boot (TCG ms)" "wall (s)"
for mem in ${BENCH_MEM:-512M 4G 16G}; do
	timeout 300 $QEMU $accel -kernel "$out/vmlinux" -append "bench=none loglevel=7" \
		-smp 1 -m "$mem" -display none -serial file:"$out/init-$mem.log" -monitor none \
		-no-reboot $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
	insns=$(sed -n 's/.*memory initialised in \([0-9]*\) TSC ticks.*/\1/p' "$out/init-$mem.log")
	t0=$(date +%s.%N)
	timeout 300 $QEMU -accel tcg -cpu max -kernel "$out/vmlinux" -append "bench=none loglevel=7" \
		-smp 1 -m "$mem" -display none -serial file:"$out/boot-$mem.log" -monitor none \
		-no-reboot $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
	t1=$(date +%s.%N)
	boot=$(sed -n 's/.*Boot done in \([0-9]*\) ms.*/\1/p' "$out/boot-$mem.log")
	printf '%-6s %16s %14s %14.2f\n' "$mem" "${insns:-?}" "${boot:-?}" "$(awk "BEGIN { print $t1 - $t0 }")"
done

# Cross-CPU calls need several CPUs, so -icount (one instruction stream)
# cannot time them: plain TCG, i.e. emulation time in guest TSC ticks
# (host-time based), medians of several boots with their spread.  The
# IPI and call counts per operation are exact on any machine.
echo "== cross-CPU calls (plain TCG: emulation time, TSC ticks per operation; ${SMP_RUNS:-3} boots each)"
for smp in 2 4; do
	for run in $(seq 1 "${SMP_RUNS:-3}"); do
		# Cross-CPU calls, then TLB shootdowns (vm_ipi_*: n other CPUs hold the mm).
		# ... and queue_work on another CPU (wq_remote_*).
		for what in ipi vm_ipi wq_remote; do
			timeout 300 $QEMU -accel tcg -cpu max -kernel "$out/vmlinux" \
				-append "bench=$what loglevel=6" -smp "$smp" -m 512M -display none \
				-serial file:"$out/$what-smp$smp-$run.log" -monitor none -no-reboot \
				$QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
		done
		cat "$out/vm_ipi-smp$smp-$run.log" "$out/wq_remote-smp$smp-$run.log" \
			>>"$out/ipi-smp$smp-$run.log"
	done
	for b in ipi_one_other_wait ipi_all_others_wait $(seq -f vm_ipi_user%g 1 $((smp - 1))) \
		 $(seq -f vm_ipi_range%g 1 $((smp - 1))) wq_remote_roundtrip; do
		meds=$(cat "$out"/ipi-smp$smp-*.log | sed -n "s/.*bench $b  *\([0-9.]*\) ticks.*/\1/p" | sort -n)
		counts=$(sed -n "s/.*bench $b  *\(IPIs.*\)/\1/p" "$out/ipi-smp$smp-1.log")
		printf 'smp%s %-22s median %10s  spread %s..%s  %s\n' "$smp" "$b" \
			"$(echo "$meds" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
			"$(echo "$meds" | head -n 1)" "$(echo "$meds" | tail -n 1)" "$counts"
	done
	# Exact IPI and round counts of the shootdown benches (same on any machine).
	sed -n 's/^\[ *[0-9.]*\] bench: \([0-9]* holder CPUs.*\)/smp'"$smp"' shootdown: \1/p' \
		"$out/vm_ipi-smp$smp-1.log"
done

# Boot to all CPUs online, plain TCG -smp 4: QEMU wall time to power-off,
# and the kernel's own figures (TSC-based, emulation time).
echo "== SMP boot (plain TCG -smp 4, ${SMP_RUNS:-3} boots)"
for run in $(seq 1 "${SMP_RUNS:-3}"); do
	t0=$(date +%s.%N)
	timeout 120 $QEMU -accel tcg -cpu max -kernel "$out/vmlinux" -append "bench=none loglevel=7" \
		-smp 4 -m 512M -display none -serial file:"$out/smpboot-$run.log" -monitor none \
		-no-reboot $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
	t1=$(date +%s.%N)
	printf 'run %s: QEMU start to exit %.2f s; %s; boot done in %s ms\n' "$run" \
		"$(awk "BEGIN { print $t1 - $t0 }")" \
		"$(sed -n 's/.*smpboot: \(.*CPUs online.*\)/\1/p' "$out/smpboot-$run.log")" \
		"$(sed -n 's/.*Boot done in \([0-9]*\) ms.*/\1/p' "$out/smpboot-$run.log")"
done

# Block I/O: `blk bench vda` in the kernel shell (scripts/qemu-shell.py
# types it) on a virtio-blk disk: 4 KiB random reads at QD1 and QD32,
# guest instructions per request over the submit call and the block
# layer's completion path (rdtsc brackets, so waiting is not counted;
# Documentation/block.rst).  The IOPS of this run are emulation time
# under -icount and mean nothing; tools/anchors/linux/run-blk.sh measures
# IOPS against Linux under plain TCG.
echo "== block: virtio-blk 4 KiB random reads (blk bench vda; $unit per request; QEMU $accel -smp 1)"
python3 "$src/scripts/qemu-shell.py" --timeout 600 --log "$out/blk.log" -c "blk bench vda" -- \
	$QEMU $accel -kernel "$out/vmlinux" $(qemu_modules "$out/vmlinux") \
	-smp 1 -m 512M -nographic -no-reboot $(qemu_scratch_drive bench0 256M) \
	-device virtio-blk-pci,drive=bench0 $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
sed -n 's/.*\(blk bench vda: .*\)/\1/p' "$out/blk.log" | tr -d '\r'

if [ -f "$src/tests/hosted/Makefile" ]; then
	echo "== hosted benchmarks (host TSC ticks per operation)"
	make -s -C "$src" -f tests/hosted/Makefile O="$out/hosted" bench 2>&1 | grep -v "^gcc "
fi

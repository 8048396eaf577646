#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: the SMP soak (kernel/stress.c, Documentation/stress.rst).
#
#   scripts/stress.sh [build|qemu|bochs|all]     (default: all)
#
# Builds O=$STRESS_OUT (build/stress): defconfig + spinlock debugging,
# lockdep, might_sleep checks, UBSAN, slab debugging, page poisoning and
# KASAN, then boots it with stress=$STRESS_SECONDS
# in QEMU TCG -smp $STRESS_CPUS and in Bochs with $STRESS_CPUS CPUs.  A run
# passes when the emulator reports a pass (QEMU exit 33, Bochs 0) AND the
# log ends the soak with "stress: N operations, 0 errors" and no oops,
# panic or report.  Each run prints one line "stress-<where>: ... ok|FAILED".
#
#   STRESS_SECONDS   guest seconds of soak per emulator (default 60)
#   BOCHS_STRESS     stress= value for Bochs: seconds or Nms (default:
#                    STRESS_SECONDS); Bochs runs ~100x slower than QEMU TCG
#   STRESS_CPUS      CPUs (default 4)
#   STRESS_OUT       build directory (default build/stress); logs in it
#   QEMU_ONLY=1 / BOCHS_ONLY=1   run one emulator only
#   STRESS_KERNEL    soak this vmlinux instead (modes qemu and bochs: make
#                    check soaks its allyesconfig kernel); STRESS_LOGS: log dir
#   STRESS_FAULTS=1  arm fault injection on all three points (needs
#                    CONFIG_FAULT_INJECTION; the build adds it): boot with
#                    $STRESS_FAULT_ARGS (default: 1% of page and slab
#                    allocations and 5% of page-table allocations fail:
#                    tables are taken ~100x less often); the run then needs
#                    one "fault fail_X: armed, N calls, M injected" line per
#                    point with M > 0, and its logs are named *-faults
#   STRESS_NAME      name of the run in its result line and log (default
#                    stress-<emulator>-smp<CPUs>[-faults])
#   STRESS_MEM       QEMU guest RAM (default 512M)
#   STRESS_QEMU_EXTRA  more QEMU options, e.g. a NUMA layout (-numa ...,
#                    whose memory backends must add up to STRESS_MEM)
set -u
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL
src=$(cd "$(dirname "$0")/.." && pwd)
out=${STRESS_OUT:-$src/build/stress}
secs=${STRESS_SECONDS:-60}
bdur=${BOCHS_STRESS:-$secs}
cpus=${STRESS_CPUS:-4}
what=${1:-all}
mkdir -p "$out"
out=$(cd "$out" && pwd)
kernel=${STRESS_KERNEL:-$out/vmlinux}
logs=${STRESS_LOGS:-$out}

# The debug options of the soak; KASAN joins when its Kconfig symbol exists.
options="DEBUG_SPINLOCK=y LOCKDEP=y DEBUG_ATOMIC_SLEEP=y UBSAN=y SLAB_DEBUG=y PAGE_POISONING=y"
options="$options STRESS=y KTEST=y MODULES=y FAULT_INJECTION=y"
faults=${STRESS_FAULTS:-0}
fault_args=${STRESS_FAULT_ARGS:-fail_page_alloc=1,1,0,-1 fail_slab=1,1,0,-1 fail_pgtable=1,5,0,-1}
extra=
suffix=
if [ "$faults" = 1 ]; then
	extra=" $fault_args"
	suffix=-faults
fi
if grep -rqs --include='Kconfig*' -E '^config KASAN$' "$src"; then
	options="$options KASAN=y"
fi

build() {
	local log=$out/build.log
	echo "  CONFIG  defconfig + $options"
	# setconfig runs Kconfig outside make: give it the CC that make exports,
	# or the $(CC) probes (CC_HAS_KASAN) fail and KASAN is silently off.
	if make -C "$src" O="$out" defconfig >"$log" 2>&1 &&
	   (cd "$src" && CC=${CC:-gcc} KCONFIG_CONFIG=$out/.config ${PYTHON:-/usr/bin/python3} -m setconfig \
		--kconfig Kconfig $options) >>"$log" 2>&1 &&
	   make -C "$src" O="$out" olddefconfig >>"$log" 2>&1 &&
	   make -C "$src" O="$out" -j"${JOBS:-2}" >>"$log" 2>&1 &&
	   ! grep -qiE "warning:|error:" "$log"; then
		# setconfig may not refuse an option whose dependencies are off: check.
		for o in $options; do
			grep -qx "CONFIG_$o" "$out/.config" ||
				{ echo "stress-build: CONFIG_$o is not set (see $log)"; return 1; }
		done
		echo "stress-build: ok"
	else
		grep -iE "warning:|error:" "$log" | head -10
		rm -f "$out/vmlinux"
		echo "stress-build: FAILED ($log)"
		return 1
	fi
}

# judge <name> <log> <emulator status> <pass status>
judge() {
	local name=$1 log=$2 rc=$3 want=$4 final
	final=$(grep -aE "stress: [0-9]+ operations, [0-9]+ errors" "$log" | tail -n 1 |
		tr -d '\r' | sed -E 's/^\[ *[0-9.]+\] //')
	grep -aE "stress: (frames|slab|map|modules|ipi|fault|[0-9]+ injected) " "$log" | tr -d '\r' |
		sed -E 's/^\[ *[0-9.]+\] /  /'
	# Injection must really have happened, at every point.
	local faults_ok=1
	if [ "$faults" = 1 ]; then
		for p in fail_page_alloc fail_slab fail_pgtable; do
			grep -aqE "stress: fault $p: armed, [0-9]+ calls, [1-9][0-9]* injected" "$log" ||
				{ faults_ok=0; echo "  $name: $p injected nothing (or is missing)"; }
		done
	fi
	# A soak on fewer CPUs than asked for would prove much less.
	local cpus_ok=1
	grep -aq "stress: [0-9.]* s on $cpus CPUs" "$log" || cpus_ok=0
	if [ "$rc" = "$want" ] && [ -n "$final" ] && [ $cpus_ok = 1 ] && [ $faults_ok = 1 ] &&
	   echo "$final" | grep -qE ", 0 errors$" &&
	   ! grep -aqE "Oops:|Kernel panic|UBSAN:|BUG:|WARNING:" "$log"; then
		echo "$name: $final, ok"
		return 0
	fi
	grep -aE "Oops:|Kernel panic|UBSAN:|BUG:|WARNING:|stress: .*(error|violation)" \
		"$log" | head -10
	[ $cpus_ok = 1 ] || echo "  $name: the soak did not run on $cpus CPUs"
	echo "$name: ${final:-no final line}, exit status $rc (pass is $want), FAILED ($log)"
	return 1
}

run_qemu() {
	local name=${STRESS_NAME:-stress-qemu-smp$cpus$suffix} rc
	local log=$logs/$name.log
	. "$src/scripts/qemu-common.sh"
	# Boot (a few s) + the soak + the final checks, with a wide margin.
	timeout $((secs * 3 + 120)) $QEMU $(qemu_accel) -kernel "$kernel" \
		$(qemu_modules "$kernel") $QEMU_DEVICES \
		-append "stress=$secs loglevel=6 shell=0$extra" -smp "$(qemu_smp "$cpus")" -m "${STRESS_MEM:-512M}" \
		${STRESS_QEMU_EXTRA:-} -display none -serial file:"$log" -monitor none -no-reboot $QEMU_EXIT_DEV \
		</dev/null >"$log.qemu" 2>&1
	rc=$?
	judge "$name" "$log" "$rc" 33
}

run_bochs() {
	local name=${STRESS_NAME:-stress-bochs-smp$cpus$suffix} rc
	local log=$logs/$name.log
	# Bochs runs every CPU in one host thread: one guest second takes several.
	BOCHS_DIR=$logs/$name BOCHS_CPUS=$cpus TIMEOUT=${BOCHS_TIMEOUT:-7200} \
		"$src/scripts/run-bochs.sh" "$kernel" "stress=$bdur loglevel=6 shell=0$extra" >"$log" 2>&1
	rc=$?
	judge "$name" "$log" "$rc" 0
}

status=0
case $what in
build)	build || status=1 ;;
qemu)	run_qemu || status=1 ;;
bochs)	run_bochs || status=1 ;;
all)
	build || exit 1
	[ "${BOCHS_ONLY:-0}" = 1 ] || run_qemu || status=1
	[ "${QEMU_ONLY:-0}" = 1 ] || run_bochs || status=1
	;;
*)	echo "usage: $0 [build|qemu|bochs|all]" >&2; exit 2 ;;
esac
exit $status

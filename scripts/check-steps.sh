# SPDX-License-Identifier: GPL-2.0
# check-steps.sh: sourced by scripts/check.sh (make check) after
# scripts/check-sched.sh: the kinds of step (builds, ktest boots, crash and
# command-line boots, fuzzers, check scripts, hosted tests, UEFI, hotplug,
# block-integrity, shell, soak and page-table steps), each queueing itself
# with run_step; the list of steps is check.sh's.

# ---------------------------------------------------------------------------
# The steps.  Each public function queues itself; the work is in _name().

# build <name> <config-target> [make args...]
_build() {
	local name=$1 cfg=$2 dir=$out/$1
	shift 2
	mkdir -p "$dir"
	if make -C "$src" O="$dir" "$@" "$cfg" >"$logs/build-$name.log" 2>&1 &&
	   make -C "$src" O="$dir" "$@" -j"$jobs" >>"$logs/build-$name.log" 2>&1 &&
	   ! grep -qiE "warning:|error:" "$logs/build-$name.log"; then
		ok "build $name"
	else
		grep -iE "warning:|error:" "$logs/build-$name.log" | head -10
		# A stale kernel must not be tested as if it were this tree.
		rm -f "$dir/vmlinux"
		bad "build $name" "$logs/build-$name.log"
	fi
}
# The build step's name is build:<name>; steps naming $out/<name>/ wait for it.
q_alias() { q_index["build:$1"]=$((q_n - 1)); }
build() { run_step --cost 1 _build "$@"; q_alias "$1"; }

# clone_build <name> <from> <config-target> [make args...]: the first time,
# <name> starts as a copy of <from>'s build (scripts/clone-build.sh), so only
# the objects the configuration change touches are compiled; later runs
# rebuild it in place like any build directory.
clone_build() { run_step --cost 1 --after "build:$2" _clone_build "$@"; q_alias "$1"; }
_clone_build() {
	local name=$1 from=$2
	shift 2
	if [ ! -f "$out/$name/.config" ] &&
	   ! "$src/scripts/clone-build.sh" "$out/$from" "$out/$name" >"$logs/build-$name.log" 2>&1; then
		bad "build $name" "$logs/build-$name.log"
		return
	fi
	_build "$name" "$@"
}

nsuites() { nm "$1" | grep -c ' __ktest_ptr_'; }
# expected_suites <vmlinux> <cmdline>: the number of suites the last ktest=
# of <cmdline> runs (all of them without one): its positive items' suites,
# or every suite but its "-suite" items (kernel/ktest.c).
expected_suites() {
	local f item n
	local -A pos=() neg=()
	f=$(grep -oE '(^| )ktest=[^ ]*' <<<"$2" | tail -n 1 | sed 's/.*ktest=//')
	case $f in
	"" | all) nsuites "$1"; return ;;
	esac
	for item in ${f//,/ }; do
		case $item in
		-*.*) ;;
		-*) neg[${item#-}]=1 ;;
		*) pos[${item%%.*}]=1 ;;
		esac
	done
	if ((${#pos[@]})); then
		n=0
		for item in "${!pos[@]}"; do
			[ -n "${neg[$item]:-}" ] || n=$((n + 1))
		done
		echo "$n"
	else
		echo $(($(nsuites "$1") - ${#neg[@]}))
	fi
}

# judge <name> <vmlinux> <log> <status> <pass-status> <what> [cmdline]: KTAP
# + exit status; as many suites as <cmdline>'s ktest= selects.
judge() {
	local name=$1 kernel=$2 log=$3 rc=$4 want=$5 what=$6
	python3 "$src/scripts/ktap.py" "$log" --expect-suites "$(expected_suites "$kernel" "${7:-}")" \
		--name "$name" >"$log.ktap" 2>&1
	if [ "$rc" != "$want" ]; then
		echo "  $name: $what exit status $rc (pass is $want)" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	fi
	# KTEST_MIN_PASSED=N: skipping cases (for lack of RAM, say) must leave
	# at least N that ran and passed.
	local got
	got=$(grep -E "^$name: [0-9]+ passed" "$log.ktap" | tail -n 1 | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	if [ -n "${KTEST_MIN_PASSED:-}" ] && [ "${got:-0}" -lt "$KTEST_MIN_PASSED" ]; then
		echo "  $name: ${got:-0} cases passed, fewer than $KTEST_MIN_PASSED" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	fi
	add_counts "$name" "$log.ktap"
}

# ktest_qemu <name> <vmlinux> <smp> [cmdline [expected CPUs]]: QEMU exit 33
# is pass (0 = triple fault).
ktest_qemu() { run_step --vcpus "$3" _ktest_qemu "$@"; }
_ktest_qemu() {
	local log=$logs/$1.log rc
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	rc=$("$src/scripts/ktest-qemu.sh" "$2" "$3" "$log" "expect_cpus=${5:-$3} ${4:-}")
	judge "$1" "$2" "$log" "$rc" 33 QEMU "${4:-}"
}

# ktest_suite_qemu <name> <vmlinux> <smp> <suites> <cmdline> [expected CPUs]:
# only <suites> (a ktest= filter: "suite", "suite.case" or a comma list; a
# later ktest= wins).
ktest_suite_qemu() { run_step --vcpus "$3" _ktest_suite_qemu "$@"; }
_ktest_suite_qemu() {
	local log=$logs/$1.log rc
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	rc=$("$src/scripts/ktest-qemu.sh" "$2" "$3" "$log" "expect_cpus=${6:-$3} ktest=$4 ${5:-}")
	python3 "$src/scripts/ktap.py" "$log" --expect-suites "$(expected_suites "$2" "ktest=$4 ${5:-}")" \
		--name "$1" >"$log.ktap" 2>&1
	if [ "$rc" != 33 ]; then
		echo "  $1: QEMU exit status $rc (pass is 33)" >>"$log.ktap"
		echo "$1: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	fi
	add_counts "$1" "$log.ktap"
}

# ktest_bigmem <name> <vmlinux> <smp> <RAM> [cmdline]: ktests with <RAM> of guest
# memory that the host only backs as the guest writes it: a file on /dev/shm
# (4 KiB host pages).  Anonymous guest RAM would get 2 MiB transparent huge
# pages, and the exhaustion tests, which write a word into every block they
# take, would then make QEMU resident in all of it.
ktest_bigmem() {
	MEM=$4 TIMEOUT=600 QEMU_EXTRA="-object memory-backend-file,id=m0,size=$4,mem-path=/dev/shm,share=on,reserve=off -machine memory-backend=m0" \
		ktest_qemu "$1" "$2" "$3" "${5:-}"
}

# ktest_kasan <name> <vmlinux> <smp>: ktest_qemu, plus a check that the only
# bad-access KASAN reports are the ones the kasan suite provokes (it says how
# many); free reports elsewhere come from tests of refused frees.  Lockdep
# too: the inversions the ktests provoke are between their own lock classes
# (test_*, &kt_*); a circular-locking report naming any other class fails,
# and so does lockdep switching itself off.
ktest_kasan() { run_step --vcpus "$3" _ktest_kasan "$@"; }
_ktest_kasan() {
	local log=$logs/$1.log want got real
	_ktest_qemu "$@"
	[ -f "$log" ] || return
	want=$(grep -oE 'kasan: [0-9]+ access reports expected' "$log" | grep -oE '[0-9]+' | tail -n 1)
	got=$(grep -cE 'BUG: KASAN: (out-of-bounds|use-after-free|wild-memory-access)' "$log")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$1 reports"
	else
		grep 'BUG: KASAN:' "$log" | head -10
		bad "$1 reports" "$got KASAN reports, ${want:-?} expected; $log"
	fi
	real=$(lockdep_real_reports "$log")
	if [ -z "$real" ]; then
		ok "$1 lockdep"
	else
		echo "$real" | head -10
		bad "$1 lockdep" "circular locking outside the ktests' lock classes, or lockdep off; $log"
	fi
}

# lockdep_real_reports <log>: the lock classes of each circular-locking
# report that involves a class other than the ktests' own, or why the log
# cannot tell.  Each report names its two classes on one printk line,
# "this order ('held' -> 'acquired'), call trace:", which other CPUs'
# lines cannot split; a report header without that line (log cut short)
# and lockdep switching itself off ("validator off": no report from then
# on) count as failures.
lockdep_real_reports() {
	local headers orders
	headers=$(grep -c 'WARNING: possible circular locking dependency' "$1")
	orders=$(grep -cE "this order \('[^']*' -> '[^']*'\), call trace:" "$1")
	[ "$headers" = "$orders" ] ||
		echo "$headers circular-locking reports but $orders 'this order' lines"
	grep -oE 'lockdep: .*validator off' "$1" | sort -u
	grep -oE "this order \('[^']*' -> '[^']*'\)" "$1" |
		grep -oE "'[^']*'" | grep -vE "^'(test_|&kt_)" |
		sed "s/^/lock class /" | sort -u
}

# side_by_side <name> <fn> <args...> -- <fn> <args...>: two step functions
# (_ktest_qemu, _ktest_kasan...) at once, each judged as if alone.  Only for
# boots with one busy vCPU each: the step counts as one -smp 2 boot (and
# may run beside other boots, see Scheduling).
side_by_side() {
	local -a a=("$@")
	local i names=$3
	for ((i = 3; i < ${#a[@]}; i++)); do
		[ "${a[i]}" = -- ] && names="$names ${a[i + 2]}"
	done
	run_step --vcpus 2 _side_by_side "$@"
	q_also[q_n - 1]=$names
}
_side_by_side() {
	local name=$1 dir=$res/side-$1 half p f line
	local -a first=()
	shift
	while [ "$1" != -- ]; do first+=("$1"); shift; done
	shift
	mkdir -p "$dir"
	for half in 1 2; do
		(
			passed=0 failed=0 failures=()
			if [ "$half" = 1 ]; then "${first[@]}"; else "$@"; fi
			printf '%s\n' "$passed $failed" ${failures[@]+"${failures[@]}"} >"$dir/$half.counts"
		) >"$dir/$half.out" 2>&1 &
	done
	wait
	for half in 1 2; do
		cat "$dir/$half.out"
		if { read -r p f && while read -r line; do failures+=("$line"); done; } \
			<"$dir/$half.counts" 2>/dev/null; then
			passed=$((passed + p))
			failed=$((failed + f))
		else
			failed=$((failed + 1))
			failures+=("$name (half $half)")
		fi
	done
}

# ktest_bochs <name> <vmlinux>: Bochs exit 0 is pass (1 = fail or triple fault).
ktest_bochs() { run_step --background _ktest_bochs "$@"; }
_ktest_bochs() {
	local log=$logs/$1.log
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	# Bochs' PCI: i440FX host bridge, PIIX3 ISA bridge and IDE (no edu).
	# ktest_quick, and not the suites of portable code that no CPU feature
	# or device of Bochs changes: Bochs is for the CPU features QEMU lacks
	# (PCID, INVPCID, x2APIC) and its own chipset; the long SMP stress
	# cases run in QEMU and in the Bochs soak.
	# An ATA disk as ata0-slave: the ata suite runs on it, and blkcheck
	# writes the integrity pattern over its first BOCHS_ATA_SECTORS from
	# every CPU (bochs_ata_verify checks it afterwards).
	local cmdline="ktest=${BOCHS_KTEST:-$BOCHS_SUITES} ktest_quick loglevel=6 \
expect_cpus=${BOCHS_CPUS:-4} pci_expect=8086:1237,8086:7000,8086:7010 $(bochs_ata_blkcheck write)"
	bochs_ata_image "$out/bochs-$1"
	BOCHS_DIR=$out/bochs-$1 TIMEOUT=${BOCHS_TIMEOUT:-1200} BOCHS_DISK=$out/bochs-$1/ata.img \
		"$src/scripts/run-bochs.sh" "$2" "$cmdline" >"$log" 2>&1
	judge "$1" "$2" "$log" $? 0 Bochs "$cmdline"
}

# The Bochs ATA integrity test: the image bochs-smp4 wrote (its blkcheck
# suite, through ata_piix by DMA from 4 CPUs with flushes and FUA) is
# checked byte by byte on the host, then read back by a second, short
# boot (ktest=blkcheck, verify mode).  The ata suite's own writes lie
# beyond BOCHS_ATA_SECTORS.
BOCHS_ATA_SECTORS=2048
BOCHS_ATA_SEED=18
# bochs_ata_image <dir>: a blank 20-cylinder image (16 heads, 63 sectors).
bochs_ata_image() {
	mkdir -p "$1" && rm -f "$1/ata.img" && truncate -s $((20 * 16 * 63 * 512)) "$1/ata.img"
}
bochs_ata_blkcheck() {
	echo "blkcheck.dev=sda blkcheck.mode=$1 blkcheck.seed=$BOCHS_ATA_SEED" \
	     "blkcheck.sectors=$BOCHS_ATA_SECTORS"
}
bochs_ata_verify() { run_step --background --after "$2" _bochs_ata_verify "$@"; }
_bochs_ata_verify() {
	local name=$1 dir=$out/bochs-$2 log=$logs/$1.log
	[ -f "$3" ] || { bad "$name" "no kernel"; return; }
	[ -f "$dir/ata.img" ] || { bad "$name" "no image from $2"; return; }
	if python3 "$src/scripts/blkimage.py" check "$dir/ata.img" --seed "$BOCHS_ATA_SEED" \
		--sectors "$BOCHS_ATA_SECTORS" >"$logs/$name-host.log" 2>&1; then
		ok "$name-host"
	else
		tail -n 3 "$logs/$name-host.log"
		bad "$name-host" "$logs/$name-host.log"
	fi
	BOCHS_DIR=$out/bochs-$name TIMEOUT=${BOCHS_TIMEOUT:-1200} BOCHS_DISK=$dir/ata.img \
		"$src/scripts/run-bochs.sh" "$3" "ktest=blkcheck loglevel=7 expect_cpus=${BOCHS_CPUS:-4} \
$(bochs_ata_blkcheck verify)" >"$log" 2>&1
	local rc=$?
	python3 "$src/scripts/ktap.py" "$log" --expect-suites 1 --name "$name" >"$log.ktap" 2>&1
	if [ "$rc" != 0 ] || ! grep -q "blkcheck: sda verify $BOCHS_ATA_SECTORS sectors.*OK" "$log"; then
		echo "  $name: Bochs exit status $rc (pass is 0), or no blkcheck OK line" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	fi
	add_counts "$name" "$log.ktap"
}

# qemu_serial_boot <vmlinux> <log> <smp> <cmdline>: one QEMU boot with 512 MiB,
# the serial console in <log>, at most 60 s; its exit status.
qemu_serial_boot() {
	. "$src/scripts/qemu-common.sh"
	timeout 60 $QEMU $(qemu_accel) -kernel "$1" -append "$4" -smp "$3" -m 512M \
		-display none -serial file:"$2" -monitor none -no-reboot \
		$QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
}

# boot_qemu <name> <vmlinux> <smp>: boots to the end and powers off cleanly
# (exit 33 via isa-debug-exit; a kernel without console is judged by that alone).
boot_qemu() { run_step --vcpus "${3:-1}" _boot_qemu "$@"; }
_boot_qemu() {
	local name=$1 kernel=$2 log=$logs/$1.log rc
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	qemu_serial_boot "$kernel" "$log" "${3:-1}" "shell=0"
	rc=$?
	if [ "$rc" = 33 ] && ! grep -qE "Kernel panic|Oops:" "$log"; then
		ok "$name"
	else
		bad "$name" "$log"
	fi
}

# stats_boot_qemu <name> <vmlinux> <smp> <RAM> [cmdline]: boots with shell=0,
# which runs every statistics command (cpus, meminfo, slabinfo, tlbinfo,
# ps...) over all CPUs before powering off.  A CPU must be left out for lack
# of memory, and no walker may touch per-CPU data it never got (exit 33, no
# oops, the CPU reported).
stats_boot_qemu() { run_step --vcpus "$3" _stats_boot_qemu "$@"; }
_stats_boot_qemu() {
	local name=$1 kernel=$2 log=$logs/$1.log rc
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	. "$src/scripts/qemu-common.sh"
	timeout 60 $QEMU $(qemu_accel) -kernel "$kernel" $(qemu_modules "$kernel") \
		-append "shell=0 ${5:-}" -smp "$3" -m "$4" -display none -serial file:"$log" \
		-monitor none -no-reboot $QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 33 ] && ! grep -qE "Kernel panic|Oops:" "$log" &&
	   grep -q "CPUs online of" "$log" && grep -q "exo> tlbinfo" "$log" &&
	   grep -q "left out" "$log"; then
		ok "$name"
		grep -E "left out" "$log" | sed 's/^\[ *[0-9.]*\] /  /' | head -3
	else
		grep -E "Oops|RIP is at|Kernel panic" "$log" | head -3
		bad "$name" "exit $rc; $log"
	fi
}

# crash_qemu <name> <vmlinux> <smp>: a deliberate oops must print the fault,
# the registers, a symbolised backtrace, stop every other CPU by NMI (each
# printing its own state) and end with the failure exit status (35).
crash_qemu() { run_step --vcpus "$3" _crash_qemu "$@"; }
_crash_qemu() {
	local name=$1 kernel=$2 smp=$3 log=$logs/$1.log rc missing=""
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	qemu_serial_boot "$kernel" "$log" "$smp" "shell=0 crash_test=oops"
	rc=$?
	for pat in "Oops: #PF page fault" "page fault at address 0000008000000000 (write" \
		   "RIP is at .*crash_oops+" "RAX: " "Call trace:" \
		   "$((smp - 1)) of $((smp - 1)) other CPUs stopped" "end Kernel panic"; do
		grep -q "$pat" "$log" || missing="$missing '$pat'"
	done
	for cpu in $(seq 1 $((smp - 1))); do
		grep -q "CPU $cpu stopped by CPU 0" "$log" || missing="$missing 'CPU $cpu stopped'"
	done
	if [ "$rc" = 35 ] && [ -z "$missing" ]; then
		ok "$name"
	else
		bad "$name" "exit $rc, missing:$missing; $log"
	fi
}

# panic_qemu <name> <vmlinux> <smp> <crash_test mode> <message>: the mode
# must end the boot in a panic that prints <message> (exit status 35).
panic_qemu() { run_step --vcpus "$3" _panic_qemu "$@"; }
_panic_qemu() {
	local name=$1 kernel=$2 log=$logs/$1.log rc
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	qemu_serial_boot "$kernel" "$log" "$3" "shell=0 crash_test=$4"
	rc=$?
	if [ "$rc" = 35 ] && grep -q "Kernel panic.*$5" "$log"; then
		ok "$name"
	else
		bad "$name" "exit $rc, no panic with '$5'; $log"
	fi
}

# crash_module_qemu <name> <vmlinux>: an oops inside a module's text must
# name the function and its module, as Linux prints it, and list each
# module's load address (crash_test=module, kernel/module_test/modtest_oops.c).
crash_module_qemu() { run_step --vcpus 1 _crash_module_qemu "$@"; }
_crash_module_qemu() {
	local log=$logs/$1.log rc missing
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	qemu_serial_boot "$2" "$log" 1 "shell=0 crash_test=module"
	rc=$?
	# The RIP line, then the call trace: the module frame, its kernel caller.
	missing=$(python3 -c 'import re, sys
log = open(sys.argv[1], errors="replace").read()
print(" ".join(repr(p) for p in sys.argv[2:] if not re.search(p, log, re.M)))' "$log" \
		"Modules linked in: modtest_oops@0xffff[0-9a-f]{12}" \
		"RIP is at \[<ffff[0-9a-f]{12}>\] modtest_oops_fault\+0x[0-9a-f]+ \[modtest_oops\]" \
		"Call trace:\n.*\] +\[<ffff[0-9a-f]{12}>\] modtest_oops_fault\+0x[0-9a-f]+ \[modtest_oops\]\n.*\] +\[<ffff[0-9a-f]{12}>\] crash_module\+0x" \
		"end Kernel panic")
	[ "$rc" = 35 ] && [ -z "$missing" ] && { ok "$1"; return; }
	bad "$1" "exit $rc, missing: $missing; $log"
}

# cmdline_qemu <name> <vmlinux> <length>: a command line of exactly <length>
# characters.  Up to 2047 (COMMAND_LINE_SIZE - 1) it is kept whole: its last
# word, ktest=bootparse, must take effect, with no warning.  Longer, the
# kernel must say that it cut the line and boot on (ktest= then comes first);
# above 4095 QEMU's PVH loader overwrites the start info with the line.
cmdline_qemu() { run_step --vcpus 1 _cmdline_qemu "$@"; }
_cmdline_qemu() {
	local name=$1 kernel=$2 len=$3 log=$logs/$1.log head tail line rc
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	. "$src/scripts/qemu-common.sh"
	if [ "$len" -le 2047 ]; then
		head="loglevel=6 shell=0" tail=" ktest=bootparse"
	else
		head="ktest=bootparse loglevel=6" tail=""
	fi
	line=$head
	while [ ${#line} -lt "$len" ]; do line="$line cmdline_pad=0123456789abcdef"; done
	line="${line:0:$((len - ${#tail}))}$tail"
	timeout 60 $QEMU $(qemu_accel) -kernel "$kernel" -append "$line" -smp 1 -m 128M \
		-display none -serial file:"$log" -monitor none -no-reboot $QEMU_EXIT_DEV \
		</dev/null >/dev/null 2>&1
	rc=$?
	python3 "$src/scripts/ktap.py" "$log" --expect-suites 1 --name "$name" >"$log.ktap" 2>&1
	if [ "$rc" != 33 ]; then
		echo "  $name: QEMU exit status $rc (pass is 33)" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	elif [ "$len" -le 2047 ] && grep -qE "longer than the|parameter pool full" "$log"; then
		echo "  $name: a $len-character line was cut or overflowed the pool" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	elif [ "$len" -gt 2047 ] && ! grep -q "command line is $len characters, longer than" "$log"; then
		echo "  $name: no warning that the $len-character line was cut" >>"$log.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$log.ktap"
	fi
	add_counts "$name" "$log.ktap"
}

# fuzz_build: the hosted libFuzzer targets (tests/fuzz/), with make -j.
fuzz_build() {
	if make -C "$src" -f tests/fuzz/Makefile O="$out/fuzz" build -j"$jobs" \
		>"$logs/fuzz-build.log" 2>&1; then
		ok "build fuzzers"
	else
		tail -5 "$logs/fuzz-build.log"
		bad "build fuzzers" "$logs/fuzz-build.log"
	fi
}
# fuzz_run <target>: FUZZ_SECONDS of one fuzzer, from the in-tree seeds only
# (same work every time).
fuzz_run() {
	local t=${1#fuzz-}
	[ -x "$out/fuzz/tests/fuzz/fuzz_$t" ] || { bad "fuzz $t" "not built"; return; }
	rm -rf "$out/fuzz/tests/fuzz/corpus-$t"
	if make -C "$src" -f tests/fuzz/Makefile O="$out/fuzz" run-$t \
		FUZZ_SECONDS="${FUZZ_SECONDS:-6}" >"$logs/fuzz-$t.log" 2>&1; then
		passed=$((passed + 1))
		note "fuzz $t" "$(grep '^fuzz ' "$logs/fuzz-$t.log" | tail -n 1 | sed 's/^fuzz [a-z0-9_]*: //')"
	else
		grep -E "invariant|ERROR|SUMMARY|^fuzz " "$logs/fuzz-$t.log" | head -5
		bad "fuzz $t" "$logs/fuzz-$t.log"
	fi
}

# ---------------------------------------------------------------------------
# Step kinds used by one part of the list: scripts, hosted tests, UEFI,
# hotplug, block integrity, NUMA, shell, soak and page-table boots.

# script_step <name> <script> <args...>: a check script that prints one line
# per check and exits with the number that failed.
script_step() { run_step --background _script_step "$@"; }
_script_step() {
	local name=$1 log=$logs/$1.log
	shift
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		grep FAILED "$log" | head -10
		bad "$name" "$log"
	fi
}

# hosted_tests <name> [make args]: tests/hosted/Makefile run, KTAP counted.
hosted_tests() {
	local name=$1 log=$logs/$1.log rc
	shift
	make -C "$src" -f tests/hosted/Makefile O="$out/$name" "$@" run >"$log" 2>&1
	rc=$?
	python3 "$src/scripts/ktap.py" "$log" --name "$name" >"$logs/$name.ktap" 2>&1
	if [ "$rc" != 0 ]; then
		echo "  $name: build or run exit status $rc" >>"$logs/$name.ktap"
		echo "$name: 0 passed, 1 failed, 0 skipped" >>"$logs/$name.ktap"
	fi
	add_counts "$name" "$logs/$name.ktap"
}

# _hosted_tsan <name>: tests/hosted's concurrency cases under ThreadSanitizer.
_hosted_tsan() {
	if make -C "$src" -f tests/hosted/Makefile O="$out/hosted-tsan" -j"$jobs" run-tsan \
		>"$logs/$1.log" 2>&1; then
		ok "$1"
	else
		grep -E "WARNING: ThreadSanitizer|not ok|Expected" "$logs/$1.log" | head -5
		bad "$1" "$logs/$1.log"
	fi
}

# uefi_qemu <name> <vmlinux> <smp>: one UEFI boot (OVMF, the hybrid GRUB ISO,
# two small suites): the EFI memory map, ACPI from GRUB's tag with no BIOS
# scan, every CPU online, and a screendump of the framebuffer console that
# shows the banner and the log (scripts/check-uefi.py).
uefi_qemu() { run_step --cost 1 _uefi_qemu "$@"; }
_uefi_qemu() {
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	if timeout 400 python3 "$src/scripts/check-uefi.py" "$2" "$out/$1" --smp "$3" \
		--log "$logs/$1.serial" >"$logs/$1.log" 2>&1; then
		ok "$1"
	else
		grep FAILED "$logs/$1.log" | head -10
		bad "$1" "$logs/$1.log"
	fi
}

# hotplug_qmp <name> <vmlinux> [args]: QMP device_add/device_del on q35
# pcie-root-port slots at -smp 4 (pciehp, autoload, ENODEV under a reader, 50
# add/remove cycles without leaks; scripts/check-hotplug.py).
# Its waits are QMP events and serial replies with 30-60 s timeouts, fifty
# times what a cycle takes, and pciehp's delays are guest time: it does not
# need the host to itself, costs one slot and comes early, beside a build.
# QEMU 7.2 itself crashes now and then in a vCPU thread during the cycles
# (SIGSEGV in memory_region_dispatch_read() with no MemoryRegion, 2 in 175
# runs here): its tcg_commit() switches the vCPUs' dispatch tables before
# their TLB flushes, so an MMIO access through an older entry (the APIC's
# ICR in the one core looked at) finds no section (Documentation/hotplug.rst).
# The session then runs again, once, and says so.  Any other failure counts.
hotplug_qmp() { run_step --cost 1 _hotplug_qmp "$@"; }
_hotplug_qmp() {
	local try rc
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	for try in 1 2; do
		timeout 300 python3 "$src/scripts/check-hotplug.py" "$2" --smp 4 "${@:3}" \
			--log "$logs/$1.serial" >"$logs/$1.log" 2>&1
		rc=$?
		[ "$rc" != 0 ] && [ "$try" = 1 ] && grep -q "QEMU exited with -11" "$logs/$1.log" || break
		cp "$logs/$1.log" "$logs/$1-qemu-crash.log"
		cp "$logs/$1.serial" "$logs/$1-qemu-crash.serial"
		note "$1" "QEMU crashed (SIGSEGV, $logs/$1-qemu-crash.log): running it again"
	done
	if [ "$rc" = 0 ]; then
		ok "$1"
	else
		grep -E "FAILED" "$logs/$1.log" | head -10
		bad "$1" "$logs/$1.log"
	fi
}

# blk_integrity_qemu <name> <vmlinux> <machine>: the block integrity test
# through virtio_blk on QEMU <machine> at -smp 4: a fresh 8 MiB image, a
# boot that writes the pattern over its first 4 MiB from every CPU with
# pre-flushes, FUA and a final flush (ktest=blkcheck, block/blkcheck.c)
# and powers off, the host's byte-by-byte check of the image file
# (scripts/blkimage.py), and a second boot that reads it back and checks
# it.  A new seed each run, so a stale image cannot pass.
blk_integrity_qemu() { run_step --vcpus 4 _blk_integrity_qemu "$@"; }
_blk_integrity_qemu() {
	local name=$1 kernel=$2 log=$logs/$1 dir img rc1 rc2 hrc seed=$((RANDOM + 1))
	local args="blkcheck.dev=vda blkcheck.seed=$seed blkcheck.sectors=8192" devs
	[ -f "$kernel" ] || { bad "$name" "no kernel"; return; }
	dir=$(mktemp -d "${TMPDIR:-/tmp}/exo-blkint.XXXXXX") || { bad "$name" "mktemp"; return; }
	img=$dir/disk.img
	truncate -s 8M "$img"
	devs="-drive file=$img,format=raw,if=none,id=bi0,cache=writeback -device virtio-blk-pci,drive=bi0"
	rc1=$(QEMU_DEVICES=$devs QEMU_EXTRA="-M $3" TIMEOUT=120 "$src/scripts/ktest-qemu.sh" \
		"$kernel" 4 "$log-write.log" "expect_cpus=4 ktest=blkcheck blkcheck.mode=write $args")
	python3 "$src/scripts/blkimage.py" check "$img" --seed "$seed" --sectors 8192 \
		>"$log-host.log" 2>&1
	hrc=$?
	rc2=$(QEMU_DEVICES=$devs QEMU_EXTRA="-M $3" TIMEOUT=120 "$src/scripts/ktest-qemu.sh" \
		"$kernel" 4 "$log-verify.log" "expect_cpus=4 ktest=blkcheck blkcheck.mode=verify $args")
	rm -rf "$dir"
	if [ "$rc1" = 33 ] && [ "$hrc" = 0 ] && [ "$rc2" = 33 ] &&
	   grep -q "ok 1 blkcheck" "$log-write.log" && grep -q "ok 1 blkcheck" "$log-verify.log" &&
	   ! grep -qE "not ok|Kernel panic|Oops:" "$log-write.log" "$log-verify.log"; then
		ok "$name"
	else
		bad "$name" "write boot $rc1, host check $hrc, verify boot $rc2 (pass: 33, 0, 33); $log-*.log"
	fi
}

numa_ram() {	# numa_ram <node>...: a 256 MiB backend per named node
	local n
	for n in "$@"; do printf -- "-object memory-backend-ram,id=m%s,size=256M " "$n"; done
}

# _smp64_online <name>: the -smp 64 boots (qemu-smp64*) found all 64 CPUs online.
_smp64_online() {
	if cat "$logs"/qemu-smp64*.log 2>/dev/null | grep -q "test_cpus_online: 64 CPUs online"; then
		ok "$1"
	else
		bad "$1" "$(cat "$logs"/qemu-smp64*.log 2>/dev/null |
			    grep -o "test_cpus_online: .*" | head -1)"
	fi
}

# _ktest_ata_qemu <name> <vmlinux> <smp> <suites> <cmdline>: _ktest_suite_qemu
# with two fresh IDE disk images on the primary channel.
_ktest_ata_qemu() {
	local disks
	. "$src/scripts/qemu-common.sh"
	disks=$(qemu_ide_disks "$out/$1") || { bad "$1" "no disk images"; return; }
	QEMU_DEVICES="$QEMU_DEVICES $disks" _ktest_suite_qemu "$@"
	rm -f "$out/$1"/ide*.img
}

# _smp1_then_acpi_off <name> <vmlinux> <name without ACPI>
_smp1_then_acpi_off() {
	_ktest_qemu "$1" "$2" 1
	_ktest_qemu "$3" "$2" 4 "acpi=off ktest_quick" 1
}

# shell_qemu <name> <vmlinux> [args]: scripts/check-shell.py's boots, KTAP counted.
shell_qemu() { run_step --vcpus 2 _shell_qemu "$@"; }
_shell_qemu() {
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	python3 "$src/scripts/check-shell.py" "$2" --name "$1" --log "$logs/$1.log" "${@:3}" \
		>"$logs/$1.ktap" 2>&1
	add_counts "$1" "$logs/$1.ktap"
}

# stress_step <name> <qemu|bochs> <vmlinux> <stress= duration> [faults]: exit
# status and the final "stress: N operations, 0 errors" line
# (scripts/stress.sh); "faults" arms fault injection and shows its figures.
stress_step() {
	if [ "$2" = bochs ]; then
		run_step --background _stress_step "$@"
	else
		run_step _stress_step "$@"
	fi
}
_stress_step() {
	local name=$1 log=$logs/$1.txt
	[ -f "$3" ] || { bad "$name" "no kernel"; return; }
	if STRESS_KERNEL=$3 STRESS_LOGS=$logs STRESS_SECONDS=$4 BOCHS_STRESS=$4 \
		STRESS_FAULTS=$([ "${5:-}" = faults ] && echo 1 || echo 0) \
		"$src/scripts/stress.sh" "$2" >"$log" 2>&1; then
		ok "$name"
		[ "${5:-}" = faults ] && grep -E "stress: (fault |[0-9]+ injected)" "$log"
		tail -n 1 "$log" | sed 's/^/  /'
	else
		tail -n 5 "$log"
		bad "$name" "$log"
	fi
}

# numa_kasan_soak <name> <vmlinux>: the numa suites, then the stress soak, on
# the 4-node layout ($NUMA4_QEMU, $NUMA4_EXPECT from the list) at -smp 8, no
# KASAN report and no foreign lockdep report allowed.
numa_kasan_soak() { run_step _numa_kasan_soak "$@"; }
_numa_kasan_soak() {
	local name=$1 log=$logs/$1-ktest.log n real
	MEM=768M QEMU_EXTRA="$NUMA4_QEMU" \
		_ktest_suite_qemu "$name-ktest" "$2" 8 numa,numa_alloc,slab_remote "$NUMA4_EXPECT"
	[ -f "$log" ] || return
	n=$(grep -c 'BUG: KASAN' "$log")
	real=$(lockdep_real_reports "$log")
	if [ "$n" = 0 ] && [ -z "$real" ]; then
		ok "$name-ktest reports"
	else
		grep 'BUG: KASAN' "$log" | head -5
		echo "$real" | head -5
		bad "$name-ktest reports" "$n KASAN reports, lockdep: ${real:-none}; $log"
	fi
	STRESS_NAME=$name STRESS_CPUS=8 STRESS_MEM=768M STRESS_QEMU_EXTRA="$NUMA4_QEMU" \
		_stress_step "$name" qemu "$2" "${NUMA_STRESS_SECONDS:-6}"
}

# pgtable_oracle <name> <vmlinux>: QMP info tlb / gva2gpa vs translate() and the layout.
pgtable_oracle() { run_step --vcpus 2 _pgtable_oracle "$@"; }
_pgtable_oracle() {
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	if python3 "$src/scripts/check-pgtables.py" "$2" --smp 2 --log "$logs/$1.serial" \
		>"$logs/$1.log" 2>&1; then
		ok "$1"
	else
		grep -E "FAILED" "$logs/$1.log" | head -10
		bad "$1" "$logs/$1.log"
	fi
}
# stack_overflow <name> <vmlinux>: the guard page faults, #DF oopses on its IST
# stack and the kernel panics (exit 35); a triple fault would exit 0.
stack_overflow() { run_step --vcpus 1 _stack_overflow "$@"; }
_stack_overflow() {
	local log=$logs/$1.log rc
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	. "$src/scripts/qemu-common.sh"
	timeout 60 $QEMU $(qemu_accel) -kernel "$2" -append "vm_overflow_test shell=0" -smp 1 \
		-m 512M -display none -serial file:"$log" -monitor none -no-reboot \
		$QEMU_EXIT_DEV </dev/null >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 35 ] && grep -q "Oops: #DF double fault" "$log" &&
	   grep -q "kernel stack overflow" "$log" && grep -q "Kernel panic" "$log"; then
		ok "$1"
	else
		bad "$1" "exit $rc, $log"
	fi
}

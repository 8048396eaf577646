#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test layer, summed into one line "N passed, M failed".
#
#  1. builds: gcc defconfig and allyesconfig with sparse (C=1), clang
#     (LLVM=1) defconfig and allyesconfig, allnoconfig -- zero warnings
#     (-Werror, -Wsparse-error); the build system itself: C=1, make help,
#     gdb, clean and the no-.config hint (scripts/check-kbuild.sh), a
#     configuration change + make without clean (check-reconfig.sh), every
#     README target asking deps.sh first on a fake fresh machine
#     (check-deps.sh), every documentation example (check-docs.py), every
#     symbol of the driver API exported (check-driver-api.py);
#  2. hosted unit tests of the portable code (ASan + UBSan), and their
#     concurrency cases under ThreadSanitizer;
#  3. every in-kernel ktest suite booted in QEMU TCG -smp 1, -smp 4 and
#     -smp 8 (all but edu, e1000 and the RTC there), the clang kernel in
#     QEMU -smp 2, and Bochs with 4 CPUs (GRUB
#     ISO; the suites a CPU feature or chipset can change); variant boots
#     run the suites their variant can change: q35, the kernel without
#     tier 1 and without tier 2 of kmalloc (slab_notier1/2_defconfig), the
#     tracepoints and function tracer on defconfig (trace_defconfig), a
#     CPU without a PAT (-cpu max,-pat), 64 GiB, an AP that never starts;
#  4. the allnoconfig kernel boots to the end of init; the shell is driven
#     from a terminal as `make run` shows it (scripts/check-shell.py);
#  5. the hardening builds: allyesconfig (UBSAN, UBSAN_PANIC, KASAN, stack
#     protector, lockdep, fault injection...) with gcc and with clang, both
#     booted with every ktest (gcc -smp 2, clang -smp 1) and no KASAN report
#     but the kasan suite's own, no circular-locking report but between the
#     ktests' own lock classes; each hosted fuzzer for FUZZ_SECONDS (6) s.
#  6. the SMP soak, short (scripts/stress.sh, Documentation/stress.rst): every
#     stress worker on 4 CPUs of the allyesconfig kernel (lock debugging,
#     lockdep, UBSAN) for STRESS_SECONDS (12) s in QEMU, and for
#     BOCHS_STRESS (200ms) in Bochs; then the same soak in QEMU for
#     FAULT_STRESS_SECONDS (10) s with fault injection armed at all three
#     points (fail_page_alloc, fail_slab, fail_pgtable): every injected
#     failure must be survived, every point must have injected, and the
#     end-of-run leak and consistency checks must still pass; and the NUMA
#     soak: the 4-node layout (SLIT, memoryless and CPU-less nodes) at -smp 8
#     under KASAN, the numa_alloc suite then NUMA_STRESS_SECONDS (6) s of
#     soak, no KASAN report;
#  7. page tables seen from outside: QEMU's monitor walks CR3 and must agree
#     with translate() and the layout (scripts/check-pgtables.py), and a
#     deliberate kernel stack overflow must oops on the #DF IST stack, not
#     triple-fault.
#
# Each build or boot step counts as one test; each KTAP case counts as one.
# Logs: build/check/ (CHECK_OUT=dir to move it).  QUICK=1 skips Bochs.
# CHECK_ONLY=<regex>: only the steps whose names match, and the builds they
# need (e.g. CHECK_ONLY='^qemu-smp4$').
#
# Steps run in parallel (see "Scheduling" below): every step function
# (build, clone_build, ktest_qemu, ktest_bochs, boot_qemu, crash_qemu,
# stress_step, script_step, ...) queues its step instead of running it, and
# a step that boots or reads $out/<build>/ waits for that build.  Adding a
# step is one line in the list at the end, e.g.
#	ktest_qemu qemu-smp16 "$out/gcc/vmlinux" 16
# and a step with a function of its own is queued with run_step:
#	run_step my_step my-name "$out/gcc/vmlinux" ...
# (the function gets its arguments and reports with ok/bad/add_counts; it
# runs alone unless --cost says otherwise, see "Scheduling").
# The results print in list order; $logs/times.txt has each step's wall
# and CPU time.
set -u
# A user's KCFLAGS/KAFLAGS would change the kernels under test.
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL KCFLAGS KAFLAGS
src=$(cd "$(dirname "$0")/.." && pwd)
out=${CHECK_OUT:-$src/build/check}
mkdir -p "$out/logs"
logs=$out/logs
passed=0
failed=0
failures=()
jobs=${JOBS:-$(nproc)}

"$src/scripts/deps.sh" check || exit 1

note() {
	((in_job)) || echo "check.sh: step $1 ran outside the scheduler (queue it with run_step)" >&2
	printf '%-44s %s\n' "$1" "$2"
}
ok() { passed=$((passed + 1)); note "$1" "ok"; }
bad() { failed=$((failed + 1)); failures+=("$1"); note "$1" "FAILED (${2:-see $logs})"; }

# add_counts <label> <log>: fold a "label: N passed, M failed, K skipped" line in.
add_counts() {
	local line p f
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n 1)
	if [ -z "$line" ]; then
		bad "$1" "no result line"
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$1")
	note "$1" "$line"
	grep -E "^  $1: " "$2" | head -20
}

# ---------------------------------------------------------------------------
# Scheduling.  Steps start in list order while their costs fit in $slots
# (CHECK_SLOTS, default the CPUs).  A QEMU guest's clock is the host's, and
# ktests that wait a few guest milliseconds for other threads fail when the
# host CPUs are oversubscribed (seen: smp.test_preempt_every_cpu at -smp 8,
# sched.test_no_leak, even beside two niced fuzzers), so every QEMU boot
# runs alone (cost $slots: nothing else at all, background included; two
# boots with one busy vCPU each may share the step, see side_by_side; an
# -icount boot, whose clock counts its own instructions, costs one slot),
# as does any step of unknown cost.  Everything else does not care about host
# timing: the hosted tests (their one time bound, the 16 GiB init's, is ten
# times what it takes) cost one slot like a build; builds cost one
# slot each with make -j$jobs, so two overlap and fill each other's serial
# parts (Kconfig, links); Bochs (its clock counts instructions), the
# fuzzers (a fixed time each) and the build-system scripts run in the
# background (run_step --background, up to $bg_slots at a time) beside the
# builds, but never beside a step that must run alone.  QEMU boots are the
# exception to "alone" among themselves (run_step --vcpus N, N the guest's
# busy vCPUs): consecutive boots in the list share the host while their
# vCPUs add up to at most $vcpu_budget (CHECK_VCPUS, default two per host
# CPU), so two -smp 2 guests run as one -smp 4 guest does, each vCPU
# getting half a host CPU at worst; an -smp 4 guest or a bigger one still
# runs alone, and nothing but boots runs beside a boot.  A step waits for
# the steps it depends on (the builds whose directories its arguments name,
# and --after ones).  Each step runs in a subshell, prints into its own file
# and leaves its counts there.
slots=${CHECK_SLOTS:-$jobs}
bg_slots=${CHECK_BG_SLOTS:-$((jobs + 1))}
vcpu_budget=${CHECK_VCPUS:-$((2 * slots))}
t_start=$(date +%s.%N)
res=$out/results
rm -rf "$res"
mkdir -p "$res"
q_n=0
declare -a q_name q_cost q_deps q_cmd q_env q_state q_kind q_also q_vcpus
declare -A q_index q_pid_of
baseline_env=$(export -p)
running=0
bg_running=0
# Boots running together (--vcpus) and the sum of their vCPUs.
boots_running=0
vcpus_running=0
printed=0
in_job=0

# run_step [--cost N | --background | --vcpus N] [--after step]...
# <function> <name> [args...]: queue "<function> <name> args..." as step
# <name>.  Environment assignments in front of the call (QEMU_CPU=...
# ktest_qemu ...) go with it.  --vcpus: a QEMU boot with N busy vCPUs,
# which runs alone or beside other boots (see Scheduling).
run_step() {
	local cost=$slots deps="" kind=fg vcpus=0 a b
	while :; do
		case $1 in
		--cost) cost=$2; shift 2 ;;
		--vcpus) vcpus=$2; shift 2 ;;
		--background) kind=bg cost=0; shift ;;
		--section) kind=section cost=0; shift ;;
		--after) deps="$deps $2"; shift 2 ;;
		*) break ;;
		esac
	done
	for a in "${@:3}"; do
		case $a in
		"$out"/*)
			b=${a#"$out"/}
			b=build:${b%%/*}
			[ -n "${q_index[$b]:-}" ] && deps="$deps $b" ;;
		esac
	done
	((cost > slots)) && cost=$slots
	q_name[q_n]=$2
	q_cost[q_n]=$cost
	q_deps[q_n]=$deps
	q_cmd[q_n]=$(printf '%q ' "$@")
	a=$(export -p)
	q_env[q_n]=
	[ "$a" = "$baseline_env" ] || q_env[q_n]=$(comm -13 <(sort <<<"$baseline_env") <(sort <<<"$a"))
	q_state[q_n]=queued
	q_kind[q_n]=$kind
	((vcpus > vcpu_budget)) && vcpus=$vcpu_budget
	q_vcpus[q_n]=$vcpus
	q_index[$2]=$q_n
	q_n=$((q_n + 1))
	# Start at once what can start (with CHECK_ONLY, only once all is known).
	[ -n "${CHECK_ONLY:-}" ] || schedule
}

# section <title>: a heading, printed in its place in the list.
section() { run_step --section echo "$1"; }

start_step() {
	local i=$1
	q_state[i]=running
	# Boots that run together take the host's slots once.
	((q_vcpus[i] == 0 || boots_running++ == 0)) && running=$((running + q_cost[i]))
	vcpus_running=$((vcpus_running + q_vcpus[i]))
	[ "${q_kind[i]}" = bg ] && bg_running=$((bg_running + 1))
	(
		eval "${q_env[i]}"
		in_job=1 passed=0 failed=0 failures=()
		t0=$(date +%s.%N)
		eval "${q_cmd[i]}"
		t1=$(date +%s.%N)
		printf '%s\n' "$passed $failed" ${failures[@]+"${failures[@]}"} >"$res/$i.counts"
		# Wall time, and the CPU time of everything the step ran.
		times >"$res/$i.cpu"
		[ "${q_kind[i]}" = section ] || tail -n 1 "$res/$i.cpu" |
			awk -v s="$t_start" -v a="$t0" -v b="$t1" -v n="${q_name[i]}" \
			    -v k="${q_kind[i]}" '{
				for (j = 1; j <= 2; j++) {
					split($j, t, /[ms]/)
					cpu += t[1] * 60 + t[2]
				}
				printf "%6.1f s  %6.1f s  %6.1f s  %s%s\n", b - a, cpu, a - s, n,
				       k == "bg" ? " (background)" : ""
			}' >"$res/$i.time"
	) >"$res/$i.out" 2>&1 </dev/null &
	q_pid_of[$!]=$i
}

deps_done() {
	local d
	for d in ${q_deps[$1]}; do
		[ -z "${q_index[$d]:-}" ] || [ "${q_state[${q_index[$d]}]}" = done ] || return 1
	done
}

# CHECK_ONLY=<regex>: only the steps whose names match, and what they need.
# A step also matches by the names of the boots it runs (side_by_side).
step_matches() {
	local n
	for n in "${q_name[$1]}" ${q_also[$1]:-}; do
		[[ $n =~ $CHECK_ONLY ]] && return 0
	done
	return 1
}

select_steps() {
	local i d matched=0
	[ -n "${CHECK_ONLY:-}" ] || return
	for ((i = q_n - 1; i >= 0; i--)); do
		if [ "${q_kind[i]}" != section ] && step_matches "$i"; then
			matched=$((matched + 1))
		fi
		if [ "${q_kind[i]}" = section ] || step_matches "$i" ||
		   [ "${q_state[i]}" = wanted ]; then
			q_state[i]=queued
			for d in ${q_deps[i]}; do
				[ -n "${q_index[$d]:-}" ] && q_state[${q_index[$d]}]=wanted
			done
		else
			q_state[i]=skipped
		fi
	done
	if ((!matched)); then
		echo "check.sh: CHECK_ONLY='$CHECK_ONLY' matches no step" >&2
		failed=$((failed + 1))
		for ((i = 0; i < q_n; i++)); do q_state[i]=skipped; done
	fi
}

# Start what fits, in list order.  Once a ready step does not fit (the
# head), a later one may still start if the head will fit as soon as the
# biggest running step ends: a boot runs beside a build while the next
# build waits for it, but boots cannot keep a bigger step waiting forever.
schedule() {
	local i j head=0 head_alone=0 biggest alone alone_running=0
	for ((i = 0; i < q_n; i++)); do
		[ "${q_kind[i]}" != bg ] && [ "${q_state[i]}" = queued ] && deps_done "$i" ||
			continue
		biggest=0
		for ((j = 0; j < q_n; j++)); do
			[ "${q_state[j]}" = running ] && ((q_cost[j] > biggest)) && biggest=${q_cost[j]}
		done
		alone=$((q_cost[i] >= slots))
		# A boot joins the boots running if it is next in the list
		# and its vCPUs fit; running counts their slots once.
		if ((q_vcpus[i] && boots_running && head == 0 &&
		     vcpus_running + q_vcpus[i] <= vcpu_budget &&
		     running == slots && bg_running == 0)); then
			start_step "$i"
			alone_running=1
		elif ((q_vcpus[i] && boots_running)); then
			((head == 0)) && head=${q_cost[i]} head_alone=$alone
		elif ((running + q_cost[i] <= slots && (!alone || bg_running == 0) &&
		     (head == 0 || running + q_cost[i] + head - biggest <= slots))); then
			start_step "$i"
			((alone)) && alone_running=1
		elif ((head == 0)); then
			head=${q_cost[i]}
			head_alone=$alone
		fi
	done
	# Background steps, unless a step that must run alone runs, or is next
	# and only waits for them.
	for ((j = 0; j < q_n; j++)); do
		[ "${q_state[j]}" = running ] && [ "${q_kind[j]}" = fg ] &&
			((q_cost[j] >= slots)) && alone_running=1
	done
	((alone_running || (head_alone && running == 0))) && return
	for ((i = 0; i < q_n && bg_running < bg_slots; i++)); do
		[ "${q_kind[i]}" = bg ] && [ "${q_state[i]}" = queued ] && deps_done "$i" &&
			start_step "$i"
	done
}

# Print, in list order, every finished step not printed yet.
print_done() {
	while ((printed < q_n)); do
		case ${q_state[printed]} in
		done) cat "$res/$printed.out" ;;
		skipped) ;;
		*) return ;;
		esac
		printed=$((printed + 1))
	done
}

# finish: wait for every step, then the totals.
finish() {
	local pid i p f line
	select_steps
	while :; do
		schedule
		print_done
		((printed < q_n)) || break
		if ((running == 0 && bg_running == 0)); then
			echo "check.sh: steps left that cannot start" >&2
			failed=$((failed + 1))
			break
		fi
		wait -n -p pid
		i=${q_pid_of[$pid]:-}
		[ -n "$i" ] || continue
		q_state[i]=done
		((q_vcpus[i] == 0 || --boots_running == 0)) && running=$((running - q_cost[i]))
		vcpus_running=$((vcpus_running - q_vcpus[i]))
		[ "${q_kind[i]}" = bg ] && bg_running=$((bg_running - 1))
	done
	for ((i = 0; i < q_n; i++)); do
		[ "${q_state[i]}" = done ] || continue
		if ! { read -r p f && while read -r line; do failures+=("$line"); done; } \
			<"$res/$i.counts" 2>/dev/null; then
			p=0 f=1
			failures+=("${q_name[i]}")
		fi
		passed=$((passed + p))
		failed=$((failed + f))
	done
	{
		echo "  wall       CPU        start     step"
		sort -rn "$res"/*.time 2>/dev/null
	} >"$logs/times.txt"
}

# Ctrl-C or a kill: end every step still running, with its children.
kill_tree() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		kill_tree "$c"
	done
	kill "$1" 2>/dev/null
}
abort() {
	local pid
	for pid in "${!q_pid_of[@]}"; do
		kill_tree "$pid"
	done
	exit 130
}
trap abort INT TERM

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
section "== builds"
# In order of need: most steps boot gcc, the soak boots allyes.
build gcc defconfig C=1
# The fuzzers' build early: their runs (below) fill the CPUs beside the builds.
run_step --cost 1 fuzz_build fuzz-build
# The kernels make check only boots have no debug information (KCFLAGS=-g0:
# 9% less compile time with gcc, 16% with clang); gcc's defconfig keeps it
# for make gdb and the trees cloned from it.
build allyes allyesconfig C=1 KCFLAGS=-g0
build clang defconfig LLVM=1 KCFLAGS=-g0
build allno allnoconfig KCFLAGS=-g0
# KASAN is booted in both allyesconfig kernels (gcc and clang), with every
# other debugging option; kasan_defconfig (defconfig + KASAN alone) is for
# a developer's quicker build, not built here.
build clang-allyes allyesconfig LLVM=1 KCFLAGS=-g0
# The allocator with one of its first two tiers configured out: defconfig
# but one option, so gcc's objects are reused (about half are rebuilt).
clone_build notier1 gcc slab_notier1_defconfig
clone_build notier2 gcc slab_notier2_defconfig
# Tracing on defconfig's fast paths (trace_defconfig: + CONFIG_TRACEPOINTS and
# CONFIG_FUNCTION_TRACER, no fault injection, which sends the allocators to
# their slow paths): every event fires where most calls go.  The function
# tracer's NOP sites rebuild every object.
clone_build trace gcc trace_defconfig

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
section "== the build system"
# C=1, plain make without .config, make help, make gdb, make clean.
script_step kbuild "$src/scripts/check-kbuild.sh" "$out/gcc" "$out/kbuild"
# A configuration change + make (no clean) gives the new configuration's kernel.
run_step --cost 1 _script_step reconfig "$src/scripts/check-reconfig.sh" "$out/gcc" "$out/reconfig"
# Every README target asks deps.sh for its packages before it needs them.
script_step deps "$src/scripts/check-deps.sh" "$out/deps"
# Every example in README.md and Documentation/ compiles or names what exists.
script_step docs "$src/scripts/check-docs.py" "$src" "$out/gcc" "$out/docs"
# modules.dep and modules.alias (scripts/depmod.py) from the gcc tree's modules.
script_step depmod "$src/scripts/check-depmod.py" "$out/gcc"
# The kunit tool out of linux-source-6.1's tarball, for kunit-parse below.
script_step kunit-unpack "$src/scripts/check-kunit-parse.py" --unpack "$out/kunit"
# make M= builds samples/extmod against the gcc tree; its .ko passes the
# loader's checks, and a boot (QEMU -smp 1, ktest=ktest: a boot, so alone)
# loads it from the boot archive with a parameter.
run_step _script_step extmod "$src/scripts/check-extmod.py" "$src" "$out/gcc" "$out/extmod" --boot
# scripts/blkimage.py: the host's integrity pattern matches the kernel's, and catches corruption.
script_step blkimage python3 "$src/scripts/blkimage.py" selftest
# scripts/bench-table.py: the guest table make bench writes into Documentation/benchmarks.md.
script_step bench-table python3 "$src/scripts/bench-table.py" selftest
# scripts/bench-plot.py: the rows with a Linux figure become an SVG (gnuplot).
script_step bench-plot python3 "$src/scripts/bench-plot.py" selftest
# scripts/bench-shoot.py: the vm_shoot lines become the shootdown table, goal line and SVG.
script_step bench-shoot python3 "$src/scripts/bench-shoot.py" selftest
# scripts/bench-goals.py: issue 20's goals (scripts/bench-goals.txt) against a run's figures.
script_step bench-goals python3 "$src/scripts/bench-goals.py" selftest
# scripts/bench-atomics.py: its walker on a synthetic disassembly, then the
# structure of the gcc vmlinux's fast paths: every function present, every
# walk complete, each loop row's loop in its run function, the kmalloc hit
# rows straight, without atomic RMW or shared-line store.  No figures: make
# bench compares the walks with its own run's guest.log.
script_step bench-atomics-selftest python3 "$src/scripts/bench-atomics.py" selftest
script_step bench-atomics python3 "$src/scripts/bench-atomics.py" --check "$out/gcc/vmlinux"
# Every symbol Documentation/driver-api.rst offers to modules exists.
script_step driver-api "$src/scripts/check-driver-api.py" "$src/Documentation/driver-api.rst" \
	"$out/gcc/vmlinux" "$src"

section "== hosted unit tests (ASan + UBSan; concurrency cases under TSan)"
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
run_step --cost 1 hosted_tests hosted
# The concurrency cases again under ThreadSanitizer (TSAN_CASES).
_hosted_tsan() {
	if make -C "$src" -f tests/hosted/Makefile O="$out/hosted-tsan" -j"$jobs" run-tsan \
		>"$logs/$1.log" 2>&1; then
		ok "$1"
	else
		grep -E "WARNING: ThreadSanitizer|not ok|Expected" "$logs/$1.log" | head -5
		bad "$1" "$logs/$1.log"
	fi
}
run_step --cost 1 _hosted_tsan hosted-tsan

section "== in-kernel tests"
# ktest= filters (kernel/ktest.c) for the boots that exist for one variant
# (a fallback, a CPU feature, a chipset, a kmalloc tier, a machine size):
# the suites the variant can change.  The main boots (-smp 1 and 4, the
# clang, allyesconfig and 10 MiB kernels) run every suite; -smp 8 all but
# three drivers.
# Portable code that no CPU feature or chipset changes, left out of Bochs.
PORTABLE_OUT=-ktest,-line_edit,-shell,-printk,-workqueue,-module,-module_param,-kmod,\
-completion,-mutex,-lib,-bitmap,-bootparse,-stackprotector,-net
# Bochs: nor the ATA driver's cases of queue logic that no chipset changes
# and that wait out timeouts (they run in QEMU's ata boot).
BOCHS_SUITES=$PORTABLE_OUT,-ata.test_ata_internal_exclusive,-ata.test_ata_stale_timeout
# The memory manager, for a machine size or a kmalloc tier.
MM_SUITES=page_alloc,slab,pgtable,vmalloc,tlb,dma
# q35 changes the chipset (ECAM, PCIe, its interrupt routing, its NIC), not
# the memory manager, scheduler or portable code.
Q35_OUT=$PORTABLE_OUT,-page_alloc,-slab,-pgtable,-vmalloc,-tlb,-sched,-softirq
# Bochs first: the longest boot, and one CPU's worth.
if [ "${QUICK:-0}" != 1 ]; then
	ktest_bochs bochs-smp4 "$out/gcc/vmlinux"
	bochs_ata_verify bochs-ata-verify-smp4 bochs-smp4 "$out/gcc/vmlinux"
fi
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
uefi_qemu qemu-uefi-smp2 "$out/gcc/vmlinux" 2
# The gdb helpers (scripts/gdb/) against a live kernel: lx-symbols follows
# insmod, lx-dmesg/lx-ps/lx-buddyinfo print what the shell prints
# (scripts/check-gdb.py, one -smp 2 boot, ~5 s; not timing-sensitive).
run_step --cost 1 _script_step gdb-qemu python3 "$src/scripts/check-gdb.py" \
	"$out/gcc/vmlinux" --log "$logs/gdb-qemu.session.log"
# 10 000 DMA round trips over both devices, a thread each on its own CPU.
# QEMU ends each DMA 100 ms of virtual time after its command (1000 s in
# all); under -icount with sleep=off the virtual clock jumps to the next
# timer when every vCPU halts, which the interrupt-driven driver lets them
# do.  -smp 2: icount runs the vCPUs in turn, and each more one adds ticks.
# TCG only: QEMU refuses -icount with KVM.  The guest's clock counts its
# instructions, not the host's time: a build beside it changes nothing the
# guest sees, so it costs one slot, and comes early to run beside one.
ACCEL=tcg QEMU_DEVICES="-device edu -device edu" QEMU_EXTRA="-icount shift=0,sleep=off" \
	run_step --cost 1 _ktest_suite_qemu qemu-edu-dma10k-icount-smp2 "$out/gcc/vmlinux" 2 \
	edu.test_edu_dma_stress "edu_test_roundtrips=10000"
# hotplug_qmp <name> <vmlinux> [args]: QMP device_add/device_del on q35
# pcie-root-port slots at -smp 4 (pciehp, autoload, ENODEV under a reader, 50
# add/remove cycles without leaks; scripts/check-hotplug.py).
# Its waits are QMP events and serial replies with 30-60 s timeouts, fifty
# times what a cycle takes, and pciehp's delays are guest time: it does not
# need the host to itself, costs one slot and comes early, beside a build.
hotplug_qmp() { run_step --cost 1 _hotplug_qmp "$@"; }
_hotplug_qmp() {
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	if timeout 300 python3 "$src/scripts/check-hotplug.py" "$2" --smp 4 "${@:3}" \
		--log "$logs/$1.serial" >"$logs/$1.log" 2>&1; then
		ok "$1"
	else
		grep -E "FAILED" "$logs/$1.log" | head -10
		bad "$1" "$logs/$1.log"
	fi
}
hotplug_qmp hotplug-qmp-q35-smp4 "$out/gcc/vmlinux"
# The same under KASAN and lockdep (allyesconfig: drivers built in), 8 cycles:
# 4 warm-up, 3 measured after the baseline.
hotplug_qmp hotplug-qmp-allyes-q35-smp4 "$out/allyes/vmlinux" --cycles 8
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

# Module parameters from the command line (the module_param suite).
MODPARAM_CMDLINE="module_param_test.builtin_int=7 module_param_test.builtin_bad=xyz \
module_param_test.builtin_str=boot modtest_param.from_cmdline=42"
# virtio_blk's cycles during traffic in full here (50; 10 elsewhere); e1000's
# full run has a boot of its own (qemu-e1000-full-smp2).
ktest_qemu qemu-smp4 "$out/gcc/vmlinux" 4 "$MODPARAM_CMDLINE virtio_blk_test_cycles=50"
# Linux's own KTAP parser (kunit.py parse from linux-source-6.1) on that
# boot's log: no errors, and ktap.py's pass/fail/skip counts.
run_step --background --after qemu-smp4 --after kunit-unpack _script_step kunit-parse \
	"$src/scripts/check-kunit-parse.py" "$logs/qemu-smp4.log" "$out/kunit"
# q35 (ICH9, PCIe): ECAM, extended capabilities, and its NIC, an e1000e
# with PM, PCIe and MSI-X capabilities (the pci and pci_setup suites).  The
# default device list's NICs displace q35's default one: it is added back,
# on a hub of its own.
QEMU_EXTRA="-M q35 -netdev hubport,id=q0,hubid=2 -device e1000e,netdev=q0,romfile=" \
PCI_EXPECT=1234:11e8,1b36:0005,8086:10d3,1af4:1005 \
	ktest_qemu qemu-q35-smp4 "$out/gcc/vmlinux" 4 "virtio_blk_test_cycles=50 ktest=$Q35_OUT"
# Modalias autoload at boot on pc and q35 at -smp 4 (modules=auto): every
# device a boot module claims (virtio-rng, -blk, -net, e1000, edu, the IDE
# controller) is bound with no insmod (kmod.test_autoload_bound_all).
ktest_suite_qemu qemu-autoload-pc-smp4 "$out/gcc/vmlinux" 4 kmod.test_autoload_bound_all \
	"modules=auto"
QEMU_EXTRA="-M q35 -netdev hubport,id=q0,hubid=2 -device e1000e,netdev=q0,romfile=" \
	ktest_suite_qemu qemu-autoload-q35-smp4 "$out/gcc/vmlinux" 4 \
	kmod.test_autoload_bound_all "modules=auto"
# The block integrity test through virtio_blk, on pc and q35 (-smp 4).
blk_integrity_qemu blk-integrity-virtio-pc-smp4 "$out/gcc/vmlinux" pc
blk_integrity_qemu blk-integrity-virtio-q35-smp4 "$out/gcc/vmlinux" q35
# 8 vCPUs on 2 host cores: the slowest QEMU boot, whose time grows fastest
# when the host is busy (10 min, not 5, before a hang is declared).
# The drivers with a boot of their own (edu) or one queue whatever the
# CPUs (e1000, the RTC) are left out.
TIMEOUT=600 ktest_qemu qemu-smp8 "$out/gcc/vmlinux" 8 "ktest=-edu,-e1000,-rtc_cmos"
# NUMA topology from QEMU's SRAT/SLIT at -smp 8 (the numa suite) and
# node-local page and slab allocation (numa_alloc): 2 nodes with the
# default distances, and 4 nodes with a SLIT, a memoryless node (2) and a
# CPU-less one (3).  The 2-node boot also runs page_alloc and slab: with
# more than one node every free takes the path that checks its node.  numa_test_expect= is what the -numa
# options say: each CPU's node / each node's MiB / the distance matrix.
numa_ram() {	# numa_ram <node>...: a 256 MiB backend per named node
	local n
	for n in "$@"; do printf -- "-object memory-backend-ram,id=m%s,size=256M " "$n"; done
}
MEM=512M QEMU_EXTRA="$(numa_ram 0 1) -numa node,nodeid=0,cpus=0-3,memdev=m0 \
	-numa node,nodeid=1,cpus=4-7,memdev=m1" ktest_suite_qemu qemu-numa2-smp8 \
	"$out/gcc/vmlinux" 8 numa,numa_alloc,numa_place,page_alloc,slab,slab_remote \
	"numa_test_expect=0,0,0,0,1,1,1,1/256,256/10,20,20,10"
# The 4-node layout (also booted under KASAN by the NUMA soak, below).
NUMA4_QEMU="$(numa_ram 0 1 3) -numa node,nodeid=0,cpus=0-2,memdev=m0 \
	-numa node,nodeid=1,cpus=3-5,memdev=m1 -numa node,nodeid=2,cpus=6-7 \
	-numa node,nodeid=3,memdev=m3 -numa dist,src=0,dst=1,val=15 \
	-numa dist,src=0,dst=2,val=20 -numa dist,src=0,dst=3,val=30 -numa dist,src=1,dst=2,val=25 \
	-numa dist,src=1,dst=3,val=20 -numa dist,src=2,dst=3,val=15"
NUMA4_EXPECT="numa_test_expect=0,0,0,1,1,1,2,2/256,256,0,256/10,15,20,30,15,10,25,20,20,25,10,15,30,20,15,10"
MEM=768M QEMU_EXTRA="$NUMA4_QEMU" \
	ktest_suite_qemu qemu-numa4-slit-smp8 "$out/gcc/vmlinux" 8 numa,numa_alloc,numa_place,slab_remote \
		"$NUMA4_EXPECT"
# All RAM on node 1, all CPUs on memoryless node 0: the page allocator
# keeps one node (1), which every per-node sum must count once.
MEM=256M QEMU_EXTRA="$(numa_ram 1) -numa node,nodeid=0,cpus=0-7 -numa node,nodeid=1,memdev=m1" \
	ktest_suite_qemu qemu-numa-ram1-smp8 "$out/gcc/vmlinux" 8 numa_alloc,numa_place ""
# -smp 64, the NR_CPUS default: the suites in SMP64_SUITES (smp, page_alloc:
# cross-calls, ticks, preemption and page caches on every CPU), and all 64
# CPUs online (the smp suite accepts NR_CPUS of them from a kernel built for
# fewer).  SMP64_SUITES=all runs every ktest, which on 2 busy host cores
# takes well over 50 min: each TLB shootdown waits for all 64 vCPUs.
rm -f "$logs"/qemu-smp64*.log
for s in ${SMP64_SUITES:-smp page_alloc}; do
	if [ "$s" = all ]; then
		TIMEOUT=7200 ktest_qemu qemu-smp64 "$out/gcc/vmlinux" 64
	else
		ktest_suite_qemu "qemu-smp64-$s" "$out/gcc/vmlinux" 64 "$s" ""
	fi
done
_smp64_online() {
	if cat "$logs"/qemu-smp64*.log 2>/dev/null | grep -q "test_cpus_online: 64 CPUs online"; then
		ok "$1"
	else
		bad "$1" "$(cat "$logs"/qemu-smp64*.log 2>/dev/null |
			    grep -o "test_cpus_online: .*" | head -1)"
	fi
}
smp64_after=()
for s in ${SMP64_SUITES:-smp page_alloc}; do
	if [ "$s" = all ]; then smp64_after+=(--after qemu-smp64); else smp64_after+=(--after "qemu-smp64-$s"); fi
done
run_step --cost 0 "${smp64_after[@]}" _smp64_online "qemu-smp64: 64 CPUs online"
# Tiny machines: 10 MiB with 4 CPUs, every ktest passes or is skipped for lack
# of RAM (KTEST_CASE_RAM).  A CPU left out for want of a per-CPU area (APIC
# ID 2, as on a machine too small for it): every statistics walker, and the
# smp suite accounting for it.
# No virtio-blk disk and no NIC there (-nic none: pc's default e1000 too):
# virtio_blk's tag set does not fit in what the allocator manages (probe
# fails, -ENOMEM), and a NIC's rings take what the tests need.  At 8 MiB
# the boot modules (edu.ko) no longer fit beside the kernel.
MEM=10M KTEST_MIN_PASSED=160 QEMU_DEVICES="-device edu -device pci-testdev,membar=2M -device virtio-rng-pci -nic none" \
	ktest_qemu qemu-10m-smp4 "$out/gcc/vmlinux" 4
# 7 MiB: APs really get no per-CPU area, or no stack or idle thread (CPU
# state no-mem).  At 6 MiB the kernel no longer finds room for its own
# page tables (a panic, as it must be with so little).
stats_boot_qemu boot-7m-smp4-stats "$out/gcc/vmlinux" 4 7M
stats_boot_qemu boot-nomem-cpu-smp4-stats "$out/gcc/vmlinux" 4 128M "smp_test_nomem_apic=2"
ktest_suite_qemu qemu-nomem-cpu-smp4 "$out/gcc/vmlinux" 4 smp "smp_test_nomem_apic=2"
# The edu driver (drivers/misc/edu_test.c) on two devices, pc and q35: MSI
# and INTx, interrupt counts, affinity moves and 100 rmmod/insmod cycles
# during traffic (edu_test_full; the ktest=all boots run 10).
QEMU_DEVICES="-device edu -device edu" \
	ktest_suite_qemu qemu-edu-smp4 "$out/gcc/vmlinux" 4 edu "edu_test_full"
QEMU_DEVICES="-device edu -device edu" QEMU_EXTRA="-M q35" \
	ktest_suite_qemu qemu-edu-q35-smp4 "$out/gcc/vmlinux" 4 edu "edu_test_full"
# The network layer's frame test at the issue's size: 100 000 frames of
# 60-1514 bytes over a 4-queue veth pair, a sender per queue on its own
# CPU, every byte and the order checked (net_test_full; the ktest=all
# boots send 2000 each way).
ktest_suite_qemu qemu-net-full-smp4 "$out/gcc/vmlinux" 4 net "net_test_full"
# virtio_net (drivers/net/virtio_net_test.c) at the issue's size, on the
# two virtio-net NICs of QEMU's hub: 100 000 frames (50 000 each way) on
# q35, and 50 rmmod/modprobe cycles during traffic on q35 and pc (the
# ktest=all boots send 500 frames each way and run 10 cycles).
QEMU_EXTRA="-M q35" ktest_suite_qemu qemu-vnet-full-q35-smp4 "$out/gcc/vmlinux" 4 virtio_net \
	"virtio_net_test_frames=50000 virtio_net_test_cycles=50"
ktest_suite_qemu qemu-vnet-cycles-smp4 "$out/gcc/vmlinux" 4 \
	virtio_net.test_virtio_net_rmmod_during_traffic "virtio_net_test_cycles=50"
# The ATA driver (drivers/ata/ata_test.c) on QEMU pc's PIIX3 IDE with two
# disks on the primary channel: integrity by DMA and by PIO from 4 CPUs,
# LBA48, bad requests, a device error and a timeout, rmmod/modprobe.
_ktest_ata_qemu() {
	local disks
	. "$src/scripts/qemu-common.sh"
	disks=$(qemu_ide_disks "$out/$1") || { bad "$1" "no disk images"; return; }
	QEMU_DEVICES="$QEMU_DEVICES $disks" _ktest_suite_qemu "$@"
	rm -f "$out/$1"/ide*.img
}
run_step --vcpus 4 _ktest_ata_qemu qemu-ata-smp4 "$out/gcc/vmlinux" 4 ata ""
# Variant boots (a fallback, a CPU feature, a kmalloc tier) run with
# ktest_quick: without the long SMP stress cases (KTEST_F_SLOW), which the
# main boots run and which do not depend on the variant.
# Fallbacks: no ACPI means one CPU (after qemu-smp1, below); an AP that
# never answers is skipped (CPU 3), one that starts after its time-out
# (CPU 2) stands down instead of taking the next CPU's stack, and so does
# one whose local APIC is not the MADT's (CPU 1), at once.
# The per-CPU walkers (cross-calls, shootdowns, page and slab caches,
# workqueues, timers, softirqs, interrupt affinity and MSI vectors) must
# skip the CPU that never came up.
ktest_qemu qemu-silent-ap-smp6 "$out/gcc/vmlinux" 6 "smp_test_silent_cpu=3 smp_test_late_cpu=2 \
smp_test_wrong_apic_cpu=1 smp_callin_timeout_ms=2000 ktest_quick \
ktest=x86_core,smp,sched,tlb,page_alloc,slab,vmalloc,workqueue,timer,softirq,irq,pci_msi" 3
crash_qemu crash-oops-smp4 "$out/gcc/vmlinux" 4
# allyesconfig turns the debug options on (page poisoning, spinlock debugging,
# lockdep, UBSAN with UBSAN_PANIC, fault injection, stack protector), and
# the function tracer, whose ftrace suite runs here and in the clang one.
# Every suite under KASAN: no report outside the kasan suite's own (and no
# lockdep report outside the ktests' own lock classes).
ktest_kasan qemu-allyes-smp2 "$out/allyes/vmlinux" 2
# The e1000 suite in full: 100 000 frames (50 000 each way) across the pair
# and 50 rmmod/modprobe cycles during traffic (the other boots: 2000, 5).
# Mostly waits for QEMU's link-up after each open: at -smp 2 it shares the
# host with another small boot instead of holding up the -smp 4 one.
ktest_suite_qemu qemu-e1000-full-smp2 "$out/gcc/vmlinux" 2 e1000 "e1000_test_full"
# The clang allyesconfig kernel at -smp 1, beside the gcc kernel at -smp 1
# and then without ACPI (one CPU runs, the APs are never started): one
# busy vCPU each side.
# _smp1_then_acpi_off <name> <vmlinux> <name without ACPI>
_smp1_then_acpi_off() {
	_ktest_qemu "$1" "$2" 1
	_ktest_qemu "$3" "$2" 4 "acpi=off ktest_quick" 1
}
side_by_side qemu-clang-allyes-smp1,smp1,acpi-off \
	_ktest_kasan qemu-clang-allyes-smp1 "$out/clang-allyes/vmlinux" 1 -- \
	_smp1_then_acpi_off qemu-smp1 "$out/gcc/vmlinux" qemu-acpi-off-smp4
q_also[q_n - 1]+=" qemu-acpi-off-smp4"
# A CPU without a PAT: ioremap_wc() must fall back to UC- (TCG only; KVM uses -cpu host).
QEMU_CPU=max,-pat ktest_qemu qemu-nopat-smp2 "$out/gcc/vmlinux" 2 \
	"ktest_quick ktest=x86_cpu,ioremap,pgtable,dma,smp.test_cpus_online"
# The tracing suites on trace_defconfig, the allocators' fast paths live,
# with one case per event (the mm and sched events' in the trace suite,
# the others' in their subsystem's), and the function tracer at -smp 4.
TRACE_EVENT_CASES=irq.test_irq_trace_events,module.test_module_trace_events
TRACE_EVENT_CASES+=,net_core.test_net_trace_events,block.test_block_trace_events
ktest_suite_qemu qemu-trace-smp4 "$out/trace/vmlinux" 4 \
	"trace,ftrace,ring_buffer,jump_label,$TRACE_EVENT_CASES"
# kmalloc without its thread tier, and without its per-CPU tier.
ktest_qemu qemu-notier1-smp2 "$out/notier1/vmlinux" 2 "ktest_quick ktest=$MM_SUITES,module,block,net"
ktest_qemu qemu-notier2-smp2 "$out/notier2/vmlinux" 2 "ktest_quick ktest=$MM_SUITES,module,block,net"
# The clang kernel also drives its tick in one-shot mode, loads only the
# boot modules a device's modalias asks for (the kmod suite: edu.ko), and
# keeps ticket spinlocks under QEMU (nopvspin, Documentation/locking.rst).
# All suites but the drivers with boots of their own (edu, e1000's full run).
ktest_qemu qemu-clang-smp2 "$out/clang/vmlinux" 2 \
	"apic_timer=oneshot modules=auto nopvspin $MODPARAM_CMDLINE ktest=-edu,-e1000"
# A machine bigger than one buddy block's worth of class map (Documentation/mm/slab.rst).
# The memory-manager suites but five long cases whose size is set by the
# RAM and which test nothing a small machine does not (SMP stress,
# page tables with all of RAM taken, twice; a random sequence of
# allocations; every free page taken to drain the large-block caches,
# twice, which would make the host back all 64 GiB).
ktest_bigmem qemu-64g-smp2 "$out/gcc/vmlinux" 2 64G \
	"ktest=$MM_SUITES,-page_alloc.test_smp_stress,-pgtable.test_enomem,-page_alloc.test_random_sequence,-slab.test_large_cache_remote_drain,-slab.test_large_cache_page_pressure"
# The edu suite in a 6 GiB guest: buffers above 4 GiB, beyond edu's 28-bit
# DMA mask, are bounced.
QEMU_DEVICES="-device edu -device edu" MEM=6G \
	QEMU_EXTRA="-object memory-backend-file,id=m0,size=6G,mem-path=/dev/shm,share=on,reserve=off -machine memory-backend=m0" \
	ktest_suite_qemu qemu-edu-6g-smp2 "$out/gcc/vmlinux" 2 edu ""
# PCI INTx routing behind a PCI-PCI bridge: the swizzled pin falls back to
# the PIIX's wiring, and edu's interrupt must arrive on the line it names.
QEMU_DEVICES="-device edu -device pci-bridge,id=br0,chassis_nr=1 -device edu,bus=br0,addr=3" \
	ktest_suite_qemu qemu-pci-intx-bridge-smp2 "$out/gcc/vmlinux" 2 pci_intx ""
# Command lines of 2047, 3000 and 10 000 characters (Documentation/boot.rst).
for len in 2047 3000 10000; do cmdline_qemu "qemu-cmdline-$len" "$out/gcc/vmlinux" "$len"; done
boot_qemu boot-allnoconfig "$out/allno/vmlinux" 1
# The shell as `make run` shows it, on a terminal: bad parameters and
# arguments, line editing, history, a 5000-character line, exit and
# poweroff ending with status 0 (scripts/check-shell.py, two boots, ~3 s).
# The first boot also takes samples/extmod, built after it boots, through
# make load's socket (broken frames NAKed), then insmod/rmmod.
shell_qemu() { run_step --vcpus 2 _shell_qemu "$@"; }
_shell_qemu() {
	[ -f "$2" ] || { bad "$1" "no kernel"; return; }
	python3 "$src/scripts/check-shell.py" "$2" --name "$1" --log "$logs/$1.log" "${@:3}" \
		>"$logs/$1.ktap" 2>&1
	add_counts "$1" "$logs/$1.ktap"
}
shell_qemu shell-qemu-smp2 "$out/gcc/vmlinux"
# Its tracing steps (`trace`, the function tracer) on the allyesconfig
# kernel, which has the tracer (defconfig has not): one boot, ~8 s.
shell_qemu shell-trace-allyes-smp2 "$out/allyes/vmlinux" --trace-only
# A TLB shootdown from an interrupt handler stops the kernel (mm/tlb.c).
panic_qemu crash-shootdown-irq-smp2 "$out/gcc/vmlinux" 2 shootdown_irq "TLB shootdown from an interrupt"
crash_module_qemu crash-module-oops "$out/gcc/vmlinux"

section "== SMP soak (short)"
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
stress_step stress-qemu-allyes-smp4 qemu "$out/allyes/vmlinux" "${STRESS_SECONDS:-12}"
if [ "${QUICK:-0}" != 1 ]; then
	stress_step stress-bochs-allyes-smp4 bochs "$out/allyes/vmlinux" "${BOCHS_STRESS:-200ms}"
fi
# Injected allocation failures during the soak: survived, counted, no leak.
stress_step stress-qemu-allyes-smp4-faults qemu "$out/allyes/vmlinux" \
	"${FAULT_STRESS_SECONDS:-10}" faults
# The NUMA soak under KASAN: the allyesconfig kernel on the 4-node layout
# of qemu-numa4-slit-smp8 (a SLIT, memoryless node 2 with CPUs 6-7,
# CPU-less node 3), 8 CPUs.  First the numa, numa_alloc and slab_remote
# suites (alloc_pages_node() and kmalloc_node() on every node, remote
# frees and their per-CPU batches, fallback by distance), then every
# stress worker for NUMA_STRESS_SECONDS (6) s: the frames and slab
# workers hand one free in 8 (16) to the next CPU, across the node
# boundaries 2|3, 5|6 and 7|0, and memoryless node 2 allocates from
# node 1.  Any KASAN report fails it (no kasan suite here to
# provoke one), as do lockdep reports outside the ktests' lock classes.
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
numa_kasan_soak stress-numa4-kasan-smp8 "$out/allyes/vmlinux"

section "== fuzzers (hosted, libFuzzer + ASan + UBSan, ${FUZZ_SECONDS:-6} s each)"
for t in page_alloc memblock multiboot2 pvh cmdline slab slab_debug pgtable madt module mpparse \
	virtqueue; do
	run_step --background --after fuzz-build fuzz_run "fuzz-$t"
done
run_step --background --after fuzz-build fuzz_run fuzz-srat
section "== page tables from outside"
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
pgtable_oracle pgtable-oracle "$out/gcc/vmlinux"
stack_overflow stack-overflow-oops "$out/gcc/vmlinux"

finish
echo
if ((${#failures[@]})); then
	echo "failed: ${failures[*]} (logs in $logs)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

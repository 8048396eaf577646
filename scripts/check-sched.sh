# SPDX-License-Identifier: GPL-2.0
# check-sched.sh: sourced by scripts/check.sh (make check), which sets src,
# out, logs, jobs and the reporting functions (note, ok, bad, add_counts)
# first: the step queue and its scheduler.

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

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh <fuzzer> <seed corpus> <work corpus> <seconds>: run one libFuzzer
# target for a fixed time on a copy of the in-tree seeds (the tree is never
# written), and print one line:
#   fuzz <name>: <execs> execs in <seconds> s, corpus <n> inputs: ok
# or the crash and its reproducer path (exit status 1).
set -u
bin=$1 seeds=$2 work=$3 secs=$4
name=$(basename "$bin" | sed 's/^fuzz_//')
mkdir -p "$work"
cp -n "$seeds"/* "$work"/ 2>/dev/null
log=$work.log
ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work-" "$work" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
ninputs=$(ls "$work" | wc -l)
if [ "$rc" -ne 0 ]; then
	grep -E "ERROR|SUMMARY|runtime error|Test unit written|ASSERT|assert" "$log" | head -20
	echo "fuzz $name: FAILED after ${execs:-?} execs (exit $rc, log $log)"
	exit 1
fi
echo "fuzz $name: ${execs:-0} execs in $secs s, corpus $ninputs inputs: ok"

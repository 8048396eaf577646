#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Linux 6.1 anchors of the interrupt and workqueue benchmarks: runs the
# shared Linux anchor harness (../shared/anchors/linux: install.sh, run.sh,
# init.sh) from a writable copy, with irqwq_bench.c in place of its bench.c
# and QEMU's edu device added to the guest.  Nothing in the harness changes.
#
#   tools/anchors/linux/run.sh                      RUNS=2 SMP=1 ACCEL=icount
#   SMP=2 ACCEL=tcg RUNS=3 tools/anchors/linux/run.sh   the remote workqueue row
#
# Every variable of the harness's run.sh passes through (RUNS, SMP, ACCEL,
# BATCHES, OPS, WARMUP, TIMEOUT, CPU, CMDLINE_EXTRA).  Others:
#   ANCHOR_HARNESS  the harness (default: ../shared/anchors/linux next to
#                   the tree, or next to the main tree of this worktree)
#   ANCHOR_BUILD    the copy (default: build/linux-anchor-irqwq in the tree)
# Tables and serial logs land in $ANCHOR_BUILD/results/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../../.." && pwd)

build=${ANCHOR_BUILD:-$tree/build/linux-anchor-irqwq}
. "$here/harness.sh"
anchor_harness_copy run.sh "$build" blk
cp "$here/irqwq_bench.c" "$build/bench.c"

# The harness's QEMU line is fixed; a wrapper first in PATH adds the device.
real_qemu=$(command -v qemu-system-x86_64) || {
	echo "run.sh: qemu-system-x86_64 missing: the harness's install.sh installs it" >&2
	exit 1
}
mkdir -p "$build/shim"
printf '#!/bin/sh\nexec %q "$@" -device edu\n' "$real_qemu" >"$build/shim/qemu-system-x86_64"
chmod 755 "$build/shim/qemu-system-x86_64"

cd "$build"
./install.sh >&2
export RUNS=${RUNS:-2} SMP=${SMP:-1} ACCEL=${ACCEL:-icount}
PATH=$build/shim:$PATH exec ./run.sh

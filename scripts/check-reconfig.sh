#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-reconfig.sh <defconfig build dir> <work dir> [make args...]
#
# A configuration change followed by a plain "make" (no clean) must give the
# kernel of the new configuration (Documentation/build.rst).  On a copy of a
# finished defconfig build (scripts/clone-build.sh, so only what changes is
# recompiled), through the Kconfig tools as a user would:
#
#   1. setconfig SLAB_EMPTY_KEEP=5 (an int, read through mm/slab.h),
#      SLAB_TIER_THREAD_XFER=0 (another, its lower bound: no transfer
#      cache, which must still build warning free), HUGEPAGES_1G=n (a bool
#      whose code goes away), PCI_EDU=y (a tristate m -> y); make; boot:
#      slabinfo says 5 empty slabs are kept, 1 GiB pages are not used,
#      edu is built in (no edu.ko, not in lsmod) and bound;
#   2. make defconfig; make; boot: 2 empty slabs kept, 1 GiB pages used,
#      edu a module again (y -> m).
#
# The options are ones few files read, so the two rebuilds stay small; the
# notier1/notier2 builds of make check are the same kind of test (a copy
# of the defconfig build, a configuration with a kmalloc tier compiled
# out, make, boot) for options most files read.
#
# Each build must recompile something and less than a full build.  One line
# per check; the exit status is the number of failed checks.
set -u
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL
src=$(cd "$(dirname "$0")/.." && pwd)
from=$1 dir=$2
shift 2
check_tag=reconfig
. "$src/scripts/check-common.sh"

"$src/scripts/clone-build.sh" "$from" "$dir" || exit 1
# Objects compiled from a source (not the ld -r ones): a full rebuild.
total=$(find "$dir" -name '.*.o.cmd' -exec grep -l -- ' -c -o ' {} + | wc -l)

# make_step [make args]: make, logged; compiled: the files it compiled.
defconfig_step() { make -C "$src" O="$dir" defconfig >"$dir/$step.config" 2>&1; }
make_step() {
	make -C "$src" O="$dir" "$@" -j"${JOBS:-$(nproc)}" >"$dir/$step.log" 2>&1
}
compiled() { grep -c '^  CC ' "$dir/$step.log"; }

# boot <name>: the stats of a non-interactive make run (shell=0).
boot() {
	SMP=2 TIMEOUT=120 "$src/scripts/run-qemu.sh" "$dir/vmlinux" >"$dir/$step.serial" 2>&1
	local rc=$?
	tr -d '\r' <"$dir/$step.serial" >"$dir/$step.boot"
	return $rc
}
empty_kept() { sed -n 's/.*; empty slabs kept: \([0-9]*\)$/\1/p' "$dir/$step.boot" | tail -n 1; }
has() { grep -qE "$1" "$dir/$step.boot"; }
hasnt() { ! grep -qE "$1" "$dir/$step.boot"; }
in_order() { grep -q "misc/edu.ko" "$dir/modules.order"; }

step=changed
(cd "$src" && KCONFIG_CONFIG="$dir/.config" /usr/bin/python3 -m setconfig --kconfig Kconfig \
	SLAB_EMPTY_KEEP=5 SLAB_TIER_THREAD_XFER=0 HUGEPAGES_1G=n PCI_EDU=y) >"$dir/$step.setconfig" 2>&1
check "setconfig" grep -q '^CONFIG_PCI_EDU=y' "$dir/.config"
check "$step: make" make_step "$@"
n=$(compiled)
check "$step: $n of $total objects recompiled" test "$n" -gt 0 -a "$n" -lt "$total"
check "$step: mm/slab.o recompiled (mm/slab.h uses SLAB_EMPTY_KEEP)" grep -q '  CC      mm/slab.o' "$dir/$step.log"
check "$step: mm/slab_xfer.o recompiled (SLAB_TIER_THREAD_XFER=0)" grep -q '  CC      mm/slab_xfer.o' "$dir/$step.log"
check "$step: boot" boot
check "$step: 5 empty slabs kept (SLAB_EMPTY_KEEP=5)" test "$(empty_kept)" = 5
check "$step: 1 GiB pages not used" has "1 GiB pages not available"
check "$step: edu built in (no edu.ko)" eval '! in_order'
check "$step: edu bound, not a module" eval 'has "driver edu" && hasnt "^\[[ 0-9.]*\] edu +[0-9]+ "'

step=defconfig
check "$step: make defconfig" defconfig_step
check "$step: make" make_step "$@"
n=$(compiled)
check "$step: $n of $total objects recompiled" test "$n" -gt 0 -a "$n" -lt "$total"
check "$step: boot" boot
check "$step: 2 empty slabs kept" test "$(empty_kept)" = 2
check "$step: mm/slab.o recompiled" grep -q '  CC      mm/slab.o' "$dir/$step.log"
check "$step: 1 GiB pages used" has "1 GiB pages used"
check "$step: edu.ko in modules.order" in_order
check "$step: edu loaded as a module" has "module: edu: loaded"
exit $fails

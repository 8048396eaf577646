#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-kbuild.sh <defconfig build dir> <work dir>: the make targets a new
# user meets first, on a copy of a finished defconfig build
# (scripts/clone-build.sh), so each check costs a second or two:
#
#   C=1      sparse runs on a recompiled file and says so ("  CHECK   f.c")
#   config   plain make without a configuration says what to run, and only that
#   help     make help lists every target the README shows, and nothing else
#   gdb      make gdb stops at start_kernel (vmlinux given to gdb once), the
#            serial log lands in the build directory, not the source tree
#   clean    make clean empties the build directory's own objects but no
#            O= tree inside it (make check's build/ trees)
#
# One line per check; the exit status is the number of failed checks.
set -u
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL
src=$(cd "$(dirname "$0")/.." && pwd)
from=$1 dir=$2
check_tag=kbuild
. "$src/scripts/check-common.sh"
"$src/scripts/clone-build.sh" "$from" "$dir" || exit 1
mk() { make -C "$src" O="$dir" "$@"; }

# C=1: sparse before the compiler, with its own line.
c1() {
	rm -f "$dir/lib/string.o"
	mk C=1 >"$dir/c1.log" 2>&1 &&
		grep -A1 '^  CHECK   lib/string.c$' "$dir/c1.log" | grep -q '^  CC      lib/string.o$'
}
check "C=1 prints CHECK lib/string.c before compiling it" c1

# Plain make with no configuration: the hint, and no make error after it.
noconfig() {
	rm -rf "$dir/empty"
	! make -C "$src" O="$dir/empty" >"$dir/noconfig.log" 2>&1 &&
		grep -q "run 'make O=$dir/empty defconfig'" "$dir/noconfig.log" &&
		! grep -q "No rule to make target" "$dir/noconfig.log"
}
check "plain make without .config: one hint, no 'No rule'" noconfig

# make help: every "make <target>" of the README's command blocks, no junk.
help_lists() {
	local t missing=""
	mk help >"$dir/help.txt" 2>&1 || return 1
	for t in $(sed -n '/^```sh/,/^```/p' "$src/README.md" | grep -oE '^make [a-z|-]+( \| [a-z-]+)*' |
		   sed 's/^make //' | tr '|' ' '); do
		grep -qE "^  $t( |$)|^  .* $t( |$)" "$dir/help.txt" || missing="$missing $t"
	done
	[ -z "$missing" ] || echo "  kbuild: make help does not list:$missing"
	[ -z "$missing" ] && ! grep -qE '^[A-Z_]+ = ' "$dir/help.txt"
}
check "make help lists the README's targets" help_lists

# make gdb: one vmlinux for gdb, start_kernel reached, the log in the build dir.
gdb_run() {
	local mark=$dir/gdb.mark
	touch "$mark"
	rm -f "$dir/serial-gdb.log"
	timeout 120 make -C "$src" O="$dir" gdb GDB_PORT=$((20000 + $$ % 20000)) \
		GDB_ARGS="-batch -ex continue" </dev/null >"$dir/gdb.log" 2>&1 &&
		grep -q "hit Breakpoint 1, start_kernel" "$dir/gdb.log" &&
		! grep -q "not a core dump" "$dir/gdb.log" &&
		[ -f "$dir/serial-gdb.log" ] &&
		[ -z "$(find "$src" -maxdepth 1 -name serial-gdb.log -newer "$mark")" ]
}
check "make gdb reaches start_kernel, log in the build dir" gdb_run

# make clean: the build directory's objects go, an O= tree inside it stays.
clean() {
	mkdir -p "$dir/build/check/gcc/kernel"
	touch "$dir/build/check/gcc/kernel/main.o" "$dir/build/check/gcc/vmlinux"
	mk clean >"$dir/clean.log" 2>&1 &&
		[ ! -e "$dir/vmlinux" ] && [ ! -e "$dir/kernel/main.o" ] &&
		[ -z "$(find "$dir" -path "$dir/build" -prune -o -name '*.o' -print)" ] &&
		[ -e "$dir/build/check/gcc/kernel/main.o" ] && [ -e "$dir/build/check/gcc/vmlinux" ]
}
check "make clean leaves O= trees inside alone" clean

exit $fails

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# deps.sh <what>: make sure the Debian packages needed for <what> are there.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and fails.
#   what: build | run | bochs | check | bench | fuzz
set -e
what=${1:-check}
need_cmd() { command -v "$1" >/dev/null 2>&1; }

pkgs=""
add() { pkgs="$pkgs $1"; }

# build
need_cmd gcc || add gcc
need_cmd make || add make
need_cmd ld || add binutils
[ -f /usr/lib/python3/dist-packages/kconfiglib.py ] || add python3-kconfiglib
case $what in
run|check|bench|bochs|gdb)
	need_cmd qemu-system-x86_64 || add qemu-system-x86 ;;
esac
case $what in
bochs|check)
	need_cmd bochs || add bochs
	[ -f /usr/share/bochs/BIOS-bochs-latest ] || add bochsbios
	[ -f /usr/share/vgabios/vgabios.bin ] || add vgabios
	[ -f /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_rfb.so ] || \
		[ -n "$(ls /usr/lib/x86_64-linux-gnu/bochs/plugins/ 2>/dev/null | grep -i rfb)" ] || add bochs
	need_cmd grub-mkrescue || add grub-common
	[ -d /usr/lib/grub/i386-pc ] || add grub-pc-bin
	need_cmd xorriso || add xorriso
	need_cmd mformat || add mtools ;;
esac
case $what in
check|fuzz)
	need_cmd sparse || add sparse
	need_cmd clang || add clang
	need_cmd ld.lld || add lld
	# libFuzzer and the sanitizer runtimes (clang alone does not bring them).
	ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		add libclang-rt-14-dev ;;
esac
case $what in
gdb) need_cmd gdb || add gdb ;;
esac

[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" = 0 ] && need_cmd apt-get; then
	echo "  DEPS    installing:$pkgs"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $pkgs >/dev/null 2>&1 || {
		apt-get update -q >/dev/null 2>&1
		apt-get install -y -q $pkgs
	}
else
	echo "Missing Debian packages. Run as root:" >&2
	echo "  apt-get update && apt-get install -y$pkgs" >&2
	exit 1
fi

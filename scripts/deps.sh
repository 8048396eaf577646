#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# deps.sh <what>...: make sure the Debian packages needed for each <what> are
# there, before anything uses them.  As root it installs what is missing with
# apt-get; otherwise it prints the exact command to run and fails.
#   what: config (Kconfig tools) | build (with the console font) | sparse
#         (C=1) | llvm (LLVM=1) | run (QEMU) | uefi (OVMF and the ISO tools:
#         make run UEFI=1) | bochs | iso (hybrid BIOS+UEFI GRUB image,
#         OVMF to boot it) | gdb | hosted |
#         check | bench | fuzz | stress |
#         kunit (Linux's KTAP parser, kunit.py, from linux-source-6.1)
# Kconfig is looked for with the interpreter the Makefile runs it with
# ($PYTHON, default /usr/bin/python3), so what is checked is what is used.
set -e
[ $# -gt 0 ] || set -- check
need_cmd() { command -v "$1" >/dev/null 2>&1; }

pkgs=""
add() {
	case " $pkgs " in
	*" $1 "*) ;;
	*) pkgs="$pkgs $1" ;;
	esac
}

python=${PYTHON:-/usr/bin/python3}
want_config() {
	if ! [ -x "$python" ] && ! need_cmd "$python"; then
		add python3
		add python3-kconfiglib
	elif ! "$python" -c 'import kconfiglib' >/dev/null 2>&1; then
		add python3-kconfiglib
	fi
}
want_toolchain() {
	need_cmd gcc || add gcc
	need_cmd make || add make
	need_cmd ld || add binutils
}
want_build() {
	want_config
	want_toolchain
	want_font
}
want_sparse() { need_cmd sparse || add sparse; }
want_llvm() {
	need_cmd clang || add clang
	need_cmd ld.lld || add lld
	need_cmd llvm-nm || add llvm
}
want_qemu() { need_cmd qemu-system-x86_64 || add qemu-system-x86; }
# UEFI boots (make run UEFI=1, make check): OVMF firmware and the ISO.
want_uefi() {
	[ -f /usr/share/OVMF/OVMF_CODE.fd ] || add ovmf
	want_iso
}
# The framebuffer console's glyphs: a console font, converted at build time
# (FBCON_FONT, as drivers/video/Makefile names it; make exports it when set).
want_font() {
	[ -f "${FBCON_FONT:-/usr/share/consolefonts/Lat15-Fixed16.psf.gz}" ] ||
		add console-setup-linux
}
want_iso() {
	need_cmd grub-mkrescue || add grub-common
	[ -d /usr/lib/grub/i386-pc ] || add grub-pc-bin
	[ -d /usr/lib/grub/x86_64-efi ] || add grub-efi-amd64-bin
	need_cmd xorriso || add xorriso
	need_cmd mformat || add mtools
}
want_bochs() {
	need_cmd bochs || add bochs
	[ -f /usr/share/bochs/BIOS-bochs-latest ] || add bochsbios
	[ -f /usr/share/vgabios/vgabios.bin ] || add vgabios
	[ -f /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_rfb.so ] || \
		[ -n "$(ls /usr/lib/x86_64-linux-gnu/bochs/plugins/ 2>/dev/null | grep -i rfb)" ] ||
		add bochs
	want_iso
}
want_fuzz() {
	want_llvm
	# libFuzzer and the sanitizer runtimes (clang alone does not bring them).
	ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		add libclang-rt-14-dev
}
# make bench: the host allocators the hosted kmalloc is compared with
# (../shared/anchors/host-alloc links one binary against each), objdump
# for scripts/bench-atomics.py, and gnuplot for the plots.
want_bench() {
	need_cmd objdump || add binutils
	[ -e /usr/include/mimalloc.h ] || add libmimalloc-dev
	[ -e /usr/include/jemalloc/jemalloc.h ] || add libjemalloc-dev
	[ -e /usr/include/gperftools/tcmalloc.h ] || add libgoogle-perftools-dev
	need_cmd gnuplot || add gnuplot-nox
	[ -x /usr/bin/time ] || add time		# peak RSS of the big-machine boots
}

# kunit.py parse needs no kernel build: the tarball and python3 (make check
# unpacks tools/testing/kunit from it, scripts/check-kunit-parse.py).
want_kunit() {
	[ -f /usr/src/linux-source-6.1.tar.xz ] || add linux-source-6.1
	need_cmd xz || add xz-utils
}

# scripts/check-gdb.py (step gdb-qemu) drives gdb against a live kernel.
want_gdb() {
	need_cmd gdb || add gdb
}

for what in "$@"; do
	case $what in
	config) want_config ;;
	build) want_build ;;
	sparse) want_sparse ;;
	llvm) want_llvm ;;
	run) want_build; want_qemu ;;
	uefi) want_uefi ;;
	bochs) want_build; want_bochs ;;
	iso) want_uefi ;;
	gdb) want_build; want_qemu; need_cmd gdb || add gdb; need_cmd ss || add iproute2 ;;
	hosted) want_build ;;	# an ARCH=hosted Kbuild tree: Kconfig too
	bench) want_build; want_qemu; want_bench ;;
	stress) want_build; want_qemu; want_bochs ;;
	fuzz) need_cmd make || add make; want_config; want_fuzz ;;
	kunit) want_kunit ;;
	check) want_build; want_sparse; want_qemu; want_uefi; want_bochs; want_fuzz; want_kunit; want_gdb
		need_cmd gnuplot || add gnuplot-nox ;;	# scripts/bench-plot.py selftest
	*) echo "deps.sh: unknown '$what'" >&2; exit 2 ;;
	esac
done

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

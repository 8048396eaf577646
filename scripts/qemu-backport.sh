#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# qemu-backport.sh <dir> [qemu args...]: run Debian's newer QEMU from
# bookworm-backports (10.0 today) without installing it over the system's
# QEMU 7.2, which every other step uses.  Its TCG emulates x2APIC, so with
# an IOMMU doing interrupt remapping `-machine q35 -smp 256` boots; 7.2's TCG
# stops at 255 CPUs (Documentation/mm/numa.rst, "Big machines").
#
# The first call downloads qemu-system-x86, qemu-system-data and the SeaBIOS
# they want from Debian's archive (apt-get with a private sources list,
# package lists and cache under <dir>, so the machine's apt setup is
# untouched) and unpacks them under <dir>/root.  The libraries it links are
# bookworm's.  The system QEMU's loadable modules are of another build,
# which the newer QEMU refuses with an assertion: as root they are hidden
# by a private mount namespace; otherwise audio (the module it loads on its
# own) is turned off.
set -e
[ -n "$1" ] || { echo "usage: $0 <dir> [qemu args...]" >&2; exit 2; }
dir=$(mkdir -p "$1" && cd "$1" && pwd)
shift
suite=bookworm-backports
root=$dir/root
bin=$root/usr/bin/qemu-system-x86_64
if [ ! -f "$dir/unpacked" ]; then
	rm -rf "$dir/debs" "$root"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
	echo "deb http://deb.debian.org/debian $suite main" >"$dir/sources.list"
	apt="-o Dir::Etc::sourcelist=$dir/sources.list -o Dir::Etc::sourceparts=-
	     -o Dir::State::Lists=$dir/lists -o Dir::Cache=$dir/cache
	     -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	apt-get $apt update >"$dir/apt.log" 2>&1 ||
		{ echo "$0: apt-get update of $suite failed (see $dir/apt.log)" >&2; exit 1; }
	# shellcheck disable=SC2086
	bpo() { apt-cache $apt policy "$1" | sed -n 's/^ *\([^ ]*~bpo[^ ]*\) .*/\1/p' | head -n 1; }
	ver=$(bpo qemu-system-x86)
	[ -n "$ver" ] || { echo "$0: no qemu-system-x86 in $suite" >&2; exit 1; }
	pkgs="qemu-system-x86=$ver qemu-system-data=$ver"
	bios=$(bpo seabios)
	[ -z "$bios" ] || pkgs="$pkgs seabios=$bios"
	# shellcheck disable=SC2086
	(cd "$dir/debs" && apt-get $apt download $pkgs >>"$dir/apt.log" 2>&1) ||
		{ echo "$0: download of $pkgs failed (see $dir/apt.log)" >&2; exit 1; }
	for deb in "$dir"/debs/*.deb; do
		dpkg -x "$deb" "$root"
	done
	"$bin" -audio none --version >/dev/null ||
		{ echo "$0: QEMU $ver does not run here (libraries?)" >&2; exit 1; }
	touch "$dir/unpacked"
fi
share=$root/usr/share
set -- -L "$share/qemu" -L "$share/seabios" "$@"
mods=/usr/lib/x86_64-linux-gnu/qemu
if [ "$(id -u)" = 0 ] && [ -d "$mods" ]; then
	# shellcheck disable=SC2016
	exec unshare -m sh -c 'mount -t tmpfs none "$1" || exit 1; shift; exec "$@"' \
		qemu "$mods" "$bin" "$@"
fi
exec "$bin" -audio none "$@"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# qemu-backport.sh <dir> [qemu args...]: run Debian's newer QEMU from
# bookworm-backports (10.0 today) without installing it over the system's
# QEMU 7.2, which every other step uses.  Its TCG emulates x2APIC, so with
# an IOMMU doing interrupt remapping `-machine q35 -smp 256` boots; 7.2's TCG
# stops at 255 CPUs (Documentation/mm/numa.rst, "Big machines").
#
# The first call downloads qemu-system-x86 and qemu-system-data from
# Debian's archive (apt-get with a private sources list and package lists
# under <dir>, so the machine's apt setup is untouched) and unpacks them
# under <dir>/root.  The libraries it links are bookworm's.  Runs as root:
# the system QEMU's loadable modules (of another build, which the newer
# QEMU refuses with an assertion) are hidden from it by a private mount
# namespace.
set -e
dir=$1
[ -n "$dir" ] || { echo "usage: $0 <dir> [qemu args...]" >&2; exit 2; }
shift
suite=bookworm-backports
bin=$dir/root/usr/bin/qemu-system-x86_64
if [ ! -x "$bin" ]; then
	mkdir -p "$dir/lists/partial" "$dir/debs"
	echo "deb http://deb.debian.org/debian $suite main" >"$dir/sources.list"
	apt="-o Dir::Etc::sourcelist=$dir/sources.list -o Dir::Etc::sourceparts=-
	     -o Dir::State::Lists=$dir/lists -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	apt-get $apt update >"$dir/apt.log" 2>&1 ||
		{ echo "$0: apt-get update of $suite failed (see $dir/apt.log)" >&2; exit 1; }
	# shellcheck disable=SC2086
	ver=$(apt-cache $apt policy qemu-system-x86 | sed -n 's/^ *\([^ ]*bpo[^ ]*\) .*/\1/p' |
		head -n 1)
	[ -n "$ver" ] || { echo "$0: no qemu-system-x86 in $suite" >&2; exit 1; }
	# shellcheck disable=SC2086
	(cd "$dir/debs" && apt-get $apt download "qemu-system-x86=$ver" \
		"qemu-system-data=$ver" >>"$dir/apt.log" 2>&1) ||
		{ echo "$0: download of QEMU $ver failed (see $dir/apt.log)" >&2; exit 1; }
	for deb in "$dir"/debs/*.deb; do
		dpkg -x "$deb" "$dir/root"
	done
	missing=$(ldd "$bin" | sed -n 's/^[[:space:]]*\([^ ]*\) => not found/\1/p')
	[ -z "$missing" ] || { echo "$0: QEMU $ver needs$missing" >&2; exit 1; }
fi
[ "$(id -u)" = 0 ] || { echo "$0: needs root (a mount namespace)" >&2; exit 1; }
share=$dir/root/usr/share
mods=/usr/lib/x86_64-linux-gnu/qemu
# shellcheck disable=SC2016
exec unshare -m sh -c '[ ! -d "$1" ] || mount -t tmpfs none "$1"; shift
	exec "$@"' qemu "$mods" "$bin" -L "$share/qemu" -L "$share/seabios" "$@"

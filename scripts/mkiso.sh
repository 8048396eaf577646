#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkiso.sh <vmlinux> <out.iso> [cmdline] [module.ko ...]: GRUB rescue ISO that
# boots vmlinux with Multiboot2 (Bochs, real machines).
set -e
kernel=$1 out=$2 cmdline=$3
shift 3 || shift $#
root=$(mktemp -d "${TMPDIR:-/tmp}/exo-iso.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/vmlinux"
{
	echo "set timeout=0"
	echo "set default=0"
	echo "menuentry \"Exo-OS\" {"
	echo "    multiboot2 /boot/vmlinux $cmdline"
	for m in "$@"; do
		cp "$m" "$root/boot/"
		echo "    module2 /boot/$(basename "$m") $(basename "$m" .ko)"
	done
	echo "    boot"
	echo "}"
} > "$root/boot/grub/grub.cfg"
grub-mkrescue -o "$out" --install-modules="multiboot2 normal configfile part_msdos iso9660 biosdisk" \
	--locales= --fonts= --themes= "$root" >/dev/null 2>&1
echo "  ISO     $out"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkiso.sh <vmlinux> <out.iso> [cmdline] [module.ko ...]: GRUB rescue ISO that
# boots vmlinux with Multiboot2 (Bochs, QEMU with OVMF, real machines).
# Hybrid: BIOS (El Torito, grub-pc-bin) and UEFI (an EFI system partition
# image, grub-efi-amd64-bin), the same grub.cfg for both.  On UEFI there is
# no VGA text mode: GRUB's GOP driver (all_video) gives the kernel a linear
# framebuffer (Multiboot2 tag 8) for its console; on BIOS the text mode
# stays.
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
	echo "if [ \"\$grub_platform\" = efi ]; then"
	echo "    insmod all_video"
	echo "fi"
	echo "menuentry \"Exo-OS\" {"
	echo "    multiboot2 /boot/vmlinux $cmdline"
	for m in "$@"; do
		cp "$m" "$root/boot/"
		echo "    module2 /boot/$(basename "$m") $(basename "$m" .ko)"
	done
	# The kernel accepts a framebuffer (head.S): BIOS machines stay in text mode.
	echo "    if [ \"\$grub_platform\" = pc ]; then set gfxpayload=text; fi"
	echo "    boot"
	echo "}"
} > "$root/boot/grub/grub.cfg"
# grub-mkrescue's EFI image looks for its ISO with every partition map.
parts="part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos"
parts="$parts part_plan part_sun part_sunpc"
grub-mkrescue -o "$out" --install-modules="multiboot2 normal configfile iso9660 all_video test $parts" \
	--locales= --fonts= --themes= "$root" >/dev/null 2>&1
echo "  ISO     $out"

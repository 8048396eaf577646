# SPDX-License-Identifier: GPL-2.0
# Sourced by the QEMU scripts: pick the accelerator.
# /dev/kvm alone is not enough: on PVM hosts it exists but cannot run this
# kernel; real KVM means the kvm_intel or kvm_amd module is loaded.
qemu_accel() {
	if [ "${ACCEL:-auto}" = kvm ] || { [ "${ACCEL:-auto}" = auto ] &&
		{ [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } &&
		[ -w /dev/kvm ]; }; then
		echo "-accel kvm -cpu host"
	else
		echo "-accel tcg -cpu ${QEMU_CPU:-max}"
	fi
}
QEMU=${QEMU:-qemu-system-x86_64}
# qemu_smp <N>: the -smp value for N vCPUs; one vCPU runs as -smp
# 1,maxcpus=2.  QEMU before 8.1 leaves the guest's memory barriers out of
# the code TCG translates for a machine that can have only one vCPU (no
# CF_PARALLEL; fixed by QEMU commit c914d46d0a64 "tcg: Do not elide memory
# barriers for !CF_PARALLEL in system mode"), so virtio's store-then-load
# against QEMU's device thread can miss a kick or a completion: a virtio
# request then times out.  Multi-threaded TCG, QEMU's default here,
# translates for parallel vCPUs once maxcpus > 1 (-d op_opt shows the mb
# ops).  The second CPU is not present: the MADT lists it disabled and
# the kernel neither starts it nor waits for it (1 of 1 CPUs online).
# Round-robin TCG (-icount, thread=single) never translates for parallel
# vCPUs, so this does not help the -icount boots of scripts/bench.sh.
qemu_smp() {
	if [ "$1" = 1 ]; then echo 1,maxcpus=2; else echo "$1"; fi
}
QEMU_EXIT_DEV="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
# The modules built beside a kernel (modules.cpio, see the top Makefile)
# reach it as the PVH boot module; the edu device exercises the PCI driver,
# pci-testdev (membar=) gives the PCI tests every BAR type: 32-bit
# memory, I/O, and 64-bit prefetchable memory, and virtio-rng-pci is the
# virtio device the virtio_pci suite drives (1af4:1005, transitional),
# and virtio-blk-pci the virtio_blk suite's disk (below).
# qemu_modules <vmlinux>: the -initrd option, if there is an archive.
qemu_modules() {
	archive=$(dirname "$1")/modules.cpio
	[ -s "$archive" ] && echo "-initrd $archive"
}
# qemu_scratch_drive <id> <size>: a -drive of <size> private to one QEMU
# process, for boots that run in parallel: reads of unwritten sectors
# return zeroes (null-co) and writes go to a temporary qcow2 overlay
# (snapshot=on) that QEMU unlinks as soon as it has opened it, so nothing
# is left behind, even after a kill.  snapshot=on ignores flushes (data
# only has to outlive the boot); the integrity test (check.sh, blkcheck)
# uses a real image file instead.  Attach it with -device ...,drive=<id>.
qemu_scratch_drive() {
	echo "-drive driver=null-co,size=$2,read-zeroes=on,snapshot=on,if=none,id=$1"
}
# virtio-blk-pci (1af4:1001) is the disk the virtio_blk suite drives; it
# offers one queue per vCPU (num-queues defaults to -smp's count).
QEMU_VBLK="$(qemu_scratch_drive vblk0 16M) -device virtio-blk-pci,drive=vblk0"
# qemu_ide_disks <dir>: the IDE disks of the ata ktests on QEMU's pc
# (PIIX3 IDE), created empty (sparse) in <dir>: a 64 MiB primary master
# (sda) and a 160 GiB primary slave (sdb, addressed beyond LBA28), beside
# the default empty CD-ROM on the secondary master.  Prints the options.
qemu_ide_disks() {
	mkdir -p "$1" && rm -f "$1/ide0.img" "$1/ide1.img" &&
		truncate -s 64M "$1/ide0.img" && truncate -s 160G "$1/ide1.img" &&
		echo "-drive file=$1/ide0.img,if=ide,index=0,format=raw" \
		     "-drive file=$1/ide1.img,if=ide,index=1,format=raw"
}
# Two e1000 NICs (8086:100e) joined by QEMU's internal hub 1, no host
# network: the e1000 suite sends frames from each to the other.  No NIC
# here carries a boot ROM (romfile=): the BIOS would run iPXE for each.
QEMU_E1000_PAIR="-netdev hubport,id=e0,hubid=1 -device e1000,netdev=e0,romfile= -netdev hubport,id=e1,hubid=1 -device e1000,netdev=e1,romfile="
# Two virtio-net NICs joined by QEMU's internal hub 0 (no host network):
# what one sends the other receives (the virtio_net suite).  The first
# offers VIRTIO_NET_F_MQ (a hub port has one queue pair, so MQ negotiates
# one pair through the control queue), the second does not.  A -netdev
# option drops QEMU's default NIC (q35's e1000e).
QEMU_NET_DEVICES="-netdev hubport,id=vn0,hubid=0 -device virtio-net-pci,netdev=vn0,mq=on,romfile= \
-netdev hubport,id=vn1,hubid=0 -device virtio-net-pci,netdev=vn1,romfile="
QEMU_DEVICES=${QEMU_DEVICES:--device edu -device pci-testdev,membar=2M -device virtio-rng-pci $QEMU_VBLK $QEMU_NET_DEVICES $QEMU_E1000_PAIR}
# UEFI boots (make run UEFI=1, check.sh's uefi step): Debian's OVMF as
# pflash, its code read-only and a private copy of its variable store in
# <dir>, booting the hybrid GRUB ISO (scripts/mkiso.sh) of the kernel and
# the modules beside it (modules.order), GRUB's Multiboot2 as on a real PC.
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}
# qemu_uefi <vmlinux> <cmdline> <dir>: build <dir>/exo-uefi.iso, print the options.
qemu_uefi() {
	objdir=$(dirname "$1")
	mkdir -p "$3" && [ -f "$3/OVMF_VARS.fd" ] || cp "$OVMF_VARS" "$3/OVMF_VARS.fd" || return 1
	"$(dirname "$0")/mkiso.sh" "$1" "$3/exo-uefi.iso" "$2" \
		$(sed "s|^|$objdir/|" "$objdir/modules.order" 2>/dev/null) >/dev/null || return 1
	echo "-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
	     "-drive if=pflash,format=raw,file=$3/OVMF_VARS.fd -cdrom $3/exo-uefi.iso"
}

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
QEMU_EXIT_DEV="-device isa-debug-exit,iobase=0xf4,iosize=0x04"
# The modules built beside a kernel (modules.cpio, see the top Makefile)
# reach it as the PVH boot module; the edu device exercises the PCI driver,
# pci-testdev (membar=) gives the PCI tests every BAR type: 32-bit
# memory, I/O, and 64-bit prefetchable memory, and virtio-rng-pci is the
# virtio device the virtio_pci suite drives (1af4:1005, transitional).
# qemu_modules <vmlinux>: the -initrd option, if there is an archive.
qemu_modules() {
	archive=$(dirname "$1")/modules.cpio
	[ -s "$archive" ] && echo "-initrd $archive"
}
# Two virtio-net NICs joined by QEMU's internal hub 0 (no host network):
# what one sends the other receives (the virtio_net suite).  The first
# offers VIRTIO_NET_F_MQ (a hub port has one queue pair, so MQ negotiates
# one pair through the control queue), the second does not.  A -netdev
# option drops QEMU's default NIC (q35's e1000e).
QEMU_NET_DEVICES="-netdev hubport,id=vn0,hubid=0 -device virtio-net-pci,netdev=vn0,mq=on \
-netdev hubport,id=vn1,hubid=0 -device virtio-net-pci,netdev=vn1"
QEMU_DEVICES=${QEMU_DEVICES:--device edu -device pci-testdev,membar=2M -device virtio-rng-pci $QEMU_NET_DEVICES}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-bochs.sh <vmlinux> [cmdline]: boot the GRUB ISO in Bochs with 4 CPUs
# (corei7_skylake_x: PCID, INVPCID, x2APIC, 1 GiB pages, SMEP, SMAP).
# The serial log is printed; exit 0 when the kernel passed (magic
# breakpoint), 1 on failure (shutdown port / triple fault), 124 on timeout.
set -u
kernel=$1
cmdline=${2:-shell=0}
dir=${BOCHS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/exo-bochs.XXXXXX")}
mkdir -p "$dir"
# BOCHS_DISK=<image>: a flat disk image as ata0-slave (beside the CD-ROM
# at ata0-master), 16 heads and 63 sectors per track, its cylinders from
# its size (a multiple of 516096 bytes).
disk_line=
[ -n "${BOCHS_DISK:-}" ] &&
	disk_line="ata0-slave: type=disk, path=$BOCHS_DISK, mode=flat, cylinders=0, heads=16, spt=63"
dir=$(cd "$dir" && pwd)
# The modules built beside the kernel (modules.order) become GRUB module2
# entries, loaded at boot like QEMU's modules.cpio.
if [ -z "${BOCHS_MODULES+set}" ]; then
	objdir=$(dirname "$kernel")
	BOCHS_MODULES=$(sed "s|^|$objdir/|" "$objdir/modules.order" 2>/dev/null | tr '\n' ' ')
fi
"$(dirname "$0")/mkiso.sh" "$kernel" "$dir/exo.iso" "$cmdline" ${BOCHS_MODULES:-} >/dev/null || exit 1
cat > "$dir/bochsrc" <<EOT
megs: ${BOCHS_MEGS:-256}
cpu: model=corei7_skylake_x, count=${BOCHS_CPUS:-4}, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$dir/exo.iso, status=inserted
$disk_line
boot: cdrom
display_library: rfb, options="timeout=0"
log: $dir/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
port_e9_hack: enabled=1
com1: enabled=1, mode=file, dev=$dir/serial.txt
magic_break: enabled=1
sound: driver=dummy
speaker: enabled=0
clock: sync=none, time0=local
# An e1000 (8086:100e) whose frames go nowhere (ethmod=null).
plugin_ctrl: e1000=1
e1000: enabled=1, mac=52:54:00:12:34:58, ethmod=null
EOT
printf 'c\nquit\n' > "$dir/bochs.rc"
# In $dir: the e1000's null network module writes its eth_null-tx* logs
# of the frames sent into the current directory.
(cd "$dir" && timeout "${TIMEOUT:-300}" bochs -q -f "$dir/bochsrc" -rc "$dir/bochs.rc" \
	</dev/null > "$dir/bochs-stdout.txt" 2>&1)
rc=$?
tr -d '\r' < "$dir/serial.txt" 2>/dev/null
[ -z "${BOCHS_DIR:-}" ] && rm -rf "$dir"
exit $rc

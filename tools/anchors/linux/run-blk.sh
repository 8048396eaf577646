#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Block I/O side by side with Linux 6.1: 4 KiB random reads from a
# virtio-blk disk at QD1 and QD32, IOPS under plain TCG, Exo-OS (`blk bench
# vda` in its shell) and Linux (the shared anchor harness's run-blk.sh,
# blkbench.ko) on the same QEMU command line and the same kind of image,
# one after the other in the same run; prints both and the ratio.
#
#   tools/anchors/linux/run-blk.sh [vmlinux]      default build/gcc/vmlinux
#
# The QEMU line is the harness's time mode ((b) in its README): -accel
# tcg,thread=multi -cpu max -smp 1,maxcpus=2 -m 1G, a fresh 256 MiB raw
# image (each 4 KiB block starts with "BLKANCHR" and its number) on
# -drive ...,cache=writeback,aio=threads and -device virtio-blk-pci.
# Exo-OS gets its boot modules as -initrd (virtio_blk.ko autoloads) and
# QEMU's isa-debug-exit for its power-off; Linux its initramfs.
# Variables:
#   RUNS       boots of each kernel (default 1); the figures are medians
#   DURATION   Linux: seconds per configuration (default 10)
#   ANCHOR_HARNESS, ANCHOR_BUILD  as in run.sh (build/linux-anchor-blk)
#   EXO_BENCH  the Exo-OS shell command (default "blk bench vda": 0.3 s per
#              depth), typed EXO_REPEAT times (default 7): the first warms
#              up, the median of the others counts
# Logs: $ANCHOR_BUILD/results/ (Linux) and $ANCHOR_BUILD/exo-*.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../../.." && pwd)
vmlinux=${1:-$tree/build/gcc/vmlinux}
[ -f "$vmlinux" ] || { echo "run-blk.sh: no kernel $vmlinux (make O=build/gcc first)" >&2; exit 1; }
RUNS=${RUNS:-1}

build=${ANCHOR_BUILD:-$tree/build/linux-anchor-blk}
. "$here/harness.sh"
anchor_harness_copy run-blk.sh "$build"

# --- Exo-OS -------------------------------------------------------------------
img=$build/exo-disk-$$.img
trap 'rm -f "$img"' EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
exo_iops() {	# <log> <qd>: the median IOPS of `blk bench` at that depth, first run left out
	sed -n "s/.*QD$2[^0-9].* \([0-9][0-9]*\) IOPS.*/\1/p" "$1" | tail -n +2 | median
}
exo_qd1=() exo_qd32=()
for i in $(seq 1 "$RUNS"); do
	# The harness's image: every 4 KiB block allocated, "BLKANCHR" + its number.
	perl -e 'my $z = "\0" x 4080; for my $i (0 .. 256 * 256 - 1) { print "BLKANCHR", pack("Q<", $i), $z }' >"$img"
	log=$build/exo-$i.log
	echo "== Exo-OS run $i/$RUNS" >&2
	# The first of EXO_REPEAT runs warms TCG's translation cache (Linux's
	# harness has 200 warm-up requests); the median of the others counts.
	cmds=()
	for _ in $(seq 1 "${EXO_REPEAT:-7}"); do cmds+=(-c "${EXO_BENCH:-blk bench vda}"); done
	"$tree/scripts/qemu-shell.py" --timeout 600 --log "$log" "${cmds[@]}" -- \
		qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 1,maxcpus=2 -m 1G \
		-nographic -no-reboot -nic none \
		-drive "file=$img,format=raw,if=none,id=d0,cache=writeback,aio=threads" \
		-device virtio-blk-pci,drive=d0 -kernel "$vmlinux" \
		-initrd "$(dirname "$vmlinux")/modules.cpio" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null || true
	exo_qd1+=("$(exo_iops "$log" 1)")
	exo_qd32+=("$(exo_iops "$log" 32)")
	grep -a 'blk bench vda:' "$log" | sed 's/^/  /' >&2 || true
done

# --- Linux --------------------------------------------------------------------
cd "$build"
./install.sh >&2
RUNS=$RUNS ACCEL=tcg READS=1 WRITES=0 QD=1,32 DURATION=${DURATION:-10} ./run-blk.sh >&2
tsv=$(ls -t results/blk-*.tsv | head -1)
lin() { awk -F'\t' -v c="read_qd$1" '$6 == c && $7 == "iops" { print $8 }' "$tsv" | median; }

# --- the ratio ----------------------------------------------------------------
e1=$(printf '%s\n' "${exo_qd1[@]}" | grep . | median || true)
e32=$(printf '%s\n' "${exo_qd32[@]}" | grep . | median || true)
l1=$(lin 1)
l32=$(lin 32)
echo "4 KiB random reads, virtio-blk, plain TCG -smp 1,maxcpus=2, $RUNS boot(s) each, $(date -u +%F)"
printf '%-6s %12s %12s %10s\n' depth "Exo-OS IOPS" "Linux IOPS" "Exo/Linux"
for qd in 1 32; do
	if [ "$qd" = 1 ]; then e=$e1 l=$l1; else e=$e32 l=$l32; fi
	printf '%-6s %12s %12s %10s\n' "QD$qd" "${e:-?}" "${l:-?}" \
		"$(awk -v e="${e:-0}" -v l="${l:-0}" 'BEGIN { if (e > 0 && l > 0) printf "%.2f", e / l; else print "?" }')"
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host-allocator part of make bench on its own: the hosted kmalloc
# (tests/hosted/kmalloc_glue.c) against glibc, mimalloc, jemalloc and
# tcmalloc, one interleaved run of ../shared/anchors/host-alloc.  Prints
# the table and writes it, with its heading, to $BENCH_OUT/host-alloc.md
# (default build/bench), which make bench puts in the doc's generated block.
#
#   scripts/bench-host-alloc.sh                       7 rounds, every row
#   HOST_ALLOC_ROUNDS=5 HOST_ALLOC_ONLY=malloc1024 scripts/bench-host-alloc.sh
#
#   scripts/bench-host-alloc.sh --where               the anchor directory, or why none
#
# HOST_ALLOC_ROUNDS (7; 0 skips it), HOST_ALLOC_XROUNDS (two-thread
# rounds, 3), HOST_ALLOC_ONLY (only the rows whose name has it),
# HOST_ALLOC (the anchor directory; otherwise the first of
# ../shared/anchors/host-alloc and ../../shared/anchors/host-alloc next to
# the tree, then /work/shared/anchors/host-alloc, that has run.sh).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$src/build/bench}

# The anchor directory on stdout; on stderr, why there is none.
find_anchor() {
	if [ -n "${HOST_ALLOC:-}" ]; then
		if [ -x "$HOST_ALLOC/run.sh" ]; then
			(cd "$HOST_ALLOC" && pwd)
			return 0
		fi
		echo "host-alloc: HOST_ALLOC=$HOST_ALLOC has no run.sh:" \
			"not ../shared/anchors/host-alloc" >&2
		return 1
	fi
	local d
	for d in "$src/../shared/anchors/host-alloc" "$src/../../shared/anchors/host-alloc" \
		 /work/shared/anchors/host-alloc; do
		if [ -x "$d/run.sh" ]; then
			(cd "$d" && pwd)
			return 0
		fi
	done
	echo "host-alloc: no ../shared/anchors/host-alloc found (looked in" \
		"$src/../shared/anchors, $src/../../shared/anchors and /work/shared/anchors):" \
		"set HOST_ALLOC=<its directory>" >&2
	return 1
}
if [ "${1:-}" = --where ]; then
	find_anchor
	exit
fi
mkdir -p "$out"

# The hosted kmalloc against the host's allocators, in one interleaved
# run of ../shared/anchors/host-alloc: "exo" is libexo_kmalloc.so, called
# through the PLT as glibc, mimalloc, jemalloc and tcmalloc are (the
# headline column); "exo_static" the object linked into the binary.
# Nothing of an earlier run is left for make bench's goals to read.
: >"$out/host-alloc.md"
rm -rf "$out/host-alloc"
hadir=
if [ "${HOST_ALLOC_ROUNDS:-7}" -le 0 ]; then
	echo "== host allocators: HOST_ALLOC_ROUNDS=${HOST_ALLOC_ROUNDS:-7}: not run"
elif ! hadir=$(find_anchor 2>&1); then
	echo "== host allocators: not run: $hadir"
	hadir=
fi
if [ -n "$hadir" ] && [ "${HOST_ALLOC_ROUNDS:-7}" -gt 0 ]; then
	echo "== host allocators and the hosted kmalloc (host TSC ticks per op, best of ${HOST_ALLOC_ROUNDS:-7} rounds)"
	so=$(make -s -C "$src" -f tests/hosted/Makefile O="$out/hosted" kmalloc-so | tail -n 1)
	obj=$(make -s -C "$src" -f tests/hosted/Makefile O="$out/hosted" kmalloc-obj | tail -n 1)
	mkdir -p "$out/host-alloc"
	cp "$hadir"/*.sh "$hadir"/*.c "$out/host-alloc/"
	# bench.c declares the first contract's kmalloc(size) and
	# krealloc(p, size); today's take gfp_t flags (memory-api.md), and a
	# call without them passes whatever %esi holds (a zone flag sends
	# every kmalloc to the page allocator).  Call them with GFP_KERNEL (0),
	# as a kernel caller does: one more instruction per call.
	sed -i -e 's/^void \*kmalloc(size_t size);/void *kmalloc(size_t size, unsigned int gfp);/' \
		-e 's/^void \*krealloc(const void \*ptr, size_t new_size);/void *krealloc(const void *ptr, size_t new_size, unsigned int gfp);/' \
		-e 's/^#define B_MALLOC(n) kmalloc(n)$/#define B_MALLOC(n) kmalloc((n), 0u)/' \
		-e 's/^#define B_REALLOC(p, n) krealloc((p), (n))$/#define B_REALLOC(p, n) krealloc((p), (n), 0u)/' \
		-e 's/^#define B_ALIGNED(a, n) kmalloc(n)$/#define B_ALIGNED(a, n) kmalloc((n), 0u)/' \
		"$out/host-alloc/bench.c"
	# Unpatched, the Exo columns would pass a garbage gfp: measure only
	# the host allocators then.
	exo_allocs="exo:$so exo_static:$obj"
	if [ "$(grep -c ', 0u)$\|unsigned int gfp);$' "$out/host-alloc/bench.c")" != 5 ]; then
		echo "host-alloc: bench.c's kmalloc declarations changed and the gfp patch" \
			"did not apply: no Exo columns" >&2
		exo_allocs=
	fi
	(cd "$out/host-alloc" && ROUNDS=${HOST_ALLOC_ROUNDS:-7} XROUNDS=${HOST_ALLOC_XROUNDS:-3} \
		ONLY=${HOST_ALLOC_ONLY:-} CALLGRIND=0 PERF=0 OUT="$out/host-alloc/results" \
		KMALLOC_ALLOCS="$exo_allocs" ./run.sh >"$out/host-alloc.log" 2>&1)
	if [ -f "$out/host-alloc/results/table.md" ]; then
		cat "$out/host-alloc/results/table.md"
		{
			echo "Host allocators, \`../shared/anchors/host-alloc\` run by the same \`make bench\`"
			echo "(host CPU $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1),"
			echo "load average $(cut -d' ' -f1 /proc/loadavg) at the end): TSC ticks per operation."
			echo "\`exo\` is \`libexo_kmalloc.so\`, called through the PLT like the others;"
			echo "\`exo_static\` is the same allocator linked into the binary."
			echo
			cat "$out/host-alloc/results/table.md"
		} >"$out/host-alloc.md"
	else
		echo "host-alloc run failed: $out/host-alloc.log"
		tail -n 5 "$out/host-alloc.log"
	fi
fi

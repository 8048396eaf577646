#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# link-vmlinux.sh <ld> <ldflags> <lds> <built-in.o> <out>
#
# Link twice: first without a symbol table, then with the sorted symbol table
# (kallsyms) generated from the first link.  The table lives in its own
# section after everything else, so adding it moves no other symbol.
set -e
ld=$1 ldflags=$2 lds=$3 builtin=$4 out=$5
dir=$(dirname "$out")
tmp=$dir/.tmp_kallsyms
nm=${NM:-nm}
cc=${CC:-gcc}

# shellcheck disable=SC2086
$ld $ldflags -T "$lds" -o "$out.tmp1" "$builtin"
$nm -n "$out.tmp1" | "$objtree/scripts/kallsyms" > "$tmp.S"
$cc -c -o "$tmp.o" "$tmp.S"
# shellcheck disable=SC2086
$ld $ldflags -T "$lds" -o "$out.tmp2" "$builtin" "$tmp.o"
# Addresses must not have moved between the two links.
$nm -n "$out.tmp2" | "$objtree/scripts/kallsyms" > "$tmp.2.S"
if ! cmp -s "$tmp.S" "$tmp.2.S"; then
	echo "link-vmlinux.sh: symbol table changed between links" >&2
	exit 1
fi
mv "$out.tmp2" "$out"
rm -f "$out.tmp1" "$tmp.2.S"

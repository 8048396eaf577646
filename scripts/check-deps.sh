#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-deps.sh <work dir>: every README entry point asks scripts/deps.sh for
# what it needs before it needs it (a fresh Debian machine has none of it).
#
# No container here, so the fresh machine is faked: PATH is a directory of
# links to every command of the host except the compilers, QEMU, Bochs,
# sparse, gdb and the ISO tools; python3 runs with -S, which hides
# dist-packages and so kconfiglib; apt-get is a stub that records what it
# was asked to install and fails, so nothing is installed and every entry
# point must stop in deps.sh.  For each target: make must fail, apt-get must
# have been asked for the packages the target needs, and nothing may have
# been configured or built (no .config, no auto.conf).
# One line per check; the exit status is the number of failed checks.
set -u
unset KCONFIG_CONFIG MAKEFLAGS MAKELEVEL
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
rm -rf "$dir"
mkdir -p "$dir/bin"
dir=$(cd "$dir" && pwd)
bin=$dir/bin

IFS=: read -ra path <<<"$PATH"
declare -A seen
links=()
for d in "${path[@]}" /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	for f in "$d"/*; do
		name=${f##*/}
		case $name in
		gcc*|cc|c89*|c99*|x86_64-linux-gnu-gcc*|clang*|ld.lld*|llvm-*|sparse*|cgcc|\
		qemu-system-*|bochs*|gdb*|grub-*|xorriso|mformat|python3*|apt-get|id) continue ;;
		esac
		[ -n "${seen[$name]:-}" ] || [ ! -x "$f" ] || { seen[$name]=1; links+=("$f"); }
	done
done
ln -s -t "$bin" -- "${links[@]}"
cat >"$bin/python3" <<'EOF'
#!/bin/sh
exec /usr/bin/python3 -S "$@"
EOF
cat >"$bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$dir/apt.log"
exit 1
EOF
printf '#!/bin/sh\necho 0\n' >"$bin/id"
chmod +x "$bin/python3" "$bin/apt-get" "$bin/id"

fails=0
# entry <name> <needed packages> <make args...>: run make in the fake machine.
entry() {
	local name=$1 want=$2 o=$dir/o-$1 p missing=""
	shift 2
	rm -f "$dir/apt.log"
	mkdir -p "$o"
	[ "${with_config:-0}" = 1 ] && cp "$src/arch/x86/configs/defconfig" "$o/.config"
	env -i HOME="$dir" PATH="$bin" PYTHON="$bin/python3" CHECK_OUT="$o/check" \
		BENCH_OUT="$o/bench" make -C "$src" O="$o" "$@" >"$dir/$name.log" 2>&1
	local rc=$?
	for p in $want; do
		grep -q "install.* $p\( \|$\)" "$dir/apt.log" 2>/dev/null || missing="$missing $p"
	done
	if [ "$rc" != 0 ] && [ -z "$missing" ] && [ ! -e "$o/include/config/auto.conf" ] &&
	   { [ "${with_config:-0}" = 1 ] || [ ! -e "$o/.config" ]; }; then
		echo "  deps: make $name: asks for $want first: ok"
	else
		echo "  deps: make $name: FAILED (exit $rc, not asked for:${missing:- -}; $dir/$name.log)"
		fails=$((fails + 1))
	fi
}

kconf=python3-kconfiglib
build="$kconf gcc"
entry run "$build qemu-system-x86" run
entry bochs "$build bochs grub-common xorriso mtools" bochs
entry defconfig "$kconf" defconfig
entry menuconfig "$kconf" menuconfig
entry check "$build sparse qemu-system-x86 bochs clang lld" check
entry bench "$build qemu-system-x86" bench
entry fuzz "$kconf clang lld" fuzz
entry gdb "$build qemu-system-x86 gdb" gdb
entry stress "$build qemu-system-x86 bochs" stress
entry hosted-test "$build" hosted-test
with_config=1
entry all "$build"
entry C=1 "$build sparse" C=1
entry LLVM=1 "$build clang lld" LLVM=1
entry iso "$build" iso
exit $fails

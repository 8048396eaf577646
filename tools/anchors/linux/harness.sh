# SPDX-License-Identifier: GPL-2.0
# Sourced by run.sh and run-blk.sh (with $tree, the source tree, set).
# anchor_harness_copy <script> <build dir> [name to skip...]: find the
# shared Linux anchor harness (ANCHOR_HARNESS, else ../shared/anchors/linux
# next to the tree or next to the main tree of this worktree) by its
# <script>, and make <build dir> a fresh writable copy of it, keeping the
# results/ of earlier runs and leaving out the names given.  Sets
# $harness; exits if there is none.
anchor_harness_copy() {
	local script=$1 build=$2 top f
	shift 2
	harness=${ANCHOR_HARNESS:-}
	if [ -z "$harness" ]; then
		for top in "$tree" "$(dirname "$(git -C "$tree" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || echo /nonexistent/.git)")"; do
			if [ -x "$top/../shared/anchors/linux/$script" ]; then
				harness=$(cd "$top/../shared/anchors/linux" && pwd)
				break
			fi
		done
	fi
	if [ -z "$harness" ] || [ ! -x "$harness/$script" ]; then
		echo "$(basename "$0"): Linux anchor harness not found: set ANCHOR_HARNESS" >&2
		exit 1
	fi
	mkdir -p "$build"
	for f in "$harness"/* "$harness"/.gitignore "$harness"/.kver; do
		[ -e "$f" ] || continue
		case " results $* " in *" ${f##*/} "*) continue ;; esac
		rm -rf "${build:?}/${f##*/}"
		cp -r "$f" "$build/"
	done
	chmod -R u+w "$build"
}

# SPDX-License-Identifier: GPL-2.0
# check-common.sh: sourced by the scripts that run a list of named checks
# on a build tree (check-kbuild.sh, check-reconfig.sh), after they set
# check_tag (the word that starts their lines).  Each check prints one
# line; fails counts the failed ones, the script's exit status.
fails=0

# check <what> <command...>: run the command; ok if it succeeds.
check() {
	local what=$1
	shift
	if "$@"; then
		echo "  $check_tag: $what: ok"
	else
		echo "  $check_tag: $what: FAILED"
		fails=$((fails + 1))
	fi
}

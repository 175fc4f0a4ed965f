# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tiny TAP producer for lab tests run by prove.  Source it from a test:
#   . "$(dirname "$0")/../tap.sh"
# Tests should use `set -uo pipefail` but not -e: a failing check must be
# reported and the test must go on.  The helpers return the check's status.
# The exit status is the number of failures (capped), or 255 for a wrong plan.

# shellcheck source=tests/lab/lab.conf disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lab.conf"

_tap_n=0 _tap_failed=0 _tap_plan=

plan_tests() { _tap_plan=$1 && echo "1..$1"; }
done_testing() { [ -n "$_tap_plan" ] || { _tap_plan=$_tap_n && echo "1..$_tap_n"; }; }
skip_all() { echo "1..0 # SKIP $*" && _tap_plan=0 && exit 0; }
bail_out() { echo "Bail out! $*" && exit 255; }
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
note() { printf '%s\n' "$@" | sed 's/^/# /'; }

# ok STATUS NAME: passes when STATUS is 0 (typically `ok $? "name"`).
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
		return 0
	fi
	local i=1
	while [ "${BASH_SOURCE[i]:-}" = "${BASH_SOURCE[0]}" ]; do i=$((i + 1)); done
	echo "not ok $_tap_n - $2"
	_tap_failed=$((_tap_failed + 1))
	diag "  Failed test '$2' at ${BASH_SOURCE[i]:-?} line ${BASH_LINENO[i - 1]:-?}"
	return 1
}

# ok_cmd NAME CMD...: passes when CMD exits 0; shows its output when not.
ok_cmd() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	ok "$rc" "$name" || { diag "  command: $*" "  exit status: $rc" "$out" && return 1; }
}

# is GOT WANT NAME / like GOT REGEX NAME (bash ERE).
is() {
	[ "$1" = "$2" ]
	ok $? "$3" || { diag "  got:  '$1'" "  want: '$2'" && return 1; }
}
isnt() {
	[ "$1" != "$2" ]
	ok $? "$3" || { diag "  got:  '$1'" "  want anything else" && return 1; }
}
like() {
	[[ $1 =~ $2 ]]
	ok $? "$3" || { diag "  got:   '$1'" "  regex: '$2'" && return 1; }
}

# Run a command on a lab host (see lab-exec), as the lab user by default.
lab() { "$LAB_SRC/tests/lab/lab-exec" "$@"; }

_tap_end() {
	local rc=$?
	[ "$_tap_plan" = 0 ] && return
	[ -n "$_tap_plan" ] || { diag "no plan: died after $_tap_n tests (exit $rc)" && exit 255; }
	[ "$_tap_n" -eq "$_tap_plan" ] || { diag "planned $_tap_plan tests, ran $_tap_n" && exit 255; }
	[ "$_tap_failed" -eq 0 ] || { diag "failed $_tap_failed of $_tap_n tests" && exit $((_tap_failed > 254 ? 254 : _tap_failed)); }
	exit "$rc"
}
trap _tap_end EXIT

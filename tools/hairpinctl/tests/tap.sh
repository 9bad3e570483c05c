# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP for the shell tests, sourced: ok() counts and prints a check,
# tap_done() the plan at the end, and is the test's exit status.

n=0
failed=0

ok() {	# ok COND-EXIT-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

tap_done() {
	echo "1..$n"
	[ "$failed" = 0 ]
}

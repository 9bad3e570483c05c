#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The man page renders without groff warnings and within 80 columns, and
# has the sections it must have. TAP; skips without man-db.
#
# Usage: tests/test_man.sh hairpinctl.8

page=${1:-hairpinctl.8}
if ! command -v man >/dev/null; then
	echo "1..0 # SKIP man is not installed (apt-get install man-db)"
	exit 0
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
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

MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && [ ! -s "$tmp/err" ]
ok $? "man -l $page renders without warnings"
sed 's/^/# /' "$tmp/err"
! awk 'length > 80 { print "# " FILENAME ":" FNR ": " $0; bad = 1 } END { exit !bad }' "$tmp/out"
ok $? "and fits in 80 columns"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "FILE FORMAT" \
	"JSON OUTPUT" "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -qx "$section" "$tmp/out"
	ok $? "section $section"
done
# Every command of "hairpinctl --help" is described.
for cmd in "map add" "map replace" "map del" "map show" "map flush" "set source" \
	"set hairpin" "set limit mappings" "set limit ports" show save monitor version help; do
	grep -q "^       $cmd" "$tmp/out"
	ok $? "command $cmd"
done
for key in proto addr port port_max to_addr to_port to_port_max comment conns hairpinned \
	mappings ports max_mappings max_ports; do
	grep -qw "$key" "$tmp/out"
	ok $? "JSON key $key documented"
done

echo "1..$n"
[ $failed = 0 ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The man page renders without groff warnings and within 80 columns, has
# the sections it must have, and says what the tool says: its SYNOPSIS
# lists exactly the command lines of "hairpinctl --help" (made from the
# tool's table of commands), COMMANDS describes each of them and OPTIONS
# each option. TAP; skips without man-db.
#
# Usage: tests/test_man.sh hairpinctl.8 ./hairpinctl

page=${1:-hairpinctl.8}
prog=${2:-./hairpinctl}
if ! command -v man >/dev/null; then
	echo "1..0 # SKIP man is not installed (apt-get install man-db)"
	exit 0
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

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

# section NAME: the rendered lines of that section.
section() {
	awk -v s="$1" '/^[A-Z]/ { on = ($0 == s); next } on' "$tmp/out"
}

# The command lines: from --help, and from the SYNOPSIS after "is one of:",
# where a line indented deeper goes on with the one before.
"$prog" --help >"$tmp/help"
ok $? "$prog --help"
sed -n '/^Synopsis:$/,/^$/s/^  //p' "$tmp/help" >"$tmp/help.cmds"
section SYNOPSIS | awk '
	/is one of:$/ { on = 1; next }
	on && /^$/ { exit }
	on {
		match($0, /^ */)
		indent = RLENGTH
		sub(/^ +/, "")
		gsub(/ +/, " ")
		if (first == "")
			first = indent
		if (indent > first) {
			line = line " " $0
			next
		}
		if (line != "")
			print line
		line = $0
	}
	END { if (line != "") print line }' >"$tmp/man.cmds"
[ -s "$tmp/help.cmds" ] && cmp -s "$tmp/help.cmds" "$tmp/man.cmds"
ok $? "SYNOPSIS lists the command lines of --help, in its order"
diff "$tmp/help.cmds" "$tmp/man.cmds" | sed -n 's/^[<>]/#&/p'

# Each command (the words of a command line before its arguments) is
# described under COMMANDS.
section COMMANDS >"$tmp/commands"
awk '{ w = $1; for (i = 2; i <= NF && $i ~ /^[a-z]+$/; i++) w = w " " $i; print w }' \
	"$tmp/help.cmds" | uniq >"$tmp/names"
while read -r cmd; do
	grep -q "^       $cmd\( \|$\)" "$tmp/commands"
	ok $? "command $cmd"
done <"$tmp/names"

# Each option of --help ("-j, --json", "-f FILE") under OPTIONS.
section OPTIONS >"$tmp/options"
awk -F '  +' '/^Options:$/ { on = 1; next } on && /^$/ { exit } on { print $2 }' \
	"$tmp/help" >"$tmp/opts"
[ -s "$tmp/opts" ]
ok $? "--help lists options"
while read -r opt; do
	grep -qxF "       $opt" "$tmp/options"
	ok $? "option $opt"
done <"$tmp/opts"

for key in proto addr port port_max to_addr to_port to_port_max comment mirror conns hairpinned \
	source source_addr \
	mappings ports max_mappings max_ports udp_timeout bindings max_bindings scope others_hairpinned \
	dev to filter masq \
	internal internal_port external external_port idle; do
	grep -qw "$key" "$tmp/out"
	ok $? "JSON key $key documented"
done

tap_done

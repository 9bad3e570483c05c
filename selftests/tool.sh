#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpinctl as an operator uses it: the exact text of map show and show,
# JSON that jq takes, save and restore, monitor seeing every change (and
# surviving an overrun), each error with its message and exit code, and a
# batch of 100,000 lines (HAIRPIN_TOOL_BATCH: the debug kernel lane takes
# fewer). No traffic: two routers alone.
#
#   router   the one configured
#   router2  fresh, to replay what the monitor printed into
#
# What hairpinctl says once the module is unloaded: unload.sh.
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
load_module
command -v jq >/dev/null || skip "jq not installed"
command -v setpriv >/dev/null || skip "setpriv not installed"
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
add_ns router router2

nobody() { nsq router setpriv --reuid=65534 --regid=65534 --clear-groups "$HAIRPINCTL" "$@"; }

# stop_monitor SIGNAL: ends it; its exit status and stderr must be clean.
stop_monitor() {
	local rc
	kill -"$1" "$mon_pid"
	wait "$mon_pid"
	rc=$?
	check_eq "monitor ends cleanly on SIG$1" 0 "$rc"
}

# sync_monitors FILE...: once the monitors writing to FILE... have printed
# everything up to now: a marker mapping is added and deleted, and waited
# for at the end of each.
sync_monitors() {
	local f
	hpq map add tcp 65535 to 10.255.255.254
	hpq map del tcp 65535
	for f in "$@"; do
		until_ok 10 marked "$f" || fail "monitor to $f out of step"
	done
}
marked() { tail -n 1 "$1" | grep -q 'del.*65535'; }
set_seen() {
	hpq set hairpin off
	grep -qx 'set source lan hairpin off scope own udp-timeout 300' "$1"
}
# mon_drops: the messages the kernel dropped for the monitor's sockets,
# from the router's /proc/net/netlink (its last column is the inode).
mon_drops() {
	local inodes
	inodes=$(find "/proc/$mon_pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n' | tr '\n' ' ')
	# shellcheck disable=SC2016 # awk's fields
	nsq router awk -v inodes=" $inodes" 'NR > 1 && index(inodes, " " $NF " ") { d += $9 } END { print d + 0 }' /proc/net/netlink
}

lines_after() { tail -n +"$(($2 + 1))" "$1"; }
has_lines() { [ "$(wc -l <"$1")" -ge "$2" ]; }
# silent CMD...: CMD succeeds and prints nothing, on stdout or stderr.
silent() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	[ $rc = 0 ] && [ -z "$out" ] && return 0
	echo "# exit $rc: $out"
	return 1
}
module=$(hpq version | sed -n 's/^module //p')

echo "# text"
check "map show of an empty table prints nothing" silent hpq map show
check "map add succeeds in silence" silent hpq map add tcp 80 to 192.168.1.10 comment web
hp router map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment "game server"
hp router map add tcp 8080 to 10.0.0.2:80
check "map replace too" silent hpq map replace tcp 8080 to 10.0.0.3:8081 comment 'q"b\'
check_eq "map show: sorted, comments quoted, the counters in a column" \
"tcp 80 to 192.168.1.10:80 comment web                                  conns 0 hairpinned 0
tcp 8080 to 10.0.0.3:8081 comment \"q\\\"b\\\\\"                             conns 0 hairpinned 0
udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"  conns 0 hairpinned 0" \
	"$(hpq map show)"
shown="source lan
hairpin auto
scope own
udp-timeout 300
module $module
mappings 3
limits mappings 3/1048576 ports 13/4194304 bindings 0/262144"
check_eq "show: the settings, the module, the mappings, the limits (a range takes each of its ports)" \
	"$shown" "$(hpq show)"
check_eq "show -s: the same, then the totals" "$shown
conns 0 hairpinned 0
others-hairpinned 0" "$(hpq show -s)"
# What map show prints, map add takes.
hpq map show >"$tmp/shown"
{ echo "map flush"; sed 's/  *conns .*//; s/^/map add /' "$tmp/shown"; } >"$tmp/pasted"
check "map show's lines, after map add, make a -f file" silent hpq -f "$tmp/pasted"
check_eq "which puts back the same mappings" "$(cat "$tmp/shown")" "$(hpq map show)"
check "map del succeeds in silence" silent hpq map del tcp 80
check "map flush too" silent hpq map flush

echo "# JSON"
hp router map add tcp 80 to 192.168.1.10 comment web
hp router map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment 'q"b\ caf'$'\xc3\xa9'
hp router map add tcp 8080 to 10.0.0.3:80
hpq -j map show >"$tmp/maps.json"
check "map show -j is valid JSON" jq -e . "$tmp/maps.json" >/dev/null
check_eq "map show -j is one object with the mappings" "object 3" \
	"$(jq -r '"\(type) \(.mappings | length)"' "$tmp/maps.json")"
check_eq "keys of a mapping" "addr,comment,conns,hairpinned,mirror,port,port_max,proto,to_addr,to_port,to_port_max" \
	"$(jq -r '.mappings[0] | keys | join(",")' "$tmp/maps.json")"
check_eq "tcp 80: any address, counters as numbers" "tcp null 80 80 192.168.1.10 80 80 web 0 0" \
	"$(jq -r '.mappings[0] | "\(.proto) \(.addr) \(.port) \(.port_max) \(.to_addr) \(.to_port) \(.to_port_max) \(.comment) \(.conns) \(.hairpinned)"' "$tmp/maps.json")"
check_eq "udp range: address and shifted ports" "203.0.113.5 5000 5010 6000 6010" \
	"$(jq -r '.mappings[2] | "\(.addr) \(.port) \(.port_max) \(.to_port) \(.to_port_max)"' "$tmp/maps.json")"
check_eq "a comment with a quote, a backslash and UTF-8 comes back intact" 'q"b\ café' \
	"$(jq -r '.mappings[2].comment' "$tmp/maps.json")"
check_eq "no comment is null" null "$(jq -r '.mappings[1].comment' "$tmp/maps.json")"
hpq -p map show >"$tmp/maps.pretty"
check "map show -p is indented" test "$(wc -l <"$tmp/maps.pretty")" -gt 30
check_eq "map show -p is the same JSON" "$(jq -cS . "$tmp/maps.json")" "$(jq -cS . "$tmp/maps.pretty")"
check_eq "map show -j after the command too" "$(cat "$tmp/maps.json")" "$(hpq map show -j)"
hpq -j show >"$tmp/show.json"
check_eq "show -j: settings, count, ports in use and totals" "lan auto own 3 13 number number number string" \
	"$(jq -r '"\(.source) \(.hairpin) \(.scope) \(.mappings) \(.ports) \(.conns | type) \(.hairpinned | type) \(.others_hairpinned | type) \(.version | type)"' "$tmp/show.json")"
check_eq "show -j: the module's version" "$module" "$(jq -r .version "$tmp/show.json")"
check_eq "show -s -p is the same JSON" "$(jq -cS . "$tmp/show.json")" "$(hpq show -s -p | jq -cS .)"
check_eq "map show -j of router2, without mappings" '{"mappings":[]}' "$(nsq router2 "$HAIRPINCTL" -j map show)"

echo "# -n NETNS, from outside the namespace"
check_eq "-n router-$sfx show: the router's settings and mappings" "$(hpq show)" \
	"$("$HAIRPINCTL" -n "router-$sfx" show)"
check_eq "-n router-$sfx show: its 3 mappings, not this namespace's" "mappings 3" \
	"$("$HAIRPINCTL" -n "router-$sfx" show | grep '^mappings')"
check_eq "-n router-$sfx -j map show" "$(cat "$tmp/maps.json")" \
	"$("$HAIRPINCTL" -n "router-$sfx" -j map show)"
expect "-n of a namespace that does not exist" 1 \
	"hairpinctl: network namespace 'none-$sfx' does not exist (no /run/netns/none-$sfx)" \
	"$HAIRPINCTL" -n "none-$sfx" show

echo "# save and restore"
check "set succeeds in silence" silent hpq set source external hairpin always scope all
hpq save >"$tmp/saved"
check_eq "save: map flush, the settings, the scope, the limits, the mappings" "map flush
set source external hairpin always
set scope all
set limit mappings 1048576 ports 4194304 bindings 262144
map add tcp 80 to 192.168.1.10:80 comment web
map add tcp 8080 to 10.0.0.3:80
map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"q\\\"b\\\\ café\"" "$(cat "$tmp/saved")"
hp router map flush
hp router set source lan hairpin off scope own
hp router map add tcp 9999 to 10.9.9.9
check "restore: -f the saved file" hpq -f "$tmp/saved"
hpq save >"$tmp/saved2"
check "save after restore is identical" cmp "$tmp/saved" "$tmp/saved2"
check_eq "map show -j after restore is identical" "$(cat "$tmp/maps.json")" "$(hpq -j map show)"
check "restore from standard input (-f -) into router2" nsq router2 "$HAIRPINCTL" -f - <"$tmp/saved"
check_eq "router2 saves the same" "$(cat "$tmp/saved")" "$(nsq router2 "$HAIRPINCTL" save)"
{ cat "$tmp/saved"; echo "map add tcp 80 to 10.0.0.9   # overlaps"; } >"$tmp/bad"
expect "a restore that fails on its last line ..." 1 \
	"hairpinctl: $tmp/bad:8: File exists (kernel: mapping overlaps an existing mapping)" \
	hpq -f "$tmp/bad"
check_eq "... changes nothing, its map flush included" "$(cat "$tmp/saved")" "$(hpq save)"
printf '# comments and blank lines\n\nmap flush  # all\n\nset source lan hairpin auto scope own\n' >"$tmp/reset"
check "a file with comments and blank lines" hpq -f "$tmp/reset"
check_eq "which replaced the whole table" "map flush
set source lan hairpin auto
set limit mappings 1048576 ports 4194304 bindings 262144" "$(hpq save)"

echo "# monitor"
nsq router2 "$HAIRPINCTL" -f "$tmp/reset"
start_monitor "$tmp/mon"
start_monitor "$tmp/mon.json" -j
json_pid=$mon_pid
start_monitor "$tmp/mon.text"
sync_monitors "$tmp/mon.json" "$tmp/mon.text"
text_base=$(wc -l <"$tmp/mon.text")
json_base=$(wc -l <"$tmp/mon.json")
hp router map add tcp 7000 to 10.0.0.7 comment "mon itor"
hp router map replace tcp 7000 to 10.0.0.8
hp router map add udp 7001-7002 to 10.0.0.9:8001-8002
hp router map del tcp 7000
hp router set source external
hp router set scope all source 192.168.1.254
hp router map flush
printf 'map add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.2\nset hairpin always source lan scope own\n' |
	hpq -f -
want="map add tcp 7000 to 10.0.0.7:7000 comment \"mon itor\"
map del tcp 7000
map add tcp 7000 to 10.0.0.8:7000
map add udp 7001-7002 to 10.0.0.9:8001-8002
map del tcp 7000
set source external hairpin auto scope own udp-timeout 300
set source 192.168.1.254 hairpin auto scope all udp-timeout 300
map flush
map add tcp 1 to 10.0.0.1:1
map add tcp 2 to 10.0.0.2:2
set source lan hairpin always scope own udp-timeout 300"
until_ok 10 has_lines "$tmp/mon.text" $((text_base + 11))
check_eq "monitor: add, replace (del then add), del, set, the scope and a source address, flush, a batch" "$want" \
	"$(lines_after "$tmp/mon.text" "$text_base")"
until_ok 10 has_lines "$tmp/mon.json" $((json_base + 11))
lines_after "$tmp/mon.json" "$json_base" >"$tmp/events.json"
check "monitor -j: every line is valid JSON" jq -e . "$tmp/events.json" >/dev/null
check_eq "monitor -j: one object a line" 11 "$(jq -c . "$tmp/events.json" | wc -l)"
check_eq "monitor -j: the events" "add,del,add,add,del,set,set,flush,add,add,set" \
	"$(jq -rs 'map(.event) | join(",")' "$tmp/events.json")"
check_eq "monitor -j: the mapping of an add" "tcp 7000 10.0.0.7 7000 mon itor 0" \
	"$(jq -rs '.[0].mapping | "\(.proto) \(.port) \(.to_addr) \(.to_port) \(.comment) \(.conns)"' "$tmp/events.json")"
check_eq "monitor -j: a set" "lan always own" "$(jq -rs '.[10] | "\(.source) \(.hairpin) \(.scope)"' "$tmp/events.json")"
check_eq "monitor -j: the scope" "all" "$(jq -rs '.[6].scope' "$tmp/events.json")"
check_eq "monitor -j: a source address" "address 192.168.1.254" \
	"$(jq -rs '.[6] | "\(.source) \(.source_addr)"' "$tmp/events.json")"
stop_monitor INT
mon_pid=$json_pid
stop_monitor TERM
check_eq "nothing on stderr" "" "$(cat "$tmp/mon.text.err" "$tmp/mon.json.err")"
# The monitor's output is a -f file: replayed into router2, which was in
# the same state when the first monitor started, it gives the same table.
check "monitor output replays with -f" nsq router2 "$HAIRPINCTL" -f "$tmp/mon"
check_eq "router2 has the router's table and settings" "$(hpq save)" \
	"$(nsq router2 "$HAIRPINCTL" save)"

echo "# monitor overrun"
start_monitor "$tmp/mon.over"
kill -STOP "$mon_pid"
# Batches of 5000 mappings until the stopped monitor's socket has dropped
# events: how many fit depends on its buffer, not on a number here.
for ((first = 1; first < 60000; first += 5000)); do
	awk -v a=$first 'BEGIN { for (i = a; i < a + 5000; i++) printf "map add udp %d to 10.0.%d.%d\n", i, int(i / 250), 1 + i % 250 }' >"$tmp/big"
	hp router -f "$tmp/big"
	[ "$(mon_drops)" = 0 ] || break
done
check "the stopped monitor's socket overran, after $((first + 4999)) mappings" \
	test "$(mon_drops)" -gt 0
kill -CONT "$mon_pid"
# Until the monitor has drained its queue, new events are dropped too.
until_ok 60 set_seen "$tmp/mon.over"
check_eq "after an overrun, the monitor goes on" "set source lan hairpin off scope own udp-timeout 300" "$(tail -n 1 "$tmp/mon.over")"
check_eq "and says that events were lost" \
	"hairpinctl: monitor: events were lost (receive buffer overrun); 'hairpinctl map show' shows the current table" \
	"$(sort -u "$tmp/mon.over.err")"
stop_monitor INT
hp router map flush

echo "# errors"
hp router map add tcp 80 to 192.168.1.10
expect "bad port: usage" 2 "hairpinctl: invalid port '0' (must be 1-65535)" \
	hpq map add tcp 0 to 10.0.0.1
expect "unknown command: usage" 2 "hairpinctl: unknown command 'mapp'" hpq mapp show
expect "save -j: usage" 2 "hairpinctl: save writes a file for -f, not JSON (try: map show -j and show -j)" \
	hpq -j save
printf 'map flush\nmap add tcp 81 to 10.0.0.300\n' >"$tmp/usage.conf"
expect "bad file: usage, with its line" 2 "hairpinctl: $tmp/usage.conf:2: invalid address '10.0.0.300'" \
	hpq -f "$tmp/usage.conf"
check_eq "and nothing was sent" "tcp 80" "$(hpq map show | cut -d' ' -f1,2)"
expect "overlap: the kernel's message after the command" 1 \
	"hairpinctl: map add tcp 80-90: File exists (kernel: mapping overlaps an existing mapping)" \
	hpq map add tcp 80-90 to 192.168.1.11
expect "no such mapping" 1 \
	"hairpinctl: map del tcp 81: No such file or directory (kernel: no mapping with this protocol, address and range)" \
	hpq map del tcp 81
printf '# one port twice\nmap flush\n\nmap add tcp 1 to 10.0.0.1\nmap add tcp 1-5 to 10.0.0.2  # overlaps\n' \
	>"$tmp/overlap.conf"
expect "a batch: the kernel's message after the file and line, comments counted" 1 \
	"hairpinctl: $tmp/overlap.conf:5: File exists (kernel: mapping overlaps an existing mapping)" \
	hpq -f "$tmp/overlap.conf"
eperm="Operation not permitted (CAP_NET_ADMIN is needed)"
expect "without CAP_NET_ADMIN: map add" 1 "hairpinctl: map add tcp 5: $eperm" \
	nobody map add tcp 5 to 10.0.0.1
expect "without CAP_NET_ADMIN: map show" 1 "hairpinctl: map show: $eperm" nobody -j map show
expect "without CAP_NET_ADMIN: show" 1 "hairpinctl: show: $eperm" nobody show
expect "without CAP_NET_ADMIN: save" 1 "hairpinctl: save: $eperm" nobody save
expect "without CAP_NET_ADMIN: set" 1 "hairpinctl: set hairpin off: $eperm" nobody set hairpin off
expect "without CAP_NET_ADMIN: -f" 1 "hairpinctl: <stdin>: $eperm" nobody -f - <"$tmp/reset"
expect "without CAP_NET_ADMIN: monitor" 1 "hairpinctl: monitor: $eperm" nobody monitor
check "without CAP_NET_ADMIN: version, which needs none" grep -q '^module ' <<<"$(nobody version)"
hp router map flush

big=${HAIRPIN_TOOL_BATCH:-100000}
echo "# $big mappings in one batch"
awk -v n="$big" 'BEGIN { print "map flush"; for (i = 0; i < n; i++)
	printf "map add %s %d to 10.%d.%d.%d comment n%d\n", (i % 2 ? "udp" : "tcp"),
		1 + int(i / 2), int(i / 65536) % 256, int(i / 256) % 256, 1 + i % 128, i }' >"$tmp/big"
check "-f a file of $((big + 1)) lines" silent hpq -f "$tmp/big"
check_eq "all of them in the table" "$big" "$(hpq -j show | jq .mappings)"
hpq map show >"$tmp/big.shown"
rc=$?
# Its columns are as wide as the batch's longest address and comment:
# what the host tests check. Here, the count and the order.
check_eq "map show lists them all, sorted" \
	"0 $big tcp 1 to 10.0.0.1:1 comment n0 conns 0 hairpinned 0" \
	"$rc $(wc -l <"$tmp/big.shown") $(head -n 1 "$tmp/big.shown" | tr -s ' ')"
sed -i '$ s/.*/map add tcp 1 to 10.9.9.9/' "$tmp/big"
expect "its last line overlapping: the line, among $((big + 1))" 1 \
	"hairpinctl: $tmp/big:$((big + 1)): File exists (kernel: mapping overlaps an existing mapping)" \
	hpq -f "$tmp/big"
check "map flush of them all" silent hpq map flush
check_eq "which leaves none" 0 "$(hpq -j show | jq .mappings)"

finish

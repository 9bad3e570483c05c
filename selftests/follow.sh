#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpinctl upnp follow against a lease file written here the ways
# miniupnpd writes its own: made by the first forward's line, a line
# appended per forward, rewritten into a new file renamed over it to drop
# one, removed with the last. Follow's mirrors must be what the file says
# after each change, the others' mappings untouched; what it finds of a
# run that did not end cleanly it takes over; a bad line and one that
# overlaps the operator's mapping are left out and said once, with their
# line; a line past the limit is refused and said, the others mirrored;
# SIGHUP puts back what the operator removed; SIGTERM removes every
# mirror of follow's. Before that, map add ... mirror by hand, in JSON,
# save and restore. No traffic: a router alone.
#
#   router   follow, the operator's mapping tcp 8090-8099 and mirror tcp 9999
source "$(dirname "$0")/lib.sh"
load_module
command -v jq >/dev/null || skip "jq not installed"
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
add_ns router
leases=$tmp/miniupnpd.leases

# mirrors: the router's mirrors, "PROTO PORT TO_ADDR:TO_PORT COMMENT" each.
mirrors() {
	hpq -j map show |
		jq -r '.mappings[] | select(.mirror) | "\(.proto) \(.port) \(.to_addr):\(.to_port) \(.comment)"'
}
has_mirrors() { [ "$(mirrors)" = "$1" ]; }
# check_mirrors DESCRIPTION WANT: once follow has made them WANT.
check_mirrors() {
	until_ok 10 has_mirrors "$2"
	check_eq "$1" "$2" "$(mirrors)"
}
# check_printed DESCRIPTION WANT: once follow's last line of output is WANT.
printed() { [ "$(tail -n 1 "$tmp/out")" = "$1" ]; }
check_printed() {
	until_ok 10 printed "$2"
	check_eq "$1" "$2" "$(tail -n 1 "$tmp/out")"
}
said() { grep -cxF "hairpinctl: $1" "$tmp/err"; }
# As miniupnpd does: append a line; drop one by a new file renamed over.
lease_add() { echo "$1" >>"$leases"; }
lease_drop() {
	grep -v "^$1:" "$leases" >"$leases.XXXXXX"
	mv "$leases.XXXXXX" "$leases"
}

echo "# map add ... mirror"
hp router map add tcp 8090-8099 to 192.168.1.5 comment web
hp router map add tcp 9999 to 192.168.1.9 comment "by hand" mirror
check_eq "map show: a mirror ends with the word" \
	'tcp 9999 to 192.168.1.9:9999 comment "by hand" mirror' \
	"$(hpq map show | grep 9999 | sed 's/  *conns.*//')"
check_eq "map show -j: mirror true, false" "false true" \
	"$(hpq -j map show | jq -r '[.mappings[].mirror] | join(" ")')"
hpq save >"$tmp/saved"
check "save writes the mirror" \
	grep -qx 'map add tcp 9999 to 192.168.1.9:9999 comment "by hand" mirror' "$tmp/saved"
check "restore the saved file" hpq -f "$tmp/saved"
check "  and save again: the same" cmp -s "$tmp/saved" <(hpq save)

echo "# upnp follow"
# What a run that did not end cleanly left: one for a line the file will
# not have.
hp router map add tcp 7777 to 10.20.30.99 comment "miniupnpd: stale" mirror
echo "[+] router: hairpinctl upnp follow $leases &" >&2
ip netns exec "router-$sfx" "$HAIRPINCTL" upnp follow "$leases" >"$tmp/out" 2>"$tmp/err" &
pid=$!
check_mirrors "no file: the stale mirror taken over and removed, the others' kept" \
	'tcp 9999 192.168.1.9:9999 by hand'
check_printed "  printed as monitor does" "map del tcp 7777"
check_eq "  and a word on the scope" 1 \
	"$(said "upnp follow: the scope is own: the mirrors take effect with 'hairpinctl set scope all'")"

lease_add "TCP:8081:10.20.30.100:80:1797166787:web cam"
check_mirrors "the file made: its line mirrored" \
	'tcp 8081 10.20.30.100:80 miniupnpd: web cam
tcp 9999 192.168.1.9:9999 by hand'
check_printed "  printed" 'map add tcp 8081 to 10.20.30.100:80 comment "miniupnpd: web cam" mirror'
lease_add "UDP:5000:10.20.30.101:5000:0:game: lobby"
check_mirrors "a line appended: mirrored, its colons in the comment" \
	'tcp 8081 10.20.30.100:80 miniupnpd: web cam
tcp 9999 192.168.1.9:9999 by hand
udp 5000 10.20.30.101:5000 miniupnpd: game: lobby'
lease_add "TCP:0:10.20.30.100:80:0:bad"
until_ok 10 grep -q "invalid external port" "$tmp/err"
check_eq "a bad line: said with its line" 1 \
	"$(said "$leases:3: invalid external port '0' (must be 1-65535)")"
lease_add "TCP:8090:10.20.30.102:8090:0:clash"
until_ok 10 grep -q "overlaps" "$tmp/err"
check_eq "a line overlapping the operator's mapping: left out, said" 1 \
	"$(said "$leases:4: tcp 8090 overlaps the mapping 'tcp 8090-8099 to 192.168.1.5:8090-8099 comment web', left out")"
check_eq "  the bad line said once only" 1 "$(grep -c "invalid external port" "$tmp/err")"
check_eq "  the operator's mapping kept" "8090 8099 192.168.1.5" \
	"$(hpq -j map show | jq -r '.mappings[] | select(.port == 8090) | "\(.port) \(.port_max) \(.to_addr)"')"

lease_drop TCP:8081
check_mirrors "a line dropped by a rewrite renamed over: its mirror gone" \
	'tcp 9999 192.168.1.9:9999 by hand
udp 5000 10.20.30.101:5000 miniupnpd: game: lobby'
check_printed "  printed" "map del tcp 8081"

hp router map del udp 5000
kill -HUP "$pid"
check_mirrors "removed by the operator: back on SIGHUP" \
	'tcp 9999 192.168.1.9:9999 by hand
udp 5000 10.20.30.101:5000 miniupnpd: game: lobby'

rm "$leases"
check_mirrors "the file removed: every mirror of follow's gone" \
	'tcp 9999 192.168.1.9:9999 by hand'
echo "UDP:6000:10.20.30.103:6000:0:voice" >"$leases.XXXXXX"
mv "$leases.XXXXXX" "$leases"
check_mirrors "a file renamed into place: mirrored" \
	'tcp 9999 192.168.1.9:9999 by hand
udp 6000 10.20.30.103:6000 miniupnpd: voice'

# Room for one more mapping, two lines more in one change: the first is
# mirrored, the kernel refuses the second.
max=$(hpq -j show | jq .max_mappings)
hp router set limit mappings 4
printf '%s\n' "UDP:6001:10.20.30.103:6001:0:one more" "UDP:6002:10.20.30.103:6002:0:too many" \
	>>"$leases"
check_mirrors "past the limit: the line that fits mirrored" \
	'tcp 9999 192.168.1.9:9999 by hand
udp 6000 10.20.30.103:6000 miniupnpd: voice
udp 6001 10.20.30.103:6001 miniupnpd: one more'
until_ok 10 grep -q "No space left" "$tmp/err"
check "  the one refused said with its line and the kernel's error" grep -q \
	"^hairpinctl: $leases:3: map add udp 6002 to 10.20.30.103:6002 comment \"miniupnpd: too many\" mirror: No space left on device" \
	"$tmp/err"
hp router set limit mappings "$max"

kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM: follow ends with 0" 0 "$?"
check_eq "  its mirrors gone, the others' kept" 'tcp 9999 192.168.1.9:9999 by hand' "$(mirrors)"
check_eq "  printed" "map del udp 6000
map del udp 6001" "$(tail -n 2 "$tmp/out")"
check_eq "  the operator's mapping kept" 2 "$(hpq -j map show | jq '.mappings | length')"
# The scope; the bad and the overlapping line, and again when the rewrite
# renumbered them; the line past the limit.
check_eq "nothing else on stderr" 6 "$(wc -l <"$tmp/err")"
sed 's/^/# stderr: /' "$tmp/err"
finish

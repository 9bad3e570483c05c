#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a change does to the connections already running: an entry goes
# only when the new table translates it differently, whatever the batch
# did on the way; and a batch that fails leaves the table as it was, order
# included.
#
#   wanhost ---- router (wan0 203.0.113.1) ---- br-lan: client, server, server2
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
add_server2
serve udp server2 53
serve tcp server2 80
serve tcp server2 81
# A mid-stream packet must not make a new, translated entry of its own:
# then a flushed TCP connection is visibly dead.
nsq router sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
# The checks compare entry ids across a minute or more on a slow guest: a
# UDP entry that timed out on the way (30 s, before it counts as a stream)
# would look flushed.
nsq router sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
nsq router sysctl -qw net.netfilter.nf_conntrack_udp_timeout_stream=600

# An echo server, and a client holding one connection open: lines go in
# through a fifo and come back, one per line, in $tmp/out.
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
nsq server socat TCP-LISTEN:7,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &
wait_for_port server tcp 7
mkfifo "$tmp/in"
# A write to a connection that died fails, rather than killing the test.
trap '' PIPE
# $1: the client's namespace.
open_conn() {
	echo "[+] $1: tcp connection to $PUBLIC:7, held open" >&2
	nsq "$1" socat -T 60 - TCP:$PUBLIC:7 <"$tmp/in" >"$tmp/out" 2>/dev/null &
	exec 9>"$tmp/in"
}
# echoes LINE [SECONDS]: LINE sent on the connection comes back.
echoes() {
	echo "$1" >&9 2>/dev/null || return 1
	until_ok "${2:-10}" grep -qx "$1" "$tmp/out"
}
# ct_ids PROTO PORT: the ids of the conntrack entries to that original port.
ct_ids() {
	nsq router conntrack -L -p "$1" --orig-port-dst "$2" -o id 2>/dev/null |
		sed -n 's/.*id=\([0-9]*\).*/\1/p' | sort | tr '\n' ' '
}
# A UDP flow: the same source port every time.
flow() { peer client udp $PUBLIC 53 sourceport=5353,reuseaddr | cut -d' ' -f3; }

# --- Re-applying the same table: nothing changes, nothing is flushed.
cat >"$tmp/table" <<EOT
map flush
map add tcp 7 to $SERVER comment echo
map add udp 53 to $SERVER
EOT
hp router -f "$tmp/table"
open_conn client
check "a hairpinned TCP connection is up" echoes one
check_eq "a hairpinned UDP flow is up" "server" "$(flow)"
before="$(ct_ids tcp 7)/$(ct_ids udp 53)"
check "each has its entry ($before)" eval '[[ "$before" == ?*/?* ]]'
hp router -f "$tmp/table"
check_eq "re-applying the table keeps every conntrack entry" "$before" "$(ct_ids tcp 7)/$(ct_ids udp 53)"
check "the TCP connection still works" echoes two
hp router map replace tcp 7 to $SERVER comment "only the comment changed"
check_eq "a replace that changes only the comment keeps them" "$before" "$(ct_ids tcp 7)/$(ct_ids udp 53)"
check "the TCP connection still works after it" echoes three
check_eq "the UDP flow is on the same server" "server" "$(flow)"

# --- A batch that adds and deletes one port eight times, and fails nothing:
# the operator's own DNAT entries stay.
ns router nft -f - <<EOT
table ip own {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		udp dport 54 dnat to $SERVER2:53
	}
}
EOT
check_eq "an operator's DNAT works" "server2" \
	"$(peer wanhost udp $PUBLIC 54 sourceport=5454,reuseaddr | cut -d' ' -f3)"
for i in 1 2 3 4 5 6 7 8; do
	echo "map add udp 90 to 192.168.1.$((30 + i))"
	echo "map del udp 90"
done >"$tmp/churn"
hp router -f "$tmp/churn"
check_eq "eight mappings of one port gone in one batch leave the operator's entries" \
	"1" "$(nsq router conntrack -L -p udp --orig-port-dst 54 2>/dev/null | grep -c .)"
check_eq "and ours, whose translation did not change" "$before" "$(ct_ids tcp 7)/$(ct_ids udp 53)"

# --- A more specific mapping takes a UDP flow over at once.
check_eq "the flow is on the any-address mapping's server" "server" "$(flow)"
hp router map add udp $PUBLIC:53 to $SERVER2
check_eq "a mapping naming the address takes the running flow" "server2" "$(flow)"
check "the TCP connection is untouched by it" echoes four

# --- A replace that does change the target ends the connection.
hp router map replace tcp 7 to $SERVER2
check "a replace to another server ends the connection" eval '! echoes five 3'
exec 9>&-

# --- A failed batch changes nothing, not even the order of the table: a
# dump that runs across it sees every mapping once, or knows it raced.
hp router map flush
awk 'BEGIN { for (i = 1; i <= 400; i++) printf "map add tcp %d to 10.0.0.1\n", i }' >"$tmp/400"
hp router -f "$tmp/400"
printf 'map del tcp 1\nmap replace tcp 2 to 10.0.0.2\nmap add tcp 150 to 10.0.0.3\n' >"$tmp/bad"
# Its last line overlaps: it fails, in the middle of the dump.
nsq router "$top/selftests/dump-pause.py" "$HAIRPINCTL" -f "$tmp/bad" >"$tmp/dump"
check "a dump across a failed batch sees each mapping once ($(tail -n 1 "$tmp/dump"))" eval \
	'[ "$(tail -n 1 "$tmp/dump")" = intr ] || [ "$(head -n -1 "$tmp/dump" | sort -n)" = "$(seq 400)" ]'
check_eq "the failed batch left the mappings as they were" "10.0.0.1 400" \
	"$(hpq -j map show | jq -r '.mappings | "\(map(.to_addr) | unique | join(" ")) \(length)"')"

# --- One batch that deletes a mapping and adds one overlapping it: the
# ports are taken over in place.
hp router map flush
hp router map add tcp 81 to $SERVER:80
printf 'map del tcp 81\nmap add tcp 80-81 to %s\n' $SERVER2 >"$tmp/over"
hp router -f "$tmp/over"
check_eq "a deleted mapping's port goes to the new one" "server2" \
	"$(peer wanhost tcp $PUBLIC 81 | cut -d' ' -f3)"
check_eq "and so does the free port" "server2" "$(peer wanhost tcp $PUBLIC 80 | cut -d' ' -f3)"
check_eq "which is the only one" "1" "$(hpq -j show | jq -r .mappings)"
finish

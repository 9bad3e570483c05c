#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot-time restore README recommends (hairpinctl -f FILE, whose first
# line is "map flush") while new connections arrive, again and again: each
# restore into an empty table registers the NAT lookups and replaces the
# empty table in one commit, and a packet may be looking the old one up
# meanwhile. On the debug kernel KASAN reports a table freed under a
# reader; here the guest also fails on any kernel report.
#
#   wanhost --> router 203.0.113.1 udp/8000, flushed and restored 40 times
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

# To a port nothing listens on: the server's answers to the flood would
# keep it busy long after.
printf 'map flush\nmap add udp 8000 to %s:5300\nmap add tcp 8000 to %s:80\n' \
	$SERVER $SERVER >"$tmp/table"
# A new UDP flow per datagram (bash opens a socket per redirection), as
# fast as one shell goes, until told to stop.
echo "[+] wanhost: new UDP flows to $PUBLIC:8000 until stopped" >&2
# shellcheck disable=SC2016 # expanded by the inner bash
nsq wanhost bash -c 'n=0; while [ ! -e "$1" ]; do
	echo x 2>/dev/null >/dev/udp/$2/8000; n=$((n + 1)); done; echo $n >"$1.n"' \
	_ "$tmp/stop" $PUBLIC &
flood=$!

done=0
while [ $done -lt 40 ] && hpq map flush && hpq -f "$tmp/table"; do
	done=$((done + 1))
done
check_eq "restores into an empty table under traffic" 40 $done
touch "$tmp/stop"
wait $flood
check "with traffic all along ($(cat "$tmp/stop.n") datagrams)" test -s "$tmp/stop.n"
check_eq "the restored table maps" "$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 8000)"
finish

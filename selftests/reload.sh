#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot-time restore README recommends (hairpinctl -f FILE, whose first
# line is "map flush") while new connections arrive, again and again: each
# restore into an empty table registers the NAT lookups and replaces the
# empty table in one commit, and a packet may be looking the old one up
# meanwhile. A debug build holds that window open (race_delay_ms,
# kmod/selftest/race.c): packets in it hold the replaced table past the
# commit, and KASAN reports their lookup if the table is freed under them.
# The guest fails on any kernel report.
#
#   wanhost --> router 203.0.113.1 udp/8000 (looked up, not mapped),
#               TCP 8000 mapped, flushed and restored 40 times (10 in a debug build)
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
tmp=$(mktemp -d)
race=/sys/module/hairpin/parameters/race_delay_ms
race() { if [ -w $race ]; then echo "$1" >$race; fi; }
trap 'race 0; cleanup; rm -rf "$tmp"' EXIT
# With the window held open, every restore meets a packet in it.
restores=40
if [ -w $race ]; then
	race 20
	restores=10
fi

# Every new connection is looked up, mapped or not. A TCP mapping alone:
# then commit has no UDP flow to move (a conntrack walk), and the freeing
# follows the publication as closely as it can.
printf 'map flush\nmap add tcp 8000 to %s:80\n' $SERVER >"$tmp/table"
# A new UDP flow per datagram (bash opens a socket per redirection), as
# fast as one shell goes, until told to stop.
echo "[+] wanhost: new UDP flows to $PUBLIC:8000 until stopped" >&2
# shellcheck disable=SC2016 # expanded by the inner bash
nsq wanhost bash -c 'n=0; while [ ! -e "$1" ]; do
	echo x 2>/dev/null >/dev/udp/$2/8000; n=$((n + 1)); done; echo $n >"$1.n"' \
	_ "$tmp/stop" $PUBLIC &
flood=$!

done=0
while [ $done -lt $restores ] && hpq map flush && hpq -f "$tmp/table"; do
	done=$((done + 1))
done
check_eq "restores into an empty table under traffic" $restores $done
touch "$tmp/stop"
wait $flood
check "with traffic all along ($(cat "$tmp/stop.n") datagrams)" test -s "$tmp/stop.n"
check_eq "the restored table maps" "$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 8000)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003: peers punch holes with tools/punch, through two routers and
# through one, UDP and TCP, started one after the other and at the same
# instant. Plain nftables masquerade fails them; masq makes them work.
#
#              wanhost 198.51.100.2: the rendezvous server S
#                          |
#      isp 198.51.100.1 / 203.0.113.254 / 192.0.2.254
#            |                                 |
#   router wan0 203.0.113.1            router2 wan0 192.0.2.1
#     br-lan 192.168.1.1  lan2 10.0.2.1      lan 192.168.2.1
#        |                  |                  |
#   client .1.100       client2 10.0.2.100    peer2 192.168.2.100
#
# The router forwards nothing between its two LANs but connections it
# destination-NATed (a guest network): peers behind it reach each other
# only by the public address, as they would behind two routers.
source "$(dirname "$0")/lib.sh"
PUNCH=${PUNCH:-$top/tools/punch/punch}
[ -x "$PUNCH" ] || skip "punch not built: $PUNCH"
load_module
seed_topology
add_router2
guest_network

echo "[+] wanhost: punch server" >&2
nsq wanhost "$PUNCH" server -v 2>"$peer_log.s" &
wait_for_port wanhost udp 7717
wait_for_port wanhost tcp 7717

# punch_pair PROTO PORT ONCE NS1 NS2 PUBLIC1 PUBLIC2: two peers, the first
# on PORT, the second on PORT + 500, the second started once the first has
# registered, or both at once (ONCE=1). True if each connected to the
# other's public address, on the same port: the mapping kept it.
n=0
punch_pair() {
	local proto=$1 port=$2 once=$3 a=$4 b=$5 pub_a=$6 pub_b=$7 t='' pa pb
	n=$((n + 1))
	[ "$proto" = tcp ] && t=-t
	echo "[+] $a, $b: punch $proto/$port" >&2
	nsq "$a" "$PUNCH" peer $t -w 8 -p "$port" $WANHOST "a$n" "b$n" >"$peer_log.a" 2>&1 &
	pa=$!
	[ "$once" = 1 ] || until_ok 10 grep -q "register a$n " "$peer_log.s"
	nsq "$b" "$PUNCH" peer $t -w 8 -p $((port + 500)) $WANHOST "b$n" "a$n" >"$peer_log.b" 2>&1 &
	pb=$!
	wait $pa $pb
	sed 's/^/# /' "$peer_log.a" "$peer_log.b" >&2
	grep -q "connected to b$n at $pub_b:$((port + 500)) (public) over $proto" "$peer_log.a" &&
		grep -q "connected to a$n at $pub_a:$port (public) over $proto" "$peer_log.b"
}
fails() { ! "$@"; }

# Control: the seed's failure, through plain masquerade on both routers.
check "control: plain masquerade, udp: the punch fails" \
	fails punch_pair udp 40000 0 client peer2 $PUBLIC 192.0.2.1

hp router masq add dev wan0
hp router2 masq add dev wan0
port=41000
for proto in udp tcp; do
	for once in 0 1; do
		what="one after the other"
		[ $once = 1 ] && what="at the same instant"
		port=$((port + 1))
		check "two routers, $proto, $what" \
			punch_pair $proto $port $once client peer2 $PUBLIC 192.0.2.1
		port=$((port + 1))
		check "one router, hairpinned, $proto, $what" \
			punch_pair $proto $port $once client client2 $PUBLIC $PUBLIC
	done
done
finish

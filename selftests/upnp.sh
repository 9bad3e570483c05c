#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forwards that miniupnpd made, from the LAN: the server asks the router's
# miniupnpd for a TCP forward over UPnP IGD (upnpc), a UDP one over
# NAT-PMP (natpmpc) and one over PCP (pcp.py). miniupnpd's DNAT rules
# match only what arrives on wan0, so the LAN fails, with scope all too;
# "hairpinctl upnp follow" mirrors its lease file into mirror mappings,
# and then the LAN reaches them by the public address, hairpinned as "set
# source" says, a routed subnet with its own address (seed 004). The
# mirrors are miniupnpd's in map show; one goes when its forward is
# deleted or expires, all when follow exits; scope own stops them; and
# they open nothing to the WAN.
#
#   wanhost 198.51.100.2 --- isp --- wan0 20.0.0.1 router lan2 10.0.2.1 --- client2
#                                      miniupnpd on br-lan 192.168.1.1
#                                         /                    \
#                          client 192.168.1.100          server 192.168.1.10
#                                                          tcp 80, udp 53
#
# (20.0.0.1: miniupnpd refuses a reserved address; see lib.sh.)
source "$(dirname "$0")/lib.sh"
for t in miniupnpd upnpc natpmpc python3 jq; do
	command -v $t >/dev/null || skip "$t not installed"
done
load_module
seed_topology
tmp=$(mktemp -d /tmp/upnp.XXXXXX)
trap 'cleanup; rm -rf "$tmp"' EXIT
upnp_router "$tmp"

# mirrors: the mirror mappings, "PROTO PORT TO_ADDR:TO_PORT COMMENT" a
# line, sorted.
mirrors() {
	hpq -j map show |
		jq -r '.mappings[] | select(.mirror) | "\(.proto) \(.port) \(.to_addr):\(.to_port) \(.comment)"' |
		sort
}
# mirrored PORT: a mirror of external port PORT is there.
mirrored() { mirrors | grep -q "^[a-z]* $1 "; }
unmirrored() { ! mirrored "$1"; }

echo "# the forwards, as miniupnpd makes them"
upnpc_on server -e web -a $SERVER 80 8080 TCP >/dev/null
ns server natpmpc -g $ROUTER_LAN -a 5300 53 udp 3600 >/dev/null
check_eq "miniupnpd's leases" \
	"TCP:8080:$SERVER:80:web UDP:5300:$SERVER:53:NAT-PMP 5300 udp" \
	"$(cut -d: -f1-4,6- "$tmp/leases" | paste -sd ' ')"
check_eq "the WAN reaches the TCP forward" "$WANHOST server" \
	"$(peer_who wanhost tcp $PUBLIC 8080)"
check_eq "the WAN reaches the UDP forward" "$WANHOST server" \
	"$(peer_who wanhost udp $PUBLIC 5300)"
check "the LAN fails over TCP (miniupnpd's rule is for wan0)" \
	no_answer client tcp $PUBLIC 8080
check "the LAN fails over UDP" no_answer client udp $PUBLIC 5300
hp router set scope all
check "scope all alone: still, as nothing DNATs the LAN's connection" \
	no_answer client tcp $PUBLIC 8080

echo "# hairpinctl upnp follow"
echo "[+] router: hairpinctl upnp follow $tmp/leases &" >&2
# Not nsq, so that $! is hairpinctl itself (ip netns exec execs it).
ip netns exec "router-$sfx" "$HAIRPINCTL" upnp follow "$tmp/leases" >"$tmp/follow.log" 2>&1 &
follow=$!
until_ok 20 mirrored 5300
check_eq "map show: miniupnpd's forwards, as mirrors" \
	"tcp 8080 $SERVER:80 miniupnpd: web
udp 5300 $SERVER:53 miniupnpd: NAT-PMP 5300 udp" "$(mirrors)"
for f in "tcp 8080" "udp 5300"; do
	read -r proto port <<<"$f"
	check_eq "$proto from the LAN, hairpinned from the router's LAN address" \
		"$ROUTER_LAN server" "$(peer_who client $proto $PUBLIC $port)"
	check_eq "$proto from a routed subnet keeps its address" \
		"$CLIENT2 server" "$(peer_who client2 $proto $PUBLIC $port)"
done
check_eq "the WAN still with its own address" "$WANHOST server" \
	"$(peer_who wanhost tcp $PUBLIC 8080)"
hp router set source external
check_eq "source external: from the public address" "$PUBLIC server" \
	"$(peer_who client tcp $PUBLIC 8080)"
hp router set source lan
hp router set scope own
check "scope own: the mirrors serve no one" no_answer client tcp $PUBLIC 8080
hp router set scope all

echo "# deleting a forward ends its mirror"
ns server natpmpc -g $ROUTER_LAN -a 5300 53 udp 0 >/dev/null
check "NAT-PMP, lifetime 0: the mirror goes" until_ok 20 unmirrored 5300
check "and the LAN fails over UDP" no_answer client udp $PUBLIC 5300
# Without miniupnpd's DNAT rule, only the mirror is left to take the
# public port: the LAN gets through, the WAN must not.
ns router nft flush chain inet filter prerouting_miniupnpd
check "a mirror opens nothing to the WAN" no_answer wanhost tcp $PUBLIC 8080
check_eq "but serves the LAN" "$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 8080)"
upnpc_on server -d 8080 TCP >/dev/null
check "upnpc -d: the mirror goes" until_ok 20 unmirrored 8080
check "and the LAN fails over TCP" no_answer client tcp $PUBLIC 8080
# Mirrored for too short a time to be sure to see in map show: follow
# says it made the mirror.
upnpc_on server -e brief -a $SERVER 80 8081 TCP 3 >/dev/null
check "a forward for 3 s is mirrored" until_ok 20 grep -q "^map add tcp 8081 " "$tmp/follow.log"
check "and the mirror goes when it expires" until_ok 30 unmirrored 8081

echo "# PCP, and follow's exit"
out=$(ns server "$top/selftests/pcp.py" $ROUTER_LAN tcp 80 8084 600)
check_eq "PCP: the forward" "$PUBLIC 8084" "$(cut -d' ' -f1,2 <<<"$out")"
check "PCP: mirrored" until_ok 20 mirrored 8084
check_eq "PCP: as miniupnpd's" "tcp 8084 $SERVER:80 miniupnpd: PCP MAP" \
	"$(mirrors | cut -d' ' -f1-6)"
check_eq "PCP: from the LAN, hairpinned" "$ROUTER_LAN server" \
	"$(peer_who client tcp $PUBLIC 8084)"
kill $follow
wait $follow
check_eq "follow exits on SIGTERM with status 0" 0 $?
check_eq "and removes every mirror it added" "" "$(mirrors)"
check "the LAN fails again" no_answer client tcp $PUBLIC 8084
sed 's/^/# follow: /' "$tmp/follow.log"
hp router set scope own
finish

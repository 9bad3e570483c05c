#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hairpin NAT (seeds 000-002, 004): a LAN client on the server's subnet
# connecting to the public address. Without source NAT the server answers
# the client directly, the client drops the reply; with it the reply comes
# back through the router. A client in another internal subnet keeps its
# own address and works without. The source: the router's LAN address, the
# public one, or one named (a VRRP address) while the router holds it.
source "$(dirname "$0")/lib.sh"
load_module
seed_topology

# Control: the seeds' first attempt, a DNAT rule alone, fails on the LAN.
ns router nft -f - <<EOT
table ip control {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		fib daddr type local tcp dport 80 dnat to $SERVER:80
	}
}
EOT
check_eq "control: DNAT alone serves the WAN" \
	"$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"
check "control: DNAT alone fails for a LAN client (the seeds' failure)" \
	no_answer client tcp $PUBLIC 80
ns router nft delete table ip control
ns router conntrack -F >/dev/null 2>&1 || true

hp router map add tcp 80 to $SERVER
hp router map add udp 53 to $SERVER
check_eq "tcp from the LAN: the server sees the router's LAN address" \
	"$ROUTER_LAN" "$(peer_addr client tcp $PUBLIC 80)"
check_eq "udp from the LAN: the server sees the router's LAN address" \
	"$ROUTER_LAN" "$(peer_addr client udp $PUBLIC 53)"
check_eq "from another internal subnet: the server sees the real client" \
	"$CLIENT2" "$(peer_addr client2 tcp $PUBLIC 80)"
check_eq "from the WAN: still the real client" \
	"$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"

hp router set source external
check_eq "source external: the server sees the public address" \
	"$PUBLIC" "$(peer_addr client tcp $PUBLIC 80)"
# RFC 4787 REQ-9: a client that already has an external port keeps it. Make
# the WAN masquerade move ports, so that keeping one is visible.
serve tcp wanhost 80
ns router nft flush chain ip home postrouting
ns router nft add rule ip home postrouting oifname wan0 meta l4proto tcp masquerade to :61000-61009
ns router nft add rule ip home postrouting oifname wan0 masquerade
outside=$(peer client tcp $WANHOST 80 sourceport=40001,reuseaddr | cut -d' ' -f1,2)
check "the WAN sees the client's masqueraded port" \
	eval "[[ '$outside' == '$PUBLIC 6100'[0-9] ]]"
check_eq "source external: the hairpinned connection reuses that port" \
	"$outside" "$(peer client tcp $PUBLIC 80 sourceport=40001,reuseaddr | cut -d' ' -f1,2)"
hp router set source lan

# Two routers share a LAN address (VRRP): named as the source, it is used
# while this router holds it, and the lan choice while it does not. The
# module takes it before it is local, as a backup router's does.
VIP=192.168.1.254
hp router set source $VIP
check_eq "source ADDR: show -j" "address $VIP" \
	"$(hpq -j show | jq -r '"\(.source) \(.source_addr)"')"
check "source ADDR: save writes it as set takes it" \
	eval "hpq save | grep -qx 'set source $VIP hairpin auto'"
ns router ip addr add $VIP/24 dev br-lan
check_eq "source ADDR: the server sees it while the router holds it" \
	"$VIP" "$(peer_addr client tcp $PUBLIC 80)"
ns router ip addr del $VIP/24 dev br-lan
check_eq "source ADDR: the router's LAN address once it does not" \
	"$ROUTER_LAN" "$(peer_addr client tcp $PUBLIC 80)"
hp router set source lan

hp router set hairpin always
check_eq "hairpin always: a routed internal client is source-NATed too" \
	"$ROUTER_LAN" "$(peer_addr client2 tcp $PUBLIC 80)"
check_eq "hairpin always: never a WAN client" \
	"$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"
check_eq "hairpin always: nor one on the WAN's own subnet" \
	"203.0.113.254" "$(peer_addr isp tcp $PUBLIC 80)"

hp router set hairpin off
check "hairpin off: the LAN client fails again" \
	no_answer client tcp $PUBLIC 80
check_eq "hairpin off: the WAN still works" \
	"$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# set scope all: the hairpin settings for forwards that hairpin did not
# make. The operator's own DNAT rules alone, with no mapping: an nftables
# "dnat to", and seed 002's iptables rule (iptables-nft and
# iptables-legacy), fail from the LAN with scope own and work with scope
# all, hairpinned from the address "set source" says; a client in a routed
# subnet keeps its address (seed 004); the operator's own source NAT wins;
# these connections are counted apart, never by a mapping; a forward that
# a masq binding made is left to masq. A mirror repeats a forward that
# serves the WAN only (miniupnpd's) for internal clients, with scope all
# only, and opens nothing to the WAN; it counts apart as well, and a
# mapping made a mirror, or a scope made own, takes their flows from the
# clients it no longer serves.
#
#   wanhost 198.51.100.2 --- isp --- wan0 203.0.113.1 router lan2 10.0.2.1 --- client2
#                                              br-lan 192.168.1.1
#                                         /                    \
#                          client 192.168.1.100          server 192.168.1.10
#                                                    tcp 80, udp 53, (masq) 4300
source "$(dirname "$0")/lib.sh"
NLMSG=${HAIRPIN_NLMSG:-$top/tools/fuzz-nl/nlmsg}
load_module
command -v jq >/dev/null || skip "jq not installed"
seed_topology

others() { hpq -j show -s | jq -r .others_hairpinned; }
totals() { hpq -j show -s | jq -r '"\(.conns) \(.hairpinned)"'; }
counters() {
	hpq -j map show | jq -r ".mappings[] | select(.port == $1) | \"\(.conns) \(.hairpinned)\""
}
forget() { nsq router conntrack -F >/dev/null 2>&1 || true; }

# both VARIANT: the checks every forward must pass, TCP to port 80 and
# UDP to port 53 of the public address, which the rule under test sends
# to the server.
both() {
	local v=$1 proto port o
	hp router set scope own
	for proto in tcp udp; do
		port=80
		[ $proto = tcp ] || port=53
		check "$v, scope own: $proto from the LAN fails (the seeds' failure)" \
			no_answer client $proto $PUBLIC $port
	done
	hp router set scope all
	o=$(others)
	peer_tries_reset
	for proto in tcp udp; do
		port=80
		[ $proto = tcp ] || port=53
		check_eq "$v, scope all: $proto from the LAN, hairpinned from the router's LAN address" \
			"$ROUTER_LAN server" "$(peer_who client $proto $PUBLIC $port)"
		check_eq "$v, scope all: $proto from a routed subnet keeps its address" \
			"$CLIENT2 server" "$(peer_who client2 $proto $PUBLIC $port)"
	done
	check_eq "$v: others-hairpinned counts each LAN connection" \
		"$(peer_tries '^client ')" "$(($(others) - o))"
	hp router set source external
	for proto in tcp udp; do
		port=80
		[ $proto = tcp ] || port=53
		check_eq "$v, scope all, source external: $proto from the public address" \
			"$PUBLIC server" "$(peer_who client $proto $PUBLIC $port)"
	done
	hp router set source lan
}

echo "# an nftables dnat rule alone"
ns router nft -f - <<EOT
table ip rules {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		fib daddr type local tcp dport 80 dnat to $SERVER:80
		fib daddr type local udp dport 53 dnat to $SERVER:53
	}
}
EOT
check_eq "scope is own by default" own "$(hpq -j show | jq -r .scope)"
check_eq "control: the rule serves the WAN" "$WANHOST server" \
	"$(peer_who wanhost tcp $PUBLIC 80)"
both nftables
check_eq "no mapping counted any of them" "0 0" "$(totals)"
check_eq "scope all: the WAN still sees its own address" "$WANHOST server" \
	"$(peer_who wanhost tcp $PUBLIC 80)"
hp router set hairpin always
check_eq "hairpin always: a routed client is hairpinned too" "$ROUTER_LAN server" \
	"$(peer_who client2 tcp $PUBLIC 80)"
check_eq "hairpin always: never one from the WAN" "$WANHOST server" \
	"$(peer_who wanhost tcp $PUBLIC 80)"
hp router set hairpin off
check "hairpin off: the LAN fails again" no_answer client tcp $PUBLIC 80
hp router set hairpin auto

echo "# the operator's own source NAT wins"
ns router ip addr add 192.168.1.254/24 dev br-lan
ns router nft -f - <<EOT
table ip opsnat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		ip saddr 192.168.1.0/24 ip daddr $SERVER snat to 192.168.1.254
	}
}
EOT
o=$(others)
check_eq "tcp: the operator's snat, not hairpin's" "192.168.1.254 server" \
	"$(peer_who client tcp $PUBLIC 80)"
check_eq "udp: the operator's snat, not hairpin's" "192.168.1.254 server" \
	"$(peer_who client udp $PUBLIC 53)"
ns router nft flush chain ip opsnat postrouting
ns router nft add rule ip opsnat postrouting oifname br-lan ct status dnat masquerade
hp router set source external
check_eq "tcp: the operator's masquerade, not hairpin's external source" \
	"$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 80)"
check_eq "udp: the operator's masquerade too" \
	"$ROUTER_LAN server" "$(peer_who client udp $PUBLIC 53)"
check_eq "none of them counted as hairpinned" "$o" "$(others)"
hp router set source lan
ns router nft delete table ip opsnat

echo "# a mapping counts its own connections only"
ns router nft -f - <<EOT
table ip rules2 {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		ip saddr $CLIENT tcp dport 8080 dnat to $SERVER:80
	}
}
EOT
hp router map add tcp 8080 to $SERVER:80
hp router map add tcp 8081 to $SERVER:80
o=$(others)
read -r c0 h0 <<<"$(totals)"
peer_tries_reset
check_eq "the operator's rule to the mapping's own target: hairpinned" \
	"$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 8080)"
check_eq "and another forward" "$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 80)"
check_eq "the mapping's own connection, hairpinned" "$ROUTER_LAN server" \
	"$(peer_who client tcp $PUBLIC 8081)"
check_eq "the mapping the rule took from counts none of them" "0 0" "$(counters 8080)"
check_eq "the other mapping counts its own" "$(peer_tries ':8081') $(peer_tries ':8081')" \
	"$(counters 8081)"
check_eq "others-hairpinned counts the forwards, not the mapping's" \
	"$(($(peer_tries ':8080') + $(peer_tries ':80$')))" "$(($(others) - o))"
read -r c1 h1 <<<"$(totals)"
check_eq "the mappings' totals count the mapping's only" \
	"$(peer_tries ':8081') $(peer_tries ':8081')" "$((c1 - c0)) $((h1 - h0))"
hp router map flush
ns router nft delete table ip rules2
ns router nft delete table ip rules
forget

# Seed 002's rule, as its author wrote it for the LAN, and once more for
# the routed subnet; then its SNAT rule, which must win.
for v in iptables-nft iptables-legacy; do
	if ! command -v $v >/dev/null || ! nsq router $v -t nat -L >/dev/null 2>&1; then
		echo "# SKIP $v: not available"
		continue
	fi
	echo "# seed 002's rule with $v"
	ns router $v -t nat -A PREROUTING -s 192.168.1.0/24 -d $PUBLIC -j DNAT --to-destination $SERVER
	ns router $v -t nat -A PREROUTING -s 10.0.2.0/24 -d $PUBLIC -j DNAT --to-destination $SERVER
	both "$v"
	ns router $v -t nat -A POSTROUTING -s 192.168.1.0/24 -d $SERVER -j SNAT --to-source 192.168.1.254
	check_eq "$v: seed 002's SNAT rule wins" "192.168.1.254 server" \
		"$(peer_who client tcp $PUBLIC 80)"
	ns router $v -t nat -F
	forget
done

# masq hairpins a LAN host to another's binding itself, from the sender's
# own binding (its public address); scope all must not NAT it again, nor
# count it.
echo "# a forward through a masq binding is masq's"
hp router set scope all
hp router masq add dev wan0
serve udp wanhost 7001
serve tcp wanhost 7001
# The server's bindings on port 4300 first, its listeners then (a TCP
# listener would keep a connection from that port).
for proto in udp tcp; do
	check_eq "masq: $proto from the server's port 4300 binds it" "$PUBLIC 4300" \
		"$(peer server $proto $WANHOST 7001 sourceport=4300,reuseaddr | cut -d' ' -f1,2)"
	serve $proto server 4300
done
o=$(others)
for proto in udp tcp; do
	check_eq "masq: $proto from the LAN to the bound port, hairpinned by masq" \
		"$PUBLIC server" "$(peer_who client $proto $PUBLIC 4300)"
done
check_eq "masq: not counted as hairpinned for others" "$o" "$(others)"
hp router masq del dev wan0

# nlmap CMD ATTRS: nlmsg's CMD (tools/fuzz-nl) for the mapping ATTRS, as
# the uapi header has it: mirrors, which hairpinctl did not know of yet.
nlmap() {
	local out
	echo "[+] router: nlmsg $1 map{ $2 }" >&2
	# shellcheck disable=SC2086 # the words of the mapping
	out=$(nsq router "$NLMSG" -e ok "$1" "map{" $2 "}" 2>&1) ||
		fail "nlmsg $1 map{ $2 }: $(tr '\n' ' ' <<<"$out")"
}
# flows ADDR: conntrack entries of UDP flows from ADDR to port 5301.
flows() {
	nsq router conntrack -L -p udp --orig-port-dst 5301 -s "$1" 2>/dev/null | grep -c . || true
}
if [ -x "$NLMSG" ]; then
	echo "# a mirror of a forward that the daemon made for the WAN only"
	hp router set scope all
	ns router nft -f - <<-EOT
	table ip upnp {
		chain prerouting {
			type nat hook prerouting priority dstnat;
			iif "wan0" tcp dport 8081 dnat to $SERVER:80
		}
	}
	EOT
	nlmap new_map "proto=6 port=8081 to_addr=$SERVER to_port=80 flags=1"
	nlmap new_map "proto=6 port=8082 to_addr=$SERVER to_port=80 flags=1"
	o=$(others)
	t=$(totals)
	peer_tries_reset
	check_eq "mirror: the WAN reaches the forward by the daemon's rule" \
		"$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 8081)"
	check_eq "mirror, scope all: the LAN by the public address, hairpinned" \
		"$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 8081)"
	check_eq "mirror: a routed subnet keeps its address" \
		"$CLIENT2 server" "$(peer_who client2 tcp $PUBLIC 8081)"
	check_eq "mirror: the router itself" "$PUBLIC server" \
		"$(peer_who router tcp $PUBLIC 8081)"
	check "mirror: it opens nothing to the WAN" no_answer wanhost tcp $PUBLIC 8082
	check_eq "mirror: counts its own, the LAN's as hairpinned" \
		"$(($(peer_tries ':8081') - $(peer_tries '^wanhost .*:8081'))) $(peer_tries '^client ')" \
		"$(counters 8081)"
	check_eq "mirror: the LAN's hairpinned for others too" \
		"$(peer_tries '^client ')" "$(($(others) - o))"
	hp router set scope own
	check "mirror, scope own: the LAN gets nothing" no_answer client tcp $PUBLIC 8081
	nlmap del_map "proto=6 port=8081"
	check_eq "mirror: never in the totals, deleted or not" "$t" "$(totals)"
	ns router nft delete table ip upnp

	echo "# a mapping made a mirror: its flows from outside go"
	hp router set scope all
	hp router map add udp 5301 to $SERVER:53
	check_eq "control: a flow from the WAN" "$WANHOST server" \
		"$(peer_who wanhost udp $PUBLIC 5301 sourceport=5353,reuseaddr)"
	check_eq "control: a flow from the LAN" "$ROUTER_LAN server" \
		"$(peer_who client udp $PUBLIC 5301 sourceport=5353,reuseaddr)"
	nlmap replace_map "proto=17 port=5301 to_addr=$SERVER to_port=53 flags=1"
	check_eq "made a mirror: the WAN's flow goes, the LAN's stays" "0 1" \
		"$(flows $WANHOST) $(flows $CLIENT)"
	hp router set scope own
	check_eq "scope own: the LAN's goes too" "0" "$(flows $CLIENT)"
	hp router map flush
else
	echo "# SKIP mirrors: nlmsg not built (make -C tools/fuzz-nl)"
	hp router set scope own
fi

check_eq "scope own again" own "$(hpq -j show | jq -r .scope)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# masq: masquerade through bindings (RFC 4787, RFC 5382), property by
# property, on the seeds' router (whose nftables masquerade on wan0 it must
# take over), with two more hosts: a second public one, and a second LAN
# client.
#
#   wanhost 198.51.100.2   far 198.51.100.3
#            \              /
#             isp 198.51.100.1 / 203.0.113.254
#                     |
#              wan0 203.0.113.1   router   br-lan 192.168.1.1
#                                           /        \
#                               client 192.168.1.100  client3 192.168.1.101
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
load_module
command -v jq >/dev/null || skip "jq not installed"
seed_topology
add_ns far client3
veth isp isp2 far eth0
# The WAN side as one segment: wanhost and far behind one bridge.
ip -n "isp-$sfx" -b - <<EOT
link add br0 type bridge
addr del 198.51.100.1/24 dev isp1
link set isp1 master br0
link set isp2 master br0
link set br0 up
addr add 198.51.100.1/24 dev br0
EOT
end_host far 198.51.100.3/24 198.51.100.1
veth router lan-client3 client3 eth0
ip -n "router-$sfx" link set lan-client3 master br-lan
end_host client3 192.168.1.101/24 $ROUTER_LAN
FAR=198.51.100.3
serve udp wanhost 7001
serve udp wanhost 7002
serve tcp wanhost 7001
serve tcp wanhost 7002
serve udp far 7001
serve tcp far 7001

# seen NS PROTO PORT SRCPORT [HOST]: "ADDRESS:PORT" HOST (wanhost) saw NS
# come from.
seen() {
	peer "$1" "$2" "${5:-$WANHOST}" "$3" "sourceport=$4,reuseaddr" | awk '{print $1 ":" $2}'
}
bindings() { hpq -j binding show | jq -c '.bindings'; }
# differs A B: A is an endpoint, and not B.
differs() { [ -n "$1" ] && [ "$1" != "$2" ]; }
entries() { nsq router conntrack -L "$@" 2>/dev/null | grep -c . || true; }

# Control: nftables masquerade keeps ports but maps per destination, and
# has no hairpin.
check_eq "control: nftables masquerade keeps the port" "$PUBLIC:4000" \
	"$(seen client udp 7001 4000)"
check "control: and for another client on that port, moves it" \
	differs "$(seen client3 udp 7001 4000)" "$PUBLIC:4000"
ns router conntrack -F >/dev/null 2>&1

hp router masq add dev wan0
check_eq "masq show" "dev wan0 filter independent bindings 0" "$(hpq masq show)"

# RFC 4787 REQ-1, RFC 5382 REQ-1: one external endpoint per internal one.
for proto in udp tcp; do
	a=$(seen client $proto 7001 4100)
	b=$(seen client $proto 7002 4100)
	check_eq "$proto: the port is kept" "$PUBLIC:4100" "$a"
	check_eq "$proto: to another destination, the same external endpoint" "$a" "$b"
	c=$(seen client3 $proto 7001 4100)
	check "$proto: another host's same port gets another external port" \
		differs "$c" "$a"
	# Where masquerade would give it its own port back: a destination
	# client never talked to.
	check_eq "$proto: which it keeps to another destination" "$c" \
		"$(seen client3 $proto 7001 4100 $FAR)"
done
check_eq "binding show lists them" 4 "$(bindings | jq length)"
check_eq "binding show: the JSON of one" \
	"udp 192.168.1.100 4100 $PUBLIC 4100 independent" \
	"$(bindings | jq -r '.[] | select(.proto == "udp" and .internal == "'$CLIENT'") |
		"\(.proto) \(.internal) \(.internal_port) \(.external) \(.external_port) \(.filter)"')"
check_eq "masq show counts them" "dev wan0 filter independent bindings 4" "$(hpq masq show)"

# REQ-3a: a port below 1024 stays below.
low=$(seen client udp 7001 500 | cut -d: -f2)
check_eq "a low port stays low" 500 "$low"
low=$(seen client3 udp 7001 500 | cut -d: -f2)
check "another host's low port gets another low port ($low)" \
	differs "$low" 500
check "below 1024" [ "${low:-1024}" -lt 1024 ]
check_eq "which it keeps to another destination" "$low" \
	"$(seen client3 udp 7001 500 $FAR | cut -d: -f2)"

# Filtering (REQ-8): independent lets anyone in.
serve udp client 4200
seen client udp 7001 4200 >/dev/null
check_eq "independent: a stranger reaches the bound port" "$FAR 6000 client" \
	"$(peer far udp $PUBLIC 4200 sourceport=6000,reuseaddr)"

# address-port: only where the host has sent; the rest vanishes.
ns router conntrack -F >/dev/null 2>&1
ends() { bindings | jq -r "$1"' | "\(.internal):\(.internal_port) \(.external_port)"' | sort; }
before=$(ends '.[]')
hp router -f - <<EOT
masq del dev wan0
masq add dev wan0 filter address-port
EOT
# A rule replaced in one batch keeps its bindings, idle ones too (an
# independent binding has no room for peers: it is copied into one that
# has), under the new filter.
check_eq "the rule's filter is the new one" "dev wan0 filter address-port" \
	"$(hpq masq show | cut -d' ' -f1-4)"
check_eq "its idle bindings stay, on their ports" "$before" \
	"$(ends '.[] | select(.filter == "address-port")')"
seen client udp 7001 4200 >/dev/null
check "address-port: a stranger is refused" no_answer far udp $PUBLIC 4200 sourceport=6001,reuseaddr
check_eq "and leaves no conntrack entry" 0 "$(entries -s $FAR)"
check_eq "address-port: the endpoint the host sent to gets in" "$WANHOST 7001 client" \
	"$(peer wanhost udp $PUBLIC 4200 sourceport=7001,reuseaddr)"
check "address-port: that address from another port does not" \
	no_answer wanhost udp $PUBLIC 4200 sourceport=7003,reuseaddr
seen client tcp 7001 4300 >/dev/null
echo "[+] router: tcpdump for a RST" >&2
nsq router timeout 8 tcpdump -ni wan0 -c 1 'tcp[tcpflags] & tcp-rst != 0' \
	>"$peer_log.rst" 2>"$peer_log.rst.err" &
dump=$!
until_ok 5 grep -q listening "$peer_log.rst.err"
check "tcp, address-port: a stranger's SYN is refused" no_answer far tcp $PUBLIC 4300
wait $dump
check_eq "without a RST (RFC 5382 REQ-4)" "" "$(cat "$peer_log.rst")"

# Hairpin for bindings (REQ-9): client3 reaches client's binding, and is
# seen from its own binding's public endpoint.
ns router conntrack -F >/dev/null 2>&1
hp router -f - <<EOT
masq del dev wan0
masq add dev wan0
EOT
seen client udp 7001 4200 >/dev/null
c3=$(seen client3 udp 7001 4400)
check_eq "hairpin: client3's binding" "$PUBLIC:4400" "$c3"
check_eq "hairpin: client3 reaches client by the public address, seen from its binding" \
	"$PUBLIC 4400 client" "$(peer client3 udp $PUBLIC 4200 sourceport=4400,reuseaddr)"
check_eq "hairpin: a sender without a binding gets one" \
	"$PUBLIC 4401 client" "$(peer client3 udp $PUBLIC 4200 sourceport=4401,reuseaddr)"

# conntrack -E still reports events: no notifier is taken.
# Until it is subscribed, a new source port a try.
echo "[+] router: conntrack -E" >&2
nsq router timeout 20 conntrack -E -e NEW -p udp --orig-port-dst 7002 >"$peer_log.ev" 2>/dev/null &
ev=$!
sport=4500
event() {
	sport=$((sport + 1))
	seen client udp 7002 $sport >/dev/null
	grep -q "sport=$sport " "$peer_log.ev"
}
check "conntrack -E sees new entries through bindings" until_ok 15 event
kill $ev 2>/dev/null

# Two masq interfaces (wan1 a dummy: what leaves by it vanishes, after
# it is bound): an internal endpoint gets a binding on each address, and
# keeps both.
ns router ip link add wan1 type dummy
ns router ip addr add 192.0.2.1/24 dev wan1
ns router ip link set wan1 up
ns router ip route add 198.51.101.0/24 dev wan1
hp router masq add dev wan1
seen client udp 7001 4700 >/dev/null
echo x | ns client socat -u - UDP:198.51.101.1:9,sourceport=4700,reuseaddr
check_eq "two masq interfaces: a binding on each address" "192.0.2.1 $PUBLIC" \
	"$(bindings | jq -r '[.[] | select(.internal_port == 4700) | .external] | sort | join(" ")')"
check_eq "the first stays, on its port" "$PUBLIC:4700" "$(seen client udp 7002 4700)"
hp router masq del dev wan1
ns router ip link del wan1

# Rebuilt from the conntrack table: after the rule goes and comes back,
# the binding is found again from its live entries. Client's own entry for
# 4200 goes first: its binding is then rebuilt from nothing, and the
# hairpinned entries to it are left without one (they stay, and must go
# with the address below all the same).
nsq router conntrack -D -p udp --orig-src $CLIENT --orig-port-src 4200 >/dev/null 2>&1
hp router masq del dev wan0
check_eq "without the rule, no bindings" 0 "$(bindings | jq length)"
hp router masq add dev wan0
check "with it again, client's binding is rebuilt from its entries" \
	[ "$(bindings | jq "[.[] | select(.internal_port == $sport)] | length")" = 1 ]

# As conntrackd commits a backup router's entries: an outbound one made
# through ctnetlink, its reply tuple the plain inverse and the source NAT
# given apart, for the kernel to set up (a reply tuple given translated
# would not be source-NATed). Adding the rule walks the table before it
# returns: the binding is there at once, not at the next walk, 10 s on,
# and a filtering one lets in its entries' remotes, from any port.
hp router masq del dev wan0
ns router conntrack -I -p udp -s $CLIENT -d $WANHOST --sport 5000 --dport 7001 \
	-r $WANHOST -q $CLIENT --reply-port-src 7001 --reply-port-dst 5000 \
	--src-nat $PUBLIC:5123 --timeout 120 >/dev/null
check_eq "conntrack -I: a source-NATed entry" 1 \
	"$(entries --src-nat -p udp -s $CLIENT --orig-port-src 5000)"
hp router masq add dev wan0 filter address
check_eq "masq add returns with the entry's binding" "$CLIENT:5000 $PUBLIC:5123 address" \
	"$(bindings | jq -r '.[] | select(.internal_port == 5000) |
		"\(.internal):\(.internal_port) \(.external):\(.external_port) \(.filter)"')"
serve udp client 5000
check_eq "filter address: the entry's remote gets in from another port" \
	"$WANHOST 7003 client" "$(peer wanhost udp $PUBLIC 5123 sourceport=7003,reuseaddr)"
check "another address does not" no_answer far udp $PUBLIC 5123 sourceport=7003,reuseaddr

# A rule with an address of its own (a virtual address that keepalived
# moves between two routers) source-NATs to it while the router has it,
# to the interface's address while not; and what was made on it outlives
# its absence, as SNAT's does, where masquerade's goes with it.
VIP=203.0.113.9
vip_binding() {
	bindings | jq -r '.[] | select(.external == "'$VIP'") | "\(.external):\(.external_port)"'
}
hp router masq add dev wan0 to $VIP
check_eq "masq show: the rule's address" "dev wan0 to $VIP filter independent" \
	"$(hpq masq show | cut -d' ' -f1-6)"
check_eq "masq show -j: as \"to\"" "$VIP" "$(hpq -j masq show | jq -r '.masq[0].to')"
check_eq "the address not local: the interface's" "$PUBLIC:4800" "$(seen client udp 7001 4800)"
ns router ip addr add $VIP/32 dev wan0
check_eq "local: the rule's" "$VIP:4801" "$(seen client udp 7001 4801)"
ns router ip addr del $VIP/32 dev wan0
# A walk, before it returns.
hp router masq add dev wan0 to $VIP
check_eq "the address gone: its connection stays" 1 "$(entries -p udp --reply-dst $VIP)"
check_eq "and its binding" "$VIP:4801" "$(vip_binding)"
# Without the address, the binding goes, as a deleted rule's does, but
# not its connection. (With a rule that never named it, the connections
# go with the address: the next part.)
hp router masq add dev wan0
check_eq "the rule without the address: its binding goes" "" "$(vip_binding)"
check_eq "but not its connection" 1 "$(entries -p udp --reply-dst $VIP)"

# An address change ends the bindings on the old address, and their entries.
ns router ip addr del $PUBLIC/24 dev wan0
ns router ip addr add 203.0.113.2/24 dev wan0
ns router ip route add default via 203.0.113.254
nobindings() { [ "$(bindings | jq length)" = 0 ]; }
until_ok 5 nobindings
check_eq "address gone: its bindings go" 0 "$(bindings | jq length)"
check_eq "and their entries" 0 "$(entries --reply-dst $PUBLIC)"
check_eq "new connections bind on the new address" "203.0.113.2:4600" "$(seen client udp 7001 4600)"

hp router masq del dev wan0
check_no_leaks
finish

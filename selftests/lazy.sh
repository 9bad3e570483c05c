#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A namespace without mappings pays nothing: hairpin turns conntrack on in a
# namespace with its first mapping, and off again with its last; or with
# "set scope all", and off again with "set scope own".
#
#   client 10.9.0.2 --- 10.9.0.1 router 10.9.1.1 --- 10.9.1.2 server
source "$(dirname "$0")/lib.sh"
load_module
command -v conntrack >/dev/null || skip "conntrack not installed"
add_ns client router server
veth client eth0 router c0
veth router s0 server eth0
ip -n "client-$sfx" addr add 10.9.0.2/24 dev eth0
ip -n "client-$sfx" route add default via 10.9.0.1
ip -n "router-$sfx" addr add 10.9.0.1/24 dev c0
ip -n "router-$sfx" addr add 10.9.1.1/24 dev s0
ip -n "server-$sfx" addr add 10.9.1.2/24 dev eth0
ip -n "server-$sfx" route add default via 10.9.1.1
nsq router sysctl -qw net.ipv4.ip_forward=1
serve tcp server 80
serve tcp server 81
serve tcp server 82
serve tcp server 83
serve tcp server 84

tracked() { nsq router conntrack -L -p tcp --orig-port-dst "$1" 2>/dev/null | grep -c . || true; }

check_eq "forwarding works without mappings" "server" "$(peer client tcp 10.9.1.2 80 | cut -d' ' -f3)"
check_eq "and is not tracked: no conntrack without mappings" "0" "$(tracked 80)"

hp router map add tcp 8080 to 10.9.1.2:80
peer_tries_reset
check_eq "with a mapping, connections are tracked" "server" "$(peer client tcp 10.9.1.2 81 | cut -d' ' -f3)"
# One per try: a slow guest may have needed a second (lib.sh's peer).
check_eq "each connection has a conntrack entry" "$(peer_tries)" "$(tracked 81)"

hp router map del tcp 8080
check_eq "after the last mapping goes, forwarding still works" "server" \
	"$(peer client tcp 10.9.1.2 82 | cut -d' ' -f3)"
check_eq "and conntrack is off again" "0" "$(tracked 82)"

hp router set scope all
peer_tries_reset
check_eq "scope all, without mappings: forwarding works" "server" \
	"$(peer client tcp 10.9.1.2 83 | cut -d' ' -f3)"
check_eq "and is tracked" "$(peer_tries)" "$(tracked 83)"
hp router set scope own
check_eq "scope own again: forwarding works" "server" \
	"$(peer client tcp 10.9.1.2 84 | cut -d' ' -f3)"
check_eq "and conntrack is off again" "0" "$(tracked 84)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With br_netfilter, bridged LAN traffic passes through conntrack too, in
# the bridge's hooks: a known source of hairpin bugs. The seeds' scenario
# must work the same.
# Run by itself (selftests/run.sh): it loads br_netfilter, which changes every bridge.
# hairpin: alone
source "$(dirname "$0")/lib.sh"
load_module
modprobe -q br_netfilter || skip "no br_netfilter"
seed_topology
ns router sysctl -qw net.bridge.bridge-nf-call-iptables=1

hp router map add tcp 80 to $SERVER
hp router map add udp 53 to $SERVER
check_eq "tcp from the LAN through a netfilter bridge" \
	"$ROUTER_LAN" "$(peer_addr client tcp $PUBLIC 80)"
check_eq "udp from the LAN through a netfilter bridge" \
	"$ROUTER_LAN" "$(peer_addr client udp $PUBLIC 53)"
check_eq "from the WAN" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"
check_eq "the LAN talks directly inside the bridge, untouched" \
	"$CLIENT" "$(peer_addr client tcp $SERVER 80)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A port mapping from outside: a WAN host connecting to the router's public
# address reaches the internal server, which sees the WAN host's real address.
# (Topology: see seed_topology in lib.sh.)
source "$(dirname "$0")/lib.sh"
load_module
seed_topology

check "control: nothing mapped, nothing answers" no_answer wanhost tcp $PUBLIC 80

hp router map add tcp 80 to $SERVER:80
hp router map add udp 53 to $SERVER
check_eq "tcp from the WAN reaches the server, which sees the real client" \
	"$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 80)"
check_eq "udp from the WAN reaches the server, which sees the real client" \
	"$WANHOST" "$(peer_addr wanhost udp $PUBLIC 53)"
check "an unmapped port stays unmapped" no_answer wanhost tcp $PUBLIC 81
finish

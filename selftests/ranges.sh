#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port ranges, straight and shifted (7000-7009 to 9000-9009).
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
for p in 8000 8009 9000 9005 9009; do serve tcp server $p; done
serve udp server 9003

hp router map add tcp 8000-8009 to $SERVER
hp router map add tcp 7000-7009 to $SERVER:9000-9009
hp router map add udp 7000-7009 to $SERVER:9000-9009
check_eq "straight range, first port" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 8000)"
check_eq "straight range, last port" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 8009)"
check_eq "shifted range, first port" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 7000)"
check_eq "shifted range, 7005 to 9005" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 7005)"
check_eq "shifted range, last port" "$WANHOST" "$(peer_addr wanhost tcp $PUBLIC 7009)"
check_eq "shifted udp range, hairpinned" "$ROUTER_LAN" "$(peer_addr client udp $PUBLIC 7003)"
check "outside the range" no_answer wanhost tcp $PUBLIC 7010
check "an overlapping range is refused" \
	eval "! nsq router $HAIRPINCTL map add tcp 7009-7012 to $SERVER 2>/dev/null"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The external address: by default a mapping matches whatever local address
# the router has, decided per connection, so a new WAN address (DHCP, PPPoE)
# needs no reconfiguration. A mapping naming an address wins over it.
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
add_server2
serve tcp server2 80

hp router map add tcp 80 to $SERVER
check_eq "any-address mapping: reached through the public address" \
	"$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 80)"

# The ISP hands out a new address.
ns router ip addr del $PUBLIC/24 dev wan0
ns router ip addr add 203.0.113.7/24 dev wan0
ns router ip route add default via 203.0.113.254
check_eq "after the WAN address changed, without reconfiguring" \
	"$WANHOST server" "$(peer_who wanhost tcp 203.0.113.7 80)"
check "the old address is not the router's any more" \
	no_answer wanhost tcp $PUBLIC 80

# A second public address, mapped on the same port to another server.
ns router ip addr add 203.0.113.8/24 dev wan0
hp router map add tcp 203.0.113.8:80 to 192.168.1.20
check_eq "an address-specific mapping wins on its address" \
	"$WANHOST server2" "$(peer_who wanhost tcp 203.0.113.8 80)"
check_eq "the any-address mapping still serves the other address" \
	"$WANHOST server" "$(peer_who wanhost tcp 203.0.113.7 80)"
check "loopback is never mapped" \
	no_answer router tcp 127.0.0.1 80

# A named address the router gave up (a DHCP change): it is someone
# else's now, and a LAN client going there must get there.
ns router ip addr add 203.0.113.9/24 dev wan0
hp router map add tcp 203.0.113.9:80 to 192.168.1.20
check_eq "a mapping naming an address serves it" \
	"$WANHOST server2" "$(peer_who wanhost tcp 203.0.113.9 80)"
ns router ip addr del 203.0.113.9/24 dev wan0
check "once the address is gone, the mapping redirects nobody" \
	no_answer client tcp 203.0.113.9 80
finish

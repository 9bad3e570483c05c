#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Living with the operator's own NAT rules. The router already masquerades
# what leaves by the WAN (nftables, see lib.sh); here also iptables. When a
# rule of theirs and a mapping both match a new connection, their rule wins:
# hairpin runs after the nat chains at the standard priorities.
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
add_server2
serve tcp server2 80
serve tcp server2 8080
serve tcp wanhost 80

hp router map add tcp 80 to $SERVER
check_eq "the LAN still reaches the internet, masqueraded" \
	"$PUBLIC" "$(peer_addr client tcp $WANHOST 80)"

if command -v iptables-legacy >/dev/null && ns router iptables-legacy -t nat -L >/dev/null 2>&1; then
	ns router iptables-legacy -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.20
	check_eq "an iptables DNAT for another port works beside the mapping" \
		"$WANHOST server2" "$(peer_who wanhost tcp $PUBLIC 8080)"
	check_eq "and the mapping still works beside it" \
		"$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 80)"
fi

ns router nft -f - <<EOT
table ip own {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		ip saddr $WANHOST tcp dport 80 dnat to 192.168.1.20
	}
}
EOT
check_eq "the operator's rule wins where both match" \
	"$WANHOST server2" "$(peer_who wanhost tcp $PUBLIC 80)"
check_eq "the mapping serves what the rule does not match" \
	"$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 80)"

# The operator's rule sends the LAN's connections to the mapping's own
# target: they are still the operator's, and hairpin leaves them alone
# (without a source NAT of the operator's, they fail as seed 000 says).
ns router nft add rule ip own prerouting ip saddr $CLIENT tcp dport 80 dnat to $SERVER
hairpinned() { hpq -j map show | jq -r '.mappings[0].hairpinned'; }
before=$(hairpinned)
check "a connection the operator DNATed to a mapping's target is not hairpinned" \
	no_answer client tcp $PUBLIC 80
check_eq "nor counted" "$before" "$(hairpinned)"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deleting or replacing a mapping stops new connections being mapped and
# flushes the conntrack entries it created: a UDP flow that keeps sending
# would otherwise keep its stale translation for ever. Likewise, adding a
# mapping flushes the untranslated UDP flows to its port.
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
add_server2
serve udp server2 53

# One flow: the same source port every time.
flow() { peer wanhost udp $PUBLIC 53 sourceport=5353,reuseaddr | cut -d' ' -f3; }
dnat_entries() {
	nsq router conntrack -L -p udp --orig-port-dst 53 2>/dev/null | grep -c . || true
}

check_eq "control: before the mapping, the flow reaches nothing" "" "$(PEER_TRIES=1 flow)"
check_eq "and has an untranslated conntrack entry" "1" \
	"$(nsq router conntrack -L -p udp --orig-port-dst 53 2>/dev/null | grep -c .)"
hp router map add udp 53 to $SERVER
check_eq "the flow reaches the server as soon as it is mapped" "server" "$(flow)"
check_eq "it has a conntrack entry" "1" "$(dnat_entries)"

hp router map replace udp 53 to 192.168.1.20
check_eq "after replace, the same flow reaches the new server" "server2" "$(flow)"

hp router map del udp 53
check_eq "after delete, its conntrack entry is gone" "0" "$(dnat_entries)"
check_eq "after delete, the flow is not mapped" "" "$(PEER_TRIES=1 flow)"

# An operator's own DNAT entries are not ours to flush.
ns router nft -f - <<EOT
table ip own {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		udp dport 54 dnat to 192.168.1.20:53
	}
}
EOT
check_eq "an operator's DNAT works" "server2" \
	"$(peer wanhost udp $PUBLIC 54 sourceport=5454,reuseaddr | cut -d' ' -f3)"
hp router map add udp 55 to $SERVER:53
hp router map flush
check_eq "flush leaves the operator's entries alone" "1" \
	"$(nsq router conntrack -L -p udp --orig-port-dst 54 2>/dev/null | grep -c .)"

# A backup router holds entries conntrackd replicated (as conntrackd does:
# the reply tuple the inverse, the kernel NATs it) to the address it
# will take over: not the router's yet, but a change elsewhere in the table
# must leave them be.
hp router map add udp 56 to $SERVER
ns router conntrack -I -p udp -s $WANHOST -d 203.0.113.7 --sport 5656 --dport 56 \
	-r 203.0.113.7 -q $WANHOST --reply-port-src 56 --reply-port-dst 5656 \
	--dst-nat $SERVER --timeout 60 2>/dev/null
hp router map add udp 57 to $SERVER
check_eq "a change leaves a mapped entry to an address not the router's" "1" \
	"$(nsq router conntrack -L -p udp --orig-port-dst 56 2>/dev/null | grep -c .)"
finish

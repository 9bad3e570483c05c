#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Counters per mapping: connections mapped and, of those, hairpinned; totals
# in "show", which survive the mapping's deletion.
source "$(dirname "$0")/lib.sh"
# Exact counts: every connection attempt counts, so no retries.
PEER_TRIES=1
load_module
seed_topology

counters() { nsq router "$HAIRPINCTL" map show | sed -n "s/^$1 .*conns \([0-9]*\) hairpinned \([0-9]*\).*/\1 \2/p"; }
totals() { nsq router "$HAIRPINCTL" show -s | sed -n 's/^conns \([0-9]*\) hairpinned \([0-9]*\)$/\1 \2/p'; }

hp router map add tcp 80 to $SERVER
hp router map add udp 53 to $SERVER
check_eq "a new mapping counts nothing" "0 0" "$(counters 'tcp 80')"

peer wanhost tcp $PUBLIC 80 >/dev/null
peer client tcp $PUBLIC 80 >/dev/null
peer client tcp $PUBLIC 80 >/dev/null
peer client2 tcp $PUBLIC 80 >/dev/null
peer client udp $PUBLIC 53 >/dev/null
check_eq "tcp 80: four connections, two hairpinned" "4 2" "$(counters 'tcp 80')"
check_eq "udp 53: one flow, hairpinned" "1 1" "$(counters 'udp 53')"
check_eq "totals" "5 3" "$(totals)"

hp router map del tcp 80
check_eq "totals outlive the mapping" "5 3" "$(totals)"

# An entry conntrackd (or ctnetlink) made has no NAT binding yet, but the
# mapping cannot translate it: it is not counted.
ns router conntrack -I -p udp -s $WANHOST -d $PUBLIC --sport 4444 --dport 53 \
	-r $PUBLIC -q $WANHOST --reply-port-src 53 --reply-port-dst 4444 --timeout 60 2>/dev/null
peer wanhost udp $PUBLIC 53 sourceport=4444,reuseaddr >/dev/null
check_eq "a packet of an injected entry is not counted" "1 1" "$(counters 'udp 53')"
finish

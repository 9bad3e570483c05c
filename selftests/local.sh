#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The router itself connecting to its public address and a mapped port
# reaches the server (locally generated traffic, LOCAL_OUT).
source "$(dirname "$0")/lib.sh"
load_module
seed_topology

check "control: unmapped, the router reaches nothing" no_answer router tcp $PUBLIC 80
hp router map add tcp 80 to $SERVER
hp router map add udp 53 to $SERVER
check_eq "tcp from the router reaches the server" \
	"$PUBLIC" "$(peer_addr router tcp $PUBLIC 80)"
check_eq "udp from the router reaches the server" \
	"$PUBLIC" "$(peer_addr router udp $PUBLIC 53)"
finish

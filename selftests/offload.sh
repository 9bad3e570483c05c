#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Software flow offloading (an nftables flowtable, what OpenWrt turns on)
# takes hairpin's connections as it takes an nftables map's: mapped from
# the WAN and hairpinned on the LAN, TCP and UDP. An offloaded packet skips
# conntrack and every hook, so the proof that a flow was offloaded is that
# conntrack's accounting stops counting while its lines are still answered,
# from the address the engine chose: "[OFFLOAD]" alone proves nothing, as
# "flow add" sets it even for a flow whose devices the flowtable lacks.
#
# A hairpinned flow enters and leaves by one device, br-lan. The kernel
# compares no devices when it offloads (nft_flow_offload_eval()): the
# flow's two directions both have br-lan as input, and the fast path
# translates both addresses and sends the packet back out of br-lan; with
# the flowtable on the bridge's ports, out of the server's port directly.
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
load_module
seed_topology
nsq router nft -f - 2>/dev/null <<EOT || skip "no nftables flowtable in this kernel"
table inet probe {
	flowtable ft { hook ingress priority 0; devices = { wan0 }; }
}
delete table inet probe
EOT
nsq router sysctl -qw net.netfilter.nf_conntrack_acct=1

# Servers that keep a session open and answer each line with the address
# they see and the line: one TCP connection or one UDP flow carries many.
echo "[+] server: tcp/8000 and udp/5300, answering every line" >&2
nsq server socat TCP-LISTEN:8000,fork,reuseaddr \
	SYSTEM:'while read -r l; do echo $SOCAT_PEERADDR $l; done' >/dev/null 2>&1 &
nsq server socat UDP-RECVFROM:5300,fork,reuseaddr \
	SYSTEM:'read -r l; echo $SOCAT_PEERADDR $l' >/dev/null 2>&1 &
wait_for_port server tcp 8000
wait_for_port server udp 5300

# Two engines side by side: hairpin on tcp/8000 and udp/5300, an nftables
# map with the hairpin recipe's masquerade on tcp/8001 and udp/5301.
hp router map add tcp 8000 to $SERVER
hp router map add udp 5300 to $SERVER
ns router nft -f - <<EOT
table ip nftmap {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		fib daddr type local dnat ip to meta l4proto . th dport map {
			tcp . 8001 : $SERVER . 8000, udp . 5301 : $SERVER . 5300 }
	}
	chain postrouting {
		type nat hook postrouting priority srcnat;
		ip saddr 192.168.1.0/24 oifname "br-lan" ct status dnat masquerade
	}
}
EOT

# flowtable DEVICE...: every forwarded TCP and UDP flow is offloaded to a
# flowtable on those devices.
flowtable() {
	local devs
	devs=$(printf '%s, ' "$@")
	ns router nft -f - <<-EOT
	table inet fastpath {
		flowtable ft {
			hook ingress priority 0; devices = { ${devs%, } };
		}
		chain forward {
			type filter hook forward priority 0;
			meta l4proto { tcp, udp } flow add @ft
		}
	}
	EOT
}

# ct_of FROM PROTO PORT: FROM's conntrack entry to PORT.
ct_of() {
	nsq router conntrack -L -p "$2" --orig-src "$1" --orig-port-dst "$3" 2>/dev/null
}
counted() { ct_of "$@" | grep -o 'packets=[0-9]*' | tr '\n' ' '; }
offloaded() { ct_of "$@" | grep -q '\[OFFLOAD\]'; }

# open_session NS PROTO PORT: a socat in NS to the public address, one
# connection or flow for all its lines, as the coprocess "conv".
open_session() {
	local target=TCP:$PUBLIC:$3,connect-timeout=5
	[ "$2" = udp ] && target=UDP:$PUBLIC:$3
	echo "[+] $1: $2 session to $PUBLIC:$3" >&2
	coproc conv { nsq "$1" socat -T 30 - "$target" 2>/dev/null; }
}
# ask LINE: sends LINE, prints the answer (nothing after 10 s).
ask() {
	local answer=''
	[ -n "${conv[1]}" ] || return 0
	echo "$1" >&"${conv[1]}" && read -r -t 10 answer <&"${conv[0]}"
	echo "$answer"
}
close_session() {
	# shellcheck disable=SC2154 # coproc sets it
	local pid=$conv_PID
	[ -z "${conv[1]}" ] || eval "exec ${conv[1]}>&-"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# session ENGINE PROTO PORT FROM-NS FROM-ADDR SEEN [control]: one session;
# its later lines must be answered, from SEEN, and not be counted by
# conntrack (with "control", without a flowtable: counted).
session() {
	local engine=$1 proto=$2 port=$3 from=$4 addr=$5 seen=$6 control=$7
	local what="$engine: $proto from $from" before
	open_session "$from" "$proto" "$port"
	check_eq "$what: answered, from $seen" "$seen 1" "$(ask 1)"
	if [ -z "$control" ]; then
		until_ok 5 offloaded "$addr" "$proto" "$port"
		check "$what: offloaded" offloaded "$addr" "$proto" "$port"
	fi
	before=$(counted "$addr" "$proto" "$port")
	check_eq "$what: still answered" "$seen 2 $seen 3" "$(ask 2) $(ask 3)"
	if [ -n "$control" ]; then
		check "control: $what, not offloaded: conntrack counts every packet" \
			[ "$before" != "$(counted "$addr" "$proto" "$port")" ]
	else
		check_eq "$what: conntrack counted none of it" \
			"$before" "$(counted "$addr" "$proto" "$port")"
	fi
	close_session
	nsq router conntrack -D -p "$proto" --orig-port-dst "$port" >/dev/null 2>&1
}

# Every case: both engines, both protocols, from the WAN and hairpinned.
sessions() {
	local proto port
	for proto in tcp udp; do
		port=8000
		[ $proto = udp ] && port=5300
		session hairpin $proto $port wanhost $WANHOST $WANHOST
		session hairpin $proto $port client $CLIENT $ROUTER_LAN
		session nft-map $proto $((port + 1)) wanhost $WANHOST $WANHOST
		session nft-map $proto $((port + 1)) client $CLIENT $ROUTER_LAN
	done
}

# The control: the check of the counters fails where nothing is offloaded.
session hairpin udp 5300 client $CLIENT $ROUTER_LAN control

echo "# a flowtable on the router's devices" >&2
flowtable wan0 br-lan
sessions
ns router nft delete table inet fastpath

echo "# a flowtable on the bridge's ports" >&2
flowtable wan0 lan-server lan-client
sessions

# Deleting a mapping deletes its conntrack entries, and with them their
# flows: the flowtable's garbage collector removes a flow whose entry died.
open_session wanhost udp 5300
check_eq "removal: an offloaded flow is answered" "$WANHOST 1" "$(ask 1)"
until_ok 5 offloaded $WANHOST udp 5300
hp router map del udp 5300
gone_flow() { [ -z "$(ask x)" ]; }
check "removal: once its mapping is deleted, it is not" until_ok 15 gone_flow
close_session
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown while things are busy, the way routers meet it: the module
# unloaded and reloaded under traffic with mappings and masq's bindings in
# place (and changes in flight), the WAN address changed and interfaces removed under traffic,
# and the router's namespace deleted with its mappings and live
# connections. Afterwards the namespace must really be gone (the module's
# own "destroyed" message; nothing left waiting for a device), nothing
# leaked, and the module unloads.
#
#   wanhost ---- isp ---- wan0 router br-lan ---- server :80 :53 :9000 (echo)
#   :7001                                 \------ client (hairpin; and out
#                                                  through masq to :7001)
#
# HAIRPIN_TEARDOWN_CYCLES (default 3) unload and reload cycles.
# Run by itself (selftests/run.sh): it unloads the module.
# hairpin: alone
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip "jq not installed"
load_module
cycles=${HAIRPIN_TEARDOWN_CYCLES:-3}
tmp=$(mktemp -d)
stop=$tmp/stop
# The module's pr_debug says when it creates and destroys a namespace's state.
dyndbg=/sys/kernel/debug/dynamic_debug/control
[ -w $dyndbg ] && echo 'module hairpin +p' >$dyndbg
reload() {
	if [ -w $dyndbg ]; then insmod_hairpin dyndbg=+p; else insmod_hairpin; fi
}
seed_topology
nsq server socat TCP-LISTEN:9000,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &
wait_for_port server tcp 9000
serve udp wanhost 7001
serve tcp wanhost 7001

# Replace, not add: the changes in flight below may have been first.
mappings() {
	hp router map replace tcp 80 to $SERVER
	hp router map replace udp 53 to $SERVER
	hp router map replace tcp 9000 to $SERVER
	hp router map replace tcp 8000-8009 to $SERVER:80-89
	hp router masq add dev wan0
}
mappings

# shellcheck disable=SC2016 # expanded by the inner bash
traffic_loop='
stop=$1 proto=$2 addr=$3 port=$4
while [ ! -e "$stop" ]; do
	case $proto in
	tcp) target=TCP:$addr:$port,connect-timeout=1 ;;
	udp) target=UDP:$addr:$port ;;
	esac
	echo x | timeout 3 socat -T 1 - "$target" >/dev/null 2>&1
	echo >>"$stop.tries"
done'
# went_on [N]: until the traffic has made N more tries (default 8), so that
# what was just done met traffic.
tries() { cat "$stop.tries" 2>/dev/null | wc -l; }
tried_since() { [ $(($(tries) - $1)) -ge "$2" ]; }
went_on() {
	until_ok 60 tried_since "$(tries)" "${1:-8}" || fail "the traffic stalled"
}
pids=()
traffic() {
	echo "[+] $1: $2 to $3:$4 until stopped" >&2
	nsq "$1" bash -c "$traffic_loop" _ "$stop" "$2" "$3" "$4" &
	pids+=($!)
}
# A connection that stays open: a line every 0.2s through the echo server.
# Its connect gives up after 5 s, not after the 127 s of SYN retries.
long_lived() {
	echo "[+] $1: a long-lived tcp connection to $2:9000" >&2
	# shellcheck disable=SC2016
	nsq "$1" bash -c 'while [ ! -e "$1" ]; do echo x; sleep 0.2; done |
		timeout 600 socat -T 30 - TCP:$2:9000,connect-timeout=5 >/dev/null 2>&1' _ "$stop" "$2" &
	pids+=($!)
}
# start_traffic ADDR: all of it, to the router's WAN address ADDR.
start_traffic() {
	traffic wanhost tcp "$1" 80
	traffic wanhost udp "$1" 53
	traffic client tcp "$1" 80
	traffic client udp "$1" 53
	traffic client udp $WANHOST 7001
	traffic client tcp $WANHOST 7001
	long_lived client "$1"
	long_lived wanhost "$1"
}
stop_traffic() {
	touch "$stop"
	wait "${pids[@]}"
	pids=()
	rm -f "$stop"
}
works() {
	check_eq "$1: the WAN reaches the server" "$WANHOST server" \
		"$(peer_who wanhost tcp "$2" 80)"
	check_eq "$1: the LAN too, hairpinned" "$ROUTER_LAN server" \
		"$(peer_who client tcp "$2" 80)"
}

start_traffic $PUBLIC
# Changes in flight while the module goes away.
# shellcheck disable=SC2016
nsq router bash -c 'while [ ! -e "$1" ]; do
	"$2" map replace tcp 8000-8009 to $3:80-89 comment churn
	"$2" map del tcp 8000-8009; "$2" map add tcp 8000-8009 to $3:80-89
done >/dev/null 2>&1' _ "$stop" "$HAIRPINCTL" $SERVER &
pids+=($!)
went_on 16
for i in $(seq "$cycles"); do
	check "cycle $i: rmmod under traffic, with mappings" rmmod hairpin
	check "cycle $i: the family is gone" eval '! nsq router "$HAIRPINCTL" show >/dev/null 2>&1'
	went_on
	check "cycle $i: insmod under traffic" reload
	# But for what the changes in flight put back since.
	check_eq "cycle $i: the namespace starts without the old mappings" "0" \
		"$(nsq router "$HAIRPINCTL" -j map show |
		   jq '[.mappings[] | select(.port != 8000)] | length')"
	mappings
	went_on
done
stop_traffic
works "after $cycles reloads" $PUBLIC

# The WAN address changes and interfaces go, under traffic.
start_traffic $PUBLIC
went_on
ns router ip addr del $PUBLIC/24 dev wan0
ns router ip addr add 203.0.113.7/24 dev wan0
ns router ip route add default via 203.0.113.254
went_on
ns router ip link del br-lan
ns router ip link del lan-server
ns router ip link del wan0
went_on
stop_traffic
veth isp isp0 router wan0
ns isp ip addr add 203.0.113.254/24 dev isp0
ns router ip addr add 203.0.113.7/24 dev wan0
ns router ip route add default via 203.0.113.254
ns router ip link add br-lan type bridge
ns router ip link set br-lan up
ns router ip addr add $ROUTER_LAN/24 dev br-lan
nsq router sysctl -qw net.ipv4.conf.br-lan.send_redirects=0
veth router lan-server server eth0
ns server ip addr add $SERVER/24 dev eth0
ns server ip route add default via $ROUTER_LAN
ns router ip link set lan-server master br-lan
ns router ip link set lan-client master br-lan
# The new bridge has a new MAC address.
ns client ip neigh flush all
works "the interfaces rebuilt, a new WAN address, the same mappings" 203.0.113.7

# The router's namespace goes, with its mappings and live connections.
start_traffic 203.0.113.7
inum=$(nsq router stat -L -c %i /proc/self/ns/net)
destroyed() { dmesg | grep -q "hairpin: netns $1: destroyed"; }
established() {
	nsq router conntrack -L -p tcp --orig-dst 203.0.113.7 --dport 9000 --state ESTABLISHED 2>/dev/null | grep -c .
}
two_established() { [ "$(established)" -ge 2 ]; }
until_ok 10 two_established
check_eq "the router's namespace has both long-lived connections" 2 "$(established)"
ns router ip netns del "router-$sfx"
stop_traffic
if [ -w $dyndbg ]; then
	check "the namespace's hairpin state is destroyed" until_ok 60 destroyed "$inum"
	echo 'module hairpin -p' >$dyndbg
fi
check "no device is left waiting for its references" \
	eval '! dmesg | grep "unregister_netdevice: waiting for"'

check "rmmod once the namespace is gone" rmmod hairpin
check "insmod again" insmod_hairpin
check_no_leaks
rm -rf "$tmp"
finish

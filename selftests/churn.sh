#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic: two processes add, replace, delete and flush
# mappings (and change the settings) as fast as they can, while TCP and UDP
# connections go to the mapped ports from the WAN and, hairpinned, from the
# LAN; some UDP flows keep their source port, so live flows meet deletions.
# Flushes come as reloads (flush, then the mappings of port 8000 again, in
# one batch), so port 8000 must keep working throughout. Afterwards: nothing
# but success, EEXIST or ENOENT was answered, the table and the counters add
# up, counting is exact again once things are quiet, nothing leaked, and
# the module unloads.
#
#   wanhost -- isp -- router 203.0.113.1 ------------ server :80 :53, echo :9000
#                       | br-lan       ports 8001-8007 churned, 8000 reloaded
#                     client (hairpin)        by fuzz-nl -C -j 2
#
# HAIRPIN_CHURN_SECONDS (default 30) of churn.
# Run by itself (selftests/run.sh): it unloads the module.
# hairpin: alone
source "$(dirname "$0")/lib.sh"
FUZZ=${HAIRPIN_FUZZ:-$top/tools/fuzz-nl/fuzz-nl}
[ -x "$FUZZ" ] || skip "fuzz-nl not built: make -C tools/fuzz-nl"
command -v jq >/dev/null || skip "jq not installed"
load_module
seed_topology
seconds=${HAIRPIN_CHURN_SECONDS:-30}
# Echo servers, lighter than serve's: no program started per connection.
nsq server socat TCP-LISTEN:9000,fork,reuseaddr PIPE >/dev/null 2>&1 &
nsq server socat UDP-RECVFROM:9000,fork,reuseaddr PIPE >/dev/null 2>&1 &
wait_for_port server tcp 9000
wait_for_port server udp 9000
tmp=$(mktemp -d)
stop=$tmp/stop

# Runs in a namespace until $stop exists: one connection after another to
# PUBLIC, every other one to port 8000, the others to one of 8001-8007;
# counts tries and answers, and those of port 8000, in OUT.
# shellcheck disable=SC2016 # expanded by the inner bash
traffic_loop='
stop=$1 out=$2 proto=$3 addr=$4
tries=0 ok=0 kept=0 kept_ok=0 new_ok=0
while [ ! -e "$stop" ]; do
	port=8000
	[ $((tries % 2)) = 0 ] || port=$((8001 + RANDOM % 7))
	new=1
	case $proto in
	tcp) target=TCP:$addr:$port,connect-timeout=3 ;;
	# Every other flow keeps its source port: a live flow, which is a new
	# connection only when its entry went.
	udp) target=UDP:$addr:$port
	     [ $((tries / 2 % 2)) = 1 ] || { target=$target,sourceport=5353,reuseaddr; new=0; } ;;
	esac
	tries=$((tries + 1))
	[ $port != 8000 ] || kept=$((kept + 1))
	if [ -n "$(echo x | timeout 8 socat -T 3 - "$target" 2>/dev/null | head -n 1)" ]; then
		ok=$((ok + 1))
		[ $port != 8000 ] || kept_ok=$((kept_ok + 1))
		new_ok=$((new_ok + new))
	fi
	echo "$tries $ok $kept $kept_ok $new_ok" >"$out"
done'
pids=()
traffic() {
	echo "[+] $2: $3 to $PUBLIC:8000-8007 until stopped" >&2
	nsq "$2" bash -c "$traffic_loop" _ "$stop" "$tmp/$1" "$3" $PUBLIC &
	pids+=($!)
}
totals() { nsq router "$HAIRPINCTL" -j show -s | jq -r '"\(.conns) \(.hairpinned)"'; }

hp router map add tcp 8000 to $SERVER:9000
hp router map add udp 8000 to $SERVER:9000
check_eq "before the churn, the WAN reaches the echo server" "x" "$(peer wanhost tcp $PUBLIC 8000)"
check_eq "and the LAN, hairpinned" "x" "$(peer client udp $PUBLIC 8000)"
before=$(totals)

traffic wan-tcp wanhost tcp
traffic wan-udp wanhost udp
traffic lan-tcp client tcp
traffic lan-udp client udp
ns router "$FUZZ" -C $SERVER -p 8001-8007 -k 8000 -P 9000,9000 -a $PUBLIC -j 2 -n 1000000000 \
	-t "$seconds" >"$tmp/churn" 2>&1
rc=$?
touch "$stop"
wait "${pids[@]}"
sed 's/^/# /' "$tmp/churn"
check "$(sed -n 's/.*sent \([0-9]*\) messages in \([0-9.]*s\).*/\1 changes in \2/p' "$tmp/churn"), answered with success, EEXIST or ENOENT only" \
	test "$rc" = 0

new_sum=0 lan_new=0
for t in wan-tcp wan-udp lan-tcp lan-udp; do
	read -r tries ok kept kept_ok new_ok <"$tmp/$t" || { tries=0 ok=0 kept=0 kept_ok=0 new_ok=0; }
	check "$t: $tries tries during the churn, $ok answered; to port 8000: $kept_ok of $kept" \
		test "$kept_ok" -ge 1
	new_sum=$((new_sum + new_ok))
	case $t in lan-*) lan_new=$((lan_new + new_ok)) ;; esac
done

# Totals count every mapped connection, of deleted mappings too: at least
# one per answered try from a new source port (a live flow's entry stays
# while the table keeps translating it the same way), and hairpinned ones
# are mapped ones.
read -r c0 h0 <<<"$before"
read -r c1 h1 <<<"$(totals)"
check "totals: $((c1 - c0)) mapped >= $new_sum answered new connections" \
	test $((c1 - c0)) -ge $new_sum
check "totals: $((h1 - h0)) hairpinned >= $lan_new answered from the LAN" \
	test $((h1 - h0)) -ge $lan_new
check "totals: hairpinned <= mapped" test "$h1" -le "$c1"
check_eq "the table lists as many mappings as it counts" \
	"$(nsq router "$HAIRPINCTL" -j show | jq -r .mappings)" \
	"$(nsq router "$HAIRPINCTL" -j map show | jq -r '.mappings | length')"

# Quiet again: the settings and mappings work, and count exactly.
hp router set source lan hairpin auto scope own
hp router map flush
hp router map add tcp 8000 to $SERVER:80
hp router map add udp 8000 to $SERVER:53
read -r c0 h0 <<<"$(totals)"
peer_tries_reset
check_eq "after the churn, the WAN reaches the server" \
	"$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 8000)"
check_eq "and the LAN, hairpinned" "$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 8000)"
check_eq "udp from the LAN, hairpinned" "$ROUTER_LAN server" "$(peer_who client udp $PUBLIC 8000)"
read -r c1 h1 <<<"$(totals)"
# Each try is a connection (three, unless a slow guest needed more), and
# the client's are hairpinned.
check_eq "each connection counted, each of the LAN's as hairpinned" \
	"$(peer_tries) $(peer_tries '^client ')" "$((c1 - c0)) $((h1 - h0))"
check_eq "per mapping too" "$(peer_tries ' tcp ') $(peer_tries '^client tcp ')" \
	"$(nsq router "$HAIRPINCTL" -j map show |
	   jq -r '.mappings[] | select(.proto == "tcp") | "\(.conns) \(.hairpinned)"')"

# With mappings and conntrack entries in place, the module goes.
check "rmmod with mappings in place" rmmod hairpin
check "insmod again" insmod_hairpin
check_no_leaks
rm -rf "$tmp"
finish

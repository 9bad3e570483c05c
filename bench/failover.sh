#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's failover part (issue 23), run by bench/guest.sh from the
# repo's top directory, in the VM, once for each size:
#
#   bench/failover.sh RES KO N RATE
#
# selftests/failover.sh's two routers (selftests/two-routers.sh), with N
# live TCP connections instead of a few flows: half mapped (wanhost to
# VIP:8080, through the mapping to the server), half masq (the client to
# wanhost:7001, each its own binding), opened at RATE a second, each
# checked by one echoed line. Then r2's conntrackd must hold them all in
# its external cache (sync). A hard failover to r2 (r1's daemons frozen,
# its links down, killed), r1 back as from a reboot, and once r1's
# conntrackd holds them all again, a graceful failback (r2's keepalived
# stopped). After each, every connection sends a line and waits for its
# echo: kept, or lost (reset, timeout). Across each: a UDP prober through
# the mapping VIP:5353 (a datagram every 50 ms) and a new connection to
# VIP:80 every 100 ms, for the first packet forwarded and the first new
# connection. Lines of bench/README.md's failover part to RES.
export HAIRPIN_KO=$2
source "$PWD/selftests/lib.sh"
source "$PWD/selftests/two-routers.sh"

res=$1
n=$3
rate=$4
half=$((n / 2))
here=$(cd "$(dirname "$0")" && pwd)
conns=$here/conns.py

emit() { local IFS=$'\t'; echo "$*" >>"$res"; }
say() { echo "[failover N=$n] $*"; }
# bg NS python3 conns.py WHAT NAME...: conns.py in NS, in the background,
# its pid in $d/NAME.pid. At a lower priority than the routers' daemons:
# the end hosts are other machines, and here, on two emulated CPUs, they
# starved keepalived's adverts at 10,000 connections (the backup took
# over while they opened).
bg() {
	ip netns exec "$1-$sfx" nice -n 10 "${@:2}" >>"$d/conns.log" 2>&1 &
	echo $! >"$d/${5##*/}.pid"
}
# adverts K: router K's keepalived above everything else, for its adverts
# (and so the notify script it forks).
adverts() {
	poll 30 test -s "$d/r$1/vrrp.pid" -a -s "$d/r$1/keepalived.pid"
	renice -n -10 -p "$(<"$d/r$1/keepalived.pid")" "$(<"$d/r$1/vrrp.pid")" >/dev/null
}
stop() { kill "$(<"$d/$1.pid")" 2>/dev/null; }

d=$(mktemp -d "/tmp/bench-failover.XXXXXX")
mkdir "$d/r1" "$d/r2"
# lib.sh's cleanup ends every process in the namespaces, daemons and
# conns.py's alike.
trap 'daemons_stop; cleanup; rm -rf "$d"' EXIT
two_routers_check
ulimit -n 65536
two_routers
two_routers_conf
emit meta failover_advert "${ADVERT_INT:-1}"
conntrackd_start 1
conntrackd_start 2
keepalived_start 1
adverts 1

bg server python3 "$conns" echo tcp:8080 tcp:80 udp:5353
bg wanhost python3 "$conns" echo tcp:7001
wait_for_port server tcp 8080
wait_for_port server udp 5353
wait_for_port wanhost tcp 7001
poll 60 stamped 1 primary 1 || { say "r1 never became the master"; exit 1; }
keepalived_start 2
adverts 2
poll 60 stamped 1 primary-done 1 && poll 60 stamped 2 backup-done 1 ||
	{ say "the routers never settled"; exit 1; }

# held K: how many connections of each kind router K's external cache
# holds, established: "MAPPED MASQ".
held() {
	ctd "$1" -e 2>/dev/null | awk -v w="$WANHOST" -v vip="$VIP" -v c="$CLIENT" '
		!/ESTABLISHED/ { next }
		index($0, "src=" w " dst=" vip " ") && / dport=8080 / { m++ }
		index($0, "src=" c " dst=" w " ") && / dport=7001 / { q++ }
		END { print m + 0, q + 0 }'
}
# all_held K WANT: router K's external cache holds WANT connections.
all_held() {
	local m q
	read -r m q < <(held "$1")
	[ $((m + q)) -ge "$2" ]
}
# bindings K: router K's masq bindings.
bindings() {
	nsq "r$1" "$HAIRPINCTL" masq show | awk '{ for (i = 1; i < NF; i++) if ($i == "bindings") b += $(i + 1) }
		END { print b + 0 }'
}

say "opening $half mapped and $((n - half)) masq connections at $rate/s"
t=$EPOCHREALTIME
bg wanhost python3 "$conns" hold "$d/mapped" $VIP 8080 $half "$(awk -v r="$rate" 'BEGIN { print r / 2 }')"
bg client python3 "$conns" hold "$d/masq" $WANHOST 7001 $((n - half)) "$(awk -v r="$rate" 'BEGIN { print r / 2 }')"
poll $((n / rate * 4 + 120)) test -s "$d/mapped.open" -a -s "$d/masq.open" ||
	{ say "the connections never opened"; exit 1; }
opened=$EPOCHREALTIME
declare -A alive
for kind in mapped masq; do
	read -r o c s <"$d/$kind.open"
	want=$half
	[ $kind = mapped ] || want=$((n - half))
	emit failopen hairpin "$n" $kind "$o" "$c" "$want" "$s"
	say "$kind: $o opened, $c checked of $want in $s s"
	alive[$kind]=$c
done
total=$((alive[mapped] + alive[masq]))
poll $((n / 20 + 120)) all_held 2 $total
synced=$EPOCHREALTIME
say "r2's external cache holds $(held 2) (mapped, masq) of $total, $(awk -v a="$opened" -v b="$synced" \
	'BEGIN { printf "%.1f", b - a }') s after the last was opened"
emit failsync hairpin "$n" "$(awk -v a="$t" -v b="$opened" -v c="$synced" \
	'BEGIN { printf "%.3f\t%.3f", b - a, c - b }')" "$(held 2 | tr ' ' '\t')" "$total"

# failover WHEN K N: a failure (hard_failure or graceful_failure, called
# before) that router K takes over from, its Nth time master; t0 is when.
# Waits for the takeover, then measures: the connections kept (round R of
# the holders, R = N), the bindings, the times.
failover() {
	local when=$1 k=$2 i=$3 kind kept reset tout first nc ctc
	poll 120 stamped "$k" primary-done "$i" || say "$when: r$k's notify script did not end in 120 s"
	# The first echo of a datagram sent after the failure, the first new
	# connection tried after it; 30 s at most.
	poll 30 awk -v t0="$t0" '$2 > t0 { f = 1; exit } END { exit !f }' "$d/probe.log"
	poll 30 awk -v t0="$t0" '$1 > t0 && $3 == "ok" { f = 1; exit } END { exit !f }' "$d/new.log"
	first=$(awk -v t0="$t0" '$2 > t0 { printf "%.3f", $1 - t0; exit }' "$d/probe.log")
	nc=$(awk -v t0="$t0" '$1 > t0 && $3 == "ok" { printf "%.3f", $2 - t0; exit }' "$d/new.log")
	stop probe
	stop new
	for kind in mapped masq; do
		kill -USR1 "$(<"$d/$kind.pid")"
	done
	poll $((n / 20 + 120)) test -s "$d/mapped.r$i" -a -s "$d/masq.r$i"
	for kind in mapped masq; do
		read -r kept reset tout <"$d/$kind.r$i"
		emit failover hairpin "$n" "$when" "$kind" "$kept" "${alive[$kind]}" "$reset" "$tout"
		say "$when: $kind: $kept kept of ${alive[$kind]} ($reset reset, $tout timed out)"
		alive[$kind]=$kept
	done
	emit failbind hairpin "$n" "$when" "$(bindings "$k")" "$masq_before" "$(nsq "r$k" conntrack -C)"
	awk -v t0="$t0" '$1 > t0 && !($2 in at) { at[$2] = $1 }
		END { printf "%.3f\t%.3f\t%.3f\t%.3f\n", at["primary"] - t0,
			at["committed"] - at["primary"], at["applied"] - at["committed"],
			at["primary-done"] - t0 }' "$d/r$k/events" >"$d/times"
	# conntrackd's own figure for the commit, its latest in the log.
	ctc=$(awk '/commit has taken/ { t = $(NF - 1) } END { print t }' "$d/r$k/conntrackd.log")
	emit failtime hairpin "$n" "$when" "$(<"$d/times")" "${first:--}" "${nc:--}" "${ctc:--}"
	say "$when: takeover, commit, rebuild, notify done (s): $(tr '\t' ' ' <"$d/times");" \
		"first datagram forwarded ${first:--} s, first new connection ${nc:--} s;" \
		"conntrackd's commit ${ctc:--} s;" \
		"bindings $(bindings "$k") of $masq_before"
}
# probers: the UDP prober and the new connections, from wanhost.
probers() {
	rm -f "$d/probe.log" "$d/new.log"
	bg wanhost python3 "$conns" probe "$d/probe" $VIP 5353 0.05
	bg wanhost python3 "$conns" newconn "$d/new" $VIP 80 0.1
	poll 30 test -s "$d/probe.log" -a -s "$d/new.log"
	nap 1
}

# spurious K N WHEN: router K was the master N times already, before the
# failure WHEN, which it is to take over from: keepalived starved.
spurious() {
	stamped "$1" primary "$2" || return 0
	say "before the $3 failure: r$1 took over already: keepalived missed adverts"
	emit failspurious hairpin "$n" "$3" "r$1"
}

masq_before=${alive[masq]}
spurious 2 1 hard
probers
say "hard failover: r1's daemons frozen, its links down, then killed"
hard_failure 1
failover hard 2 1

say "r1 comes back as from a reboot"
rejoin 1
adverts 1
poll 60 stamped 1 backup-done 2 || say "r1 did not become the backup"
total=$((alive[mapped] + alive[masq]))
t=$EPOCHREALTIME
poll $((n / 20 + 120)) all_held 1 $total
say "r1's external cache holds $(held 1) of $total after $(awk -v a="$t" \
	'BEGIN { printf "%.1f", '"$EPOCHREALTIME"' - a }') s"

masq_before=${alive[masq]}
spurious 1 2 graceful
probers
say "graceful failback: r2's keepalived stops, its conntrackd runs on"
graceful_failure 2
failover graceful 1 2
grep -h "commit has taken" "$d"/r?/conntrackd.log | sed "s/^/[failover N=$n] conntrackd: /"
for k in 1 2; do
	grep -ih "error\|overrun\|fail" "$d/r$k/conntrackd.log" | tail -n 3 | sed "s/^/[failover N=$n] r$k conntrackd: /"
done
exit 0

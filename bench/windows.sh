#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/windows.sh WARMUP WINDOW ROUNDS CAP K:SINKPID[:DEV]...: the timed
# windows of one measurement. bench/guest.sh runs it on CPU 0 in a
# generator namespace (wan or lan: pktgen starts and stops only from
# there), with pktgen's device ethK set up towards router rtK for each slot
# K given, and slot K's packets counted as received by device DEV (eth0,
# the sink's) in the namespace of process SINKPID.
#
# Each slot gets a warm-up window of WARMUP seconds, then ROUNDS rounds of
# one WINDOW each: the slots take turns window by window, in the reverse
# order every other round (A B, B A, A B...), so that the machine's drift
# falls on all alike. A window starts from an empty conntrack table; its
# rate is the packets the sink counted between two reads in the steady
# state, over the time between them. pktgen's device may send CAP packets
# (the others one each: pktgen cannot leave a device out of a run), and the
# window ends early once 85% of them are sent.
#
# One line a window: ROUND INDEX RATE SENT COUNTED CUT BUSY. ROUND 0 is the
# warm-up, INDEX the slot's place among the arguments (from 0), CUT 1 if
# pktgen had stopped at CAP before the window's end, BUSY CPU 1's (the
# router's) busy share in the window, %.
#
# No process starts in a window but conntrack -F, and nothing forks: in an
# emulated CPU a process costs 40 ms of CPU 0, pktgen's and the sinks'.
# So each helper sets the variable its caller names (printf -v), and the
# waits are read timeouts on a pipe nobody writes to.
set -e

warm=$1 win=$2 rounds=$3 cap=$4
shift 4
members=("$@")
pg=/proc/net/pktgen

main() {
	local i j k m
	exec {quiet}<> <(:)
	for m in "${members[@]}"; do
		ct_flush "${m%%:*}"
	done
	for ((i = 0; i <= rounds; i++)); do
		for ((j = 0; j < ${#members[@]}; j++)); do
			k=$j
			[ $((i % 2)) = 0 ] || k=$((${#members[@]} - 1 - j))
			window "$i" "$k"
		done
	done
}

# window ROUND INDEX
window() {
	local i=$1 k=$2 slot=${members[$2]%%:*} sink=${members[$2]#*:}
	local m w pid a b ta tb ia ua ib ub sent cut rate
	# Every device of the namespace, members or not: one left with a
	# count from a run before would send it.
	for m in "$pg"/eth*; do
		if [ "$m" = "$pg/eth$slot" ]; then echo "count $cap" >"$m"; else echo "count 1" >"$m"; fi
	done
	if [ "$i" = 0 ]; then usec "$warm" w; else usec "$win" w; fi
	echo start >$pg/pgctrl &
	pid=$!
	nap 0.1
	sink_count "$sink" a
	ta=${EPOCHREALTIME/./}
	cpu1 ia ua
	# Every 50 ms: the window's end, or pktgen near its count.
	while :; do
		nap 0.05
		pg_sent "eth$slot" sent
		[ $((${EPOCHREALTIME/./} - ta)) -lt "$w" ] || break
		[ "$sent" -lt $((cap * 85 / 100)) ] || break
	done
	sink_count "$sink" b
	tb=${EPOCHREALTIME/./}
	cpu1 ib ub
	pg_sent "eth$slot" sent
	cut=0
	[ "$sent" -lt "$cap" ] || cut=1
	echo stop >$pg/pgctrl
	wait "$pid" 2>/dev/null || true
	rate=$(((b - a) * 1000000 / (tb - ta)))
	# The router drains its backlog (1000 packets) before the flush, but
	# not when that would take it more than half a second (iptables at
	# 100k rules): what it leaves is the next window's ramp.
	[ "$rate" -lt 2000 ] || drain "$sink"
	pg_sent "eth$slot" sent
	echo "$i $k $rate $sent $((b - a)) $cut $((100 - (ib - ia) * 100 / (ub - ua + (ub == ua))))"
	# At once: conntrack's hash table is one for all namespaces, and the
	# next slot's lookups would walk this one's entries.
	ct_flush "$slot"
}

# ct_flush K: empties router rtK's conntrack table.
ct_flush() {
	nsenter --net="/run/netns/rt$1" conntrack -F >/dev/null 2>&1 || true
}

# nap SECONDS
nap() {
	read -r -t "$1" -u "$quiet" || true
}

# usec SECONDS VAR: VAR = SECONDS (decimal) in microseconds.
usec() {
	local s=${1%.*} f=000000
	[ "$s" = "$1" ] || f=${1#*.}000000
	printf -v "$2" %d $((10#${s:-0} * 1000000 + 10#${f:0:6}))
}

# sink_count PID[:DEV] VAR: VAR = the packets DEV (eth0) received in PID's
# namespace. The colon splits too: a name is followed by the bytes without
# a space once they have more than 8 digits.
sink_count() {
	local pid=${1%%:*} dev=eth0 name packets
	[ "$pid" = "$1" ] || dev=${1#*:}
	while IFS=$' \t:' read -r name _ packets _; do
		[ "$name" != "$dev" ] || break
	done <"/proc/$pid/net/dev"
	printf -v "$2" %d "$packets"
}

# pg_sent DEV VAR: VAR = the packets pktgen's DEV has sent so far, or in
# its last run once stopped.
pg_sent() {
	local key count
	while read -r key count _; do
		[ "$key" != pkts-sofar: ] || break
	done <"$pg/$1"
	printf -v "$2" %d "$count"
}

# cpu1 IDLE TOTAL: CPU 1's idle and total time so far, in ticks.
cpu1() {
	local cpu user nice sys idle iowait irq softirq steal
	while read -r cpu user nice sys idle iowait irq softirq steal _; do
		[ "$cpu" != cpu1 ] || break
	done </proc/stat
	printf -v "$1" %d $((idle + iowait))
	printf -v "$2" %d $((user + nice + sys + idle + iowait + irq + softirq + steal))
}

# drain PID: waits until the sink's count stops moving, a second at most.
drain() {
	local j n last=-1
	for ((j = 0; j < 10; j++)); do
		sink_count "$1" n
		[ "$n" != "$last" ] || return 0
		last=$n
		nap 0.1
	done
}

main

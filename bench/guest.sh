#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark itself, run as root in the VM by bench/run.sh: every engine
# in the same boot, each in a router namespace of its own, writing raw
# results (one measurement a line, tab separated) to OUT/results.tsv.
#
#   bench/guest.sh OUT KO     (from the repo's top directory)
#
#           wan 203.0.113.254 (pktgen, iperf3 client)
#                     |
#            wan0 203.0.113.1, .2 (public)
#                  router (rt)
#            br-lan 198.18.0.1/16
#               /          \
#   lan 198.18.16.1 ...    srv 198.18.0.10, .11 (sink: netdev ingress
#   (pktgen, hairpin path)       counter + drop for UDP; iperf3 server)
#
# Engines: noct (plain forwarding), ct (conntrack only), ctnat (conntrack
# and empty nat chains: what every NAT engine pays), ipt-legacy and ipt-nft
# (one DNAT rule a mapping plus the hairpin MASQUERADE rule), nft-map (a
# dnat map plus "ct status dnat" masquerade), hairpin, and nft1 (one rule
# "udp dport P dnat to SERVER", no map, no fib, plus the map's masquerade
# line for the hairpin path): the cheapest engine that translates, goal
# 3's reference.
#
# The nft map and hairpin, which the goals compare, are measured side by
# side with conntrack only (ct@0): each has a router (rt, rt2...) and a
# sink (srv, srv2...) of its own, wan and lan a veth to each (eth0,
# eth1...), and their windows alternate; so does the single rule (nft1),
# whose flows all go to its one port. At N=1 the empty nat chains
# (ctnat@0) take their turn too; above N=1 a router holding hairpin with
# one mapping (hairpin@1), the reference of hairpin's flatness in N.
#
# Knobs (environment): BENCH_SIZES, BENCH_ENGINES, BENCH_WINDOW (seconds),
# BENCH_WINDOWS, BENCH_WARMUP (seconds), BENCH_FLOW_WINDOW (seconds, one
# established flow's windows), BENCH_IPERF_ROUNDS, BENCH_IPERF_TIME
# (seconds), BENCH_PERF (0: no perf profiles of conntrack only, the nft
# map and hairpin).
set -e

if [ "$1" = windows ]; then
	shift
	set -- __windows "$@"
fi
out=$1
ko=$2
# Run from the repo (run.sh runs a copy of this file, out of the tree).
top=$PWD
[ -x "$top/tools/hairpinctl/hairpinctl" ] || { echo "run bench/guest.sh from the repo, with hairpinctl built" >&2; exit 1; }
hpctl=$top/tools/hairpinctl/hairpinctl
res=$out/results.tsv
# Scratch files (the guest's /tmp is a tmpfs).
tmp=/tmp/hairpin-bench
self=$(realpath "$0")

sizes=${BENCH_SIZES:-1 100 10000 100000}
engines=${BENCH_ENGINES:-ipt-legacy ipt-nft nft-map hairpin}
# 0.8 s windows: with the steady state from 0.1 s on, a window's rate is
# good to a few percent, and shorter windows keep the whole run, with the
# side-by-side engines' extra windows, under half an hour.
win=${BENCH_WINDOW:-0.8}
nwin=${BENCH_WINDOWS:-5}
warm=${BENCH_WARMUP:-0.5}
perf=${BENCH_PERF:-1}
# One established flow: shorter windows, three times as many (oneflow).
flow_win=${BENCH_FLOW_WINDOW:-0.3}
flow_nwin=$((3 * nwin))
# iperf3: rounds, and seconds a round (iperfs).
iperf_rounds=${BENCH_IPERF_ROUNDS:-16}
iperf_time=${BENCH_IPERF_TIME:-1}
# Flows a window may create. A hairpin path window with a single target
# masquerades every flow to one address and port pair: it must stay below
# the 64511 source ports the masquerade picks from. WAN windows are
# bounded for memory only.
cap_wan=${BENCH_CAP_WAN:-250000}
cap_lan=${BENCH_CAP_LAN:-60000}
# Each engine's router and sink namespaces, pktgen device and sink's pid
# (topology), and the size from which an engine is too slow to measure.
declare -A m_rt m_srv m_dev m_sink slow
sinkpids=

PUB1=203.0.113.1
WANGW=203.0.113.254
RTLAN=198.18.0.1
SRV0=198.18.0.10
BASE=10000	# first external port; mapping (address a, port p) -> SRVa:p
MAXPORTS=50000	# ports per public address

t0=$SECONDS
say() { printf '[bench %4ds] %s\n' $((SECONDS - t0)) "$*"; }
emit() { local IFS=$'\t'; echo "$*" >>"$res"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# quot A B: A / B to four decimals, 0 where B is 0 (a pair's ratio).
quot() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# rps NS DEV CPUS: the CPUs (a mask) that DEV's received packets are
# processed on, in namespace NS (0: the receiving CPU itself). Through ip
# netns exec, whose /sys is the namespace's.
rps() { ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/queues/rx-0/rps_cpus"; }
# Runs in namespace N: nsenter costs less than ip netns exec, which also
# remounts /sys (needed only for the few sysfs writes, which use it).
nx() { local n=$1; shift; nsenter --net="/run/netns/$n" "$@"; }

# --- the machine ------------------------------------------------------------

global_setup() {
	mkdir -p "$tmp"
	modprobe pktgen
	modprobe nf_conntrack
	modprobe nf_nat
	# Only the initial namespace may set these, and they bind every other.
	echo 262144 >/sys/module/nf_conntrack/parameters/hashsize
	sysctl -qw net.netfilter.nf_conntrack_max=1048576
	: >"$res"
	emit meta kernel "$(uname -r)"
	emit meta cpus "$(nproc)"
	emit meta cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	emit meta mem_kb "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
	emit meta window "$win"
	emit meta windows "$nwin"
	emit meta warmup "$warm"
	emit meta flow_window "$flow_win"
	emit meta flow_windows "$flow_nwin"
	emit meta iperf_rounds "$iperf_rounds"
	emit meta iperf_time "$iperf_time"
	emit meta nft "$(nft --version)"
	emit meta iptables "$(iptables-legacy --version)"
	emit meta perf "$(perf version 2>/dev/null || echo none)"
}

# Waits, at most ten seconds, for the CPUs to be idle: a namespace or table
# that held 100k rules is torn down by kworkers long after the command that
# removed it returns, and would take CPU from the next measurement.
quiesce() {
	local i line t0 i0 t1 i1
	for ((i = 0; i < 40; i++)); do
		read -r line </proc/stat
		# shellcheck disable=SC2086
		set -- $line
		t0=$(($2 + $3 + $4 + $5 + $6 + $7 + $8)) i0=$5
		sleep 0.25
		read -r line </proc/stat
		# shellcheck disable=SC2086
		set -- $line
		t1=$(($2 + $3 + $4 + $5 + $6 + $7 + $8)) i1=$5
		[ $(((i1 - i0) * 100 / (t1 - t0 + 1))) -lt 80 ] || return 0
	done
	say "warning: the CPUs are still busy"
}

# topology ENGINE...: a fresh router and sink for each engine, so that no
# engine pays for what an earlier one left registered in its namespace.
# The first engine's router is rt, its sink srv, its generators' devices
# eth0 (in wan and lan); the second's rt2, srv2 and eth1; and so on. Every
# router has the same addresses and MACs: each is on segments of its own.
# Engines measured side by side (measure) take turns window by window.
topology() {
	local n k=0 e rt srv dev
	for n in $sinkpids; do kill "$n" 2>/dev/null || true; done
	sinkpids=
	del_namespaces
	quiesce
	m_rt=() m_srv=() m_dev=() m_sink=()
	for n in wan lan; do
		ip netns add "$n"
		ip -n "$n" link set lo up
	done
	# /32: a prefix on lo would make the whole prefix local.
	ip -n wan addr add $WANGW/32 dev lo
	nx wan sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	for e in "$@"; do
		rt=rt srv=srv dev=eth$k
		[ $k = 0 ] || rt=rt$((k + 1)) srv=srv$((k + 1))
		k=$((k + 1))
		m_rt[$e]=$rt m_srv[$e]=$srv m_dev[$e]=$dev
		router "$rt" "$srv" "$dev"
		m_sink[$e]=$sinkpid
		sinkpids="$sinkpids $sinkpid"
	done
	# wan has no routes of its own: pktgen needs none, and iperf3's
	# clients are bound to one router's device (iperf_up).
}

# del_namespaces: every namespace the benchmark made (it is alone in the VM).
del_namespaces() {
	local n
	for n in /run/netns/*; do
		[ -e "$n" ] && ip netns del "${n##*/}" 2>/dev/null || true
	done
}

# router RT SRV DEV: router namespace RT, its sink SRV, and its generators'
# device DEV in wan and lan.
router() {
	local rt=$1 srv=$2 dev=$3 n
	for n in "$rt" "$srv"; do
		ip netns add "$n"
		ip -n "$n" link set lo up
	done
	ip link add "$dev" netns wan address 02:00:00:00:01:02 type veth \
		peer name wan0 netns "$rt" address 02:00:00:00:01:01
	ip link add "$dev" netns lan address 02:00:00:00:02:02 type veth \
		peer name lan-gen netns "$rt"
	ip link add eth0 netns "$srv" address 02:00:00:00:03:02 type veth \
		peer name lan-srv netns "$rt"
	ip -n "$rt" -b - <<-EOF
	link add br-lan address 02:00:00:00:02:01 type bridge
	link set lan-gen master br-lan
	link set lan-srv master br-lan
	link set br-lan up
	link set wan0 up
	link set lan-gen up
	link set lan-srv up
	addr add $PUB1/24 dev wan0
	addr add 203.0.113.2/24 dev wan0
	addr add $RTLAN/16 dev br-lan
	route add default via $WANGW
	neigh replace $SRV0 lladdr 02:00:00:00:03:02 dev br-lan nud permanent
	neigh replace 198.18.0.11 lladdr 02:00:00:00:03:02 dev br-lan nud permanent
	neigh replace $WANGW lladdr 02:00:00:00:01:02 dev wan0 nud permanent
	EOF
	ip -n wan -b - <<-EOF
	link set $dev up
	neigh replace $PUB1 lladdr 02:00:00:00:01:01 dev $dev nud permanent
	neigh replace 203.0.113.2 lladdr 02:00:00:00:01:01 dev $dev nud permanent
	EOF
	ip -n lan link set "$dev" up
	ip -n "$srv" -b - <<-EOF
	link set eth0 up
	addr add $SRV0/16 dev eth0
	addr add 198.18.0.11/16 dev eth0
	route add default via $RTLAN
	neigh replace $RTLAN lladdr 02:00:00:00:02:01 dev eth0 nud permanent
	EOF
	bridge -n "$rt" fdb replace 02:00:00:00:03:02 dev lan-srv master static
	bridge -n "$rt" fdb replace 02:00:00:00:02:02 dev lan-gen master static
	nx "$rt" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0 net.ipv4.conf.br-lan.send_redirects=0 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.br-lan.rp_filter=0 \
		net.ipv4.conf.wan0.rp_filter=0
	# The router's work on CPU 1, pktgen's on CPU 0. The sink counts on
	# CPU 0: a packet the router forwards is queued to the receiving
	# CPU's backlog, and CPU 1's is kept full by pktgen, so a sink on
	# CPU 1 would count only the forwarded packets that win a race for
	# a free slot against the flood, and the slower the router the fewer
	# (an engine at 1.5k flows/s read as 0). veth counts a packet as
	# received only once it is queued.
	rps "$rt" wan0 2
	rps "$rt" lan-gen 2
	rps "$srv" eth0 1
	# What the windows read the sink's counters through.
	ip netns exec "$srv" sleep infinity &
	sinkpid=$!
	# The sink: count and drop every UDP packet as it arrives.
	nx "$srv" nft -f - <<-EOF
	table netdev sink {
		counter pkts { }
		chain in {
			type filter hook ingress device eth0 priority 0;
			meta l4proto udp counter name pkts drop
		}
	}
	EOF
}

# ct_fails ENGINE: insert_failed + drop + early_drop of the engine's
# router's conntrack, all CPUs, and each of them.
ct_fails() {
	nx "${m_rt[$1]}" conntrack -S 2>/dev/null | awk '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "=");
		  if (kv[1] == "insert_failed" || kv[1] == "drop" || kv[1] == "early_drop") { s += kv[2]; c[kv[1]] += kv[2] } } }
		END { printf "%d %d %d %d\n", s, c["insert_failed"], c["drop"], c["early_drop"] }'
}

# ct_flush ENGINE: empties the engine's router's conntrack table.
ct_flush() { ns_ct_flush "${m_rt[$1]}"; }
# ns_ct_flush NS: empties namespace NS's conntrack table.
ns_ct_flush() { nx "$1" conntrack -F >/dev/null 2>&1 || true; }

# turns ROUND ITEM...: order, the items in turn for round ROUND, reversed
# every other round (A B, B A, A B...): a drift within the rounds then
# falls on all alike.
turns() {
	local i=$1 x
	shift
	order=
	for x in "$@"; do
		if [ $((i % 2)) = 0 ]; then order="$order $x"; else order="$x $order"; fi
	done
}

# --- traffic ------------------------------------------------------------------

# pg_setup NS ENGINE MAC SRC_MIN SRC_MAX DST_MIN DST_MAX DPORT_MIN DPORT_MAX
# [FLAGS]: the pktgen device of generator NS (wan or lan) towards ENGINE's
# router, on kpktgend_0 (CPU 0) with the devices towards the others. Maximums
# are exclusive as pktgen takes them (a min equal to its max is a fixed
# value). Source ports 1024..65534 and 4093 addresses (a prime): every
# packet is a new flow.
pg_setup() {
	local ns=$1 dev=${m_dev[$2]} mac=$3 smin=$4 smax=$5 dmin=$6 dmax=$7 pmin=$8 pmax=$9 flags=${10}
	local sp=1024 spmax=65535
	if [ "$smin" = "$smax" ]; then sp=5000 spmax=5000; fi
	nx "$ns" bash -c "
		set -e
		pg() {
			local line
			echo \"\$2\" >/proc/net/pktgen/\$1
			[ \$1 = $dev ] || return 0
			while read -r line; do
				case \$line in 'Result: OK'*) return 0 ;; 'Result:'*) echo \"pktgen: \$2: \$line\" >&2; exit 1 ;; esac
			done </proc/net/pktgen/\$1
		}
		[ -e /proc/net/pktgen/$dev ] || pg kpktgend_0 'add_device $dev'
		pg $dev 'count 0'
		pg $dev 'clone_skb 0'
		pg $dev 'burst 1'
		pg $dev 'xmit_mode start_xmit'
		pg $dev 'pkt_size 60'
		pg $dev 'delay 0'
		pg $dev 'dst_mac $mac'
		pg $dev 'src_min $smin'
		pg $dev 'src_max $smax'
		pg $dev 'dst_min $dmin'
		pg $dev 'dst_max $dmax'
		pg $dev 'udp_src_min $sp'
		pg $dev 'udp_src_max $spmax'
		pg $dev 'udp_dst_min $pmin'
		pg $dev 'udp_dst_max $pmax'
		for f in IPDST_RND UDPDST_RND; do pg $dev \"flag !\$f\"; done
		for f in $flags; do pg $dev \"flag \$f\"; done
	"
}

# lan_pg ENGINE DST_MIN DST_MAX DPORT_MIN DPORT_MAX [FLAGS]: pktgen on the
# hairpin path, with random source ports. The masquerade keeps a client's
# port unless another flow to the same server port holds it. pktgen counts
# on for the packets the router's full backlog refuses, about three for
# each it takes, so sequential ports wrap twice a second: the kept ports
# then come in runs, and the masquerade's search for a free port, a
# sequential walk from a random start, must walk each run to its end (7
# taken ports tried a flow, and a few flows with no free port found:
# dropped). Random ports, like real clients', leave it a free port in one
# or two tries.
lan_pg() {
	pg_setup lan "$1" 02:00:00:00:02:01 198.18.16.1 198.18.31.253 "$2" "$3" "$4" "$5" "$6 UDPSRC_RND"
}

# windows WARMUP WINDOW N CAP MEMBER..., run inside a generator namespace:
# for each member (DEV:ROUTER:SINKPID, an engine's pktgen device, router
# namespace and sink) a warm-up window, then N rounds of one window each,
# each from an empty conntrack table. The members take turns window by
# window, in the reverse order every other round (A B, B A, A B...): the
# machine's drift then falls on all alike, and the rates of one round can
# be compared with each other. pktgen runs on CPU 0 and the routers on
# CPU 1 (RPS), so a rate is what one CPU forwards: the sink's packets
# counted between two reads in the steady state, over the time between
# them. The members' devices are all on pktgen's thread of CPU 0: the one
# whose turn it is may send CAP packets, the others one each (pktgen has no
# other way to leave a device out of a run).
# A window creates at most CAP flows: pktgen stops after CAP packets taken
# (its count leaves out those the router's full backlog refuses), and the
# window ends early, when pktgen has sent 85% of them.
# The table of the window's router is emptied right after it.
# Prints one line per window, "round member rate sent counted cut busy",
# round 0 the warm-ups; member the index of its member, from 0; cut is 1
# if pktgen had stopped before the window's end, busy CPU 1's busy share in
# the window (%).
# The sink is read through a process of its namespace, the clock is
# bash's and the waits are read's timeout on a pipe nobody writes to: no
# process is started in a window but conntrack -F, which matters in an
# emulated CPU (40 ms of CPU a process).
windows() {
	local warm=$1 win=$2 n=$3 cap=$4 i k m w a b ta tb pid sent sofar cut rate
	local ia ua idle1 total1 busy dev router sink order us rx
	local pg=/proc/net/pktgen ramp=100000 idle
	shift 4
	local members=("$@")
	exec {idle}<> <(:)
	for m in "${members[@]}"; do
		IFS=: read -r dev router sink <<<"$m"
		ns_ct_flush "$router"
	done
	for ((i = 0; i <= n; i++)); do
		turns "$i" "${!members[@]}"
		for k in $order; do
			IFS=: read -r dev router sink <<<"${members[k]}"
			# Every device of the namespace, members or not: one
			# left with a count from a run before would send it.
			for m in "$pg"/eth*; do
				if [ "$m" = "$pg/$dev" ]; then echo "count $cap" >"$m"; else echo "count 1" >"$m"; fi
			done
			usec "$win"
			[ "$i" != 0 ] || usec "$warm"
			w=$us
			echo start >$pg/pgctrl &
			pid=$!
			nap "0.$ramp"
			rx_packets "$sink"
			a=$rx
			ta=${EPOCHREALTIME/./}
			cpu1_ticks
			ia=$idle1 ua=$total1
			# Every 50 ms: the window's end, or pktgen near its count.
			while :; do
				nap 0.05
				pg_sofar "$dev"
				[ $((${EPOCHREALTIME/./} - ta)) -lt "$w" ] || break
				[ "$sofar" -lt $((cap * 85 / 100)) ] || break
			done
			rx_packets "$sink"
			b=$rx
			tb=${EPOCHREALTIME/./}
			cpu1_ticks
			busy=$((100 - (idle1 - ia) * 100 / (total1 - ua + (total1 == ua))))
			pg_sofar "$dev"
			cut=0
			[ "$sofar" -lt "$cap" ] || cut=1
			echo stop >$pg/pgctrl
			wait "$pid" 2>/dev/null || true
			rate=$(((b - a) * 1000000 / (tb - ta)))
			# Let the router drain its backlog (1000 packets) before
			# the next flush, for at most a second, and not at all
			# when that takes it more than half a second: a slow
			# engine (iptables at 100k rules, 100 packets a second)
			# would take ten. What it leaves is forwarded in the
			# next window's ramp, as new flows all the same.
			[ "$rate" -lt 2000 ] || drain "$sink"
			pg_sofar "$dev"
			sent=$sofar
			echo "$i $k $rate $sent $((b - a)) $cut $busy"
			# Emptied at once: conntrack's hash table is one for all
			# namespaces, and the next member's lookups would walk
			# this one's entries.
			ns_ct_flush "$router"
		done
	done
}

# cpu1_ticks: idle1 and total1, CPU 1's idle and total time so far, in
# USER_HZ ticks: whether the router's CPU was saturated through a window.
cpu1_ticks() {
	local line
	while read -r line; do
		case $line in
		'cpu1 '*)
			# shellcheck disable=SC2086
			set -- $line
			idle1=$(($5 + $6))
			total1=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9))
			return
			;;
		esac
	done </proc/stat
}

# drain SINKPID: waits until the sink's count stops moving, for at most a
# second.
drain() {
	local j last=-1
	for ((j = 0; j < 10; j++)); do
		rx_packets "$1"
		[ "$rx" != "$last" ] || return 0
		last=$rx
		nap 0.1
	done
}

# nap SECONDS: waits, on windows' idle pipe.
nap() {
	read -r -t "$1" -u "$idle" || true
}

# pg_sofar DEV: sofar, the packets pktgen's DEV has sent so far, or in its
# last run once stopped.
pg_sofar() {
	local line
	sofar=0
	while read -r line; do
		case $line in
		'pkts-sofar: '*)
			line=${line#pkts-sofar: }
			sofar=${line%% *}
			return
			;;
		esac
	done </proc/net/pktgen/"$1"
}

# usec SECONDS: us, the microseconds of a decimal number of seconds. Like
# the helpers below, it sets a variable rather than printing: a command
# substitution forks, which costs the emulated CPU tens of milliseconds.
usec() {
	local s=${1%.*} f=000000
	[ "$s" != "$1" ] && f=${1#*.}000000
	us=$((10#${s:-0} * 1000000 + 10#${f:0:6}))
}

# rx_packets PID: rx, eth0's received packets in PID's namespace.
rx_packets() {
	local line
	rx=0
	while read -r line; do
		case $line in
		eth0:*)
			line=${line#eth0:}
			# shellcheck disable=SC2086
			set -- $line
			rx=$2
			return
			;;
		esac
	done <"/proc/$1/net/dev"
}

# measure KIND N PATH MATCH NS CAP ENGINE...: the windows, the engines
# (their pktgen devices set up in generator NS) side by side. One result
# line an engine: median, every window, packets sent but not counted
# (overflowing the router's backlog: pktgen is faster), conntrack failures,
# and CPU 1's median busy share (%). Then for two engines or more, one line
# a pair: the later engine's rate over the earlier's in each round, and
# their median.
measure() {
	local kind=$1 n=$2 path=$3 match=$4 ns=$5 cap=$6
	shift 6
	local engs=("$@") e i k rate sent cnt cut busy note med ts=$SECONDS members=() w
	local -A rates=() busies=() cuts=() lost=() f0=() round=()
	local f1 i0 i1 d0 d1 e0 e1 j
	for e in "${engs[@]}"; do
		members+=("${m_dev[$e]}:${m_rt[$e]}:${m_sink[$e]}")
		f0[$e]=$(ct_fails "$e")
	done
	# The windows' script runs on CPU 0, pktgen's and the sinks'.
	while read -r i k rate sent cnt cut busy; do
		[ "$i" != 0 ] || continue
		e=${engs[k]}
		rates[$e]="${rates[$e]} $rate"
		busies[$e]="${busies[$e]} $busy"
		lost[$e]=$((${lost[$e]:-0} + sent - cnt))
		cuts[$e]=$((${cuts[$e]:-0} + cut))
		round[$i,$k]=$rate
	done < <(nx "$ns" taskset -c 0 bash "$self" windows "$warm" "$win" "$nwin" "$cap" "${members[@]}")
	for e in "${engs[@]}"; do
		read -r _ i0 d0 e0 <<<"${f0[$e]}"
		read -r _ i1 d1 e1 <<<"$(ct_fails "$e")"
		f1=$((i1 - i0 + d1 - d0 + e1 - e0))
		med=$(echo "${rates[$e]}" | median)
		note=
		[ "${cuts[$e]}" = 0 ] || note="; pktgen stopped before the end of ${cuts[$e]} windows"
		emit "$kind" "$e" "$n" "$path" "$match" "$med" "${rates[$e]# }" "${lost[$e]}" "$f1" \
			"$(echo "${busies[$e]}" | median)"
		say "$kind $e N=$n $path $match: $med/s (windows:${rates[$e]}; CPU 1 busy %:${busies[$e]}; conntrack insert_failed $((i1 - i0)) drop $((d1 - d0)) early_drop $((e1 - e0))$note)"
	done
	for ((j = 0; j < ${#engs[@]}; j++)); do
		for ((k = j + 1; k < ${#engs[@]}; k++)); do
			w=
			for ((i = 1; i <= nwin; i++)); do
				w="$w $(quot "${round[$i,$k]}" "${round[$i,$j]}")"
			done
			med=$(echo "$w" | median)
			emit pair "$kind" "${engs[k]}" "${engs[j]}" "$n" "$path" "$match" "$med" "${w# }"
			say "pair $kind ${engs[k]} / ${engs[j]} N=$n $path $match: $med (rounds:$w)"
		done
	done
	say "($((SECONDS - ts)) s)"
}

# Addresses and ports of N mappings: A public addresses of P ports each.
layout() {
	local n=$1
	naddr=$(((n + MAXPORTS - 1) / MAXPORTS))
	nports=$(((n + naddr - 1) / naddr))
	last_addr=203.0.113.$naddr
	last_port=$((BASE + nports - 1))
}

# rates N ENGINE...: the new-flow rates of engines holding N mappings, side
# by side. An engine named ENGINE@1 holds one mapping, and its flows go to
# that one whatever the others' match: their rate's reference at N=1. A
# reference named REF@0 (ct@0, ctnat@0) holds none, and its flows go to
# the server's address.
rates() {
	local n=$1 match e
	shift
	local engs=("$@")
	layout "$n"
	for match in last random; do
		[ "$match" = last ] || [ "$n" -gt 1 ] || continue
		for e in "${engs[@]}"; do
			set -- "$last_addr" "$last_addr" "$last_port" "$last_port" ""
			if [ "$e" != "${e%@0}" ]; then
				set -- $SRV0 $SRV0 $BASE $BASE ""
			elif [ "$e" != "${e%@1}" ] || [ "$e" = nft1 ]; then
				set -- $PUB1 $PUB1 $BASE $BASE ""
			elif [ "$match" = random ]; then
				set -- "$PUB1" "203.0.113.$((naddr + 1))" "$BASE" "$((BASE + nports))" \
					"IPDST_RND UDPDST_RND"
			fi
			pg_setup wan "$e" 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$@"
			lan_pg "$e" "$@"
		done
		measure rate "$n" wan "$match" wan "$cap_wan" "${engs[@]}"
		measure rate "$n" hairpin "$match" lan "$cap_lan" "${engs[@]}"
	done
}

# One established flow: a single source and destination, every packet
# after the first finds its conntrack entry.
# An established packet costs the router so little that with the sink on
# CPU 0 pktgen, which shares that CPU with it, could not keep CPU 1 busy
# (71-81%): the rate was the generator's. For these windows the sink runs
# on CPU 1 instead, after the router, through the veth's own NAPI ring
# (GRO on the receiving end, and no TSO on the sending one, without which
# veth passes a forwarded packet to the backlog that pktgen floods): CPU 0
# is left to pktgen, and CPU 1's time per packet is the router's plus the
# sink's drop, the same for every engine.
# The windows are shorter and three times as many: the engines' code for an
# established packet is the same, and the goal asks them to be within 2%,
# which only many rounds can tell from the host's noise (a window of 0.3 s
# holds 30000 packets).
# oneflow N DST PORT ENGINE...: the engines side by side.
oneflow() {
	local n=$1 dst=$2 port=$3 e win=$flow_win nwin=$flow_nwin
	shift 3
	for e in "$@"; do
		pg_setup wan "$e" 02:00:00:00:01:01 198.19.0.1 198.19.0.1 "$dst" "$dst" "$port" "$port" ""
		sink_on_cpu1 on "$e"
	done
	measure flow "$n" wan one wan 100000000 "$@"
	for e in "$@"; do
		sink_on_cpu1 off "$e"
	done
}

# sink_on_cpu1 on|off ENGINE: the sink's work on the router's CPU, or back
# on CPU 0.
sink_on_cpu1() {
	local rt=${m_rt[$2]} srv=${m_srv[$2]}
	if [ "$1" = on ]; then
		nx "$rt" ethtool -K lan-srv tso off
		nx "$srv" ethtool -K eth0 gro on
		rps "$srv" eth0 0
	else
		rps "$srv" eth0 1
		nx "$srv" ethtool -K eth0 gro off
		nx "$rt" ethtool -K lan-srv tso on
	fi
}

# ipt_dnat ENGINE -A|-D PROTO DST PORT TARGET: appends or deletes the
# recipe's DNAT rule of DST:PORT to TARGET:PORT, with that engine's iptables.
ipt_dnat() {
	nx "${m_rt[$1]}" "${1/ipt/iptables}" -t nat "$2" PREROUTING -d "$4/32" -p "$3" -m "$3" \
		--dport "$5" -j DNAT --to-destination "$6:$5"
}

# iperf_up|iperf_down K ENGINE DST PORT TARGET: a TCP mapping of DST:PORT
# to TARGET:PORT, added last, an iperf3 server behind it, and in wan a
# route through the engine's device for a client bound to it (the K-th
# engine measured); or their removal. While it is up, all of a flow's
# work runs on the CPUs its client and server run on: no RPS.
iperf_up() {
	local k=$1 eng=$2 dst=$3 port=$4 target=$5
	case $eng in
	ipt-*) ipt_dnat "$eng" -A tcp "$dst" "$port" "$target" ;;
	hairpin) nx "${m_rt[$eng]}" "$hpctl" map add tcp "$dst:$port" to "$target:$port" ;;
	esac
	ip -n wan route add 203.0.113.0/24 dev "${m_dev[$eng]}" src $WANGW metric $((100 + k))
	ip -n wan route add 198.18.0.0/15 via $PUB1 dev "${m_dev[$eng]}" metric $((100 + k))
	rps "${m_rt[$eng]}" wan0 0
	rps "${m_srv[$eng]}" eth0 0
	nx "${m_srv[$eng]}" iperf3 -s -D -B "$target" -p "$port" -I "$tmp/iperf.$k" >/dev/null 2>&1
}
iperf_down() {
	local k=$1 eng=$2 dst=$3 port=$4 target=$5
	kill "$(cat "$tmp/iperf.$k" 2>/dev/null)" 2>/dev/null || true
	rps "${m_rt[$eng]}" wan0 2
	rps "${m_srv[$eng]}" eth0 1
	ip -n wan route del 203.0.113.0/24 dev "${m_dev[$eng]}" metric $((100 + k))
	ip -n wan route del 198.18.0.0/15 via $PUB1 dev "${m_dev[$eng]}" metric $((100 + k))
	case $eng in
	ipt-*) ipt_dnat "$eng" -D tcp "$dst" "$port" "$target" ;;
	hairpin) nx "${m_rt[$eng]}" "$hpctl" map del tcp "$dst:$port" ;;
	esac
	ct_flush "$eng"
}

# iperfs N DST PORT TARGET ENGINE...: iperf3 TCP through every engine at
# once, BENCH_IPERF_ROUNDS runs of BENCH_IPERF_TIME seconds, each engine's
# flow alone on a CPU (its client, server and the router's work between
# them), the K-th engine's on CPU (K + round) % 2: at the same moment, so
# that the host's noise, which moves a run's rate by a quarter from one
# second to the next, falls on both alike, and on each CPU in turn. One
# result line an engine, the median of its runs, and for two engines the
# ratio of their runs in each round, whose median is the pair's.
iperfs() {
	local n=$1 dst=$2 port=$3 target=$4 e k i cpu med w='' r pids
	shift 4
	# run[K,I]: the K-th engine's rate in round I, empty if it failed.
	local -A run=()
	local engs=("$@") list
	for k in "${!engs[@]}"; do
		iperf_up "$k" "${engs[$k]}" "$dst" "$port" "$target"
	done
	sleep 0.5
	for ((i = 0; i < iperf_rounds; i++)); do
		pids=''
		for k in "${!engs[@]}"; do
			e=${engs[$k]} cpu=$(((k + i) % 2))
			taskset -pc "$cpu" "$(cat "$tmp/iperf.$k")" >/dev/null
			nx wan taskset -c "$cpu" timeout 30 iperf3 -c "$dst" -p "$port" \
				--bind-dev "${m_dev[$e]}" -t "$iperf_time" -J >"$tmp/iperf.$k.json" 2>/dev/null &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086
		wait $pids
		for k in "${!engs[@]}"; do
			r=$(jq -r '.end.sum_received.bits_per_second / 1e6' "$tmp/iperf.$k.json" 2>/dev/null) || r=''
			case $r in null | 0) r='' ;; esac
			run[$k,$i]=$r
		done
		[ ${#engs[@]} = 2 ] && [ -n "${run[0,$i]}" ] && [ -n "${run[1,$i]}" ] || continue
		w="$w $(quot "${run[1,$i]}" "${run[0,$i]}")"
	done
	for k in "${!engs[@]}"; do
		e=${engs[$k]}
		iperf_down "$k" "$e" "$dst" "$port" "$target"
		list=''
		for ((i = 0; i < iperf_rounds; i++)); do
			list="$list${run[$k,$i]:+ ${run[$k,$i]}}"
		done
		[ -n "$list" ] || { say "iperf3 $e N=$n: failed"; continue; }
		med=$(echo "$list" | median)
		emit iperf "$e" "$n" wan one "$med" "${list# }" 0 0
		say "iperf3 $e N=$n: $med Mbit/s (${list# })"
	done
	[ -n "$w" ] || return 0
	med=$(echo "$w" | median)
	emit pair iperf "${engs[1]}" "${engs[0]}" "$n" wan one "$med" "${w# }"
	say "pair iperf ${engs[1]} / ${engs[0]} N=$n: $med (rounds:$w)"
}

# --- engines ------------------------------------------------------------------

# rules_ipt N: the classic recipe, for iptables-restore.
rules_ipt() {
	layout "$1"
	awk -v naddr="$naddr" -v nports="$nports" -v n="$1" -v base=$BASE '
	BEGIN {
		print "*nat"
		print ":PREROUTING ACCEPT [0:0]"; print ":INPUT ACCEPT [0:0]"
		print ":OUTPUT ACCEPT [0:0]"; print ":POSTROUTING ACCEPT [0:0]"
		for (a = 1; a <= naddr; a++)
			for (p = base; p < base + nports; p++)
				printf "-A PREROUTING -d 203.0.113.%d/32 -p udp -m udp --dport %d -j DNAT --to-destination 198.18.0.%d:%d\n", a, p, 9 + a, p
		print "-A POSTROUTING -s 198.18.0.0/16 -d 198.18.0.0/16 -o br-lan -m conntrack --ctstate DNAT -j MASQUERADE"
		print "COMMIT"
	}'
}

rules_nft() {
	layout "$1"
	awk -v naddr="$naddr" -v nports="$nports" -v base=$BASE '
	BEGIN {
		print "table ip hp {"
		print "\tmap portmap {"
		print "\t\ttype ipv4_addr . inet_service : ipv4_addr . inet_service"
		printf "\t\telements = { "
		sep = ""
		for (a = 1; a <= naddr; a++)
			for (p = base; p < base + nports; p++) {
				printf "%s203.0.113.%d . %d : 198.18.0.%d . %d", sep, a, p, 9 + a, p
				sep = ",\n\t\t\t"
			}
		print " }"
		print "\t}"
		print "\tchain pre {"
		print "\t\ttype nat hook prerouting priority dstnat; policy accept;"
		print "\t\tmeta l4proto udp dnat ip to ip daddr . udp dport map @portmap"
		print "\t\tmeta l4proto tcp dnat ip to ip daddr . tcp dport map @portmap"
		print "\t}"
		print "\tchain post {"
		print "\t\ttype nat hook postrouting priority srcnat; policy accept;"
		print "\t\toifname \"br-lan\" ip saddr 198.18.0.0/16 ct status dnat masquerade"
		print "\t}"
		print "}"
	}'
}

# The single rule, whatever N: goal 3's reference.
rules_nft1() {
	cat <<-EOF
	table ip hp {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			udp dport $BASE dnat to $SRV0
		}
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "br-lan" ip saddr 198.18.0.0/16 ct status dnat masquerade
		}
	}
	EOF
}

rules_hairpin() {
	layout "$1"
	awk -v naddr="$naddr" -v nports="$nports" -v base=$BASE '
	BEGIN {
		for (a = 1; a <= naddr; a++)
			for (p = base; p < base + nports; p++)
				printf "map add udp 203.0.113.%d:%d to 198.18.0.%d:%d\n", a, p, 9 + a, p
	}'
}

# Kernel memory now, in kB: slab, unreclaimable slab, vmalloc, percpu,
# free (large kmallocs, such as a big hash table, show only there).
kmem() {
	sync
	sleep 1
	awk '/^(Slab|SUnreclaim|VmallocUsed|Percpu|MemFree):/ { v[$1] = $2 }
	     END { print v["Slab:"], v["SUnreclaim:"], v["VmallocUsed:"], v["Percpu:"], v["MemFree:"] }' /proc/meminfo
}

# rules ENGINE N: the engine's N mappings, in its load command's format.
rules() {
	case $1 in
	ipt-*) rules_ipt "$2" ;;
	nft-map) rules_nft "$2" ;;
	nft1) rules_nft1 ;;
	hairpin) rules_hairpin "$2" ;;
	esac
}

# The engines' commands, each in its router. ENGINE@1 is ENGINE.
# eng_load ENGINE FILE
eng_load() {
	local rt=${m_rt[$1]}
	case ${1%@1} in
	ipt-legacy) nx "$rt" iptables-legacy-restore <"$2" ;;
	ipt-nft) nx "$rt" iptables-nft-restore <"$2" ;;
	nft-map | nft1) nx "$rt" nft -f "$2" ;;
	hairpin) nx "$rt" "$hpctl" -f "$2" ;;
	esac
}

eng_flush() {
	local rt=${m_rt[$1]}
	case ${1%@1} in
	ipt-legacy) nx "$rt" iptables-legacy -t nat -F ;;
	ipt-nft) nx "$rt" iptables-nft -t nat -F ;;
	nft-map | nft1) nx "$rt" nft flush ruleset ;;
	hairpin) nx "$rt" "$hpctl" map flush ;;
	esac
}

# One mapping added then deleted at the end of a table of N.
eng_add() {
	case $1 in
	ipt-legacy | ipt-nft) ipt_dnat "$1" -A udp $PUB1 60001 $SRV0 ;;
	nft-map) nx "${m_rt[$1]}" nft add element ip hp portmap "{ $PUB1 . 60001 : $SRV0 . 60001 }" ;;
	hairpin) nx "${m_rt[$1]}" "$hpctl" map add udp $PUB1:60001 to $SRV0:60001 ;;
	esac
}

eng_del() {
	case $1 in
	ipt-legacy | ipt-nft) ipt_dnat "$1" -D udp $PUB1 60001 $SRV0 ;;
	nft-map) nx "${m_rt[$1]}" nft delete element ip hp portmap "{ $PUB1 . 60001 }" ;;
	hairpin) nx "${m_rt[$1]}" "$hpctl" map del udp $PUB1:60001 ;;
	esac
}

timed() {
	local a b
	a=$(now)
	"$@"
	b=$(now)
	elapsed "$a" "$b"
}

# run_engines N ENGINE...: engines at one size, in namespaces of their own,
# measured side by side. ENGINE@1 is ENGINE holding one mapping, and REF@0
# a reference (ct, ctnat), for the others' rates to be compared with: they
# are set up, not measured themselves.
run_engines() {
	local n=$1 eng m0 m1 t ta td first last e i
	shift
	local engs=("$@") main=()
	say "== $* N=$n"
	topology "$@"
	layout "$n"
	for eng in "${engs[@]}"; do
		case $eng in
		hairpin*)
			grep -q '^hairpin ' /proc/modules || insmod "$ko" ;;
		esac
		if [ "$eng" != "${eng%@0}" ]; then
			ref_table "$eng"
			continue
		fi
		# One mapping, set up and measured, not timed: so is the
		# single rule, which only ever has one.
		if [ "$eng" != "${eng%@1}" ] || [ "$eng" = nft1 ]; then
			rules "${eng%@1}" 1 >"/tmp/rules.$eng"
			eng_load "$eng" "/tmp/rules.$eng"
			rm -f "/tmp/rules.$eng"
			continue
		fi
		main+=("$eng")
		rules "$eng" "$n" >"/tmp/rules.$eng"
		# Load into an empty table, with the memory it takes (from
		# 10k mappings: below, a table's memory is lost in the noise
		# of the rest, and each reading takes a second).
		quiesce
		m0='' m1=''
		[ "$n" -lt 10000 ] || m0=$(kmem)
		t=$(timed eng_load "$eng" "/tmp/rules.$eng")
		[ "$n" -lt 10000 ] || m1=$(kmem)
		rm -f "/tmp/rules.$eng"
		emit load "$eng" "$n" "$t"
		# shellcheck disable=SC2086
		[ -z "$m0" ] || emit mem "$eng" "$n" $m0 $m1
		say "load $eng N=$n: ${t}s${m0:+; kmem kB before/after (slab sunreclaim vmalloc percpu free): $m0 / $m1}"
		ta='' td=''
		for i in 1 2 3; do
			ta="$ta $(timed eng_add "$eng")"
			t=$(timed eng_del "$eng")
			td="$td $t"
			# One is enough when it takes seconds.
			[ "${t%.*}" -lt 3 ] || break
		done
		emit add "$eng" "$n" "$(echo "$ta" | median)" "${ta# }"
		emit del "$eng" "$n" "$(echo "$td" | median)" "${td# }"
		say "add/del $eng N=$n:$ta /$td s"
	done
	# rules set the layout of what it wrote: ENGINE@1's, if last.
	layout "$n"
	quiesce
	eng=${engs[0]}
	if [ ${#engs[@]} = 1 ] && [ -n "${slow[$eng]}" ]; then
		# Bounded: one set, the last mapping on the WAN path.
		say "$eng is too slow at N=${slow[$eng]}: at N=$n, the last mapping on the WAN path only"
		pg_setup wan "$eng" 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$last_addr" \
			"$last_addr" "$last_port" "$last_port" ""
		measure rate "$n" wan last wan "$cap_wan" "$eng"
	else
		rates "$n" "${engs[@]}"
		# Below 2000 flows/s (iptables at 10k rules) the larger sizes
		# get one set: at 100k rules such an engine runs at 100 flows/s,
		# and each set would take it a quarter of a minute to show so.
		for e in "${main[@]}"; do
			[ "$(awk -F'\t' -v e="$e" -v n="$n" '$1 == "rate" && $2 == e && $3 == n && $4 == "wan" && $5 == "last" { print int($6) }' "$res")" -ge 2000 ] ||
				slow[$e]=$n
		done
	fi
	# Established traffic, for the engines its goal compares: no rule
	# engine sees an established packet (the NAT core asks them only for
	# a connection without a binding).
	first=${sizes%% *} last=${sizes##* }
	if [ "${main[*]}" = "nft-map hairpin" ] &&
	   { [ "$n" = "$first" ] || [ "$n" = "$last" ]; }; then
		oneflow "$n" "$last_addr" "$last_port" "${main[@]}"
		iperfs "$n" "$last_addr" "$last_port" "198.18.0.$((9 + naddr))" "${main[@]}"
	fi
	# Profiled where the nft map and hairpin do the least work of their
	# own: what is left is the NAT core's.
	for eng in "${main[@]}"; do
		if [ "$perf" = 1 ] && { [ "$eng" = nft-map ] || [ "$eng" = hairpin ]; } &&
		   [ "$n" = "$first" ]; then
			profile_paths "$eng" "$n"
		fi
	done
	for eng in "${engs[@]}"; do
		eng_flush "$eng" >/dev/null 2>&1 || true
	done
}

# profile ENGINE N PATH NS CAP: where CPU 1, the router's, spends two
# windows' time. pktgen's flow must already be set up in NS. perf samples
# on a software clock (no PMU in TCG) from just before the windows to just
# after them: perf takes seconds to start in this VM, so it starts disabled
# and the windows wait for its acknowledgement of "enable". One result
# line per symbol of more than 0.1% of the samples: its share of the
# samples, the windows' rate (sampling at 997 Hz costs a little) and
# the share of samples not idle.
profile() {
	local eng=$1 n=$2 path=$3 ns=$4 cap=$5 dir ppid ctl ack rate busy
	dir=$(mktemp -d)
	mkfifo "$dir/ctl" "$dir/ack"
	( cd "$dir" && exec perf record -q -e cpu-clock -F 997 -C 1 --synth=no -D -1 \
		--control "fifo:$dir/ctl,$dir/ack" -o "$dir/perf.data" >/dev/null 2>&1 ) &
	ppid=$!
	# Opened for reading and writing, which does not wait for perf to
	# open the other end: if it never starts, the reads time out.
	exec {ctl}<>"$dir/ctl" {ack}<>"$dir/ack"
	ct_flush "$eng"
	echo enable >&"$ctl"
	read -r -t 60 -u "$ack" _ || true
	rate=$(nx "$ns" taskset -c 0 bash "$self" windows 0.5 2 2 "$cap" \
		"${m_dev[$eng]}:${m_rt[$eng]}:${m_sink[$eng]}" | awk '$1 > 0 { print $3 }' | median)
	echo disable >&"$ctl"
	read -r -t 60 -u "$ack" _ || true
	exec {ctl}>&- {ack}<&-
	kill -INT "$ppid" 2>/dev/null || true
	wait "$ppid" || true
	perf report -i "$dir/perf.data" --kallsyms=/proc/kallsyms --stdio --sort symbol \
		2>/dev/null | awk '$1 ~ /%$/ { sub(/%/, "", $1); if ($1 > 0.1) print $1, $3 }' >"$dir/syms"
	busy=$(awk '$2 == "native_safe_halt" { idle += $1 } END { printf "%.2f", 100 - idle }' "$dir/syms")
	while read -r pct sym; do
		[ "$sym" = native_safe_halt ] || emit perf "$eng" "$n" "$path" "$sym" "$pct" "$rate" "$busy"
	done <"$dir/syms"
	rm -rf "$dir"
	ct_flush "$eng"
	say "perf $eng N=$n $path: $rate/s profiled, CPU 1 busy $busy%"
}

# profile_paths ENGINE N [DST PORT]: profile, on both paths, the flows to
# one destination (default: the last mapping).
profile_paths() {
	local dst=${3:-$last_addr} port=${4:-$last_port}
	pg_setup wan "$1" 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$dst" "$dst" "$port" "$port" ""
	profile "$1" "$2" wan wan "$cap_wan"
	lan_pg "$1" "$dst" "$dst" "$port" "$port" ""
	profile "$1" "$2" hairpin lan "$cap_lan"
}

# ref_table ENGINE: the table a reference needs in ENGINE's router (ENGINE
# ct or ctnat, or either with "@0" when measured beside the engines).
ref_table() {
	case ${1%@0} in
	ct)
		# A ct expression in a chain no packet enters turns conntrack
		# on in the namespace, without a rule in any packet's path.
		nx "${m_rt[$1]}" nft -f - <<-EOF
		table ip ctonly {
			chain unused {
				ct state new
			}
		}
		EOF
		;;
	ctnat)
		# A nat chain alone does not turn conntrack on (only a rule
		# that needs it does): without the unused chain, the NAT
		# hooks see no conntrack entry and return at once.
		nx "${m_rt[$1]}" nft -f - <<-EOF
		table ip nat {
			chain pre { type nat hook prerouting priority dstnat; policy accept; }
			chain post { type nat hook postrouting priority srcnat; policy accept; }
			chain unused {
				ct state new
			}
		}
		EOF
		;;
	esac
}

# The references: no conntrack, conntrack only, conntrack and empty nat
# chains; traffic straight to the server (nothing to translate).
# run_reference ENGINE: measured alone, at the start of the boot. Conntrack
# only and the empty nat chains are measured again beside the engines at
# every size (ct@0, ctnat@0): a reference measured once would carry
# whatever the machine was doing then into every ratio.
run_reference() {
	local eng=$1
	say "== $eng"
	topology "$eng"
	ref_table "$eng"
	pg_setup wan "$eng" 02:00:00:00:01:01 198.19.0.1 198.19.15.253 $SRV0 $SRV0 $BASE $BASE ""
	measure rate 0 wan - wan "$cap_wan" "$eng"
	lan_pg "$eng" $SRV0 $SRV0 $BASE $BASE ""
	measure rate 0 hairpin - lan "$cap_lan" "$eng"
	# Established traffic and the profile: conntrack only is their
	# reference.
	[ "$eng" = ct ] || return 0
	[ "$perf" != 1 ] || profile_paths "$eng" 0 $SRV0 $BASE
	oneflow 0 $SRV0 $BASE "$eng"
	iperfs 0 $SRV0 $BASE $SRV0 "$eng"
}

# BENCH_LIB=1: sourced for its functions (debugging), nothing run.
[ -z "$BENCH_LIB" ] || return 0

if [ "$out" = __windows ]; then
	shift
	windows "$@"
	exit
fi

# Nothing may outlive the script, even one that failed: the guest waits
# for its output to close.
trap 'for n in $sinkpids; do kill "$n" 2>/dev/null || true; done' EXIT
global_setup
say "sizes: $sizes; engines: $engines; windows: $warm s warm-up + $nwin x $win s"
# The references measured alone; conntrack only and the empty nat chains
# are measured beside the engines too.
refs=${BENCH_REFS-noct ct}
for e in $refs; do
	run_reference "$e"
done
# Size by size, every engine, in the opposite order at the next size: the
# machine drifts through a boot (conntrack only has read 25% lower at the
# end than at the start), and engines measured one after the other would
# carry that drift into their ratios to each other. The nft map and
# hairpin, which the goals compare, are measured side by side, window by
# window, with conntrack only, at N=1 with the empty nat chains, and above
# with hairpin holding one mapping: the goals are judged on the ratios of
# their windows of the same rounds. The tables' reference is the median of
# every measurement of conntrack only, whose spread shows the drift.
order=
for e in $engines; do
	case " $engines " in
	*" nft-map "*) [ "$e" != hairpin ] || continue ;;
	esac
	case " $engines " in
	*" hairpin "*) [ "$e" != nft-map ] || e=pair ;;
	esac
	order="${order:+$order }$e"
done
for n in $sizes; do
	for e in $order; do
		if [ "$e" = pair ]; then
			if [ "$n" = "${sizes%% *}" ]; then
				run_engines "$n" nft-map hairpin nft1 ct@0 ctnat@0
			else
				run_engines "$n" nft-map hairpin hairpin@1 nft1 ct@0
			fi
		else
			run_engines "$n" "$e"
		fi
	done
	order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
	order=${order% }
done
emit meta seconds $((SECONDS - t0))
del_namespaces
say "done"

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
# dnat map plus "ct status dnat" masquerade), hairpin.
#
# Knobs (environment): BENCH_SIZES, BENCH_ENGINES, BENCH_WINDOW (seconds),
# BENCH_WINDOWS, BENCH_WARMUP (seconds), BENCH_PERF (0: no perf profiles
# of conntrack only, the nft map and hairpin).
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
self=$(realpath "$0")

sizes=${BENCH_SIZES:-1 100 10000 100000}
engines=${BENCH_ENGINES:-ipt-legacy ipt-nft nft-map hairpin}
win=${BENCH_WINDOW:-1}
nwin=${BENCH_WINDOWS:-5}
warm=${BENCH_WARMUP:-0.5}
perf=${BENCH_PERF:-1}
# Flows a window may create. A hairpin path window with a single target
# masquerades every flow to one address and port pair: it must stay below
# the 64511 source ports the masquerade picks from. WAN windows are
# bounded for memory only.
cap_wan=${BENCH_CAP_WAN:-250000}
cap_lan=${BENCH_CAP_LAN:-60000}

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
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Runs in namespace N: nsenter costs less than ip netns exec, which also
# remounts /sys (needed only for the few sysfs writes, which use it).
nx() { local n=$1; shift; nsenter --net="/run/netns/$n" "$@"; }

# --- the machine ------------------------------------------------------------

global_setup() {
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

# A fresh router (and its neighbours) for each engine, so that no engine
# pays for what an earlier one left registered in the namespace.
topology() {
	local n
	[ -z "$sinkpid" ] || kill "$sinkpid" 2>/dev/null || true
	for n in wan lan rt srv; do
		ip netns del "$n" 2>/dev/null || true
	done
	quiesce
	for n in wan lan rt srv; do
		ip netns add "$n"
		ip -n "$n" link set lo up
	done
	ip link add eth0 netns wan address 02:00:00:00:01:02 type veth \
		peer name wan0 netns rt address 02:00:00:00:01:01
	ip link add eth0 netns lan address 02:00:00:00:02:02 type veth \
		peer name lan-gen netns rt
	ip link add eth0 netns srv address 02:00:00:00:03:02 type veth \
		peer name lan-srv netns rt
	ip -n rt -b - <<-EOF
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
	link set eth0 up
	addr add $WANGW/24 dev eth0
	route add 198.18.0.0/15 via $PUB1
	neigh replace $PUB1 lladdr 02:00:00:00:01:01 dev eth0 nud permanent
	neigh replace 203.0.113.2 lladdr 02:00:00:00:01:01 dev eth0 nud permanent
	EOF
	ip -n lan -b - <<-EOF
	link set eth0 up
	addr add 198.18.16.1/16 dev eth0
	route add default via $RTLAN
	neigh replace $RTLAN lladdr 02:00:00:00:02:01 dev eth0 nud permanent
	EOF
	ip -n srv -b - <<-EOF
	link set eth0 up
	addr add $SRV0/16 dev eth0
	addr add 198.18.0.11/16 dev eth0
	route add default via $RTLAN
	neigh replace $RTLAN lladdr 02:00:00:00:02:01 dev eth0 nud permanent
	EOF
	bridge -n rt fdb replace 02:00:00:00:03:02 dev lan-srv master static
	bridge -n rt fdb replace 02:00:00:00:02:02 dev lan-gen master static
	nx rt sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
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
	ip netns exec rt sh -c 'for d in wan0 lan-gen; do echo 2 >/sys/class/net/$d/queues/rx-0/rps_cpus; done'
	ip netns exec srv sh -c 'echo 1 >/sys/class/net/eth0/queues/rx-0/rps_cpus'
	# What the windows read the sink's counters through.
	ip netns exec srv sleep infinity &
	sinkpid=$!
	# The sink: count and drop every UDP packet as it arrives.
	nx srv nft -f - <<-EOF
	table netdev sink {
		counter pkts { }
		chain in {
			type filter hook ingress device eth0 priority 0;
			meta l4proto udp counter name pkts drop
		}
	}
	EOF
}

sink_count() {
	nx srv nft list counter netdev sink pkts | awk '/packets/ { print $2 }'
}

# insert_failed + drop + early_drop of the router's conntrack, all CPUs,
# and each of them.
ct_fails() {
	nsenter --net=/run/netns/rt conntrack -S 2>/dev/null | awk '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "=");
		  if (kv[1] == "insert_failed" || kv[1] == "drop" || kv[1] == "early_drop") { s += kv[2]; c[kv[1]] += kv[2] } } }
		END { printf "%d %d %d %d\n", s, c["insert_failed"], c["drop"], c["early_drop"] }'
}

ct_flush() { nsenter --net=/run/netns/rt conntrack -F >/dev/null 2>&1 || true; }

# --- traffic ------------------------------------------------------------------

# pg_setup NS MAC SRC_MIN SRC_MAX DST_MIN DST_MAX DPORT_MIN DPORT_MAX [FLAGS]:
# one pktgen device on NS's eth0. Maximums are exclusive as pktgen takes
# them (a min equal to its max is a fixed value). Source ports 1024..65534
# and 4093 addresses (a prime): every packet is a new flow.
pg_setup() {
	local ns=$1 mac=$2 smin=$3 smax=$4 dmin=$5 dmax=$6 pmin=$7 pmax=$8 flags=$9
	local sp=1024 spmax=65535
	if [ "$smin" = "$smax" ]; then sp=5000 spmax=5000; fi
	nx "$ns" bash -c "
		set -e
		pg() {
			local line
			echo \"\$2\" >/proc/net/pktgen/\$1
			[ \$1 = eth0 ] || return 0
			while read -r line; do
				case \$line in 'Result: OK'*) return 0 ;; 'Result:'*) echo \"pktgen: \$2: \$line\" >&2; exit 1 ;; esac
			done </proc/net/pktgen/\$1
		}
		pg kpktgend_0 rem_device_all
		pg kpktgend_1 rem_device_all
		pg kpktgend_0 'add_device eth0'
		pg eth0 'count 0'
		pg eth0 'clone_skb 0'
		pg eth0 'burst 1'
		pg eth0 'xmit_mode start_xmit'
		pg eth0 'pkt_size 60'
		pg eth0 'delay 0'
		pg eth0 'dst_mac $mac'
		pg eth0 'src_min $smin'
		pg eth0 'src_max $smax'
		pg eth0 'dst_min $dmin'
		pg eth0 'dst_max $dmax'
		pg eth0 'udp_src_min $sp'
		pg eth0 'udp_src_max $spmax'
		pg eth0 'udp_dst_min $pmin'
		pg eth0 'udp_dst_max $pmax'
		for f in IPDST_RND UDPDST_RND; do pg eth0 \"flag !\$f\"; done
		for f in $flags; do pg eth0 \"flag \$f\"; done
	"
}

# lan_pg DST_MIN DST_MAX DPORT_MIN DPORT_MAX [FLAGS]: pktgen on the
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
	pg_setup lan 02:00:00:00:02:01 198.18.16.1 198.18.31.253 "$1" "$2" "$3" "$4" "$5 UDPSRC_RND"
}

# windows WARMUP WINDOW N CAP SINKPID, run inside a generator namespace:
# a warm-up window then N, each from an empty conntrack table. pktgen runs
# on CPU 0 and the router on CPU 1 (RPS), so the rate is what one CPU
# forwards: the sink's packets counted between two reads in the steady
# state, over the time between them.
# A window creates at most CAP flows: pktgen stops after CAP packets taken
# (its count leaves out those the router's full backlog refuses), and the
# window ends early, when pktgen has sent 85% of them.
# Prints one line per window, "rate sent counted cut busy", the warm-up's
# first; cut is 1 if pktgen had stopped before the window's end, busy
# CPU 1's busy share in the window (%).
# The sink is read through a process of its namespace, the clock is
# bash's and the waits are read's timeout on a pipe nobody writes to: no
# process is started in a window but conntrack -F, which matters in an
# emulated CPU (40 ms of CPU a process).
windows() {
	local warm=$1 win=$2 n=$3 cap=$4 sink=$5 i w a b ta tb pid sent sofar cut rate
	local ia ua idle1 total1 busy
	local pg=/proc/net/pktgen ramp=100000 idle
	exec {idle}<> <(:)
	echo "count $cap" >$pg/eth0
	for ((i = 0; i <= n; i++)); do
		w=$(usec "$win")
		[ "$i" != 0 ] || w=$(usec "$warm")
		nsenter --net=/run/netns/rt conntrack -F >/dev/null 2>&1 || true
		echo start >$pg/pgctrl &
		pid=$!
		nap "0.$ramp"
		a=$(rx_packets "$sink")
		ta=${EPOCHREALTIME/./}
		cpu1_ticks
		ia=$idle1 ua=$total1
		# Every 50 ms: the window's end, or pktgen near its count.
		while :; do
			nap 0.05
			pg_sofar
			[ $((${EPOCHREALTIME/./} - ta)) -lt "$w" ] || break
			[ "$sofar" -lt $((cap * 85 / 100)) ] || break
		done
		b=$(rx_packets "$sink")
		tb=${EPOCHREALTIME/./}
		cpu1_ticks
		busy=$((100 - (idle1 - ia) * 100 / (total1 - ua + (total1 == ua))))
		pg_sofar
		cut=0
		[ "$sofar" -lt "$cap" ] || cut=1
		echo stop >$pg/pgctrl
		wait "$pid" 2>/dev/null || true
		rate=$(((b - a) * 1000000 / (tb - ta)))
		# Let the router drain its backlog (1000 packets) before the
		# next flush, for at most a second, and not at all when that
		# takes it more than half a second: a slow engine (iptables at
		# 100k rules, 100 packets a second) would take ten. What it
		# leaves is forwarded in the next window's ramp, as new flows
		# all the same.
		[ "$rate" -lt 2000 ] || drain "$sink"
		pg_sofar
		sent=$sofar
		echo "$rate $sent $((b - a)) $cut $busy"
	done
	nsenter --net=/run/netns/rt conntrack -F >/dev/null 2>&1 || true
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
	local j last=-1 now
	for ((j = 0; j < 10; j++)); do
		now=$(rx_packets "$1")
		[ "$now" != "$last" ] || return 0
		last=$now
		nap 0.1
	done
}

# nap SECONDS: waits, on windows' idle pipe.
nap() {
	read -r -t "$1" -u "$idle" || true
}

# pg_sofar: sofar, the packets pktgen has sent so far, or in its last run
# once stopped.
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
	done </proc/net/pktgen/eth0
}

# usec SECONDS: microseconds, of a decimal number of seconds.
usec() {
	local s=${1%.*} f=000000
	[ "$s" != "$1" ] && f=${1#*.}000000
	echo $((10#${s:-0} * 1000000 + 10#${f:0:6}))
}

# rx_packets PID: eth0's received packets in PID's namespace.
rx_packets() {
	local line
	while read -r line; do
		case $line in
		eth0:*)
			line=${line#eth0:}
			# shellcheck disable=SC2086
			set -- $line
			echo "$2"
			return
			;;
		esac
	done <"/proc/$1/net/dev"
	echo 0
}

# measure KIND ENGINE N PATH MATCH NS CAP: the windows, one result line:
# median, every window, packets sent but not counted (overflowing the
# router's backlog: pktgen is faster), conntrack failures, and CPU 1's
# median busy share (%).
measure() {
	local kind=$1 eng=$2 n=$3 path=$4 match=$5 ns=$6 cap=$7
	local rate sent cnt cut busy busies='' cuts=0 note rates='' lost=0 f0 f1 i0 i1 d0 d1 e0 e1 med first=1 ts=$SECONDS
	f0=$(ct_fails)
	# The windows' script runs on CPU 0, pktgen's and the sink's.
	while read -r rate sent cnt cut busy; do
		if [ -n "$first" ]; then first=; continue; fi
		rates="$rates $rate"
		busies="$busies $busy"
		lost=$((lost + sent - cnt))
		cuts=$((cuts + cut))
	done < <(nx "$ns" taskset -c 0 bash "$self" windows "$warm" "$win" "$nwin" "$cap" "$sinkpid")
	f1=$(ct_fails)
	med=$(echo "$rates" | median)
	note=
	[ "$cuts" = 0 ] || note="; pktgen stopped before the end of $cuts windows"
	read -r f0 i0 d0 e0 <<<"$f0"
	read -r f1 i1 d1 e1 <<<"$f1"
	emit "$kind" "$eng" "$n" "$path" "$match" "$med" "${rates# }" "$lost" "$((f1 - f0))" \
		"$(echo "$busies" | median)"
	say "$kind $eng N=$n $path $match: $med/s (windows:$rates; CPU 1 busy %:$busies; conntrack insert_failed $((i1 - i0)) drop $((d1 - d0)) early_drop $((e1 - e0)); $((SECONDS - ts)) s$note)"
}

# Addresses and ports of N mappings: A public addresses of P ports each.
layout() {
	local n=$1
	naddr=$(((n + MAXPORTS - 1) / MAXPORTS))
	nports=$(((n + naddr - 1) / naddr))
	last_addr=203.0.113.$naddr
	last_port=$((BASE + nports - 1))
}

# rates ENGINE N: the new-flow rates of an engine holding N mappings.
rates() {
	local eng=$1 n=$2 match
	layout "$n"
	for match in last random; do
		[ "$match" = last ] || [ "$n" -gt 1 ] || continue
		if [ "$match" = last ]; then
			set -- "$last_addr" "$last_addr" "$last_port" "$last_port" ""
		else
			set -- "$PUB1" "203.0.113.$((naddr + 1))" "$BASE" "$((BASE + nports))" \
				"IPDST_RND UDPDST_RND"
		fi
		pg_setup wan 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$@"
		measure rate "$eng" "$n" wan "$match" wan "$cap_wan"
		lan_pg "$@"
		measure rate "$eng" "$n" hairpin "$match" lan "$cap_lan"
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
oneflow() {
	local eng=$1 n=$2 dst=$3 port=$4
	pg_setup wan 02:00:00:00:01:01 198.19.0.1 198.19.0.1 "$dst" "$dst" "$port" "$port" ""
	sink_on_cpu1 on
	measure flow "$eng" "$n" wan one wan 100000000
	sink_on_cpu1 off
}

# sink_on_cpu1 on|off: the sink's work on the router's CPU, or back on CPU 0.
sink_on_cpu1() {
	if [ "$1" = on ]; then
		nx rt ethtool -K lan-srv tso off
		nx srv ethtool -K eth0 gro on
		ip netns exec srv sh -c 'echo 0 >/sys/class/net/eth0/queues/rx-0/rps_cpus'
	else
		ip netns exec srv sh -c 'echo 1 >/sys/class/net/eth0/queues/rx-0/rps_cpus'
		nx srv ethtool -K eth0 gro off
		nx rt ethtool -K lan-srv tso on
	fi
}

# ipt_dnat ENGINE -A|-D PROTO DST PORT TARGET: appends or deletes the
# recipe's DNAT rule of DST:PORT to TARGET:PORT, with that engine's iptables.
ipt_dnat() {
	nx rt "${1/ipt/iptables}" -t nat "$2" PREROUTING -d "$4/32" -p "$3" -m "$3" \
		--dport "$5" -j DNAT --to-destination "$6:$5"
}

# iperf3 TCP through a TCP mapping of DST:PORT to TARGET:PORT, added last.
iperf() {
	local eng=$1 n=$2 dst=$3 port=$4 target=$5 r
	case $eng in
	ipt-*) ipt_dnat "$eng" -A tcp "$dst" "$port" "$target" ;;
	hairpin) nx rt "$hpctl" map add tcp "$dst:$port" to "$target:$port" ;;
	esac
	nx srv iperf3 -s -1 -D -B "$target" -p "$port" >/dev/null 2>&1
	sleep 0.5
	r=$(nx wan timeout 30 iperf3 -c "$dst" -p "$port" -t $((nwin + 1)) -O 1 -J 2>/dev/null |
		jq -r '[.intervals[] | select((.sum.omitted | not) and .sum.seconds > 0.9) | .sum.bits_per_second / 1e6] | map(tostring) | join(" ")' 2>/dev/null) || r=
	nx srv pkill -x iperf3 2>/dev/null || true
	case $eng in
	ipt-*) ipt_dnat "$eng" -D tcp "$dst" "$port" "$target" ;;
	hairpin) nx rt "$hpctl" map del tcp "$dst:$port" ;;
	esac
	ct_flush
	[ -n "$r" ] || { say "iperf3 $eng N=$n: failed"; return 0; }
	emit iperf "$eng" "$n" wan one "$(echo "$r" | median)" "$r" 0 0
	say "iperf3 $eng N=$n: $(echo "$r" | median) Mbit/s ($r)"
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

# The engine's commands, as functions of N.
eng_load() {
	local f=/tmp/rules.$1.$2
	case $1 in
	ipt-legacy) nx rt iptables-legacy-restore <"$f" ;;
	ipt-nft) nx rt iptables-nft-restore <"$f" ;;
	nft-map) nx rt nft -f "$f" ;;
	hairpin) nx rt "$hpctl" -f "$f" ;;
	esac
}

eng_flush() {
	case $1 in
	ipt-legacy) nx rt iptables-legacy -t nat -F ;;
	ipt-nft) nx rt iptables-nft -t nat -F ;;
	nft-map) nx rt nft flush ruleset ;;
	hairpin) nx rt "$hpctl" map flush ;;
	esac
}

# One mapping added then deleted at the end of a table of N.
eng_add() {
	case $1 in
	ipt-legacy | ipt-nft) ipt_dnat "$1" -A udp $PUB1 60001 $SRV0 ;;
	nft-map) nx rt nft add element ip hp portmap "{ $PUB1 . 60001 : $SRV0 . 60001 }" ;;
	hairpin) nx rt "$hpctl" map add udp $PUB1:60001 to $SRV0:60001 ;;
	esac
}

eng_del() {
	case $1 in
	ipt-legacy | ipt-nft) ipt_dnat "$1" -D udp $PUB1 60001 $SRV0 ;;
	nft-map) nx rt nft delete element ip hp portmap "{ $PUB1 . 60001 }" ;;
	hairpin) nx rt "$hpctl" map del udp $PUB1:60001 ;;
	esac
}

timed() {
	local a b
	a=$(now)
	"$@"
	b=$(now)
	elapsed "$a" "$b"
}

# run_engine ENGINE N: one engine at one size, in namespaces of its own.
run_engine() {
	local eng=$1 n=$2 m0 m1 t ta td first last
	say "== $eng N=$n"
	topology
	case $eng in
	hairpin)
		grep -q '^hairpin ' /proc/modules || insmod "$ko" ;;
	esac
	layout "$n"
	case $eng in
	ipt-*) rules_ipt "$n" >"/tmp/rules.$eng.$n" ;;
	nft-map) rules_nft "$n" >"/tmp/rules.$eng.$n" ;;
	hairpin) rules_hairpin "$n" >"/tmp/rules.$eng.$n" ;;
	esac
	# Load into an empty table, with the memory it takes.
	quiesce
	m0=$(kmem)
	t=$(timed eng_load "$eng" "$n")
	m1=$(kmem)
	emit load "$eng" "$n" "$t"
	# shellcheck disable=SC2086
	emit mem "$eng" "$n" $m0 $m1
	say "load $eng N=$n: ${t}s; kmem kB before/after (slab sunreclaim vmalloc percpu free): $m0 / $m1"
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
	quiesce
	if [ -n "${slow[$eng]}" ]; then
		# Bounded: one set, the last mapping on the WAN path.
		say "$eng is too slow at N=${slow[$eng]}: at N=$n, the last mapping on the WAN path only"
		pg_setup wan 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$last_addr" \
			"$last_addr" "$last_port" "$last_port" ""
		measure rate "$eng" "$n" wan last wan "$cap_wan"
	else
		rates "$eng" "$n"
		# Below 2000 flows/s (iptables at 10k rules) the larger sizes
		# get one set: at 100k rules such an engine runs at 100 flows/s,
		# and each set would take it a quarter of a minute to show so.
		[ "$(awk -F'\t' -v e="$eng" -v n="$n" '$1 == "rate" && $2 == e && $3 == n && $4 == "wan" && $5 == "last" { print int($6) }' "$res")" -ge 2000 ] ||
			slow[$eng]=$n
	fi
	# Established traffic, for the engines its goal compares: no rule
	# engine sees an established packet (the NAT core asks them only for
	# a connection without a binding).
	first=${sizes%% *} last=${sizes##* }
	if { [ "$eng" = nft-map ] || [ "$eng" = hairpin ]; } &&
	   { [ "$n" = "$first" ] || [ "$n" = "$last" ]; }; then
		oneflow "$eng" "$n" "$last_addr" "$last_port"
		iperf "$eng" "$n" "$last_addr" "$last_port" "198.18.0.$((9 + naddr))"
	fi
	# Profiled where the nft map and hairpin do the least work of their
	# own: what is left is the NAT core's.
	if [ "$perf" = 1 ] && { [ "$eng" = nft-map ] || [ "$eng" = hairpin ]; } &&
	   [ "$n" = "$first" ]; then
		profile_paths "$eng" "$n"
	fi
	rm -f "/tmp/rules.$eng.$n"
	eng_flush "$eng" >/dev/null 2>&1 || true
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
	ct_flush
	echo enable >&"$ctl"
	read -r -t 60 -u "$ack" _ || true
	rate=$(nx "$ns" taskset -c 0 bash "$self" windows 0.5 2 2 "$cap" "$sinkpid" |
		awk 'NR > 1 { print $1 }' | median)
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
	ct_flush
	say "perf $eng N=$n $path: $rate/s profiled, CPU 1 busy $busy%"
}

# profile_paths ENGINE N [DST PORT]: profile, on both paths, the flows to
# one destination (default: the last mapping).
profile_paths() {
	local dst=${3:-$last_addr} port=${4:-$last_port}
	pg_setup wan 02:00:00:00:01:01 198.19.0.1 198.19.15.253 "$dst" "$dst" "$port" "$port" ""
	profile "$1" "$2" wan wan "$cap_wan"
	lan_pg "$dst" "$dst" "$port" "$port" ""
	profile "$1" "$2" hairpin lan "$cap_lan"
}

# The references: no conntrack, conntrack only, conntrack and empty nat
# chains; traffic straight to the server (nothing to translate).
# run_reference ENGINE [WHEN]: with WHEN ("@N", after the engines at size
# N), the same again but only its new-flow rates, which have WHEN for their
# match: one reference measured once, at the start of the boot, would
# carry whatever the machine was doing then into every ratio.
run_reference() {
	local eng=$1 when=${2:--}
	say "== $eng${2:+ $2}"
	topology
	case $eng in
	ct)
		# A ct expression in a chain no packet enters turns conntrack
		# on in the namespace, without a rule in any packet's path.
		nx rt nft -f - <<-EOF
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
		nx rt nft -f - <<-EOF
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
	pg_setup wan 02:00:00:00:01:01 198.19.0.1 198.19.15.253 $SRV0 $SRV0 $BASE $BASE ""
	measure rate "$eng" 0 wan "$when" wan "$cap_wan"
	lan_pg $SRV0 $SRV0 $BASE $BASE ""
	measure rate "$eng" 0 hairpin "$when" lan "$cap_lan"
	# Established traffic and the profile: conntrack only is their
	# reference.
	[ "$when" = - ] && [ "$eng" = ct ] || return 0
	[ "$perf" != 1 ] || profile_paths "$eng" 0 $SRV0 $BASE
	oneflow "$eng" 0 $SRV0 $BASE
	iperf "$eng" 0 $SRV0 $BASE $SRV0
}

# BENCH_LIB=1: sourced for its functions (debugging), nothing run.
[ -z "$BENCH_LIB" ] || return 0

if [ "$out" = __windows ]; then
	shift
	windows "$@"
	exit
fi

global_setup
say "sizes: $sizes; engines: $engines; windows: $warm s warm-up + $nwin x $win s"
refs=${BENCH_REFS-noct ct ctnat}
for e in $refs; do
	run_reference "$e"
done
# Size by size, every engine, in the opposite order at the next size: the
# machine drifts through a boot (conntrack only has read 25% lower at the
# end than at the start), and engines measured one after the other would
# carry that drift into their ratios to each other. Conntrack only again
# after each size: the ratios are to the median of all its measurements,
# and their spread shows the drift.
declare -A slow
order=$engines
for n in $sizes; do
	for e in $order; do
		run_engine "$e" "$n"
	done
	case " $refs " in *" ct "*) run_reference ct "@$n" ;; esac
	order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
	order=${order% }
done
emit meta seconds $((SECONDS - t0))
# Nothing may outlive the script: the guest waits for its output to close.
kill "$sinkpid" 2>/dev/null || true
for n in wan lan rt srv; do
	ip netns del "$n" 2>/dev/null || true
done
say "done"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, run as root in the test VM by bench/run.sh, from the repo's
# top directory, with hairpinctl built:
#
#   bench/guest.sh OUT KO
#
# bench/README.md says what is measured and why so. This file reads top
# down: main, one function a measurement, one an engine, then the helpers.
# Raw results, one measurement a line, tab separated, go to OUT/results.tsv
# for bench/report.py.
#
#        wan 203.0.113.254 (pktgen; iperf3 client)
#                |  ethK
#          wan0 203.0.113.1, .2
#             router rtK           srvK 198.18.0.10, .11 (sink: counts and
#          br-lan 198.18.0.1/16 --- drops UDP at ingress; iperf3 server)
#                |  ethK
#        lan 198.18.16.1 ... (pktgen: the hairpin path)
#
# Each engine has a router of its own (rtK, with its sink srvK and a veth
# ethK from each generator), so that none pays for what another registered.
# Engines measured side by side are the slots 0, 1... of one set of
# routers, and take turns window by window (bench/windows.sh).
#
# Knobs (environment): BENCH_SIZES; BENCH_WINDOW (seconds), BENCH_WINDOWS
# (rounds) and BENCH_WARMUP (seconds) for new flows; BENCH_FLOW_WINDOW
# (seconds) for one established flow, in three times as many rounds;
# BENCH_IPERF_ROUNDS, BENCH_IPERF_TIME (seconds); BENCH_PERF (0: no
# profiles); BENCH_CAP_WAN, BENCH_CAP_LAN (flows a window may create);
# BENCH_MASQ_SIZES (live bindings; even, at most 111070);
# BENCH_FAILOVER_SIZES (live connections), BENCH_FAILOVER_RATE (new
# connections a second while they open); BENCH_ONLY (the parts to run, of:
# sizes masq scope failover; all by default), BENCH_MASQ_ONLY (1: the
# masquerade part alone, as BENCH_ONLY=masq).
set -e

out=$1
ko=$2
here=$(cd "$(dirname "$0")" && pwd)
hpctl=$PWD/tools/hairpinctl/hairpinctl
[ -x "$hpctl" ] || { echo "run bench/guest.sh from the repo, with hairpinctl built" >&2; exit 1; }
res=$out/results.tsv
tmp=/tmp/hairpin-bench

sizes=${BENCH_SIZES:-1 100 10000 100000}
first=${sizes%% *}
last=${sizes##* }
win=${BENCH_WINDOW:-0.8}
nwin=${BENCH_WINDOWS:-5}
warm=${BENCH_WARMUP:-0.5}
flow_win=${BENCH_FLOW_WINDOW:-0.3}
flow_nwin=$((3 * nwin))
iperf_rounds=${BENCH_IPERF_ROUNDS:-16}
iperf_time=${BENCH_IPERF_TIME:-1}
perf=${BENCH_PERF:-1}
# A hairpin path window masquerades its flows to one address and port
# pair: it must stay below the 64511 source ports the masquerade has.
cap_wan=${BENCH_CAP_WAN:-250000}
cap_lan=${BENCH_CAP_LAN:-60000}
masq_sizes=${BENCH_MASQ_SIZES:-1000 100000}
failover_sizes=${BENCH_FAILOVER_SIZES:-1000 10000}
failover_rate=${BENCH_FAILOVER_RATE:-100}
only=${BENCH_ONLY:-sizes masq scope failover}
[ "${BENCH_MASQ_ONLY:-0}" != 1 ] || only=masq

PUB1=203.0.113.1
WANGW=203.0.113.254
RTLAN=198.18.0.1
SRV0=198.18.0.10
BASE=10000	# mapping (a, p): 203.0.113.a:p -> 198.18.0.(9+a):p, from port BASE
MAXPORTS=50000	# ports per public address

main() {
	local n i=0
	trap teardown EXIT
	machine
	say "parts: $only; sizes: $sizes; windows: $warm s warm-up + $nwin x $win s;" \
		"failover: $failover_sizes at $failover_rate/s"
	if part sizes; then
		forwarding_only
		conntrack_only
		# Size by size, in the opposite order at the next: the machine
		# drifts through a boot (conntrack only has read 25% lower at
		# the end).
		for n in $sizes; do
			if [ $((i++ % 2)) = 0 ]; then
				iptables_alone legacy "$n"
				iptables_alone nft "$n"
				side_by_side "$n"
			else
				side_by_side "$n"
				iptables_alone nft "$n"
				iptables_alone legacy "$n"
			fi
		done
	fi
	if part masq; then
		for n in $masq_sizes; do
			masquerade "$n"
		done
	fi
	if part scope; then
		scope_all
	fi
	if part failover; then
		for n in $failover_sizes; do
			failover "$n"
		done
	fi
	emit meta seconds $((SECONDS - t0))
	say "done"
}

# --- what is measured --------------------------------------------------------

# (a) No netfilter at all, alone, at the start.
forwarding_only() {
	say "== noct"
	routers 1
	fixed_flows 0 $SRV0
	new_flows 0 wan - noct
	new_flows 0 hairpin - noct
}

# (a') Conntrack only, alone, at the start (it is measured again beside
# the engines at every size): the reference of every table, of the
# profiles and of established traffic.
conntrack_only() {
	say "== ct"
	routers 1
	conntrack_on rt0
	fixed_flows 0 $SRV0
	new_flows 0 wan - ct
	new_flows 0 hairpin - ct
	[ "$perf" != 1 ] || profile 0 ct 0 $SRV0 $BASE
	one_flow 0 $SRV0 $BASE ct
	iperf 0 one $SRV0 $BASE $SRV0 ct
}

# The engines the goals compare, side by side, window for window: the nft
# map and hairpin, then (above N=1) hairpin with one mapping, beside it,
# for goal 2; the single nftables rule, for goal 3; conntrack only; and at
# N=1 the empty nat chains. The references' flows go to one mapping, or
# straight to the server.
side_by_side() {
	local n=$1 match addr port target
	read -r addr port target < <(last_mapping "$n")
	if [ "$n" = "$first" ]; then
		set -- nft-map hairpin nft1 ct@0 ctnat@0
	else
		set -- nft-map hairpin hairpin@1 nft1 ct@0
	fi
	say "== $* N=$n"
	routers 5
	nft_map rt0 "$n"
	hairpin rt1 "$n"
	if [ "$n" = "$first" ]; then
		nft1 rt2
		conntrack_on rt3
		empty_nat rt4
		fixed_flows 2 $PUB1
		fixed_flows 3 $SRV0
		fixed_flows 4 $SRV0
	else
		hairpin_one rt2
		nft1 rt3
		conntrack_on rt4
		fixed_flows 2 $PUB1
		fixed_flows 3 $PUB1
		fixed_flows 4 $SRV0
	fi
	quiesce
	for match in $(matches "$n"); do
		mapping_flows 0 "$n" "$match"
		mapping_flows 1 "$n" "$match"
		new_flows "$n" wan "$match" "$@"
		new_flows "$n" hairpin "$match" "$@"
	done
	# No rule engine sees an established packet: the NAT core asks them
	# only for a connection without a binding.
	if [ "$n" = "$first" ] || [ "$n" = "$last" ]; then
		one_flow "$n" "$addr" "$port" nft-map hairpin
		# The nft map's rule takes TCP too.
		nx rt1 "$hpctl" map add tcp "$addr:$port" to "$target:$port"
		iperf "$n" one "$addr" "$port" "$target" nft-map hairpin
		# The same, offloaded: past the hooks, and so past either engine.
		flowtable rt0
		flowtable rt1
		iperf "$n" offload "$addr" "$port" "$target" nft-map hairpin
		say "offload: the forward chains saw" \
			"$(nx rt0 nft list chain inet fastpath forward | grep -o 'packets [0-9]*') and" \
			"$(nx rt1 nft list chain inet fastpath forward | grep -o 'packets [0-9]*')" \
			"(each connection's first few: the rest were offloaded)"
		nx rt0 nft delete table inet fastpath
		nx rt1 nft delete table inet fastpath
		nx rt1 "$hpctl" map del tcp "$addr:$port"
	fi
	# Where the engines do the least work of their own: what is left is
	# the NAT core's.
	if [ "$perf" = 1 ] && [ "$n" = "$first" ]; then
		profile 0 nft-map "$n" "$addr" "$port"
		profile 1 hairpin "$n" "$addr" "$port"
	fi
}

# iptables' classic recipe, legacy or nft, alone: too slow to take turns.
# Below 2000 flows/s at one N, it gets only the last mapping on the WAN
# path at the next (at 100k rules it runs at 100 flows/s).
iptables_alone() {
	local variant=$1 n=$2 label=ipt-$1 slow match
	say "== $label N=$n"
	routers 1
	iptables_recipe "$variant" rt0 "$n"
	quiesce
	slow=$(awk -F'\t' -v e="$label" '$1 == "rate" && $2 == e && $4 == "wan" &&
		$5 == "last" && $6 < 2000 { print $3; exit }' "$res")
	if [ -n "$slow" ]; then
		say "$label is too slow at N=$slow: at N=$n, the last mapping on the WAN path only"
		mapping_flows 0 "$n" last
		new_flows "$n" wan last "$label"
		return
	fi
	for match in $(matches "$n"); do
		mapping_flows 0 "$n" "$match"
		new_flows "$n" wan "$match" "$label"
		new_flows "$n" hairpin "$match" "$label"
	done
}

# Masquerade (issue #21): nftables' masquerade and hairpin's masq, side by
# side in routers rt0 and rt1, at N live bindings. Two WAN devices, as one
# address has only 64511 UDP ports to bind: wan0 (203.0.113.1) and a dummy
# wan1 (192.0.2.1, the route to 198.51.101.0/24; it drops what it sends,
# and bindings are made before). First the bindings: N/2 LAN endpoints
# 198.18.64.1:10000... to a host out of wan0, as many from 198.18.64.2
# out of wan1 (fill). Then conntrack is flushed, as before every window:
# masq keeps its N bindings (UDP timeout a day), while nftables' masquerade
# keeps nothing, so for it N only names the traffic it was given.
#
# - Outbound: new connections from the bound endpoints of 198.18.64.1 to
#   random WAN endpoints out of wan0, counted where they arrive, at wan's
#   veth (counter=wan); each one finds its binding, none makes one.
# - Inbound: new connections from random WAN endpoints to the bound ports
#   of 203.0.113.1 (filter independent), to the sink; nftables' reference
#   is the static equivalent of those bindings, one dnat rule for the port
#   range, added to rt0 for this measurement only.
# - Memory: kernel memory across the fills, conntrack flushed; rt0's fill
#   first, so that conntrack's slab has grown before masq's fill (rt0's
#   delta is conntrack's residue, rt1's the bindings').
# - The walk: in rt0, N entries made through nftables' masquerade, then
#   `hairpinctl -f` adding both masq rules, whose commit rebuilds the
#   bindings from them (a conntrack walk); the same again (a walk finding
#   N bindings in use), and again with conntrack flushed (N idle bindings).
masquerade() {
	local n=$1 h=$(($1 / 2)) counter k b t e m0='' m1='' m2=''
	say "== nft-masq masq N=$n"
	routers 2
	for k in 0 1; do
		wan1 "$k"
	done
	nft_masq rt0
	masq rt1 "$n"
	quiesce
	[ "$n" -lt 10000 ] || m0=$(kmem)
	fill 0 "$h"
	nx rt0 conntrack -F >/dev/null 2>&1
	[ "$n" -lt 10000 ] || m1=$(kmem)
	fill 1 "$h"
	nx rt1 conntrack -F >/dev/null 2>&1
	[ "$n" -lt 10000 ] || m2=$(kmem)
	b=$(bindings rt1)
	emit bindings masq "$n" fill "$b"
	say "masq N=$n: $b bindings after the fill"
	# shellcheck disable=SC2086
	if [ -n "$m0" ]; then
		emit mmem nft-masq "$n" 0 $m0 $m1
		emit mmem masq "$n" "$b" $m1 $m2
		say "kmem kB (slab sunreclaim vmalloc percpu free): $m0 / nft-masq $m1 / masq $m2"
	fi
	quiesce
	for k in 0 1; do
		masq_flows "$k" "$h"
	done
	counter=wan
	measure masq "$n" out bound lan "$win" "$nwin" "$cap_wan" nft-masq masq
	counter=
	nft_masq_in rt0 "$h"
	measure masq "$n" in bound wan "$win" "$nwin" "$cap_wan" nft-masq masq
	b=$(bindings rt1)
	emit bindings masq "$n" end "$b"
	say "masq N=$n: $b bindings after the windows"

	# rt1's bindings go, and with them its walk every 10 s, which would
	# take the CPU from the one timed.
	printf 'masq del dev wan0\nmasq del dev wan1\n' | nx rt1 "$hpctl" -f -
	nx rt0 sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600
	masq_limits rt0 "$n"
	fill 0 "$h"
	e=$(nx rt0 conntrack -C)
	masq_rules >"$tmp/rules"
	t=$(timed nx rt0 "$hpctl" show)
	emit walk masq "$n" none "$t" 0 "$e"
	t=$(timed nx rt0 "$hpctl" -f "$tmp/rules")
	b=$(bindings rt0)
	emit walk masq "$n" rebuild "$t" "$b" "$e"
	say "masq N=$n: adding the rules over $e entries took ${t}s, rebuilt $b bindings"
	t=$(timed nx rt0 "$hpctl" -f "$tmp/rules")
	emit walk masq "$n" used "$t" "$(bindings rt0)" "$e"
	nx rt0 conntrack -F >/dev/null 2>&1
	t=$(timed nx rt0 "$hpctl" -f "$tmp/rules")
	emit walk masq "$n" idle "$t" "$(bindings rt0)" 0
	say "masq N=$n: the walk again with them in use, and idle: $(awk -F'\t' -v n="$n" \
		'$1 == "walk" && $3 == n && ($4 == "used" || $4 == "idle") { printf " %ss", $5 }' "$res")"
}

# Others' forwards (issue #22): one nftables dnat rule that a LAN client
# hits as well (an operator's, or a daemon's without miniupnpd's `iif`
# match), the same in three routers that differ only in the source NAT of
# what it forwards: rt0 the expert's masquerade line, rt1 hairpin's `set
# scope all`, rt2 none (the rule alone). rt0 has no hairpin setting, and
# hairpin registers nothing in such a namespace: the module loaded for rt1
# costs it nothing, as if it were not loaded. Each router's flows go to
# the rule's port.
#
# - The hairpin path (goal S1): new connections from the server's LAN to
#   the public address, source-NATed by the masquerade line and by scope
#   all alike, to the router's LAN address; more rounds than a cell of the
#   sizes, as the goal is this one cell.
# - The WAN path, for context: new connections from outside, which scope
#   all must leave alone; the masquerade line, matching no source,
#   translates them too.
# - hairpin's count of others' connections it hairpinned, across each
#   path's windows: all of the hairpin path's, none of the WAN path's. A
#   scope all that did nothing would otherwise read as fast as the rule
#   alone: the sink counts packets from any source.
scope_all() {
	local h0 h1 h2 k
	say "== dnat-masq scope-all dnat"
	routers 3
	forward rt0 'oifname "br-lan" ct status dnat masquerade'
	forward rt1
	forward rt2
	grep -q '^hairpin ' /proc/modules || insmod "$ko"
	nx rt1 "$hpctl" set scope all
	for k in 0 1 2; do
		fixed_flows "$k" $PUB1
	done
	quiesce
	h0=$(others rt1)
	measure scope 1 hairpin rule lan "$win" $((3 * nwin)) "$cap_lan" dnat-masq scope-all dnat
	h1=$(others rt1)
	measure scope 1 wan rule wan "$win" "$nwin" "$cap_wan" dnat-masq scope-all dnat
	h2=$(others rt1)
	emit hairpinned scope-all 1 hairpin $((h1 - h0))
	emit hairpinned scope-all 1 wan $((h2 - h1))
	say "scope all hairpinned $((h1 - h0)) connections in the hairpin path's windows," \
		"$((h2 - h1)) in the WAN path's"
}

# Failover (issue 23): two routers, keepalived and conntrackd, N live TCP
# connections through them, a hard failover and a graceful failback:
# bench/failover.sh, in namespaces of its own (selftests/two-routers.sh,
# the topology of selftests/failover.sh). It emits its own lines.
failover() {
	local n=$1 rc=0
	say "== failover N=$n"
	teardown
	quiesce
	emit meta failover_rate "$failover_rate"
	bash "$here/failover.sh" "$res" "$ko" "$n" "$failover_rate" || rc=$?
	case $rc in
	0) ;;
	4) say "failover N=$n: skipped" ;;
	*) say "failover N=$n: failed (exit $rc)" ;;
	esac
}

# new_flows N PATH MATCH LABEL...: the new-flow rate through slots 0, 1...
# (LABEL each) side by side, on the WAN path or the hairpin path (client
# on the server's LAN), their pktgen flows set up.
new_flows() {
	local n=$1 path=$2 match=$3
	shift 3
	if [ "$path" = wan ]; then
		measure rate "$n" wan "$match" wan "$win" "$nwin" "$cap_wan" "$@"
	else
		measure rate "$n" hairpin "$match" lan "$win" "$nwin" "$cap_lan" "$@"
	fi
}

# one_flow N DST PORT LABEL...: one established UDP flow through slots
# 0, 1... side by side. An established packet costs the router so little
# that pktgen, with the sink beside it on CPU 0, could not keep CPU 1 busy:
# here the sink runs on CPU 1 after the router, through the veth's NAPI
# ring (GRO on the receiving end; no TSO on the sending one, without which
# veth passes a forwarded packet to the backlog pktgen floods). Short
# windows, many rounds: the engines run the same code, and only many
# rounds tell 2% from the host's noise.
one_flow() {
	local n=$1 dst=$2 port=$3 k
	shift 3
	for ((k = 0; k < $#; k++)); do
		pktgen wan "eth$k" "dst_mac 02:00:00:00:01:01" "src_min 198.19.0.1" "src_max 198.19.0.1" \
			"udp_src_min 5000" "udp_src_max 5000" "dst_min $dst" "dst_max $dst" \
			"udp_dst_min $port" "udp_dst_max $port"
		nx "rt$k" ethtool -K lan-srv tso off
		nx "srv$k" ethtool -K eth0 gro on
		rps "srv$k" eth0 0
	done
	measure flow "$n" wan one wan "$flow_win" "$flow_nwin" 100000000 "$@"
	for ((k = 0; k < $#; k++)); do
		rps "srv$k" eth0 1
		nx "srv$k" ethtool -K eth0 gro off
		nx "rt$k" ethtool -K lan-srv tso on
	done
}

# iperf N MATCH DST PORT TARGET LABEL...: iperf3 TCP to DST:PORT (a
# mapping to TARGET:PORT) through slots 0, 1... at once, each flow (client,
# router, server) alone on a CPU, slot K's on CPU (K + round) % 2: the
# host's noise, which moves a run by a quarter from one second to the
# next, falls on all alike, and on each CPU in turn. No RPS meanwhile.
# MATCH names the routers' set-up: one (a flow through the netfilter
# hooks) or offload (through a flowtable).
iperf() {
	local n=$1 match=$2 dst=$3 port=$4 target=$5 k i r pids list med w=''
	shift 5
	local labels=("$@")
	local -A run=()	# run[K,I]: slot K's Mbit/s in round I, empty if it failed
	for k in "${!labels[@]}"; do
		ip -n wan route add 203.0.113.0/24 dev "eth$k" src $WANGW metric $((100 + k))
		ip -n wan route add 198.18.0.0/15 via $PUB1 dev "eth$k" metric $((100 + k))
		rps "rt$k" wan0 0
		rps "srv$k" eth0 0
		nx "srv$k" iperf3 -s -D -B "$target" -p "$port" -I "$tmp/iperf$k.pid" >/dev/null 2>&1
	done
	sleep 0.5
	for ((i = 0; i < iperf_rounds; i++)); do
		pids=''
		for k in "${!labels[@]}"; do
			taskset -pc $(((k + i) % 2)) "$(<"$tmp/iperf$k.pid")" >/dev/null
			nx wan taskset -c $(((k + i) % 2)) timeout 30 iperf3 -c "$dst" -p "$port" \
				--bind-dev "eth$k" -t "$iperf_time" -J >"$tmp/iperf$k.json" 2>/dev/null &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086
		wait $pids
		for k in "${!labels[@]}"; do
			r=$(jq -r '.end.sum_received.bits_per_second / 1e6' "$tmp/iperf$k.json" 2>/dev/null) || r=''
			case $r in null | 0) r='' ;; esac
			run[$k,$i]=$r
		done
		[ ${#labels[@]} = 2 ] && [ -n "${run[0,$i]}" ] && [ -n "${run[1,$i]}" ] || continue
		w="$w $(awk -v a="${run[1,$i]}" -v b="${run[0,$i]}" 'BEGIN { printf "%.4f", a / b }')"
	done
	for k in "${!labels[@]}"; do
		kill "$(<"$tmp/iperf$k.pid")" 2>/dev/null || true
		rm -f "$tmp/iperf$k.pid"
		rps "rt$k" wan0 2
		rps "srv$k" eth0 1
		ip -n wan route del 203.0.113.0/24 dev "eth$k" metric $((100 + k))
		ip -n wan route del 198.18.0.0/15 via $PUB1 dev "eth$k" metric $((100 + k))
		nx "rt$k" conntrack -F >/dev/null 2>&1 || true
		list=''
		for ((i = 0; i < iperf_rounds; i++)); do
			list="$list${run[$k,$i]:+ ${run[$k,$i]}}"
		done
		[ -n "$list" ] || { say "iperf3 ${labels[k]} N=$n $match: failed"; continue; }
		# shellcheck disable=SC2086
		med=$(median $list)
		emit iperf "${labels[k]}" "$n" wan "$match" "$med" "${list# }" 0 0
		say "iperf3 ${labels[k]} N=$n $match: $med Mbit/s (${list# })"
	done
	[ -n "$w" ] || return 0
	# shellcheck disable=SC2086
	med=$(median $w)
	emit pair iperf "${labels[1]}" "${labels[0]}" "$n" wan "$match" "$med" "${w# }"
	say "pair iperf ${labels[1]} / ${labels[0]} N=$n $match: $med (rounds:$w)"
}

# profile K LABEL N DST PORT: where CPU 1, the router's, spends two 2 s
# windows of slot K's new flows to DST:PORT, on each path. perf samples a
# software clock (no PMU in TCG); it takes seconds to start in this VM, so
# it starts disabled, and the windows wait for its acknowledgement of
# "enable". One line per symbol above 0.1% of the samples: its share, the
# windows' rate (sampling costs a little) and CPU 1's share not idle.
profile() {
	local k=$1 label=$2 n=$3 path ns cap dir ppid ctl ack rate busy pct sym
	fixed_flows "$k" "$4" "$5"
	for path in wan hairpin; do
		ns=wan cap=$cap_wan
		[ "$path" = wan ] || ns=lan cap=$cap_lan
		dir=$(mktemp -d)
		mkfifo "$dir/ctl" "$dir/ack"
		( cd "$dir" && exec perf record -q -e cpu-clock -F 997 -C 1 --synth=no -D -1 \
			--control "fifo:$dir/ctl,$dir/ack" -o "$dir/perf.data" >/dev/null 2>&1 ) &
		ppid=$!
		# Read and write: does not wait for perf to open its end.
		exec {ctl}<>"$dir/ctl" {ack}<>"$dir/ack"
		echo enable >&"$ctl"
		read -r -t 60 -u "$ack" _ || true
		rate=$(nx "$ns" taskset -c 0 bash "$here/windows.sh" 0.5 2 2 "$cap" "$k:$(<"$tmp/srv$k.pid")" |
			awk '$1 > 0 { print $3 }')
		echo disable >&"$ctl"
		read -r -t 60 -u "$ack" _ || true
		exec {ctl}>&- {ack}<&-
		kill -INT "$ppid" 2>/dev/null || true
		wait "$ppid" || true
		# shellcheck disable=SC2086
		rate=$(median $rate)
		perf report -i "$dir/perf.data" --kallsyms=/proc/kallsyms --stdio --sort symbol 2>/dev/null |
			awk '$1 ~ /%$/ { sub(/%/, "", $1); if ($1 > 0.1) print $1, $3 }' >"$dir/syms"
		busy=$(awk '$2 == "native_safe_halt" { idle += $1 } END { printf "%.2f", 100 - idle }' "$dir/syms")
		while read -r pct sym; do
			[ "$sym" = native_safe_halt ] || emit perf "$label" "$n" "$path" "$sym" "$pct" "$rate" "$busy"
		done <"$dir/syms"
		rm -rf "$dir"
		say "perf $label N=$n $path: $rate/s profiled, CPU 1 busy $busy%"
	done
}

# measure KIND N PATH MATCH NS WINDOW ROUNDS CAP LABEL...: bench/windows.sh
# in generator NS, for slots 0, 1... (LABEL each). One line a slot: the
# median rate, every window's, the packets sent but not counted (pktgen
# overflowing the router's backlog), conntrack's failures, and CPU 1's
# median busy share. Then one line a pair of slots: the later's rate over
# the earlier's, round by round, and their median. Each slot's packets are
# counted by its sink, or where the caller has set counter=NS by generator
# NS's ethK (outbound traffic).
measure() {
	local kind=$1 n=$2 path=$3 match=$4 ns=$5 w=$6 rounds=$7 cap=$8
	shift 8
	local labels=("$@") members=() fails=() raw=$tmp/windows k j f rates busy lost cuts med note
	local ts=$SECONDS
	for k in "${!labels[@]}"; do
		if [ -n "$counter" ]; then
			members+=("$k:$(<"$tmp/$counter.pid"):eth$k")
		else
			members+=("$k:$(<"$tmp/srv$k.pid")")
		fi
		fails[k]=$(ct_fails "rt$k")
	done
	nx "$ns" taskset -c 0 bash "$here/windows.sh" "$warm" "$w" "$rounds" "$cap" "${members[@]}" >"$raw"
	for k in "${!labels[@]}"; do
		rates=$(awk -v k="$k" '$1 > 0 && $2 == k { printf " %s", $3 }' "$raw")
		busy=$(awk -v k="$k" '$1 > 0 && $2 == k { printf " %s", $7 }' "$raw")
		read -r lost cuts < <(awk -v k="$k" '$1 > 0 && $2 == k { l += $4 - $5; c += $6 }
			END { printf "%d %d\n", l, c }' "$raw")
		# The failures since before: insert_failed, drop, early_drop.
		read -r f < <(echo "${fails[k]} $(ct_fails "rt$k")" | awk '{ print $4 - $1, $5 - $2, $6 - $3 }')
		# shellcheck disable=SC2086
		med=$(median $rates)
		# shellcheck disable=SC2086
		emit "$kind" "${labels[k]}" "$n" "$path" "$match" "$med" "${rates# }" "$lost" \
			$((${f// /+})) "$(median $busy)"
		note=''
		[ "$cuts" = 0 ] || note="; pktgen stopped before the end of $cuts windows"
		say "$kind ${labels[k]} N=$n $path $match: $med/s (windows:$rates; CPU 1 busy %:$busy;" \
			"conntrack insert_failed, drop, early_drop: $f$note)"
	done
	for ((j = 0; j < ${#labels[@]}; j++)); do
		for ((k = j + 1; k < ${#labels[@]}; k++)); do
			rates=$(awk -v j="$j" -v k="$k" '$1 > 0 && $2 == j { a[$1] = $3 } $1 > 0 && $2 == k { b[$1] = $3 }
				END { for (i = 1; i in a; i++) printf " %.4f", (a[i] > 0 ? b[i] / a[i] : 0) }' "$raw")
			# shellcheck disable=SC2086
			med=$(median $rates)
			emit pair "$kind" "${labels[k]}" "${labels[j]}" "$n" "$path" "$match" "$med" "${rates# }"
			say "pair $kind ${labels[k]} / ${labels[j]} N=$n $path $match: $med (rounds:$rates)"
		done
	done
	say "($((SECONDS - ts)) s)"
}

# --- engines: each loads router RT ------------------------------------------

# hairpin's N mappings, timed, and one more added and deleted at that size.
hairpin() {
	local rt=$1 n=$2
	grep -q '^hairpin ' /proc/modules || insmod "$ko"
	mappings "$n" 'map add udp %s:%d to %s:%d\n' >"$tmp/rules"
	load hairpin "$n" nx "$rt" "$hpctl" -f "$tmp/rules"
	updates hairpin "$n" hairpin_add hairpin_del "$rt"
}
hairpin_add() { nx "$1" "$hpctl" map add udp $PUB1:60001 to $SRV0:60001; }
hairpin_del() { nx "$1" "$hpctl" map del udp $PUB1:60001; }

# hairpin with one mapping, beside hairpin with N (goal 2).
hairpin_one() {
	grep -q '^hairpin ' /proc/modules || insmod "$ko"
	nx "$1" "$hpctl" map add udp $PUB1:$BASE to $SRV0:$BASE
}

# The nft map: one map of N elements, one dnat rule a protocol, and the
# masquerade of what it translated back into the LAN.
nft_map() {
	local rt=$1 n=$2
	{
		printf 'table ip hp {\n\tmap portmap {\n'
		printf '\t\ttype ipv4_addr . inet_service : ipv4_addr . inet_service\n'
		printf '\t\telements = {\n'
		mappings "$n" '\t\t\t%s . %d : %s . %d,\n'
		printf '\t\t}\n\t}\n'
		nat_chains "meta l4proto udp dnat ip to ip daddr . udp dport map @portmap" \
			"meta l4proto tcp dnat ip to ip daddr . tcp dport map @portmap"
		printf '}\n'
	} >"$tmp/rules"
	load nft-map "$n" nx "$rt" nft -f "$tmp/rules"
	updates nft-map "$n" nft_map_add nft_map_del "$rt"
}
nft_map_add() { nx "$1" nft add element ip hp portmap "{ $PUB1 . 60001 : $SRV0 . 60001 }"; }
nft_map_del() { nx "$1" nft delete element ip hp portmap "{ $PUB1 . 60001 }"; }

# One nftables rule, whatever N: the cheapest engine that translates.
nft1() {
	{
		printf 'table ip hp {\n'
		nat_chains "udp dport $BASE dnat to $SRV0"
		printf '}\n'
	} | nx "$1" nft -f -
}

# nat_chains DNAT...: the nft tables' chains, DNAT rules in prerouting.
nat_chains() {
	printf '\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n'
	printf '\t\t%s\n' "$@"
	printf '\t}\n'
	printf '\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n'
	printf '\t\toifname "br-lan" ip saddr 198.18.0.0/16 ct status dnat masquerade\n\t}\n'
}

# iptables_recipe legacy|nft RT N: one DNAT rule a mapping, and the
# masquerade of what was translated back into the LAN.
iptables_recipe() {
	local variant=$1 rt=$2 n=$3
	{
		printf '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n'
		printf ':OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n'
		mappings "$n" '-A PREROUTING -d %s/32 -p udp -m udp --dport %d -j DNAT --to-destination %s:%d\n'
		printf -- '-A POSTROUTING -s 198.18.0.0/16 -d 198.18.0.0/16 -o br-lan -m conntrack --ctstate DNAT -j MASQUERADE\n'
		printf 'COMMIT\n'
	} >"$tmp/rules"
	load "ipt-$variant" "$n" nx "$rt" "iptables-$variant-restore" "$tmp/rules"
	updates "ipt-$variant" "$n" iptables_add iptables_del "$rt" "$variant"
}
iptables_add() {
	nx "$1" "iptables-$2" -t nat -A PREROUTING -d $PUB1/32 -p udp -m udp --dport 60001 \
		-j DNAT --to-destination $SRV0:60001
}
iptables_del() {
	nx "$1" "iptables-$2" -t nat -D PREROUTING -d $PUB1/32 -p udp -m udp --dport 60001 \
		-j DNAT --to-destination $SRV0:60001
}

# nftables' masquerade, on both WAN devices.
nft_masq() {
	nx "$1" nft -f - <<-EOF
	table ip masq {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname { "wan0", "wan1" } masquerade
		}
	}
	EOF
}

# nft_masq_in RT HALF: what stands for independent bindings in nftables:
# one dnat rule for the bound ports of 203.0.113.1.
nft_masq_in() {
	nx "$1" nft -f - <<-EOF
	table ip masq {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			ip daddr $PUB1 udp dport 10000-$((10000 + $2 - 1)) dnat to 198.18.64.1
		}
	}
	EOF
}

# masq RT N: hairpin's masq on both WAN devices, filter independent.
masq() {
	grep -q '^hairpin ' /proc/modules || insmod "$ko"
	masq_limits "$1" "$2"
	masq_rules | nx "$1" "$hpctl" -f -
}
masq_rules() { printf 'masq add dev wan0 filter independent\nmasq add dev wan1 filter independent\n'; }
# masq_limits RT N: bindings outlive the windows' conntrack flushes (a
# day), and never reach the limit: the fill's N, and the few that the
# windows' reused endpoints cannot make, far below four times N.
masq_limits() {
	local lim=$((4 * $2))
	[ "$lim" -gt 262144 ] || lim=262144
	nx "$1" "$hpctl" set udp-timeout 86400 limit bindings "$lim"
}

# forward RT [SNAT]: others' forward, one dnat rule for the port the
# flows go to, matching no input device, and a nat postrouting chain with
# SNAT, if given (miniupnpd's table has such a chain of its own, empty).
forward() {
	nx "$1" nft -f - <<-EOF
	table ip others {
		chain pre {
			type nat hook prerouting priority dstnat; policy accept;
			ip daddr $PUB1 udp dport $BASE dnat to $SRV0:$BASE
		}
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			${2:-}
		}
	}
	EOF
}

# Software flow offload: a flowtable on the router's devices, to which
# the forward chain adds every established TCP connection. Its packets then
# go from the ingress hook straight to the output device, translated by
# the flowtable from the conntrack entry: no engine's code, and no other
# netfilter hook, sees them.
flowtable() {
	nx "$1" nft -f - <<-EOF
	table inet fastpath {
		flowtable ft {
			hook ingress priority 0; devices = { wan0, br-lan };
		}
		chain forward {
			type filter hook forward priority 0; policy accept;
			meta l4proto tcp counter flow add @ft
		}
	}
	EOF
}

# Conntrack on, with no rule in any packet's path: a ct expression in a
# chain no packet enters.
conntrack_on() {
	nx "$1" nft -f - <<-EOF
	table ip ctonly {
		chain unused {
			ct state new
		}
	}
	EOF
}

# Conntrack and empty nat chains: the NAT core's null bindings. A nat
# chain alone does not turn conntrack on; the unused chain does.
empty_nat() {
	nx "$1" nft -f - <<-EOF
	table ip nat {
		chain pre { type nat hook prerouting priority dstnat; policy accept; }
		chain post { type nat hook postrouting priority srcnat; policy accept; }
		chain unused {
			ct state new
		}
	}
	EOF
}

# load LABEL N CMD...: CMD loads N mappings into an empty table, timed;
# from 10k mappings with the kernel memory they take (below that, it is
# lost in the noise, and each reading takes a second).
load() {
	local label=$1 n=$2 t m0='' m1=''
	shift 2
	quiesce
	[ "$n" -lt 10000 ] || m0=$(kmem)
	t=$(timed "$@")
	[ "$n" -lt 10000 ] || m1=$(kmem)
	emit load "$label" "$n" "$t"
	# shellcheck disable=SC2086
	[ -z "$m0" ] || emit mem "$label" "$n" $m0 $m1
	say "load $label N=$n: ${t}s${m0:+; kmem kB before/after (slab sunreclaim vmalloc percpu free): $m0 / $m1}"
}

# updates LABEL N ADD DEL ARG...: a mapping added (ADD ARG...) and deleted
# (DEL ARG...) at the end of a table of N, three times, timed (once when it
# takes seconds).
updates() {
	local label=$1 n=$2 add=$3 del=$4 i t ta='' td=''
	shift 4
	for i in 1 2 3; do
		ta="$ta $(timed "$add" "$@")"
		t=$(timed "$del" "$@")
		td="$td $t"
		[ "${t%.*}" -lt 3 ] || break
	done
	# shellcheck disable=SC2086
	emit add "$label" "$n" "$(median $ta)" "${ta# }"
	# shellcheck disable=SC2086
	emit del "$label" "$n" "$(median $td)" "${td# }"
	say "add/del $label N=$n:$ta /$td s"
}

# --- helpers -------------------------------------------------------------------

t0=$SECONDS
say() { printf '[bench %4ds] %s\n' $((SECONDS - t0)) "$*"; }
emit() { local IFS=$'\t'; echo "$*" >>"$res"; }
# nx NS CMD...: CMD in network namespace NS (cheaper than ip netns exec,
# which also remounts /sys).
nx() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# part NAME: whether BENCH_ONLY names the part NAME (sizes, masq, scope,
# failover).
part() { [[ " $only " == *" $1 "* ]]; }
# median X...: as awk prints it.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# timed CMD...: CMD's wall time, seconds, process start included.
timed() {
	local a b
	a=$(date +%s.%N)
	"$@" >/dev/null
	b=$(date +%s.%N)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}
# matches N: the destinations measured: the last mapping added, and above
# N=1 one drawn at random for each packet.
matches() { if [ "$1" -gt 1 ]; then echo last random; else echo last; fi; }
# layout N: "A P", N mappings on A public addresses of P ports each.
layout() {
	local naddr=$((($1 + MAXPORTS - 1) / MAXPORTS))
	echo "$naddr $((($1 + naddr - 1) / naddr))"
}
# last_mapping N: "ADDR PORT TARGET" of the last of N mappings.
last_mapping() {
	local naddr nports
	read -r naddr nports < <(layout "$1")
	echo "203.0.113.$naddr $((BASE + nports - 1)) 198.18.0.$((9 + naddr))"
}
# mappings N FORMAT: FORMAT for each of N mappings, with its public
# address, port, target address and port.
mappings() {
	local naddr nports
	read -r naddr nports < <(layout "$1")
	awk -v naddr="$naddr" -v nports="$nports" -v base=$BASE -v fmt="$2" 'BEGIN {
		for (a = 1; a <= naddr; a++)
			for (p = base; p < base + nports; p++)
				printf fmt, "203.0.113." a, p, "198.18.0." (9 + a), p
	}'
}

# mapping_flows K N MATCH: slot K's new flows, on both paths, to the last
# of N mappings or to one drawn at random for each packet.
mapping_flows() {
	local naddr nports
	read -r naddr nports < <(layout "$2")
	if [ "$3" = last ]; then
		flows "$1" 203.0.113.$naddr 203.0.113.$naddr $((BASE + nports - 1)) $((BASE + nports - 1))
	else
		flows "$1" $PUB1 203.0.113.$((naddr + 1)) $BASE $((BASE + nports)) IPDST_RND UDPDST_RND
	fi
}
# fixed_flows K ADDR [PORT]: slot K's new flows to ADDR:PORT (BASE).
fixed_flows() { flows "$1" "$2" "$2" "${3:-$BASE}" "${3:-$BASE}"; }

# flows K DST_MIN DST_MAX PORT_MIN PORT_MAX [FLAG...]: slot K's pktgen
# devices in wan and lan, every packet a new flow: source addresses 4093
# (a prime) apart from the ports' 64511. On the hairpin path the ports are
# random, as real clients' are: pktgen counts on through the packets the
# router refuses, so sequential ports wrap within a window, the ports the
# masquerade keeps come in runs, and its search for a free one walks them.
flows() {
	local k=$1 f
	local dst=("dst_min $2" "dst_max $3" "udp_dst_min $4" "udp_dst_max $5")
	shift 5
	for f in "$@"; do dst+=("flag $f"); done
	pktgen wan "eth$k" "dst_mac 02:00:00:00:01:01" "src_min 198.19.0.1" "src_max 198.19.15.253" \
		"udp_src_min 1024" "udp_src_max 65535" "${dst[@]}"
	pktgen lan "eth$k" "dst_mac 02:00:00:00:02:01" "src_min 198.18.16.1" "src_max 198.18.31.253" \
		"udp_src_min 1024" "udp_src_max 65535" "flag UDPSRC_RND" "${dst[@]}"
}

# pktgen NS DEV SETTING...: pktgen's device DEV of generator NS (wan or
# lan), on CPU 0's thread, sending 60-byte UDP packets as fast as it can,
# with SETTINGs ("dst_min 198.18.0.10"; maximums are exclusive), each
# checked. Through /proc/PID/net, PID a process in NS.
pktgen() {
	local pg dev=$2 s line
	pg=/proc/$(<"$tmp/$1.pid")/net/pktgen
	shift 2
	[ -e "$pg/$dev" ] || echo "add_device $dev" >"$pg/kpktgend_0"
	for s in "count 0" "clone_skb 0" "burst 1" "xmit_mode start_xmit" "pkt_size 60" "delay 0" \
		 "flag !IPDST_RND" "flag !UDPDST_RND" "$@"; do
		echo "$s" >"$pg/$dev"
		while read -r line; do
			case $line in
			'Result: OK'*) break ;;
			'Result:'*) say "pktgen $dev: $s: $line"; return 1 ;;
			esac
		done <"$pg/$dev"
	done
}

# wan1 K: router rtK's second WAN device, a dummy: 192.0.2.1, the route to
# 198.51.101.0/24. And the masquerade measurement's counters: the LAN
# endpoints 198.18.64.1 and .2 behind sink srvK; outbound packets
# dropped at wan's ethK (RPS to CPU 0, as the sinks), where they are
# counted.
wan1() {
	local rt=rt$1
	ip -n "$rt" link add wan1 type dummy
	ip -n "$rt" -b - <<-EOF
	link set wan1 up
	addr add 192.0.2.1/24 dev wan1
	route add 198.51.101.0/24 dev wan1
	neigh replace 198.18.64.1 lladdr 02:00:00:00:03:02 dev br-lan nud permanent
	neigh replace 198.18.64.2 lladdr 02:00:00:00:03:02 dev br-lan nud permanent
	EOF
	rps wan "eth$1" 1
	nx wan nft -f - <<-EOF
	table netdev sink$1 {
		chain in {
			type filter hook ingress device eth$1 priority 0;
			meta l4proto udp drop
		}
	}
	EOF
}

# fill K HALF: slot K's bindings (or what masquerade makes of the same
# traffic): from 198.18.64.1 ports 10000... (HALF of them) to 198.51.100.1
# out of wan0, from 198.18.64.2 the same to 198.51.101.1 out of wan1; at
# 20k packets/s, under what a router takes, each port twice over, and
# again while masq misses some.
fill() {
	local k=$1 h=$2 a i
	for a in 1 2; do
		pktgen lan "eth$k" "dst_mac 02:00:00:00:02:01" "src_min 198.18.64.$a" "src_max 198.18.64.$a" \
			"udp_src_min 10000" "udp_src_max $((10000 + h))" "flag !UDPSRC_RND" \
			"dst_min 198.51.10$((a - 1)).1" "dst_max 198.51.10$((a - 1)).1" \
			"udp_dst_min 9" "udp_dst_max 9" "delay 50000"
		for ((i = 0; i < 3; i++)); do
			pg_run lan "eth$k" $((2 * h))
			# nftables' masquerade keeps nothing to count.
			[ "$k" != 0 ] || break
			[ "$(bindings "rt$k")" -lt $((a * h)) ] || break
		done
	done
}

# masq_flows K HALF: slot K's new connections through the bindings of
# 198.18.64.1: outbound (lan) from a random one of its bound ports to a
# random WAN endpoint; inbound (wan) from WAN endpoints (4093 addresses,
# sequential ports) to a random bound port of 203.0.113.1.
masq_flows() {
	local k=$1 h=$2
	pktgen lan "eth$k" "dst_mac 02:00:00:00:02:01" "src_min 198.18.64.1" "src_max 198.18.64.1" \
		"udp_src_min 10000" "udp_src_max $((10000 + h))" "flag UDPSRC_RND" \
		"dst_min 198.51.100.1" "dst_max 198.51.100.254" "udp_dst_min 1024" "udp_dst_max 65535" \
		"flag IPDST_RND" "flag UDPDST_RND"
	pktgen wan "eth$k" "dst_mac 02:00:00:00:01:01" "src_min 198.19.0.1" "src_max 198.19.15.253" \
		"udp_src_min 1024" "udp_src_max 65535" "dst_min $PUB1" "dst_max $PUB1" \
		"udp_dst_min 10000" "udp_dst_max $((10000 + h))" "flag UDPDST_RND"
}

# pg_run NS DEV COUNT: COUNT packets from pktgen's DEV in generator NS,
# the namespace's other devices one each (pktgen runs them all); returns
# when they are sent. pgctrl starts the writer's namespace's pktgen, so
# it is written from NS.
pg_run() {
	local pg m
	pg=/proc/$(<"$tmp/$1.pid")/net/pktgen
	for m in "$pg"/eth*; do
		if [ "$m" = "$pg/$2" ]; then echo "count $3" >"$m"; else echo "count 1" >"$m"; fi
	done
	nx "$1" sh -c 'echo start >/proc/net/pktgen/pgctrl'
}

# bindings RT: the bindings of router RT's masq rules.
bindings() {
	nx "$1" "$hpctl" masq show | awk '{ for (i = 1; i < NF; i++) if ($i == "bindings") b += $(i + 1) }
		END { print b + 0 }'
}

# others RT: the connections of others' forwards hairpin hairpinned in
# router RT, since it set scope all.
others() { nx "$1" "$hpctl" -s show | awk '$1 == "others-hairpinned" { n = $2 } END { print n + 0 }'; }

machine() {
	mkdir -p "$tmp"
	modprobe -a pktgen nf_conntrack nf_nat
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

# routers COUNT: fresh namespaces: the generators wan and lan, and COUNT
# routers rt0... with their sinks srv0...
routers() {
	local k
	teardown
	quiesce
	netns wan
	netns lan
	# /32: a prefix on lo would make the whole prefix local. wan has no
	# routes: pktgen needs none, and iperf adds its own.
	ip -n wan addr add $WANGW/32 dev lo
	nx wan sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	for ((k = 0; k < $1; k++)); do
		router "$k"
	done
}

# router K: router rtK, its sink srvK and its generators' devices ethK.
# Every router has the same addresses and MACs: each is on segments of
# its own.
router() {
	local rt=rt$1 srv=srv$1 dev=eth$1
	netns "$rt"
	netns "$srv"
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
	# The router's work on CPU 1, pktgen's on CPU 0, and the sink's on
	# CPU 0 too: a forwarded packet is queued to the receiving CPU's
	# backlog, which pktgen keeps full on CPU 1, where a slow router's
	# packets would lose the race for a slot.
	rps "$rt" wan0 2
	rps "$rt" lan-gen 2
	rps "$srv" eth0 1
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

# netns NAME: a namespace, lo up, and a process in it, whose /proc/PID/net
# is the namespace's: its pid in $tmp/NAME.pid.
netns() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	# Not through nx: a function in the background is a subshell of ours.
	nsenter --net="/run/netns/$1" sleep infinity </dev/null >/dev/null 2>&1 &
	echo $! >"$tmp/$1.pid"
}

# Everything the benchmark started and made (it is alone in the VM):
# nothing may outlive it, as the guest waits for its output to close.
teardown() {
	local f
	for f in "$tmp"/*.pid; do
		[ -e "$f" ] || continue
		kill "$(<"$f")" 2>/dev/null || true
		rm -f "$f"
	done
	for f in /run/netns/*; do
		[ -e "$f" ] || continue
		ip netns del "${f##*/}" 2>/dev/null || true
	done
}

# Waits, ten seconds at most, for the CPUs to be idle: a namespace or
# table that held 100k rules is torn down by kworkers long after the
# command that removed it returns.
quiesce() {
	local i user nice sys idle iowait irq softirq t i0
	for ((i = 0; i < 40; i++)); do
		read -r _ user nice sys idle iowait irq softirq _ </proc/stat
		t=$((user + nice + sys + idle + iowait + irq + softirq)) i0=$idle
		sleep 0.25
		read -r _ user nice sys idle iowait irq softirq _ </proc/stat
		t=$((user + nice + sys + idle + iowait + irq + softirq - t))
		[ $(((idle - i0) * 100 / (t + 1))) -lt 80 ] || return 0
	done
	say "warning: the CPUs are still busy"
}

# rps NS DEV CPUS: the CPUs (a mask; 0: the receiving CPU itself) that
# DEV's received packets are processed on. Through ip netns exec, whose
# /sys is the namespace's.
rps() { ip netns exec "$1" sh -c "echo $3 >/sys/class/net/$2/queues/rx-0/rps_cpus"; }

# ct_fails RT: "INSERT_FAILED DROP EARLY_DROP" of router RT's conntrack,
# summed over the CPUs.
ct_fails() {
	nx "$1" conntrack -S 2>/dev/null | awk '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); c[kv[1]] += kv[2] } }
		END { printf "%d %d %d\n", c["insert_failed"], c["drop"], c["early_drop"] }'
}

# Kernel memory now, kB: slab, unreclaimable slab, vmalloc, percpu, free
# (a large kmalloc, such as a big hash table, shows only there).
kmem() {
	sync
	sleep 1
	awk '/^(Slab|SUnreclaim|VmallocUsed|Percpu|MemFree):/ { v[$1] = $2 }
	     END { print v["Slab:"], v["SUnreclaim:"], v["VmallocUsed:"], v["Percpu:"], v["MemFree:"] }' /proc/meminfo
}

main

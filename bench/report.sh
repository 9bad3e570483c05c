#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turns the raw results of bench/guest.sh into the results page and its plot:
#
#   bench/report.sh RESULTS.tsv OUT.md OUT.png
#
# Every rate is also given as a ratio to the conntrack-only rate of the same
# boot (and path), which the machine's speed and load cancel out of. The
# goals of the benchmark issue are checked here; bench/why.md says why one
# would be missed, and is quoted for each goal that is.
set -e

here=$(cd "$(dirname "$0")" && pwd)
tsv=$1
md=$2
png=$3
[ -r "$tsv" ] && [ -n "$md" ] && [ -n "$png" ] || {
	echo "usage: bench/report.sh RESULTS.tsv OUT.md OUT.png" >&2
	exit 2
}
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT

awk -F'\t' -v dat="$dat" -v png="${png##*/}" -v why="$here/why.md" '
function fmt(v) {
	if (v == "") return "–"
	if (v >= 10000) return sprintf("%.1fk", v / 1000)
	if (v >= 1000) return sprintf("%.2fk", v / 1000)
	if (v >= 100) return sprintf("%.0f", v)
	return sprintf("%.3g", v)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
function rfmt(r) { return r == "" ? "–" : sprintf("%.2fx", r) }
# A ratio against a goal\x27s threshold T: with a third decimal where two
# would round a miss up to the threshold.
function gfmt(r, t) { return r != "" && r < t && sprintf("%.2f", r) + 0 >= t ? sprintf("%.3fx", r) : rfmt(r) }
function secs(v) { return v == "" ? "–" : (v < 10 ? sprintf("%.2f s", v) : sprintf("%.0f s", v)) }
function size(n) {
	if (n >= 1000 && n % 1000 == 0) return (n / 1000) "k"
	return n
}
function yes(b) { return b ? "**met**" : "**not met**" }
# Sorts A[1..K] in ascending numeric order.
function nsort(a, k,   i, j, t) {
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
}
# The number of orderings of N windows of one engine and M of another in
# which the first ones are above U pairs: the exact null distribution of
# the Mann-Whitney U (the largest window is one of the first, above all M,
# or one of the others).
function mwcount(n, m, u,   k) {
	if (u < 0) return 0
	if (n == 0 || m == 0) return u == 0
	k = n SUBSEP m SUBSEP u
	if (!(k in mwmemo)) mwmemo[k] = mwcount(n - 1, m, u - m) + mwcount(n, m - 1, u)
	return mwmemo[k]
}
# p of windows A (a list) being this far below windows B times F, were
# they alike: one-sided, exact; "" with fewer than 3 of either.
function mwlow(a, b, f,   x, y, na, nb, i, j, u, k, c, p, tot) {
	na = split(a, x, " "); nb = split(b, y, " ")
	if (na < 3 || nb < 3) return ""
	u = 0
	for (i = 1; i <= na; i++) for (j = 1; j <= nb; j++)
		u += x[i] > y[j] * f ? 1 : x[i] == y[j] * f ? 0.5 : 0
	p = 0; tot = 0
	for (k = 0; k <= na * nb; k++) { c = mwcount(na, nb, k); tot += c; if (k <= u) p += c }
	return p / tot
}
# Whether A is below B times F by more than the noise (p < 0.05).
function below(a, b, f,   p) { p = mwlow(a, b, f); return p != "" && p < 0.05 }
function wn(kind, eng, n, path, mt) { return wins[kind, eng, n, path, mt] }
# The ratios of A over B in the rounds of their side-by-side measurement,
# a list; "" if they were not measured side by side.
function rounds(kind, a, b, n, path, mt,   k, x, i, c, out) {
	k = kind SUBSEP a SUBSEP b SUBSEP n SUBSEP path SUBSEP mt
	if (k in pwins) return pwins[k]
	k = kind SUBSEP b SUBSEP a SUBSEP n SUBSEP path SUBSEP mt
	if (!(k in pwins)) return ""
	c = split(pwins[k], x, " "); out = ""
	for (i = 1; i <= c; i++) out = out (i > 1 ? " " : "") (x[i] > 0 ? 1 / x[i] : 0)
	return out
}
# The median of A[1..K], which it sorts; "" if K is 0.
function amedian(a, k) {
	if (k == 0) return ""
	nsort(a, k)
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
# The median of a list.
function lmedian(l,   x) { return amedian(x, split(l, x, " ")) }
# A over B: the median of their rounds\x27 ratios where they were measured
# side by side, else the ratio of their medians.
function vs(kind, a, b, n, path, mt,   l) {
	l = rounds(kind, a, b, n, path, mt)
	if (l != "") return lmedian(l)
	return ratio(r(kind, a, n, path, mt), r(kind, b, n, path, mt))
}
# p of so few rounds with a ratio above F, were A and B alike (a one-sided
# sign test; ties count as half above); "" with fewer than 3 rounds.
function signlow(l, f,   x, c, i, k, p, t) {
	c = split(l, x, " ")
	if (c < 3) return ""
	k = 0
	for (i = 1; i <= c; i++) k += x[i] > f ? 1 : x[i] == f ? 0.5 : 0
	p = 0; t = 1
	for (i = 0; i <= c; i++) { if (i <= k) p += t; t = t * (c - i) / (i + 1) }
	return p / 2 ^ c
}
# The median of list L and its 95% confidence interval, which assumes
# nothing of their distribution: the K-th lowest and the K-th highest
# values, for the largest K that leaves at most 2.5% on either side
# (binomial, p = 1/2). Sets cilo and cihi ("" with fewer than 6 values).
function medci(l,   x, c, k, t, p, i) {
	c = split(l, x, " ")
	nsort(x, c)
	cilo = ""; cihi = ""
	# p: P(at most i of c below the median); the interval is x[k]..x[c-k+1]
	# for the largest k with P(at most k-1) <= 0.025.
	p = 0; t = 1; k = 0
	for (i = 0; i < c; i++) {
		p += t / 2 ^ c
		if (p > 0.025) break
		k = i + 1
		t = t * (c - i) / (i + 1)
	}
	if (k >= 1) { cilo = x[k]; cihi = x[c - k + 1] }
	return amedian(x, c)
}
# Whether A is below B times F by more than the noise (p < 0.05): a sign
# test of their rounds where they were measured side by side, else a
# Mann-Whitney test of their windows.
function lower(kind, a, b, n, path, mt, f,   l, p) {
	l = rounds(kind, a, b, n, path, mt)
	if (l != "") { p = signlow(l, f); return p != "" && p < 0.05 }
	return below(wn(kind, a, n, path, mt), wn(kind, b, n, path, mt), f)
}
function sigfmt(k, n) { return sprintf("below by more than the noise in %d of %d cells (%s, p < 0.05)", k, n, npairs ? "one-sided sign test of the rounds\x27 ratios" : "one-sided Mann-Whitney test of the windows") }
# Section of why.md for one goal, quoted.
function explain(goal,   line, on, text) {
	text = ""; on = 0
	while ((getline line < why) > 0) {
		if (line ~ /^## /) { on = (line == "## " goal); continue }
		if (on) text = text line "\n"
	}
	close(why)
	sub(/^\n+/, "", text); sub(/\n+$/, "", text)
	if (text != "") printf "\n%s\n\n", text
}
$1 == "meta" { meta[$2] = $3; next }
$1 == "rate" || $1 == "flow" || $1 == "iperf" {
	k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
	val[k] = $6; wins[k] = $7; lost[k] = $8; ctf[k] = $9; busy[k] = $10
	ctfail_total += $9
	# Where conntrack failed, in the order measured: engine, kind, N, path, match.
	if ($9 > 0) ctfail_where = ctfail_where (ctfail_where == "" ? "" : "; ") $2 " " $1 " N=" $3 " " $4 " " $5 ": " $9
	if ($1 == "rate") { lost_total += $8; nsets++ }
	# Conntrack only, measured several times: "-" at the start of the
	# boot, then beside the engines at each size (ct@0; in older runs
	# alone, "@N" after each size, "@ENGINE" before each engine or
	# "@end").
	if ($1 == "rate" && ($2 == "ct" || $2 == "ct@0")) {
		nct[$4]++; ctv[$4, nct[$4]] = $6
		ctwhen[$4, nct[$4]] = $2 == "ct@0" ? "@" $3 "," $5 : $5
		ctbusy[$4, nct[$4]] = $10
	}
	# References: conntrack only and the like, and ENGINE@1, an engine
	# holding one mapping beside the others.
	if ($2 ~ /^(noct|ct|ctnat)$/ || $2 ~ /@/) next
	if (!($2 in seen_eng)) { seen_eng[$2] = 1; engs[++neng] = $2 }
	if (!($3 in seen_n)) { seen_n[$3] = 1; ns[++nn] = $3 }
	next
}
# pair KIND A B N PATH MATCH MEDIAN RATIOS: A and B measured side by side,
# window by window; RATIOS are A over B in each round.
$1 == "pair" {
	k = $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
	pwins[k] = $9
	npairs++
	next
}
# perf ENGINE N PATH SYMBOL PCT RATE BUSY: the share of CPU 1 samples in SYMBOL.
$1 == "perf" {
	k = $2 SUBSEP $4
	if (!(k in prate)) { prate[k] = $7; pbusy[k] = $8 }
	psym[k, ++npsym[k]] = $5; ppct[k, npsym[k]] = $6
	next
}
$1 == "load" { load[$2, $3] = $4; next }
$1 == "add" { add[$2, $3] = $4; next }
$1 == "del" { del[$2, $3] = $4; next }
$1 == "mem" {
	# kB before (slab sunreclaim vmalloc percpu free), then after
	memsunr[$2, $3] = ($10 - $5) * 1024
	memvm[$2, $3] = ($11 - $6) * 1024
	mempcpu[$2, $3] = ($12 - $7) * 1024
	memfree[$2, $3] = ($8 - $13) * 1024
	next
}
function r(kind, eng, n, path, mt) { return val[kind, eng, n, path, mt] }
# "†" when CPU 1 (the router) was less than 90% busy in the windows of a
# measurement (median): then the generator, not the router, set the rate.
# Results before the run of 2026-12-03 17:35 did not record it.
function gen(kind, eng, n, path, mt) { return mark(busy[kind, eng, n, path, mt]) }
function mark(b) {
	if (b == "" || b >= 90) return ""
	nbound++
	return "†"
}
function busyfmt(kind, eng, n, path, mt,   b) {
	b = busy[kind, eng, n, path, mt]
	return b == "" ? "" : sprintf("; CPU 1 %d%%", b)
}
# The reference of a path: the median of its conntrack-only rates.
function ref(path,   i, v, k) {
	if (path in refm) return refm[path]
	k = nct[path]
	if (k == 0) return ""
	for (i = 1; i <= k; i++) v[i] = ctv[path, i]
	refm[path] = amedian(v, k)
	return refm[path]
}
# The head of a table with a column for each N: LEAD\x27s columns first,
# SEP their separators.
function nheader(lead, sep,   i) {
	printf "%s", lead
	for (i = 1; i <= nn; i++) printf " N=%s |", size(ns[i])
	print ""
	printf "%s", sep
	for (i = 1; i <= nn; i++) printf "---:|"
	print ""
}
function when(w,   x) {
	if (w == "-") return "at the start"
	if (w == "@end") return "at the end"
	if (w ~ /^@[0-9]+$/) return "after N=" size(substr(w, 2))
	if (w ~ /^@[0-9]+,/) { split(substr(w, 2), x, ","); return "beside N=" size(x[1]) (x[2] == "random" ? " random" : "") }
	return "before " name[substr(w, 2)]
}
# The key of the empty nat chains\x27 measurement on PATH: beside the
# engines at the smallest N, or (older runs) alone at the start.
function ctnatk(path,   k) {
	k = "rate" SUBSEP "ctnat@0" SUBSEP nmin SUBSEP path SUBSEP "last"
	return k in val ? k : "rate" SUBSEP "ctnat" SUBSEP 0 SUBSEP path SUBSEP "-"
}
# The ratios of A over B, side by side, at N on PATH: the rounds of the
# MATCH cell, or at N=1 of its only one.
function cell(a, b, n, path, mt,   l) {
	l = rounds("rate", a, b, n, path, mt)
	if (l == "" && n == nmin && mt == "random") l = rounds("rate", a, b, n, path, "last")
	return l
}
# " 1.08x (0.95-1.20) |" for the rounds L: their median and range.
function rangefmt(l,   x, c) {
	c = split(l, x, " "); nsort(x, c)
	return sprintf(" %s (%.2f-%.2f) |", rfmt(lmedian(l)), x[1], x[c])
}
END {
	# sizes in numeric order
	nsort(ns, nn)
	nmin = ns[1]; nmax = ns[nn]
	# One flow\x27s windows (older runs: the new flows\x27).
	fwin = meta["flow_window"] != "" ? meta["flow_window"] : meta["window"]
	fnwin = meta["flow_windows"] != "" ? meta["flow_windows"] : meta["windows"]
	name["noct"] = "(a) forwarding, no conntrack"
	name["ct"] = "(a\x27) conntrack only"
	name["ctnat"] = "conntrack + empty nat chains"
	name["ipt-legacy"] = "(b) iptables-legacy"
	name["ipt-nft"] = "(b) iptables-nft"
	name["nft-map"] = "(c) nftables dnat map"
	name["hairpin"] = "(d) hairpin"
	pathname["wan"] = "WAN path (client outside)"
	pathname["hairpin"] = "hairpin path (client on the server\x27s LAN)"

	print "# hairpin benchmark: Linux " meta["kernel"]
	print ""
	if (meta["quick"] == 1)
		print "**Smoke test (BENCH_QUICK): short windows and small sizes, not a result.**\n"
	printf "- Date: %s; commit %s; `make bench` took %d min in the guest.\n", meta["date"], meta["commit"], meta["seconds"] / 60
	printf "- Machine: %s, %s cores, host kernel %s.\n", meta["host_cpu"], meta["host_cores"], meta["host_kernel"]
	printf "- Guest: %s (qemu TCG, software emulation: no KVM), %s vCPUs, %d MiB, Linux %s; %s; %s.\n", meta["qemu"], meta["cpus"], meta["mem_kb"] / 1024, meta["kernel"], meta["nft"], meta["iptables"]
	if (meta["other_vms"] > 0 || meta["other_vms_busy_pct"] > 0)
		printf "- **Other VMs ran on this machine for %s%% of the run** (%s qemu processes at its start): they take CPU from the guest, so absolute figures are low and noisy, the ratios less so.\n", meta["other_vms_busy_pct"] == "" ? "part" : meta["other_vms_busy_pct"], meta["other_vms"] + 0
	print ""
	print "Absolute figures are those of an emulated CPU, tens of times slower than"
	print "hardware: compare the ratios, which are to the conntrack-only rate of the"
	print "same boot and path (the median of its measurements through the boot)."
	print ""
	print "## Method"
	print ""
	print "One boot of the test VM (tools/vm/run.sh), size by size: every engine at"
	print "one N, then every engine at the next N in the opposite order, so that the"
	print "machine\x27s drift through the boot falls on all engines alike. Each engine"
	print "gets fresh network namespaces at each N, so that nothing an earlier one"
	print "registered stays in its path:"
	print ""
	print "    wan 203.0.113.254 --- wan0 203.0.113.1, .2  router  br-lan 198.18.0.1/16 --- srv 198.18.0.10, .11"
	print "                                                                            \\--- lan 198.18.16.1 ..."
	print ""
	if (npairs > 0) {
		print "The nft map and hairpin, which the goals compare, are measured **side by"
		print "side**: each has a router of its own (and a sink), both built and loaded"
		print "before either is measured, and the generators (`wan`, `lan`) have a veth"
		print "to each. Their windows alternate, one engine\x27s then the other\x27s, in"
		print "the reverse order every other round (A B, B A, A B...); the goals compare"
		print "them by the ratios of the windows of one round, which the machine\x27s"
		print "drift over minutes cannot reach. Conntrack only takes its turn too, in"
		print "a router of its own (goal 3\x27s reference), and so do, at N=1, the empty"
		print "nat chains, and above N=1, hairpin with one mapping (goal 2\x27s)."
		print ""
	}
	print "- **New-flow rate**: pktgen (start_xmit mode, `clone_skb 0`, burst 1) on the"
	print "  veth of `wan` (WAN path) or of `lan` (hairpin path: client, server and router"
	print "  on one LAN), UDP, sequential source addresses (4093 of them) and ports"
	print "  (1024-65534), so every packet is a new flow. On the hairpin path the ports"
	print "  are random, as real clients\x27 are: pktgen counts on through the packets the"
	print "  router\x27s full backlog refuses, so sequential ports wrap within a window, the"
	print "  masquerade\x27s kept ports then come in runs, and its search for a free port"
	print "  walks them (7 taken ports tried a flow). pktgen and the sink run on"
	print "  CPU 0, the router on CPU 1 (RPS): the rate is what one CPU forwards, with"
	print "  pktgen always ahead (the excess overflows CPU 1\x27s backlog; the sink is on"
	print "  the other CPU so that forwarded packets never compete with the flood for a"
	print "  slot in that backlog). Each window also reads CPU 1\x27s busy share from"
	print "  `/proc/stat`: whether the router set the rate (a † where it did not)."
	print "  The sink `srv` counts"
	print "  and drops in a netdev ingress `counter`; rate = packets arriving between two"
	print "  reads of its count in the steady state / the time between them. The"
	print "  destination is the last mapping added, or uniformly random over all mappings."
	printf "  Windows: %s s warm-up (discarded), then %s windows of %s s, each from a\n", meta["warmup"], meta["windows"], meta["window"]
	print "  flushed conntrack table; the median is reported. On the hairpin path pktgen"
	print "  stops after 60000 packets the router took (one masquerade address has 64511"
	print "  source ports per destination), and a window ends early once 85% of them are"
	print "  sent. Between windows the router drains its backlog, for at most 1 s (not"
	print "  at all below 2000 flows/s, where that would take longer). An engine below"
	print "  2000 flows/s at one N gets only the last-added WAN cell at larger N."
	print "- **Mappings**: N UDP mappings, 50000 ports per public address (100k uses two),"
	print "  `203.0.113.A:P -> 198.18.0.(9+A):P`. (b): one `-d ADDR -p udp --dport P -j DNAT`"
	print "  rule a mapping in PREROUTING plus `-s LAN -d LAN -o br-lan -m conntrack"
	print "  --ctstate DNAT -j MASQUERADE`; (c): `dnat ip to ip daddr . udp dport map @portmap`"
	print "  plus `oifname br-lan ip saddr LAN ct status dnat masquerade`; (d): `hairpinctl"
	print "  map add udp 203.0.113.A:P to 198.18.0.(9+A):P`, default settings."
	print "- **References**: (a) no netfilter at all; (a\x27) conntrack only (turned on by a"
	print "  `ct state` expression in a chain no packet enters); conntrack with empty nat"
	print "  chains (the NAT core\x27s null bindings in both directions: the destination\x27s"
	print "  costs a tuple lookup that a DNAT to one port skips, so this is not a floor"
	print "  for a DNAT engine). Their traffic goes to the server\x27s address."
	print "  Conntrack only is measured alone at the start and again beside the"
	print "  engines at each size; the tables\x27 ratios are to the median of all its"
	print "  measurements on that path."
	printf "- **Established**: one flow (fixed addresses and ports), %s rounds of %s s\n", fnwin, fwin
	print "  windows (it is the same code in both engines: many short rounds), with"
	print "  the sink on CPU 1 after the router (the veth\x27s NAPI ring): with the sink"
	print "  on CPU 0, pktgen could not keep the router busy with established packets,"
	print "  and the rate was the generator\x27s. CPU 1\x27s time per packet is then the"
	print "  router\x27s and the sink\x27s drop, the same for every engine. iperf3"
	if (meta["iperf_rounds"] != "") {
		printf "  TCP through the last mapping, through both engines at once: %s runs of\n", meta["iperf_rounds"]
		printf "  %s s, each engine\x27s flow (client, router, server) alone on a CPU, the\n", meta["iperf_time"]
		print "  CPUs swapped every run (no RPS then); the median of the runs. For the"
	} else {
		print "  TCP through the last mapping, four runs of 3 s an engine (A B, B A...),"
		print "  median of their one-second intervals. For the"
	}
	print "  nft map and hairpin, which the goal compares: no rule engine sees an"
	print "  established packet (the NAT core asks one only for a new connection)."
	print "  The goal pools the rounds of both tools and sizes: for the same code one"
	print "  cell alone reads a few percent off 1.0 from the host\x27s noise."
	print "- **Load**: wall time of `iptables-restore`, `nft -f`, `hairpinctl -f` into an"
	print "  empty table; add and delete one mapping at size N (median of 3, one command each)."
	print "- **Memory**: `/proc/meminfo` deltas across the load: unreclaimable slab,"
	print "  vmalloc and percpu (the nat table blob of iptables is vmalloc\x27ed), and"
	print "  MemFree, a second of rest after the command."
	print "- conntrack: `nf_conntrack_max` 1048576 and 262144 buckets, set from the initial"
	print "  namespace; `send_redirects=0`, `rp_filter=0` on the router."
	print ""

	# Rates per path
	for (pi = 1; pi <= 2; pi++) {
		path = pi == 1 ? "wan" : "hairpin"
		printf "## New UDP flows per second, %s\n\n", pathname[path]
		printf "Reference rates: %s **%s** (1.00x: the median of %d measurements:", name["ct"], fmt(ref(path)), nct[path]
		for (i = 1; i <= nct[path]; i++)
			printf "%s %s %s%s", i == 1 ? "" : i == nct[path] ? " and" : ",", when(ctwhen[path, i]), fmt(ctv[path, i]), mark(ctbusy[path, i])
		printf ")"
		v = r("rate", "noct", 0, path, "-")
		if (v != "")
			printf "; %s **%s** (%s)%s", name["noct"], fmt(v), rfmt(ratio(v, ref(path))), gen("rate", "noct", 0, path, "-")
		k = ctnatk(path); v = val[k]
		if (v != "")
			printf "; %s **%s** (%s)%s", name["ctnat"], fmt(v), rfmt(ratio(v, ref(path))), mark(busy[k])
		print ".\n"
		nheader("| engine | match |", "|---|---|")
		for (e = 1; e <= neng; e++) for (mi = 1; mi <= 2; mi++) {
			match_ = mi == 1 ? "last" : "random"
			printf "| %s | %s |", name[engs[e]], match_ == "last" ? "last added" : "random"
			for (i = 1; i <= nn; i++) {
				mt = match_
				if (r("rate", engs[e], ns[i], path, mt) == "" && ns[i] == 1) mt = "last"
				v = r("rate", engs[e], ns[i], path, mt)
				printf " %s (%s)%s |", fmt(v), rfmt(ratio(v, ref(path))), v == "" || (mt != match_) ? "" : gen("rate", engs[e], ns[i], path, mt)
			}
			print ""
		}
		print ""
	}
	print "Each cell: median flows/s (ratio to conntrack only). N=1 has one mapping, so"
	print "its \"random\" is its \"last added\"."
	if (nbound > 0) {
		print ""
		print "†: CPU 1, the router\x27s, was busy less than 90% of that measurement\x27s"
		print "windows (median): pktgen\x27s side, not the router, set the rate, which is"
		print "then a lower bound of what the router forwards. Every measurement without"
		print "a † kept CPU 1 at least 90% busy."
	}
	print ""

	# Side by side
	if (npairs > 0) {
		print "## Side by side: hairpin, the nft map and conntrack only"
		print ""
		print "The ratios of their windows of the same round (median, and the lowest and"
		print "highest of the rounds): in each round the engines were measured one right"
		print "after the other, so that the machine\x27s drift, which moves whole cells of"
		print "the tables above by 20%, cancels out."
		print ""
		nheader("| ratio | path | match |", "|---|---|---|")
		split("hairpin nft-map|hairpin hairpin@1|hairpin ct@0|nft-map ct@0|hairpin ctnat@0", prs, "|")
		pname["hairpin@1"] = "hairpin with one mapping"; pname["ct@0"] = "conntrack only"
		pname["ctnat@0"] = "empty nat chains"; pname["nft-map"] = "nft map"; pname["hairpin"] = "hairpin"
		for (ti = 1; ti <= 5; ti++) for (pi = 1; pi <= 2; pi++) for (mi = 1; mi <= 2; mi++) {
			split(prs[ti], ab, " ")
			path = pi == 1 ? "wan" : "hairpin"; m = mi == 1 ? "last" : "random"
			# Rows with no rounds at all (older runs) are left out;
			# the empty nat chains are beside the engines at N=1 only.
			any = 0
			for (i = 1; i <= nn; i++) if (cell(ab[1], ab[2], ns[i], path, m) != "") any = 1
			if (!any || (ab[2] == "ctnat@0" && m == "random")) continue
			printf "| %s / %s | %s | %s |", pname[ab[1]], pname[ab[2]], path == "wan" ? "WAN" : "hairpin", ab[2] == "ctnat@0" ? "" : m == "last" ? "last added" : "random"
			for (i = 1; i <= nn; i++) {
				l = cell(ab[1], ab[2], ns[i], path, m)
				if (l == "") printf " %s |", (ab[2] == "hairpin@1" && ns[i] == nmin ? "1.00x (itself)" : "–")
				else printf "%s", rangefmt(l)
			}
			print ""
		}
		for (ki = 1; ki <= 2; ki++) {
			kd = ki == 1 ? "flow" : "iperf"
			printf "| hairpin / nft map | %s | |", kd == "flow" ? "one flow" : "iperf3"
			for (i = 1; i <= nn; i++) {
				l = rounds(kd, "hairpin", "nft-map", ns[i], "wan", "one")
				if (l == "") { printf " |"; continue }
				if (split(l, x, " ") > 1) printf "%s", rangefmt(l)
				else printf " %s |", rfmt(l)
			}
			print ""
		}
		print ""
		print "hairpin with one mapping: a router beside the others, its flows all to"
		print "its one mapping; conntrack only and the empty nat chains: routers beside"
		print "the others, their flows to the server\x27s address. One flow: " fnwin " rounds of"
		if (meta["iperf_rounds"] != "") {
			print fwin " s windows. iperf3: the ratios of the runs through both engines at"
			print "once, " meta["iperf_time"] " s each."
		} else {
			print fwin " s windows. iperf3: through each engine in turn, the ratios of the medians"
			print "of their one-second intervals in each round."
		}
		print ""
	}

	# Established
	print "## Established traffic"
	print ""
	printf "| engine | one flow, packets/s, N=%s | N=%s | iperf3 TCP, Mbit/s, N=%s | N=%s |\n", size(nmin), size(nmax), size(nmin), size(nmax)
	print "|---|---:|---:|---:|---:|"
	printf "| %s | %s (%s%s) | | %s | |\n", name["ct"], fmt(r("flow", "ct", 0, "wan", "one")), "1.00x", busyfmt("flow", "ct", 0, "wan", "one"), fmt(r("iperf", "ct", 0, "wan", "one"))
	if (r("flow", "noct", 0, "wan", "one") != "")
		printf "| %s | %s (%s) | | | |\n", name["noct"], fmt(r("flow", "noct", 0, "wan", "one")), rfmt(ratio(r("flow", "noct", 0, "wan", "one"), r("flow", "ct", 0, "wan", "one")))
	for (e = 1; e <= neng; e++) {
		if (r("flow", engs[e], nmin, "wan", "one") == "" && r("flow", engs[e], nmax, "wan", "one") == "") continue
		printf "| %s |", name[engs[e]]
		for (i = 0; i < 2; i++) {
			n = i ? nmax : nmin
			v = r("flow", engs[e], n, "wan", "one")
			printf " %s (%s%s) |", fmt(v), rfmt(ratio(v, r("flow", "ct", 0, "wan", "one"))), busyfmt("flow", engs[e], n, "wan", "one")
		}
		for (i = 0; i < 2; i++) {
			n = i ? nmax : nmin
			printf " %s |", fmt(r("iperf", engs[e], n, "wan", "one"))
		}
		print ""
	}
	print ""
	if (busy["flow", "ct", 0, "wan", "one"] != "") {
		print "CPU 1: the router\x27s CPU, its busy share in the windows (median). Below"
		print "90% the router kept up with what came, and the rate is the generator\x27s."
		if (meta["iperf_rounds"] != "")
			print "Each iperf3 flow has a CPU to itself, so its runs have no such figure."
		else
			print "iperf3\x27s own processes run on either CPU, so its runs have no such figure."
		print ""
	}

	# Load
	print "## Loading and updating"
	print ""
	printf "| engine |"
	for (i = 1; i <= nn; i++) printf " load N=%s |", size(ns[i])
	for (i = 1; i <= nn; i++) printf " add / del at N=%s |", size(ns[i])
	print ""
	printf "|---|"
	for (i = 1; i <= 2 * nn; i++) printf "---:|"
	print ""
	for (e = 1; e <= neng; e++) {
		printf "| %s |", name[engs[e]]
		for (i = 1; i <= nn; i++) printf " %s |", secs(load[engs[e], ns[i]])
		for (i = 1; i <= nn; i++) printf " %s / %s |", secs(add[engs[e], ns[i]]), secs(del[engs[e], ns[i]])
		print ""
	}
	print ""
	print "Wall time of one command, process start included (about 0.1 s in this VM)."
	print ""

	# Memory
	print "## Kernel memory per mapping"
	print ""
	print "| engine | N | unreclaimable slab | vmalloc | percpu | sum | free memory taken | per mapping |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|"
	for (e = 1; e <= neng; e++) for (i = 1; i <= nn; i++) {
		n = ns[i]
		if (n < 10000 || memsunr[engs[e], n] == "") continue
		tot = memsunr[engs[e], n] + memvm[engs[e], n] + mempcpu[engs[e], n]
		permap[engs[e], n] = tot / n
		printf "| %s | %s | %.2f MiB | %.2f MiB | %.2f MiB | %.2f MiB | %.2f MiB | **%.0f B** |\n", name[engs[e]], size(n), memsunr[engs[e], n] / 1048576, memvm[engs[e], n] / 1048576, mempcpu[engs[e], n] / 1048576, tot / 1048576, memfree[engs[e], n] / 1048576, tot / n
	}
	print ""
	print "Per mapping: the sum. A large kmalloc, such as a big hash table\x27s buckets,"
	print "comes from the page allocator but is counted as unreclaimable slab. The free"
	print "memory taken also moves with the page cache and the per-CPU page lists: it is"
	print "shown, not counted."
	print ""

	# Profiles
	if (length(prate) > 0) {
		print "## Where the router\x27s time goes (perf)"
		print ""
		print "perf on CPU 1 (the router\x27s), software clock at 997 Hz, over two windows"
		print "of 2 s to the last mapping at the smallest N. Time per flow = a symbol\x27s"
		print "share of the CPU\x27s busy samples / the rate while profiled (CPU 1 is at"
		print "least 90% busy in the windows of these measurements: the router sets their"
		print "rate), in the emulated CPU\x27s microseconds. The NAT core is every"
		print "`*nf_nat*` symbol and `nf_conntrack_tuple_taken` (its check that a"
		print "translated tuple is free); conntrack the other `nf_conntrack_*`, `nf_ct_*`,"
		print "`init_conntrack` and `hash_conntrack_raw`; the engine `hairpin_*` or `nft_*`."
		print ""
		split("ct nft-map hairpin", pe, " ")
		split("rate total ct nat eng rest", rows, " ")
		rowname["rate"] = "new flows/s while profiled"
		rowname["total"] = "**CPU time per flow, µs**"
		rowname["ct"] = "conntrack"
		rowname["nat"] = "NAT core"
		rowname["eng"] = "the engine"
		rowname["rest"] = "the rest of the stack"
		for (pi = 1; pi <= 2; pi++) {
			path = pi == 1 ? "wan" : "hairpin"
			printf "| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", path == "wan" ? "WAN path" : "hairpin path", name["ct"], name["nft-map"], name["hairpin"]
			for (e = 1; e <= 3; e++) {
				k = pe[e] SUBSEP path
				for (ri = 1; ri <= 6; ri++) us[pe[e], rows[ri]] = 0
				if (!(k in prate) || prate[k] == 0 || pbusy[k] == 0) continue
				per = 1e6 / prate[k]
				us[pe[e], "rate"] = prate[k]; us[pe[e], "total"] = per
				for (i = 1; i <= npsym[k]; i++) {
					sy = psym[k, i]; t = ppct[k, i] / pbusy[k] * per
					grp = "rest"
					if (sy ~ /nf_nat/ || sy == "nf_conntrack_tuple_taken") grp = "nat"
					else if (sy ~ /^(__)?(nf_conntrack_|nf_ct_|init_conntrack|hash_conntrack)/) grp = "ct"
					else if (sy ~ /^hairpin_/ || sy ~ /^nft_/) grp = "eng"
					us[pe[e], grp] += t; symus[pe[e], path, sy] += t; allsym[sy] = 1
				}
				# What fell under the 0.1% cut-off is the rest too.
				us[pe[e], "rest"] = per - us[pe[e], "ct"] - us[pe[e], "nat"] - us[pe[e], "eng"]
			}
			for (ri = 1; ri <= 6; ri++) {
				printf "| %s |", rowname[rows[ri]]
				for (e = 1; e <= 3; e++) {
					v = us[pe[e], rows[ri]]
					if (!((pe[e] SUBSEP path) in prate)) printf " – |"
					else if (rows[ri] == "rate") printf " %s |", fmt(v)
					else printf " %.2f%s |", v, rows[ri] == "total" ? "" : sprintf(" (%.0f%%)", 100 * v / us[pe[e], "total"])
				}
				print ""
			}
			print ""
			# hairpin against conntrack only, symbol by symbol.
			if (((("hairpin" SUBSEP path) in prate)) && (("ct" SUBSEP path) in prate)) {
				nd = 0
				for (sy in allsym) {
					d = symus["hairpin", path, sy] - symus["ct", path, sy]
					if (d > 0.05) { dsy[++nd] = sy; dv[nd] = d }
				}
				for (i = 1; i <= nd; i++) for (j = i + 1; j <= nd; j++)
					if (dv[j] > dv[i] || (dv[j] == dv[i] && dsy[j] < dsy[i])) { t = dv[i]; dv[i] = dv[j]; dv[j] = t; t = dsy[i]; dsy[i] = dsy[j]; dsy[j] = t }
				printf "hairpin\x27s largest costs over conntrack only here, µs per flow:"
				for (i = 1; i <= nd && i <= 8; i++) printf "%s `%s` +%.2f", i == 1 ? "" : ",", dsy[i], dv[i]
				print ".\n"
			}
		}
	}

	# Goals
	print "## Goals"
	print ""
	g = "hairpin"
	# 1: >= 1.0x nft map at every N, path, match; also how many cells
	# are, and their geometric mean: one cell is within the noise.
	worst = ""; where = ""; cells = 0; above = 0; lsum = 0; sig = 0
	for (i = 1; i <= nn; i++) for (pi = 1; pi <= 2; pi++) for (mi = 1; mi <= 2; mi++) {
		path = pi == 1 ? "wan" : "hairpin"; m = mi == 1 ? "last" : "random"
		q = vs("rate", g, "nft-map", ns[i], path, m)
		if (q == "") continue
		cells++; above += q >= 1.0; lsum += log(q)
		sig += lower("rate", g, "nft-map", ns[i], path, m, 1.0)
		if (worst == "" || q < worst) { worst = q; where = "N=" size(ns[i]) ", " path " path, " m }
	}
	printf "1. New-flow rate ≥ 1.0x the nft map at every N: %s (lowest %s, at %s; %d of %d cells at or above, geometric mean %s; %s).\n", yes(worst != "" && worst >= 1.0), gfmt(worst, 1.0), where, above, cells, cells ? rfmt(exp(lsum / cells)) : "–", sigfmt(sig, cells)
	if (!(worst != "" && worst >= 1.0)) explain("nft")
	# 2: >= 0.9x own rate at N=1. Side by side with hairpin holding one
	# mapping (hairpin@1), the question at each N and match is one: the
	# lookup\x27s cost is the same on either path. Its rounds on both
	# paths are pooled (their median), so that one path\x27s few rounds
	# of noise do not decide it alone; no cell may be below 0.9 by more
	# than the noise. Without side-by-side rounds (older runs), each cell
	# against the cell of N=1.
	worst = ""; where = ""; cells = 0; sig = 0; pworst = ""; pwhere = ""
	for (i = 1; i <= nn; i++) for (mi = 1; mi <= 2; mi++) {
		if (ns[i] == nmin) continue
		m = mi == 1 ? "last" : "random"; pool = ""
		for (pi = 1; pi <= 2; pi++) {
			path = pi == 1 ? "wan" : "hairpin"
			l = rounds("rate", g, g "@1", ns[i], path, m)
			if (l != "") {
				q = lmedian(l)
				cells++; sig += lower("rate", g, g "@1", ns[i], path, m, 0.9)
				pool = pool " " l
			} else {
				q = ratio(r("rate", g, ns[i], path, m), r("rate", g, nmin, path, "last"))
				if (q == "") continue
				cells++; sig += below(wn("rate", g, ns[i], path, m), wn("rate", g, nmin, path, "last"), 0.9)
			}
			if (worst == "" || q < worst) { worst = q; where = "N=" size(ns[i]) ", " path " path, " m }
		}
		q = pool != "" ? lmedian(pool) : ""
		if (q != "" && (pworst == "" || q < pworst)) { pworst = q; pwhere = "N=" size(ns[i]) ", " m }
	}
	if (pworst != "") {
		ok = pworst >= 0.9 && sig == 0
		printf "2. ≥ 0.9x its own rate at N=%s, up to N=%s: %s (lowest of each N and match, both paths\x27 rounds pooled: %s, at %s; lowest single cell %s, at %s; %s).\n", size(nmin), size(nmax), yes(ok), gfmt(pworst, 0.9), pwhere, rfmt(worst), where, sigfmt(sig, cells)
	} else {
		ok = worst != "" && worst >= 0.9
		printf "2. ≥ 0.9x its own rate at N=%s, up to N=%s: %s (lowest %s, at %s; %s).\n", size(nmin), size(nmax), yes(ok), gfmt(worst, 0.9), where, sigfmt(sig, cells)
	}
	if (!ok) explain("flat")
	# 3: >= 0.85x conntrack only: side by side with it (ct@0), else
	# against the median of its measurements through the boot.
	worst = ""; where = ""; cells = 0; sig = 0; side = 0
	for (i = 1; i <= nn; i++) for (pi = 1; pi <= 2; pi++) for (mi = 1; mi <= 2; mi++) {
		path = pi == 1 ? "wan" : "hairpin"; m = mi == 1 ? "last" : "random"
		if (rounds("rate", g, "ct@0", ns[i], path, m) != "") {
			q = vs("rate", g, "ct@0", ns[i], path, m)
			cells++; side++; sig += lower("rate", g, "ct@0", ns[i], path, m, 0.85)
		} else
			q = ratio(r("rate", g, ns[i], path, m), ref(path))
		if (q != "" && (worst == "" || q < worst)) { worst = q; where = "N=" size(ns[i]) ", " path " path, " m }
	}
	printf "3. ≥ 0.85x conntrack only: %s (lowest %s, at %s", yes(worst != "" && worst >= 0.85), gfmt(worst, 0.85), where
	if (side) printf "; %s", sigfmt(sig, cells)
	for (pi = 1; pi <= 2; pi++) {
		path = pi == 1 ? "wan" : "hairpin"
		l = cell(g, "ctnat@0", nmin, path, "last")
		q = l != "" ? lmedian(l) : ratio(r("rate", g, nmin, path, "last"), val[ctnatk(path)])
		printf "%s %s on the %s path", pi == 1 ? "; hairpin against the empty nat chains:" : ",", rfmt(q), path == "wan" ? "WAN" : "hairpin"
	}
	printf "%s).\n", l != "" ? ", side by side at N=" size(nmin) : ""
	if (!(worst != "" && worst >= 0.85)) explain("conntrack")
	# 4: >= 10x iptables at 10k
	worst = ""; where = ""
	for (pi = 1; pi <= 2; pi++) for (mi = 1; mi <= 2; mi++) {
		path = pi == 1 ? "wan" : "hairpin"; m = mi == 1 ? "last" : "random"
		q = ratio(r("rate", g, 10000, path, m), r("rate", "ipt-legacy", 10000, path, m))
		if (q != "" && (worst == "" || q < worst)) { worst = q; where = path " path, " m }
	}
	printf "4. ≥ 10x iptables-legacy at N=10k: %s (lowest %s, at %s).\n", yes(worst != "" && worst >= 10), rfmt(worst), where
	if (!(worst != "" && worst >= 10)) explain("iptables")
	# 5: established >= 0.98x nft. Its cells are the same code in both
	# engines, and each reads a few percent off 1.0 from the host\x27s noise
	# alone: the lowest of four such cells sits below 1.0 by the noise of
	# one. The goal is judged on all their rounds pooled (their median,
	# with its 95% confidence interval), and no cell may be below 0.98 by
	# more than the noise (sign test).
	worst = ""; where = ""; cells = 0; sig = 0; pool = ""
	split("flow iperf", kinds, " ")
	for (i = 0; i < 2; i++) {
		n = i ? nmax : nmin
		for (j = 1; j <= 2; j++) {
			q = vs(kinds[j], g, "nft-map", n, "wan", "one")
			if (q == "") continue
			cells++; sig += lower(kinds[j], g, "nft-map", n, "wan", "one", 0.98)
			l = rounds(kinds[j], g, "nft-map", n, "wan", "one")
			if (l != "") pool = pool " " l
			if (worst == "" || q < worst) { worst = q; where = (j == 1 ? "one flow" : "iperf3") ", N=" size(n) }
		}
		for (e = 1; e <= 2; e++) {
			bb = busy["flow", e == 1 ? g : "nft-map", n, "wan", "one"]
			if (bb == "") continue
			if (bmin == "" || bb < bmin) bmin = bb
			if (bmax == "" || bb > bmax) bmax = bb
		}
	}
	if (pool != "") {
		pooled = medci(pool)
		ok = pooled >= 0.98 && sig == 0
		printf "5. Established throughput ≥ 0.98x the nft map: %s (all %d rounds of its %d cells pooled: %s", yes(ok), split(pool, x, " "), cells, gfmt(pooled, 0.98)
		if (cilo != "") printf ", 95%% confidence interval of that median %.2f-%.2fx", cilo, cihi
		printf "; lowest cell %s, %s; %s", rfmt(worst), where, sigfmt(sig, cells)
	} else {
		# Older runs, with no rounds: their lowest cell.
		ok = worst != "" && worst >= 0.98
		printf "5. Established throughput ≥ 0.98x the nft map: %s (lowest %s, %s; %s", yes(ok), gfmt(worst, 0.98), where, sigfmt(sig, cells)
	}
	if (bmax != "")
		printf "; CPU 1 was %d-%d%% busy in the one-flow windows%s", bmin, bmax, bmax < 90 ? ": the generator, not the router, set their rates" : ""
	print ")."
	if (!ok) explain("established")
	# 6: load faster than nft -f
	a = load[g, nmax]; b = load["nft-map", nmax]
	printf "6. Loading N=%s faster than `nft -f` loads as many map entries: %s (%s against %s).\n", size(nmax), yes(a != "" && b != "" && a < b), secs(a), secs(b)
	if (!(a != "" && b != "" && a < b)) explain("load")
	# 7: memory
	v = permap[g, nmax]
	printf "7. ≤ 100 B of kernel memory per mapping: %s (%s B at N=%s; the nft map: %s B).\n", yes(v != "" && v <= 100), v == "" ? "–" : sprintf("%.0f", v), size(nmax), permap["nft-map", nmax] == "" ? "–" : sprintf("%.0f", permap["nft-map", nmax])
	if (!(v != "" && v <= 100)) explain("memory")
	print ""

	print "## Checks"
	print ""
	printf "- `conntrack -S` on the router, summed over all %d measurements: insert_failed + drop + early_drop = **%d**", nsets, ctfail_total
	if (ctfail_total == 0) {
		print " (none)."
	} else {
		print ", all in: " ctfail_where "."
	}
	print ""
	printf "![new-flow rate against the number of mappings](%s)\n", png
	print ""
	print "Raw results: the `.tsv` beside this file (one measurement a line, every window)."

	# Plot data: N, then for each path and match, each engine
	for (i = 1; i <= nn; i++) {
		printf "%s", ns[i] > dat
		for (pi = 1; pi <= 2; pi++) for (mi = 1; mi <= 2; mi++) for (e = 1; e <= 4; e++) {
			path = pi == 1 ? "wan" : "hairpin"; m = mi == 1 ? "last" : "random"
			split("ipt-legacy ipt-nft nft-map hairpin", pe, " ")
			v = r("rate", pe[e], ns[i], path, m)
			if (v == "" && ns[i] == 1) v = r("rate", pe[e], ns[i], path, "last")
			printf " %s", v == "" ? "NaN" : v > dat
		}
		printf " %s %s %s %s\n", ref("wan"), r("rate", "noct", 0, "wan", "-"), ref("hairpin"), r("rate", "noct", 0, "hairpin", "-") > dat
	}
}' "$tsv" >"$md"

gnuplot -e "datafile='$dat'; outfile='$png'; kernel='$(awk -F'\t' '$1 == "meta" && $2 == "kernel" { print $3 }' "$tsv")'" \
	"$here/plot.gp"

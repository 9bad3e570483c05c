#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: hairpin against iptables and nftables, side by side in one
# boot of the test VM, on the Debian 6.1 kernel (BENCH_KERNELS="6.1 6.12"
# for both). Writes bench/results/SERIES.md (method, tables, goals) and
# bench/results/SERIES.png (new-flow rate against the number of mappings).
#
#   bench/run.sh            the whole run, 33 to 42 minutes
#   BENCH_QUICK=1 bench/run.sh   a smoke test (small sizes, short windows)
#
# Other knobs are passed to the guest: see bench/guest.sh. Before booting it
# waits (BENCH_WAIT seconds, default 900) for other VMs on this machine to
# end: they would take the CPU the measurement needs.
set -e

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
say() { printf '[bench] %s\n' "$*"; }
start=$SECONDS

# What the guest runs: the guest's root is this machine's, so installing
# here is installing there. And python3 and gnuplot for bench/report.py,
# here, at the end.
pkgs="python3 gnuplot-nox iperf3 linux-perf iptables nftables conntrack jq ethtool keepalived conntrackd socat"
missing=$(for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || SUDO=sudo
	say "installing:" $missing
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ -n "$BENCH_QUICK" ]; then
	: "${BENCH_SIZES:=1 1000}" "${BENCH_WINDOWS:=2}" "${BENCH_WINDOW:=1}"
	: "${BENCH_MASQ_SIZES:=1000 10000}" "${BENCH_FAILOVER_SIZES:=200 1000}"
fi
env=
for v in BENCH_SIZES BENCH_WINDOW BENCH_WINDOWS BENCH_WARMUP BENCH_FLOW_WINDOW \
	 BENCH_PERF BENCH_CAP_WAN BENCH_CAP_LAN BENCH_IPERF_ROUNDS BENCH_IPERF_TIME \
	 BENCH_MASQ_SIZES BENCH_MASQ_ONLY BENCH_FAILOVER_SIZES BENCH_FAILOVER_RATE BENCH_ONLY; do
	[ -z "${!v+x}" ] || env="$env $v=$(printf '%q' "${!v}")"
done

say "building hairpinctl"
make -s -C tools/hairpinctl

results=bench/results
# A smoke test must not overwrite the committed results.
[ -z "$BENCH_QUICK" ] || results=build/bench/quick
results=${BENCH_RESULTS:-$results}
mkdir -p "$results"
for series in ${BENCH_KERNELS:-6.1}; do
	kver=$(tools/vm/kernels.sh "$series")
	say "building the module for $kver"
	tools/build-kmod.sh "$kver"
	ko=build/$kver/kmod/hairpin.ko

	# Wait for the machine to be ours; note it in the results if not.
	waited=0
	while pgrep -f qemu-system >/dev/null && [ "$waited" -lt "${BENCH_WAIT:-900}" ]; do
		[ $((waited % 60)) != 0 ] || say "waiting for other VMs to end ($(pgrep -fc qemu-system) qemu processes)"
		sleep 5
		waited=$((waited + 5))
	done
	others=$(pgrep -f qemu-system | wc -l)
	[ "$others" = 0 ] || say "other VMs still run: the figures will be lower and noisier"

	out=$top/build/bench/$kver
	rm -rf "$out"
	mkdir -p "$out"
	say "running the benchmark on $kver (progress below; raw results in $out)"
	# A copy, which edits to the tree during the run cannot change.
	cp bench/guest.sh bench/windows.sh bench/failover.sh bench/conns.py "$out/"
	# Other VMs booted meanwhile: sampled every 10 s, for the results.
	# Ours is the one sharing $out, as run.sh writes it for qemu (commas
	# doubled).
	(
		while sleep 10; do
			pgrep -f qemu-system | while read -r p; do
				grep -qzF "path=${out//,/,,}," "/proc/$p/cmdline" 2>/dev/null || echo "$p"
			done | wc -l
		done >"$out/others"
	) &
	sampler=$!
	tools/vm/run.sh -k "$kver" -t 3300 -o "$out" -- \
		"$env bash \"\$HAIRPIN_OUT/guest.sh\" \"\$HAIRPIN_OUT\" $ko" || { kill $sampler; exit 1; }
	kill $sampler 2>/dev/null || true
	busy=$(awk '$1 > 0 { b++ } END { printf "%d", NR ? 100 * b / NR : 0 }' "$out/others")
	{
		printf 'meta\thost_cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
		printf 'meta\thost_cores\t%s\n' "$(nproc)"
		printf 'meta\thost_kernel\t%s\n' "$(uname -r)"
		printf 'meta\tqemu\t%s\n' "$(qemu-system-x86_64 --version | head -n 1)"
		printf 'meta\tdate\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
		printf 'meta\tcommit\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
		printf 'meta\tother_vms\t%s\n' "$others"
		printf 'meta\tother_vms_busy_pct\t%s\n' "$busy"
		printf 'meta\tquick\t%s\n' "${BENCH_QUICK:-0}"
	} >>"$out/results.tsv"
	cp "$out/results.tsv" "$results/$series.tsv"
	bench/report.py "$results/$series.tsv" "$results/$series.md" "$results/$series.png"
	say "wrote $results/$series.md and $results/$series.png"
done
say "done in $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"

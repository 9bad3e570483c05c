#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every selftest (Makefile's TEST_PROGS, or those named) and reports in
# TAP. Meant for the VM (tools/vm/run.sh), as root. Exits 1 if any test
# failed, 4 if all skipped. A test that runs longer than "settings" allows
# is killed and fails.
#
# Tests build their own namespaces and so run side by side, HAIRPIN_JOBS
# (default: one per CPU) at a time: in an emulated guest most of a test is
# starting processes, one at a time. A test that changes what every
# namespace sees (it unloads the module, or loads br_netfilter) is marked
# "# hairpin: alone" and runs by itself, after the others. Each test's
# output is printed whole once it ends, so the report reads in order.
# Paths the caller gave relative to where it is, before leaving it.
for v in HAIRPIN_KO HAIRPINCTL HAIRPIN_NLMSG; do
	case ${!v} in
	'' | /*) ;;
	*) export "$v=$PWD/${!v}" ;;
	esac
done
cd "$(dirname "$0")" || exit 1
tests=("$@")
[ ${#tests[@]} != 0 ] || read -ra tests < <(make -s list)
timeout=${HAIRPIN_TEST_TIMEOUT:-$(sed -n "s/^timeout=//p" settings)}
jobs=${HAIRPIN_JOBS:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The longest tests, marked "# hairpin: long", start first: started last,
# one would run on alone while the other CPUs idle.
long=() together=() alone=()
for t in "${tests[@]}"; do
	t=${t%.sh}.sh
	if grep -qx '# hairpin: alone' "$t" 2>/dev/null; then
		alone+=("$t")
	elif grep -qx '# hairpin: long' "$t" 2>/dev/null; then
		long+=("$t")
	else
		together+=("$t")
	fi
done
together=("${long[@]}" "${together[@]}")

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0 fails=0 skips=0

# start TEST: runs it in the background, its output and status in $tmp.
start() {
	(
		s=$SECONDS
		timeout -k 10 "$timeout" ./"$1" >"$tmp/$1.out" 2>&1
		echo "$? $((SECONDS - s))" >"$tmp/$1.rc"
	) &
	running[$!]=$1
}

# report PID: the TAP lines of the test that PID ran.
report() {
	local t=${running[$1]} rc took
	unset "running[$1]"
	read -r rc took <"$tmp/$t.rc"
	n=$((n + 1))
	echo "# selftests: hairpin: $t"
	sed 's/^/# /' "$tmp/$t.out"
	case $rc in
	0) echo "ok $n selftests: hairpin: $t # ${took}s" ;;
	4) echo "ok $n selftests: hairpin: $t # SKIP"; skips=$((skips + 1)) ;;
	124 | 137) echo "not ok $n selftests: hairpin: $t # TIMEOUT ${timeout}s"; fails=$((fails + 1)) ;;
	*) echo "not ok $n selftests: hairpin: $t # exit=$rc"; fails=$((fails + 1)) ;;
	esac
}

declare -A running=()
for t in "${together[@]}"; do
	while [ ${#running[@]} -ge "$jobs" ]; do
		wait -n -p done_pid
		report "$done_pid"
	done
	start "$t"
done
while [ ${#running[@]} -gt 0 ]; do
	wait -n -p done_pid
	report "$done_pid"
done
for t in "${alone[@]}"; do
	start "$t"
	wait -n -p done_pid
	report "$done_pid"
done

echo "# $((n - fails - skips)) passed, $fails failed, $skips skipped"
[ $fails = 0 ] || exit 1
[ $skips != $n ] || exit 4

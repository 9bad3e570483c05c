#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module unloaded under a running monitor: the monitor notices and says
# why, every command says how to load the module, and it loads again.
# Run by itself (selftests/run.sh): it unloads the module.
# hairpin: alone
source "$(dirname "$0")/lib.sh"
load_module
command -v jq >/dev/null || skip "jq not installed"
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
add_ns router
printf 'map flush\nset source lan hairpin auto\n' >"$tmp/reset"
hp router map add tcp 80 to 192.168.1.10

start_monitor "$tmp/mon"
if ns router rmmod hairpin; then
	until_ok 10 gone
	wait "$mon_pid"
	check_eq "a running monitor ends with exit 1" 1 "$?"
	check_eq "saying why" "hairpinctl: monitor: the hairpin module was unloaded" \
		"$(cat "$tmp/mon.err")"
	# The kernel tries to load it by its alias: not installed here.
	notloaded="hairpinctl: the hairpin module is not loaded (try: modprobe hairpin)"
	expect "not loaded: show" 1 "$notloaded" hpq show
	expect "not loaded: map show -j" 1 "$notloaded" hpq -j map show
	expect "not loaded: map add" 1 "$notloaded" hpq map add tcp 80 to 10.0.0.1
	expect "not loaded: -f" 1 "$notloaded" hpq -f "$tmp/reset"
	expect "not loaded: monitor" 1 "$notloaded" hpq monitor
	expect "not loaded: save" 1 "$notloaded" hpq save
	insmod_hairpin
	check "loaded again" hpq show
	check_eq "and starts empty" '{"mappings":[]}' "$(hpq -j map show)"
else
	fail "rmmod hairpin"
fi
finish

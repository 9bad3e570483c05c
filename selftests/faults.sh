#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Batches whose allocations fail: the table is as it was before the batch
# or as the batch makes it, never anything between, and undoing a batch
# cannot fail. The debug kernel has fault injection (failslab, fail-nth);
# other kernels skip.
#
# - Each allocation of a batch, one at a time: fail-nth fails the n-th
#   for n = 1, 2, ... until the batch has fewer; after each try the table
#   is compared with its two possible states. Once for a batch changing the
#   published table in place, once for one that flushes it first.
# - Every allocation once a batch is under way: failslab with a budget,
#   for a batch that deletes a mapping of 64,512 ports and then fails. Its
#   undoing must not need memory: a design that took the ports out at once
#   has to put them back, into a table that shrank meanwhile.
#
#   router (no traffic: the table alone)
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
NLMSG=${HAIRPIN_NLMSG:-$top/tools/fuzz-nl/nlmsg}
[ -x "$NLMSG" ] || skip "nlmsg not built: make -C tools/fuzz-nl"
[ -e /proc/self/fail-nth ] || skip "no fault injection (CONFIG_FAULT_INJECTION)"
fs=/sys/kernel/debug/failslab
[ -d $fs ] || skip "no failslab in debugfs (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
load_module
tmp=$(mktemp -d)
# failslab back as the kernel had it: no other test fails an allocation.
failslab_off() {
	echo 0 >$fs/probability
	echo N >$fs/task-filter
	echo 0 >$fs/space
	echo 1 >$fs/times
	echo Y >$fs/ignore-gfp-wait
}
trap 'failslab_off; cleanup; rm -rf "$tmp"' EXIT
add_ns router
# Quietly; and GFP_KERNEL allocations, the module's, count too.
echo 0 >$fs/verbose
echo N >$fs/ignore-gfp-wait

table() { nsq router "$HAIRPINCTL" save; }
# NEW_MAP, DEL_MAP, REPLACE_MAP, FLUSH_MAPS (uapi/linux/hairpin.h).
new=3 del=4 replace=5 flush=7

# sweep NAME BATCH...: BATCH (nlmsg's words) with its n-th allocation
# failed, for each n.
sweep() {
	local name=$1 before after n=0 got out bad=
	shift
	before=$(table)
	echo "$before" >"$tmp/before"
	nsq router "$NLMSG" -e ok batch "$@" >/dev/null || fail "$name: applies"
	after=$(table)
	[ "$after" != "$before" ] || fail "$name: changes the table"
	nsq router "$HAIRPINCTL" -f "$tmp/before"
	echo "[+] $name: failing allocation n = 1, 2, ..." >&2
	while [ -z "$bad" ]; do
		n=$((n + 1))
		out=$(ns router "$NLMSG" -f $n batch "$@" 2>/dev/null)
		got=$(table)
		if [ "$got" = "$after" ]; then
			nsq router "$HAIRPINCTL" -f "$tmp/before"
		elif [ "$got" != "$before" ]; then
			bad=$n
		fi
		grep -qx 'fault: not reached' <<<"$out" && break
	done
	check_eq "$name: each of its $((n - 1)) allocations failing leaves the table before or after" \
		"" "$bad"
}

M1="proto=6 port=8000 to_addr=10.0.0.2 to_port=80"
M2="proto=17 port=8000 port_max=8009 to_addr=10.0.0.2 to_port=5300"
nsq router "$HAIRPINCTL" map add tcp 8000 to 10.0.0.2:80
nsq router "$HAIRPINCTL" map add udp 8000-8009 to 10.0.0.2:5300-5309
nsq router "$HAIRPINCTL" map add tcp 9000 to 10.0.0.4:22 comment ssh
in_place="op{ cmd=$del map{ $M1 } }
	op{ cmd=$replace map{ ${M2/10.0.0.2/10.0.0.3} comment=new } }
	op{ cmd=$new map{ proto=6 port=8001 port_max=8064 to_addr=10.0.0.2 } }"
flushing="op{ cmd=$flush }
	op{ cmd=$new map{ proto=17 port=9000 port_max=9099 to_addr=10.0.0.2 } }"
# shellcheck disable=SC2086 # the words of the requests
sweep "in place: del, replace, add" $in_place
# shellcheck disable=SC2086
sweep "flush, then add" $flushing

nsq router "$HAIRPINCTL" map flush
nsq router "$HAIRPINCTL" map add udp 1024-65535 to 10.0.0.2
before=$(table)
# No mapping has TCP port 9: ENOENT, and the delete before it is undone.
doomed="op{ cmd=$del map{ proto=17 port=1024 port_max=65535 } }
	op{ cmd=$del map{ proto=6 port=9 } }"
# Allocations succeed for the first SPACE bytes of the request, then all
# fail: somewhere in the batch, or, with the larger budgets, only in what
# comes after it (the answer).
echo Y >$fs/task-filter
echo -1 >$fs/times
echo 100 >$fs/probability
bad=
for space in 0 1024 4096 16384 65536; do
	echo $space >$fs/space
	# shellcheck disable=SC2086
	ns router "$NLMSG" -F batch $doomed >/dev/null 2>&1
	[ "$(table)" = "$before" ] || bad="$bad $space"
done
failslab_off
check_eq "undoing a delete of 64,512 ports with no memory to be had" "" "$bad"
check_eq "the mapping still has its ports" 64512 \
	"$(nsq router "$HAIRPINCTL" show | sed -n 's|^limits .* ports \([0-9]*\)/.*|\1|p')"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing: tools/fuzz-nl throws random and mutated requests at the
# family (seeds built by hairpinctl's own code, mutated; random attribute
# trees; bad commands and flags; dumps cut short), two processes in one
# namespace and one in another, at the same time. A bug shows up as a kernel
# report, which fails the VM run; here: every fuzzer ends well (the family
# still answers, a dump lists what it counts), and a bystander namespace's
# mapping and settings are untouched and still carry traffic.
#
#   fuzz1: fuzz-nl -j 2    fuzz2: fuzz-nl    bystander: one mapping, unchanged
#
# HAIRPIN_FUZZ_MESSAGES (default 20000) in all, within HAIRPIN_FUZZ_SECONDS
# (default 600: a bound, not a target: fewer messages in that time fail);
# HAIRPIN_FUZZ_SEED to replay a run (it is printed).
# Run by itself (selftests/run.sh): it keeps every CPU busy, and other tests
# would miss their deadlines.
# hairpin: alone
source "$(dirname "$0")/lib.sh"
FUZZ=${HAIRPIN_FUZZ:-$top/tools/fuzz-nl/fuzz-nl}
[ -x "$FUZZ" ] || skip "fuzz-nl not built: make -C tools/fuzz-nl"
load_module
messages=${HAIRPIN_FUZZ_MESSAGES:-20000}
seconds=${HAIRPIN_FUZZ_SECONDS:-600}
seed=${HAIRPIN_FUZZ_SEED:-$(( $(date +%s) * 1000 + RANDOM % 1000 ))}
echo "# seed $seed: HAIRPIN_FUZZ_SEED=$seed replays this run"

add_ns fuzz1 fuzz2 bystander
ns bystander "$HAIRPINCTL" map add tcp 80 to 192.0.2.10 comment bystander
ns bystander "$HAIRPINCTL" set source external
before=$(nsq bystander "$HAIRPINCTL" map show; nsq bystander "$HAIRPINCTL" show)

n1=$((messages * 2 / 3))
n2=$((messages - n1))
out=$(mktemp -d)
echo "[+] fuzz1: fuzz-nl -j 2 -n $n1; fuzz2: fuzz-nl -n $n2"
nsq fuzz1 "$FUZZ" -q -j 2 -n "$n1" -t "$seconds" -s "$seed" >"$out/1" 2>&1 &
p1=$!
nsq fuzz2 "$FUZZ" -q -n "$n2" -t "$seconds" -s "$((seed + 100))" >"$out/2" 2>&1 &
p2=$!
wait $p1
rc1=$?
wait $p2
rc2=$?
sed 's/^/# fuzz1: /' "$out/1"
sed 's/^/# fuzz2: /' "$out/2"

sent() { sed -n 's/.*messages=\([0-9]*\) .*/\1/p' "$1"; }
check "fuzz1 ends well (the family answers, the table is consistent)" test "$rc1" = 0
check "fuzz2 ends well" test "$rc2" = 0
total=$(( $(sent "$out/1") + $(sent "$out/2") ))
check "$total of $messages messages sent within ${seconds}s" test "$total" -ge "$messages"
rm -rf "$out"

check_eq "the bystander namespace is untouched" "$before" \
	"$(nsq bystander "$HAIRPINCTL" map show; nsq bystander "$HAIRPINCTL" show)"
# A flush first: whatever the fuzzer left (a range over port 1, say) would
# make the new mapping overlap.
check "the fuzzed namespace still takes a flush" ns fuzz1 "$HAIRPINCTL" map flush
check_eq "and is empty afterwards" "0" \
	"$(nsq fuzz1 "$HAIRPINCTL" -j show | jq -r .mappings)"
# The fuzzer sets limits too, and may have left them at 0: the defaults
# back (a flush keeps the settings).
check "and its default limits" ns fuzz1 "$HAIRPINCTL" set limit mappings 1048576 ports 4194304
check "and a mapping" ns fuzz1 "$HAIRPINCTL" map add tcp 1 to 192.0.2.1
check_eq "which it shows" "1" \
	"$(nsq fuzz1 "$HAIRPINCTL" -j show | jq -r .mappings)"

# The fuzzed namespaces go with their mappings (fuzz2 still has some).
finish

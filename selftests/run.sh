#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs every selftest (or those named) and reports in TAP. Meant for the VM
# (tools/vm/run.sh), as root. Exits 1 if any test failed, 4 if all skipped.
cd "$(dirname "$0")"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=($(ls -- *.sh | grep -vx 'lib.sh\|run.sh'))

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0 fails=0 skips=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: hairpin: $t"
	start=$SECONDS
	./"${t%.sh}.sh" 2>&1 | sed 's/^/# /'
	rc=${PIPESTATUS[0]}
	took="$((SECONDS - start))s"
	case $rc in
	0) echo "ok $n selftests: hairpin: $t # $took" ;;
	4) echo "ok $n selftests: hairpin: $t # SKIP"; skips=$((skips + 1)) ;;
	*) echo "not ok $n selftests: hairpin: $t # exit=$rc"; fails=$((fails + 1)) ;;
	esac
done
echo "# $((n - fails - skips)) passed, $fails failed, $skips skipped"
[ $fails = 0 ] || exit 1
[ $skips != $n ] || exit 4

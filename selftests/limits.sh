#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A namespace holds a bounded number of mappings and external ports: any
# user can create a user namespace and be its admin, and must not be able
# to make the kernel allocate without bound. Tight defaults there, generous
# ones in the host's namespaces; only the host's admin raises them.
#
#   router: a network namespace of the initial user namespace
#   user:   unshare -Urn, a user namespace's own network namespace
source "$(dirname "$0")/lib.sh"
load_module
command -v unshare >/dev/null || skip "unshare not installed"
add_ns router

# In a user namespace of its own, as any user could.
userns() {
	echo "[+] unshare -Urn: $*" >&2
	unshare -Urn "$@"
}

check_eq "the host's namespaces: generous defaults" "1048576 4194304" \
	"$(hpq -j show | jq -r '"\(.max_mappings) \(.max_ports)"')"
check_eq "a user namespace's: tight ones" "1024 65536" \
	"$(userns "$HAIRPINCTL" -j show | jq -r '"\(.max_mappings) \(.max_ports)"')"

# One full range fits a user namespace, a second does not: the error names
# the limit, and nothing of the second is left.
out=$(userns sh -c '
	"$1" map add udp 10.0.0.1:1-65535 to 10.9.9.9 || exit 1
	for i in $(seq 2 20); do
		"$1" map add udp 10.0.0.$i:1-65535 to 10.9.9.9 2>&1 && exit 1
	done
	"$1" -j show' _ "$HAIRPINCTL" 2>&1)
check "a full range fits" grep -q '"mappings": *1' <<<"$out"
check "the next ones fail on the ports limit" grep -q 'limit of external ports' <<<"$out"
check_eq "only the first is in the table" "1 65535" \
	"$(tail -n +1 <<<"$out" | sed -n '/^{/,$p' | jq -r '"\(.mappings) \(.ports)"')"

# Memory: tries that fail leave nothing behind. The kernel's slab, vmalloc
# and per-CPU memory, before and after 50 refused full ranges.
mem() { awk '/^(Slab|VmallocUsed|Percpu):/ { kb += $2 } END { print kb }' /proc/meminfo; }
before=$(mem)
userns sh -c '
	"$1" map add udp 10.0.0.1:1-65535 to 10.9.9.9
	for i in $(seq 2 51); do
		"$1" map add udp 10.0.0.$i:1-65535 to 10.9.9.9 2>/dev/null
	done
	true' _ "$HAIRPINCTL"
after=$(mem)
# One full range costs about 2.5 MB; 50 more would cost 125 MB.
check "50 refused full ranges grew kernel memory by less than 16 MB ($((after - before)) kB)" \
	test $((after - before)) -lt 16384

# The mappings limit, and lowering and raising.
out=$(userns sh -c '
	"$1" set limit mappings 2 || exit 1
	"$1" map add tcp 1 to 10.9.9.9 && "$1" map add tcp 2 to 10.9.9.9 || exit 1
	"$1" map add tcp 3 to 10.9.9.9
	echo "exit $?"' _ "$HAIRPINCTL" 2>&1)
check "a lowered mappings limit holds" grep -q 'limit of mappings' <<<"$out"
check "with ENOSPC" grep -q 'exit 1' <<<"$out"
check "a user namespace's admin cannot raise its limits" \
	grep -q 'initial user namespace' <<<"$(userns "$HAIRPINCTL" set limit ports 65537 2>&1)"
check "nor lower below what is in use" grep -q 'limit of mappings' <<<"$(userns sh -c '
	"$1" map add tcp 1 to 10.9.9.9 && "$1" map add tcp 2 to 10.9.9.9 &&
	"$1" set limit mappings 1' _ "$HAIRPINCTL" 2>&1)"
hp router set limit mappings 2000000 ports 5000000
check_eq "the host's admin raises them" "2000000 5000000" \
	"$(hpq -j show | jq -r '"\(.max_mappings) \(.max_ports)"')"
finish

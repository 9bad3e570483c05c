#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A namespace holds a bounded number of mappings and external ports: any
# user can create a user namespace and be its admin, and must not be able
# to make the kernel allocate without bound. Tight defaults there, generous
# ones in the host's namespaces; only the host's admin raises them. No
# limit goes below what is in use; a batch sets them in its order, and
# save and restore carry them.
#
#   router: a network namespace of the initial user namespace
#   user:   unshare -Urn, a user namespace's own network namespace
source "$(dirname "$0")/lib.sh"
load_module
command -v unshare >/dev/null || skip "unshare not installed"
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
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
check "a user namespace's admin cannot raise its limits: EPERM" \
	grep -q 'set limit ports 65537: Operation not permitted (kernel: .*initial user namespace)' \
	<<<"$(userns "$HAIRPINCTL" set limit ports 65537 2>&1)"
check "nor lower below what is in use" grep -q 'limit of mappings' <<<"$(userns sh -c '
	"$1" map add tcp 1 to 10.9.9.9 && "$1" map add tcp 2 to 10.9.9.9 &&
	"$1" set limit mappings 1' _ "$HAIRPINCTL" 2>&1)"

# The router's admin: the limits down to what is in use, in a batch too,
# and save and restore carry them. 2 mappings, 12 ports:
hp router map add tcp 8080 to 10.0.0.2:80
hp router map add udp 5000-5010 to 10.0.0.2:6000-6010
check "down to what is in use" hpq set limit mappings 2 ports 12
expect "not below the ports in use" 1 \
	"hairpinctl: set limit ports 11: No space left on device (kernel: over the namespace's limit of external ports)" \
	hpq set limit ports 11
hpq save >"$tmp/saved"
check_eq "save: the limits in force, the refused one left out, after the settings" \
	"set limit mappings 2 ports 12 bindings 262144" "$(sed -n 3p "$tmp/saved")"
printf 'map flush\nset limit mappings 1\nmap add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.2\n' >"$tmp/over"
expect "a batch over the limit it sets: ENOSPC at the line" 1 \
	"hairpinctl: $tmp/over:4: No space left on device (kernel: over the namespace's limit of mappings)" \
	hpq -f "$tmp/over"
check_eq "and nothing changed, the limits included" "$(cat "$tmp/saved")" "$(hpq save)"
printf 'set limit mappings 4 ports 14\nmap add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.2\n' >"$tmp/raise"
check "a batch that raises the limits, then fills them" hpq -f "$tmp/raise"
check_eq "to the brim" "4/4 14/14" \
	"$(hpq -j show | jq -r '"\(.mappings)/\(.max_mappings) \(.ports)/\(.max_ports)"')"
check "restoring the saved file" hpq -f "$tmp/saved"
check_eq "puts back the limits and the mappings" "$(cat "$tmp/saved")" "$(hpq save)"
hp router set limit mappings 2000000 ports 5000000
check_eq "the host's admin raises them" "2000000 5000000" \
	"$(hpq -j show | jq -r '"\(.max_mappings) \(.max_ports)"')"
finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Permission and isolation. Without CAP_NET_ADMIN every request fails with
# EPERM, and hairpinctl says that CAP_NET_ADMIN is needed (reads too: the
# table is the router's business); thousands of fuzzed requests without it
# all fail. Root in a user namespace manages the mappings of a network
# namespace that user namespace owns, and of no other. Mappings, settings
# and flushes in one namespace never affect another's traffic or table.
#
#   the seeds' topology (router maps tcp 80)     other 10.9.0.1 :80 ---- oclient 10.9.0.2
#                                                (its own mappings, or none)
source "$(dirname "$0")/lib.sh"
command -v setpriv >/dev/null || skip "setpriv not installed"
command -v unshare >/dev/null || skip "unshare not installed"
command -v jq >/dev/null || skip "jq not installed"
load_module
FUZZ=${HAIRPIN_FUZZ:-$top/tools/fuzz-nl/fuzz-nl}
seed_topology
add_ns other oclient
veth other eth0 oclient eth0
ip -n "other-$sfx" addr add 10.9.0.1/24 dev eth0
ip -n "oclient-$sfx" addr add 10.9.0.2/24 dev eth0
serve tcp other 80

hp router map add tcp 80 to $SERVER comment web
hp router map add udp 53 to $SERVER
state() { nsq router "$HAIRPINCTL" map show; nsq router "$HAIRPINCTL" show -s; }
before=$(state)

# Without CAP_NET_ADMIN: nobody, and root without the capability.
tmp=$(mktemp -d)
chmod 755 "$tmp"
printf 'map flush\nmap add tcp 1 to 192.0.2.1\n' >"$tmp/batch"
chmod 644 "$tmp/batch"
# shellcheck disable=SC2034 # read through declare -n below
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# shellcheck disable=SC2034
nocap=(setpriv --bounding-set=-net_admin --inh-caps=-net_admin)
requests=(
	"map add tcp 81 to 192.0.2.1"
	"map del tcp 80"
	"map replace tcp 80 to 192.0.2.1"
	"map flush"
	"set source external"
	"set hairpin off"
	"-f $tmp/batch"
	"map show"
	"show"
)
for who in nobody nocap; do
	declare -n as=$who
	for req in "${requests[@]}"; do
		# shellcheck disable=SC2086 # words of the request
		out=$(nsq router "${as[@]}" "$HAIRPINCTL" $req 2>&1)
		rc=$?
		if [ $rc = 1 ] && [[ $out == *"Operation not permitted"*"CAP_NET_ADMIN"* ]]; then
			pass "$who: hairpinctl $req: EPERM, and says CAP_NET_ADMIN is needed"
		else
			fail "$who: hairpinctl $req: exit $rc: $out"
		fi
	done
	unset -n as
done
check_eq "nothing changed" "$before" "$(state)"

if [ -x "$FUZZ" ]; then
	nsq router "$FUZZ" -u -q -n "${HAIRPIN_ISOLATION_FUZZ:-3000}" >"$tmp/fuzz" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/fuzz"
	check "fuzzed requests without CAP_NET_ADMIN: none succeeds" test $rc = 0
	check "they were refused with EPERM" grep -q 'answers:.* EPERM=' "$tmp/fuzz"
	check_eq "nothing changed" "$before" "$(state)"
fi

# Root in a user namespace: its own network namespace, and only that.
check_eq "root in a user namespace manages its own namespace's mappings" "1" \
	"$(unshare -Urn sh -c '"$1" map add tcp 80 to 192.0.2.1 && "$1" -j show' _ "$HAIRPINCTL" |
	   jq -r .mappings)"
for req in "map add tcp 81 to 192.0.2.1" "map flush" "set hairpin off" "map show"; do
	# shellcheck disable=SC2086
	out=$(nsq router unshare -Ur "$HAIRPINCTL" $req 2>&1)
	rc=$?
	if [ $rc = 1 ] && [[ $out == *"Operation not permitted"* ]]; then
		pass "root in a user namespace, in the router's namespace: $req: EPERM"
	else
		fail "root in a user namespace, in the router's namespace: $req: exit $rc: $out"
	fi
done
check_eq "nothing changed" "$before" "$(state)"

# One namespace's mappings never touch another's.
check_eq "the router's mapping of tcp 80 does not map another namespace's port 80" \
	"10.9.0.2 other" "$(peer_who oclient tcp 10.9.0.1 80)"
hp other map add tcp 80 to 10.9.0.99
hp other map add tcp 443 to 10.9.0.99
hp other set source external hairpin off scope all
check "the other namespace's own mapping applies there" no_answer oclient tcp 10.9.0.1 80
others() {
	nsq other "$HAIRPINCTL" -j show -s |
		jq -c '{mappings, source, hairpin, scope, conns, hairpinned, others_hairpinned}'
}
other_before=$(others)
check_eq "not in the router: the WAN still reaches the server" \
	"$WANHOST server" "$(peer_who wanhost tcp $PUBLIC 80)"
check_eq "and the router still hairpins (its settings are its own)" \
	"$ROUTER_LAN server" "$(peer_who client tcp $PUBLIC 80)"
check_eq "the router's traffic is counted in the router only" "$other_before" "$(others)"
hp other map flush
check_eq "a flush elsewhere leaves the router's mappings" "2" \
	"$(nsq router "$HAIRPINCTL" -j show | jq -r .mappings)"
check_eq "the router's settings are its own" "lan auto own" \
	"$(nsq router "$HAIRPINCTL" -j show | jq -r '"\(.source) \(.hairpin) \(.scope)"')"
rm -rf "$tmp"
finish

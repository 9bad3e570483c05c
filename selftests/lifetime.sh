#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How long masq's bindings live (RFC 4787 REQ-5/6, RFC 5382 REQ-5): while a
# conntrack entry uses them, and the UDP timeout (UDP) or 240 s (TCP)
# after the last one went; the setting at its lowest, 120 s, for test
# time. On the seeds' topology (lib.sh).
# Long: selftests/run.sh starts it first.
# hairpin: long
source "$(dirname "$0")/lib.sh"
load_module
command -v jq >/dev/null || skip "jq not installed"
seed_topology
serve udp wanhost 7001
serve tcp wanhost 7001

# binding PROTO PORT: "1" if client's binding from PORT lives, else "0".
binding() {
	hpq -j binding show |
		jq "[.bindings[] | select(.proto == \"$1\" and .internal_port == $2)] | length"
}
gone() { [ "$(binding "$1" "$2")" = 0 ]; }
# idle_past PROTO PORT SECONDS: the binding has been idle that long.
idle_past() {
	[ "$(hpq -j binding show | jq ".bindings[] | select(.proto == \"$1\" and
		.internal_port == $2) | .idle")" -ge "$3" ] 2>/dev/null
}

hp router masq add dev wan0
expect "udp-timeout below 120 s is refused" 2 \
	"hairpinctl: invalid udp-timeout '119' (must be 120-86400 seconds)" \
	hpq set udp-timeout 119
hp router set udp-timeout 120
check_eq "show says so" 120 "$(hpq -j show | jq .udp_timeout)"

check_eq "a UDP binding" "$PUBLIC" "$(peer_addr client udp $WANHOST 7001 sourceport=5000,reuseaddr)"
check_eq "a TCP binding" "$PUBLIC" "$(peer_addr client tcp $WANHOST 7001 sourceport=5001,reuseaddr)"
check_eq "both live" "1 1" "$(binding udp 5000) $(binding tcp 5001)"
conns() { hpq -j binding show | jq ".bindings[] | select(.internal_port == $1) | .conns"; }
# The TCP one's: its entry waits 120 s in TIME_WAIT, where the UDP one's
# may have timed out (30 s) on a slow guest before a walk counted it.
counted() { [ "$(conns 5001)" = 1 ]; }
check "its connection counted, at the next walk" until_ok 15 counted

# Their connections end; the bindings outlive them.
ns router conntrack -D -s $CLIENT >/dev/null 2>&1
check "a walk later, the UDP binding has been idle 10 s" until_ok 30 idle_past udp 5000 10
check_eq "and lives" 1 "$(binding udp 5000)"
check_eq "the TCP one too" 1 "$(binding tcp 5001)"
check_eq "a new connection from the port keeps the same port" "$PUBLIC 5000" \
	"$(peer client udp $WANHOST 7001 sourceport=5000,reuseaddr | cut -d' ' -f1,2)"
ns router conntrack -D -s $CLIENT -p udp >/dev/null 2>&1
check "120 s and a walk after its last connection, the UDP binding is gone" \
	until_ok 150 gone udp 5000
check "idle as long, the TCP one lives on (240 s)" [ "$(binding tcp 5001)" = 1 ]
finish

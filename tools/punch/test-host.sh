#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# punch (seed 003) between two hosts behind two masquerading routers, in
# network namespaces of this host: no VM, no hairpin module. Root, ip, nft
# and ss; conntrack for the tables shown when a simultaneous start fails.
#
#                     pub: S, "punch server", on 198.51.100.1 (lo)
#          203.0.113.254 /                      \ 203.0.113.254
#                       / (point to point)       \
#     r1: wan 203.0.113.1                         r2: wan 203.0.113.2
#         oifname wan masquerade                      oifname wan masquerade
#         lan 192.168.1.1                             lan 192.168.2.1
#                |                                           |
#     h1: 192.168.1.100 ("alice")                 h2: 192.168.2.100 ("bob")
#
# pub routes only the public addresses: the private endpoints S hands out
# lead nowhere, so every connection found goes through both NATs.
#
# Checks: UDP, then TCP, with bob started a few seconds after alice and
# the small TTL of the first punches (-l 2); a peer that never comes.
# Then, for the record and without a verdict: the same without it (the
# default, which plain masquerade fails), and ROUNDS
# (PUNCH_ROUNDS, 5) starts of both peers at the same instant, with and
# without it, over UDP and TCP: what plain masquerade makes of them.
#
#   tools/punch/test-host.sh [-v]    (-v: the peers' and S's steps)

set -e
ksft_skip=4
here=$(cd "$(dirname "$0")" && pwd)
punch=$here/punch
rounds=${PUNCH_ROUNDS:-5}
verbose=
[ "$1" = -v ] && verbose=-v

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (network namespaces)"
	exit $ksft_skip
fi
for tool in ip nft ss flock; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit $ksft_skip; }
done
make -s -C "$here"

sfx=$(printf '%04x%04x' $RANDOM $RANDOM)
pub=pub-$sfx r1=r1-$sfx r2=r2-$sfx h1=h1-$sfx h2=h2-$sfx
tmp=$(mktemp -d /tmp/punch-test.XXXXXX)
failed=0
pids=()

cleanup() {
	local pid ns

	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for ns in $pub $r1 $r2 $h1 $h2; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

pp() { printf '[+] %s\n' "$*"; "$@"; }
n() { local ns=$1; shift; printf '[+] %s: %s\n' "${ns%-"$sfx"}" "$*"; ip netns exec "$ns" "$@"; }
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

# A namespace's half of a veth pair, named inside it.
link() {
	local ns1=$1 dev1=$2 ns2=$3 dev2=$4

	pp ip link add "$dev1-$sfx" netns "$ns1" type veth peer "$dev2-$sfx" netns "$ns2"
	n "$ns1" ip link set "$dev1-$sfx" name "$dev1" up
	n "$ns2" ip link set "$dev2-$sfx" name "$dev2" up
}

router() {
	local ns=$1 wan=$2 i=$3

	link "$pub" "wan$i" "$ns" wan
	n "$pub" ip addr add 203.0.113.254/32 peer "$wan/32" dev "wan$i"
	n "$ns" ip addr add "$wan/32" peer 203.0.113.254/32 dev wan
	n "$ns" ip route add default via 203.0.113.254
	n "$ns" sysctl -q net.ipv4.ip_forward=1
	n "$ns" nft -f - <<-EOF
		table ip nat {
			chain postrouting {
				type nat hook postrouting priority srcnat;
				oifname "wan" masquerade
			}
		}
	EOF
	link "$ns" lan "h$i-$sfx" eth0
	n "$ns" ip addr add "192.168.$i.1/24" dev lan
	n "h$i-$sfx" ip addr add "192.168.$i.100/24" dev eth0
	n "h$i-$sfx" ip route add default via "192.168.$i.1"
}

# Polls: a bare sleep would be too short on a loaded machine, or too long.
wait_for() {
	local what=$1 i
	shift

	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	fail "$what: still not there after 10 s"
	return 1
}

server_listens() {
	ip netns exec "$pub" ss -Hlnut "sport = :7717" | grep -q udp &&
		ip netns exec "$pub" ss -Hlnut "sport = :7717" | grep -q tcp
}

# peer NS NAME PEERNAME PORT OUT [ARGS...]: starts a peer in the background.
peer() {
	local ns=$1 name=$2 peer=$3 port=$4 out=$5
	shift 5

	ip netns exec "$ns" "$punch" peer $verbose -p "$port" "$@" \
		198.51.100.1 "$name" "$peer" >"$out" 2>"$out.err" &
	pids+=($!)
}

# sequential PROTO PORT [ARGS...]: alice, then bob once alice is waiting.
# Prints the outcome; returns 0 when both connected through the public
# endpoints S gave.
sequential() {
	local proto=$1 port=$2 a b
	shift 2

	peer "$h1" alice bob "$port" "$tmp/a.$port" "$@"
	a=$!
	wait_for "alice registered over $proto" \
		grep -q "$proto 203.0.113.1:$port: register alice" "$tmp/server.err" || return 1
	# The point of the check: alice has been waiting a while for bob.
	sleep 2
	peer "$h2" bob alice "$port" "$tmp/b.$port" "$@"
	b=$!
	wait "$a" || true
	wait "$b" || true
	result alice "$tmp/a.$port" "203.0.113.2:$port" "$proto" && a=0 || a=1
	result bob "$tmp/b.$port" "203.0.113.1:$port" "$proto" && b=0 || b=1
	[ $a = 0 ] && [ $b = 0 ]
}

# result WHO OUT ADDR PROTO: prints what OUT says; true when it connected
# to ADDR (public) over PROTO.
result() {
	local who=$1 out=$2 addr=$3 proto=$4

	if [ -n "$verbose" ]; then
		sed 's/^/#   /' "$out.err"
		echo "#   $who: $(cat "$out")"
	else
		echo "#   $who: $(cat "$out" "$out.err")"
	fi
	grep -q "connected to .* at $addr (public) over $proto\$" "$out"
}

# at_once PROTO PORT [ARGS...]: ROUNDS starts of both at the same instant,
# from a new port each round (a round's conntrack entries would otherwise
# decide the next), both released from a lock they wait for. For the
# record: prints what happened, and how many rounds connected.
at_once() {
	local proto=$1 port=$2 i ok=0 a b ra rb shown='' label
	shift 2
	label="$proto${*:+ $*}"
	label=${label/ -t/}

	for ((i = 0; i < rounds; i++, port++)); do
		exec 9>"$tmp/lock"
		flock 9
		ip netns exec "$h1" flock -s "$tmp/lock" "$punch" peer -w 4 -p "$port" "$@" \
			198.51.100.1 "alice$i" "bob$i" >"$tmp/sa" 2>"$tmp/sa.err" 9>&- &
		a=$!
		ip netns exec "$h2" flock -s "$tmp/lock" "$punch" peer -w 4 -p "$port" "$@" \
			198.51.100.1 "bob$i" "alice$i" >"$tmp/sb" 2>"$tmp/sb.err" 9>&- &
		b=$!
		pids+=("$a" "$b")
		sleep 0.2	# both on their way to the lock: nothing to poll
		exec 9>&-
		ra=0 rb=0
		wait "$a" || ra=$?
		wait "$b" || rb=$?
		if [ $ra = 0 ] && [ $rb = 0 ]; then
			ok=$((ok + 1))
			echo "#   round $i: $(cat "$tmp/sa" "$tmp/sb" | tr '\n' ' ')"
			continue
		fi
		echo "#   round $i: $(cat "$tmp/sa" "$tmp/sa.err" "$tmp/sb" "$tmp/sb.err" | tr '\n' ' ')"
		# Why, once: the routers' entries for the round's port.
		[ -n "$shown" ] && continue
		shown=1
		for r in "$r1" "$r2"; do
			ip netns exec "$r" conntrack -L -p "$proto" 2>/dev/null |
				grep "port=$port " | grep -v "dport=7717 " |
				sed "s/^/#     ${r%-"$sfx"}: /"
		done
	done
	echo "# $label, both started at once: $ok of $rounds rounds connected"
}

for ns in $pub $r1 $r2 $h1 $h2; do
	pp ip netns add "$ns"
	n "$ns" ip link set lo up
done
n "$pub" ip addr add 198.51.100.1/32 dev lo
n "$pub" sysctl -q net.ipv4.ip_forward=1
router "$r1" 203.0.113.1 1
router "$r2" 203.0.113.2 2

ip netns exec "$pub" "$punch" server -v 2>"$tmp/server.err" &
pids+=($!)
wait_for "S on udp and tcp 7717" server_listens && pass "S listens on udp and tcp 7717"

echo "# udp, bob 2 s after alice"
if sequential udp 40000 -l 2; then pass "udp, bob 2 s after alice"; else fail "udp, bob 2 s after alice"; fi
echo "# tcp, bob 2 s after alice"
if sequential tcp 40001 -t -l 2; then pass "tcp, bob 2 s after alice"; else fail "tcp, bob 2 s after alice"; fi

# Nobody comes: a clear message and exit 1, in -w seconds.
out=$(ip netns exec "$h1" "$punch" peer -w 1 -p 40002 198.51.100.1 carol nobody 2>&1) && rc=0 || rc=$?
if [ "$rc" = 1 ] && [ "$out" = "punch: carol: nobody did not register with the server in 1 s" ]; then
	pass "a peer that never comes: exit 1, \"$out\""
else
	fail "a peer that never comes: exit $rc, \"$out\""
fi

# For the record, no verdict: without the small TTL of the first punches,
# each peer's first punch through reaches the other NAT before the other
# peer's own went out, and the other NAT maps that peer to a new port.
echo "# udp without -l (no small TTL first), bob 2 s after alice:"
sequential udp 40010 -w 4 || true
echo "# tcp without -l (no small TTL first), bob 2 s after alice:"
sequential tcp 40011 -t -w 4 || true

echo "# udp -l 2, both started at once, $rounds rounds:"
at_once udp 41000 -l 2
echo "# tcp -l 2, both started at once, $rounds rounds:"
at_once tcp 42000 -t -l 2
echo "# udp, both started at once, $rounds rounds:"
at_once udp 43000
echo "# tcp, both started at once, $rounds rounds:"
at_once tcp 44000 -t

[ -n "$verbose" ] && sed 's/^/# S: /' "$tmp/server.err"
[ $failed = 0 ] && echo "ok: punch through two masquerading routers" || echo "FAILED"
exit $failed

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo proper, run as root in the VM by tools/demo.sh: the seeds' network
# in namespaces, their failure with a DNAT rule alone, the same port mapping
# with hairpinctl, and one hairpinned connection captured at every hop -- the
# table seeds 000 and 001 draw by hand.  Exits non-zero if anything did not
# behave as shown, so that make demo fails rather than show a broken demo.
set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/../selftests/lib.sh"
# The counters shown at the end are exact: one try per connection.
PEER_TRIES=1

cap=$(mktemp -d)
tcpdumps=()
unexpected=0

# lib.sh's cleanup may trip set -e when a process exits while it kills it:
# that must not turn a good demo into a failed one.
trap 'rc=$?; set +e; cleanup; exit $rc' EXIT

section() { printf '\n== %s\n\n' "$*"; }

# oops WHAT: flags a step that did not behave as the demo says it does.
oops() {
	echo "  !! UNEXPECTED: $*"
	unexpected=1
}

# hpctl ARGS: hairpinctl on the router, shown as an operator would type it.
hpctl() {
	local out

	echo "  router# hairpinctl $*"
	out=$(nsq router "$HAIRPINCTL" "$@")
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'
}

# connect NS ADDR WANT [NOTE]: connects NS (at ADDR) to the public address,
# port 80, and says what the server saw as its peer.  WANT is the peer
# address it must see, or empty when the connection must fail.
connect() {
	local got what

	got=$(peer_addr "$1" tcp "$PUBLIC" 80 2>/dev/null)
	if [ -n "$got" ]; then
		what="ok, the server sees $got${4:+ ($4)}"
	else
		what="FAILS: the connection times out${4:+ ($4)}"
	fi
	printf '  %-7s %-13s -> %s:80   %s\n' "$1" "$2" "$PUBLIC" "$what"
	[ "$got" = "$3" ] || oops "expected ${3:-a failure}"
}

# capture NAME NS DEV [ARGS]: tcpdump on one interface, for the SYNs and
# SYN/ACKs of port 80, into $cap/NAME.  Returns once tcpdump listens, as a
# packet sent before would be missed, and a fixed sleep is slow or racy.
capture() {
	local name=$1 n=$2 dev=$3

	shift 3
	# Not nsq, so that $! is tcpdump itself (ip netns exec execs it).
	ip netns exec "$n-$sfx" tcpdump -nn -l -t --immediate-mode -i "$dev" "$@" \
		'tcp port 80 and tcp[tcpflags] & tcp-syn != 0' \
		>"$cap/$name" 2>"$cap/$name.err" &
	tcpdumps+=($!)
	for _ in $(seq 100); do
		! grep -q 'listening on' "$cap/$name.err" || return 0
		sleep 0.1
	done
	cat "$cap/$name.err"
	echo "tcpdump on $n $dev did not start"
	return 1
}

# Stops the captures once each holds a SYN and a SYN/ACK (or after 5 s):
# SIGINT, so that tcpdump flushes what it has before exiting.
stop_captures() {
	local f n

	for _ in $(seq 50); do
		n=0
		for f in "${@/#/$cap/}"; do
			[ "$(wc -l <"$f")" -lt 2 ] || n=$((n + 1))
		done
		[ "$n" -lt $# ] || break
		sleep 0.1
	done
	kill -INT "${tcpdumps[@]}" 2>/dev/null || true
	wait "${tcpdumps[@]}" || true
}

# rows NAME HOP: the first SYN and SYN/ACK a capture saw as tab-separated
# "PACKET HOP SOURCE DESTINATION".  tcpdump writes
# "IP 192.168.1.100.40000 > 203.0.113.1.80: Flags [S.], ...": the port is
# after the last dot and a SYN/ACK's flags have one.
rows() {
	awk -v hop="$2" -v OFS='\t' '
	function ep(s, i) {
		sub(/:$/, "", s)
		i = match(s, /\.[0-9]+$/)
		return substr(s, 1, i - 1) ":" substr(s, i + 1)
	}
	$1 == "IP" {
		p = $6 ~ /\./ ? "SYN-ACK" : "SYN"
		if (!seen[p]++)
			print p, hop, ep($2), ep($4)
	}' "$cap/$1"
}

# at PACKET HOP: "SOURCE DESTINATION" of a packet as captured at a hop.
at() {
	awk -F'\t' -v p="$1" -v h="$2" '$1 == p && $2 == h { print $3, $4 }' "$cap/rows"
}

load_module
# lib.sh traces what seed_topology runs: the demo explains it instead.
seed_topology 2> >(grep -v '^\[+\]' >&2)

cat <<EOF

The seeds' network, one namespace per box.  The router masquerades the LAN
on the WAN, and is to map its public port 80 to the web server on the LAN:

  wanhost $WANHOST --- isp --- router  wan0   $PUBLIC (public)
                                           br-lan $ROUTER_LAN
                                                 |
                                     +-----------+-----------+
                                     |                       |
                           client $CLIENT   server $SERVER:80
EOF

section "1. The seeds' first attempt: a DNAT rule alone"
seeds="table ip seeds {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    fib daddr type local tcp dport 80 dnat to $SERVER:80
  }
}"
echo "  router# nft -f seeds.nft"
printf '%s\n' "$seeds" | sed 's/^/    /'
printf '%s\n' "$seeds" | nsq router nft -f -
echo
connect wanhost $WANHOST $WANHOST "the real client"
connect client $CLIENT "" "the seeds' failure"
cat <<EOF

  The server got the client's SYN with the client's own address as its
  source, so it answered it directly over the LAN, from $SERVER:80.  The
  client, which had asked $PUBLIC:80, answered that with a reset.
EOF

section "2. The same port mapping with hairpin"
echo "  router# nft delete table ip seeds; conntrack -F"
nsq router nft delete table ip seeds
nsq router conntrack -F 2>/dev/null
hpctl map add tcp 80 to $SERVER:80 comment web
hpctl map show
hpctl show
echo
connect wanhost $WANHOST $WANHOST "the real client"
connect client $CLIENT $ROUTER_LAN "the router: hairpinned"

section "3. One hairpinned connection, captured at every hop"
capture client client eth0
capture router-in router br-lan -Q in
capture router-out router br-lan -Q out
capture server server eth0
# A fixed source port, so that the table reads the same on every run.
got=$(peer_addr client tcp "$PUBLIC" 80 sourceport=40000 2>/dev/null)
[ "$got" = "$ROUTER_LAN" ] || oops "the connection failed"
stop_captures client router-in router-out server
echo "  client: connect to $PUBLIC:80 from port 40000; the SYN and SYN/ACK:"
echo
{
	rows client "client eth0"
	rows router-in "router br-lan in"
	rows router-out "router br-lan out"
	rows server "server eth0"
} >"$cap/rows"
# In the order the packets travel.
for p in SYN SYN-ACK; do
	hops=("client eth0" "router br-lan in" "router br-lan out" "server eth0")
	[ $p = SYN ] || hops=("server eth0" "router br-lan in" "router br-lan out" "client eth0")
	for h in "${hops[@]}"; do
		awk -F'\t' -v p=$p -v h="$h" '$1 == p && $2 == h' "$cap/rows"
	done
done >"$cap/table"
# Marking what each hop rewrote, which is what the seeds' tables are about.
awk -F'\t' '
	BEGIN {
		printf "  %-8s %-18s %-20s %-20s %s\n", "packet", "hop", "source", "destination", "rewritten"
	}
	{
		w = ""
		if ($1 == p && $3 != s)
			w = "source"
		if ($1 == p && $4 != d)
			w = w (w ? ", " : "") "destination"
		line = sprintf("  %-8s %-18s %-20s %-20s %s", $1, $2, $3, $4, w)
		sub(/ +$/, "", line)
		print line
		p = $1; s = $3; d = $4
	}' "$cap/table"
[ "$(wc -l <"$cap/table")" = 8 ] || oops "not every packet was captured at every hop"
case $(at SYN "server eth0") in
"$ROUTER_LAN:"*" $SERVER:80") ;;
*) oops "the server did not see the router as the source" ;;
esac
[ "$(at SYN-ACK "client eth0")" = "$PUBLIC:80 $CLIENT:40000" ] ||
	oops "the client did not get its answer from $PUBLIC:80"
cat <<EOF

  The router rewrote both addresses of the SYN, so the server answered it,
  and both of the SYN/ACK, so the client got it from where it had asked.
  Conntrack remembers both directions of the connection:

EOF
echo "  router# conntrack -L -p tcp --dport 80 --sport 40000"
ct=$(nsq router conntrack -L -p tcp --dport 80 --sport 40000 2>/dev/null)
printf '%s\n' "$ct" | sed 's/^/    /'
printf '%s\n' "$ct" | awk '{
	n = 0
	for (i = 1; i <= NF; i++)
		if (split($i, kv, "=") == 2 && kv[1] ~ /^(src|dst|sport|dport)$/)
			v[n++] = kv[2]
	printf "  original  %-20s -> %-20s as the client sent it\n", v[0] ":" v[2], v[1] ":" v[3]
	printf "  reply     %-20s -> %-20s as the server answers it\n", v[4] ":" v[6], v[5] ":" v[7]
}'
case $ct in
*"src=$SERVER dst=$ROUTER_LAN sport=80 dport=40000"*) ;;
*) oops "no conntrack entry with the reply through the router" ;;
esac

section "4. The mapping's counters"
hpctl map show
cat <<EOF

  conns: the connections the mapping forwarded, the WAN host's and the
  client's two; hairpinned: those it also made come back through the
  router, the client's two.
EOF
counters=$(nsq router "$HAIRPINCTL" map show | grep -o 'conns [0-9]* *hairpinned [0-9]*' | tr -s ' ')
[ "$counters" = "conns 3 hairpinned 2" ] || oops "expected conns 3 hairpinned 2"

echo
if [ $unexpected = 0 ]; then
	echo "demo: everything behaved as shown"
else
	echo "demo: FAILED, see UNEXPECTED above"
	exit 1
fi

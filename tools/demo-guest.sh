#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo proper, run as root in the VM by tools/demo.sh: the seeds' network
# in namespaces, their failure with a DNAT rule alone, the same port mapping
# with hairpinctl, and one hairpinned connection captured at every hop -- the
# table seeds 000 and 001 draw by hand.  Then the second act, seed 003: peers
# punching holes with tools/punch through two routers and through one, which
# plain masquerade fails (conntrack shows why) and masq makes work.  The
# third, issue 22: a forward that upnpc asked miniupnpd for fails from the
# LAN, and works with "set scope all" and "upnp follow".  Exits
# non-zero if anything did not behave as shown, so that make demo fails
# rather than show a broken demo.
set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/../selftests/lib.sh"
# The counters shown at the end are exact: one try per connection.
PEER_TRIES=1
PUNCH=${PUNCH:-$top/tools/punch/punch}

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
hpctl() { hpctl_on router "$@"; }

# hpctl_on NS ARGS: the same on any router.
hpctl_on() {
	local n=$1 out

	shift
	echo "  $n# hairpinctl $*"
	out=$(nsq "$n" "$HAIRPINCTL" "$@")
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'
}

# connect NS ADDR WANT [NOTE]: connects NS (at ADDR) to the public address,
# port $PORT (80 if unset), and says what the server saw as its peer.  WANT
# is the peer address it must see, or empty when the connection must fail
# (how: $FAILS, if it does not time out).
connect() {
	local got what port=${PORT:-80}

	got=$(peer_addr "$1" tcp "$PUBLIC" "$port" 2>/dev/null)
	if [ -n "$got" ]; then
		what="ok, the server sees $got${4:+ ($4)}"
	else
		what="FAILS: ${FAILS:-the connection times out}${4:+ ($4)}"
	fi
	printf '  %-7s %-13s -> %-16s %s\n' "$1" "$2" "$PUBLIC:$port" "$what"
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

# Act 2, seed 003: the network of selftests/punch.sh, a second router with a
# peer behind it (lib.sh's add_router2), and the rendezvous server on
# wanhost.
# wrap: a paragraph of the explanation, whose names and numbers vary.
wrap() { fmt -w 74 | sed 's/^/  /'; }

# punch_pair WAIT NS1 NAME1 PORT1 NS2 NAME2 PORT2: two peers punch, the
# second started once the first has registered with S, as people would
# start them.  Shows the commands and what each peer printed in the end;
# their steps (-v) go to $cap/NAME.err for the table, their status to
# $cap/NAME.rc.
punch_pair() {
	local w=$1 n1=$2 a=$3 p1=$4 n2=$5 b=$6 p2=$7 f pids=()

	printf '  %-8s punch peer -v -w %s -p %s %s %s %s &\n' "$n1\$" "$w" "$p1" $WANHOST "$a" "$b"
	run_peer "$n1" "$w" "$p1" "$a" "$b" &
	pids+=($!)
	until_ok 10 grep -q ": register $a [^ ]*:$p1: registered" "$cap/s" ||
		oops "$a did not register with S"
	printf '  %-8s punch peer -v -w %s -p %s %s %s %s\n' "$n2\$" "$w" "$p2" $WANHOST "$b" "$a"
	run_peer "$n2" "$w" "$p2" "$b" "$a" &
	pids+=($!)
	wait "${pids[@]}"
	for f in "$a" "$b"; do
		if [ -s "$cap/$f.out" ]; then
			sed 's/^/    /' "$cap/$f.out"
		else
			tail -n 1 "$cap/$f.err" | sed 's/^/    /'
		fi
	done
}
run_peer() {
	local rc=0

	nsq "$1" "$PUNCH" peer -v -w "$2" -p "$3" $WANHOST "$4" "$5" \
		>"$cap/$4.out" 2>"$cap/$4.err" || rc=$?
	echo $rc >"$cap/$4.rc"
}

# hops NAME1 NAME2: each peer's endpoint as each hop saw it, from the
# peers' steps and S's log, into priv1, pub1 and seen1 for NAME1: its
# socket's (as it told S), where S saw it register from, and where the
# other peer got its first punch or hello from ("nothing": none came);
# priv2, pub2 and seen2 for NAME2.  One awk for all of it, as every process
# started costs a tenth of a second in an emulated guest.
hops() {
	read -r priv1 pub1 seen1 priv2 pub2 seen2 < <(awk -v a="$1" -v b="$2" '
	function dflt(v, d) { return v == "" ? d : v }
	FILENAME ~ /\/s$/ && $4 == "register" { pub[$5] = substr($3, 1, length($3) - 1) }
	$3 == "registered" && $4 == "with" { priv[substr($2, 1, length($2) - 1)] = $NF }
	($3 == "punch" || $3 == "hello") && $4 == "from" && !($5 in seen) { seen[$5] = $7 }
	END {
		print dflt(priv[a], "-"), dflt(pub[a], "-"), dflt(seen[a], "nothing"),
			dflt(priv[b], "-"), dflt(pub[b], "-"), dflt(seen[b], "nothing")
	}' "$cap/s" "$cap/$1.err" "$cap/$2.err")
}

# endpoints NAME1 NAME2: the table of what hops found.
endpoints() {
	local row='  %-26s %-22s %s\n'

	hops "$1" "$2"
	echo
	# shellcheck disable=SC2059 # one format for every row
	{
		printf "$row" "" "$1" "$2"
		printf "$row" "its socket (private)" "$priv1" "$priv2"
		printf "$row" "as S saw it (public)" "$pub1" "$pub2"
		printf "$row" "as the other peer saw it" "$seen1" "$seen2"
	}
	echo
}

# connected NAME1 NAME2: after endpoints, both connected, each to where S
# saw the other, and each saw the other there.
connected() {
	local rc1 rc2 out1='' out2=''

	read -r rc1 <"$cap/$1.rc"
	read -r rc2 <"$cap/$2.rc"
	read -r out1 <"$cap/$1.out" || true
	read -r out2 <"$cap/$2.out" || true
	[ "$rc1 $rc2" = "0 0" ] &&
		[ "$out1" = "$1: connected to $2 at $pub2 (public) over udp" ] &&
		[ "$out2" = "$2: connected to $1 at $pub1 (public) over udp" ] &&
		[ "$seen1" = "$pub1" ] && [ "$seen2" = "$pub2" ]
}
# failed NAME1 NAME2: neither connected.
failed() { [ ! -s "$cap/$1.out" ] && [ ! -s "$cap/$2.out" ]; }

indent() { printf '%s\n' "$1" | sed 's/^/    /'; }

# ct NS ARGS: conntrack -L on a router, shown as typed; the lines in $ct.
ct() {
	local n=$1

	shift
	echo "  $n# conntrack -L $*"
	ct=$(nsq "$n" conntrack -L "$@" 2>/dev/null) || true
	indent "$ct"
}

# moved ROUTER NAME OTHER PUBLIC OTHER-PUBLIC PRIVATE: if OTHER's first
# punch reached ROUTER, NAME's, before NAME's own punch went out, shows the
# two entries that break the punch and says why; else returns 1 having
# shown nothing.
moved() {
	local r=$1 a=$2 b=$3 pa=$4 pb=$5 ep=$6 early flow port

	early=$(nsq "$r" conntrack -L -p udp -s "${pb%:*}" -d "${pa%:*}" 2>/dev/null) || true
	flow=$(nsq "$r" conntrack -L -p udp -s "${ep%:*}" -d "${pb%:*}" 2>/dev/null) || true
	case $early in
	*"src=${pb%:*} dst=${pa%:*} sport=${pb#*:} dport=${pa#*:} "*"src=${pa%:*} dst=${pb%:*} sport=${pa#*:} dport=${pb#*:} "*) ;;
	*) return 1 ;;
	esac
	port=${flow#*"src=${pb%:*} dst=${pa%:*} sport=${pb#*:} dport="}
	port=${port%% *}
	[[ $port =~ ^[0-9]+$ ]] && [ "$port" != "${pa#*:}" ] || return 1
	echo "  $r# conntrack -L -p udp -s ${pb%:*} -d ${pa%:*}"
	indent "$early"
	echo "  $r# conntrack -L -p udp -s ${ep%:*} -d ${pb%:*}"
	indent "$flow"
	echo
	wrap <<EOF
$b's first punch reached $a's router before $a had sent anything to $b:
with no connection of $a's to match, conntrack took it for one to the
router itself (the first entry: its reply is not rewritten), which holds
$pa <-> $pb.  So $a's own punches to $b could not leave from $pa, where
S told $b to send: masquerade moved them to port $port (the second
entry), not where $b's punches went, so $b's router lets none of them
in.  And $b's punches still go to the router itself.
EOF
}

cat <<EOF

== Act 2: peer to peer

Seed 003: two peers meet at a rendezvous server S, learn each other's
endpoints there (the public one S saw, the private one the peer told it)
and send to both at once: hole punching, with tools/punch.  A second
router joins, with a peer behind it; client2 is on the router's guest
network, which the router does not forward to or from br-lan.

                    wanhost $WANHOST: S, punch server
                                   |
                                  isp
                      /                         \\
         router wan0 $PUBLIC           router2 wan0 $ROUTER2
  br-lan $ROUTER_LAN     lan2 10.0.2.1             lan 192.168.2.1
        |                     |                           |
  client $CLIENT   client2 $CLIENT2      peer2 $PEER2
     (alice)                (carol)                    (bob)

Both routers masquerade what leaves by wan0 with nftables, as in act 1.
EOF
add_router2 2> >(grep -v '^\[+\]' >&2)
guest_network 2> >(grep -v '^\[+\]' >&2)
nsq wanhost "$PUNCH" server -v 2>"$cap/s" &
wait_for_port wanhost udp 7717

section "5. Two peers behind two routers, through masquerade"
punch_pair 4 client alice 40000 peer2 bob 50000
endpoints alice bob
failed alice bob || oops "a peer connected through plain masquerade"
moved router alice bob "$pub1" "$pub2" "$priv1" ||
	moved router2 bob alice "$pub2" "$pub1" "$priv2" ||
	oops "no entry shows a punch that came too early"

section "6. Two peers behind one router, through masquerade"
punch_pair 4 client alice 41000 client2 carol 51000
endpoints alice carol
failed alice carol || oops "a peer connected through plain masquerade"
ct router -p udp -s $CLIENT -d $PUBLIC
case $ct in
*"src=$CLIENT dst=$PUBLIC sport=41000 dport=51000 "*"src=$PUBLIC dst=$CLIENT sport=51000 dport=41000 "*) ;;
*) oops "alice's punches did not stop at the router" ;;
esac
echo
wrap <<EOF
alice's punches to carol's public endpoint, $PUBLIC:51000, were for the
router itself: nothing maps that port, so conntrack did not rewrite them
(their reply goes back from $PUBLIC), and the router, with no socket
there, dropped them, as it did carol's.  Masquerade rewrites what leaves
by wan0, and these never leave: it has no hairpin.  Nor do the private
endpoints help, as the router forwards nothing between its two LANs.
EOF

section "7. Two peers behind two routers, through masq"
echo "  router# conntrack -F; router2# conntrack -F    (forget the tries above)"
nsq router conntrack -F 2>/dev/null
nsq router2 conntrack -F 2>/dev/null
hpctl_on router masq add dev wan0
hpctl_on router2 masq add dev wan0
echo
punch_pair 10 client alice 42000 peer2 bob 52000
endpoints alice bob
connected alice bob || oops "alice and bob did not connect at their public endpoints"
hpctl binding show
echo
wrap <<EOF
masq gave alice's socket one public endpoint, a binding, whatever it
sends to: S and bob see it at the same $pub1, and bob's punches
to it reach alice, early or not (filter independent), where plain
masquerade took them for the router's own.  (conns: the entries that
used the binding at the last walk of the conntrack table, every 10 s.)
EOF

section "8. Two peers behind one router, through masq"
punch_pair 10 client alice 43000 client2 carol 53000
endpoints alice carol
connected alice carol || oops "alice and carol did not connect at their public endpoints"
# One entry for the punches both ways: the first one's, most often carol's.
a=carol b=alice pa=$priv2 pb=$priv1 ua=$pub2 ub=$pub1
ct=$(nsq router conntrack -L -p udp -s $CLIENT2 -d $PUBLIC 2>/dev/null) || true
if [ -z "$ct" ]; then
	a=alice b=carol pa=$priv1 pb=$priv2 ua=$pub1 ub=$pub2
	ct=$(nsq router conntrack -L -p udp -s $CLIENT -d $PUBLIC 2>/dev/null) || true
fi
echo "  router# conntrack -L -p udp -s ${pa%:*} -d $PUBLIC"
indent "$ct"
case $ct in
*"src=${pa%:*} dst=${ub%:*} sport=${pa#*:} dport=${ub#*:} "*"src=${pb%:*} dst=${ua%:*} sport=${pb#*:} dport=${ua#*:} "*) ;;
*) oops "the punches were not hairpinned" ;;
esac
echo
wrap <<EOF
The router hairpinned the punches: $a's to $ub went on to $b's socket,
$pb, as from $a's binding, $ua, where S had told $b to send.  $b's
punches to $a are the same entry's reply, and take the same way back.
EOF

# Act 3, issue 22: a forward that miniupnpd made for a LAN host, with the
# helpers of selftests/upnp.sh.
cat <<EOF

== Act 3: a forward that miniupnpd made

Most forwards on a home router are asked for by the LAN's own hosts, over
UPnP IGD or NAT-PMP, and on Linux miniupnpd answers them with DNAT rules
of its own.  It refuses a documentation address as its public one: from
here on the router's WAN is $UPNP_PUBLIC (nothing leaves this VM).
EOF

section "9. A UPnP forward, made by upnpc"
upnp_router "$cap" 2> >(grep -v '^\[+\]' >&2)
echo "  router# miniupnpd -f miniupnpd.conf -d &"
sed 's/^/    /' "$cap/miniupnpd.conf"
echo "  server# upnpc -e web -a $SERVER 80 8080 TCP"
out=$(upnpc_on server -e web -a $SERVER 80 8080 TCP 2>/dev/null | tail -n 1)
indent "$out"
case $out in
"external $PUBLIC:8080 TCP is redirected to internal $SERVER:80"*) ;;
*) oops "upnpc did not get the forward" ;;
esac
echo "  router# nft list chain inet filter prerouting_miniupnpd"
nsq router nft list chain inet filter prerouting_miniupnpd | grep dnat | sed 's/^\t*/    /'
echo
PORT=8080 connect wanhost $WANHOST $WANHOST "the real client"
PORT=8080 FAILS=refused connect client $CLIENT "" "the router's own port"
echo
wrap <<EOF
miniupnpd's rule takes only what comes in by wan0: the client's
connection to $PUBLIC:8080 is for the router itself, where nothing
listens.  As nothing destination-NATed it, no source NAT can help.
EOF

section "10. hairpin following miniupnpd"
# mirror PORT: hairpin has a mirror of that port.
mirror() {
	nsq router "$HAIRPINCTL" -j map show |
		jq -e ".mappings[] | select(.mirror and .port == $1)" >/dev/null
}
no_mirror() { ! mirror "$1"; }
hpctl set scope all
echo "  router# hairpinctl upnp follow $cap/leases &"
nsq router "$HAIRPINCTL" upnp follow "$cap/leases" >"$cap/follow" 2>&1 &
until_ok 10 mirror 8080 || oops "follow did not mirror the forward"
hpctl map show
echo
PORT=8080 connect client $CLIENT $ROUTER_LAN "the router: hairpinned"
PORT=8080 connect wanhost $WANHOST $WANHOST "as before"
echo
wrap <<EOF
follow mirrors miniupnpd's lease file (lease_file= in its config) into
hairpin: a mirror serves only internal clients, and lasts as long as
miniupnpd's forward.
EOF
echo
echo "  server# upnpc -d 8080 TCP"
upnpc_on server -d 8080 TCP >/dev/null 2>&1
until_ok 10 no_mirror 8080 || oops "the mirror outlived the forward"
echo "  router: what follow printed"
indent "$(cat "$cap/follow")"
PORT=8080 FAILS=refused connect client $CLIENT "" "the forward is gone"

echo
if [ $unexpected = 0 ]; then
	echo "demo: everything behaved as shown"
else
	echo "demo: FAILED, see UNEXPECTED above"
	exit 1
fi

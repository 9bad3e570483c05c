#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the selftests: kselftest conventions (a PASS:/FAIL: line per
# check, exit 4 to skip), namespace helpers that print what they run, and the
# seeds' topology.
#
# Every test sources this, builds its own namespaces with a random suffix and
# removes them on exit, so tests never see each other's state.

ksft_skip=4
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HAIRPIN_KO=${HAIRPIN_KO:-$top/kmod/hairpin.ko}
HAIRPINCTL=${HAIRPINCTL:-$top/tools/hairpinctl/hairpinctl}
sfx=$(printf '%04x' $((RANDOM)))
passed=0
failed=0
namespaces=()
# peer() writes a line here per try: a test that counts connections exactly
# expects one per try, not one per call (peer_tries).
peer_log=$(mktemp /tmp/hairpin-peer.XXXXXX)
# A FIFO that nothing writes to: "read -t" on it sleeps without a process
# (nap), where sleep(1) would cost a third of a second on the debug kernel.
nap_fifo=$(mktemp -u /tmp/hairpin-nap.XXXXXX)
mkfifo "$nap_fifo"

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "SKIP: $*"; exit $ksft_skip; }

# check DESCRIPTION CMD...: passes when CMD succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# ns NAME CMD...: runs CMD in namespace NAME, printing it first.
ns() {
	local n=$1
	shift
	echo "[+] $n: $*" >&2
	ip netns exec "$n-$sfx" "$@"
}

# quiet: the same without the trace, for polling loops.
nsq() {
	local n=$1
	shift
	ip netns exec "$n-$sfx" "$@"
}

add_ns() {
	local n
	for n in "$@"; do
		ip netns add "$n-$sfx"
		namespaces+=("$n-$sfx")
		ip -n "$n-$sfx" link set lo up
	done
}

cleanup() {
	local n
	for n in "${namespaces[@]}"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	namespaces=()
	rm -f "$peer_log" "$nap_fifo"
}

finish() {
	cleanup
	echo "# $passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit $?
}

# check_no_leaks: with kmemleak (the debug kernel), a scan finds nothing
# unreferenced. It reports an object only once it is 5 seconds old and was
# unreferenced in two scans in a row.
check_no_leaks() {
	local leaks=/sys/kernel/debug/kmemleak
	[ -w $leaks ] || return 0
	sleep 5
	echo scan >$leaks
	echo scan >$leaks
	check_eq "kmemleak: no leak" "" "$(cat $leaks)"
}

# veth A IFA B IFB: a link between namespaces A and B.
veth() {
	ip link add "$2" netns "$1-$sfx" type veth peer name "$4" netns "$3-$sfx"
	ip -n "$1-$sfx" link set "$2" up
	ip -n "$3-$sfx" link set "$4" up
}

# insmod_hairpin [PARAM...]: inserts the module under test, with
# HAIRPIN_KO_PARAMS (the debug lane's: a shorter self-test at each load).
insmod_hairpin() {
	# shellcheck disable=SC2086 # words, as insmod takes them
	insmod "$HAIRPIN_KO" $HAIRPIN_KO_PARAMS "$@"
}
export -f insmod_hairpin

load_module() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -r "$HAIRPIN_KO" ] || skip "module not built: $HAIRPIN_KO"
	command -v socat >/dev/null || skip "socat not installed"
	# Tests run side by side: one loads it, the others wait for that.
	if ! flock /run/hairpin-selftests.lock bash -c '
		grep -q "^hairpin " /proc/modules && exit 0
		modprobe -q nf_nat || exit 4
		insmod_hairpin' _; then
		[ $? != 4 ] || skip "no nf_nat"
		fail "insmod $HAIRPIN_KO"
		exit 1
	fi
}

hp() { ns "$1" "$HAIRPINCTL" "${@:2}"; }
# hpq ARGS...: hairpinctl in the router's namespace, not logged.
hpq() { nsq router "$HAIRPINCTL" "$@"; }

# expect DESCRIPTION EXIT MESSAGE CMD...: CMD exits with EXIT and prints
# exactly MESSAGE on stderr.
expect() {
	local what=$1 want_rc=$2 want=$3 got rc
	shift 3
	got=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		pass "$what: exit $rc, $got"
	else
		fail "$what: expected exit $want_rc, '$want'; got exit $rc, '$got'"
	fi
}

# nap SECONDS: sleeps, in the shell itself.
nap() { read -rt "$1" <>"$nap_fifo" || true; }

# until_ok SECONDS CMD...: polls CMD until it succeeds, for at most SECONDS,
# every UNTIL_OK_NAP seconds (0.05).
until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt "$end" ] || return 1
		nap "${UNTIL_OK_NAP:-0.05}"
	done
}

# start_monitor FILE [OPTIONS]: hairpinctl OPTIONS monitor in the router's
# namespace, stdout to FILE, stderr to FILE.err, its pid in mon_pid. Returns
# once it is subscribed: until then, we set the current hairpin mode again
# (no change, but an event) and wait for it to show.
start_monitor() {
	local out=$1
	shift
	echo "[+] router: hairpinctl $* monitor >$out &" >&2
	ip netns exec "router-$sfx" "$HAIRPINCTL" "$@" monitor >"$out" 2>"$out.err" &
	mon_pid=$!
	until_ok 10 probe "$out" || fail "monitor $* never showed an event"
}
probe() {
	hpq set hairpin "$(hpq -j show | jq -r .hairpin)"
	[ -s "$1" ]
}
# gone: the monitor has exited.
gone() { ! kill -0 "$mon_pid" 2>/dev/null; }

# wait_for_port NS PROTO PORT: until something listens there.
wait_for_port() {
	local flag=-tln i
	[ "$2" = udp ] && flag=-uln
	for ((i = 0; i < 100; i++)); do
		nsq "$1" ss -H "$flag" "sport = :$3" | grep -q . && return 0
		nap 0.05
	done
	echo "# nothing listens on $1 $2/$3" >&2
	return 1
}

# serve PROTO NS PORT: a server that answers every connection or datagram
# with the peer address and port it sees, and the name of its namespace.
# socat gives the answer 10 s (-t) once the question has ended, not its
# 0.5 s: on a loaded guest starting the shell that answers took longer,
# and the answer was lost.
serve() {
	local proto=$1 name=$2 port=$3 listen
	case $proto in
	tcp) listen="TCP-LISTEN:$port,fork,reuseaddr" ;;
	udp) listen="UDP-RECVFROM:$port,fork,reuseaddr" ;;
	esac
	echo "[+] $name: serve $proto/$port" >&2
	nsq "$name" socat -t 10 "$listen" \
		SYSTEM:"echo \$SOCAT_PEERADDR \$SOCAT_PEERPORT $name" >/dev/null 2>&1 &
	wait_for_port "$name" "$proto" "$port"
}

# peer NS PROTO ADDR PORT [SOCAT-OPTS]: connects and prints what the server
# answered ("PEER-ADDRESS PEER-PORT SERVER-NAME"), or nothing. A slow guest
# (TCG on a loaded host) can miss a deadline: an answer gets $PEER_TRIES
# tries. A check that expects none uses no_answer, which tries once.
# The answer is taken as soon as it comes: UDP has no end, and socat would
# wait out its 3 s after the question for more (three seconds a datagram,
# which once made a third of the suite). socat goes then, and with it its
# socket, which a next try from the same source port must not compete with.
peer() {
	local n=$1 proto=$2 addr=$3 port=$4 opts=${5:+,$5} target out fd pid i
	case $proto in
	tcp) target="TCP:$addr:$port,connect-timeout=3$opts" ;;
	udp) target="UDP:$addr:$port$opts" ;;
	esac
	# No process that a builtin can spare: on the debug kernel each costs
	# a third of a second, and peer() is the suite's commonest step.
	for ((i = 0; i < ${PEER_TRIES:-5}; i++)); do
		echo "[+] $n: $proto connect $addr:$port" >&2
		echo "$n $proto $addr:$port" >>"$peer_log"
		exec {fd}< <(exec ip netns exec "$n-$sfx" \
			socat -T 5 -t 3 - "$target" <<<x 2>/dev/null)
		pid=$!
		out=
		read -r -t 10 -u "$fd" out || true
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		exec {fd}<&-
		[ -z "$out" ] || break
	done
	echo "$out"
}

# peer_tries [PATTERN]: how many tries peer() made (whose "NS PROTO
# ADDR:PORT" matches PATTERN) since the last peer_tries_reset.
peer_tries() { grep -c -- "${1:-.}" "$peer_log" || true; }
peer_tries_reset() { : >"$peer_log"; }

# no_answer NS PROTO ADDR PORT [SOCAT-OPTS]: true if nothing answers.
no_answer() { [ -z "$(PEER_TRIES=1 peer "$@")" ]; }

# peer_addr: the address part of what peer printed.
peer_addr() { peer "$@" | cut -d' ' -f1; }

# peer_who: the address the server saw and the server's name.
peer_who() { peer "$@" | cut -d' ' -f1,3; }

# end_host NS ADDR/LEN GATEWAY: NS's eth0 up with that address and default route.
end_host() {
	ip -n "$1-$sfx" -b - <<-EOT
	link set eth0 up
	addr add $2 dev eth0
	route add default via $3
	EOT
}

# The seeds' topology:
#
#   wanhost 198.51.100.2 --- isp 198.51.100.1 / 203.0.113.254
#                                         |
#                                  wan0 203.0.113.1 (public)
#                                      router
#          br-lan 192.168.1.1/24                    lan2 10.0.2.1/24
#          /                 \                             |
#   client 192.168.1.100   server 192.168.1.10     client2 10.0.2.100
#
# The router routes between the LAN, the second internal subnet and the WAN,
# and masquerades what leaves by wan0, as a home router does.
PUBLIC=203.0.113.1
SERVER=192.168.1.10
ROUTER_LAN=192.168.1.1
CLIENT=192.168.1.100
CLIENT2=10.0.2.100
WANHOST=198.51.100.2

seed_topology() {
	add_ns router server client client2 isp wanhost
	# Batches, one "ip" a namespace: in an emulated guest every process
	# started costs a tenth of a second.
	ip -b - <<-EOT
	link add isp0 netns isp-$sfx type veth peer name wan0 netns router-$sfx
	link add isp1 netns isp-$sfx type veth peer name eth0 netns wanhost-$sfx
	link add lan2 netns router-$sfx type veth peer name eth0 netns client2-$sfx
	link add lan-server netns router-$sfx type veth peer name eth0 netns server-$sfx
	link add lan-client netns router-$sfx type veth peer name eth0 netns client-$sfx
	EOT
	ip -n "router-$sfx" -b - <<-EOT
	link add br-lan type bridge
	link set lan-server master br-lan
	link set lan-client master br-lan
	link set br-lan up
	link set wan0 up
	link set lan2 up
	link set lan-server up
	link set lan-client up
	addr add $PUBLIC/24 dev wan0
	route add default via 203.0.113.254
	addr add $ROUTER_LAN/24 dev br-lan
	addr add 10.0.2.1/24 dev lan2
	EOT
	ip -n "isp-$sfx" -b - <<-EOT
	link set isp0 up
	link set isp1 up
	addr add 203.0.113.254/24 dev isp0
	addr add 198.51.100.1/24 dev isp1
	EOT
	end_host wanhost $WANHOST/24 198.51.100.1
	end_host server $SERVER/24 $ROUTER_LAN
	end_host client $CLIENT/24 $ROUTER_LAN
	end_host client2 $CLIENT2/24 10.0.2.1
	nsq isp sysctl -qw net.ipv4.ip_forward=1
	# Hairpinned packets leave by the interface they came in on: no ICMP
	# redirects, which would teach the client to bypass the router.
	# Once br_netfilter is loaded (bridge.sh), new namespaces pass bridged
	# traffic through conntrack by default, which de-NATs the server's
	# direct answer and makes the seeds' failure vanish: say what we want.
	local bridge_nf=
	[ ! -e /proc/sys/net/bridge ] || bridge_nf=net.bridge.bridge-nf-call-iptables=0
	nsq router sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.br-lan.send_redirects=0 $bridge_nf
	nsq router nft -f - <<-EOT
	table ip home {
		chain postrouting {
			type nat hook postrouting priority srcnat;
			oifname "wan0" masquerade
		}
	}
	EOT
	serve tcp server 80
	serve udp server 53
}

# A second server on the LAN, for tests that need two.
SERVER2=192.168.1.20
add_server2() {
	add_ns server2
	veth router lan-server2 server2 eth0
	ip -n "router-$sfx" link set lan-server2 master br-lan
	ip -n "server2-$sfx" addr add $SERVER2/24 dev eth0
	ip -n "server2-$sfx" route add default via $ROUTER_LAN
}

# A second home router on the ISP, with one host behind it and plain
# nftables masquerade on its WAN, as routers ship. For peer to peer:
#   isp2 192.0.2.254 -- wan0 router2 lan 192.168.2.1 -- eth0 peer2
ROUTER2=192.0.2.1
PEER2=192.168.2.100
add_router2() {
	add_ns router2 peer2
	ip link add isp2 netns "isp-$sfx" type veth peer name wan0 netns "router2-$sfx"
	ip link add lan netns "router2-$sfx" type veth peer name eth0 netns "peer2-$sfx"
	ip -n "isp-$sfx" -b - <<-EOT
	link set isp2 up
	addr add 192.0.2.254/24 dev isp2
	EOT
	ip -n "router2-$sfx" -b - <<-EOT
	link set wan0 up
	link set lan up
	addr add $ROUTER2/24 dev wan0
	addr add 192.168.2.1/24 dev lan
	route add default via 192.0.2.254
	EOT
	end_host peer2 $PEER2/24 192.168.2.1
	nsq router2 sysctl -qw net.ipv4.ip_forward=1
	ns router2 nft -f - <<-EOT
	table ip home {
		chain postrouting {
			type nat hook postrouting priority srcnat;
			oifname "wan0" masquerade
		}
	}
	EOT
}

# guest_network: the router forwards nothing between its two LANs but the
# connections it destination-NATed, as for a guest network: hosts behind it
# reach each other only by the public address, as behind two routers.
guest_network() {
	ns router nft -f - <<-EOT
	table inet guest {
		chain forward {
			type filter hook forward priority filter;
			ct status dnat accept
			iifname "lan2" oifname "br-lan" drop
			iifname "br-lan" oifname "lan2" drop
		}
	}
	EOT
}

# miniupnpd on the seeds' router (selftests/upnp.sh and the demo). It
# refuses a reserved address as its external one, the documentation ranges
# of $PUBLIC among them: the router's WAN gets UPNP_PUBLIC instead, a
# routable address, only ever inside a guest, which has no network card,
# so nothing leaves it. Its HTTP port is fixed, so that upnpc takes the
# root description's URL and skips SSDP discovery.
UPNP_PUBLIC=20.0.0.1
UPNP_PORT=5000
UPNP_URL=http://$ROUTER_LAN:$UPNP_PORT/rootDesc.xml

# upnp_router DIR: after seed_topology, the router's WAN readdressed
# (PUBLIC too); the nftables chains miniupnpd writes to, with the hooks and
# policy that its package's nft_init.sh gives them (that script needs a
# file of the package miniupnpd, which we do not install); and miniupnpd
# started on br-lan with UPnP IGD, NAT-PMP and PCP, secure mode, and the
# LAN allowed to forward ports from 1024 up. Its config, leases and log in
# DIR; returns once it listens.
upnp_router() {
	local d=$1

	ip -n "router-$sfx" -b - <<-EOT
	addr flush dev wan0
	addr add $UPNP_PUBLIC/24 dev wan0
	route add default via 20.0.0.254
	EOT
	ip -n "isp-$sfx" addr add 20.0.0.254/24 dev isp0
	PUBLIC=$UPNP_PUBLIC
	ns router nft -f - <<-EOT
	table inet filter {
		chain forward {
			type filter hook forward priority filter; policy drop;
			ct state established,related accept
			iifname != "wan0" accept
			jump miniupnpd
		}
		chain miniupnpd {
		}
		chain prerouting {
			type nat hook prerouting priority dstnat;
			jump prerouting_miniupnpd
		}
		chain prerouting_miniupnpd {
		}
		chain postrouting {
			type nat hook postrouting priority srcnat;
			jump postrouting_miniupnpd
		}
		chain postrouting_miniupnpd {
		}
	}
	EOT
	cat >"$d/miniupnpd.conf" <<-EOT
	ext_ifname=wan0
	listening_ip=br-lan
	http_port=$UPNP_PORT
	enable_upnp=yes
	enable_natpmp=yes
	secure_mode=yes
	lease_file=$d/leases
	uuid=3b9c1c0e-6f3a-4b35-9d2a-2f0c5c1e7a10
	allow 1024-65535 192.168.1.0/24 1-65535
	deny 0-65535 0.0.0.0/0 0-65535
	EOT
	# It logs to stderr and to syslog; with no syslog daemon, glibc writes
	# that to the console, which is the guest's output: not there, in the
	# mount namespace of its own that ip netns exec gives it.
	echo "[+] router: miniupnpd -f $d/miniupnpd.conf -d &" >&2
	nsq router sh -c 'mount --bind /dev/null /dev/console && exec "$@"' - \
		miniupnpd -f "$d/miniupnpd.conf" -d -P "$d/miniupnpd.pid" >"$d/miniupnpd.log" 2>&1 &
	wait_for_port router tcp $UPNP_PORT && wait_for_port router udp 5351
}

# upnpc_on NS ARGS...: upnpc on a LAN host, asking the router's miniupnpd.
upnpc_on() { ns "$1" upnpc -u "$UPNP_URL" "${@:2}"; }

trap cleanup EXIT

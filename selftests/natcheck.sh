#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# natcheck: masq as third-party tools see it (issue #21).
#
# coturn's turnutils_natdiscovery classifies the router by RFC 5780,
# against a turnserver with two public addresses: masq gets
# endpoint-independent mapping, the filtering its rule asks for, and
# hairpinning. Plain nftables masquerade, the control, gets
# endpoint-independent mapping (it keeps the port) but address-and-port-
# dependent filtering, and no hairpinning.
#
# nat-traverse, told nothing but the peer's router and port (masq keeps the
# port), connects two hosts behind two routers, and two behind one,
# NATCHECK_TRIES (default 20) tries of as many, each on ports of its own.
# The tries run at once: nat-traverse is perl, which takes seconds to start
# in an emulated guest, and a try lasts its window of packets, 6 s. The
# control, NATCHECK_CONTROL_TRIES (default 5) tries through plain
# masquerade on both routers, connects none: client's side starts first,
# and peer2's only once client's packets have reached router2, where the
# entry each leaves moves peer2's flow off its port. (Started together, a
# try through plain masquerade connects when both sides' first packets
# cross: in an emulated guest, now and then.)
#
#          wanhost 198.51.100.2 and .4: turnserver (STUN, RFC 5780)
#                          |
#      isp 198.51.100.1 / 203.0.113.254 / 192.0.2.254
#            |                                 |
#   router wan0 203.0.113.1            router2 wan0 192.0.2.1
#     br-lan 192.168.1.1  lan2 10.0.2.1      lan 192.168.2.1
#        |                  |                  |
#   client .1.100       client2 10.0.2.100    peer2 192.168.2.100
#
# As in punch.sh, the router forwards nothing between its two LANs but
# connections it destination-NATed (a guest network): client and client2
# reach each other only by the public address.
source "$(dirname "$0")/lib.sh"
for tool in turnserver turnutils_natdiscovery nat-traverse; do
	command -v $tool >/dev/null || skip "$tool not installed (coturn, nat-traverse)"
done
load_module
tries=${NATCHECK_TRIES:-20}
nat_traverse=$(command -v nat-traverse)
tmp=$(mktemp -d /tmp/natcheck.XXXXXX)
trap 'cleanup; rm -rf "$tmp"' EXIT
seed_topology
STUN=$WANHOST
STUN2=198.51.100.4
ip -n "wanhost-$sfx" addr add $STUN2/24 dev eth0

# A STUN server only, on both addresses, on 3478 and 3479 each: RFC 5780's
# CHANGE-REQUEST is answered from the other address or port. No
# configuration file, no TLS, no CLI; its files in $tmp. It starts while
# we build the rest.
echo "[+] wanhost: turnserver -L $STUN -L $STUN2" >&2
nsq wanhost turnserver -n --stun-only --no-tls --no-dtls --no-cli \
	-L $STUN -L $STUN2 --log-file="$tmp/turn.log" --simple-log \
	--no-stdout-log --pidfile="$tmp/turn.pid" --userdb="$tmp/turndb" \
	>/dev/null 2>&1 &

add_router2
guest_network

# One host's nat-traverse tries: perl loads the modules nat-traverse uses
# and forks a child a try, which waits; once told to go, all of them run
# nat-traverse's own file, unchanged, in its test mode
# (--quit-after-connect: exit 0 once each side has the other's ACK). It
# prints the tries that connected. Ready beforehand, the sides start within
# a second or two of each other, in an emulated guest too, where perl takes
# seconds to start: a try connects if the later side's first packet leaves
# before the earlier one's ACK, which follows its --window packets, one a
# second.
cat >"$tmp/nt.pl" <<'PERL'
use strict;
use warnings;
use Getopt::Long;
use IO::Socket::INET;
use POSIX ();

# Each try: NAME=LOCALPORT:PEER:PEERPORT. A round's hosts go together.
my ($nat_traverse, $dir, $round, $host, @tries) = @ARGV;
my %try;
pipe(my $wait, my $go) or die "pipe: $!\n";
for (@tries) {
	my ($name, $ports) = split /=/;
	my $pid = fork() // die "fork: $!\n";
	if (!$pid) {
		close $go;
		sysread($wait, my $buf, 1);
		open(STDERR, ">", "$dir/$name.$host.err") or POSIX::_exit(2);
		@ARGV = ("--window=6", "--timeout=8", "--quit-after-connect", $ports);
		do $nat_traverse;
		print STDERR $@;
		POSIX::_exit(1);
	}
	$try{$pid} = $name;
}
close $wait;
open(my $ready, ">", "$dir/ready.$round.$host") or die "$dir/ready.$round.$host: $!\n";
close $ready;
select(undef, undef, undef, 0.05)
	until -e "$dir/go.$round" || -e "$dir/go.$round.$host";
close $go;
while ((my $pid = wait()) > 0) {
	print "$try{$pid}\n" if $? == 0;
}
PERL
declare -A nt_pid=()
# nt_host ROUND NS TRY...: starts NS's tries of ROUND; they load during the
# classification, and wait for the word.
nt_host() {
	local r=$1 n=$2
	shift 2
	echo "[+] $n: nat-traverse ($r), $# tries: $1 ..." >&2
	nsq "$n" perl "$tmp/nt.pl" "$nat_traverse" "$tmp" "$r" "$n" "$@" \
		>"$tmp/ok.$r.$n" 2>"$tmp/$r.$n.err" &
	nt_pid[$r.$n]=$!
}
# nt_go ROUND [FIRST UNTIL...]: the word to ROUND's hosts, once all are
# ready; returns when they are done. With FIRST, to that host first, and to
# the others once the command UNTIL succeeds (or after 30 s).
nt_go() {
	local r=$1 first=$2 k s=$SECONDS
	shift $(($# < 2 ? $# : 2))
	nt_ready() {
		for k in "${!nt_pid[@]}"; do
			[[ $k != "$r".* ]] || [ -e "$tmp/ready.$k" ] || return 1
		done
	}
	until_ok 60 nt_ready || echo "# nat-traverse ($r): not all hosts got ready" >&2
	if [ -n "$first" ]; then
		echo "[+] nat-traverse ($r): go, $first first" >&2
		touch "$tmp/go.$r.$first"
		until_ok 30 "$@" || echo "# nat-traverse ($r): $* did not come true" >&2
	fi
	echo "[+] nat-traverse ($r): go" >&2
	touch "$tmp/go.$r"
	for k in "${!nt_pid[@]}"; do
		[[ $k == "$r".* ]] || continue
		wait "${nt_pid[$k]}"
		[ ! -s "$tmp/$k.err" ] || sed "s/^/# $k: /" "$tmp/$k.err" >&2
	done
	echo "# nat-traverse ($r): done in $((SECONDS - s)) s" >&2
}
# connected ROUND PAIR PEER TRIES: how many of PAIR's TRIES between client
# and PEER connected on both sides; what the others said is logged.
connected() {
	local r=$1 pair=$2 peer=$3 tries=$4 i n=0 line
	local -A ok=()
	while read -r line; do ok[client:$line]=1; done <"$tmp/ok.$r.client"
	while read -r line; do ok[$peer:$line]=1; done <"$tmp/ok.$r.$peer"
	for ((i = 1; i <= tries; i++)); do
		if [ -n "${ok[client:$pair.$i]}" ] && [ -n "${ok[$peer:$pair.$i]}" ]; then
			n=$((n + 1))
			continue
		fi
		echo "# $pair, try $i failed:" >&2
		sed 's/^/#   /' "$tmp/$pair.$i.client.err" "$tmp/$pair.$i.$peer.err" >&2
	done
	echo $n
}
# Try i: client on 40000 + i, peer2 on 40500 + i (two routers), and client
# on 41000 + i, client2 on 41500 + i (one). The control, through plain
# masquerade on both routers: client on 42000 + i, peer2 on 42500 + i.
ctl_tries=${NATCHECK_CONTROL_TRIES:-5}
two_a=() two_b=() one_a=() one_b=() ctl_a=() ctl_b=()
for ((i = 1; i <= tries; i++)); do
	two_a+=("two.$i=$((40000 + i)):$ROUTER2:$((40500 + i))")
	two_b+=("two.$i=$((40500 + i)):$PUBLIC:$((40000 + i))")
	one_a+=("one.$i=$((41000 + i)):$PUBLIC:$((41500 + i))")
	one_b+=("one.$i=$((41500 + i)):$PUBLIC:$((41000 + i))")
done
for ((i = 1; i <= ctl_tries; i++)); do
	ctl_a+=("ctl.$i=$((42000 + i)):$ROUTER2:$((42500 + i))")
	ctl_b+=("ctl.$i=$((42500 + i)):$PUBLIC:$((42000 + i))")
done
nt_host ctl client "${ctl_a[@]}"
nt_host ctl peer2 "${ctl_b[@]}"
nt_host masq client "${two_a[@]}" "${one_a[@]}"
nt_host masq peer2 "${two_b[@]}"
nt_host masq client2 "${one_b[@]}"

stun_up() {
	local l e
	l=$(nsq wanhost ss -Huln)
	for e in $STUN:3478 $STUN:3479 $STUN2:3478 $STUN2:3479; do
		[[ $l == *" $e "* ]] || return 1
	done
}
check "turnserver listens on both addresses, 3478 and 3479" until_ok 30 stun_up

# discover PORT TESTS...: turnutils_natdiscovery's TESTS (-H hairpinning,
# -m mapping, -f filtering; it runs them in that order), the first from
# client's PORT (each run a port of its own, so none sees another's
# bindings), the others from ports of the kernel's choice. Its output is
# logged; what each test found (its verdict, or for hairpinning the
# request that came back) is left in nd_hairpinning, nd_mapping and
# nd_filtering, the first answer's public address and port in nd_reflexive.
discover() {
	local port=$1 line test=none
	shift
	echo "[+] client: turnutils_natdiscovery $* -L $CLIENT -l $port $STUN" >&2
	nd_hairpinning='' nd_mapping='' nd_filtering='' nd_reflexive=''
	while IFS= read -r line; do
		echo "    $line" >&2
		case $line in
		"-= Hairpinning "*) test=hairpinning ;;
		"-= Mapping "*) test=mapping ;;
		"-= Filtering "*) test=filtering ;;
		*"UDP reflexive addr: "*) nd_reflexive=${nd_reflexive:-${line##*: }} ;;
		"NAT with "*"!" | "No NAT"* | "Received a request"*) printf -v "nd_$test" %s "$line" ;;
		esac
	done < <(nsq client turnutils_natdiscovery "$@" -L $CLIENT -l "$port" $STUN 2>&1)
}
EIM="NAT with Endpoint Independent Mapping!"
EIF="NAT with Endpoint Independent Filtering!"
ADF="NAT with Address Dependent Filtering!"
APDF="NAT with Address and Port Dependent Filtering!"
HAIRPIN="Received a request (maybe a successful hairpinning)"

# Control: plain nftables masquerade on wan0.
discover 5000 -H -m -f
check_eq "control: masquerade keeps the port" "$PUBLIC:5000" "$nd_reflexive"
check_eq "control: masquerade, no hairpinning" "" "$nd_hairpinning"
check_eq "control: masquerade, mapping" "$EIM" "$nd_mapping"
check_eq "control: masquerade, filtering" "$APDF" "$nd_filtering"
# ctl_arrived: router2 has an entry for each control try's packets from
# client.
ctl_arrived() {
	local i l
	l=$(nsq router2 conntrack -L -p udp -s $PUBLIC -d $ROUTER2 2>/dev/null)
	for ((i = 1; i <= ctl_tries; i++)); do
		[[ $l == *"sport=$((42000 + i)) dport=$((42500 + i)) "* ]] || return 1
	done
}
nt_go ctl client ctl_arrived
check_eq "control: nat-traverse through plain masquerade, two routers: tries that connected" \
	0 "$(connected ctl ctl peer2 $ctl_tries)"
ns router conntrack -F >/dev/null 2>&1
ns router2 conntrack -F >/dev/null 2>&1

hp router masq add dev wan0
discover 5100 -H -m -f
check_eq "masq: the port is kept" "$PUBLIC:5100" "$nd_reflexive"
check_eq "masq: hairpinning" "$HAIRPIN" "$nd_hairpinning"
check_eq "masq: mapping" "$EIM" "$nd_mapping"
check_eq "masq: filtering" "$EIF" "$nd_filtering"
hp router -f - <<EOT
masq del dev wan0
masq add dev wan0 filter address
EOT
discover 5200 -m -f
check_eq "masq filter address: mapping" "$EIM" "$nd_mapping"
check_eq "masq filter address: filtering" "$ADF" "$nd_filtering"
hp router -f - <<EOT
masq del dev wan0
masq add dev wan0 filter address-port
EOT
discover 5300 -m -f
check_eq "masq filter address-port: mapping" "$EIM" "$nd_mapping"
check_eq "masq filter address-port: filtering" "$APDF" "$nd_filtering"

# nat-traverse, through masq on both routers: all tries at once.
hp router -f - <<EOT
masq del dev wan0
masq add dev wan0
EOT
hp router2 masq add dev wan0
nt_go masq
check_eq "nat-traverse, two routers: tries that connected" "$tries" "$(connected masq two peer2 "$tries")"
check_eq "nat-traverse, one router, hairpinned: tries that connected" "$tries" \
	"$(connected masq one client2 "$tries")"
check_no_leaks
finish

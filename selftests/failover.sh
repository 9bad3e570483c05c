#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpin: long
#
# Issue 23: two routers with the module, keepalived (VRRP) moving the
# gateway addresses, conntrackd (FTFW) replicating the conntrack table, and
# one hairpinctl file on both. Across a hard failover (r1's daemons frozen,
# its links down, then killed) and a graceful failback (r2's keepalived
# stopped, its conntrackd running on): F1, a WAN client's TCP connection
# through a mapping, and F2, a LAN client's hairpinned one, each a line a
# second, lose no line and are not reset; F3, a UDP flow through a mapping,
# goes on; F4, a LAN host's UDP flow through masq (to the WAN VIP), goes on
# from the same public port; F5, a quiet one whose port masq had to move
# (F4's host had it), takes a new peer at its public port as soon as the
# new master's notify script is done, its binding rebuilt from the
# replicated entry; so are new connections mapped; and the server sees
# hairpinned clients from the address that moves, the LAN VIP (set source
# 192.168.1.1).
#
#                   wanhost 198.51.100.2 (udp 7001: F4's and F5's peer)
#                            |
#            isp 198.51.100.1, br-wan 203.0.113.254
#                   /                      \
#       r1 wan0 203.0.113.2       r2 wan0 203.0.113.3    VIP 203.0.113.1
#       r1 sync0 10.255.0.1 ===== r2 sync0 10.255.0.2    conntrackd
#       r1 lan0 192.168.1.2       r2 lan0 192.168.1.3    VIP 192.168.1.1
#                   \                      /
#                       sw: br-lan (a switch)
#                   /                      \
#         client 192.168.1.100      server 192.168.1.10
#         udp 40001: F4             udp 40001: F5; tcp 80, 8080, 8081,
#                                   udp 5353
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/two-routers.sh"

d=$(mktemp -d "/tmp/failover-$sfx.XXXXXX")
mkdir "$d/r1" "$d/r2"
# The flows, then the daemons, before the namespaces go.
stop_all() {
	touch "$d"/f{1,2,3,4,5}.stop "$d/peer.stop"
	daemons_stop
}
trap 'stop_all; cleanup; rm -rf "$d"' EXIT
two_routers_check

two_routers
two_routers_conf
for k in 1 2; do
	check "r$k: hairpinctl save is the file" \
		cmp <(nsq "r$k" "$HAIRPINCTL" save) "$d/hairpin.conf"
done

# replicated K: router K's external cache holds F1, F2 (established), F3,
# F4 and F5.
replicated() {
	local e
	e=$(ctd "$1" -e 2>/dev/null)
	[[ $e =~ "ESTABLISHED src=$WANHOST dst=$VIP sport="[0-9]+" dport=8080 " &&
	   $e =~ "ESTABLISHED src=$CLIENT dst=$VIP sport="[0-9]+" dport=8081 " &&
	   $e =~ "src=$WANHOST dst=$VIP sport="[0-9]+" dport=5353 " &&
	   $e == *"src=$CLIENT dst=$WANHOST sport=40001 dport=7001 "* &&
	   $e == *"src=$SERVER dst=$WANHOST sport=40001 dport=7001 "* ]]
}

conntrackd_start 1
conntrackd_start 2
keepalived_start 1

# The flows, started once r1 is the master. sink.sh NAME, on the server:
# the client's address, and each line with its time. writer.sh NAME ADDR
# PORT NAP: a line a second (read -t on the FIFO NAP, lib.sh's) on one TCP connection until NAME.stop, then
# socat's exit status (1: the connection was reset). udp.py send NAME ADDR
# PORT [FROM-PORT [INTERVAL COUNT]]: a datagram every 100 ms (or COUNT
# every INTERVAL seconds), with its number and the time it left; each
# datagram back with the time it came and where from. udp.py echo NAME
# PORT: each datagram back to its sender, whom it notes.
cat >"$d/sink.sh" <<-'EOT'
#!/bin/bash
echo "$SOCAT_PEERADDR" >"$1.peer"
while read -r l; do echo "$EPOCHREALTIME $l"; done >"$1.log"
EOT
cat >"$d/writer.sh" <<-'EOT'
#!/bin/bash
i=0
while [ ! -e "$1.stop" ]; do
	i=$((i + 1))
	echo $i
	echo $i >"$1.sent"
	read -rt 1 <>"$4"
done | socat -u - "TCP:$2:$3,connect-timeout=5"
echo $? >"$1.rc"
EOT
cat >"$d/udp.py" <<-'EOT'
import os, select, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
log = open(sys.argv[2] + ".log", "w", buffering=1)
if sys.argv[1] == "echo":
    s.bind(("", int(sys.argv[3])))
else:
    to = (sys.argv[3], int(sys.argv[4]))
    s.bind(("", int(sys.argv[5]) if len(sys.argv) > 5 else 0))
    every, count = (float(sys.argv[6]), int(sys.argv[7])) if len(sys.argv) > 7 else (0.1, 0)
n, due = 0, time.time()
while not os.path.exists(sys.argv[2] + ".stop"):
    sending = sys.argv[1] == "send" and (not count or n < count)
    if sending and time.time() >= due:
        n += 1
        due += every
        try:
            s.sendto(b"%d %.6f" % (n, time.time()), to)
        except OSError:
            pass
    if select.select([s], [], [], max(0, due - time.time()) if sending else 0.5)[0]:
        try:
            data, peer = s.recvfrom(64)
        except OSError:
            continue
        if sys.argv[1] == "echo":
            try:
                s.sendto(data, peer)
            except OSError:
                pass
            log.write("%.6f %s:%d\n" % (time.time(), *peer))
        else:
            log.write("%.6f %s:%d %s\n" % (time.time(), *peer, data.decode()))
EOT
chmod +x "$d/sink.sh" "$d/writer.sh"
echo "[+] wanhost: F4's peer on udp/7001" >&2
nsq wanhost python3 "$d/udp.py" echo "$d/peer" 7001 &
echo "[+] server: line sinks on tcp/8080 and 8081, echo on udp/5353" >&2
nsq server socat -u TCP-LISTEN:8080,reuseaddr EXEC:"$d/sink.sh $d/f1" &
nsq server socat -u TCP-LISTEN:8081,reuseaddr EXEC:"$d/sink.sh $d/f2" &
# Not socat's UDP-LISTEN: its socket, connected to F3's sender, would
# take the ICMP error of one reply lost while the gateway moves, and end.
nsq server python3 "$d/udp.py" echo "$d/f3echo" 5353 &
serve tcp server 80
for p in tcp/8080 tcp/8081 udp/5353; do
	wait_for_port server "${p%/*}" "${p#*/}"
done
wait_for_port wanhost udp 7001

# r2 starts once r1 holds the VIPs, and stays the backup (nopreempt).
poll 60 stamped 1 primary 1
keepalived_start 2
check "r1 becomes the master" poll 60 stamped 1 primary-done 1
check "r2 becomes the backup" poll 60 stamped 2 backup-done 1

echo "[+] wanhost: F1 to $VIP:8080, F3 to $VIP:5353" >&2
echo "[+] client: F2 to $VIP:8081, F4 to $WANHOST:7001 from port 40001" >&2
nsq wanhost "$d/writer.sh" "$d/f1" $VIP 8080 "$nap_fifo" &
nsq client "$d/writer.sh" "$d/f2" $VIP 8081 "$nap_fifo" &
nsq wanhost python3 "$d/udp.py" send "$d/f3" $VIP 5353 &
nsq client python3 "$d/udp.py" send "$d/f4" $WANHOST 7001 40001 &
check "F1 to F4 flow" \
	poll 30 test -s "$d/f1.log" -a -s "$d/f2.log" -a -s "$d/f3.log" -a -s "$d/f4.log"
check_eq "F2: the server sees the hairpinned client as" $ROUTER_LAN "$(<"$d/f2.peer")"
# Two datagrams 2.5 s apart: a UDP entry still used after 2 s is a
# stream's (600 s here).
echo "[+] server: F5, two datagrams to $WANHOST:7001 from port 40001" >&2
nsq server python3 "$d/udp.py" send "$d/f5" $WANHOST 7001 40001 2.5 2 &
# f5_endpoint: F5's public endpoint, once its peer has had both datagrams.
f5_endpoint() {
	awk -v f4=$VIP:40001 '$2 != f4 { n[$2]++ } END { for (e in n) if (n[e] == 2) print e }' \
		"$d/peer.log"
}
poll 30 test -n "$(f5_endpoint)"
f5=$(f5_endpoint)
check "F5: masq moved its port, F4's host had it" \
	test "${f5%:*}" = $VIP -a "${f5#*:}" != 40001
check "r2's external cache holds F1 to F5" poll 60 replicated 2

# fresh NS: who the server saw in a new TCP connection from NS to VIP:80,
# and its name. One try, which must connect within 3 s (a SYN sent again
# once at most).
fresh() { PEER_TRIES=1 peer_who "$1" tcp $VIP 80; }
# since NAME T [FROM]: a line (or a datagram, from FROM) of NAME arrived
# after time T.
since() {
	awk -v t="$2" -v from="$3" '$1 > t && (from == "" || $2 == from) { f = 1; exit }
		END { exit !f }' "$d/$1.log"
}
# lines NAME: how many lines arrived in order, none missing.
lines() { awk '$2 == NR { n++ } END { print n + 0 }' "$d/$1.log"; }

# switched K N T0: router K's Nth takeover since the failure at T0: as
# soon as its notify script applied the file, a new peer reaches F5's
# public port (the binding is back: the periodic walk, every 10 s, is
# unlikely to have come first); once the script is done, new connections,
# mapped and hairpinned, work at once; the flows go on.
# Prints how long the takeover and the commit took, and how long after the
# failure the first packets got through: the first echo of a datagram
# sent after it, the first lines that TCP sent again.
switched() {
	local k=$1 n=$2 t0=$3 t
	check "r$k takes over and applies the file" poll 60 stamped "$k" applied "$n"
	echo "[+] wanhost: udp from port $((7001 + n)) to $f5" >&2
	nsq wanhost socat -u - UDP:$f5,sourceport=$((7001 + n)) <<<"0 0"
	check "F5's public port takes a new peer at once" \
		poll 1 grep -q " $WANHOST:$((7001 + n)) " "$d/f5.log"
	check "r$k's notify script is done" poll 60 stamped "$k" primary-done "$n"
	check_eq "a new connection from the WAN, at once" "$WANHOST server" "$(fresh wanhost)"
	check_eq "a new hairpinned one, from the LAN VIP" "$ROUTER_LAN server" "$(fresh client)"
	t=$(at "$k" primary-done "$n")
	check "F1 goes on" poll 30 since f1 "$t"
	check "F2 goes on" poll 30 since f2 "$t"
	check "F3 goes on" poll 30 since f3 "$t"
	check "F4 goes on" poll 30 since f4 "$t" $WANHOST:7001
	awk -v t0="$t0" -v k="$k" -v n="$n" '
		FILENAME ~ /events$/ { if (++c[$2] == n) at[$2] = $1; next }
		(NF > 2 ? $NF : $1) > t0 && !(FILENAME in first) { first[FILENAME] = $1 - t0 }
		END {
			printf "# r%s: takeover %.2f s, commit %.2f s; first after the failure:", \
				k, at["primary"] - t0, at["committed"] - at["primary"]
			for (i = 2; i < ARGC; i++) {
				name = ARGV[i]
				sub(/.*\//, "", name)
				sub(/\.log$/, "", name)
				printf " %s %.2f s", toupper(name), first[ARGV[i]]
			}
			print ""
		}' "$d/r$k/events" "$d/f3.log" "$d/f4.log" "$d/f1.log" "$d/f2.log"
}

echo "# hard failover: r1's daemons frozen, its links down, then killed"
hard_failure 1
switched 2 1 "$t0"

echo "# r1 comes back as from a reboot: no VIPs, no entries, its file"
rejoin 1
check "r1 is the backup again" poll 60 stamped 1 backup-done 2
check "r1's conntrackd has r2's table" poll 60 replicated 1

echo "# graceful failback: r2's keepalived stops, its conntrackd runs on"
graceful_failure 2
switched 1 2 "$t0"

touch "$d"/f{1,2,3,4,5}.stop
check_eq "F4: its peer saw one public endpoint all along" "$VIP:40001" \
	"$(awk -v f5="$f5" '$2 != f5 { print $2 }' "$d/peer.log" | sort -u)"
for n in 1 2; do
	poll 30 test -s "$d/f$n.rc"
	read -r sent <"$d/f$n.sent"
	poll 30 test "$(lines "f$n")" -ge "$sent"
	check_eq "F$n: lines lost of $sent" 0 $((sent - $(lines "f$n")))
	check_eq "F$n: not reset (socat's exit status)" 0 "$(<"$d/f$n.rc")"
done
grep -h "commit has taken" "$d"/r?/conntrackd.log | sed 's/^/# conntrackd: /'
if [ "$failed" != 0 ]; then
	tail -n 30 "$d"/r?/events "$d"/r?/*.log "$d/f3echo.log" | sed 's/^/# /'
	for r in r1 r2; do
		echo "# $r's conntrack table:"
		nsq $r conntrack -L 2>/dev/null | sed 's/^/#   /'
		nsq $r "$HAIRPINCTL" binding show | sed 's/^/#   /'
	done
	nsq server ss -uanp | sed 's/^/# server: /'
fi
finish

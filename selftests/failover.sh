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
for t in keepalived conntrackd conntrack python3; do
	command -v $t >/dev/null || skip "$t not installed"
done
load_module
modprobe -q nf_conntrack_netlink || skip "no nf_conntrack_netlink"

VIP=$PUBLIC
d=$(mktemp -d "/tmp/failover-$sfx.XXXXXX")
mkdir "$d/r1" "$d/r2"
# A FIFO that nothing writes: "read -t" on it sleeps without a process.
mkfifo "$d/nap"
# The flows, then the daemons by their pid files, before the namespaces go.
stop_all() {
	local f
	touch "$d"/f{1,2,3,4,5}.stop "$d/peer.stop"
	for f in "$d"/r?/*.pid; do
		kill "$(<"$f")" 2>/dev/null
	done
}
trap 'stop_all; cleanup; rm -rf "$d"' EXIT

# poll SECONDS CMD...: until_ok, four times a second, sleeping without a
# process: in an emulated guest every process costs, and the daemons need
# the CPU.
poll() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt "$end" ] || return 1
		read -rt 0.25 <>"$d/nap"
	done
	return 0
}

add_ns r1 r2 sw isp wanhost server client
ip -b - <<-EOT
link add lan0 netns r1-$sfx type veth peer name r1 netns sw-$sfx
link add lan0 netns r2-$sfx type veth peer name r2 netns sw-$sfx
link add eth0 netns server-$sfx type veth peer name server netns sw-$sfx
link add eth0 netns client-$sfx type veth peer name client netns sw-$sfx
link add wan0 netns r1-$sfx type veth peer name r1 netns isp-$sfx
link add wan0 netns r2-$sfx type veth peer name r2 netns isp-$sfx
link add eth0 netns wanhost-$sfx type veth peer name wanhost netns isp-$sfx
link add sync0 netns r1-$sfx type veth peer name sync0 netns r2-$sfx
EOT
ip -n "sw-$sfx" -b - <<-EOT
link add br-lan type bridge
link set r1 master br-lan
link set r2 master br-lan
link set server master br-lan
link set client master br-lan
link set br-lan up
link set r1 up
link set r2 up
link set server up
link set client up
EOT
ip -n "isp-$sfx" -b - <<-EOT
link add br-wan type bridge
link set r1 master br-wan
link set r2 master br-wan
link set br-wan up
link set r1 up
link set r2 up
link set wanhost up
addr add 203.0.113.254/24 dev br-wan
addr add 198.51.100.1/24 dev wanhost
EOT
nsq isp sysctl -qw net.ipv4.ip_forward=1
end_host wanhost $WANHOST/24 198.51.100.1
end_host server $SERVER/24 $ROUTER_LAN
end_host client $CLIENT/24 $ROUTER_LAN

# router K: its own addresses; conntrack events whether or not conntrackd
# listened when the entry was made; no pickup of a TCP connection in
# mid-stream: until the commit, such a packet has no entry, and is dropped,
# not forwarded untranslated or answered with a RST by the router; and
# quiet UDP flows (F5) that outlive the test on a debug kernel.
router() {
	local k=$1
	ip -n "r$k-$sfx" -b - <<-EOT
	link set lan0 up
	link set wan0 up
	link set sync0 up
	addr add 192.168.1.$((k + 1))/24 dev lan0
	addr add 203.0.113.$((k + 1))/24 dev wan0
	addr add 10.255.0.$k/30 dev sync0
	route add default via 203.0.113.254
	EOT
	nsq "r$k" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.lan0.send_redirects=0 net.netfilter.nf_conntrack_events=1 \
		net.netfilter.nf_conntrack_tcp_loose=0 \
		net.netfilter.nf_conntrack_udp_timeout_stream=600
	nsq "r$k" nft -f - <<-EOT
	table inet fw {
		chain input {
			type filter hook input priority filter;
			ct state invalid drop
		}
		chain forward {
			type filter hook forward priority filter;
			ct state invalid drop
		}
	}
	EOT
}
router 1
router 2

# The one hairpinctl file of both routers, as "hairpinctl save" writes it:
# hairpinned connections from the LAN VIP, masq to the WAN VIP.
cat >"$d/hairpin.conf" <<-EOT
map flush
set source $ROUTER_LAN hairpin auto
set limit mappings 1048576 ports 4194304 bindings 262144
masq add dev wan0 to $VIP
map add tcp 80 to $SERVER:80
map add tcp 8080 to $SERVER:8080
map add tcp 8081 to $SERVER:8081
map add udp 5353 to $SERVER:5353
EOT
for k in 1 2; do
	hp "r$k" -f "$d/hairpin.conf"
	check "r$k: hairpinctl save is the file" \
		cmp <(nsq "r$k" "$HAIRPINCTL" save) "$d/hairpin.conf"
done

# keepalived runs this with the router's directory as its instance changes
# state. Master: the peer's connections into the kernel (conntrackd
# -c returns once they are in), the file (its masq line rebuilds the
# bindings before it returns), then fresh caches and the whole table to
# the peer.
# Backup: the old table goes in PurgeTimeout unless a commit comes first,
# and the master's comes over.
cat >"$d/notify.sh" <<-EOT
#!/bin/bash
PATH=/usr/sbin:/usr/bin:/sbin:/bin
dir=\$1
ct="conntrackd -C \$dir/conntrackd.conf"
stamp() { echo "\$EPOCHREALTIME \$1" >>"\$dir/events"; }
case \$2 in
primary)
	stamp primary
	\$ct -c
	stamp committed
	$HAIRPINCTL -f $d/hairpin.conf
	stamp applied
	\$ct -f
	\$ct -R
	\$ct -B
	stamp primary-done ;;
backup)
	\$ct -t
	\$ct -n
	stamp backup-done ;;
fault)
	\$ct -t ;;
esac
EOT
chmod +x "$d/notify.sh"

# conntrackd.conf and keepalived.conf of router K, priority PRIO. FTFW on
# the sync link, TCP and UDP. The filter runs in the kernel and tests the
# original direction's source and destination: the sync link and the
# routers' own addresses stay out, the VIPs must not (every mapped
# connection is to one). PurgeTimeout longer than the test: a backup's
# "conntrackd -t" flushes its kernel table after it, and on a slow kernel
# that flush could meet the commit. A HashSize above 8192 (conntrackd commits 8192
# buckets a step): a commit done in one step leaves conntrackd 1.4.7
# thinking it still runs, and it ignores every later flush and commit.
# keepalived: one instance with both VIPs, its adverts on the LAN, in
# fault when the WAN link goes, so that both addresses come and go at
# once. A sync group of two instances adds them one after the other: in
# between, masq has no VIP yet and sends from the router's own address.
daemons_conf() {
	local k=$1 prio=$2
	cat >"$d/r$k/conntrackd.conf" <<-EOT
	Sync {
		Mode FTFW {
			StartupResync yes
			PurgeTimeout 600
		}
		UDP {
			IPv4_address 10.255.0.$k
			IPv4_Destination_Address 10.255.0.$((3 - k))
			Port 3780
			Interface sync0
			Checksum on
		}
	}
	General {
		Systemd off
		HashSize 32768
		HashLimit 65536
		LogFile $d/r$k/conntrackd.log
		Syslog off
		LockFile $d/r$k/conntrackd.lock
		UNIX {
			Path $d/r$k/conntrackd.ctl
		}
		Filter From Kernelspace {
			Protocol Accept {
				TCP
				UDP
			}
			Address Ignore {
				IPv4_address 127.0.0.1
				IPv4_address 10.255.0.0/30
				IPv4_address 192.168.1.2
				IPv4_address 192.168.1.3
				IPv4_address 203.0.113.2
				IPv4_address 203.0.113.3
			}
		}
	}
	EOT
	cat >"$d/r$k/keepalived.conf" <<-EOT
	global_defs {
		router_id r$k
		script_user root
	}
	vrrp_instance gw {
		state BACKUP
		nopreempt
		interface lan0
		virtual_router_id 51
		priority $prio
		advert_int 1
		track_interface {
			wan0
		}
		virtual_ipaddress {
			$ROUTER_LAN/24 dev lan0
			$VIP/24 dev wan0
		}
		notify_master "$d/notify.sh $d/r$k primary"
		notify_backup "$d/notify.sh $d/r$k backup"
		notify_fault "$d/notify.sh $d/r$k fault"
	}
	EOT
}
daemons_conf 1 150
daemons_conf 2 100

# conntrackd_start K, keepalived_start K: the daemon in router K, in the
# foreground, its pid in a file (ip netns exec execs it: $! is its pid).
conntrackd_start() {
	local r=r$1
	rm -f "$d/$r/conntrackd.lock" "$d/$r/conntrackd.ctl"
	echo "[+] $r: conntrackd -C $d/$r/conntrackd.conf &" >&2
	ip netns exec "$r-$sfx" conntrackd -C "$d/$r/conntrackd.conf" >/dev/null 2>&1 &
	echo $! >"$d/$r/conntrackd.pid"
	disown
	poll 30 test -S "$d/$r/conntrackd.ctl"
}
keepalived_start() {
	local r=r$1
	echo "[+] $r: keepalived -f $d/$r/keepalived.conf &" >&2
	ip netns exec "$r-$sfx" keepalived -n -l -G -P -f "$d/$r/keepalived.conf" \
		-p "$d/$r/keepalived.pid" -r "$d/$r/vrrp.pid" >>"$d/$r/keepalived.log" 2>&1 &
	disown
}
# ctd K ARGS...: conntrackd's client in router K.
ctd() { nsq "r$1" conntrackd -C "$d/r$1/conntrackd.conf" "${@:2}"; }
# at K WHAT N: when router K's notify script stamped WHAT the Nth time.
at() {
	local t w n=0
	while read -r t w; do
		[ "$w" = "$2" ] && n=$((n + 1)) && [ $n = "$3" ] && echo "$t" && return 0
	done <"$d/r$1/events"
	return 1
}
stamped() { [ -f "$d/r$1/events" ] && at "$@" >/dev/null; }
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
# PORT: a line a second on one TCP connection until NAME.stop, then
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
	read -rt 1 <>"${1%/*}/nap"
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
            s.sendto(data, peer)
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
nsq server socat UDP-LISTEN:5353,reuseaddr PIPE &
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
nsq wanhost "$d/writer.sh" "$d/f1" $VIP 8080 &
nsq client "$d/writer.sh" "$d/f2" $VIP 8081 &
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
# once at most). It sends nothing, so that the server's socat waits for
# its answer however slow a loaded guest is to start it (peer() sends a
# line and ends, and the server gives the answer half a second).
fresh() {
	echo "[+] $1: tcp connect $VIP:80" >&2
	nsq "$1" timeout 20 socat -u TCP:$VIP:80,connect-timeout=3 - 2>/dev/null | cut -d' ' -f1,3
}
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
pids="$(<"$d/r1/keepalived.pid") $(<"$d/r1/vrrp.pid") $(<"$d/r1/conntrackd.pid")"
# shellcheck disable=SC2086 # three pids
kill -STOP $pids
ip -n "r1-$sfx" -b - <<-EOT
link set lan0 down
link set wan0 down
link set sync0 down
EOT
t0=$EPOCHREALTIME
# shellcheck disable=SC2086
kill -KILL $pids
rm -f "$d/r1/keepalived.pid" "$d/r1/vrrp.pid" "$d/r1/conntrackd.pid"
switched 2 1 "$t0"

echo "# r1 comes back as from a reboot: no VIPs, no entries, its file"
ip -n "r1-$sfx" -b - <<-EOT
addr del $ROUTER_LAN/24 dev lan0
addr del $VIP/24 dev wan0
link set lan0 up
link set wan0 up
link set sync0 up
route add default via 203.0.113.254
EOT
nsq r1 conntrack -F 2>/dev/null
hp r1 masq del dev wan0
hp r1 -f "$d/hairpin.conf"
conntrackd_start 1
keepalived_start 1
check "r1 is the backup again" poll 60 stamped 1 backup-done 2
check "r1's conntrackd has r2's table" poll 60 replicated 1

echo "# graceful failback: r2's keepalived stops, its conntrackd runs on"
t0=$EPOCHREALTIME
kill "$(<"$d/r2/keepalived.pid")"
rm -f "$d/r2/keepalived.pid" "$d/r2/vrrp.pid"
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
[ "$failed" = 0 ] || tail -n 30 "$d"/r?/events "$d"/r?/*.log | sed 's/^/# /'
finish

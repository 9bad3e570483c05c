#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 23's two routers, sourced after lib.sh by selftests/failover.sh and
# by the benchmark's failover part (bench/failover.sh): the topology, the
# one hairpinctl file of both routers, keepalived's notify script, each
# router's keepalived.conf and conntrackd.conf, and the daemons' start and
# failures. The caller sets d, a fresh directory with r1/ and r2/ in it.
#
#                   wanhost 198.51.100.2
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

# shellcheck disable=SC2154 # d: the caller's; sfx and the rest: lib.sh's
VIP=$PUBLIC

# two_routers_check: skips unless the daemons and tools are here, loads
# the module.
two_routers_check() {
	local t
	for t in keepalived conntrackd conntrack python3; do
		command -v $t >/dev/null || skip "$t not installed"
	done
	load_module
	modprobe -q nf_conntrack_netlink || skip "no nf_conntrack_netlink"
}

# poll SECONDS CMD...: until_ok, four times a second: in an emulated
# guest every try costs, and the daemons need the CPU.
poll() { UNTIL_OK_NAP=0.25 until_ok "$@"; }

# two_routers: the namespaces and links, both routers, the end hosts.
two_routers() {
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
	router 1
	router 2
}

# router K: its own addresses; conntrack events whether or not conntrackd
# listened when the entry was made; no pickup of a TCP connection in
# mid-stream: until the commit, such a packet has no entry, and is dropped,
# not forwarded untranslated or answered with a RST by the router; and
# quiet UDP flows that outlive the test on a debug kernel.
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

# two_routers_conf: the files of both routers, in $d: hairpin.conf, the one
# hairpinctl file, as "hairpinctl save" writes it (hairpinned connections
# from the LAN VIP, masq to the WAN VIP), loaded in both; notify.sh; and
# each router's daemons' configuration, r1's priority above r2's.
two_routers_conf() {
	local k
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
	done
	notify_script
	daemons_conf 1 150
	daemons_conf 2 100
}

# keepalived runs notify.sh with the router's directory as its instance
# changes state, each step stamped in that directory's "events". Master:
# the peer's connections into the kernel (conntrackd -c returns once they
# are in), the file (its masq line rebuilds the bindings before it
# returns), then fresh caches and the whole table to the peer.
# Backup: the old table goes in PurgeTimeout unless a commit comes first,
# and the master's comes over.
notify_script() {
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
}

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
# ADVERT_INT: keepalived's advert interval, seconds (1).
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
		advert_int ${ADVERT_INT:-1}
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
# daemons_stop: every daemon still running, by its pid file.
daemons_stop() {
	local f
	for f in "$d"/r?/*.pid; do
		[ -e "$f" ] || continue
		kill "$(<"$f")" 2>/dev/null
	done
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

# hard_failure K: router K's daemons frozen, its links down, then killed;
# t0, when its links went down.
hard_failure() {
	local r=r$1 pids
	pids="$(<"$d/$r/keepalived.pid") $(<"$d/$r/vrrp.pid") $(<"$d/$r/conntrackd.pid")"
	# shellcheck disable=SC2086 # three pids
	kill -STOP $pids
	ip -n "$r-$sfx" -b - <<-EOT
	link set lan0 down
	link set wan0 down
	link set sync0 down
	EOT
	# shellcheck disable=SC2034 # the caller's
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086
	kill -KILL $pids
	rm -f "$d/$r/keepalived.pid" "$d/$r/vrrp.pid" "$d/$r/conntrackd.pid"
}

# graceful_failure K: router K's keepalived stops (its last advert, of
# priority 0, hands over at once), its conntrackd runs on; t0, when.
graceful_failure() {
	# shellcheck disable=SC2034
	t0=$EPOCHREALTIME
	kill "$(<"$d/r$1/keepalived.pid")"
	rm -f "$d/r$1/keepalived.pid" "$d/r$1/vrrp.pid"
}

# rejoin K: router K, after hard_failure, comes back as from a reboot: no
# VIPs, no entries, its file; its daemons start.
rejoin() {
	local r=r$1
	ip -n "$r-$sfx" -b - <<-EOT
	addr del $ROUTER_LAN/24 dev lan0
	addr del $VIP/24 dev wan0
	link set lan0 up
	link set wan0 up
	link set sync0 up
	route add default via 203.0.113.254
	EOT
	nsq "$r" conntrack -F 2>/dev/null
	hp "$r" masq del dev wan0
	hp "$r" -f "$d/hairpin.conf"
	conntrackd_start "$1"
	keepalived_start "$1"
}

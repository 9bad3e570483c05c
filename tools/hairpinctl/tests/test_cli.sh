#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The hairpinctl binary from the outside: exit codes and the exact one-line
# messages for bad input, which all come before any netlink traffic. With
# the module loaded only read-only commands are run, so this is safe on a
# configured machine.
#
# Usage: tests/test_cli.sh ./hairpinctl

prog=${1:-./hairpinctl}
tmp=$(mktemp -d) || exit 99
netns=
trap 'rm -rf "$tmp"; [ -z "$netns" ] || ip netns del "$netns"' EXIT
# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

# expect WANT_EXIT WANT_STDERR ARGS...: runs hairpinctl ARGS.
expect() {
	want_rc=$1 want_err=$2
	shift 2
	"$prog" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	got=$(cat "$tmp/err")
	[ "$rc" = "$want_rc" ] && [ "$got" = "$want_err" ]
	ok $? "exit $want_rc: hairpinctl $*"
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want_err" ]; then
		echo "# got exit $rc: $got"
		echo "# want:        $want_err"
	fi
}

# Help
"$prog" --help >"$tmp/out" 2>&1
ok $? "--help exits 0"
grep -q '^Usage: hairpinctl \[-j\] \[-p\] \[-s\] \[-n NETNS\] COMMAND' "$tmp/out"
ok $? "--help prints the usage"
for word in save monitor --json --pretty --stats "show \[-s\]"; do
	grep -q -- "$word" "$tmp/out"
	ok $? "--help mentions $word"
done
grep -q 'map add PROTO \[ADDR:\]PORT\[-PORT\] to ADDR\[:PORT\[-PORT\]\] \[comment TEXT\] \[mirror\]$' "$tmp/out"
ok $? "--help shows the map add grammar"
grep -q '^  set limit mappings N \[ports N\] \[bindings N\]$' "$tmp/out" &&
	grep -q '^  set limit ports N \[mappings N\] \[bindings N\]$' "$tmp/out" &&
	grep -q '^  set limit bindings N \[mappings N\] \[ports N\]$' "$tmp/out"
ok $? "--help shows the set limit grammar"
grep -q '^  set udp-timeout SECONDS$' "$tmp/out"
ok $? "--help shows set udp-timeout"
"$prog" set help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q 'set limit mappings N \[ports N\]' "$tmp/out" &&
	grep -q 'set udp-timeout SECONDS' "$tmp/out" && grep -q '120-86400, 300 by default' "$tmp/out"
ok $? "set help shows the set limit and udp-timeout grammar"
"$prog" map help >"$tmp/out" 2>&1
ok $? "map help exits 0"
grep -q 'map show \[-j\] \[-p\]' "$tmp/out"
ok $? "map help shows map show's options"
"$prog" masq help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^  masq add dev IFNAME \[to ADDRESS\] \[filter independent|address|address-port\]$' "$tmp/out" &&
	grep -q '^  masq del dev IFNAME$' "$tmp/out" && grep -q '^  masq show \[-j\] \[-p\]$' "$tmp/out"
ok $? "masq help shows the masq grammar"
"$prog" binding help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^  binding show \[-j\] \[-p\]$' "$tmp/out"
ok $? "binding help shows binding show"
"$prog" upnp help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^  upnp follow FILE$' "$tmp/out" && grep -q 'SIGHUP reads FILE again' "$tmp/out"
ok $? "upnp help shows upnp follow"
"$prog" -h >/dev/null 2>&1 && "$prog" help >/dev/null 2>&1 && "$prog" map --help >/dev/null 2>&1
ok $? "-h, help and map --help exit 0"
"$prog" >/dev/null 2>&1
[ $? = 2 ]
ok $? "no arguments: exit 2"

# Bad command lines
expect 2 "hairpinctl: invalid address '10.0.0.300'" map add tcp 80 to 10.0.0.300
expect 2 "hairpinctl: invalid port '0' (must be 1-65535)" map add tcp 0 to 10.0.0.2
expect 2 "hairpinctl: invalid port '65536' (must be 1-65535)" map add udp 65536 to 10.0.0.2
expect 2 "hairpinctl: reversed port range '7009-7000'" map add tcp 7009-7000 to 10.0.0.2
expect 2 "hairpinctl: internal port range '8000-8005' has 6 ports, external '80-90' has 11" \
	map add tcp 80-90 to 10.0.0.2:8000-8005
expect 2 "hairpinctl: unknown protocol 'sctp'" map add sctp 80 to 10.0.0.2
expect 2 "hairpinctl: unknown command 'mapp'" mapp add tcp 80 to 10.0.0.2
expect 2 "hairpinctl: unknown map command 'list'" map list
expect 2 "hairpinctl: missing 'to ADDR[:PORT[-PORT]]' after '80'" map add tcp 80
expect 2 "hairpinctl: expected 'to' instead of '10.0.0.2'" map replace tcp 80 10.0.0.2
expect 2 "hairpinctl: unexpected argument 'extra'" map add tcp 80 to 10.0.0.2 comment web extra
expect 2 "hairpinctl: unexpected argument 'to'" map del tcp 80 to 10.0.0.2
expect 2 "hairpinctl: unexpected argument 'comment'" map add tcp 80 to 10.0.0.2 mirror comment web
expect 2 "hairpinctl: unexpected argument 'mirror'" map del tcp 80 mirror
expect 2 "hairpinctl: unexpected argument 'all'" map flush all
expect 2 "hairpinctl: unexpected argument 'all'" map show all
expect 2 "hairpinctl: unexpected argument 'x'" show x
expect 2 "hairpinctl: unknown source 'wan' (lan, external or an address)" set source wan
expect 2 "hairpinctl: invalid address '192.168.1.300'" set source 192.168.1.300
expect 2 "hairpinctl: unknown hairpin mode 'maybe' (auto, always or off)" set hairpin maybe
expect 2 "hairpinctl: unknown setting 'mode' (source, hairpin, scope, udp-timeout or limit)" set mode auto
expect 2 "hairpinctl: missing setting (source, hairpin, scope, udp-timeout or limit)" set
# set limit
expect 2 "hairpinctl: invalid limit '-1' (must be 0-4294967295)" set limit mappings -1
expect 2 "hairpinctl: invalid limit '4294967296' (must be 0-4294967295)" set limit ports 4294967296
expect 2 "hairpinctl: invalid limit '1k' (must be 0-4294967295)" set limit mappings 5 ports 1k
expect 2 "hairpinctl: missing value after 'mappings' (0-4294967295)" set limit mappings
expect 2 "hairpinctl: missing value after 'ports' (0-4294967295)" set limit mappings 5 ports
expect 2 "hairpinctl: unknown limit 'bogus' (mappings, ports or bindings)" set limit bogus 3
expect 2 "hairpinctl: missing limit after 'limit' (mappings, ports or bindings)" set limit
expect 2 "hairpinctl: 'mappings' given twice" set limit mappings 1 mappings 2
expect 2 "hairpinctl: 'limit' given twice" set limit mappings 1 limit ports 2
expect 2 "hairpinctl: unknown setting 'extra' (source, hairpin, scope, udp-timeout or limit)" set limit mappings 1 extra
expect 2 "hairpinctl: invalid limit '1e3' (must be 0-4294967295)" set limit bindings 1e3
expect 2 "hairpinctl: 'bindings' given twice" set limit bindings 1 ports 2 bindings 3
# set udp-timeout
expect 2 "hairpinctl: invalid udp-timeout '60' (must be 120-86400 seconds)" set udp-timeout 60
expect 2 "hairpinctl: invalid udp-timeout '86401' (must be 120-86400 seconds)" set udp-timeout 86401
expect 2 "hairpinctl: invalid udp-timeout '5m' (must be 120-86400 seconds)" set udp-timeout 5m
expect 2 "hairpinctl: missing value after 'udp-timeout' (120-86400 seconds)" set udp-timeout
expect 2 "hairpinctl: 'udp-timeout' given twice" set udp-timeout 300 hairpin off udp-timeout 600
# binding
expect 2 "hairpinctl: missing binding command (show)" binding
expect 2 "hairpinctl: unknown binding command 'del'" binding del
expect 2 "hairpinctl: unexpected argument 'udp'" binding show udp
# masq
expect 2 "hairpinctl: missing masq command (add, del or show)" masq
expect 2 "hairpinctl: unknown masq command 'flush'" masq flush
expect 2 "hairpinctl: missing 'dev IFNAME' after 'add'" masq add
expect 2 "hairpinctl: expected 'dev' instead of 'wan0'" masq add wan0
expect 2 "hairpinctl: missing interface name after 'dev'" masq del dev
expect 2 "hairpinctl: interface name 'a-very-long-name0' is too long (17 bytes, at most 15)" \
	masq add dev a-very-long-name0
expect 2 "hairpinctl: invalid interface name 'wan 0'" masq add dev "wan 0"
expect 2 "hairpinctl: unknown filter 'symmetric' (independent, address or address-port)" \
	masq add dev wan0 filter symmetric
expect 2 "hairpinctl: missing value after 'filter' (independent, address or address-port)" \
	masq add dev wan0 filter
expect 2 "hairpinctl: unexpected argument 'filter'" masq del dev wan0 filter address
expect 2 "hairpinctl: invalid address '203.0.113'" masq add dev wan0 to 203.0.113
expect 2 "hairpinctl: missing address after 'to'" masq add dev wan0 to
expect 2 "hairpinctl: unexpected argument 'all'" masq show all
# upnp
expect 2 "hairpinctl: missing upnp command (follow)" upnp
expect 2 "hairpinctl: unknown upnp command 'watch'" upnp watch
expect 2 "hairpinctl: missing lease file (miniupnpd's lease_file)" upnp follow
expect 2 "hairpinctl: unexpected argument 'now'" upnp follow "$tmp/leases" now
expect 2 "hairpinctl: upnp follow: '$tmp/' is not the name of a file" upnp follow "$tmp/"
expect 2 "hairpinctl: upnp follow: '..' is not the name of a file" upnp follow ..
expect 1 "hairpinctl: upnp follow: watching $tmp/none: No such file or directory" \
	upnp follow "$tmp/none/leases"
printf 'upnp follow /run/miniupnpd.leases\n' >"$tmp/upnp.conf"
expect 2 "hairpinctl: $tmp/upnp.conf:1: 'upnp' cannot be part of a batch" -f "$tmp/upnp.conf"
expect 2 "hairpinctl: unknown option '-x'" -x
expect 2 "hairpinctl: -f needs a file name (- for standard input)" -f
expect 2 "hairpinctl: missing protocol (tcp or udp)" map add
# Output options: before the command, or after show, map show and monitor.
expect 2 "hairpinctl: unexpected argument '-x'" show -x
expect 2 "hairpinctl: unexpected argument 'all'" show -s all
expect 2 "hairpinctl: unexpected argument '-s'" -j map add tcp 80 to 10.0.0.2 -s
expect 2 "hairpinctl: unexpected argument 'now'" monitor now
expect 2 "hairpinctl: unexpected argument 'all'" save all
expect 2 "hairpinctl: save writes a file for -f, not JSON (try: map show -j and show -j)" -j save
expect 2 "hairpinctl: save writes a file for -f, not JSON (try: map show -j and show -j)" --pretty save
expect 2 "hairpinctl: unknown option '--jsn'" --jsn map show
"$prog" -j >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q '^Usage:' "$tmp/err"
ok $? "options without a command: usage on stderr, exit 2"
# A comment with spaces is one argument on the command line.
expect 2 "hairpinctl: unexpected argument 'x'" map add tcp 80 to 10.0.0.2 comment "two words" x

# Files: parsed whole before anything is sent.
printf '# rules\n\nmap flush\nmap add tcp 80 to 192.168.1.10 comment "web server"\nmap add tcp 81 to 10.0.0.300\n' >"$tmp/bad.conf"
expect 2 "hairpinctl: $tmp/bad.conf:5: invalid address '10.0.0.300'" -f "$tmp/bad.conf"
printf 'map flush\nmap show\n' | "$prog" -f - >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ "$(cat "$tmp/err")" = "hairpinctl: <stdin>:2: 'map show' cannot be part of a batch" ]
ok $? "-f - reads standard input, errors name <stdin>"
printf 'map flush\nset source lan\nset limit mappings 10 ports -1\n' >"$tmp/limit.conf"
expect 2 "hairpinctl: $tmp/limit.conf:3: invalid limit '-1' (must be 0-4294967295)" -f "$tmp/limit.conf"
printf 'map flush\nset udp-timeout 600\nset udp-timeout 100\n' >"$tmp/udp.conf"
expect 2 "hairpinctl: $tmp/udp.conf:3: invalid udp-timeout '100' (must be 120-86400 seconds)" \
	-f "$tmp/udp.conf"
printf 'map flush\nmasq add dev wan0 filter address\nmasq add dev wan1 filter full-cone\n' >"$tmp/masq.conf"
expect 2 "hairpinctl: $tmp/masq.conf:3: unknown filter 'full-cone' (independent, address or address-port)" \
	-f "$tmp/masq.conf"
printf 'masq show\n' >"$tmp/masq.conf"
expect 2 "hairpinctl: $tmp/masq.conf:1: 'masq show' cannot be part of a batch" -f "$tmp/masq.conf"
printf '# nothing to do\n\n' >"$tmp/empty.conf"
expect 0 "" -f "$tmp/empty.conf"
expect 1 "hairpinctl: $tmp/missing.conf: No such file or directory" -f "$tmp/missing.conf"
expect 2 "hairpinctl: unexpected argument 'more'" -f "$tmp/empty.conf" more

# -n NETNS, as ip -n: a namespace of /run/netns, named when it is missing.
expect 1 "hairpinctl: network namespace 'hp-none-$$' does not exist (no /run/netns/hp-none-$$)" \
	-n "hp-none-$$" show
expect 2 "hairpinctl: invalid network namespace name '../x'" -n ../x map show
expect 2 "hairpinctl: -n needs the name of a network namespace" -n
# Entering one takes root: "-f -" waits for its input in there, where
# "ip netns identify" finds it.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add "hp-cli-$$" 2>/dev/null; then
	netns=hp-cli-$$
	mkfifo "$tmp/fifo"
	exec 3<>"$tmp/fifo"
	"$prog" -n "$netns" -f - <"$tmp/fifo" >/dev/null 2>&1 3>&- &
	pid=$!
	tries=0
	while [ "$(ip netns identify "$pid" 2>/dev/null)" != "$netns" ] && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	[ "$(ip netns identify "$pid" 2>/dev/null)" = "$netns" ]
	ok $? "-n $netns: hairpinctl runs in that namespace"
	exec 3>&-
	wait "$pid"
	ok $? "  and applies the (empty) file there"
	"$prog" -n "$netns" version 2>/dev/null | grep -q '^hairpinctl [^ ]'
	ok $? "-n $netns version prints the tool's version"
else
	echo "# skip entering a namespace: needs root and ip(8)"
fi

# The kernel side, read-only when the module is there.
if "$prog" show >/dev/null 2>&1; then
	echo "# the hairpin module is loaded: only read-only commands"
	"$prog" map show >/dev/null
	ok $? "map show works"
	"$prog" version | grep -q '^module '
	ok $? "version shows the module's version"
else
	notloaded="hairpinctl: the hairpin module is not loaded (try: modprobe hairpin)"
	if "$prog" show 2>&1 | grep -q 'generic netlink socket'; then
		echo "# no generic netlink here: skipping the module checks"
	else
		expect 1 "$notloaded" show
		expect 1 "$notloaded" -j show -s
		expect 1 "$notloaded" map show
		expect 1 "$notloaded" map show -j
		expect 1 "$notloaded" masq show
		expect 1 "$notloaded" binding show
		expect 1 "$notloaded" -j binding show
		expect 1 "$notloaded" masq add dev wan0 filter address
		expect 1 "$notloaded" masq del dev wan0
		expect 1 "$notloaded" save
		expect 1 "$notloaded" monitor
		expect 1 "$notloaded" upnp follow "$tmp/leases"
		expect 1 "$notloaded" map add tcp 80 to 10.0.0.2
		expect 1 "$notloaded" set hairpin off
		expect 1 "$notloaded" set limit mappings 10 ports 100
		expect 1 "$notloaded" set udp-timeout 600 limit bindings 100
		printf 'map flush\n' >"$tmp/good.conf"
		expect 1 "$notloaded" -f "$tmp/good.conf"
		"$prog" version >"$tmp/out" 2>/dev/null
		[ $? = 1 ] && grep -q '^hairpinctl [^ ]' "$tmp/out"
		ok $? "version prints the tool's version without the module, exits 1"
		"$prog" -V >"$tmp/out2" 2>/dev/null
		[ $? = 1 ] && cmp -s "$tmp/out" "$tmp/out2"
		ok $? "-V is version"
	fi
fi

tap_done

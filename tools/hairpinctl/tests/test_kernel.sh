#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpinctl against the loaded module (so: in the test VM, as root), in a
# network namespace of its own, so the machine's mappings are not touched.
# Checks the exact output of map show and show, the kernel's extack after
# the tool's context, batches all or nothing with the failing line, the
# namespace's limits (show, set limit, ENOSPC, save, a user namespace's
# defaults), a 100k-line batch, and EPERM without CAP_NET_ADMIN. TAP; skips
# without the module.
#
#   tools/vm/run.sh -- 'modprobe nf_nat && insmod build/$(uname -r)/kmod/hairpin.ko &&
#                       tools/hairpinctl/tests/test_kernel.sh'
#
# The expected kernel messages are the module's extack texts: keep them in
# step with kmod/.

here=$(cd "$(dirname "$0")" && pwd)
prog=${1:-$here/../hairpinctl}
prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")

if [ -z "$HAIRPIN_IN_NETNS" ]; then
	if ! "$prog" version >/dev/null 2>&1; then
		echo "1..0 # SKIP the hairpin module is not loaded"
		exit 0
	fi
	HAIRPIN_IN_NETNS=1 exec unshare -n "$0" "$prog"
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tap.sh
. "$here/tap.sh"

# expect WANT_EXIT WANT_OUTPUT ARGS...: stdout and stderr together.
expect() {
	local want_rc=$1 want=$2 got rc
	shift 2
	got=$("$prog" "$@" 2>&1)
	rc=$?
	[ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]
	ok $? "exit $want_rc: hairpinctl $*"
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		echo "# got exit $rc:"
		printf '%s\n' "$got" | sed 's/^/#   /'
		echo "# want:"
		printf '%s\n' "$want" | sed 's/^/#   /'
	fi
}

# expect_like WANT_EXIT PATTERN ARGS...: as expect, for output that ends
# in a kernel message this script does not spell out (a shell pattern).
expect_like() {
	local want_rc=$1 want=$2 got rc good
	shift 2
	got=$("$prog" "$@" 2>&1)
	rc=$?
	# shellcheck disable=SC2053 # want is a pattern
	[ "$rc" = "$want_rc" ] && [[ $got == $want ]]
	good=$?
	ok $good "exit $want_rc: hairpinctl $*"
	if [ $good != 0 ]; then
		echo "# got exit $rc: $got"
		echo "# want: $want"
	fi
}

# The defaults of a network namespace of the initial user namespace.
max_maps=1048576
max_ports=4194304

expect 0 "" map show
module=$("$prog" version | sed -n 's/^module //p')
expect 0 "source lan
hairpin auto
module $module
mappings 0
limits mappings 0/$max_maps ports 0/$max_ports" show
expect 0 "source lan
hairpin auto
module $module
mappings 0
limits mappings 0/$max_maps ports 0/$max_ports
conns 0 hairpinned 0" show -s
"$prog" -j show | grep -q "\"mappings\":0,\"ports\":0,\"max_mappings\":$max_maps,\"max_ports\":$max_ports,"
ok $? "show -j: ports, max_mappings and max_ports"

expect 0 "" map add tcp 80 to 192.168.1.10 comment web
expect 1 "hairpinctl: map add tcp 80-90: File exists (kernel: mapping overlaps an existing mapping)" \
	map add tcp 80-90 to 192.168.1.11
expect 0 "" map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment "game server"
expect 0 "" map add tcp 8080 to 10.0.0.2:80
expect 1 "hairpinctl: map add tcp 9000: Invalid argument (kernel: internal address must be a unicast address)" \
	map add tcp 9000 to 127.0.0.1
expect 0 "tcp 80 to 192.168.1.10:80 comment web                                  conns 0 hairpinned 0
tcp 8080 to 10.0.0.2:80                                                conns 0 hairpinned 0
udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"  conns 0 hairpinned 0" map show
expect 1 "hairpinctl: map del tcp 81: No such file or directory (kernel: no mapping with this protocol, address and range)" \
	map del tcp 81
expect 0 "" map del tcp 80
expect 0 "" map replace tcp 8080 to 10.0.0.3:8081 comment 'q"b\'
expect 0 "tcp 8080 to 10.0.0.3:8081 comment \"q\\\"b\\\\\"                             conns 0 hairpinned 0
udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"  conns 0 hairpinned 0" map show

"$prog" show | grep -qx "limits mappings 2/$max_maps ports 12/$max_ports"
ok $? "show: 2 mappings take 12 ports (a range counts each of its ports)"

# What map show prints is what map add takes.
"$prog" map show | sed 's/  *conns .*//; s/^/map replace /' >"$tmp/paste.conf"
expect 0 "" -f "$tmp/paste.conf"
"$prog" show | grep -qx 'mappings 2'
ok $? "pasted map show lines replace the same two mappings"

expect 0 "" set source external hairpin always
"$prog" show | head -n 2 >"$tmp/out"
printf 'source external\nhairpin always\n' | cmp -s - "$tmp/out"
ok $? "show prints the settings first"
expect 0 "" set source lan
expect 0 "" set hairpin auto

# Limits: 2 mappings with 12 ports (tcp 8080, udp 5000-5010) now.
expect 0 "" set limit mappings 2 ports 12
"$prog" show | grep -qx 'limits mappings 2/2 ports 12/12'
ok $? "set limit: show has the new limits"
expect_like 1 "hairpinctl: map add tcp 9: No space left on device (kernel: *)" \
	map add tcp 9 to 10.0.0.9
expect_like 1 "hairpinctl: set limit mappings 1: No space left on device (kernel: *)" \
	set limit mappings 1
expect_like 1 "hairpinctl: set limit ports 11: No space left on device (kernel: *)" \
	set limit ports 11
expect 0 "" set limit mappings 3
expect_like 1 "hairpinctl: map add tcp 9: No space left on device (kernel: *)" \
	map add tcp 9 to 10.0.0.9
"$prog" show | grep -qx 'limits mappings 2/3 ports 12/12'
ok $? "refused requests changed nothing"
"$prog" save >"$tmp/limits.conf"
sed -n 3p "$tmp/limits.conf" | grep -qx 'set limit mappings 3 ports 12'
ok $? "save: the limits on the line after the settings, before the mappings"
printf 'map flush\nset limit mappings 1\nmap add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.2\n' >"$tmp/e.conf"
expect_like 1 "hairpinctl: $tmp/e.conf:4: No space left on device (kernel: *)" -f "$tmp/e.conf"
"$prog" save | cmp -s - "$tmp/limits.conf"
ok $? "a batch over its own limit changes nothing"
printf 'set limit mappings 4 ports 14\nmap add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.2\n' >"$tmp/f.conf"
expect 0 "" -f "$tmp/f.conf"
"$prog" show | grep -qx 'limits mappings 4/4 ports 14/14'
ok $? "a batch raises the limits, then fills them"
expect 0 "" -f "$tmp/limits.conf"
"$prog" save | cmp -s - "$tmp/limits.conf"
ok $? "restoring the saved file puts back the limits and the mappings"
expect 0 "" set limit mappings $max_maps ports $max_ports
if unshare -U true 2>/dev/null; then
	got=$(unshare -Urn sh -c '"$1" show' _ "$prog" 2>&1 | grep '^limits')
	[ "$got" = "limits mappings 0/1024 ports 0/65536" ]
	r=$?
	ok $r "a user namespace's defaults: 1024 mappings, 65536 ports"
	[ $r = 0 ] || echo "# got: $got"
	got=$(unshare -Urn sh -c '"$1" set limit mappings 10 && "$1" show' _ "$prog" 2>&1 |
	      tail -n 1)
	[ "$got" = "limits mappings 0/10 ports 0/65536" ]
	r=$?
	ok $r "its root lowers them"
	[ $r = 0 ] || echo "# got: $got"
	got=$(unshare -Urn "$prog" set limit mappings 1025 2>&1)
	[[ $got == "hairpinctl: set limit mappings 1025: Operation not permitted"* ]]
	r=$?
	ok $r "but cannot raise them above the defaults"
	[ $r = 0 ] || echo "# got: $got"
fi

# Batches: the failing line, and nothing applied.
"$prog" map show >"$tmp/before"
cat >"$tmp/b.conf" <<'EOF'
# batch test
map flush

map add tcp 1000 to 10.0.0.5
map add tcp 2000-2010 to 10.0.0.6
map add tcp 2005 to 10.0.0.7   # overlaps line 5
map add tcp 3000 to 10.0.0.8
EOF
expect 1 "hairpinctl: $tmp/b.conf:6: File exists (kernel: mapping overlaps an existing mapping)" \
	-f "$tmp/b.conf"
"$prog" map show | cmp -s - "$tmp/before"
ok $? "a failed batch changes nothing"
printf 'map add tcp 1000 to 10.0.0.5\nmap add tcp 1001 to 224.0.0.1\n' >"$tmp/c.conf"
expect 1 "hairpinctl: $tmp/c.conf:2: Invalid argument (kernel: internal address must be a unicast address)" \
	-f "$tmp/c.conf"
printf 'map flush\nmap add tcp 1000 to 10.0.0.5\nset hairpin off\n' >"$tmp/d.conf"
expect 0 "" -f - <"$tmp/d.conf"
expect 0 "tcp 1000 to 10.0.0.5:1000  conns 0 hairpinned 0" map show
"$prog" show | sed -n 2p | grep -qx 'hairpin off'
ok $? "the batch's set applied too"

# Without CAP_NET_ADMIN.
if command -v setpriv >/dev/null; then
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	got=$($nobody "$prog" map add tcp 5 to 10.0.0.1 2>&1)
	[ $? = 1 ] && [ "$got" = "hairpinctl: map add tcp 5: Operation not permitted (CAP_NET_ADMIN is needed)" ]
	ok $? "EPERM says CAP_NET_ADMIN is needed"
	$nobody "$prog" version | grep -q '^module '
	ok $? "version works without CAP_NET_ADMIN"
fi

# 100k lines in one batch, then a dump of them all.
awk 'BEGIN { print "map flush"; for (i = 0; i < 100000; i++)
	printf "map add %s %d to 10.%d.%d.%d comment n%d\n", (i % 2 ? "udp" : "tcp"),
		1 + int(i / 2), int(i / 65536) % 256, int(i / 256) % 256, 1 + i % 128, i }' \
	>"$tmp/big.conf"
expect 0 "" -f "$tmp/big.conf"
"$prog" show | grep -qx 'mappings 100000'
ok $? "100000 mappings from one batch"
"$prog" map show >"$tmp/show.out"
[ $? = 0 ] && [ "$(wc -l <"$tmp/show.out")" = 100000 ] &&
	[ "$(head -n 1 "$tmp/show.out")" = "tcp 1 to 10.0.0.1:1 comment n0                  conns 0 hairpinned 0" ]
ok $? "map show lists them all, sorted"
sed -i '$ s/.*/map add tcp 1 to 10.9.9.9/' "$tmp/big.conf"
expect 1 "hairpinctl: $tmp/big.conf:100001: File exists (kernel: mapping overlaps an existing mapping)" \
	-f "$tmp/big.conf"
expect 0 "" map flush
"$prog" show | grep -qx 'mappings 0'
ok $? "flushed"

tap_done

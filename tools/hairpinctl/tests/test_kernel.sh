#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpinctl against the loaded module (so: in the test VM, as root), in a
# network namespace of its own, so the machine's mappings are not touched.
# Checks the exact output of map show and show, the kernel's extack after
# the tool's context, batches all or nothing with the failing line, a
# 100k-line batch, and EPERM without CAP_NET_ADMIN. TAP; skips without the
# module.
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
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

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

expect 0 "" map show
module=$("$prog" version | sed -n 's/^module //p')
expect 0 "source lan
hairpin auto
module $module
mappings 0" show
expect 0 "source lan
hairpin auto
module $module
mappings 0
conns 0 hairpinned 0" show -s

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

echo "1..$n"
[ $failed = 0 ]

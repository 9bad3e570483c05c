#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion, without an interactive shell: sets COMP_WORDS and
# COMP_CWORD as bash would, calls the function, checks COMPREPLY. TAP.
#
# Usage: tests/test_completion.sh completion/hairpinctl.bash

# shellcheck source=../completion/hairpinctl.bash
source "${1:-completion/hairpinctl.bash}" || exit 99
n=0
failed=0

# expect "WANT" WORD...: completes the last WORD of "hairpinctl WORD...".
expect() {
	local want=$1
	shift
	COMP_WORDS=(hairpinctl "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_hairpinctl 2>/dev/null
	local got="${COMPREPLY[*]}"
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - hairpinctl $*<TAB>: $got"
	else
		echo "not ok $n - hairpinctl $*<TAB>"
		echo "# got:  '$got'"
		echo "# want: '$want'"
		failed=$((failed + 1))
	fi
}

expect "map masq binding upnp set show save monitor version help" ""
expect "map masq monitor" m
expect "binding" b
expect "map masq binding upnp set show save monitor version help" -j ""
expect "-j -p -s -n -f -V -h --json --pretty --stats --version --help" -
expect "--json --pretty --stats --version --help" --
expect "add del replace show flush help" map ""
expect "replace" map r
expect "tcp udp" map add ""
expect "udp" map replace u
expect "to" map add tcp 80 ""
expect "" map add tcp 80 to ""
expect "comment mirror" map add tcp 80 to 192.168.1.10 ""
expect "mirror" map replace tcp 80 to 192.168.1.10 m
expect "" map add tcp 80 to 192.168.1.10 comment ""
expect "mirror" map add tcp 80 to 192.168.1.10 comment web ""
expect "" map add tcp 80 to 192.168.1.10 mirror ""
expect "" map add tcp 80 to 192.168.1.10 comment web mirror ""
expect "tcp udp" map del ""
expect "" map del tcp ""
expect "-j -p" map show -
expect "add del show help" masq ""
expect "dev" masq add ""
expect "dev" masq del ""
expect "to filter" masq add dev wan0 ""
expect "" masq del dev wan0 ""
expect "independent address address-port" masq add dev wan0 filter ""
expect "address address-port" masq add dev wan0 filter a
expect "" masq add dev wan0 filter address ""
expect "" masq add dev wan0 to ""
expect "filter" masq add dev wan0 to 203.0.113.1 ""
expect "independent address address-port" masq add dev wan0 to 203.0.113.1 filter ""
expect "" masq add dev wan0 to 203.0.113.1 filter address ""
expect "-j -p" masq show -
expect "show help" binding ""
expect "-j -p" binding show -
expect "source hairpin scope udp-timeout limit" set ""
expect "lan external" set source ""
expect "auto always" set hairpin a
expect "own all" set scope ""
expect "all" set scope a
expect "source hairpin udp-timeout limit" set scope all ""
expect "hairpin scope udp-timeout limit" set source lan ""
expect "hairpin scope udp-timeout limit" set source 192.168.1.254 ""
expect "source scope udp-timeout limit" set hairpin off ""
expect "limit" set source lan hairpin off l
expect "udp-timeout" set source lan hairpin off u
expect "" set udp-timeout ""
expect "source hairpin scope limit" set udp-timeout 600 ""
expect "mappings ports bindings" set limit ""
expect "ports" set limit p
expect "bindings" set limit b
expect "" set limit mappings ""
expect "" set limit bindings ""
expect "ports bindings source hairpin scope udp-timeout" set limit mappings 100 ""
expect "mappings bindings source hairpin scope udp-timeout" set limit ports 100 ""
expect "bindings source hairpin scope udp-timeout" set limit ports 100 mappings 10 ""
expect "source hairpin scope udp-timeout" set limit ports 100 mappings 10 bindings 5 ""
expect "hairpin scope udp-timeout" set limit mappings 100 source lan ""
expect "ports" set source lan limit mappings 100 p
expect "follow help" upnp ""
expect "follow" upnp f
expect "-s -j -p" show -
expect "-j -p" monitor -
expect "map masq binding upnp set show save monitor version help" -j -p ""
expect "map masq binding upnp set show save monitor version help" -n router ""
expect "add del replace show flush help" -j -n router map ""

tmp=$(mktemp -d) || exit 99
made_ns=''
trap 'rm -rf "$tmp"; [ -z "$made_ns" ] || ip netns del "$made_ns"' EXIT
touch "$tmp/router.conf" "$tmp/other.conf"
expect "$tmp/router.conf" -f "$tmp/r"
expect "" -f "$tmp/router.conf" ""
touch "$tmp/miniupnpd.leases"
expect "$tmp/miniupnpd.leases" upnp follow "$tmp/mi"
expect "" upnp follow "$tmp/miniupnpd.leases" ""

# -n completes the names of /run/netns, which takes root to add one to.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add "hp-comp-$$" 2>/dev/null; then
	made_ns=hp-comp-$$
	expect "$made_ns" -n "hp-comp-$$"
	expect "$made_ns" -j -n hp-comp-
else
	echo "# skip -n NETNS: needs root and ip(8)"
fi

echo "1..$n"
[ $failed = 0 ]

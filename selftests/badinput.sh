#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input, table-driven: every malformed command line hairpinctl can be
# given, and every malformed request hairpinctl would never send (written
# out with tools/fuzz-nl/nlmsg: wrong types and lengths, missing, unknown
# and read-only attributes, out-of-range values, bad nesting, bad commands,
# flags and headers, batches failing halfway). Each gets its specific error:
# the exit status and the quoted value, or the errno, the extack message,
# the attribute it blames (the one marked "!") or the one it says is
# missing. And after each, the table and settings are as they were.
#
#   a namespace of its own (unshare -n) with three mappings and "source external"

# Long: selftests/run.sh starts it first.
# hairpin: long

# Hundreds of requests: run in the namespace rather than enter it for each.
[ -n "$HAIRPIN_BADINPUT_NETNS" ] || HAIRPIN_BADINPUT_NETNS=1 exec unshare -n "$0" "$@"
source "$(dirname "$0")/lib.sh"
NLMSG=${HAIRPIN_NLMSG:-$top/tools/fuzz-nl/nlmsg}
[ -x "$NLMSG" ] || skip "nlmsg not built: make -C tools/fuzz-nl"
load_module
"$HAIRPINCTL" map add tcp 80 to 192.168.1.10 comment web
"$HAIRPINCTL" map add udp 5000-5010 to 10.0.0.2:6000-6010
"$HAIRPINCTL" map add tcp 203.0.113.5:443 to 10.0.0.3
"$HAIRPINCTL" set source external
# Every mapping and setting, as -f would restore them.
state() { "$HAIRPINCTL" save; }
before=$(state)
unchanged() {
	local now
	now=$(state)
	[ "$now" = "$before" ] && return 0
	echo "# the state changed:"
	diff <(echo "$before") <(echo "$now") | sed 's/^/#   /'
	return 1
}
# trim VAR: strips the spaces around a table's cell.
trim() {
	local -n v=$1
	v=${v#"${v%%[![:space:]]*}"}
	v=${v%"${v##*[![:space:]]}"}
}
tmp=$(mktemp -d)
long=$(printf 'x%.0s' $(seq 64))
printf 'map flush\nmap add tcp 1 to 10.0.0.1\nmap add tcp 2 to 10.0.0.300\n' >"$tmp/bad.conf"
printf 'map flush\nmap add tcp 1 to 10.0.0.1\nmap add tcp 1 to 10.0.0.2\n' >"$tmp/overlap.conf"
printf 'map flush\nset hairpin off\nmap add tcp 2 to 127.0.0.2\n' >"$tmp/flush-then-bad.conf"
printf 'masq add dev wan0\nmasq add dev wan1 to 192.0.2.1.5\n' >"$tmp/masq-to.conf"

# EXIT | what the message must contain | hairpinctl arguments
while IFS='|' read -r want_rc want args; do
	trim want_rc
	[ -n "$want_rc" ] && [ "${want_rc#\#}" = "$want_rc" ] || continue
	trim want
	# shellcheck disable=SC2086 # the words of the arguments
	got=$("$HAIRPINCTL" $args 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [[ $got == *"$want"* ]] && unchanged; then
		pass "hairpinctl$args: $got"
	else
		fail "hairpinctl$args: exit $rc, '$got' (want exit $want_rc, '$want')"
	fi
done <<EOF
# The parser: exit 2, nothing sent, the bad value quoted.
2 | unknown protocol 'sctp'                 | map add sctp 80 to 10.0.0.2
2 | unknown protocol 'TCP'                  | map add TCP 80 to 10.0.0.2
2 | invalid port '0'                        | map add tcp 0 to 10.0.0.2
2 | invalid port '65536'                    | map add udp 65536 to 10.0.0.2
2 | '-1'                                    | map add tcp -1 to 10.0.0.2
2 | invalid port '80x'                      | map add tcp 80x to 10.0.0.2
2 | '80-'                                   | map add tcp 80- to 10.0.0.2
2 | reversed port range '7009-7000'         | map add tcp 7009-7000 to 10.0.0.2
2 | invalid port '65536'                    | map add tcp 1-65536 to 10.0.0.2
2 | invalid address '10.0.0.300'            | map add tcp 80 to 10.0.0.300
2 | invalid address '10.0.0'                | map add tcp 80 to 10.0.0
2 | invalid address '10.0.0.1.5'            | map add tcp 80 to 10.0.0.1.5
2 | invalid address 'server'                | map add tcp 80 to server
2 | invalid address '10.0.0.300'            | map add tcp 10.0.0.300:80 to 10.0.0.2
2 | invalid port '0'                        | map add tcp 80 to 10.0.0.2:0
2 | invalid port '65536'                    | map add tcp 80 to 10.0.0.2:65536
2 | internal port range '8000-8005'         | map add tcp 80-90 to 10.0.0.2:8000-8005
2 | internal port range '80-81'             | map add tcp 80 to 10.0.0.2:80-81
2 | missing protocol                        | map add
2 | missing port after 'tcp'                | map add tcp
2 | missing 'to                             | map add tcp 80
2 | missing address after 'to'              | map add tcp 80 to
2 | expected 'to' instead of '10.0.0.2'     | map replace tcp 80 10.0.0.2
2 | missing text after 'comment'            | map add tcp 80 to 10.0.0.2 comment
2 | is too long                             | map add tcp 80 to 10.0.0.2 comment $long
2 | unexpected argument 'note'              | map add tcp 80 to 10.0.0.2 note x
2 | unexpected argument 'extra'             | map add tcp 80 to 10.0.0.2 comment web extra
2 | unexpected argument 'to'                | map del tcp 80 to 10.0.0.2
2 | missing port after 'tcp'                | map del tcp
2 | unexpected argument 'all'               | map flush all
2 | unexpected argument 'all'               | map show all
2 | unknown map command 'list'              | map list
2 | missing map command                     | map
2 | unknown command 'mapp'                  | mapp add tcp 80 to 10.0.0.2
2 | unknown source 'wan'                    | set source wan
2 | unknown hairpin mode 'maybe'            | set hairpin maybe
2 | unknown setting 'mode'                  | set mode auto
2 | missing setting                         | set
2 | missing value after 'source'            | set source
2 | unknown source 'address'                | set source address
2 | invalid address '0.0.0.0'               | set source 0.0.0.0
2 | invalid address '192.168.1.300'         | set source 192.168.1.300
2 | missing value after 'hairpin'           | set hairpin
2 | unknown scope 'everything'              | set scope everything
2 | missing value after 'scope'             | set scope
2 | 'scope' given twice                     | set scope all scope own
2 | unexpected argument 'x'                 | show x
2 | unknown option '-x'                     | -x
2 | -f needs a file name                    | -f
2 | $tmp/bad.conf:3: invalid address '10.0.0.300' | -f $tmp/bad.conf
2 | missing address after 'to'              | masq add dev wan0 to
2 | invalid address '0.0.0.0'               | masq add dev wan0 to 0.0.0.0
2 | invalid address '203.0.113'             | masq add dev wan0 to 203.0.113
2 | invalid address 'vip'                   | masq add dev wan0 to vip filter address
2 | unexpected argument 'to'                | masq add dev wan0 filter address to 203.0.113.1
2 | unexpected argument 'to'                | masq del dev wan0 to 203.0.113.1
2 | $tmp/masq-to.conf:2: invalid address '192.0.2.1.5' | -f $tmp/masq-to.conf
1 | No such file or directory               | -f $tmp/missing.conf
# The kernel: exit 1 and its extack message.
1 | internal address must be a unicast address | map add tcp 9000 to 127.0.0.1
1 | internal address must be a unicast address | map add tcp 9000 to 224.0.0.1
2 | invalid address '0.0.0.0'             | map add tcp 9000 to 0.0.0.0
1 | internal address must be a unicast address | map add tcp 9000 to 255.255.255.255
1 | external address must be a unicast address | map add tcp 127.0.0.1:9000 to 10.0.0.2
1 | external address must be a unicast address | map add tcp 239.1.1.1:9000 to 10.0.0.2
1 | source address must be a unicast address | set source 127.0.0.1
1 | source address must be a unicast address | set source 224.0.0.1
1 | source address must be a unicast address | set source 255.255.255.255
2 | internal port range '65535' has 1 port  | map add udp 65530-65535 to 10.0.0.2:65535
1 | mapping overlaps an existing mapping    | map add tcp 70-80 to 10.0.0.2
1 | mapping overlaps an existing mapping    | map add udp 5010-5020 to 10.0.0.2
1 | no mapping with this protocol, address and range | map del tcp 81
1 | no mapping with this protocol, address and range | map del tcp 80-81
1 | no mapping with this protocol, address and range | map del udp 5000
1 | no mapping with this protocol, address and range | map del tcp 443
1 | no mapping with this protocol, address and range | map del tcp 203.0.113.6:443
1 | mapping overlaps an existing mapping    | -f $tmp/overlap.conf
1 | internal address must be a unicast address | -f $tmp/flush-then-bad.conf
1 | masq address must be a unicast address  | masq add dev wan0 to 127.0.0.1
1 | masq address must be a unicast address  | masq add dev wan0 to 224.0.0.1 filter address
1 | masq address must be a unicast address  | masq add dev wan0 to 255.255.255.255
EOF


# ERRNO | extack message (part) | missing attribute | nlmsg request
# A valid mapping, and a valid one of the batch tests.
M="proto=6 port=9000 to_addr=10.0.0.1"
while IFS='|' read -r want_errno want_msg want_miss spec; do
	trim want_errno
	[ -n "$want_errno" ] && [ "${want_errno#\#}" = "$want_errno" ] || continue
	trim want_msg
	trim want_miss
	opts=(-e "$want_errno")
	[ -z "$want_msg" ] || opts+=(-m "$want_msg")
	[ -z "$want_miss" ] || opts+=(-M "$want_miss")
	# shellcheck disable=SC2086 # the words of the request
	if out=$("$NLMSG" "${opts[@]}" $spec 2>&1) && unchanged; then
		pass "$spec: $(sed -n 's/^got: //p' <<<"$out")"
	else
		fail "$spec"
		sed 's/^/#   /' <<<"$out"
	fi
done <<EOF
# Commands, flags, headers.
EOPNOTSUPP ||| unspec
EOPNOTSUPP ||| 13
EOPNOTSUPP ||| 255
EOPNOTSUPP ||| get_map
EOPNOTSUPP ||| get_config flags=request,ack,dump
EOPNOTSUPP ||| flush_maps flags=request,ack,dump
EINVAL | genlmsghdr.reserved field is not 0 || get_config reserved=1
EINVAL | genlmsghdr.reserved field is not 0 || flush_maps reserved=0x8000
EINVAL | ambiguous or reserved bits set in nlmsg_flags || new_map flags=request,ack,create map{ $M }
EINVAL | ambiguous or reserved bits set in nlmsg_flags || replace_map flags=request,ack,replace map{ $M }
EINVAL | ambiguous or reserved bits set in nlmsg_flags || flush_maps flags=request,ack,excl
EINVAL | ambiguous or reserved bits set in nlmsg_flags || del_map flags=request,ack,append map{ proto=6 port=80 }
EINVAL ||| flush_maps len=17
# Attributes a command does not take, and unknown ones.
EINVAL | Unsupported attribute || get_config !source=0
EINVAL | Unsupported attribute || flush_maps !map{ proto=6 port=80 }
EINVAL | Unsupported attribute || new_map !source=0 map{ $M }
EINVAL | Unsupported attribute || del_map !op{ cmd=7 } map{ proto=6 port=80 }
EINVAL | Unsupported attribute || set_config !map{ $M }
EINVAL | Unsupported attribute || set_config mode=1 !version=x
EINVAL | Unsupported attribute || set_config !mappings=1
EINVAL | Unsupported attribute || set_config !pad=
EINVAL | Unsupported attribute || get_map flags=request,dump !mode=0
EINVAL | Unknown attribute type || get_config !21:u8=1
EINVAL | Unsupported attribute || get_config !10:u32=1
EINVAL | invalid attribute length || set_config !10:u16=1
EINVAL | invalid attribute length || set_config source=0 !11:u8=1
EINVAL | Unsupported attribute || set_config !12:u32=1
EINVAL | Unknown attribute type || set_config !0:u8=1
EINVAL | Unknown attribute type || set_config source=0 !999:u32=1
EINVAL | bytes leftover after parsing attributes || set_config source=0 raw=0102
# Settings.
EINVAL | nothing to set || set_config
ERANGE | integer out of range || set_config !source=3
ERANGE | integer out of range || set_config !mode=3
ERANGE | integer out of range || set_config source=0 !mode=255
EINVAL | invalid attribute length || set_config !source:u16=0
EINVAL | invalid attribute length || set_config !mode:u32=0
EINVAL | invalid attribute length || set_config !mode:empty=
EINVAL | NLA_F_NESTED not expected || set_config !source:nested=0
ERANGE | integer out of range || set_config !scope=2
ERANGE | integer out of range || set_config source=0 !scope=255
EINVAL | invalid attribute length || set_config !scope:u32=1
EINVAL | Unsupported attribute || set_config scope=0 !others_hairpinned=1
EINVAL | Unsupported attribute || get_config !scope=0
EINVAL | Unsupported attribute || new_map !scope=1 map{ $M }
# The source's address: only with source 2 (an address), and unicast.
EINVAL | source HAIRPIN_SOURCE_ADDR needs the source address | 20 | set_config !source=2
EINVAL | source HAIRPIN_SOURCE_ADDR needs the source address | 20 | set_config mode=0 !source=2
EINVAL | the source address is only for source HAIRPIN_SOURCE_ADDR || set_config !source_addr=192.168.1.254
EINVAL | the source address is only for source HAIRPIN_SOURCE_ADDR || set_config source=0 !source_addr=192.168.1.254
EINVAL | the source address is only for source HAIRPIN_SOURCE_ADDR || set_config source=1 mode=0 !source_addr=192.168.1.254
EINVAL | source address must be a unicast address || set_config source=2 !source_addr=0.0.0.0
EINVAL | source address must be a unicast address || set_config source=2 !source_addr=127.0.0.1
EINVAL | source address must be a unicast address || set_config source=2 !source_addr=224.0.0.1
EINVAL | source address must be a unicast address || set_config source=2 !source_addr=255.255.255.255
EINVAL | invalid attribute length || set_config source=2 !source_addr:u16=1
EINVAL | invalid attribute length || set_config source=2 !source_addr:u64=1
EINVAL | Unsupported attribute || get_config !source_addr=192.168.1.254
EINVAL | Unsupported attribute || new_map !source_addr=192.168.1.254 map{ $M }
# The mapping itself.
EINVAL | a mapping is required || new_map
EINVAL | a mapping is required || del_map
EINVAL | a mapping is required || replace_map
EINVAL || proto | new_map map{ port=9000 to_addr=10.0.0.1 }
EINVAL || port | new_map map{ proto=6 to_addr=10.0.0.1 }
EINVAL || to_addr | new_map map{ proto=6 port=9000 }
EINVAL || to_addr | replace_map map{ proto=6 port=80 }
EINVAL || proto | del_map map{ port=80 }
EINVAL || port | del_map map{ proto=6 }
EINVAL || proto | new_map map{ }
EINVAL | NLA_F_NESTED is missing || new_map !map:flat{ $M }
ERANGE | Attribute failed policy validation || new_map !map:u16:nested=5
EINVAL | invalid attribute length || new_map map{ !proto:u16=6 port=9000 to_addr=10.0.0.1 }
EINVAL | invalid attribute length || new_map map{ !proto:empty= port=9000 to_addr=10.0.0.1 }
EINVAL | NLA_F_NESTED not expected || new_map map{ !proto:nested=6 port=9000 to_addr=10.0.0.1 }
EINVAL | protocol must be tcp (6) or udp (17) || new_map map{ !proto=1 port=9000 to_addr=10.0.0.1 }
EINVAL | protocol must be tcp (6) or udp (17) || new_map map{ !proto=0 port=9000 to_addr=10.0.0.1 }
EINVAL | protocol must be tcp (6) or udp (17) || del_map map{ !proto=132 port=80 }
EINVAL | invalid attribute length || new_map map{ proto=6 !addr:u16=1 port=9000 to_addr=10.0.0.1 }
EINVAL | invalid attribute length || new_map map{ proto=6 !addr:u64=1 port=9000 to_addr=10.0.0.1 }
EINVAL | external address must be a unicast address || new_map map{ proto=6 !addr=0.0.0.0 port=9000 to_addr=10.0.0.1 }
EINVAL | external address must be a unicast address || new_map map{ proto=6 !addr=127.0.0.1 port=9000 to_addr=10.0.0.1 }
EINVAL | external address must be a unicast address || new_map map{ proto=6 !addr=224.0.0.1 port=9000 to_addr=10.0.0.1 }
EINVAL | external address must be a unicast address || del_map map{ proto=6 !addr=255.255.255.255 port=80 }
ERANGE | integer out of range || new_map map{ proto=6 !port=0 to_addr=10.0.0.1 }
EINVAL | invalid attribute length || new_map map{ proto=6 !port:u8=80 to_addr=10.0.0.1 }
EINVAL | invalid attribute length || new_map map{ proto=6 !port:u32=80 to_addr=10.0.0.1 }
ERANGE | integer out of range || new_map map{ proto=6 port=9000 !port_max=0 to_addr=10.0.0.1 }
EINVAL | port range ends before it starts || new_map map{ proto=6 port=9000 !port_max=8999 to_addr=10.0.0.1 }
EINVAL | port range ends before it starts || del_map map{ proto=6 port=80 !port_max=79 }
EINVAL | internal address must be a unicast address || new_map map{ proto=6 port=9000 !to_addr=0.0.0.0 }
EINVAL | internal address must be a unicast address || new_map map{ proto=6 port=9000 !to_addr=127.1.2.3 }
EINVAL | internal address must be a unicast address || replace_map map{ proto=6 port=80 !to_addr=239.255.255.250 }
EINVAL | internal address must be a unicast address || new_map map{ proto=6 port=9000 !to_addr=255.255.255.255 }
EINVAL | invalid attribute length || new_map map{ proto=6 port=9000 !to_addr:u8=10 }
ERANGE | integer out of range || new_map map{ $M !to_port=0 }
EINVAL | invalid attribute length || new_map map{ $M !to_port:u32=80 }
EINVAL | internal port range ends beyond 65535 || new_map map{ proto=17 port=65530 port_max=65535 to_addr=10.0.0.1 !to_port=65535 }
EINVAL | internal port range ends beyond 65535 || new_map map{ proto=6 port=1 port_max=65535 to_addr=10.0.0.1 !to_port=2 }
EINVAL | Attribute failed policy validation || new_map map{ $M !comment:chars=web }
EINVAL | Attribute failed policy validation || new_map map{ $M !comment:empty= }
EINVAL | Attribute failed policy validation || new_map map{ $M !comment=$long }
EINVAL | Attribute failed policy validation || new_map map{ $M !conns=1 }
EINVAL | Attribute failed policy validation || new_map map{ $M !hairpinned=0 }
EINVAL | Attribute failed policy validation || replace_map map{ proto=6 port=80 to_addr=10.0.0.1 !conns=0 }
EINVAL | Unsupported attribute || new_map map{ $M !pad:empty= }
EINVAL | reserved bit set || new_map map{ $M !flags=2 }
EINVAL | reserved bit set || new_map map{ $M !flags=0x80000001 }
EINVAL | reserved bit set || replace_map map{ proto=6 port=80 to_addr=10.0.0.1 !flags=0xffffffff }
EINVAL | reserved bit set || del_map map{ proto=6 port=80 !flags=2 }
EINVAL | invalid attribute length || new_map map{ $M !flags:u8=1 }
EINVAL | invalid attribute length || new_map map{ $M !flags:u64=1 }
EINVAL | invalid attribute length || new_map map{ $M !flags:empty= }
EINVAL | Unknown attribute type || new_map map{ $M !12:u8=1 }
EINVAL | Unknown attribute type || new_map map{ !0:u8=1 $M }
EINVAL | bytes leftover after parsing attributes || new_map map{ $M raw=0500 }
ERANGE | Attribute failed policy validation || new_map map{ $M } !map:u16:nested=1
# The table's answers.
EEXIST | mapping overlaps an existing mapping || new_map map{ proto=6 port=70 port_max=80 to_addr=10.0.0.1 }
EEXIST | mapping overlaps an existing mapping || new_map map{ proto=6 addr=203.0.113.5 port=443 to_addr=10.0.0.1 }
ENOENT | no mapping with this protocol, address and range || del_map map{ proto=6 port=81 }
ENOENT | no mapping with this protocol, address and range || del_map map{ proto=17 port=5000 port_max=5009 }
ENOENT | no mapping with this protocol, address and range || del_map map{ proto=6 port=443 }
# Batches: all or nothing, blaming the operation or what is inside it.
EINVAL | empty batch || batch
EINVAL | Unsupported attribute || batch !map{ $M }
EINVAL | Unsupported attribute || batch op{ cmd=7 } !source=0
EINVAL || cmd | batch op{ }
EINVAL || cmd | batch op{ cmd=7 } !op{ map{ $M } }
EINVAL | NLA_F_NESTED is missing || batch !op:flat{ cmd=7 }
EINVAL | Unknown attribute type || batch op{ cmd=7 !12:u8=1 }
ERANGE | integer out of range || batch op{ !cmd=0 }
ERANGE | integer out of range || batch op{ !cmd=1 }
EINVAL | command not allowed in a batch || batch !op{ cmd=6 }
EINVAL | command not allowed in a batch || batch !op{ cmd=8 }
ERANGE | integer out of range || batch op{ !cmd=11 }
ERANGE | integer out of range || batch op{ cmd=2 !source=3 }
EINVAL | source HAIRPIN_SOURCE_ADDR needs the source address | source_addr | batch op{ cmd=2 !source=2 }
EINVAL | the source address is only for source HAIRPIN_SOURCE_ADDR || batch op{ cmd=7 } op{ cmd=2 source=0 !source_addr=192.168.1.254 }
EINVAL | source address must be a unicast address || batch op{ cmd=2 source=2 !source_addr=127.0.0.1 }
EINVAL | source address must be a unicast address || batch op{ cmd=2 mode=1 } op{ cmd=2 source=2 !source_addr=0.0.0.0 }
ERANGE | integer out of range || batch op{ cmd=2 !mode=7 }
EINVAL | invalid attribute length || batch op{ !cmd:u16=7 }
EINVAL | a mapping is required || batch !op{ cmd=3 }
EINVAL | a masq rule is required || batch !op{ cmd=9 }
ERANGE | integer out of range || batch op{ cmd=2 !udp_timeout=86401 }
ERANGE | integer out of range || batch op{ cmd=2 !scope=2 }
EINVAL | invalid attribute length || batch op{ cmd=2 !scope:u16=1 }
# masq rules.
EINVAL | a masq rule is required || new_masq
EINVAL | the interface name is empty || new_masq masq{ !ifname= }
ERANGE | integer out of range || new_masq masq{ ifname=wan0 !filter=3 }
EINVAL | Attribute failed policy validation || new_masq masq{ ifname=wan0 !bindings=1 }
EINVAL | Unsupported attribute || new_masq !map{ $M } masq{ ifname=wan0 }
EINVAL || ifname | del_masq masq{ filter=1 }
ENOENT | no masq rule on that interface || del_masq masq{ ifname=nope }
EINVAL | masq address must be a unicast address || new_masq masq{ ifname=wan0 !addr=0.0.0.0 }
EINVAL | masq address must be a unicast address || new_masq masq{ ifname=wan0 !addr=127.0.0.1 }
EINVAL | masq address must be a unicast address || new_masq masq{ ifname=wan0 filter=1 !addr=239.1.1.1 }
EINVAL | masq address must be a unicast address || new_masq masq{ ifname=wan0 !addr=255.255.255.255 }
EINVAL | masq address must be a unicast address || batch op{ cmd=9 masq{ ifname=wan0 } } op{ cmd=9 masq{ ifname=wan1 !addr=127.255.255.254 } }
EINVAL | invalid attribute length || new_masq masq{ ifname=wan0 !addr:u16=1 }
EINVAL | invalid attribute length || new_masq masq{ ifname=wan0 !addr:u64=1 }
EEXIST | another masq rule has that address || batch op{ cmd=9 masq{ ifname=wan0 addr=192.0.2.1 } } !op{ cmd=9 masq{ ifname=wan1 addr=192.0.2.1 } }
ERANGE | integer out of range || set_config !udp_timeout=119
EINVAL | Unsupported attribute || get_binding flags=request,dump !masq{ ifname=wan0 }
EINVAL | a mapping is required || batch op{ cmd=7 } !op{ cmd=4 }
EINVAL | nothing to set || batch !op{ cmd=2 }
EINVAL | protocol must be tcp (6) or udp (17) || batch op{ cmd=3 map{ !proto=1 port=9000 to_addr=10.0.0.1 } }
EINVAL || to_addr | batch op{ cmd=5 map{ proto=6 port=9000 } }
EEXIST | mapping overlaps an existing mapping || batch op{ cmd=3 map{ $M } } !op{ cmd=3 map{ $M } }
EINVAL | reserved bit set || batch op{ cmd=3 map{ $M flags=1 } } op{ cmd=5 map{ proto=6 port=80 to_addr=10.0.0.1 !flags=4 } }
EEXIST | mapping overlaps an existing mapping || batch op{ cmd=7 } op{ cmd=3 map{ $M } } !op{ cmd=3 map{ $M } }
ENOENT | no mapping with this protocol, address and range || batch op{ cmd=4 map{ proto=6 port=80 } } !op{ cmd=4 map{ proto=6 port=80 } }
EINVAL | internal address must be a unicast address || batch op{ cmd=7 } op{ cmd=2 mode=2 } op{ cmd=5 map{ $M } } op{ cmd=3 map{ proto=6 port=9001 !to_addr=127.0.0.1 } }
EINVAL | external address must be a unicast address || batch op{ cmd=4 map{ proto=6 port=80 } } op{ cmd=7 } op{ cmd=7 } op{ cmd=3 map{ proto=6 !addr=0.0.0.0 port=1 to_addr=10.0.0.1 } }
EOF
rm -rf "$tmp"
finish

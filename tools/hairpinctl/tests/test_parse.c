// SPDX-License-Identifier: GPL-2.0
/*
 * The hairpinctl grammar, without a kernel: good lines, every kind of bad
 * input with its exact message, -f files, and formatting back to text.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>

#include "../file.h"
#include "../format.h"
#include "../grammar.h"
#include "../lex.h"
#include "tap.h"

static const char *last_error;

/* Splits and parses one line as a -f file line (the command line goes
 * through the same parse_map_cmd()/parse_set_cmd()).
 */
static bool parse_line(const char *line, struct hp_op *op)
{
	char words[1024], *argv[HP_MAX_WORDS];
	bool ret;
	int argc;

	memset(op, 0xa5, sizeof(*op));
	capture_start();
	ret = parse_words(line, words, &argc, argv) && parse_op(argc, argv, op);
	last_error = capture_end();
	return ret;
}

static uint32_t ip(const char *s)
{
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

static void good(const char *line, struct hp_op *op)
{
	bool ret = parse_line(line, op);

	ok(ret && !*last_error, "parses: %s", line);
	if (!ret)
		diag("error: %s", last_error);
}

static void bad(const char *line, const char *want)
{
	struct hp_op op;
	bool ret = parse_line(line, &op);

	ok(!ret && !strcmp(last_error, want), "rejects: %s", line);
	if (ret || strcmp(last_error, want))
		diag("got  '%s'\n# want '%s'", last_error, want);
}

static void test_good(void)
{
	struct hp_op op;
	struct hp_map *m = &op.map;

	good("map add tcp 80 to 192.168.1.10", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MAP && m->proto == IPPROTO_TCP &&
	   !m->has_addr && m->port == 80 && m->port_max == 80 && m->has_to &&
	   m->to_addr == ip("192.168.1.10") && !m->has_to_port &&
	   m->to_port == 80 && !m->comment[0] && !m->flags,
	   "  fields: any address, one port, internal port = external, no flags");

	good("map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment game", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MAP && m->proto == IPPROTO_UDP &&
	   m->has_addr && m->addr == ip("203.0.113.5") && m->port == 5000 &&
	   m->port_max == 5010 && m->to_addr == ip("10.0.0.2") &&
	   m->has_to_port && m->to_port == 6000 && !strcmp(m->comment, "game"),
	   "  fields: address, ranges, comment");

	good("map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MAP && m->port == 8081 && m->to_port == 80 &&
	   !strcmp(m->comment, "miniupnpd: cam") && m->flags == HAIRPIN_MAP_F_MIRROR,
	   "  fields: a mirror, after the comment");

	good("map replace udp 5000-5001 to 10.0.0.2 mirror", &op);
	ok(op.cmd == HAIRPIN_CMD_REPLACE_MAP && m->port_max == 5001 &&
	   !m->comment[0] && m->flags == HAIRPIN_MAP_F_MIRROR,
	   "  fields: a mirror without a comment, replaced");

	good("map add tcp 8081 to 10.0.0.2 comment mirror", &op);
	ok(!strcmp(m->comment, "mirror") && !m->flags,
	   "  fields: the comment \"mirror\" is only a comment");

	good("map add tcp 8080 to 10.0.0.2:80", &op);
	ok(m->port == 8080 && m->port_max == 8080 && m->has_to_port &&
	   m->to_port == 80, "  fields: single port to single port");

	good("map add tcp 1-65535 to 10.0.0.2:1-65535", &op);
	ok(m->port == 1 && m->port_max == 65535 && m->to_port == 1,
	   "  fields: the whole port space");

	good("map add tcp 80-90 to 10.0.0.2:80-90", &op);
	ok(m->port == 80 && m->port_max == 90 && m->to_port == 80,
	   "  fields: same range explicitly");

	good("map replace tcp 80-90 to 10.0.0.3", &op);
	ok(op.cmd == HAIRPIN_CMD_REPLACE_MAP && m->port == 80 &&
	   m->port_max == 90 && !m->has_to_port,
	   "  fields: replace, range, no internal port");

	good("map del tcp 80-90", &op);
	ok(op.cmd == HAIRPIN_CMD_DEL_MAP && m->port == 80 && m->port_max == 90 &&
	   !m->has_to && !m->has_addr, "  fields: del by ports");

	good("map del udp 1.2.3.4:53", &op);
	ok(op.cmd == HAIRPIN_CMD_DEL_MAP && m->proto == IPPROTO_UDP &&
	   m->has_addr && m->addr == ip("1.2.3.4") && m->port == 53,
	   "  fields: del by address and port");

	good("map flush", &op);
	ok(op.cmd == HAIRPIN_CMD_FLUSH_MAPS, "  fields: flush");

	good("set source external", &op);
	ok(op.cmd == HAIRPIN_CMD_SET_CONFIG &&
	   op.source == HAIRPIN_SOURCE_EXTERNAL && op.mode == HP_UNSET,
	   "  fields: source only");

	good("set hairpin off", &op);
	ok(op.mode == HAIRPIN_MODE_OFF && op.source == HP_UNSET,
	   "  fields: mode only");

	good("set hairpin always source lan", &op);
	ok(op.mode == HAIRPIN_MODE_ALWAYS && op.source == HAIRPIN_SOURCE_LAN &&
	   !op.has_max_maps && !op.has_max_ports,
	   "  fields: both settings, no limits");

	good("set limit mappings 1024", &op);
	ok(op.cmd == HAIRPIN_CMD_SET_CONFIG && op.has_max_maps &&
	   op.max_maps == 1024 && !op.has_max_ports && op.source == HP_UNSET &&
	   op.mode == HP_UNSET, "  fields: the mappings limit only");

	good("set limit ports 65536", &op);
	ok(op.has_max_ports && op.max_ports == 65536 && !op.has_max_maps &&
	   op.source == HP_UNSET && op.mode == HP_UNSET,
	   "  fields: the ports limit only");

	good("set limit mappings 3 ports 7", &op);
	ok(op.has_max_maps && op.max_maps == 3 && op.has_max_ports &&
	   op.max_ports == 7, "  fields: both limits");

	good("set limit ports 4294967295 mappings 0", &op);
	ok(op.has_max_maps && op.max_maps == 0 && op.has_max_ports &&
	   op.max_ports == UINT32_MAX, "  fields: both limits the other way, 0 and 2^32-1");

	good("set limit mappings 00000000000000000000042", &op);
	ok(op.has_max_maps && op.max_maps == 42, "  fields: leading zeros");

	good("set source external limit ports 10 mappings 2 hairpin off", &op);
	ok(op.source == HAIRPIN_SOURCE_EXTERNAL && op.mode == HAIRPIN_MODE_OFF &&
	   op.has_max_maps && op.max_maps == 2 && op.has_max_ports &&
	   op.max_ports == 10, "  fields: limits between the settings");

	good("set hairpin auto limit mappings 5", &op);
	ok(op.mode == HAIRPIN_MODE_AUTO && op.has_max_maps && op.max_maps == 5 &&
	   !op.has_max_ports && op.source == HP_UNSET, "  fields: a setting, then a limit");

	good("set udp-timeout 600", &op);
	ok(op.cmd == HAIRPIN_CMD_SET_CONFIG && op.has_udp_timeout &&
	   op.udp_timeout == 600 && op.source == HP_UNSET && op.mode == HP_UNSET &&
	   !op.has_max_maps && !op.has_max_ports && !op.has_max_bindings,
	   "  fields: the UDP timeout only");

	good("set udp-timeout 120", &op);
	ok(op.has_udp_timeout && op.udp_timeout == 120, "  fields: the shortest UDP timeout");

	good("set udp-timeout 86400", &op);
	ok(op.has_udp_timeout && op.udp_timeout == 86400, "  fields: the longest UDP timeout");

	good("set limit bindings 4096", &op);
	ok(op.has_max_bindings && op.max_bindings == 4096 && !op.has_max_maps &&
	   !op.has_max_ports && !op.has_udp_timeout,
	   "  fields: the bindings limit only");

	good("set limit ports 9 bindings 0 mappings 8 hairpin auto udp-timeout 300", &op);
	ok(op.has_max_ports && op.max_ports == 9 && op.has_max_bindings &&
	   op.max_bindings == 0 && op.has_max_maps && op.max_maps == 8 &&
	   op.mode == HAIRPIN_MODE_AUTO && op.has_udp_timeout && op.udp_timeout == 300,
	   "  fields: three limits, a setting and the UDP timeout");

	good("set scope all", &op);
	ok(op.cmd == HAIRPIN_CMD_SET_CONFIG && op.has_scope &&
	   op.scope == HAIRPIN_SCOPE_ALL && op.source == HP_UNSET &&
	   op.mode == HP_UNSET && !op.has_udp_timeout && !op.has_max_maps,
	   "  fields: the scope only");

	good("set scope own", &op);
	ok(op.has_scope && op.scope == HAIRPIN_SCOPE_OWN, "  fields: scope own");

	good("set hairpin always scope all source external limit mappings 3", &op);
	ok(op.has_scope && op.scope == HAIRPIN_SCOPE_ALL &&
	   op.mode == HAIRPIN_MODE_ALWAYS && op.source == HAIRPIN_SOURCE_EXTERNAL &&
	   op.has_max_maps && op.max_maps == 3,
	   "  fields: the scope among the settings");

	good("set source lan", &op);
	ok(!op.has_scope, "  fields: no scope unless given");

	good("set source 192.168.1.254", &op);
	ok(op.cmd == HAIRPIN_CMD_SET_CONFIG && op.source == HAIRPIN_SOURCE_ADDR &&
	   op.source_addr == ip("192.168.1.254") && op.mode == HP_UNSET,
	   "  fields: a source address");

	good("set hairpin always source 203.0.113.1 scope own", &op);
	ok(op.source == HAIRPIN_SOURCE_ADDR && op.source_addr == ip("203.0.113.1") &&
	   op.mode == HAIRPIN_MODE_ALWAYS && op.has_scope,
	   "  fields: a source address among the settings");

	good("masq add dev wan0", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MASQ && !strcmp(op.masq.ifname, "wan0") &&
	   op.masq.filter == HAIRPIN_FILTER_INDEPENDENT && !op.masq.has_bindings &&
	   !op.masq.has_addr,
	   "  fields: masq add, the filter independent by default, no address");

	good("masq add dev wan0 to 203.0.113.1", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MASQ && !strcmp(op.masq.ifname, "wan0") &&
	   op.masq.has_addr && op.masq.addr == ip("203.0.113.1") &&
	   op.masq.filter == HAIRPIN_FILTER_INDEPENDENT,
	   "  fields: masq add to an address");

	good("masq add dev wan0 to 198.51.100.7 filter address-port", &op);
	ok(op.masq.has_addr && op.masq.addr == ip("198.51.100.7") &&
	   op.masq.filter == HAIRPIN_FILTER_ADDRESS_PORT,
	   "  fields: masq add to an address, with a filter");

	good("masq add dev ppp0 filter address", &op);
	ok(op.cmd == HAIRPIN_CMD_NEW_MASQ && !strcmp(op.masq.ifname, "ppp0") &&
	   op.masq.filter == HAIRPIN_FILTER_ADDRESS, "  fields: masq add, filter address");

	good("masq add dev eth0.100 filter address-port", &op);
	ok(op.masq.filter == HAIRPIN_FILTER_ADDRESS_PORT && !strcmp(op.masq.ifname, "eth0.100"),
	   "  fields: masq add, filter address-port, a VLAN's name");

	good("masq add dev wan0 filter independent", &op);
	ok(op.masq.filter == HAIRPIN_FILTER_INDEPENDENT, "  fields: filter independent given");

	good("masq add dev 123456789012345", &op);
	ok(strlen(op.masq.ifname) == IFNAMSIZ - 1, "  fields: a name of IFNAMSIZ - 1 bytes");

	good("masq add dev \"w#n\\\"0\"", &op);
	ok(!strcmp(op.masq.ifname, "w#n\"0"), "  fields: a quoted name with odd characters");

	good("masq del dev wan0", &op);
	ok(op.cmd == HAIRPIN_CMD_DEL_MASQ && !strcmp(op.masq.ifname, "wan0") &&
	   op.masq.filter == HAIRPIN_FILTER_INDEPENDENT, "  fields: masq del");

	good("  map   add\ttcp 22 to 10.0.0.3 comment \"ssh box\"   ", &op);
	ok(!strcmp(m->comment, "ssh box"), "  fields: quoted comment, odd spacing");

	good("map add tcp 22 to 10.0.0.3 comment \"say \\\"hi\\\" \\\\o/\"", &op);
	ok(!strcmp(m->comment, "say \"hi\" \\o/"), "  fields: escapes in quotes");

	good("map add tcp 22 to 10.0.0.3 comment x # trailing remark", &op);
	ok(!strcmp(m->comment, "x"), "  fields: # after the command");

	good("map add tcp 22 to 10.0.0.3 comment \"#not a remark\"", &op);
	ok(!strcmp(m->comment, "#not a remark"), "  fields: quoted #");

	good("map add tcp 22 to 10.0.0.3 comment "
	     "123456789012345678901234567890123456789012345678901234567890123", &op);
	ok(strlen(m->comment) == HAIRPIN_COMMENT_MAX - 1,
	   "  fields: comment of HAIRPIN_COMMENT_MAX - 1 bytes");

	good("map add tcp 65535 to 10.0.0.2:65535", &op);
	ok(m->port == 65535 && m->to_port == 65535, "  fields: port 65535");
}

static void test_bad(void)
{
	/* addresses */
	bad("map add tcp 80 to 10.0.0.300", "hairpinctl: invalid address '10.0.0.300'");
	bad("map add tcp 80 to 10.0.0", "hairpinctl: invalid address '10.0.0'");
	bad("map add tcp 80 to 010.0.0.1", "hairpinctl: invalid address '010.0.0.1'");
	bad("map add tcp 80 to 0.0.0.0", "hairpinctl: invalid address '0.0.0.0'");
	bad("map add tcp 80 to host.lan", "hairpinctl: invalid address 'host.lan'");
	bad("map add tcp 1.2.3.256:80 to 10.0.0.2", "hairpinctl: invalid address '1.2.3.256'");
	bad("map add tcp :80 to 10.0.0.2", "hairpinctl: missing address in ':80'");
	bad("map add tcp 80 to 10.0.0.2:", "hairpinctl: missing port in '10.0.0.2:'");
	bad("map add tcp 1.2.3.4 to 10.0.0.2", "hairpinctl: missing port in '1.2.3.4'");
	bad("map add tcp ::1:80 to 10.0.0.2", "hairpinctl: invalid address '::1'");
	/* ports */
	bad("map add tcp 0 to 10.0.0.2", "hairpinctl: invalid port '0' (must be 1-65535)");
	bad("map add tcp 65536 to 10.0.0.2", "hairpinctl: invalid port '65536' (must be 1-65535)");
	bad("map add tcp 99999999999999999999 to 10.0.0.2",
	    "hairpinctl: invalid port '99999999999999999999' (must be 1-65535)");
	bad("map add tcp 80 to 10.0.0.2:0", "hairpinctl: invalid port '0' (must be 1-65535)");
	bad("map add tcp http to 10.0.0.2", "hairpinctl: invalid port 'http'");
	bad("map add tcp 80x to 10.0.0.2", "hairpinctl: invalid port '80x'");
	bad("map add tcp +80 to 10.0.0.2", "hairpinctl: invalid port '+80'");
	bad("map add tcp 80- to 10.0.0.2", "hairpinctl: invalid port range '80-'");
	bad("map add tcp -80 to 10.0.0.2", "hairpinctl: invalid port range '-80'");
	bad("map add tcp 1-2-3 to 10.0.0.2", "hairpinctl: invalid port range '1-2-3'");
	bad("map add tcp 7009-7000 to 10.0.0.2", "hairpinctl: reversed port range '7009-7000'");
	bad("map add tcp 7000-7009 to 10.0.0.2:7009-7000",
	    "hairpinctl: reversed port range '7009-7000'");
	/* range lengths */
	bad("map add tcp 80-90 to 10.0.0.2:8000-8005",
	    "hairpinctl: internal port range '8000-8005' has 6 ports, external '80-90' has 11");
	bad("map add tcp 80 to 10.0.0.2:8000-8001",
	    "hairpinctl: internal port range '8000-8001' has 2 ports, external '80' has 1");
	bad("map add tcp 80-90 to 10.0.0.2:8080",
	    "hairpinctl: internal port range '8080' has 1 port, external '80-90' has 11 (did you mean '8080-8090'?)");
	bad("map add tcp 80-90 to 10.0.0.2:65530",
	    "hairpinctl: internal port range '65530' has 1 port, external '80-90' has 11");
	/* words */
	bad("map add sctp 80 to 10.0.0.2", "hairpinctl: unknown protocol 'sctp'");
	bad("map add TCP 80 to 10.0.0.2", "hairpinctl: unknown protocol 'TCP'");
	bad("mapp add tcp 80 to 10.0.0.2", "hairpinctl: unknown command 'mapp'");
	bad("hairpinctl map flush",
	    "hairpinctl: unknown command 'hairpinctl' (leave out the word hairpinctl)");
	bad("map ad tcp 80 to 10.0.0.2", "hairpinctl: unknown map command 'ad'");
	bad("map", "hairpinctl: missing map command (add, del, replace, show or flush)");
	bad("map show", "hairpinctl: 'map show' cannot be part of a batch");
	bad("show", "hairpinctl: 'show' cannot be part of a batch");
	bad("version", "hairpinctl: 'version' cannot be part of a batch");
	bad("binding show", "hairpinctl: 'binding' cannot be part of a batch");
	bad("upnp follow /run/miniupnpd.leases", "hairpinctl: 'upnp' cannot be part of a batch");
	/* structure */
	bad("map add", "hairpinctl: missing protocol (tcp or udp)");
	bad("map add tcp", "hairpinctl: missing port after 'tcp'");
	bad("map add tcp 80", "hairpinctl: missing 'to ADDR[:PORT[-PORT]]' after '80'");
	bad("map add tcp 80 10.0.0.2", "hairpinctl: expected 'to' instead of '10.0.0.2'");
	bad("map replace tcp 80 at 10.0.0.2", "hairpinctl: expected 'to' instead of 'at'");
	bad("map add tcp 80 to", "hairpinctl: missing address after 'to'");
	bad("map add tcp 80 to 10.0.0.2 comment", "hairpinctl: missing text after 'comment'");
	bad("map add tcp 80 to 10.0.0.2 note x", "hairpinctl: unexpected argument 'note'");
	bad("map add tcp 80 to 10.0.0.2 comment a b", "hairpinctl: unexpected argument 'b'");
	bad("map add tcp 80 to 10.0.0.2 mirror comment a",
	    "hairpinctl: unexpected argument 'comment'");
	bad("map add tcp 80 to 10.0.0.2 mirror mirror", "hairpinctl: unexpected argument 'mirror'");
	bad("map add tcp 80 to 10.0.0.2 comment a mirror b", "hairpinctl: unexpected argument 'b'");
	bad("map add tcp 80 to 10.0.0.2 Mirror", "hairpinctl: unexpected argument 'Mirror'");
	bad("map del tcp 80 mirror", "hairpinctl: unexpected argument 'mirror'");
	bad("map add tcp 80 mirror", "hairpinctl: expected 'to' instead of 'mirror'");
	bad("map add tcp 80 to 10.0.0.2 comment \"\"",
	    "hairpinctl: empty comment (leave out 'comment' for none)");
	bad("map add tcp 80 to 10.0.0.2 comment "
	    "1234567890123456789012345678901234567890123456789012345678901234",
	    "hairpinctl: comment '1234567890123456789012345678901234567890123456789012345678901234'"
	    " is too long (64 bytes, at most 63)");
	bad("map add tcp 80 to 10.0.0.2 comment \"tab\there\"",
	    "hairpinctl: comment 'tab\there' has a control character");
	bad("map del tcp 80 to 10.0.0.2", "hairpinctl: unexpected argument 'to'");
	bad("map del tcp", "hairpinctl: missing port after 'tcp'");
	bad("map flush now", "hairpinctl: unexpected argument 'now'");
	bad("map add tcp 80 to 10.0.0.2 comment \"open",
	    "hairpinctl: unterminated quote in '\"open'");
	/* masq */
	bad("masq", "hairpinctl: missing masq command (add, del or show)");
	bad("masq show", "hairpinctl: 'masq show' cannot be part of a batch");
	bad("masq flush", "hairpinctl: unknown masq command 'flush'");
	bad("masq add", "hairpinctl: missing 'dev IFNAME' after 'add'");
	bad("masq del", "hairpinctl: missing 'dev IFNAME' after 'del'");
	bad("masq add wan0", "hairpinctl: expected 'dev' instead of 'wan0'");
	bad("masq add dev", "hairpinctl: missing interface name after 'dev'");
	bad("masq add dev \"\"", "hairpinctl: empty interface name");
	bad("masq add dev 1234567890123456",
	    "hairpinctl: interface name '1234567890123456' is too long (16 bytes, at most 15)");
	bad("masq add dev wan/0", "hairpinctl: invalid interface name 'wan/0'");
	bad("masq add dev wan0:1", "hairpinctl: invalid interface name 'wan0:1'");
	bad("masq add dev \"wan 0\"", "hairpinctl: invalid interface name 'wan 0'");
	bad("masq add dev \"wan\t0\"", "hairpinctl: invalid interface name 'wan\t0'");
	bad("masq add dev .", "hairpinctl: invalid interface name '.'");
	bad("masq add dev ..", "hairpinctl: invalid interface name '..'");
	bad("masq add dev wan0 filter", "hairpinctl: missing value after 'filter' "
	    "(independent, address or address-port)");
	bad("masq add dev wan0 filter port",
	    "hairpinctl: unknown filter 'port' (independent, address or address-port)");
	bad("masq add dev wan0 filter Address",
	    "hairpinctl: unknown filter 'Address' (independent, address or address-port)");
	bad("masq add dev wan0 filter address extra", "hairpinctl: unexpected argument 'extra'");
	bad("masq add dev wan0 comment x", "hairpinctl: unexpected argument 'comment'");
	bad("masq del dev wan0 filter address", "hairpinctl: unexpected argument 'filter'");
	bad("masq add dev wan0 to", "hairpinctl: missing address after 'to'");
	bad("masq add dev wan0 to 203.0.113.300", "hairpinctl: invalid address '203.0.113.300'");
	bad("masq add dev wan0 to 0.0.0.0", "hairpinctl: invalid address '0.0.0.0'");
	bad("masq add dev wan0 to wan0", "hairpinctl: invalid address 'wan0'");
	bad("masq add dev wan0 to 203.0.113.1:80", "hairpinctl: invalid address '203.0.113.1:80'");
	bad("masq add dev wan0 filter address to 203.0.113.1",
	    "hairpinctl: unexpected argument 'to'");
	bad("masq add dev wan0 to 203.0.113.1 to 203.0.113.2",
	    "hairpinctl: unexpected argument 'to'");
	bad("masq add dev wan0 to 203.0.113.1 filter", "hairpinctl: missing value after 'filter' "
	    "(independent, address or address-port)");
	bad("masq del dev wan0 to 203.0.113.1", "hairpinctl: unexpected argument 'to'");
	/* set */
	bad("set", "hairpinctl: missing setting (source, hairpin, scope, udp-timeout or limit)");
	bad("set source", "hairpinctl: missing value after 'source' (lan, external or an address)");
	bad("set hairpin", "hairpinctl: missing value after 'hairpin' (auto, always or off)");
	bad("set source wan", "hairpinctl: unknown source 'wan' (lan, external or an address)");
	/* JSON's word for it is not the grammar's. */
	bad("set source address",
	    "hairpinctl: unknown source 'address' (lan, external or an address)");
	bad("set source 0.0.0.0", "hairpinctl: invalid address '0.0.0.0'");
	bad("set source 192.168.1", "hairpinctl: invalid address '192.168.1'");
	bad("set source 192.168.1.256", "hairpinctl: invalid address '192.168.1.256'");
	bad("set source 192.168.1.1:80", "hairpinctl: invalid address '192.168.1.1:80'");
	bad("set source 192.168.1.1/24", "hairpinctl: invalid address '192.168.1.1/24'");
	bad("set source 192.168.1.1 source lan", "hairpinctl: 'source' given twice");
	bad("set hairpin sometimes",
	    "hairpinctl: unknown hairpin mode 'sometimes' (auto, always or off)");
	bad("set mode auto", "hairpinctl: unknown setting 'mode' (source, hairpin, scope, udp-timeout or limit)");
	bad("set source lan source external", "hairpinctl: 'source' given twice");
	bad("set source lan extra", "hairpinctl: unknown setting 'extra' (source, hairpin, scope, udp-timeout or limit)");
	bad("set source lan hairpin", "hairpinctl: missing value after 'hairpin' (auto, always or off)");
	/* set limit */
	bad("set limit", "hairpinctl: missing limit after 'limit' (mappings, ports or bindings)");
	bad("set source lan limit", "hairpinctl: missing limit after 'limit' (mappings, ports or bindings)");
	bad("set limit bogus 3", "hairpinctl: unknown limit 'bogus' (mappings, ports or bindings)");
	bad("set limit 3", "hairpinctl: unknown limit '3' (mappings, ports or bindings)");
	bad("set limit source lan", "hairpinctl: unknown limit 'source' (mappings, ports or bindings)");
	bad("set limit mappings", "hairpinctl: missing value after 'mappings' (0-4294967295)");
	bad("set limit ports", "hairpinctl: missing value after 'ports' (0-4294967295)");
	bad("set limit mappings 3 ports", "hairpinctl: missing value after 'ports' (0-4294967295)");
	bad("set limit mappings -1", "hairpinctl: invalid limit '-1' (must be 0-4294967295)");
	bad("set limit mappings +1", "hairpinctl: invalid limit '+1' (must be 0-4294967295)");
	bad("set limit ports 4294967296", "hairpinctl: invalid limit '4294967296' (must be 0-4294967295)");
	bad("set limit ports 99999999999999999999999",
	    "hairpinctl: invalid limit '99999999999999999999999' (must be 0-4294967295)");
	bad("set limit mappings 1e3", "hairpinctl: invalid limit '1e3' (must be 0-4294967295)");
	bad("set limit mappings 0x10", "hairpinctl: invalid limit '0x10' (must be 0-4294967295)");
	bad("set limit mappings 10k", "hairpinctl: invalid limit '10k' (must be 0-4294967295)");
	bad("set limit mappings \"\"", "hairpinctl: invalid limit '' (must be 0-4294967295)");
	bad("set limit mappings hairpin", "hairpinctl: invalid limit 'hairpin' (must be 0-4294967295)");
	bad("set limit mappings 3 mappings 4", "hairpinctl: 'mappings' given twice");
	bad("set limit ports 3 mappings 1 ports 4", "hairpinctl: 'ports' given twice");
	bad("set limit mappings 3 limit ports 4", "hairpinctl: 'limit' given twice");
	bad("set limit mappings 3 bogus 4",
	    "hairpinctl: unknown setting 'bogus' (source, hairpin, scope, udp-timeout or limit)");
	bad("set limit ports 9 hairpin off mappings 8",
	    "hairpinctl: unknown setting 'mappings' (source, hairpin, scope, udp-timeout or limit)");
	bad("set limit bindings", "hairpinctl: missing value after 'bindings' (0-4294967295)");
	bad("set limit bindings -5", "hairpinctl: invalid limit '-5' (must be 0-4294967295)");
	bad("set limit bindings 1 mappings 2 bindings 3", "hairpinctl: 'bindings' given twice");
	/* set scope */
	bad("set scope", "hairpinctl: missing value after 'scope' (own or all)");
	bad("set scope mine", "hairpinctl: unknown scope 'mine' (own or all)");
	bad("set scope ALL", "hairpinctl: unknown scope 'ALL' (own or all)");
	bad("set scope all scope own", "hairpinctl: 'scope' given twice");
	bad("set scope 1", "hairpinctl: unknown scope '1' (own or all)");

	/* set udp-timeout */
	bad("set udp-timeout 60",
	    "hairpinctl: invalid udp-timeout '60' (must be 120-86400 seconds)");
	bad("set udp-timeout 119",
	    "hairpinctl: invalid udp-timeout '119' (must be 120-86400 seconds)");
	bad("set udp-timeout 86401",
	    "hairpinctl: invalid udp-timeout '86401' (must be 120-86400 seconds)");
	bad("set udp-timeout 99999999999999999999",
	    "hairpinctl: invalid udp-timeout '99999999999999999999' (must be 120-86400 seconds)");
	bad("set udp-timeout 5m", "hairpinctl: invalid udp-timeout '5m' (must be 120-86400 seconds)");
	bad("set udp-timeout -300",
	    "hairpinctl: invalid udp-timeout '-300' (must be 120-86400 seconds)");
	bad("set udp-timeout", "hairpinctl: missing value after 'udp-timeout' (120-86400 seconds)");
	bad("set udp-timeout 300 udp-timeout 600", "hairpinctl: 'udp-timeout' given twice");
	bad("set limit mappings 3 udp-timeout",
	    "hairpinctl: missing value after 'udp-timeout' (120-86400 seconds)");
	bad("set udp_timeout 300",
	    "hairpinctl: unknown setting 'udp_timeout' (source, hairpin, scope, udp-timeout or limit)");
	bad("set limits mappings 3",
	    "hairpinctl: unknown setting 'limits' (source, hairpin, scope, udp-timeout or limit)");
}

static bool parse_text(const char *text, const char *name, struct hp_oplist *list)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool ret;

	capture_start();
	ret = parse_file(f, name, list);
	last_error = capture_end();
	fclose(f);
	return ret;
}

static void test_files(void)
{
	struct hp_oplist list;
	const char *good_file =
		"# port mappings of the house\n"
		"\n"
		"map flush\n"
		"   \t\n"
		"map add tcp 80 to 192.168.1.10 comment web\n"
		"  # indented remark\n"
		"map add udp 5000-5010 to 192.168.1.20:6000-6010 comment \"game server\"\r\n"
		"map del tcp 8080  # gone\n"
		"set source external hairpin always\n"
		"set limit mappings 100 ports 1000  # room to grow\n"
		"map replace tcp 443 to 192.168.1.10";	/* no final newline */
	bool ret;

	ret = parse_text(good_file, "house.conf", &list);
	ok(ret && !*last_error && list.len == 7, "file with remarks, blanks, CRLF: 7 operations");
	if (ret && list.len == 7) {
		ok(list.ops[0].cmd == HAIRPIN_CMD_FLUSH_MAPS && list.ops[0].line == 3,
		   "  op 1: flush on line 3");
		ok(list.ops[1].cmd == HAIRPIN_CMD_NEW_MAP && list.ops[1].line == 5 &&
		   !strcmp(list.ops[1].map.comment, "web"), "  op 2: add on line 5");
		ok(list.ops[2].line == 7 && !strcmp(list.ops[2].map.comment, "game server") &&
		   list.ops[2].map.to_port == 6000, "  op 3: quoted comment on line 7");
		ok(list.ops[3].cmd == HAIRPIN_CMD_DEL_MAP && list.ops[3].line == 8 &&
		   list.ops[3].map.port == 8080, "  op 4: del with a remark on line 8");
		ok(list.ops[4].cmd == HAIRPIN_CMD_SET_CONFIG && list.ops[4].line == 9 &&
		   list.ops[4].source == HAIRPIN_SOURCE_EXTERNAL &&
		   list.ops[4].mode == HAIRPIN_MODE_ALWAYS, "  op 5: set on line 9");
		ok(list.ops[5].cmd == HAIRPIN_CMD_SET_CONFIG && list.ops[5].line == 10 &&
		   list.ops[5].source == HP_UNSET && list.ops[5].mode == HP_UNSET &&
		   list.ops[5].has_max_maps && list.ops[5].max_maps == 100 &&
		   list.ops[5].has_max_ports && list.ops[5].max_ports == 1000,
		   "  op 6: set limit on line 10");
		ok(list.ops[6].cmd == HAIRPIN_CMD_REPLACE_MAP && list.ops[6].line == 11,
		   "  op 7: replace on line 11 without a newline");
	}
	hp_oplist_free(&list);

	ret = parse_text("# nothing\n\n   \n", "empty.conf", &list);
	ok(ret && list.len == 0, "file of only remarks and blanks: no operations");
	hp_oplist_free(&list);

	ret = parse_text("", "empty.conf", &list);
	ok(ret && list.len == 0, "empty file: no operations");
	hp_oplist_free(&list);

	ret = parse_text("map flush\n"
			 "# two\n"
			 "\n"
			 "map add tcp 80 to 192.168.1.10\n"
			 "map add tcp 81 to 10.0.0.300\n"
			 "map add tcp 82 to 10.0.0.2\n",
			 "bad.conf", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: bad.conf:5: invalid address '10.0.0.300'"),
	   "error names file, line and value");
	if (ret || strcmp(last_error, "hairpinctl: bad.conf:5: invalid address '10.0.0.300'"))
		diag("got '%s'", last_error);
	hp_oplist_free(&list);

	ret = parse_text("map flush\nmap show\n", "x", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: x:2: 'map show' cannot be part of a batch"),
	   "map show refused in a file, with its line");
	hp_oplist_free(&list);

	ret = parse_text("map flush\nset limit mappings -1\nmap add tcp 80 to 10.0.0.2\n",
			 "lim", &list);
	ok(!ret && !strcmp(last_error,
			   "hairpinctl: lim:2: invalid limit '-1' (must be 0-4294967295)"),
	   "a bad limit in a file, with its line");
	if (ret || strcmp(last_error, "hairpinctl: lim:2: invalid limit '-1' (must be 0-4294967295)"))
		diag("got '%s'", last_error);
	hp_oplist_free(&list);

	ret = parse_text("map flush\nset hairpin auto\nset source 192.168.1.300\n",
			 "vip.conf", &list);
	ok(!ret && !strcmp(last_error,
			   "hairpinctl: vip.conf:3: invalid address '192.168.1.300'"),
	   "a bad source address in a file, with its line");
	if (ret || strcmp(last_error, "hairpinctl: vip.conf:3: invalid address '192.168.1.300'"))
		diag("got '%s'", last_error);
	hp_oplist_free(&list);

	ret = parse_text("map flush\n"
			 "masq add dev wan0 filter address   # the uplink\n"
			 "masq del dev ppp0\n"
			 "map add tcp 80 to 192.168.1.10\n", "masq.conf", &list);
	ok(ret && list.len == 4 && list.ops[1].cmd == HAIRPIN_CMD_NEW_MASQ &&
	   list.ops[1].line == 2 && !strcmp(list.ops[1].masq.ifname, "wan0") &&
	   list.ops[1].masq.filter == HAIRPIN_FILTER_ADDRESS &&
	   list.ops[2].cmd == HAIRPIN_CMD_DEL_MASQ && list.ops[2].line == 3 &&
	   !strcmp(list.ops[2].masq.ifname, "ppp0"),
	   "file with masq add and del: their lines and fields");
	hp_oplist_free(&list);

	ret = parse_text("map flush\nmasq add dev wan0\nmasq add dev ppp0 filter endpoint\n",
			 "masq.conf", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: masq.conf:3: unknown filter 'endpoint' "
			   "(independent, address or address-port)"),
	   "a bad filter in a file, with its line");
	if (ret || !strstr(last_error, "masq.conf:3:"))
		diag("got '%s'", last_error);
	hp_oplist_free(&list);

	ret = parse_text("map flush\nmasq add dev wan0 to 203.0.113.256\n", "masq.conf", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: masq.conf:2: invalid address '203.0.113.256'"),
	   "a bad masq address in a file, with its line");
	hp_oplist_free(&list);

	ret = parse_text("masq add dev wan0\n\nmasq del dev wan0/1\n", "masq.conf", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: masq.conf:3: invalid interface name 'wan0/1'"),
	   "a bad interface name in a file, with its line");
	hp_oplist_free(&list);

	ret = parse_text("masq show\n", "masq.conf", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: masq.conf:1: 'masq show' cannot be part of a batch"),
	   "masq show refused in a file");
	hp_oplist_free(&list);

	ret = parse_text("map flush\nset hairpin auto\nset udp-timeout 30\n", "udp", &list);
	ok(!ret && !strcmp(last_error,
			   "hairpinctl: udp:3: invalid udp-timeout '30' (must be 120-86400 seconds)"),
	   "a bad udp-timeout in a file, with its line");
	if (ret || strcmp(last_error,
			  "hairpinctl: udp:3: invalid udp-timeout '30' (must be 120-86400 seconds)"))
		diag("got '%s'", last_error);
	hp_oplist_free(&list);

	ret = parse_text("\n\n\nmap add tcp 80 to 10.0.0.2 comment \"open\n", "q", &list);
	ok(!ret && !strcmp(last_error, "hairpinctl: q:4: unterminated quote in '\"open'"),
	   "unterminated quote, with its line");
	hp_oplist_free(&list);

	{
		static const char nul_line[] = "map flush\nmap fl\0ush\n";
		FILE *f = fmemopen((void *)nul_line, sizeof(nul_line) - 1, "r");

		capture_start();
		ret = parse_file(f, "nul", &list);
		last_error = capture_end();
		fclose(f);
		ok(!ret && !strcmp(last_error, "hairpinctl: nul:2: NUL byte in the line"),
		   "NUL byte inside a line");
		hp_oplist_free(&list);
	}

	/* After a file, errors are no longer located. */
	bad("mapp", "hairpinctl: unknown command 'mapp'");
}

static void roundtrip(const char *line, const char *want)
{
	char text[HP_MAP_TEXT_MAX], again[HP_MAP_TEXT_MAX + 16];
	struct hp_op op, op2;
	int n;

	if (!parse_line(line, &op)) {
		ok(false, "format: %s (%s)", line, last_error);
		return;
	}
	n = format_map(text, sizeof(text), &op.map);
	ok(!strcmp(text, want) && n == (int)strlen(want), "format: %s -> %s", line, text);
	if (strcmp(text, want))
		diag("want %s", want);
	snprintf(again, sizeof(again), "map add %s", text);
	ok(parse_line(again, &op2) && op2.map.proto == op.map.proto &&
	   op2.map.has_addr == op.map.has_addr && op2.map.addr == op.map.addr &&
	   op2.map.port == op.map.port && op2.map.port_max == op.map.port_max &&
	   op2.map.to_addr == op.map.to_addr && op2.map.to_port == op.map.to_port &&
	   !strcmp(op2.map.comment, op.map.comment) && op2.map.flags == op.map.flags,
	   "  and parses back to the same mapping");
}

/* A set line: format_op() gives want, which parses back to the same. */
static void set_roundtrip(const char *line, const char *want)
{
	char text[HP_OP_TEXT_MAX];
	struct hp_op op, op2;
	int n;

	if (!parse_line(line, &op)) {
		ok(false, "format: %s (%s)", line, last_error);
		return;
	}
	n = format_op(text, sizeof(text), &op);
	ok(!strcmp(text, want) && n == (int)strlen(want), "format: %s -> %s", line, text);
	if (strcmp(text, want))
		diag("want %s", want);
	ok(parse_line(text, &op2) && op2.cmd == HAIRPIN_CMD_SET_CONFIG &&
	   op2.source == op.source && op2.mode == op.mode &&
	   (op.source != HAIRPIN_SOURCE_ADDR || op2.source_addr == op.source_addr) &&
	   op2.has_max_maps == op.has_max_maps && op2.max_maps == op.max_maps &&
	   op2.has_max_ports == op.has_max_ports && op2.max_ports == op.max_ports &&
	   op2.has_udp_timeout == op.has_udp_timeout &&
	   op2.udp_timeout == op.udp_timeout &&
	   op2.has_max_bindings == op.has_max_bindings &&
	   op2.max_bindings == op.max_bindings,
	   "  and parses back to the same settings");
}

/* A masq line: format_op() gives want, which parses back to the same. */
static void masq_roundtrip(const char *line, const char *want)
{
	char text[HP_OP_TEXT_MAX];
	struct hp_op op, op2;
	int n;

	if (!parse_line(line, &op)) {
		ok(false, "format: %s (%s)", line, last_error);
		return;
	}
	n = format_op(text, sizeof(text), &op);
	ok(!strcmp(text, want) && n == (int)strlen(want), "format: %s -> %s", line, text);
	if (strcmp(text, want))
		diag("want %s", want);
	ok(parse_line(text, &op2) && op2.cmd == op.cmd &&
	   !strcmp(op2.masq.ifname, op.masq.ifname) && op2.masq.filter == op.masq.filter &&
	   op2.masq.has_addr == op.masq.has_addr && op2.masq.addr == op.masq.addr,
	   "  and parses back to the same rule");
}

static void test_format(void)
{
	struct hp_op op;
	char key[64];

	set_roundtrip("set hairpin off source lan", "set source lan hairpin off");
	set_roundtrip("set limit mappings 1024", "set limit mappings 1024");
	set_roundtrip("set limit ports 65536", "set limit ports 65536");
	set_roundtrip("set limit ports 4294967295 mappings 0",
		      "set limit mappings 0 ports 4294967295");
	set_roundtrip("set limit mappings 0042 hairpin always",
		      "set hairpin always limit mappings 42");
	set_roundtrip("set limit ports 9 mappings 8 hairpin always source external",
		      "set source external hairpin always limit mappings 8 ports 9");
	set_roundtrip("set udp-timeout 0600", "set udp-timeout 600");
	set_roundtrip("set hairpin auto source 192.168.1.254",
		      "set source 192.168.1.254 hairpin auto");
	set_roundtrip("set limit bindings 7 ports 9 udp-timeout 86400 hairpin off",
		      "set hairpin off udp-timeout 86400 limit ports 9 bindings 7");

	masq_roundtrip("masq add dev wan0", "masq add dev wan0");
	masq_roundtrip("masq add dev wan0 filter independent", "masq add dev wan0");
	masq_roundtrip("masq add dev ppp0 filter address", "masq add dev ppp0 filter address");
	masq_roundtrip("masq add dev br-lan.7 filter address-port",
		       "masq add dev br-lan.7 filter address-port");
	masq_roundtrip("masq add dev \"#w\\\"\\\\\"", "masq add dev \"#w\\\"\\\\\"");
	masq_roundtrip("masq add dev wan0 to 203.0.113.1", "masq add dev wan0 to 203.0.113.1");
	masq_roundtrip("masq add dev wan0 to 203.0.113.1 filter independent",
		       "masq add dev wan0 to 203.0.113.1");
	masq_roundtrip("masq add dev ppp0 to 192.0.2.77 filter address",
		       "masq add dev ppp0 to 192.0.2.77 filter address");
	masq_roundtrip("masq del dev wan0", "masq del dev wan0");

	roundtrip("map add tcp 80 to 192.168.1.10 comment web",
		  "tcp 80 to 192.168.1.10:80 comment web");
	roundtrip("map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010",
		  "udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010");
	roundtrip("map add tcp 8080 to 10.0.0.2:80 comment \"two words\"",
		  "tcp 8080 to 10.0.0.2:80 comment \"two words\"");
	roundtrip("map add tcp 8080 to 10.0.0.2:80 comment \"q\\\"b\\\\\"",
		  "tcp 8080 to 10.0.0.2:80 comment \"q\\\"b\\\\\"");
	roundtrip("map add tcp 8080 to 10.0.0.2:80 comment \"#tag\"",
		  "tcp 8080 to 10.0.0.2:80 comment \"#tag\"");
	roundtrip("map add tcp 1 to 10.0.0.2 comment a.b-c_d:e/f@g",
		  "tcp 1 to 10.0.0.2:1 comment a.b-c_d:e/f@g");
	roundtrip("map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror",
		  "tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror");
	roundtrip("map add udp 9 to 10.0.0.2 mirror", "udp 9 to 10.0.0.2:9 mirror");

	parse_line("map del udp 1.2.3.4:53-54", &op);
	format_map_key(key, sizeof(key), &op.map);
	ok(!strcmp(key, "udp 1.2.3.4:53-54"), "format key: %s", key);

	ok(format_map(key, 8, &op.map) == (int)strlen("udp 1.2.3.4:53-54") &&
	   !strcmp(key, "udp 1.2"), "format truncates like snprintf");
}

int main(void)
{
	test_good();
	test_bad();
	test_files();
	test_format();
	return done_testing();
}

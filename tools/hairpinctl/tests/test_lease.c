// SPDX-License-Identifier: GPL-2.0
/*
 * miniupnpd's lease file, without a kernel: good lines into mirrors, every
 * kind of bad line with its exact message, the comment cut to fit, whole
 * files with their line numbers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "../lease.h"
#include "tap.h"

static uint32_t ip(const char *s)
{
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

static char why[HP_NOTE_MAX];

static enum lease_kind parse(const char *line, struct hp_map *m)
{
	memset(m, 0xa5, sizeof(*m));
	why[0] = '\0';
	return lease_parse_line(line, m, why, sizeof(why));
}

/* line is a forward: proto, eport, iaddr:iport and the comment. */
static void good(const char *line, uint8_t proto, uint16_t eport,
		 const char *iaddr, uint16_t iport, const char *comment)
{
	struct hp_map m;
	bool ret = parse(line, &m) == LEASE_FORWARD;

	ok(ret && m.proto == proto && !m.has_addr && m.port == eport &&
	   m.port_max == eport && m.has_to && m.to_addr == ip(iaddr) &&
	   m.has_to_port && m.to_port == iport && !strcmp(m.comment, comment) &&
	   strlen(m.comment) < HAIRPIN_COMMENT_MAX &&
	   m.flags == HAIRPIN_MAP_F_MIRROR && !m.has_counters,
	   "forward: %.*s", (int)strcspn(line, "\n"), line);
	if (!ret)
		diag("why: %s", why);
	else if (strcmp(m.comment, comment))
		diag("comment '%s', want '%s'", m.comment, comment);
}

static void bad(const char *line, const char *want)
{
	struct hp_map m;
	enum lease_kind k = parse(line, &m);

	ok(k == LEASE_BAD && !strcmp(why, want), "bad: %.*s",
	   (int)strcspn(line, "\n"), line);
	if (k != LEASE_BAD || strcmp(why, want))
		diag("kind %d, got '%s'\n# want '%s'", k, why, want);
}

static void test_lines(void)
{
	struct hp_map m;

	good("TCP:8081:10.20.30.100:80:1797166787:desc\n", IPPROTO_TCP, 8081,
	     "10.20.30.100", 80, "miniupnpd: desc");
	good("UDP:5000:10.0.0.2:5001:0:game\n", IPPROTO_UDP, 5000, "10.0.0.2", 5001,
	     "miniupnpd: game");
	good("udp:1:10.0.0.2:65535:0:x\n", IPPROTO_UDP, 1, "10.0.0.2", 65535,
	     "miniupnpd: x");
	good("TCP:8081:10.0.0.1:80:0:Skype: TCP 8081 (at 10:00)\n", IPPROTO_TCP,
	     8081, "10.0.0.1", 80, "miniupnpd: Skype: TCP 8081 (at 10:00)");
	good("TCP:22:10.0.0.1:22:0:\n", IPPROTO_TCP, 22, "10.0.0.1", 22, "miniupnpd:");
	good("TCP:22:10.0.0.1:22:0::\n", IPPROTO_TCP, 22, "10.0.0.1", 22, "miniupnpd: :");
	good("TCP:443:192.168.1.5:8443:0:no newline", IPPROTO_TCP, 443,
	     "192.168.1.5", 8443, "miniupnpd: no newline");
	good("TCP:443:192.168.1.5:8443:0:crlf\r\n", IPPROTO_TCP, 443,
	     "192.168.1.5", 8443, "miniupnpd: crlf");
	good("TCP:00080:10.0.0.1:080:00000000000000000000:z\n", IPPROTO_TCP, 80,
	     "10.0.0.1", 80, "miniupnpd: z");
	good("TCP:80:10.0.0.1:80:0:tab\there \"q\"\n", IPPROTO_TCP, 80, "10.0.0.1",
	     80, "miniupnpd: tab?here \"q\"");

	/* The comment fits HAIRPIN_COMMENT_MAX: 63 bytes. */
	good("TCP:80:10.0.0.1:80:0:"
	     "0123456789012345678901234567890123456789012345678901234567890123456789\n",
	     IPPROTO_TCP, 80, "10.0.0.1", 80,
	     "miniupnpd: 0123456789012345678901234567890123456789012345678901");
	/* ...and is not cut inside a UTF-8 character: an e-acute (2 bytes)
	 * that would end at byte 64 goes whole; at byte 63, it fits.
	 */
	good("TCP:80:10.0.0.1:80:0:"
	     "012345678901234567890123456789012345678901234567890\xc3\xa9z\n",
	     IPPROTO_TCP, 80, "10.0.0.1", 80,
	     "miniupnpd: 012345678901234567890123456789012345678901234567890");
	good("TCP:80:10.0.0.1:80:0:"
	     "01234567890123456789012345678901234567890123456789\xc3\xa9z\n",
	     IPPROTO_TCP, 80, "10.0.0.1", 80,
	     "miniupnpd: 01234567890123456789012345678901234567890123456789\xc3\xa9");

	/* Blank lines, and protocols other than TCP and UDP. */
	ok(parse("\n", &m) == LEASE_BLANK && parse("", &m) == LEASE_BLANK &&
	   parse(" \t\r\n", &m) == LEASE_BLANK, "blank lines");
	ok(parse("SCTP:80:10.0.0.1:80:0:x\n", &m) == LEASE_OTHER && !strcmp(why, "SCTP"),
	   "another protocol, named: %s", why);
	ok(parse("UDPLITE:5000:10.0.0.1:5000:0:y", &m) == LEASE_OTHER &&
	   !strcmp(why, "UDPLITE"), "another protocol, named: %s", why);

	/* Bad lines, the bad value quoted. */
	bad("hello\n", "not PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION: 'hello'");
	bad("TCP:8081:10.0.0.1\n",
	    "not PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION: 'TCP:8081:10.0.0.1'");
	bad("TCP:8081:10.0.0.1:80:0",
	    "not PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION: 'TCP:8081:10.0.0.1:80:0'");
	bad("TCP:8081:10.0.0.1:80:0123456789012345678901234567890123456789 and on\n",
	    "not PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION: "
	    "'TCP:8081:10.0.0.1:80:0123456789012345678...'");
	bad(":80:10.0.0.1:80:0:x\n", "invalid protocol ''");
	bad("T\x1b[1mCP:80:10.0.0.1:80:0:x\n", "invalid protocol 'T?[1mCP'");
	bad("TCP:0:10.0.0.1:80:0:x\n", "invalid external port '0' (must be 1-65535)");
	bad("TCP:65536:10.0.0.1:80:0:x\n", "invalid external port '65536' (must be 1-65535)");
	bad("TCP:080080:10.0.0.1:80:0:x\n", "invalid external port '080080' (must be 1-65535)");
	bad("TCP::10.0.0.1:80:0:x\n", "invalid external port '' (must be 1-65535)");
	bad("TCP:+80:10.0.0.1:80:0:x\n", "invalid external port '+80' (must be 1-65535)");
	bad("TCP:80:10.0.0.1:http:0:x\n", "invalid internal port 'http' (must be 1-65535)");
	bad("TCP:80:10.0.0.1:0:0:x\n", "invalid internal port '0' (must be 1-65535)");
	bad("TCP:80:10.0.0.300:80:0:x\n", "invalid internal address '10.0.0.300'");
	bad("TCP:80:0.0.0.0:80:0:x\n", "invalid internal address '0.0.0.0'");
	bad("TCP:80:10.1:80:0:x\n", "invalid internal address '10.1'");
	bad("TCP:80::80:0:x\n", "invalid internal address ''");
	bad("TCP:80:fe80::1:80:0:x\n",
	    "internal address 'fe80::1' is IPv6 (mirrors are IPv4 only)");
	bad("UDP:5000:2001:db8::5:5000:1797166787:a:b\n",
	    "internal address '2001:db8::5' is IPv6 (mirrors are IPv4 only)");
	bad("TCP:80:10.0.0.1:80::x\n", "invalid timestamp ''");
	bad("TCP:80:10.0.0.1:80:-1:x\n", "invalid timestamp '-1'");
	bad("TCP:80:10.0.0.1:80:123456789012345678901:x\n",
	    "invalid timestamp '123456789012345678901'");
	/* A bad line of another protocol is bad all the same. */
	bad("SCTP:0:10.0.0.1:80:0:x\n", "invalid external port '0' (must be 1-65535)");
}

static bool parse_text(const char *text, size_t len, struct hp_leases *l)
{
	FILE *f = fmemopen((void *)text, len, "r");
	bool ret = lease_parse_file(f, l);

	fclose(f);
	return ret;
}

static void test_files(void)
{
	static const char file[] =
		"TCP:8081:10.20.30.100:80:1797166787:web cam\n"
		"\n"
		"TCP:8082:10.20.30.300:80:0:bad address\n"
		"SCTP:9:10.20.30.100:9:0:other\n"
		"UDP:5000:10.20.30.101:5000:0:game: lobby\n"
		"TCP:0:10.20.30.100:80:0:bad port\n"
		"UDPLITE:9:10.20.30.100:9:0:another other\n"
		"UDP:5001:10.20.30.101:5001:0:last, no newline";
	static const char nul[] = "TCP:1:10.0.0.1:1:0:a\nTCP:2:10.0.0.1:2:0:b\0c\nTCP:3:10.0.0.1:3:0:d\n";
	struct hp_leases l;

	ok(parse_text(file, sizeof(file) - 1, &l) && l.len == 3 && l.notes.len == 2,
	   "a file: 3 forwards, 2 bad lines");
	ok(l.len == 3 && l.leases[0].line == 1 && l.leases[0].map.port == 8081 &&
	   !strcmp(l.leases[0].map.comment, "miniupnpd: web cam") &&
	   l.leases[1].line == 5 && l.leases[1].map.proto == IPPROTO_UDP &&
	   !strcmp(l.leases[1].map.comment, "miniupnpd: game: lobby") &&
	   l.leases[2].line == 8 && l.leases[2].map.port == 5001,
	   "  the forwards in the file's order, with their lines, the last without a newline");
	ok(l.notes.len == 2 && l.notes.notes[0].line == 3 &&
	   !strcmp(l.notes.notes[0].text, "invalid internal address '10.20.30.300'") &&
	   l.notes.notes[1].line == 6 &&
	   !strcmp(l.notes.notes[1].text, "invalid external port '0' (must be 1-65535)"),
	   "  a note per bad line, with its line");
	ok(l.other_line == 4 && !strcmp(l.other_proto, "SCTP"),
	   "  the first line of another protocol: %u %s", l.other_line, l.other_proto);
	lease_free(&l);

	ok(parse_text("", 0, &l) && l.len == 0 && l.notes.len == 0 && !l.other_line,
	   "an empty file: nothing");
	lease_free(&l);
	ok(parse_text("\n\n", 2, &l) && l.len == 0 && l.notes.len == 0,
	   "blank lines only: nothing");
	lease_free(&l);

	ok(parse_text(nul, sizeof(nul) - 1, &l) && l.len == 2 && l.notes.len == 1 &&
	   l.notes.notes[0].line == 2 && !strcmp(l.notes.notes[0].text, "NUL byte in the line") &&
	   l.leases[1].line == 3, "a NUL byte: that line left out, noted");
	lease_free(&l);
}

static void test_comment(void)
{
	char c[HAIRPIN_COMMENT_MAX];

	lease_comment(c, "abc", 3);
	ok(!strcmp(c, "miniupnpd: abc"), "comment: %s", c);
	lease_comment(c, "abcdef", 2);
	ok(!strcmp(c, "miniupnpd: ab"), "comment: n bytes of it: %s", c);
	lease_comment(c, "", 0);
	ok(!strcmp(c, "miniupnpd:"), "comment without a description: %s", c);
	lease_comment(c, "\x7f\x01z", 3);
	ok(!strcmp(c, "miniupnpd: ??z"), "comment: control characters as '?': %s", c);
}

int main(void)
{
	test_lines();
	test_files();
	test_comment();
	return done_testing();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * What hairpinctl prints, byte for byte, without a kernel: map show, masq
 * show and binding show as text and JSON (compact and pretty), show with
 * and without -s, monitor events,
 * save files and their way back through the parser, and JSON string
 * escaping of whatever a comment may hold.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "../file.h"
#include "../format.h"
#include "../print.h"
#include "tap.h"

static char *out_buf;
static size_t out_len;
static FILE *out;

static void out_start(void)
{
	free(out_buf);
	out_buf = NULL;
	out = open_memstream(&out_buf, &out_len);
	if (!out) {
		perror("open_memstream");
		exit(99);
	}
}

static const char *out_end(void)
{
	fclose(out);
	return out_buf;
}

static void is(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		diag("got:\n%s\n# want:\n%s", got, want);
}

static uint32_t ip(const char *s)
{
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

/* No masq rules, for save. */
static const struct hp_masqlist no_masqs = { NULL, 0, 0 };

/* The masq rules of the examples: a PPPoE link and a second uplink with
 * an address of its own, with bindings in the thousands, and an odd name
 * that needs quotes. The address is set by setup_maps().
 */
static struct hp_masq masqs[3] = {
	{ .ifname = "ppp0", .filter = HAIRPIN_FILTER_INDEPENDENT,
	  .has_bindings = true, .bindings = 12 },
	{ .ifname = "wan1", .filter = HAIRPIN_FILTER_ADDRESS_PORT,
	  .has_bindings = true, .bindings = 4096 },
	{ .ifname = "#odd\"", .filter = HAIRPIN_FILTER_ADDRESS,
	  .has_bindings = true, .bindings = 0 },
};

/* The mappings of the examples: any-address with a comment, a range to a
 * shifted range with a quoted comment, and one with counters in the
 * thousands.
 */
static struct hp_map maps[3];

static void setup_maps(void)
{
	masqs[1].has_addr = true;
	masqs[1].addr = ip("203.0.113.9");
	memset(maps, 0, sizeof(maps));
	maps[0] = (struct hp_map){
		.proto = IPPROTO_TCP, .port = 80, .port_max = 80, .has_to = true,
		.to_addr = ip("192.168.1.10"), .to_port = 80, .comment = "web",
		.has_counters = true, .conns = 12, .hairpinned = 3,
	};
	maps[1] = (struct hp_map){
		.proto = IPPROTO_UDP, .has_addr = true, .addr = ip("203.0.113.5"),
		.port = 5000, .port_max = 5010, .has_to = true,
		.to_addr = ip("10.0.0.2"), .has_to_port = true, .to_port = 6000,
		.comment = "game server", .has_counters = true,
	};
	maps[2] = (struct hp_map){
		.proto = IPPROTO_TCP, .port = 8080, .port_max = 8080, .has_to = true,
		.to_addr = ip("10.0.0.3"), .has_to_port = true, .to_port = 80,
		.has_counters = true, .conns = 123456, .hairpinned = 7,
	};
}

static void test_map_show(void)
{
	struct hp_maplist list = { maps, 3, 3 };
	struct hp_maplist none = { NULL, 0, 0 };

	out_start();
	print_maps(out, &list, 0);
	is(out_end(),
	   "tcp 80 to 192.168.1.10:80 comment web                                  conns 12     hairpinned 3\n"
	   "udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"  conns 0      hairpinned 0\n"
	   "tcp 8080 to 10.0.0.3:80                                                conns 123456 hairpinned 7\n",
	   "map show: the map add grammar, counters in aligned columns");

	out_start();
	print_maps(out, &none, 0);
	is(out_end(), "", "map show without mappings: nothing");

	out_start();
	print_maps(out, &list, PRINT_JSON);
	is(out_end(),
	   "{\"mappings\":["
	   "{\"proto\":\"tcp\",\"addr\":null,\"port\":80,\"port_max\":80,"
	   "\"to_addr\":\"192.168.1.10\",\"to_port\":80,\"to_port_max\":80,"
	   "\"comment\":\"web\",\"mirror\":false,\"conns\":12,\"hairpinned\":3},"
	   "{\"proto\":\"udp\",\"addr\":\"203.0.113.5\",\"port\":5000,\"port_max\":5010,"
	   "\"to_addr\":\"10.0.0.2\",\"to_port\":6000,\"to_port_max\":6010,"
	   "\"comment\":\"game server\",\"mirror\":false,\"conns\":0,\"hairpinned\":0},"
	   "{\"proto\":\"tcp\",\"addr\":null,\"port\":8080,\"port_max\":8080,"
	   "\"to_addr\":\"10.0.0.3\",\"to_port\":80,\"to_port_max\":80,"
	   "\"comment\":null,\"mirror\":false,\"conns\":123456,\"hairpinned\":7}]}\n",
	   "map show -j: one object, every key always there");

	out_start();
	print_maps(out, &none, PRINT_JSON);
	is(out_end(), "{\"mappings\":[]}\n", "map show -j without mappings: an empty array");

	list.len = 1;
	out_start();
	print_maps(out, &list, PRINT_JSON | PRINT_PRETTY);
	is(out_end(),
	   "{\n"
	   "  \"mappings\": [\n"
	   "    {\n"
	   "      \"proto\": \"tcp\",\n"
	   "      \"addr\": null,\n"
	   "      \"port\": 80,\n"
	   "      \"port_max\": 80,\n"
	   "      \"to_addr\": \"192.168.1.10\",\n"
	   "      \"to_port\": 80,\n"
	   "      \"to_port_max\": 80,\n"
	   "      \"comment\": \"web\",\n"
	   "      \"mirror\": false,\n"
	   "      \"conns\": 12,\n"
	   "      \"hairpinned\": 3\n"
	   "    }\n"
	   "  ]\n"
	   "}\n",
	   "map show -p: indented as jq does");

	out_start();
	print_maps(out, &none, PRINT_JSON | PRINT_PRETTY);
	is(out_end(), "{\n  \"mappings\": []\n}\n", "map show -p without mappings");
}

static void test_masq_show(void)
{
	struct hp_masqlist list = { masqs, 3, 3 };
	struct hp_masqlist none = { NULL, 0, 0 };

	out_start();
	print_masqs(out, &list, 0);
	is(out_end(),
	   "dev ppp0 filter independent bindings 12\n"
	   "dev wan1 to 203.0.113.9 filter address-port bindings 4096\n"
	   "dev \"#odd\\\"\" filter address bindings 0\n",
	   "masq show: the masq add grammar, every filter, then the bindings");

	out_start();
	print_masqs(out, &none, 0);
	is(out_end(), "", "masq show without rules: nothing");

	out_start();
	print_masqs(out, &list, PRINT_JSON);
	is(out_end(),
	   "{\"masq\":["
	   "{\"dev\":\"ppp0\",\"to\":null,\"filter\":\"independent\",\"bindings\":12},"
	   "{\"dev\":\"wan1\",\"to\":\"203.0.113.9\",\"filter\":\"address-port\","
	   "\"bindings\":4096},"
	   "{\"dev\":\"#odd\\\"\",\"to\":null,\"filter\":\"address\",\"bindings\":0}]}\n",
	   "masq show -j: one object, the names unquoted but escaped");

	out_start();
	print_masqs(out, &none, PRINT_JSON);
	is(out_end(), "{\"masq\":[]}\n", "masq show -j without rules: an empty array");

	list.len = 1;
	out_start();
	print_masqs(out, &list, PRINT_JSON | PRINT_PRETTY);
	is(out_end(),
	   "{\n"
	   "  \"masq\": [\n"
	   "    {\n"
	   "      \"dev\": \"ppp0\",\n"
	   "      \"to\": null,\n"
	   "      \"filter\": \"independent\",\n"
	   "      \"bindings\": 12\n"
	   "    }\n"
	   "  ]\n"
	   "}\n", "masq show -p: indented");

	/* A newer module's filter, and no bindings told. */
	list.masqs = &(struct hp_masq){ .ifname = "wan0", .filter = 7 };
	out_start();
	print_masqs(out, &list, 0);
	is(out_end(), "dev wan0 filter 7\n", "masq show: an unknown filter as a number");
	out_start();
	print_masqs(out, &list, PRINT_JSON);
	is(out_end(), "{\"masq\":[{\"dev\":\"wan0\",\"to\":null,\"filter\":7,\"bindings\":null}]}\n",
	   "  and in JSON, with null bindings");
}

static void test_binding_show(void)
{
	struct hp_binding b[3] = {
		{ .proto = IPPROTO_UDP, .int_addr = ip("192.168.1.100"), .int_port = 4000,
		  .ext_addr = ip("203.0.113.1"), .ext_port = 4000,
		  .filter = HAIRPIN_FILTER_INDEPENDENT, .has_conns = true, .conns = 2,
		  .has_idle = true, .idle = 3 },
		{ .proto = IPPROTO_TCP, .int_addr = ip("192.168.1.101"), .int_port = 443,
		  .ext_addr = ip("203.0.113.1"), .ext_port = 1024,
		  .filter = HAIRPIN_FILTER_ADDRESS_PORT, .has_conns = true, .conns = 0,
		  .has_idle = true, .idle = 86400 },
		/* What a module that tells less sends. */
		{ .proto = 17, .int_addr = ip("10.0.0.2"), .int_port = 1,
		  .ext_addr = ip("198.51.100.9"), .ext_port = 65535, .filter = HP_UNSET },
	};
	struct hp_bindinglist list = { b, 3, 3 };
	struct hp_bindinglist none = { NULL, 0, 0 };

	out_start();
	print_bindings(out, &list, 0);
	is(out_end(),
	   "udp 192.168.1.100:4000 -> 203.0.113.1:4000 filter independent conns 2 idle 3s\n"
	   "tcp 192.168.1.101:443 -> 203.0.113.1:1024 filter address-port conns 0 idle 86400s\n"
	   "udp 10.0.0.2:1 -> 198.51.100.9:65535\n",
	   "binding show: a line per binding, what is not told left out");

	out_start();
	print_bindings(out, &none, 0);
	is(out_end(), "", "binding show without bindings: nothing");

	out_start();
	print_bindings(out, &list, PRINT_JSON);
	is(out_end(),
	   "{\"bindings\":["
	   "{\"proto\":\"udp\",\"internal\":\"192.168.1.100\",\"internal_port\":4000,"
	   "\"external\":\"203.0.113.1\",\"external_port\":4000,\"filter\":\"independent\","
	   "\"conns\":2,\"idle\":3},"
	   "{\"proto\":\"tcp\",\"internal\":\"192.168.1.101\",\"internal_port\":443,"
	   "\"external\":\"203.0.113.1\",\"external_port\":1024,\"filter\":\"address-port\","
	   "\"conns\":0,\"idle\":86400},"
	   "{\"proto\":\"udp\",\"internal\":\"10.0.0.2\",\"internal_port\":1,"
	   "\"external\":\"198.51.100.9\",\"external_port\":65535,\"filter\":null,"
	   "\"conns\":null,\"idle\":null}]}\n",
	   "binding show -j: every key always there, null for what is not told");

	out_start();
	print_bindings(out, &none, PRINT_JSON);
	is(out_end(), "{\"bindings\":[]}\n", "binding show -j without bindings: an empty array");

	list.len = 1;
	out_start();
	print_bindings(out, &list, PRINT_JSON | PRINT_PRETTY);
	is(out_end(),
	   "{\n"
	   "  \"bindings\": [\n"
	   "    {\n"
	   "      \"proto\": \"udp\",\n"
	   "      \"internal\": \"192.168.1.100\",\n"
	   "      \"internal_port\": 4000,\n"
	   "      \"external\": \"203.0.113.1\",\n"
	   "      \"external_port\": 4000,\n"
	   "      \"filter\": \"independent\",\n"
	   "      \"conns\": 2,\n"
	   "      \"idle\": 3\n"
	   "    }\n"
	   "  ]\n"
	   "}\n", "binding show -p: indented");

	/* A newer module's protocol and filter, as numbers. */
	b[0].proto = 132;
	b[0].filter = 9;
	out_start();
	print_bindings(out, &list, 0);
	is(out_end(), "132 192.168.1.100:4000 -> 203.0.113.1:4000 filter 9 conns 2 idle 3s\n",
	   "binding show: unknown protocol and filter as numbers");
}

static void test_show(void)
{
	struct hp_config c = {
		.version = "v1.2-3-gabcdef", .source = HAIRPIN_SOURCE_EXTERNAL,
		.mode = HAIRPIN_MODE_OFF, .mappings = 3, .conns = 12, .hairpinned = 3,
		.has_ports = true, .ports = 13, .has_max_maps = true, .max_maps = 1024,
		.has_max_ports = true, .max_ports = 65536,
	};

	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source external\nhairpin off\nmodule v1.2-3-gabcdef\nmappings 3\n"
	   "limits mappings 3/1024 ports 13/65536\n",
	   "show: settings, module, number of mappings, limits with their use");

	out_start();
	print_config(out, &c, PRINT_STATS);
	is(out_end(), "source external\nhairpin off\nmodule v1.2-3-gabcdef\nmappings 3\n"
	   "limits mappings 3/1024 ports 13/65536\n"
	   "conns 12 hairpinned 3\n", "show -s: and the totals");

	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":\"v1.2-3-gabcdef\",\"source\":\"external\",\"source_addr\":null,\"hairpin\":\"off\","
	   "\"scope\":null,\"udp_timeout\":null,"
	   "\"mappings\":3,\"ports\":13,\"max_mappings\":1024,\"max_ports\":65536,"
	   "\"bindings\":null,\"max_bindings\":null,"
	   "\"conns\":12,\"hairpinned\":3,\"others_hairpinned\":null}\n",
	   "show -j: one object, limits and totals included, null for what is not told");

	out_start();
	print_config(out, &c, PRINT_JSON | PRINT_PRETTY);
	is(out_end(), "{\n  \"version\": \"v1.2-3-gabcdef\",\n  \"source\": \"external\",\n  \"source_addr\": null,\n"
	   "  \"hairpin\": \"off\",\n  \"scope\": null,\n  \"udp_timeout\": null,\n  \"mappings\": 3,\n"
	   "  \"ports\": 13,\n  \"max_mappings\": 1024,\n  \"max_ports\": 65536,\n"
	   "  \"bindings\": null,\n  \"max_bindings\": null,\n  \"conns\": 12,\n"
	   "  \"hairpinned\": 3,\n  \"others_hairpinned\": null\n}\n", "show -p: indented");

	c.mappings = 0;
	c.ports = 0;
	c.max_maps = 0;
	c.max_ports = UINT32_MAX;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source external\nhairpin off\nmodule v1.2-3-gabcdef\nmappings 0\n"
	   "limits mappings 0/0 ports 0/4294967295\n", "show: limits of 0 and 2^32-1");

	/* Only one limit told, or no ports in use: what there is. */
	c.mappings = 3;
	c.has_max_ports = false;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source external\nhairpin off\nmodule v1.2-3-gabcdef\nmappings 3\n"
	   "limits mappings 3/0\n", "show: the mappings limit alone");
	c.has_max_maps = false;
	c.has_max_ports = true;
	c.has_ports = false;
	c.max_ports = 100;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source external\nhairpin off\nmodule v1.2-3-gabcdef\nmappings 3\n"
	   "limits ports 100\n", "show: the ports limit without its use");

	/* A newer module's values, and an older one that says less. */
	c.source = 7;
	c.mode = HP_UNSET;
	c.version[0] = '\0';
	c.has_ports = c.has_max_maps = c.has_max_ports = false;
	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":null,\"source\":7,\"source_addr\":null,\"hairpin\":null,\"scope\":null,\"udp_timeout\":null,"
	   "\"mappings\":3,\"ports\":null,\"max_mappings\":null,\"max_ports\":null,"
	   "\"bindings\":null,\"max_bindings\":null,\"conns\":12,\"hairpinned\":3,\"others_hairpinned\":null}\n",
	   "show -j: unknown values as numbers, missing ones (limits too) as null");
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source 7\nmodule unknown\nmappings 3\n",
	   "show: the same as text, no limits line");
}

/* A module with the masq rules: the UDP timeout, the bindings and their
 * limit, alongside the rest.
 */
static void test_show_bindings(void)
{
	struct hp_config c = {
		.version = "2.0", .source = HAIRPIN_SOURCE_LAN,
		.mode = HAIRPIN_MODE_AUTO, .mappings = 3, .conns = 12, .hairpinned = 3,
		.has_ports = true, .ports = 13, .has_max_maps = true, .max_maps = 1024,
		.has_max_ports = true, .max_ports = 65536,
		.has_udp_timeout = true, .udp_timeout = 300,
		.has_bindings = true, .bindings = 5,
		.has_max_bindings = true, .max_bindings = 65536,
	};

	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source lan\nhairpin auto\nudp-timeout 300\nmodule 2.0\nmappings 3\n"
	   "limits mappings 3/1024 ports 13/65536 bindings 5/65536\n",
	   "show: the UDP timeout with the settings, the bindings with the limits");

	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":\"2.0\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"auto\","
	   "\"scope\":null,\"udp_timeout\":300,\"mappings\":3,\"ports\":13,\"max_mappings\":1024,"
	   "\"max_ports\":65536,\"bindings\":5,\"max_bindings\":65536,"
	   "\"conns\":12,\"hairpinned\":3,\"others_hairpinned\":null}\n",
	   "show -j: udp_timeout, bindings and max_bindings");

	/* The bindings limit alone, and the bindings without their limit. */
	c.has_max_maps = c.has_max_ports = false;
	c.has_bindings = false;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source lan\nhairpin auto\nudp-timeout 300\nmodule 2.0\nmappings 3\n"
	   "limits bindings 65536\n", "show: the bindings limit without their use");
	c.has_bindings = true;
	c.has_max_bindings = false;
	c.has_udp_timeout = false;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source lan\nhairpin auto\nmodule 2.0\nmappings 3\n",
	   "show: bindings without a limit, no UDP timeout: nothing of them");
	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":\"2.0\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"auto\","
	   "\"scope\":null,\"udp_timeout\":null,\"mappings\":3,\"ports\":13,\"max_mappings\":null,"
	   "\"max_ports\":null,\"bindings\":5,\"max_bindings\":null,"
	   "\"conns\":12,\"hairpinned\":3,\"others_hairpinned\":null}\n", "  but in JSON, what there is");
}

/* A module with the scope: the setting, and the others' total with -s. */
static void test_show_scope(void)
{
	struct hp_config c = {
		.version = "3.0", .source = HAIRPIN_SOURCE_LAN,
		.mode = HAIRPIN_MODE_AUTO, .mappings = 1, .conns = 4, .hairpinned = 2,
		.has_scope = true, .scope = HAIRPIN_SCOPE_ALL,
		.has_others = true, .others_hairpinned = 5,
	};

	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source lan\nhairpin auto\nscope all\nmodule 3.0\nmappings 1\n",
	   "show: the scope with the settings");
	out_start();
	print_config(out, &c, PRINT_STATS);
	is(out_end(), "source lan\nhairpin auto\nscope all\nmodule 3.0\nmappings 1\n"
	   "conns 4 hairpinned 2\nothers-hairpinned 5\n",
	   "show -s: the others' forwards apart from the mappings' totals");
	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":\"3.0\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"auto\","
	   "\"scope\":\"all\",\"udp_timeout\":null,\"mappings\":1,\"ports\":null,"
	   "\"max_mappings\":null,\"max_ports\":null,\"bindings\":null,"
	   "\"max_bindings\":null,\"conns\":4,\"hairpinned\":2,"
	   "\"others_hairpinned\":5}\n", "show -j: scope and others_hairpinned");
	c.scope = 9;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source lan\nhairpin auto\nscope 9\nmodule 3.0\nmappings 1\n",
	   "show: a newer module's scope as a number");
}

static void event(const struct hp_op *op, const char *text, const char *json)
{
	char what[HP_OP_TEXT_MAX + 16];

	snprintf(what, sizeof(what), "monitor: %.*s", (int)strcspn(text, "\n"), text);
	out_start();
	print_event(out, op, 0);
	is(out_end(), text, what);
	out_start();
	print_event(out, op, PRINT_JSON);
	is(out_end(), json, "  and as JSON");
}

static void test_monitor(void)
{
	struct hp_op op = { .source = HP_UNSET, .mode = HP_UNSET };

	op.cmd = HAIRPIN_CMD_NEW_MAP;
	op.map = maps[1];
	event(&op, "map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"\n",
	      "{\"event\":\"add\",\"mapping\":{\"proto\":\"udp\",\"addr\":\"203.0.113.5\","
	      "\"port\":5000,\"port_max\":5010,\"to_addr\":\"10.0.0.2\",\"to_port\":6000,"
	      "\"to_port_max\":6010,\"comment\":\"game server\",\"mirror\":false,\"conns\":0,\"hairpinned\":0}}\n");

	op.cmd = HAIRPIN_CMD_DEL_MAP;
	op.map = maps[0];
	event(&op, "map del tcp 80\n",
	      "{\"event\":\"del\",\"mapping\":{\"proto\":\"tcp\",\"addr\":null,"
	      "\"port\":80,\"port_max\":80,\"to_addr\":\"192.168.1.10\",\"to_port\":80,"
	      "\"to_port_max\":80,\"comment\":\"web\",\"mirror\":false,\"conns\":12,\"hairpinned\":3}}\n");

	op.cmd = HAIRPIN_CMD_FLUSH_MAPS;
	event(&op, "map flush\n", "{\"event\":\"flush\"}\n");

	op.cmd = HAIRPIN_CMD_NEW_MASQ;
	op.masq = masqs[1];
	op.masq.has_bindings = false;
	event(&op, "masq add dev wan1 to 203.0.113.9 filter address-port\n",
	      "{\"event\":\"add\",\"masq\":{\"dev\":\"wan1\",\"to\":\"203.0.113.9\","
	      "\"filter\":\"address-port\","
	      "\"bindings\":null}}\n");

	op.masq = masqs[0];
	event(&op, "masq add dev ppp0\n",
	      "{\"event\":\"add\",\"masq\":{\"dev\":\"ppp0\",\"to\":null,\"filter\":\"independent\","
	      "\"bindings\":12}}\n");

	op.cmd = HAIRPIN_CMD_DEL_MASQ;
	op.masq = masqs[2];
	event(&op, "masq del dev \"#odd\\\"\"\n",
	      "{\"event\":\"del\",\"masq\":{\"dev\":\"#odd\\\"\",\"to\":null,\"filter\":\"address\","
	      "\"bindings\":0}}\n");

	/* A deleted rule's address: in the JSON, not in the line. */
	op.masq = masqs[1];
	op.masq.has_bindings = false;
	event(&op, "masq del dev wan1\n",
	      "{\"event\":\"del\",\"masq\":{\"dev\":\"wan1\",\"to\":\"203.0.113.9\","
	      "\"filter\":\"address-port\",\"bindings\":null}}\n");

	op.cmd = HAIRPIN_CMD_SET_CONFIG;
	op.source = HAIRPIN_SOURCE_LAN;
	op.mode = HAIRPIN_MODE_ALWAYS;
	event(&op, "set source lan hairpin always\n",
	      "{\"event\":\"set\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"always\","
	      "\"scope\":null,\"udp_timeout\":null,\"max_mappings\":null,\"max_ports\":null,"
	      "\"max_bindings\":null}\n");

	out_start();
	print_event(out, &op, PRINT_JSON | PRINT_PRETTY);
	is(out_end(), "{\n  \"event\": \"set\",\n  \"source\": \"lan\",\n  \"source_addr\": null,\n  \"hairpin\": \"always\",\n"
	   "  \"scope\": null,\n  \"udp_timeout\": null,\n  \"max_mappings\": null,\n  \"max_ports\": null,\n"
	   "  \"max_bindings\": null\n}\n",
	   "monitor -p: indented");

	op.has_max_maps = true;
	op.max_maps = 1024;
	op.has_max_ports = true;
	op.max_ports = 65536;
	event(&op, "set source lan hairpin always limit mappings 1024 ports 65536\n",
	      "{\"event\":\"set\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"always\","
	      "\"scope\":null,\"udp_timeout\":null,\"max_mappings\":1024,\"max_ports\":65536,"
	      "\"max_bindings\":null}\n");

	op.has_udp_timeout = true;
	op.udp_timeout = 600;
	op.has_max_bindings = true;
	op.max_bindings = 4096;
	event(&op, "set source lan hairpin always udp-timeout 600 limit mappings 1024 "
	      "ports 65536 bindings 4096\n",
	      "{\"event\":\"set\",\"source\":\"lan\",\"source_addr\":null,\"hairpin\":\"always\","
	      "\"scope\":null,\"udp_timeout\":600,\"max_mappings\":1024,\"max_ports\":65536,"
	      "\"max_bindings\":4096}\n");

	op.source = HP_UNSET;
	op.mode = HP_UNSET;
	op.has_max_maps = false;
	op.has_max_ports = false;
	event(&op, "set udp-timeout 600 limit bindings 4096\n",
	      "{\"event\":\"set\",\"source\":null,\"source_addr\":null,\"hairpin\":null,"
	      "\"scope\":null,\"udp_timeout\":600,\"max_mappings\":null,\"max_ports\":null,"
	      "\"max_bindings\":4096}\n");

	op.has_udp_timeout = false;
	op.has_max_bindings = false;
	op.source = HAIRPIN_SOURCE_EXTERNAL;
	op.mode = HAIRPIN_MODE_OFF;
	op.has_scope = true;
	op.scope = HAIRPIN_SCOPE_ALL;
	event(&op, "set source external hairpin off scope all\n",
	      "{\"event\":\"set\",\"source\":\"external\",\"source_addr\":null,\"hairpin\":\"off\","
	      "\"scope\":\"all\",\"udp_timeout\":null,\"max_mappings\":null,"
	      "\"max_ports\":null,\"max_bindings\":null}\n");

	op.source = HP_UNSET;
	op.mode = HP_UNSET;
	op.has_scope = false;
	op.has_max_ports = true;
	event(&op, "set limit ports 65536\n",
	      "{\"event\":\"set\",\"source\":null,\"source_addr\":null,\"hairpin\":null,"
	      "\"scope\":null,\"udp_timeout\":null,\"max_mappings\":null,\"max_ports\":65536,"
	      "\"max_bindings\":null}\n");
}

static void test_save(void)
{
	struct hp_config c = {
		.version = "1", .source = HAIRPIN_SOURCE_EXTERNAL,
		.mode = HAIRPIN_MODE_ALWAYS, .mappings = 3,
		.has_ports = true, .ports = 13, .has_max_maps = true, .max_maps = 1024,
		.has_max_ports = true, .max_ports = 4294967295u,
	};
	struct hp_maplist list = { maps, 3, 3 };
	static const char want[] =
		"map flush\n"
		"set source external hairpin always\n"
		"set limit mappings 1024 ports 4294967295\n"
		"map add tcp 80 to 192.168.1.10:80 comment web\n"
		"map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"\n"
		"map add tcp 8080 to 10.0.0.3:80\n";
	struct hp_oplist ops;
	const char *text;
	FILE *f;
	size_t i;
	bool same;

	out_start();
	print_save(out, &c, &no_masqs, &list);
	text = out_end();
	is(text, want, "save: flush, settings, limits, then every mapping as map add");

	f = fmemopen((void *)text, strlen(text), "r");
	same = parse_file(f, "saved", &ops) && ops.len == 6 &&
	       ops.ops[0].cmd == HAIRPIN_CMD_FLUSH_MAPS &&
	       ops.ops[1].cmd == HAIRPIN_CMD_SET_CONFIG &&
	       ops.ops[1].source == HAIRPIN_SOURCE_EXTERNAL &&
	       ops.ops[1].mode == HAIRPIN_MODE_ALWAYS &&
	       !ops.ops[1].has_max_maps && !ops.ops[1].has_max_ports &&
	       ops.ops[2].cmd == HAIRPIN_CMD_SET_CONFIG &&
	       ops.ops[2].source == HP_UNSET && ops.ops[2].mode == HP_UNSET &&
	       ops.ops[2].has_max_maps && ops.ops[2].max_maps == 1024 &&
	       ops.ops[2].has_max_ports && ops.ops[2].max_ports == UINT32_MAX;
	for (i = 0; same && i < 3; i++) {
		const struct hp_map *a = &ops.ops[3 + i].map, *b = &maps[i];

		same = ops.ops[3 + i].cmd == HAIRPIN_CMD_NEW_MAP &&
		       a->proto == b->proto && a->has_addr == b->has_addr &&
		       a->addr == b->addr && a->port == b->port &&
		       a->port_max == b->port_max && a->to_addr == b->to_addr &&
		       a->to_port == b->to_port && !strcmp(a->comment, b->comment);
	}
	ok(same, "  and -f reads it back to the same settings, limits and mappings");
	fclose(f);
	hp_oplist_free(&ops);

	/* The masq rules, after the limits and before the mappings. */
	{
		struct hp_masqlist ml = { masqs, 3, 3 };

		list.len = 1;
		out_start();
		print_save(out, &c, &ml, &list);
		text = out_end();
		is(text, "map flush\n"
		   "set source external hairpin always\n"
		   "set limit mappings 1024 ports 4294967295\n"
		   "masq add dev ppp0\n"
		   "masq add dev wan1 to 203.0.113.9 filter address-port\n"
		   "masq add dev \"#odd\\\"\" filter address\n"
		   "map add tcp 80 to 192.168.1.10:80 comment web\n",
		   "save: the masq rules as masq add, filter independent left out, "
		   "the address said, no bindings");
		f = fmemopen((void *)text, strlen(text), "r");
		ok(parse_file(f, "saved", &ops) && ops.len == 7 &&
		   ops.ops[3].cmd == HAIRPIN_CMD_NEW_MASQ &&
		   !strcmp(ops.ops[3].masq.ifname, "ppp0") &&
		   ops.ops[3].masq.filter == HAIRPIN_FILTER_INDEPENDENT &&
		   ops.ops[4].masq.filter == HAIRPIN_FILTER_ADDRESS_PORT &&
		   ops.ops[4].masq.has_addr && ops.ops[4].masq.addr == ip("203.0.113.9") &&
		   !ops.ops[3].masq.has_addr &&
		   !strcmp(ops.ops[5].masq.ifname, "#odd\"") &&
		   ops.ops[5].masq.filter == HAIRPIN_FILTER_ADDRESS &&
		   ops.ops[6].cmd == HAIRPIN_CMD_NEW_MAP,
		   "  and -f reads the rules back");
		fclose(f);
		hp_oplist_free(&ops);
		list.len = 3;
	}

	/* A module without limits: no limit line. */
	c.has_ports = c.has_max_maps = c.has_max_ports = false;
	list.len = 1;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	is(out_end(), "map flush\nset source external hairpin always\n"
	   "map add tcp 80 to 192.168.1.10:80 comment web\n",
	   "save of a module without limits: no limit line");

	/* Limits without settings, and one limit alone. */
	c.source = HP_UNSET;
	c.mode = HP_UNSET;
	c.has_max_ports = true;
	c.max_ports = 0;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	is(out_end(), "map flush\nset limit ports 0\n"
	   "map add tcp 80 to 192.168.1.10:80 comment web\n",
	   "save of a module that tells one limit and no settings");
	c.has_max_ports = false;

	c.source = HP_UNSET;
	c.mode = HP_UNSET;
	list.len = 0;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	is(out_end(), "map flush\n", "save of a module that tells no settings, no mappings");

	/* The UDP timeout when it is not the default, the bindings limit
	 * with the others; never the bindings themselves.
	 */
	c.source = HAIRPIN_SOURCE_LAN;
	c.mode = HAIRPIN_MODE_AUTO;
	c.has_udp_timeout = true;
	c.udp_timeout = HP_UDP_TIMEOUT_DEFAULT;
	c.has_max_maps = c.has_max_ports = true;
	c.has_bindings = true;
	c.bindings = 12;
	c.has_max_bindings = true;
	c.max_bindings = 65536;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	is(out_end(), "map flush\nset source lan hairpin auto\n"
	   "set limit mappings 1024 ports 0 bindings 65536\n",
	   "save: the default UDP timeout left out, the bindings limit with the others");
	c.udp_timeout = 600;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	text = out_end();
	is(text, "map flush\nset source lan hairpin auto\nset udp-timeout 600\n"
	   "set limit mappings 1024 ports 0 bindings 65536\n",
	   "save: another UDP timeout on a line of its own");
	f = fmemopen((void *)text, strlen(text), "r");
	ok(parse_file(f, "saved", &ops) && ops.len == 4 &&
	   ops.ops[2].cmd == HAIRPIN_CMD_SET_CONFIG && ops.ops[2].has_udp_timeout &&
	   ops.ops[2].udp_timeout == 600 && !ops.ops[2].has_max_bindings &&
	   ops.ops[3].has_max_bindings && ops.ops[3].max_bindings == 65536 &&
	   !ops.ops[3].has_udp_timeout, "  and -f reads it back");
	fclose(f);
	hp_oplist_free(&ops);

	/* The scope too, when it is not the default. */
	c.udp_timeout = HP_UDP_TIMEOUT_DEFAULT;
	c.has_max_maps = c.has_max_ports = c.has_max_bindings = false;
	c.has_scope = true;
	c.scope = HAIRPIN_SCOPE_OWN;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	is(out_end(), "map flush\nset source lan hairpin auto\n",
	   "save: the default scope left out");
	c.scope = HAIRPIN_SCOPE_ALL;
	out_start();
	print_save(out, &c, &no_masqs, &list);
	text = out_end();
	is(text, "map flush\nset source lan hairpin auto\nset scope all\n",
	   "save: scope all on a line of its own");
	f = fmemopen((void *)text, strlen(text), "r");
	ok(parse_file(f, "saved", &ops) && ops.len == 3 &&
	   ops.ops[2].cmd == HAIRPIN_CMD_SET_CONFIG && ops.ops[2].has_scope &&
	   ops.ops[2].scope == HAIRPIN_SCOPE_ALL && ops.ops[2].source == HP_UNSET,
	   "  and -f reads it back");
	fclose(f);
	hp_oplist_free(&ops);
}

/* A source address: the address in text, in the grammar of set; in JSON,
 * "address" and the address apart. show, monitor and save alike.
 */
static void test_source_addr(void)
{
	struct hp_config c = {
		.version = "4.0", .source = HAIRPIN_SOURCE_ADDR,
		.mode = HAIRPIN_MODE_AUTO, .mappings = 1,
	};
	struct hp_op op = { .cmd = HAIRPIN_CMD_SET_CONFIG, .mode = HP_UNSET };
	struct hp_maplist none = { NULL, 0, 0 };
	struct hp_masqlist no_masqs = { NULL, 0, 0 };
	struct hp_oplist ops;
	const char *text;
	FILE *f;

	c.source_addr = ip("192.168.1.254");
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source 192.168.1.254\nhairpin auto\nmodule 4.0\nmappings 1\n",
	   "show: the source address as set takes it");
	out_start();
	print_config(out, &c, PRINT_JSON);
	is(out_end(), "{\"version\":\"4.0\",\"source\":\"address\","
	   "\"source_addr\":\"192.168.1.254\",\"hairpin\":\"auto\","
	   "\"scope\":null,\"udp_timeout\":null,\"mappings\":1,\"ports\":null,"
	   "\"max_mappings\":null,\"max_ports\":null,\"bindings\":null,"
	   "\"max_bindings\":null,\"conns\":0,\"hairpinned\":0,"
	   "\"others_hairpinned\":null}\n",
	   "show -j: source \"address\", and source_addr");

	out_start();
	print_save(out, &c, &no_masqs, &none);
	text = out_end();
	is(text, "map flush\nset source 192.168.1.254 hairpin auto\n",
	   "save: set source ADDRESS");
	f = fmemopen((void *)text, strlen(text), "r");
	ok(parse_file(f, "saved", &ops) && ops.len == 2 &&
	   ops.ops[1].source == HAIRPIN_SOURCE_ADDR &&
	   ops.ops[1].source_addr == c.source_addr, "  and -f reads it back");
	fclose(f);
	hp_oplist_free(&ops);

	op.source = HAIRPIN_SOURCE_ADDR;
	op.source_addr = c.source_addr;
	event(&op, "set source 192.168.1.254\n",
	      "{\"event\":\"set\",\"source\":\"address\",\"source_addr\":\"192.168.1.254\","
	      "\"hairpin\":null,\"scope\":null,\"udp_timeout\":null,\"max_mappings\":null,"
	      "\"max_ports\":null,\"max_bindings\":null}\n");

	/* A module that names the source without its address: the name. */
	c.source_addr = 0;
	out_start();
	print_config(out, &c, 0);
	is(out_end(), "source address\nhairpin auto\nmodule 4.0\nmappings 1\n",
	   "show: a source address the module did not give");
}

/* A mirror: the word after the comment in text, as map add takes it, and
 * "mirror" in JSON; monitor, upnp follow (a replace too) and save carry it.
 */
static void test_mirror(void)
{
	struct hp_map m[2] = {
		maps[0],
		{ .proto = IPPROTO_TCP, .port = 8081, .port_max = 8081, .has_to = true,
		  .to_addr = ip("10.20.30.100"), .has_to_port = true, .to_port = 80,
		  .comment = "miniupnpd: cam", .flags = HAIRPIN_MAP_F_MIRROR,
		  .has_counters = true, .conns = 2, .hairpinned = 1 },
	};
	struct hp_maplist list = { m, 2, 2 };
	struct hp_config c = { .source = HP_UNSET, .mode = HP_UNSET };
	struct hp_op op = { .cmd = HAIRPIN_CMD_NEW_MAP, .source = HP_UNSET,
			    .mode = HP_UNSET };
	struct hp_oplist ops;
	const char *text;
	FILE *f;

	out_start();
	print_maps(out, &list, 0);
	is(out_end(),
	   "tcp 80 to 192.168.1.10:80 comment web                        conns 12 hairpinned 3\n"
	   "tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror  conns 2  hairpinned 1\n",
	   "map show: a mirror ends with the word mirror");
	out_start();
	print_maps(out, &list, PRINT_JSON);
	is(out_end(),
	   "{\"mappings\":["
	   "{\"proto\":\"tcp\",\"addr\":null,\"port\":80,\"port_max\":80,"
	   "\"to_addr\":\"192.168.1.10\",\"to_port\":80,\"to_port_max\":80,"
	   "\"comment\":\"web\",\"mirror\":false,\"conns\":12,\"hairpinned\":3},"
	   "{\"proto\":\"tcp\",\"addr\":null,\"port\":8081,\"port_max\":8081,"
	   "\"to_addr\":\"10.20.30.100\",\"to_port\":80,\"to_port_max\":80,"
	   "\"comment\":\"miniupnpd: cam\",\"mirror\":true,\"conns\":2,\"hairpinned\":1}]}\n",
	   "map show -j: mirror true or false");

	/* Flags a newer module may add are not a mirror. */
	m[1].flags = 1U << 7;
	out_start();
	print_maps(out, &(struct hp_maplist){ &m[1], 1, 1 }, 0);
	is(out_end(), "tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\"  conns 2 hairpinned 1\n",
	   "map show: other flags do not make a mirror");
	m[1].flags = HAIRPIN_MAP_F_MIRROR;

	op.map = m[1];
	event(&op, "map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n",
	      "{\"event\":\"add\",\"mapping\":{\"proto\":\"tcp\",\"addr\":null,"
	      "\"port\":8081,\"port_max\":8081,\"to_addr\":\"10.20.30.100\",\"to_port\":80,"
	      "\"to_port_max\":80,\"comment\":\"miniupnpd: cam\",\"mirror\":true,"
	      "\"conns\":2,\"hairpinned\":1}}\n");
	op.cmd = HAIRPIN_CMD_REPLACE_MAP;
	event(&op, "map replace tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n",
	      "{\"event\":\"replace\",\"mapping\":{\"proto\":\"tcp\",\"addr\":null,"
	      "\"port\":8081,\"port_max\":8081,\"to_addr\":\"10.20.30.100\",\"to_port\":80,"
	      "\"to_port_max\":80,\"comment\":\"miniupnpd: cam\",\"mirror\":true,"
	      "\"conns\":2,\"hairpinned\":1}}\n");
	op.cmd = HAIRPIN_CMD_DEL_MAP;
	event(&op, "map del tcp 8081\n",
	      "{\"event\":\"del\",\"mapping\":{\"proto\":\"tcp\",\"addr\":null,"
	      "\"port\":8081,\"port_max\":8081,\"to_addr\":\"10.20.30.100\",\"to_port\":80,"
	      "\"to_port_max\":80,\"comment\":\"miniupnpd: cam\",\"mirror\":true,"
	      "\"conns\":2,\"hairpinned\":1}}\n");

	out_start();
	print_save(out, &c, &no_masqs, &list);
	text = out_end();
	is(text, "map flush\nmap add tcp 80 to 192.168.1.10:80 comment web\n"
	   "map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n",
	   "save: a mirror as map add ... mirror");
	f = fmemopen((void *)text, strlen(text), "r");
	ok(parse_file(f, "saved", &ops) && ops.len == 3 && !ops.ops[1].map.flags &&
	   ops.ops[2].map.flags == HAIRPIN_MAP_F_MIRROR &&
	   !strcmp(ops.ops[2].map.comment, "miniupnpd: cam"),
	   "  and -f reads the mirror back");
	fclose(f);
	hp_oplist_free(&ops);
}

static void test_format_op(void)
{
	struct hp_op op = { .cmd = HAIRPIN_CMD_REPLACE_MAP, .map = maps[2],
			    .source = HP_UNSET, .mode = HP_UNSET };
	char text[HP_OP_TEXT_MAX];
	int n;

	n = format_op(text, sizeof(text), &op);
	is(text, "map replace tcp 8080 to 10.0.0.3:80", "format_op: replace");
	ok(n == (int)strlen(text), "  returns the length");
	n = format_op(text, 12, &op);
	ok(n == (int)strlen("map replace tcp 8080 to 10.0.0.3:80") &&
	   !strcmp(text, "map replace"), "format_op truncates like snprintf (%d)", n);
	op.cmd = HAIRPIN_CMD_SET_CONFIG;
	op.mode = HAIRPIN_MODE_AUTO;
	format_op(text, sizeof(text), &op);
	is(text, "set hairpin auto", "format_op: one setting");
	op.has_max_ports = true;
	op.max_ports = 7;
	format_op(text, sizeof(text), &op);
	is(text, "set hairpin auto limit ports 7", "format_op: a setting and a limit");
	op.has_max_maps = true;
	op.max_maps = 4294967295u;
	op.max_ports = 4294967295u;
	op.source = HAIRPIN_SOURCE_EXTERNAL;
	op.mode = HAIRPIN_MODE_ALWAYS;
	op.has_udp_timeout = true;
	op.udp_timeout = 86400;
	op.has_max_bindings = true;
	op.max_bindings = 4294967295u;
	op.has_scope = true;
	op.scope = HAIRPIN_SCOPE_ALL;
	n = format_op(text, sizeof(text), &op);
	is(text, "set source external hairpin always scope all udp-timeout 86400 "
	   "limit mappings 4294967295 ports 4294967295 bindings 4294967295",
	   "format_op: every setting and limit");
	ok(n == (int)strlen(text) && n < HP_OP_TEXT_MAX, "  fits HP_OP_TEXT_MAX (%d)", n);
}

static void str(const char *in, const char *want, const char *what)
{
	out_start();
	json_put_string(out, in);
	is(out_end(), want, what);
}

static void test_escaping(void)
{
	str("web", "\"web\"", "JSON string: plain");
	str("q\"b\\", "\"q\\\"b\\\\\"", "JSON string: quote and backslash");
	str("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"", "JSON string: newline, tab, return");
	str("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "JSON string: other controls as \\u");
	str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	    "JSON string: UTF-8 as it is");
	str("a\xff" "b\xc3", "\"a\\ufffdb\\ufffd\"", "JSON string: bytes that are not UTF-8 become U+FFFD");
	str("\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
	    "JSON string: overlong, surrogate and beyond U+10FFFF are not UTF-8");
	str("/</script>", "\"/</script>\"", "JSON string: nothing else escaped");
}

int main(void)
{
	setup_maps();
	test_map_show();
	test_masq_show();
	test_binding_show();
	test_show();
	test_show_bindings();
	test_show_scope();
	test_monitor();
	test_save();
	test_source_addr();
	test_mirror();
	test_format_op();
	test_escaping();
	free(out_buf);
	return done_testing();
}

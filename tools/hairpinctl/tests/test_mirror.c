// SPDX-License-Identifier: GPL-2.0
/*
 * What upnp follow sends, without a kernel: the plan from a lease file and
 * a table, which mirrors it owns, what it adds, replaces, deletes and
 * leaves alone, and why it leaves a lease out.
 */
#include "../format.h"
#include "../grammar.h"
#include "../lex.h"
#include "../mirror.h"
#include "tap.h"

/* A file of leases, built up line by line: the line numbers are i + 1. */
static struct hp_lease lease_buf[16];
static struct hp_leases want;

static void leases(const char *const *lines)
{
	char why[HP_NOTE_MAX];
	unsigned int i;

	memset(&want, 0, sizeof(want));
	want.leases = lease_buf;
	for (i = 0; lines[i]; i++) {
		struct hp_lease *l = &lease_buf[want.len];

		if (lease_parse_line(lines[i], &l->map, why, sizeof(why)) != LEASE_FORWARD) {
			diag("test lease %u: %s", i + 1, why);
			continue;
		}
		l->line = i + 1;
		want.len++;
	}
}

/* A table as a dump gives it: each mapping as map add takes it. */
static struct hp_map table_buf[16];
static struct hp_maplist table;

static void map(const char *args)
{
	char line[256], words[256], *argv[HP_MAX_WORDS];
	struct hp_op op;
	int argc;

	snprintf(line, sizeof(line), "map add %s", args);
	if (!parse_words(line, words, &argc, argv) || !parse_op(argc, argv, &op)) {
		diag("test mapping: %s", line);
		return;
	}
	op.map.has_counters = true;
	op.map.conns = 5;
	table_buf[table.len++] = op.map;
}

static struct mirror_plan plan;

/* The plan of want (or no file) and the table, as -f lines with the
 * lines of the leases: "3: map add tcp ...\n".
 */
static const char *planned(bool file, const struct hp_maplist *keep)
{
	static char text[4096];
	size_t i, len = 0;

	mirror_plan_free(&plan);
	if (!mirror_plan(file ? &want : NULL, &table, keep, &plan))
		return "(out of memory)";
	text[0] = '\0';
	for (i = 0; i < plan.ops.len; i++) {
		char op[HP_OP_TEXT_MAX];

		format_op(op, sizeof(op), &plan.ops.ops[i]);
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u: %s\n",
					plan.ops.ops[i].line, op);
	}
	return text;
}

static const char *noted(void)
{
	static char text[4096];
	size_t i, len = 0;

	text[0] = '\0';
	for (i = 0; i < plan.notes.len; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u: %s\n",
					plan.notes.notes[i].line, plan.notes.notes[i].text);
	return text;
}

static void is(const char *got, const char *want_text, const char *what)
{
	ok(!strcmp(got, want_text), "%s", what);
	if (strcmp(got, want_text))
		diag("got:\n%s# want:\n%s", got, want_text);
}

static void reset(void)
{
	table.maps = table_buf;
	table.len = 0;
}

static void test_owned(void)
{
	struct hp_map m = { .flags = HAIRPIN_MAP_F_MIRROR, .comment = "miniupnpd: x" };

	ok(mirror_owned(&m), "owned: a mirror commented miniupnpd: ...");
	strcpy(m.comment, "miniupnpd:");
	ok(mirror_owned(&m), "owned: the prefix alone");
	strcpy(m.comment, "miniupnpd");
	ok(!mirror_owned(&m), "not owned: no colon");
	strcpy(m.comment, "x miniupnpd: y");
	ok(!mirror_owned(&m), "not owned: the prefix elsewhere");
	strcpy(m.comment, "miniupnpd: x");
	m.flags = 1U << 5;
	ok(!mirror_owned(&m), "not owned: not a mirror, whatever its comment");
}

static void test_plan(void)
{
	static const char *const file[] = {
		"TCP:8081:10.20.30.100:80:0:cam\n",
		"UDP:5000:10.20.30.101:5000:1797166787:game: lobby\n",
		"TCP:2222:10.20.30.102:22:0:ssh\n",
		NULL,
	};
	struct hp_maplist keep = { NULL, 0, 0 };

	leases(file);
	reset();
	is(planned(true, NULL),
	   "1: map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n"
	   "2: map add udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game: lobby\" mirror\n"
	   "3: map add tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror\n",
	   "an empty table: every lease added, in the file's order");
	is(noted(), "", "  nothing left out");

	/* The table as follow left it: nothing to do. */
	reset();
	map("tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror");
	map("tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror");
	map("udp 5000 to 10.20.30.101 comment \"miniupnpd: game: lobby\" mirror");
	is(planned(true, NULL), "", "the table has every mirror: nothing (TO_PORT left out is the port)");

	/* One changed its target, one its description, one is gone from
	 * the file, one is new; the operator's mapping stays.
	 */
	reset();
	map("tcp 80 to 192.168.1.10:80 comment web");
	map("tcp 8081 to 10.20.30.200:80 comment \"miniupnpd: cam\" mirror");
	map("udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game\" mirror");
	map("tcp 9000 to 10.20.30.103:9000 comment \"miniupnpd: gone\" mirror");
	is(planned(true, NULL),
	   "0: map del tcp 9000\n"
	   "1: map replace tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n"
	   "2: map replace udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game: lobby\" mirror\n"
	   "3: map add tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror\n",
	   "deletions, then replacements, then additions; the operator's left alone");
	ok(plan.ops.len == 4 && !plan.ops.ops[0].map.has_to && !plan.ops.ops[0].map.comment[0] &&
	   !plan.ops.ops[0].map.flags, "  a deletion carries the key alone");

	/* No file: every mirror of follow's goes, nothing else. */
	reset();
	map("tcp 80 to 192.168.1.10:80 comment web");
	map("tcp 81 to 192.168.1.10:81 comment \"miniupnpd: typed by hand\"");
	map("tcp 82 to 192.168.1.10:82 comment mine mirror");
	map("tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror");
	map("udp 203.0.113.1:5000-5009 to 10.20.30.101 comment \"miniupnpd: restored\" mirror");
	is(planned(false, NULL), "0: map del tcp 8081\n0: map del udp 203.0.113.1:5000-5009\n",
	   "no file: follow's mirrors deleted, a mirror of another comment "
	   "and a non-mirror \"miniupnpd:\" kept");

	/* A mapping that is not follow's overlaps a lease: left out. */
	reset();
	map("tcp 8000-8100 to 192.168.1.5:8000-8100 comment web");
	map("udp 2222 to 192.168.1.5 comment game");
	map("tcp 203.0.113.1:2222 to 192.168.1.6 comment \"other address\"");
	is(planned(true, NULL),
	   "2: map add udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game: lobby\" mirror\n"
	   "3: map add tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror\n",
	   "a lease overlapping the operator's mapping left out; another protocol "
	   "or a named address does not overlap");
	is(noted(), "1: tcp 8081 overlaps the mapping "
	   "'tcp 8000-8100 to 192.168.1.5:8000-8100 comment web', left out\n",
	   "  and noted, naming the mapping");

	reset();
	map("tcp 8081 to 192.168.1.5 comment \"someone else's\" mirror");
	planned(true, NULL);
	is(noted(), "1: tcp 8081 overlaps the mapping "
	   "'tcp 8081 to 192.168.1.5:8081 comment \"someone else's\" mirror', left out\n",
	   "a mirror not follow's overlaps as the operator's do");

	/* A mirror of follow's over a range: deleted before the add. */
	reset();
	map("tcp 8000-8100 to 10.20.30.100:8000-8100 comment \"miniupnpd: old\" mirror");
	is(planned(true, NULL),
	   "0: map del tcp 8000-8100\n"
	   "1: map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n"
	   "2: map add udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game: lobby\" mirror\n"
	   "3: map add tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror\n",
	   "follow's own overlapping mirror goes first");

	/* What the kernel refused once is left as it is. */
	reset();
	map("tcp 9000 to 10.20.30.103:9000 comment \"miniupnpd: gone\" mirror");
	hp_maplist_push(&keep, &lease_buf[0].map);
	hp_maplist_push(&keep, &table_buf[0]);
	is(planned(true, &keep),
	   "2: map add udp 5000 to 10.20.30.101:5000 comment \"miniupnpd: game: lobby\" mirror\n"
	   "3: map add tcp 2222 to 10.20.30.102:22 comment \"miniupnpd: ssh\" mirror\n",
	   "keys kept: neither added nor deleted");
	is(noted(), "", "  nor noted again");
	hp_maplist_free(&keep);
}

static void test_duplicates(void)
{
	static const char *const file[] = {
		"TCP:8081:10.20.30.100:80:0:first\n",
		"UDP:8081:10.20.30.100:80:0:other protocol\n",
		"TCP:8081:10.20.30.101:80:0:second\n",
		NULL,
	};

	leases(file);
	reset();
	is(planned(true, NULL),
	   "1: map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: first\" mirror\n"
	   "2: map add udp 8081 to 10.20.30.100:80 comment \"miniupnpd: other protocol\" mirror\n",
	   "the same protocol and port twice: the first line wins");
	is(noted(), "3: tcp 8081 again (line 1 has it), left out\n", "  the second noted");

	/* The first left out (overlap): the second overlaps the same. */
	map("tcp 8081 to 192.168.1.5 comment web");
	planned(true, NULL);
	is(noted(), "1: tcp 8081 overlaps the mapping 'tcp 8081 to 192.168.1.5:8081 comment web', left out\n"
	   "3: tcp 8081 overlaps the mapping 'tcp 8081 to 192.168.1.5:8081 comment web', left out\n",
	   "  unless the first was left out");
}

int main(void)
{
	test_owned();
	test_plan();
	test_duplicates();
	mirror_plan_free(&plan);
	return done_testing();
}

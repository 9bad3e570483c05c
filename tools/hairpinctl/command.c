// SPDX-License-Identifier: GPL-2.0
/*
 * Dispatch and help from the command tables.
 */
#include <string.h>

#include "command.h"
#include "error.h"
#include "hairpinctl.h"

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* "map" after "" is "map"; "add" after "map" is "map add". */
static void join(char *buf, size_t len, const char *path, const char *name)
{
	snprintf(buf, len, "%s%s%s", path, *path ? " " : "", name);
}

/* One line per way of calling c, "PATH NAME ARGS", after first on the
 * first line and more on the others.
 */
static void print_usage_lines(FILE *f, const char *first, const char *more,
			      const char *path, const struct hp_cmd *c)
{
	char words[64];
	int i;

	join(words, sizeof(words), path, c->name);
	for (i = 0; i == 0 || (i < HP_CMD_MAX_ARGS && c->args[i]); i++)
		fprintf(f, "%s%s%s%s\n", i ? more : first, words,
			c->args[i] ? " " : "", c->args[i] ? c->args[i] : "");
}

void print_synopsis(FILE *f, const struct hp_cmd *table, const char *path)
{
	char words[64];

	for (; table->name; table++) {
		join(words, sizeof(words), path, table->name);
		if (table->subs)
			print_synopsis(f, table->subs, words);
		else
			print_usage_lines(f, "  ", "  ", path, table);
	}
}

void print_notes(FILE *f, const struct hp_cmd *table)
{
	for (; table->name; table++) {
		if (table->notes)
			fprintf(f, "\n%s", table->notes);
		if (table->subs)
			print_notes(f, table->subs);
	}
}

/* "Usage: ..." of c, then its subcommands with what they do, its notes. */
static void print_help(FILE *f, const char *path, const struct hp_cmd *c)
{
	const struct hp_cmd *sub;
	char words[64];

	join(words, sizeof(words), path, c->name);
	if (!c->subs) {
		print_usage_lines(f, "Usage: " PROG_NAME " ", "       " PROG_NAME " ",
				  path, c);
	} else {
		fprintf(f, "Usage: %s %s COMMAND [ARGS]\n\n", PROG_NAME, words);
		for (sub = c->subs; sub->name; sub++) {
			print_usage_lines(f, "  ", "  ", words, sub);
			fprintf(f, "      %s\n", sub->description);
		}
	}
	if (c->notes)
		fprintf(f, "\n%s", c->notes);
	if (c->subs)
		print_notes(f, c->subs);
}

/* "add, del, replace, show or flush": what can follow c. */
static void list_subs(char *buf, size_t len, const struct hp_cmd *c)
{
	const struct hp_cmd *sub;
	size_t n = 0, i = 0;

	for (sub = c->subs; sub->name; sub++)
		n += !is_help(sub->name);
	buf[0] = '\0';
	for (sub = c->subs; sub->name; sub++) {
		if (is_help(sub->name))
			continue;
		i++;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 i == 1 ? "" : i == n ? " or " : ", ", sub->name);
	}
}

int run_command(const struct hp_cmd *table, const char *path, int argc,
		char *argv[])
{
	const struct hp_cmd *c;
	char words[64], list[128];

	for (c = table; c->name; c++)
		if (!strcmp(argv[0], c->name))
			break;
	if (!c->name) {
		hp_error("unknown %s%scommand '%s'", path, *path ? " " : "", argv[0]);
		return EXIT_USAGE;
	}
	if (argc > 1 && is_help(argv[1])) {
		print_help(stdout, path, c);
		return EXIT_OK;
	}
	if (!c->subs)
		return c->handler(argc, argv);
	if (argc < 2) {
		list_subs(list, sizeof(list), c);
		hp_error("missing %s command (%s)", c->name, list);
		return EXIT_USAGE;
	}
	join(words, sizeof(words), path, c->name);
	return run_command(c->subs, words, argc - 1, argv + 1);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands as tables of {name, handler, synopsis, description, notes},
 * one per level (the top, then map's): the dispatch and every help text
 * (hairpinctl --help, map help, set help, ...) come from them, and the man
 * page's SYNOPSIS is checked against them (tests/test_man.sh).
 */
#ifndef HAIRPINCTL_COMMAND_H
#define HAIRPINCTL_COMMAND_H

#include <stdbool.h>
#include <stdio.h>

#define HP_CMD_MAX_ARGS 8

struct hp_cmd {
	const char *name;		/* NULL ends a table */
	/* argv[0] is the name. NULL with subs, and for the "help" of
	 * subcommands: run_command() answers "CMD help" itself.
	 */
	int (*handler)(int argc, char *argv[]);
	/* The synopsis: a line per way of calling it, the words after the
	 * name (none: one line, the name alone).
	 */
	const char *args[HP_CMD_MAX_ARGS];
	const char *description;	/* for the lists of commands */
	const char *notes;		/* a paragraph after the usage, or NULL */
	const struct hp_cmd *subs;	/* subcommands, or NULL */
};

/* True when arg asks for help: "help", "-h" or "--help". */
bool is_help(const char *arg);

/* Runs the command of table that argv[0] names; path is the words before
 * it ("" at the top, "map" for map's subcommands). "CMD help" prints
 * CMD's help. Returns an exit code.
 */
int run_command(const struct hp_cmd *table, const char *path, int argc,
		char *argv[]);

/* "  PATH NAME ARGS" for each line of the synopsis of every command in
 * table and below, the subcommands in place of a command that has them.
 */
void print_synopsis(FILE *f, const struct hp_cmd *table, const char *path);
/* Each command's notes, a blank line before each. */
void print_notes(FILE *f, const struct hp_cmd *table);

#endif

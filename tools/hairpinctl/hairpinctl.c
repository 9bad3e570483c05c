// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl: configures the hairpin port mapping module over generic
 * netlink (see uapi/linux/hairpin.h).
 */
#include <stdio.h>
#include <string.h>

#include "hairpinctl.h"
#include "parse.h"

static int help_main(int argc, char *argv[]);

static const struct {
	const char *name;
	int (*handler)(int argc, char *argv[]);
	const char *description;
} commands[] = {
	{ "map", map_main, "add, delete, replace, list or flush port mappings" },
	{ "set", set_main, "change how mapped connections are hairpinned" },
	{ "show", show_main, "show the settings, the number of mappings and the counters" },
	{ "version", version_main, "show the version of hairpinctl and of the module" },
	{ "help", help_main, "show this help" },
};

#define N_COMMANDS ARRAY_SIZE(commands)

int is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: %s COMMAND [ARGS]\n"
		"       %s -f FILE\n"
		"\n"
		"Commands:\n", PROG_NAME, PROG_NAME);
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].description);
	fputs("\n"
	      "  map add PROTO [ADDR:]PORT[-PORT] to ADDR[:PORT[-PORT]] [comment TEXT]\n"
	      "  map del PROTO [ADDR:]PORT[-PORT]\n"
	      "  map replace PROTO [ADDR:]PORT[-PORT] to ADDR[:PORT[-PORT]] [comment TEXT]\n"
	      "  map show\n"
	      "  map flush\n"
	      "  set source lan|external\n"
	      "  set hairpin auto|always|off\n"
	      "  show\n"
	      "  version\n"
	      "\n"
	      "PROTO is tcp or udp. Without ADDR a mapping matches every local\n"
	      "address. Without internal ports the external ones are used; a range\n"
	      "of internal ports must be as long as the external one. TEXT is one\n"
	      "argument of at most 63 bytes.\n"
	      "\n"
	      "-f FILE (- for standard input) applies a file of commands all or\n"
	      "nothing: one \"map add|del|replace|flush ...\" or \"set ...\" per line,\n"
	      "without the word " PROG_NAME "; # starts a comment; \"double quotes\"\n"
	      "make one word, with \\\" and \\\\ inside.\n"
	      "\n"
	      "Exit status: 0 done, 1 the kernel refused or the module is missing,\n"
	      "2 bad command line or file.\n", f);
}

static int help_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return EXIT_OK;
}

int main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1]))
		return help_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-f")) {
		if (argc < 3) {
			hp_error("-f needs a file name (- for standard input)");
			return EXIT_USAGE;
		}
		if (argc > 3) {
			hp_error("unexpected argument '%s'", argv[3]);
			return EXIT_USAGE;
		}
		return batch_main(argv[2]);
	}
	if (argv[1][0] == '-' && argv[1][1]) {
		hp_error("unknown option '%s'", argv[1]);
		return EXIT_USAGE;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].handler(argc - 1, argv + 1);
	hp_error("unknown command '%s'", argv[1]);
	return EXIT_USAGE;
}

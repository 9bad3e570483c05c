// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl: configures the hairpin port mapping module over generic
 * netlink (see uapi/linux/hairpin.h).
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "hairpinctl.h"
#include "out.h"

unsigned int print_flags;

static int help_main(int argc, char *argv[]);

static const struct {
	const char *name;
	int (*handler)(int argc, char *argv[]);
	const char *description;
} commands[] = {
	{ "map", map_main, "add, delete, replace, list or flush port mappings" },
	{ "set", set_main, "change how mapped connections are hairpinned, and the limits" },
	{ "show", show_main, "show the settings, the usage and the limits (-s: the counters)" },
	{ "save", save_main, "print the settings, limits and mappings as a file for -f" },
	{ "monitor", monitor_main, "print changes as they happen, until Ctrl-C" },
	{ "version", version_main, "show the version of hairpinctl and of the module" },
	{ "help", help_main, "show this help" },
};

#define N_COMMANDS ARRAY_SIZE(commands)

int is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* The PRINT_* flags an output option stands for, 0 if arg is none. */
static unsigned int print_opt(const char *arg)
{
	if (!strcmp(arg, "-j") || !strcmp(arg, "--json"))
		return PRINT_JSON;
	if (!strcmp(arg, "-p") || !strcmp(arg, "--pretty"))
		return PRINT_JSON | PRINT_PRETTY;
	if (!strcmp(arg, "-s") || !strcmp(arg, "--stats"))
		return PRINT_STATS;
	return 0;
}

bool parse_print_args(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		unsigned int flag = print_opt(argv[i]);

		if (!flag) {
			hp_error("unexpected argument '%s'", argv[i]);
			return false;
		}
		print_flags |= flag;
	}
	return true;
}

bool no_args(int argc, char *argv[])
{
	if (argc > 1) {
		hp_error("unexpected argument '%s'", argv[1]);
		return false;
	}
	return true;
}

void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: %s [-j] [-p] [-s] COMMAND [ARGS]\n"
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
	      "  set limit mappings N [ports N]\n"
	      "  set limit ports N [mappings N]\n"
	      "  show [-s]\n"
	      "  save\n"
	      "  monitor\n"
	      "  version\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json     JSON output (map show, show, monitor)\n"
	      "  -p, --pretty   indented JSON (implies -j)\n"
	      "  -s, --stats    show: add the connection totals\n"
	      "  -f FILE        apply a file of commands (- for standard input)\n"
	      "  -V, --version  as the version command\n"
	      "  -h, --help     this help\n"
	      "\n"
	      "PROTO is tcp or udp. Without ADDR a mapping matches every local\n"
	      "address. Without internal ports the external ones are used; a range\n"
	      "of internal ports must be as long as the external one. TEXT is one\n"
	      "argument of at most 63 bytes.\n"
	      "\n"
	      "The limits cap the mappings of the network namespace, and their\n"
	      "external ports in all (N: 0-4294967295). Raising one above the\n"
	      "namespace's default needs CAP_NET_ADMIN in the initial user namespace.\n"
	      "\n"
	      "-f FILE applies a file of commands all or nothing: one \"map\n"
	      "add|del|replace|flush ...\" or \"set ...\" per line, without the word\n"
	      PROG_NAME "; # starts a comment; \"double quotes\" make one word, with\n"
	      "\\\" and \\\\ inside. \"" PROG_NAME " save\" writes such a file, starting\n"
	      "with \"map flush\" so that restoring it replaces the whole table.\n"
	      "\n"
	      "Exit status: 0 done, 1 the kernel refused or the module is missing,\n"
	      "2 bad command line or file. See hairpinctl(8).\n", f);
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
	int i;
	size_t c;

	/* Options first, as with ip(8): hairpinctl -j map show. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		unsigned int flag = print_opt(argv[i]);

		if (flag) {
			print_flags |= flag;
			continue;
		}
		if (is_help(argv[i]))
			return help_main(argc - i, argv + i);
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version"))
			return version_main(1, argv + i);
		if (!strcmp(argv[i], "-f")) {
			if (i + 1 >= argc) {
				hp_error("-f needs a file name (- for standard input)");
				return EXIT_USAGE;
			}
			if (i + 2 < argc) {
				hp_error("unexpected argument '%s'", argv[i + 2]);
				return EXIT_USAGE;
			}
			return batch_main(argv[i + 1]);
		}
		hp_error("unknown option '%s'", argv[i]);
		return EXIT_USAGE;
	}
	if (i == argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[i]))
		return help_main(argc - i, argv + i);
	for (c = 0; c < N_COMMANDS; c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].handler(argc - i, argv + i);
	hp_error("unknown command '%s'", argv[i]);
	return EXIT_USAGE;
}

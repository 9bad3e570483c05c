// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl: configures the hairpin port mapping module over generic
 * netlink (see uapi/linux/hairpin.h). The options, the table of commands,
 * and the help made from them.
 */
#include <stdio.h>
#include <string.h>

#include "command.h"
#include "error.h"
#include "hairpinctl.h"
#include "netns.h"
#include "out.h"

unsigned int print_flags;

static int help_main(int argc, char *argv[]);

static const struct hp_cmd commands[] = {
	{ .name = "map", .subs = map_commands,
	  .description = "add, delete, replace, list or flush port mappings",
	  .notes = "PROTO is tcp or udp. Without ADDR a mapping matches every local\n"
		   "address. Without internal ports the external ones are used; a range\n"
		   "of internal ports must be as long as the external one. TEXT is one\n"
		   "argument of at most 63 bytes. A mirror translates only connections\n"
		   "from internal clients, and only with \"set scope all\": it repeats a\n"
		   "forward that someone else's rules make for the outside alone.\n" },
	{ .name = "masq", .subs = masq_commands,
	  .description = "add, delete or list masquerade rules with bindings",
	  .notes = "A masq rule source-NATs the TCP and UDP connections that leave by\n"
		   "the interface IFNAME (which need not exist yet) to its address, as\n"
		   "masquerade does, but through bindings: one external port per internal\n"
		   "address and port, whatever the destination. The filter says which\n"
		   "inbound connections a binding lets in: from anywhere (independent,\n"
		   "the default), or only from the addresses (address), or addresses and\n"
		   "ports (address-port), that its internal endpoint has sent to. With\n"
		   "\"to ADDRESS\" it source-NATs to ADDRESS while the router has it (a\n"
		   "virtual address that moves between two routers), and the bindings and\n"
		   "connections on ADDRESS outlive its absence, as SNAT's do.\n" },
	{ .name = "binding", .subs = binding_commands,
	  .description = "list the bindings of the masq rules" },
	{ .name = "upnp", .subs = upnp_commands,
	  .description = "mirror the forwards of miniupnpd (UPnP IGD, NAT-PMP, PCP)",
	  .notes = "upnp follow keeps a mirror of each TCP and UDP forward of FILE,\n"
		   "miniupnpd's lease_file, commented \"miniupnpd: DESCRIPTION\", so that\n"
		   "internal clients reach the forward by the public address too (with\n"
		   "\"set scope all\"). It prints each change it makes, takes over the\n"
		   "\"miniupnpd:\" mirrors it finds, and removes them when it ends (SIGINT,\n"
		   "SIGTERM); SIGHUP reads FILE again.\n" },
	{ .name = "set", .handler = set_main,
	  .args = { "source lan|external|ADDR", "hairpin auto|always|off",
		    "scope own|all", "udp-timeout SECONDS",
		    "limit mappings N [ports N] [bindings N]",
		    "limit ports N [mappings N] [bindings N]",
		    "limit bindings N [mappings N] [ports N]" },
	  .description = "change the hairpin settings, the UDP binding timeout, the limits",
	  .notes = "Settings combine, as in: set source lan hairpin auto limit mappings 1024.\n"
		   "source ADDR source-NATs hairpinned connections to ADDR while the router\n"
		   "holds it (an address that moves between two routers), else as lan.\n"
		   "scope all applies the hairpin settings to every connection forwarded to\n"
		   "an internal host, whoever made the forward (nftables, iptables), unless\n"
		   "a source NAT of yours applies to it; own (the default), to the mappings'.\n"
		   "SECONDS is how long a UDP binding lives idle: 120-86400, 300 by default.\n"
		   "The limits cap the mappings of the network namespace, their external\n"
		   "ports in all, and its bindings (N: 0-4294967295). Raising one above the\n"
		   "namespace's default needs CAP_NET_ADMIN in the initial user namespace.\n" },
	{ .name = "show", .handler = show_main, .args = { "[-s] [-j] [-p]" },
	  .description = "show the settings, the usage and the limits (-s: the counters)" },
	{ .name = "save", .handler = save_main,
	  .description = "print the settings, limits, masq rules and mappings for -f",
	  .notes = "\"" PROG_NAME " save > FILE\" writes a file that \"" PROG_NAME
		   " -f FILE\" restores.\n" },
	{ .name = "monitor", .handler = monitor_main, .args = { "[-j] [-p]" },
	  .description = "print changes as they happen, until Ctrl-C" },
	{ .name = "version", .handler = version_main,
	  .description = "show the version of hairpinctl and of the module" },
	{ .name = "help", .handler = help_main, .description = "show this help" },
	{ .name = NULL },
};

/* The options that come before the command, as with ip(8). */
static const struct {
	const char *name, *long_name, *arg;
	unsigned int print;	/* PRINT_* flags it sets */
	const char *description;
} options[] = {
	{ "-j", "--json", NULL, PRINT_JSON,
	  "JSON output (the show commands, monitor, upnp follow)" },
	{ "-p", "--pretty", NULL, PRINT_JSON | PRINT_PRETTY, "indented JSON (implies -j)" },
	{ "-s", "--stats", NULL, PRINT_STATS, "show: add the connection totals" },
	{ "-n", NULL, "NETNS", 0, "in the network namespace NETNS, as ip -n does" },
	{ "-f", NULL, "FILE", 0, "apply a file of commands (- for standard input)" },
	{ "-V", "--version", NULL, 0, "as the version command" },
	{ "-h", "--help", NULL, 0, "this help" },
};

static bool is_option(const char *arg, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (!strcmp(options[i].name, name))
			return !strcmp(arg, name) ||
			       (options[i].long_name && !strcmp(arg, options[i].long_name));
	return false;
}

/* The PRINT_* flags an output option stands for, 0 if arg is none. */
static unsigned int print_opt(const char *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (options[i].print && is_option(arg, options[i].name))
			return options[i].print;
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

static void print_usage(FILE *f)
{
	const struct hp_cmd *c;
	size_t i;

	fputs("Usage: " PROG_NAME " [-j] [-p] [-s] [-n NETNS] COMMAND [ARGS]\n"
	      "       " PROG_NAME " [-n NETNS] -f FILE\n"
	      "\n"
	      "Commands:\n", f);
	for (c = commands; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->description);
	fputs("\nSynopsis:\n", f);
	print_synopsis(f, commands, "");
	fputs("\nOptions:\n", f);
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		char name[32];

		snprintf(name, sizeof(name), "%s%s%s%s%s", options[i].name,
			 options[i].long_name ? ", " : "",
			 options[i].long_name ? options[i].long_name : "",
			 options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-14s %s\n", name, options[i].description);
	}
	print_notes(f, commands);
	fputs("\n"
	      "-f FILE applies a file of commands all or nothing: one \"map\n"
	      "add|del|replace|flush ...\", \"masq add|del ...\" or \"set ...\" per line,\n"
	      "without the word " PROG_NAME "; # starts a comment; \"double quotes\" make\n"
	      "one word, with \\\" and \\\\ inside. \"" PROG_NAME " save\" writes such a\n"
	      "file, starting with \"map flush\" so that restoring it replaces the whole\n"
	      "table of mappings.\n"
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

	/* Options first, as with ip(8): hairpinctl -j map show. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		unsigned int flag = print_opt(argv[i]);

		if (flag) {
			print_flags |= flag;
			continue;
		}
		if (is_option(argv[i], "-h"))
			return help_main(argc - i, argv + i);
		if (is_option(argv[i], "-V"))
			return version_main(1, argv + i);
		if (is_option(argv[i], "-n")) {
			int ret;

			if (i + 1 >= argc) {
				hp_error("-n needs the name of a network namespace");
				return EXIT_USAGE;
			}
			ret = netns_enter(argv[++i]);
			if (ret != EXIT_OK)
				return ret;
			continue;
		}
		if (is_option(argv[i], "-f")) {
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
	return run_command(commands, "", argc - i, argv + i);
}

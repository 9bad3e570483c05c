/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hairpinctl: shared declarations of the subcommands.
 */
#ifndef HAIRPINCTL_H
#define HAIRPINCTL_H

#include <stdbool.h>

#include "command.h"

#ifndef HAIRPINCTL_VERSION
#define HAIRPINCTL_VERSION "0.1.0"
#endif

#define PROG_NAME "hairpinctl"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* the kernel said no, the module is missing */
	EXIT_USAGE = 2,		/* bad command line or file */
};

/* Each subcommand gets argv[0] = its own name. */
int set_main(int argc, char *argv[]);
int show_main(int argc, char *argv[]);
int save_main(int argc, char *argv[]);
int monitor_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int batch_main(const char *file);
/* map's and masq's subcommands (map.c, masq.c), for the table of
 * commands.
 */
extern const struct hp_cmd map_commands[];
extern const struct hp_cmd masq_commands[];
/* binding's (binding.c). */
extern const struct hp_cmd binding_commands[];
/* upnp's (follow.c). */
extern const struct hp_cmd upnp_commands[];

/* PRINT_* flags (out.h) from -j, -p and -s. */
extern unsigned int print_flags;

/* The output options a subcommand takes after its name, as in "show -s":
 * each of argv[1..] must be one of -j, -p, -s (or --json, --pretty,
 * --stats); they add to print_flags. False after printing the error.
 */
bool parse_print_args(int argc, char *argv[]);
/* For a subcommand that takes no arguments: false after the error. */
bool no_args(int argc, char *argv[]);

#endif

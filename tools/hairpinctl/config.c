// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl set | show | version
 */
#include <errno.h>
#include <string.h>

#include "hairpinctl.h"
#include "nl.h"
#include "parse.h"
#include "print.h"

int set_main(int argc, char *argv[])
{
	char context[HP_OP_TEXT_MAX];
	struct hp_op op;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " set source lan|external\n"
		     "       " PROG_NAME " set hairpin auto|always|off\n"
		     "       " PROG_NAME " set limit mappings N [ports N]\n"
		     "       " PROG_NAME " set limit ports N [mappings N]\n"
		     "Settings combine: set source lan hairpin auto limit mappings 1024\n"
		     "N is 0-4294967295. Raising a limit above the namespace's default\n"
		     "needs CAP_NET_ADMIN in the initial user namespace.");
		return EXIT_OK;
	}
	if (!parse_set_cmd(argc, argv, &op))
		return EXIT_USAGE;
	/* The context of an error: the command in canonical form. */
	format_op(context, sizeof(context), &op);
	return hp_nl_run_op(&op, context);
}

/* Runs GET_CONFIG. Returns 0; -1 when the socket or the family failed (and
 * said so); 1 when the kernel refused, with *err for the caller to report.
 */
static int get_config(struct hp_config *c, struct hp_nl_err *err)
{
	struct hp_nl nl;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->source = HP_UNSET;
	c->mode = HP_UNSET;
	if (!hp_nl_open(&nl))
		return -1;
	if (hp_nl_get_config(&nl, c, err) < 0)
		ret = 1;
	hp_nl_close(&nl);
	return ret;
}

/* The module's version without CAP_NET_ADMIN: MODULE_VERSION in sysfs. */
static bool sysfs_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/" HAIRPIN_GENL_NAME "/version", "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

static bool no_args(int argc, char *argv[])
{
	if (argc > 1) {
		hp_error("unexpected argument '%s'", argv[1]);
		return false;
	}
	return true;
}

/*
 *   source lan
 *   hairpin auto
 *   module 1.0
 *   mappings 3
 *   limits mappings 3/1024 ports 13/65536	(a module with limits)
 *   conns 12 hairpinned 3	(with -s)
 */
int show_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct hp_config c;
	int ret;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " [-j] [-p] show [-s]");
		return EXIT_OK;
	}
	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	ret = get_config(&c, &err);
	if (ret > 0)
		hp_nl_perror("show", &err);
	if (ret)
		return EXIT_RUNTIME;
	print_config(stdout, &c, print_flags);
	return EXIT_OK;
}

/*
 *   hairpinctl 0.1.0
 *   module 1.0
 */
int version_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct hp_config c;
	int ret;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " version");
		return EXIT_OK;
	}
	if (!no_args(argc, argv))
		return EXIT_USAGE;
	printf(PROG_NAME " %s\n", HAIRPINCTL_VERSION);
	fflush(stdout);
	ret = get_config(&c, &err);
	if (ret > 0 && err.error == EPERM &&
	    sysfs_version(c.version, sizeof(c.version)))
		ret = 0;
	else if (ret > 0)
		hp_nl_perror("version", &err);
	if (ret)
		return EXIT_RUNTIME;
	printf("module %s\n", c.version[0] ? c.version : "unknown");
	return EXIT_OK;
}

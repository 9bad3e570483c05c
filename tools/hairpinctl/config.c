// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl set | show | version
 */
#include <errno.h>
#include <inttypes.h>
#include <stdalign.h>
#include <string.h>
#include <linux/genetlink.h>

#include "hairpinctl.h"
#include "msg.h"
#include "nl.h"
#include "parse.h"

int set_main(int argc, char *argv[])
{
	char context[64] = "set";
	struct hp_op op;
	size_t n;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " set source lan|external\n"
		     "       " PROG_NAME " set hairpin auto|always|off");
		return EXIT_OK;
	}
	if (!parse_set_cmd(argc, argv, &op))
		return EXIT_USAGE;
	n = strlen(context);
	if (op.source != HP_UNSET)
		n += (size_t)snprintf(context + n, sizeof(context) - n, " source %s",
				      source_name(op.source));
	if (op.mode != HP_UNSET && n < sizeof(context))
		snprintf(context + n, sizeof(context) - n, " hairpin %s",
			 mode_name(op.mode));
	return hp_nl_run_op(&op, context);
}

/* What HAIRPIN_CMD_GET_CONFIG tells. */
struct config {
	char version[64];
	int source, mode;
	uint32_t mappings;
	uint64_t conns, hairpinned;
};

static const enum mnl_attr_data_type config_attr_types[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_VERSION] = MNL_TYPE_NUL_STRING,
	[HAIRPIN_A_SOURCE] = MNL_TYPE_U8,
	[HAIRPIN_A_MODE] = MNL_TYPE_U8,
	[HAIRPIN_A_MAPPINGS] = MNL_TYPE_U32,
	[HAIRPIN_A_CONNS] = MNL_TYPE_U64,
	[HAIRPIN_A_HAIRPINNED] = MNL_TYPE_U64,
};

static int config_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, HAIRPIN_A_MAX) < 0 ||
	    config_attr_types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, config_attr_types[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1] = { NULL };
	struct config *c = data;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), config_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[HAIRPIN_A_VERSION])
		snprintf(c->version, sizeof(c->version), "%s",
			 mnl_attr_get_str(tb[HAIRPIN_A_VERSION]));
	if (tb[HAIRPIN_A_SOURCE])
		c->source = mnl_attr_get_u8(tb[HAIRPIN_A_SOURCE]);
	if (tb[HAIRPIN_A_MODE])
		c->mode = mnl_attr_get_u8(tb[HAIRPIN_A_MODE]);
	if (tb[HAIRPIN_A_MAPPINGS])
		c->mappings = mnl_attr_get_u32(tb[HAIRPIN_A_MAPPINGS]);
	if (tb[HAIRPIN_A_CONNS])
		c->conns = mnl_attr_get_u64(tb[HAIRPIN_A_CONNS]);
	if (tb[HAIRPIN_A_HAIRPINNED])
		c->hairpinned = mnl_attr_get_u64(tb[HAIRPIN_A_HAIRPINNED]);
	return MNL_CB_OK;
}

/* Runs GET_CONFIG. Returns 0; -1 when the socket or the family failed (and
 * said so); 1 when the kernel refused, with *err for the caller to report.
 */
static int get_config(struct config *c, struct hp_nl_err *err)
{
	alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh;
	struct hp_nl nl;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->source = HP_UNSET;
	c->mode = HP_UNSET;
	if (!hp_nl_open(&nl))
		return -1;
	nlh = hp_nl_start(&nl, buf, HAIRPIN_CMD_GET_CONFIG, NLM_F_ACK);
	if (hp_nl_talk(&nl, nlh, config_cb, c, err) < 0)
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

static void print_setting(const char *key, int value, const char *name)
{
	if (name)
		printf("%s %s\n", key, name);
	else if (value != HP_UNSET)
		printf("%s %d\n", key, value);
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
 *   conns 12 hairpinned 3
 */
int show_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct config c;
	int ret;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " show");
		return EXIT_OK;
	}
	if (!no_args(argc, argv))
		return EXIT_USAGE;
	ret = get_config(&c, &err);
	if (ret > 0)
		hp_nl_perror("show", &err);
	if (ret)
		return EXIT_RUNTIME;
	print_setting("source", c.source, source_name(c.source));
	print_setting("hairpin", c.mode, mode_name(c.mode));
	printf("module %s\n", c.version[0] ? c.version : "unknown");
	printf("mappings %" PRIu32 "\n", c.mappings);
	printf("conns %" PRIu64 " hairpinned %" PRIu64 "\n", c.conns, c.hairpinned);
	return EXIT_OK;
}

/*
 *   hairpinctl 0.1.0
 *   module 1.0
 */
int version_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct config c;
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

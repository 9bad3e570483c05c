// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the values of the protocol, as the grammar and the output
 * spell them.
 */
#include <netinet/in.h>
#include <string.h>
#include <linux/hairpin.h>

#include "hairpinctl.h"
#include "names.h"

static const char *const source_names[] = {
	[HAIRPIN_SOURCE_LAN] = "lan",
	[HAIRPIN_SOURCE_EXTERNAL] = "external",
	/* JSON's name; the grammar and the text have the address itself. */
	[HAIRPIN_SOURCE_ADDR] = "address",
};

static const char *const mode_names[] = {
	[HAIRPIN_MODE_AUTO] = "auto",
	[HAIRPIN_MODE_ALWAYS] = "always",
	[HAIRPIN_MODE_OFF] = "off",
};

static const char *const scope_names[] = {
	[HAIRPIN_SCOPE_OWN] = "own",
	[HAIRPIN_SCOPE_ALL] = "all",
};

static const char *const filter_names[] = {
	[HAIRPIN_FILTER_INDEPENDENT] = "independent",
	[HAIRPIN_FILTER_ADDRESS] = "address",
	[HAIRPIN_FILTER_ADDRESS_PORT] = "address-port",
};

const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	}
	return NULL;
}

static const char *name_of(const char *const *names, size_t n, int value)
{
	if (value < 0 || (size_t)value >= n)
		return NULL;
	return names[value];
}

static int value_of(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

const char *source_name(int source)
{
	return name_of(source_names, ARRAY_SIZE(source_names), source);
}

const char *mode_name(int mode)
{
	return name_of(mode_names, ARRAY_SIZE(mode_names), mode);
}

const char *scope_name(int scope)
{
	return name_of(scope_names, ARRAY_SIZE(scope_names), scope);
}

const char *filter_name(int filter)
{
	return name_of(filter_names, ARRAY_SIZE(filter_names), filter);
}

int source_value(const char *s)
{
	return value_of(source_names, ARRAY_SIZE(source_names), s);
}

int mode_value(const char *s)
{
	return value_of(mode_names, ARRAY_SIZE(mode_names), s);
}

int scope_value(const char *s)
{
	return value_of(scope_names, ARRAY_SIZE(scope_names), s);
}

int filter_value(const char *s)
{
	return value_of(filter_names, ARRAY_SIZE(filter_names), s);
}

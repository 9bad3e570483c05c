/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values of the grammar: protocols, addresses, ports and ranges,
 * comments, interface names and filters, settings (source, hairpin mode,
 * scope), the UDP timeout and limits.
 *
 * Every parse_*() function returns false after printing one line to stderr
 * that names the offending value: "hairpinctl: [FILE:LINE: ]why 'value'".
 */
#ifndef HAIRPINCTL_VALUE_H
#define HAIRPINCTL_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

bool parse_proto(const char *s, uint8_t *proto);
bool parse_addr(const char *s, uint32_t *addr);
bool parse_port(const char *s, uint16_t *port);
bool parse_port_range(const char *s, uint16_t *first, uint16_t *last);
bool parse_comment(const char *s, char out[HAIRPIN_COMMENT_MAX]);
/* lan, external or an address (HAIRPIN_SOURCE_ADDR, into *addr). */
bool parse_source(const char *s, int *source, uint32_t *addr);
bool parse_mode(const char *s, int *mode);
/* own or all: enum hairpin_scope. */
bool parse_scope(const char *s, uint8_t *scope);
/* An interface's name as the kernel takes one (dev_valid_name()): 1 to
 * IFNAMSIZ - 1 bytes, not "." or "..", no '/', ':', blank or control
 * character. It need not exist.
 */
bool parse_ifname(const char *s, char out[IFNAMSIZ]);
/* independent, address or address-port: enum hairpin_filter. */
bool parse_filter(const char *s, int *filter);
/* A limit: a decimal number, 0..4294967295. */
bool parse_limit(const char *s, uint32_t *limit);
/* Seconds, HP_UDP_TIMEOUT_MIN..HP_UDP_TIMEOUT_MAX, in decimal. */
bool parse_udp_timeout(const char *s, uint32_t *seconds);

/* [ADDR:]PORT[-PORT]: fills proto-independent external fields of m. */
bool parse_map_key(const char *s, struct hp_map *m);
/* ADDR[:PORT[-PORT]], after parse_map_key(): fills the internal fields. */
bool parse_map_target(const char *s, struct hp_map *m);

/* The bytes a comment may hold: no control characters. */
static inline bool comment_char_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

#endif

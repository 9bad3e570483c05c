/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of the protocol (server.c documents it): endpoints, names,
 * the words of a line, and the parsers of the command line's values.
 */
#ifndef PUNCH_PROTO_H
#define PUNCH_PROTO_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PUNCH_PORT	7717		/* the server's */
#define PUNCH_PEER_PORT	7718		/* the peers', unless -p */
#define PUNCH_NAME_MAX	32
#define PUNCH_LINE_MAX	256		/* with its newline */
#define PUNCH_WORDS_MAX	6
#define EP_STRLEN	sizeof("255.255.255.255:65535")

/* "1.2.3.4:5": a static buffer per call site is the caller's. */
const char *ep_str(const struct sockaddr_in *sin, char buf[EP_STRLEN]);
bool ep_equal(const struct sockaddr_in *a, const struct sockaddr_in *b);

/* Quiet parsers for what comes over the network. */
bool ep_parse(const char *s, struct sockaddr_in *sin);
bool name_ok(const char *s);

/* Command-line parsers: they print their error, the bad value quoted,
 * with what names it ("local port", "-w").
 */
bool parse_port(const char *s, uint16_t *port, bool zero_ok,
		const char *what);
bool parse_seconds(const char *s, unsigned int *sec, const char *what);
bool parse_name(const char *s, const char *what);
/* 0 (none) to 255. */
bool parse_ttl(const char *s, unsigned int *ttl, const char *what);
/* HOST[:PORT], HOST an IPv4 address or a name that resolves to one. */
bool parse_server(const char *s, struct sockaddr_in *sin);

/* Splits line in place on spaces, after dropping a trailing "\n" or
 * "\r\n"; returns the number of words, or -1 for more than max or a line
 * with control characters.
 */
int split_words(char *line, char *words[], int max);

#endif

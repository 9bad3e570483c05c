/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the hairpinctl grammar, shared by the command line and -f files,
 * and formatting back into the same grammar.
 *
 * Every parse_*() function returns false after printing one line to stderr
 * that names the offending value: "hairpinctl: [FILE:LINE: ]why 'value'".
 */
#ifndef HAIRPINCTL_PARSE_H
#define HAIRPINCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/hairpin.h>

/* One mapping, as parsed from text or from a HAIRPIN_A_MAP nest. */
struct hp_map {
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	bool has_addr;			/* false: every local address */
	uint32_t addr;			/* external address, network order */
	uint16_t port;			/* first external port */
	uint16_t port_max;		/* last external port, >= port */
	bool has_to;			/* to_addr is set (add, replace, dumps) */
	uint32_t to_addr;		/* internal address, network order */
	bool has_to_port;		/* false: the external ports */
	uint16_t to_port;		/* first internal port (port if unset) */
	char comment[HAIRPIN_COMMENT_MAX];	/* "" = none */
	bool has_counters;		/* conns and hairpinned came from a dump */
	uint64_t conns;
	uint64_t hairpinned;
};

#define HP_UNSET (-1)

/* One change: a command line or one line of a -f file. */
struct hp_op {
	uint8_t cmd;		/* HAIRPIN_CMD_{NEW,DEL,REPLACE}_MAP, _FLUSH_MAPS,
				 * _SET_CONFIG */
	struct hp_map map;	/* for the three map commands */
	int source;		/* enum hairpin_source, or HP_UNSET */
	int mode;		/* enum hairpin_mode, or HP_UNSET */
	bool has_max_maps;	/* "limit mappings N" */
	uint32_t max_maps;
	bool has_max_ports;	/* "limit ports N" */
	uint32_t max_ports;
	unsigned int line;	/* line number in a file, 0 otherwise */
};

struct hp_oplist {
	struct hp_op *ops;
	size_t len;
	size_t cap;
};

/* The mappings of a dump, in the order hp_maplist_sort() gives. */
struct hp_maplist {
	struct hp_map *maps;
	size_t len;
	size_t cap;
};

/* What HAIRPIN_CMD_GET_CONFIG tells. The has_* flags are false for what
 * the module did not say (older modules have no limits).
 */
struct hp_config {
	char version[64];	/* "" if the module did not say */
	int source;		/* enum hairpin_source, or HP_UNSET */
	int mode;		/* enum hairpin_mode, or HP_UNSET */
	uint32_t mappings;
	uint64_t conns;
	uint64_t hairpinned;
	bool has_ports;		/* external ports in use */
	uint32_t ports;
	bool has_max_maps;	/* the limit on mappings */
	uint32_t max_maps;
	bool has_max_ports;	/* the limit on external ports */
	uint32_t max_ports;
};

/* The most words a line may have; more is an error. */
#define HP_MAX_WORDS 32

/*
 * Error reporting: "hairpinctl: msg", or "hairpinctl: FILE:LINE: msg" while a
 * location is set (file != NULL).
 */
void parse_set_location(const char *file, unsigned int line);
void parse_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hairpinctl: msg", never with a location. */
void hp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Single values. */
bool parse_proto(const char *s, uint8_t *proto);
bool parse_addr(const char *s, uint32_t *addr);
bool parse_port(const char *s, uint16_t *port);
bool parse_port_range(const char *s, uint16_t *first, uint16_t *last);
bool parse_comment(const char *s, char out[HAIRPIN_COMMENT_MAX]);
bool parse_source(const char *s, int *source);
bool parse_mode(const char *s, int *mode);
/* A limit: a decimal number, 0..4294967295. */
bool parse_limit(const char *s, uint32_t *limit);

/* [ADDR:]PORT[-PORT]: fills proto-independent external fields of m. */
bool parse_map_key(const char *s, struct hp_map *m);
/* ADDR[:PORT[-PORT]], after parse_map_key(): fills the internal fields. */
bool parse_map_target(const char *s, struct hp_map *m);

/* PROTO [ADDR:]PORT[-PORT] [to ADDR[:PORT[-PORT]] [comment TEXT]]: the "to"
 * part is required for HAIRPIN_CMD_NEW_MAP and _REPLACE_MAP and refused for
 * HAIRPIN_CMD_DEL_MAP.
 */
bool parse_map_args(int argc, char *argv[], uint8_t cmd, struct hp_map *m);

/* argv[0] is add, del, replace or flush ("map" already consumed). */
bool parse_map_cmd(int argc, char *argv[], struct hp_op *op);
/* argv[0] is "set"; then any of "source S", "hairpin M" and "limit"
 * followed by "mappings N" and/or "ports N", each once, in any order.
 */
bool parse_set_cmd(int argc, char *argv[], struct hp_op *op);
/* One line of a -f file, split into words: "map ..." or "set ...". */
bool parse_op(int argc, char *argv[], struct hp_op *op);

/*
 * Splits line into words, written NUL-terminated into out (at least
 * strlen(line) + 1 bytes), pointers in argv (HP_MAX_WORDS entries). Words are
 * separated by white space; "double quoted text" is one word, in which \" and
 * \\ stand for " and \; a word starting with # ends the line.
 */
bool parse_words(const char *line, char *out, int *argc, char *argv[]);

/* Parses a whole file (name is used in messages) into list, which the
 * caller frees with hp_oplist_free() whatever the result.
 */
bool parse_file(FILE *f, const char *name, struct hp_oplist *list);
void hp_oplist_free(struct hp_oplist *list);

/* Appends a copy of m; false with errno set. */
bool hp_maplist_push(struct hp_maplist *list, const struct hp_map *m);
/* By protocol, then address (any first), then ports. */
void hp_maplist_sort(struct hp_maplist *list);
void hp_maplist_free(struct hp_maplist *list);

/* Names; NULL for values without one. */
const char *proto_name(uint8_t proto);
const char *source_name(int source);
const char *mode_name(int mode);

/* "tcp 80", "udp 192.0.2.1:5000-5010". Returns what snprintf() returns. */
int format_map_key(char *buf, size_t len, const struct hp_map *m);
/* The key, then " to ADDR:PORT[-PORT]" and " comment TEXT" (quoted if
 * needed), in the grammar of "map add": the line can be pasted back.
 */
int format_map(char *buf, size_t len, const struct hp_map *m);
/* Big enough for format_map() of any mapping. */
#define HP_MAP_TEXT_MAX 256

/* op as the line of a -f file that parse_op() reads back as op: "map add
 * ...", "map replace ...", "map del KEY", "map flush" or "set [source S]
 * [hairpin M] [limit [mappings N] [ports N]]".
 */
int format_op(char *buf, size_t len, const struct hp_op *op);
/* Big enough for format_op() of any operation. */
#define HP_OP_TEXT_MAX (HP_MAP_TEXT_MAX + 32)

#endif

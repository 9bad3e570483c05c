// SPDX-License-Identifier: GPL-2.0
/*
 * The hairpinctl grammar: values, map and set commands, -f files, and the
 * way back from a struct hp_map to text.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hairpinctl.h"
#include "parse.h"

static const char *loc_file;
static unsigned int loc_line;

void parse_set_location(const char *file, unsigned int line)
{
	loc_file = file;
	loc_line = line;
}

static void vreport(bool located, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (located && loc_file)
		fprintf(stderr, PROG_NAME ": %s:%u: %s\n", loc_file, loc_line, msg);
	else
		fprintf(stderr, PROG_NAME ": %s\n", msg);
}

void parse_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(true, fmt, ap);
	va_end(ap);
}

void hp_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(false, fmt, ap);
	va_end(ap);
}

/* Names */

static const char *const source_names[] = {
	[HAIRPIN_SOURCE_LAN] = "lan",
	[HAIRPIN_SOURCE_EXTERNAL] = "external",
};

static const char *const mode_names[] = {
	[HAIRPIN_MODE_AUTO] = "auto",
	[HAIRPIN_MODE_ALWAYS] = "always",
	[HAIRPIN_MODE_OFF] = "off",
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

const char *source_name(int source)
{
	if (source < 0 || (size_t)source >= ARRAY_SIZE(source_names))
		return NULL;
	return source_names[source];
}

const char *mode_name(int mode)
{
	if (mode < 0 || (size_t)mode >= ARRAY_SIZE(mode_names))
		return NULL;
	return mode_names[mode];
}

/* Single values */

bool parse_proto(const char *s, uint8_t *proto)
{
	if (!strcmp(s, "tcp")) {
		*proto = IPPROTO_TCP;
		return true;
	}
	if (!strcmp(s, "udp")) {
		*proto = IPPROTO_UDP;
		return true;
	}
	parse_error("unknown protocol '%s'", s);
	return false;
}

bool parse_addr(const char *s, uint32_t *addr)
{
	struct in_addr in;

	/* inet_pton() takes dotted quads only: no "10.1", no hex, no
	 * leading zeros, nothing after the last digit.
	 */
	if (inet_pton(AF_INET, s, &in) != 1 || in.s_addr == htonl(INADDR_ANY)) {
		parse_error("invalid address '%s'", s);
		return false;
	}
	*addr = in.s_addr;
	return true;
}

bool parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			parse_error("invalid port '%s'", s);
			return false;
		}
		if (v <= 65535)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (p == s || v < 1 || v > 65535) {
		parse_error("invalid port '%s' (must be 1-65535)", s);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

bool parse_port_range(const char *s, uint16_t *first, uint16_t *last)
{
	const char *dash = strchr(s, '-');
	char head[8];
	size_t n;

	if (!dash)
		return parse_port(s, first) && (*last = *first, true);

	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(head) || !dash[1] || strchr(dash + 1, '-')) {
		parse_error("invalid port range '%s'", s);
		return false;
	}
	memcpy(head, s, n);
	head[n] = '\0';
	if (!parse_port(head, first) || !parse_port(dash + 1, last))
		return false;
	if (*last < *first) {
		parse_error("reversed port range '%s'", s);
		return false;
	}
	return true;
}

static bool comment_char_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f;
}

bool parse_comment(const char *s, char out[HAIRPIN_COMMENT_MAX])
{
	size_t len = strlen(s), i;

	if (len == 0) {
		parse_error("empty comment (leave out 'comment' for none)");
		return false;
	}
	if (len > HAIRPIN_COMMENT_MAX - 1) {
		parse_error("comment '%s' is too long (%zu bytes, at most %d)",
			    s, len, HAIRPIN_COMMENT_MAX - 1);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!comment_char_ok((unsigned char)s[i])) {
			parse_error("comment '%s' has a control character", s);
			return false;
		}
	}
	memcpy(out, s, len + 1);
	return true;
}

static bool parse_name(const char *s, const char *const *names, size_t n,
		       int *value)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*value = (int)i;
			return true;
		}
	}
	return false;
}

bool parse_source(const char *s, int *source)
{
	if (parse_name(s, source_names, ARRAY_SIZE(source_names), source))
		return true;
	parse_error("unknown source '%s' (lan or external)", s);
	return false;
}

bool parse_mode(const char *s, int *mode)
{
	if (parse_name(s, mode_names, ARRAY_SIZE(mode_names), mode))
		return true;
	parse_error("unknown hairpin mode '%s' (auto, always or off)", s);
	return false;
}

bool parse_limit(const char *s, uint32_t *limit)
{
	uint64_t v = 0;
	const char *p;

	/* Digits only: no sign, so "-1" is no way to say "unlimited". */
	for (p = s; *p && v <= UINT32_MAX; p++) {
		if (!isdigit((unsigned char)*p))
			break;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || *p || v > UINT32_MAX) {
		parse_error("invalid limit '%s' (must be 0-4294967295)", s);
		return false;
	}
	*limit = (uint32_t)v;
	return true;
}

/* Mappings */

/* Splits "ADDR:REST" at the last colon; *addr is NULL without one. */
static bool split_addr(const char *s, char *abuf, size_t alen,
		       const char **addr, const char **rest)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon) {
		*addr = NULL;
		*rest = s;
		return true;
	}
	n = (size_t)(colon - s);
	if (n == 0) {
		parse_error("missing address in '%s'", s);
		return false;
	}
	if (n >= alen) {
		parse_error("invalid address '%.*s'", (int)n, s);
		return false;
	}
	memcpy(abuf, s, n);
	abuf[n] = '\0';
	*addr = abuf;
	*rest = colon + 1;
	return true;
}

static bool looks_like_addr(const char *s)
{
	return strchr(s, '.') != NULL;
}

bool parse_map_key(const char *s, struct hp_map *m)
{
	char abuf[64];
	const char *addr, *ports;

	if (!split_addr(s, abuf, sizeof(abuf), &addr, &ports))
		return false;
	if (!*ports || (!addr && looks_like_addr(ports))) {
		parse_error("missing port in '%s'", s);
		return false;
	}
	m->has_addr = addr != NULL;
	if (addr && !parse_addr(addr, &m->addr))
		return false;
	return parse_port_range(ports, &m->port, &m->port_max);
}

bool parse_map_target(const char *s, struct hp_map *m)
{
	char abuf[64];
	const char *addr, *ports;
	unsigned int ext_len, int_len;
	uint16_t first, last;

	if (!split_addr(s, abuf, sizeof(abuf), &addr, &ports))
		return false;
	if (!addr) {
		/* No colon: the whole word is the address. */
		addr = s;
		ports = NULL;
	} else if (!*ports) {
		parse_error("missing port in '%s'", s);
		return false;
	}
	if (!parse_addr(addr, &m->to_addr))
		return false;
	m->has_to = true;
	m->has_to_port = false;
	m->to_port = m->port;
	if (!ports)
		return true;

	if (!parse_port_range(ports, &first, &last))
		return false;
	ext_len = (unsigned int)(m->port_max - m->port) + 1;
	int_len = (unsigned int)(last - first) + 1;
	if (ext_len != int_len) {
		char ext[16], hint[40] = "";

		if (m->port_max == m->port)
			snprintf(ext, sizeof(ext), "%u", m->port);
		else
			snprintf(ext, sizeof(ext), "%u-%u", m->port, m->port_max);
		if (int_len == 1 && first + ext_len - 1 <= 65535)
			snprintf(hint, sizeof(hint), " (did you mean '%u-%u'?)",
				 first, first + ext_len - 1);
		parse_error("internal port range '%s' has %u port%s, external '%s' has %u%s",
			    ports, int_len, int_len == 1 ? "" : "s", ext,
			    ext_len, hint);
		return false;
	}
	m->has_to_port = true;
	m->to_port = first;
	return true;
}

bool parse_map_args(int argc, char *argv[], uint8_t cmd, struct hp_map *m)
{
	memset(m, 0, sizeof(*m));
	if (argc < 1) {
		parse_error("missing protocol (tcp or udp)");
		return false;
	}
	if (!parse_proto(argv[0], &m->proto))
		return false;
	if (argc < 2) {
		parse_error("missing port after '%s'", argv[0]);
		return false;
	}
	if (!parse_map_key(argv[1], m))
		return false;
	if (cmd == HAIRPIN_CMD_DEL_MAP) {
		if (argc > 2) {
			parse_error("unexpected argument '%s'", argv[2]);
			return false;
		}
		return true;
	}

	if (argc < 3) {
		parse_error("missing 'to ADDR[:PORT[-PORT]]' after '%s'", argv[1]);
		return false;
	}
	if (strcmp(argv[2], "to")) {
		parse_error("expected 'to' instead of '%s'", argv[2]);
		return false;
	}
	if (argc < 4) {
		parse_error("missing address after 'to'");
		return false;
	}
	if (!parse_map_target(argv[3], m))
		return false;
	if (argc == 4)
		return true;

	if (strcmp(argv[4], "comment")) {
		parse_error("unexpected argument '%s'", argv[4]);
		return false;
	}
	if (argc < 6) {
		parse_error("missing text after 'comment'");
		return false;
	}
	if (!parse_comment(argv[5], m->comment))
		return false;
	if (argc > 6) {
		parse_error("unexpected argument '%s'", argv[6]);
		return false;
	}
	return true;
}

static void op_init(struct hp_op *op, uint8_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->source = HP_UNSET;
	op->mode = HP_UNSET;
}

bool parse_map_cmd(int argc, char *argv[], struct hp_op *op)
{
	static const struct {
		const char *word;
		uint8_t cmd;
	} words[] = {
		{ "add", HAIRPIN_CMD_NEW_MAP },
		{ "del", HAIRPIN_CMD_DEL_MAP },
		{ "replace", HAIRPIN_CMD_REPLACE_MAP },
		{ "flush", HAIRPIN_CMD_FLUSH_MAPS },
	};
	size_t i;

	if (argc < 1) {
		parse_error("missing map command (add, del, replace, show or flush)");
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(argv[0], words[i].word))
			break;
	if (i == ARRAY_SIZE(words)) {
		if (!strcmp(argv[0], "show"))
			parse_error("'map show' cannot be part of a batch");
		else
			parse_error("unknown map command '%s'", argv[0]);
		return false;
	}

	op_init(op, words[i].cmd);
	if (op->cmd == HAIRPIN_CMD_FLUSH_MAPS) {
		if (argc > 1) {
			parse_error("unexpected argument '%s'", argv[1]);
			return false;
		}
		return true;
	}
	return parse_map_args(argc - 1, argv + 1, op->cmd, &op->map);
}

/* "limit" and what follows it, from argv[*i] on: at least one of
 * "mappings N" and "ports N", each once. Stops at the first other word,
 * which the caller takes as the next setting.
 */
static bool parse_limits(int argc, char *argv[], int *i, struct hp_op *op)
{
	int first = ++*i;

	while (*i < argc) {
		const char *key = argv[*i];
		bool is_maps = !strcmp(key, "mappings");
		bool *has = is_maps ? &op->has_max_maps : &op->has_max_ports;
		uint32_t *slot = is_maps ? &op->max_maps : &op->max_ports;

		if (!is_maps && strcmp(key, "ports")) {
			if (*i > first)
				break;
			parse_error("unknown limit '%s' (mappings or ports)", key);
			return false;
		}
		if (*has) {
			parse_error("'%s' given twice", key);
			return false;
		}
		if (*i + 1 >= argc) {
			parse_error("missing value after '%s' (0-4294967295)", key);
			return false;
		}
		if (!parse_limit(argv[*i + 1], slot))
			return false;
		*has = true;
		*i += 2;
	}
	if (*i == first) {
		parse_error("missing limit after 'limit' (mappings or ports)");
		return false;
	}
	return true;
}

bool parse_set_cmd(int argc, char *argv[], struct hp_op *op)
{
	bool had_limit = false;
	int i = 1;

	op_init(op, HAIRPIN_CMD_SET_CONFIG);
	if (argc < 2) {
		parse_error("missing setting (source, hairpin or limit)");
		return false;
	}
	while (i < argc) {
		const char *key = argv[i];
		bool is_source = !strcmp(key, "source");
		int *slot = is_source ? &op->source : &op->mode;

		if (!strcmp(key, "limit")) {
			if (had_limit) {
				parse_error("'%s' given twice", key);
				return false;
			}
			had_limit = true;
			if (!parse_limits(argc, argv, &i, op))
				return false;
			continue;
		}
		if (!is_source && strcmp(key, "hairpin")) {
			parse_error("unknown setting '%s' (source, hairpin or limit)", key);
			return false;
		}
		if (*slot != HP_UNSET) {
			parse_error("'%s' given twice", key);
			return false;
		}
		if (i + 1 >= argc) {
			parse_error("missing value after '%s' (%s)", key,
				    is_source ? "lan or external"
					      : "auto, always or off");
			return false;
		}
		if (is_source ? !parse_source(argv[i + 1], slot)
			      : !parse_mode(argv[i + 1], slot))
			return false;
		i += 2;
	}
	return true;
}

bool parse_op(int argc, char *argv[], struct hp_op *op)
{
	if (argc < 1) {
		parse_error("missing command");
		return false;
	}
	if (!strcmp(argv[0], "map"))
		return parse_map_cmd(argc - 1, argv + 1, op);
	if (!strcmp(argv[0], "set"))
		return parse_set_cmd(argc, argv, op);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "version"))
		parse_error("'%s' cannot be part of a batch", argv[0]);
	else if (!strcmp(argv[0], PROG_NAME))
		parse_error("unknown command '%s' (leave out the word %s)",
			    argv[0], PROG_NAME);
	else
		parse_error("unknown command '%s'", argv[0]);
	return false;
}

/* Files */

bool parse_words(const char *line, char *out, int *argc, char *argv[])
{
	const char *r = line;
	char *w = out;

	*argc = 0;
	for (;;) {
		const char *quote = NULL;

		while (isspace((unsigned char)*r))
			r++;
		if (!*r || *r == '#')
			return true;
		if (*argc == HP_MAX_WORDS) {
			parse_error("more than %d words on the line", HP_MAX_WORDS);
			return false;
		}
		argv[(*argc)++] = w;
		while (*r && (quote || !isspace((unsigned char)*r))) {
			if (*r == '"') {
				quote = quote ? NULL : r;
				r++;
				continue;
			}
			if (quote && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r++;
		}
		*w++ = '\0';
		if (quote) {
			size_t n = strlen(quote);

			while (n && isspace((unsigned char)quote[n - 1]))
				n--;
			parse_error("unterminated quote in '%.*s'", (int)n, quote);
			return false;
		}
	}
}

static bool oplist_push(struct hp_oplist *list, const struct hp_op *op)
{
	if (list->len == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct hp_op *ops = realloc(list->ops, cap * sizeof(*ops));

		if (!ops)
			return false;
		list->ops = ops;
		list->cap = cap;
	}
	list->ops[list->len++] = *op;
	return true;
}

void hp_oplist_free(struct hp_oplist *list)
{
	free(list->ops);
	memset(list, 0, sizeof(*list));
}

bool hp_maplist_push(struct hp_maplist *list, const struct hp_map *m)
{
	if (list->len == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct hp_map *maps = realloc(list->maps, cap * sizeof(*maps));

		if (!maps)
			return false;
		list->maps = maps;
		list->cap = cap;
	}
	list->maps[list->len++] = *m;
	return true;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int map_cmp(const void *pa, const void *pb)
{
	const struct hp_map *a = pa, *b = pb;

	if (a->proto != b->proto)
		return cmp_u32(a->proto, b->proto);
	if (a->has_addr != b->has_addr)
		return a->has_addr ? 1 : -1;
	if (a->addr != b->addr)
		return cmp_u32(ntohl(a->addr), ntohl(b->addr));
	if (a->port != b->port)
		return cmp_u32(a->port, b->port);
	return cmp_u32(a->port_max, b->port_max);
}

void hp_maplist_sort(struct hp_maplist *list)
{
	if (list->len)
		qsort(list->maps, list->len, sizeof(*list->maps), map_cmp);
}

void hp_maplist_free(struct hp_maplist *list)
{
	free(list->maps);
	memset(list, 0, sizeof(*list));
}

bool parse_file(FILE *f, const char *name, struct hp_oplist *list)
{
	char *line = NULL, *words = NULL;
	size_t line_cap = 0, words_cap = 0;
	unsigned int lineno = 0;
	bool ok = false;
	ssize_t n;

	memset(list, 0, sizeof(*list));
	while ((n = getline(&line, &line_cap, f)) >= 0) {
		char *argv[HP_MAX_WORDS];
		struct hp_op op;
		int argc;

		parse_set_location(name, ++lineno);
		if (strlen(line) != (size_t)n) {
			parse_error("NUL byte in the line");
			goto out;
		}
		if (words_cap < (size_t)n + 1) {
			free(words);
			words_cap = line_cap;
			words = malloc(words_cap);
			if (!words) {
				parse_error("%s", strerror(errno));
				goto out;
			}
		}
		if (!parse_words(line, words, &argc, argv))
			goto out;
		if (argc == 0)
			continue;
		if (!parse_op(argc, argv, &op))
			goto out;
		op.line = lineno;
		if (!oplist_push(list, &op)) {
			parse_error("%s", strerror(errno));
			goto out;
		}
	}
	parse_set_location(NULL, 0);
	if (ferror(f)) {
		hp_error("%s: %s", name, strerror(errno));
		goto out;
	}
	ok = true;
out:
	parse_set_location(NULL, 0);
	free(line);
	free(words);
	return ok;
}

/* Formatting */

static void put(char **p, size_t *left, int *total, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char **p, size_t *left, int *total, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*p, *left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*total += n;
	if ((size_t)n >= *left)
		n = *left ? (int)*left - 1 : 0;
	*p += n;
	*left -= (size_t)n;
}

static void put_ports(char **p, size_t *left, int *total,
		      unsigned int first, unsigned int last)
{
	if (first == last)
		put(p, left, total, "%u", first);
	else
		put(p, left, total, "%u-%u", first, last);
}

static void put_addr(char **p, size_t *left, int *total, uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };

	inet_ntop(AF_INET, &in, text, sizeof(text));
	put(p, left, total, "%s", text);
}

static void put_key(char **p, size_t *left, int *total, const struct hp_map *m)
{
	const char *proto = proto_name(m->proto);

	if (proto)
		put(p, left, total, "%s ", proto);
	else
		put(p, left, total, "%u ", m->proto);
	if (m->has_addr) {
		put_addr(p, left, total, m->addr);
		put(p, left, total, ":");
	}
	put_ports(p, left, total, m->port, m->port_max);
}

int format_map_key(char *buf, size_t len, const struct hp_map *m)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	put_key(&buf, &len, &total, m);
	return total;
}

/* Characters a comment may show unquoted, on a shell line and in a file. */
static bool plain_char(unsigned char c)
{
	return isalnum(c) || strchr("._,:/@+=%^-", c);
}

static void put_comment(char **p, size_t *left, int *total, const char *s)
{
	const char *c;
	bool plain = *s != '\0';

	for (c = s; *c; c++)
		if (!plain_char((unsigned char)*c))
			plain = false;
	if (plain) {
		put(p, left, total, "%s", s);
		return;
	}
	put(p, left, total, "\"");
	for (c = s; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == '"' || ch == '\\')
			put(p, left, total, "\\%c", ch);
		else
			put(p, left, total, "%c", comment_char_ok(ch) ? ch : '?');
	}
	put(p, left, total, "\"");
}

int format_map(char *buf, size_t len, const struct hp_map *m)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	put_key(&buf, &len, &total, m);
	if (m->has_to) {
		unsigned int first = m->has_to_port ? m->to_port : m->port;

		put(&buf, &len, &total, " to ");
		put_addr(&buf, &len, &total, m->to_addr);
		put(&buf, &len, &total, ":");
		put_ports(&buf, &len, &total, first,
			  first + (unsigned int)(m->port_max - m->port));
	}
	if (m->comment[0]) {
		put(&buf, &len, &total, " comment ");
		put_comment(&buf, &len, &total, m->comment);
	}
	return total;
}

static void put_setting(char **p, size_t *left, int *total, const char *key,
			int value, const char *name)
{
	if (value == HP_UNSET)
		return;
	if (name)
		put(p, left, total, " %s %s", key, name);
	else
		put(p, left, total, " %s %d", key, value);
}

int format_op(char *buf, size_t len, const struct hp_op *op)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
		put(&buf, &len, &total, "map %s ",
		    op->cmd == HAIRPIN_CMD_NEW_MAP ? "add" : "replace");
		total += format_map(buf, len, &op->map);
		break;
	case HAIRPIN_CMD_DEL_MAP:
		put(&buf, &len, &total, "map del ");
		total += format_map_key(buf, len, &op->map);
		break;
	case HAIRPIN_CMD_FLUSH_MAPS:
		put(&buf, &len, &total, "map flush");
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		put(&buf, &len, &total, "set");
		put_setting(&buf, &len, &total, "source", op->source,
			    source_name(op->source));
		put_setting(&buf, &len, &total, "hairpin", op->mode,
			    mode_name(op->mode));
		if (op->has_max_maps || op->has_max_ports)
			put(&buf, &len, &total, " limit");
		if (op->has_max_maps)
			put(&buf, &len, &total, " mappings %" PRIu32, op->max_maps);
		if (op->has_max_ports)
			put(&buf, &len, &total, " ports %" PRIu32, op->max_ports);
		break;
	default:
		put(&buf, &len, &total, "# unknown operation %u", op->cmd);
		break;
	}
	return total;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * nlmsg: sends one hand-written request to the hairpin family and checks the
 * answer: the errno, the extended ack's message, which attribute it blames
 * and which one it says is missing. For tables of malformed requests
 * (selftests/badinput.sh), where hairpinctl would never send them.
 *
 *   nlmsg [-e ERRNO] [-m TEXT] [-M TYPE] [-f N | -F] CMD [HEADER...] [ATTR...]
 *
 * CMD: get_config, set_config, new_map, del_map, replace_map, get_map,
 *      flush_maps, batch, new_masq, del_masq, get_masq, get_binding,
 *      unspec, or a number.
 * HEADER: flags=ack,dump,create,excl,replace,echo,request,0xNNN (default
 *      request,ack; "request" is implied unless flags= names 0x...),
 *      version=N, reserved=N, len=N (nlmsg_len, as sent).
 * ATTR: [!]NAME[:MOD...]=VALUE, [!]NAME[:MOD...]{ ... }, or raw=HEX (bytes
 *      as they are, unaligned). NAME is the attribute's name at that level
 *      (map, op, source, source_addr, mode, masq, udp_timeout, scope...;
 *      in a map: proto, addr, port, port_max, to_addr, to_port, comment,
 *      conns, hairpinned, flags; in an op: cmd, map, source, mode, masq...;
 *      in a masq: ifname, filter, bindings, addr) or a number. MOD is the payload's kind when not the
 *      attribute's own: u8, u16, u32, u64, ip, str (NUL-terminated), chars
 *      (no NUL), hex, empty; or "nested"/"flat" to set or clear
 *      NLA_F_NESTED (set on nests by default). "!" marks the attribute the
 *      kernel must blame: the extack offset must point at it.
 * -e: the errno name or number the kernel must answer (ok or 0: success).
 * -m: text the extack message must contain.  -M: the missing attribute's
 *      type the kernel must report.
 * -f: the kernel fails the N-th fault-injection point the request reaches
 *      (fail-nth: CONFIG_FAULT_INJECTION); prints "fault: injected" or
 *      "fault: not reached" (the request has fewer points than N).
 * -F: the request runs with make-it-fail set, for the fault attributes in
 *      debugfs whose task-filter is on (failslab: CONFIG_FAILSLAB): which
 *      allocations fail is theirs to say.
 * Prints what it sent and got; exits 0 if every expectation holds, 1 if
 * not, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <linux/hairpin.h>

#include "genl.h"

#define BUF_LEN 65536

#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE 5
#endif

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_IP, K_STR, K_CHARS, K_HEX, K_EMPTY, K_NEST };

struct name {
	const char *name;
	uint16_t type;
	enum kind kind;
	int inner;	/* level of a nest's contents */
};

enum { L_TOP, L_MAP, L_OP, L_MASQ, L_ANY };

static const struct name top_names[] = {
	{ "version", HAIRPIN_A_VERSION, K_STR, 0 },
	{ "source", HAIRPIN_A_SOURCE, K_U8, 0 },
	{ "mode", HAIRPIN_A_MODE, K_U8, 0 },
	{ "map", HAIRPIN_A_MAP, K_NEST, L_MAP },
	{ "op", HAIRPIN_A_OP, K_NEST, L_OP },
	{ "mappings", HAIRPIN_A_MAPPINGS, K_U32, 0 },
	{ "conns", HAIRPIN_A_CONNS, K_U64, 0 },
	{ "hairpinned", HAIRPIN_A_HAIRPINNED, K_U64, 0 },
	{ "pad", HAIRPIN_A_PAD, K_EMPTY, 0 },
	{ "max_maps", HAIRPIN_A_MAX_MAPS, K_U32, 0 },
	{ "max_ports", HAIRPIN_A_MAX_PORTS, K_U32, 0 },
	{ "masq", HAIRPIN_A_MASQ, K_NEST, L_MASQ },
	{ "udp_timeout", HAIRPIN_A_UDP_TIMEOUT, K_U32, 0 },
	{ "max_bindings", HAIRPIN_A_MAX_BINDINGS, K_U32, 0 },
	{ "scope", HAIRPIN_A_SCOPE, K_U8, 0 },
	{ "others_hairpinned", HAIRPIN_A_OTHERS_HAIRPINNED, K_U64, 0 },
	{ "source_addr", HAIRPIN_A_SOURCE_ADDR, K_IP, 0 },
	{ NULL, 0, K_NONE, 0 },
};

static const struct name masq_names[] = {
	{ "ifname", HAIRPIN_MASQ_A_IFNAME, K_STR, 0 },
	{ "filter", HAIRPIN_MASQ_A_FILTER, K_U8, 0 },
	{ "bindings", HAIRPIN_MASQ_A_BINDINGS, K_U32, 0 },
	{ "addr", HAIRPIN_MASQ_A_ADDR, K_IP, 0 },
	{ NULL, 0, K_NONE, 0 },
};

static const struct name map_names[] = {
	{ "proto", HAIRPIN_MAP_A_PROTO, K_U8, 0 },
	{ "addr", HAIRPIN_MAP_A_ADDR, K_IP, 0 },
	{ "port", HAIRPIN_MAP_A_PORT, K_U16, 0 },
	{ "port_max", HAIRPIN_MAP_A_PORT_MAX, K_U16, 0 },
	{ "to_addr", HAIRPIN_MAP_A_TO_ADDR, K_IP, 0 },
	{ "to_port", HAIRPIN_MAP_A_TO_PORT, K_U16, 0 },
	{ "comment", HAIRPIN_MAP_A_COMMENT, K_STR, 0 },
	{ "conns", HAIRPIN_MAP_A_CONNS, K_U64, 0 },
	{ "hairpinned", HAIRPIN_MAP_A_HAIRPINNED, K_U64, 0 },
	{ "pad", HAIRPIN_MAP_A_PAD, K_EMPTY, 0 },
	{ "flags", HAIRPIN_MAP_A_FLAGS, K_U32, 0 },
	{ NULL, 0, K_NONE, 0 },
};

static const struct name op_names[] = {
	{ "cmd", HAIRPIN_OP_A_CMD, K_U8, 0 },
	{ "map", HAIRPIN_OP_A_MAP, K_NEST, L_MAP },
	{ "source", HAIRPIN_OP_A_SOURCE, K_U8, 0 },
	{ "mode", HAIRPIN_OP_A_MODE, K_U8, 0 },
	{ "max_maps", HAIRPIN_OP_A_MAX_MAPS, K_U32, 0 },
	{ "max_ports", HAIRPIN_OP_A_MAX_PORTS, K_U32, 0 },
	{ "masq", HAIRPIN_OP_A_MASQ, K_NEST, L_MASQ },
	{ "udp_timeout", HAIRPIN_OP_A_UDP_TIMEOUT, K_U32, 0 },
	{ "max_bindings", HAIRPIN_OP_A_MAX_BINDINGS, K_U32, 0 },
	{ "scope", HAIRPIN_OP_A_SCOPE, K_U8, 0 },
	{ "source_addr", HAIRPIN_OP_A_SOURCE_ADDR, K_IP, 0 },
	{ NULL, 0, K_NONE, 0 },
};

static const struct name *const levels[] = {
	top_names, map_names, op_names, masq_names, NULL
};

static const char *const cmds[] = {
	[HAIRPIN_CMD_UNSPEC] = "unspec",
	[HAIRPIN_CMD_GET_CONFIG] = "get_config",
	[HAIRPIN_CMD_SET_CONFIG] = "set_config",
	[HAIRPIN_CMD_NEW_MAP] = "new_map",
	[HAIRPIN_CMD_DEL_MAP] = "del_map",
	[HAIRPIN_CMD_REPLACE_MAP] = "replace_map",
	[HAIRPIN_CMD_GET_MAP] = "get_map",
	[HAIRPIN_CMD_FLUSH_MAPS] = "flush_maps",
	[HAIRPIN_CMD_BATCH] = "batch",
	[HAIRPIN_CMD_NEW_MASQ] = "new_masq",
	[HAIRPIN_CMD_DEL_MASQ] = "del_masq",
	[HAIRPIN_CMD_GET_MASQ] = "get_masq",
	[HAIRPIN_CMD_GET_BINDING] = "get_binding",
};

static void usage(const char *why, const char *what)
{
	fprintf(stderr, "nlmsg: %s '%s' (see the top of tools/fuzz-nl/nlmsg.c)\n", why, what);
	exit(2);
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end)
		usage("not a number", what);
	return v;
}

static int errno_value(const char *s)
{
	int e;

	if (!strcmp(s, "ok") || !strcmp(s, "0"))
		return 0;
	for (e = 1; e < 256; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, s))
			return e;
	}
	return (int)number(s, s);
}

static const char *errno_name(int e)
{
	const char *n;

	if (!e)
		return "ok";
	n = strerrorname_np(e);
	return n ? n : "?";
}

static const struct nlattr *blamed;	/* the attribute marked with "!" */
static char *buf;

static enum kind kind_of(const char *s)
{
	static const char *const kinds[] = {
		[K_U8] = "u8", [K_U16] = "u16", [K_U32] = "u32", [K_U64] = "u64",
		[K_IP] = "ip", [K_STR] = "str", [K_CHARS] = "chars", [K_HEX] = "hex",
		[K_EMPTY] = "empty",
	};
	size_t k;

	for (k = 1; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (kinds[k] && !strcmp(s, kinds[k]))
			return (enum kind)k;
	return K_NONE;
}

static int nibble(char c, const char *s)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	usage("not hex", s);
	return 0;
}

static size_t hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	const char *p;

	if (strlen(s) % 2)
		usage("odd number of hex digits", s);
	for (p = s; *p && n < max; p += 2)
		out[n++] = (uint8_t)(nibble(p[0], s) << 4 | nibble(p[1], s));
	return n;
}

/* Appends bytes as they are, without padding (raw=). */
static void put_raw(struct nlmsghdr *nlh, const char *s)
{
	uint8_t bytes[4096];
	size_t n = hex(s, bytes, sizeof(bytes));

	memcpy(buf + nlh->nlmsg_len, bytes, n);
	nlh->nlmsg_len += (uint32_t)n;
}

/* Parses args from *i at one level until "}" or the end. */
static void put_attrs(struct nlmsghdr *nlh, int argc, char *argv[], int *i, int level)
{
	for (; *i < argc; (*i)++) {
		char tok[1024], *eq, *brace, *mods, *mod, *save;
		const struct name *n = NULL;
		bool blame = false, nest, flag_set = false, flag_clear = false;
		enum kind kind = K_NONE;
		uint16_t type;
		struct nlattr *a;

		snprintf(tok, sizeof(tok), "%s", argv[*i]);
		if (!strcmp(tok, "}")) {
			if (level == L_TOP)
				usage("unbalanced", tok);
			return;
		}
		if (!strncmp(tok, "raw=", 4)) {
			put_raw(nlh, tok + 4);
			continue;
		}
		if (tok[0] == '!') {
			blame = true;
			memmove(tok, tok + 1, strlen(tok));
		}
		brace = strchr(tok, '{');
		eq = strchr(tok, '=');
		nest = brace && (!eq || brace < eq);
		if (nest) {
			if (brace[1])
				usage("a nest's contents are separate words", argv[*i]);
			*brace = 0;
		} else if (eq) {
			*eq = 0;
		} else {
			usage("expected NAME=VALUE or NAME{", argv[*i]);
		}
		mods = strchr(tok, ':');
		if (mods)
			*mods++ = 0;

		if (level != L_ANY)
			for (n = levels[level]; n->name && strcmp(n->name, tok); n++)
				;
		if (n && n->name) {
			type = n->type;
			kind = n->kind;
		} else {
			type = (uint16_t)number(tok, argv[*i]);
			n = NULL;
		}
		for (mod = mods ? strtok_r(mods, ":", &save) : NULL; mod;
		     mod = strtok_r(NULL, ":", &save)) {
			if (!strcmp(mod, "nested"))
				flag_set = true;
			else if (!strcmp(mod, "flat"))
				flag_clear = true;
			else if ((kind = kind_of(mod)) == K_NONE)
				usage("unknown kind", mod);
		}

		a = (struct nlattr *)(buf + nlh->nlmsg_len);
		if (blame)
			blamed = a;
		if (nest) {
			int inner = n && n->kind == K_NEST ? n->inner : L_ANY;

			mnl_attr_nest_start(nlh, type);
			if (!flag_clear)
				a->nla_type |= NLA_F_NESTED;
			(*i)++;
			put_attrs(nlh, argc, argv, i, inner);
			if (*i >= argc)
				usage("unbalanced", "{");
			mnl_attr_nest_end(nlh, a);
		} else {
			const char *v = eq + 1;
			uint8_t bytes[4096];
			struct in_addr in;

			switch (kind) {
			case K_U8:
				mnl_attr_put_u8(nlh, type, (uint8_t)number(v, argv[*i]));
				break;
			case K_U16:
				mnl_attr_put_u16(nlh, type, (uint16_t)number(v, argv[*i]));
				break;
			case K_U32:
				mnl_attr_put_u32(nlh, type, (uint32_t)number(v, argv[*i]));
				break;
			case K_U64:
				mnl_attr_put_u64(nlh, type, (uint64_t)strtoull(v, NULL, 0));
				break;
			case K_IP:
				if (inet_pton(AF_INET, v, &in) != 1)
					usage("not an IPv4 address", argv[*i]);
				mnl_attr_put(nlh, type, sizeof(in), &in);
				break;
			case K_STR:
				mnl_attr_put_strz(nlh, type, v);
				break;
			case K_CHARS:
				mnl_attr_put_str(nlh, type, v);
				break;
			case K_HEX:
				mnl_attr_put(nlh, type, hex(v, bytes, sizeof(bytes)), bytes);
				break;
			case K_EMPTY:
				mnl_attr_put(nlh, type, 0, NULL);
				break;
			default:
				usage("say what kind of payload it is (NAME:KIND=VALUE)", argv[*i]);
			}
			if (flag_set)
				a->nla_type |= NLA_F_NESTED;
		}
		if (flag_clear)
			a->nla_type &= (uint16_t)~NLA_F_NESTED;
	}
	if (level != L_TOP)
		usage("unbalanced", "{");
}

/* An attribute type by name (a map's, an op's, then the top level's), or
 * a number.
 */
static int attr_type(const char *s)
{
	static const int order[] = { L_MAP, L_OP, L_MASQ, L_TOP };
	const struct name *n;
	size_t k;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (n = levels[order[k]]; n->name; n++)
			if (!strcmp(n->name, s))
				return n->type;
	return (int)number(s, s);
}

/* Fault injection, armed from the request's send to its answer: nothing
 * else this process does may take the fault. The files are opened before,
 * as opening is itself a fault-injection point.
 */
struct fault {
	long nth;		/* -f */
	bool everything;	/* -F */
	int nth_fd, fail_fd;
};

static void fault_write(int fd, const char *val, const char *file)
{
	if (fd >= 0 && pwrite(fd, val, strlen(val), 0) < 0) {
		fprintf(stderr, "nlmsg: %s: %s\n", file, strerror(errno));
		exit(2);
	}
}

static void fault_open(struct fault *f)
{
	f->nth_fd = f->fail_fd = -1;
	if (f->nth)
		f->nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (f->everything)
		f->fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
	if ((f->nth && f->nth_fd < 0) || (f->everything && f->fail_fd < 0)) {
		fprintf(stderr, "nlmsg: no fault injection in this kernel: %s\n",
			strerror(errno));
		exit(2);
	}
}

static void fault_arm(struct fault *f)
{
	char n[24];

	snprintf(n, sizeof(n), "%ld", f->nth);
	fault_write(f->fail_fd, "1", "make-it-fail");
	fault_write(f->nth_fd, n, "fail-nth");
}

static void fault_disarm(struct fault *f)
{
	char left[24] = "";

	fault_write(f->fail_fd, "0", "make-it-fail");
	if (f->nth_fd < 0)
		return;
	/* What is left of the count: 0 once the fault was injected. */
	if (pread(f->nth_fd, left, sizeof(left) - 1, 0) < 0) {
		fprintf(stderr, "nlmsg: fail-nth: %s\n", strerror(errno));
		exit(2);
	}
	fault_write(f->nth_fd, "0", "fail-nth");
	printf("fault: %s\n", atol(left) ? "not reached" : "injected");
}

static uint16_t parse_flags(const char *s)
{
	static const struct { const char *name; uint16_t flag; } names[] = {
		{ "request", NLM_F_REQUEST }, { "ack", NLM_F_ACK }, { "echo", NLM_F_ECHO },
		{ "dump", NLM_F_DUMP }, { "create", NLM_F_CREATE }, { "excl", NLM_F_EXCL },
		{ "replace", NLM_F_REPLACE }, { "append", NLM_F_APPEND },
	};
	char copy[256], *w, *save;
	uint16_t flags = NLM_F_REQUEST;
	size_t k;

	snprintf(copy, sizeof(copy), "%s", s);
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(w, names[k].name))
				break;
		if (k < sizeof(names) / sizeof(names[0]))
			flags |= names[k].flag;
		else
			flags = (uint16_t)number(w, s);	/* a number is all of them */
	}
	return flags;
}

int main(int argc, char *argv[])
{
	const char *want_errno = NULL, *want_msg = NULL, *want_miss = NULL;
	int opt, i, error = -1, miss = -1;
	long offset = -1;
	char msg[512] = "", *rbuf;
	struct mnl_socket *s;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint32_t len = 0, seq = 7;
	struct genl_family fam = HP_FAMILY;
	bool ok = true, done = false;
	unsigned long cmd;
	struct fault fault = { 0 };
	int one = 1;

	while ((opt = getopt(argc, argv, "+e:m:M:f:F")) != -1) {
		switch (opt) {
		case 'e':
			want_errno = optarg;
			break;
		case 'm':
			want_msg = optarg;
			break;
		case 'M':
			want_miss = optarg;
			break;
		case 'f':
			fault.nth = number(optarg, optarg);
			if (fault.nth <= 0)
				usage("-f wants a count from 1", optarg);
			break;
		case 'F':
			fault.everything = true;
			break;
		default:
			usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage("no command", "");

	buf = calloc(1, BUF_LEN);
	rbuf = malloc(BUF_LEN);
	s = mnl_socket_open(NETLINK_GENERIC);
	if (!buf || !rbuf || !s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlmsg");
		return 2;
	}
	mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
	if (genl_family_lookup(s, &fam) < 0) {
		fprintf(stderr, "nlmsg: no hairpin family: is the module loaded?\n");
		return 2;
	}

	for (cmd = 0; cmd < sizeof(cmds) / sizeof(cmds[0]); cmd++)
		if (!strcmp(argv[optind], cmds[cmd]))
			break;
	if (cmd == sizeof(cmds) / sizeof(cmds[0]))
		cmd = number(argv[optind], argv[optind]);
	nlh = genl_start(buf, fam.id, (uint8_t)cmd, HAIRPIN_GENL_VERSION, NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_get_payload(nlh);

	for (i = optind + 1; i < argc; i++) {
		if (!strncmp(argv[i], "flags=", 6))
			nlh->nlmsg_flags = parse_flags(argv[i] + 6);
		else if (!strncmp(argv[i], "version=", 8))
			g->version = (uint8_t)number(argv[i] + 8, argv[i]);
		else if (!strncmp(argv[i], "reserved=", 9))
			g->reserved = (uint16_t)number(argv[i] + 9, argv[i]);
		else if (!strncmp(argv[i], "len=", 4))
			len = (uint32_t)number(argv[i] + 4, argv[i]);
		else
			break;
	}
	put_attrs(nlh, argc, argv, &i, L_TOP);
	if (len) {
		/* Sent as long as it was built, with the header saying len. */
		uint32_t built = nlh->nlmsg_len;

		nlh->nlmsg_len = len;
		len = built;
	} else {
		len = nlh->nlmsg_len;
	}

	printf("sent:");
	for (i = optind; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	fault_open(&fault);
	fault_arm(&fault);
	if (mnl_socket_sendto(s, buf, len) < 0) {
		error = errno;
		done = true;
	}
	while (!done) {
		const struct nlmsghdr *r;
		ssize_t n = mnl_socket_recvfrom(s, rbuf, BUF_LEN);
		int rem;

		if (n < 0) {
			error = errno;
			break;
		}
		rem = (int)n;
		for (r = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(r, rem) && !done;
		     r = mnl_nlmsg_next(r, &rem)) {
			const struct nlattr *a;
			unsigned int off;

			if (r->nlmsg_type != NLMSG_ERROR && r->nlmsg_type != NLMSG_DONE)
				continue;	/* a reply's data */
			done = true;
			if (r->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

				error = -e->error;
				off = sizeof(*e);
				if (!(r->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
			} else {
				int e;

				memcpy(&e, mnl_nlmsg_get_payload(r), sizeof(e));
				error = -e;
				off = sizeof(e);
			}
			if (!(r->nlmsg_flags & NLM_F_ACK_TLVS))
				continue;
			mnl_attr_for_each(a, r, off) {
				switch (mnl_attr_get_type(a)) {
				case NLMSGERR_ATTR_MSG:
					snprintf(msg, sizeof(msg), "%s", mnl_attr_get_str(a));
					break;
				case NLMSGERR_ATTR_OFFS:
					offset = mnl_attr_get_u32(a);
					break;
				case NLMSGERR_ATTR_MISS_TYPE:
					miss = (int)mnl_attr_get_u32(a);
					break;
				}
			}
		}
	}

	fault_disarm(&fault);
	printf("got: %s", error < 0 ? "no answer" : errno_name(error));
	if (*msg)
		printf(" \"%s\"", msg);
	if (offset >= 0)
		printf(" offset %ld", offset);
	if (miss >= 0)
		printf(" missing %d", miss);
	printf("\n");

	if (want_errno && error != errno_value(want_errno)) {
		printf("want: %s\n", want_errno);
		ok = false;
	}
	if (want_msg && !strstr(msg, want_msg)) {
		printf("want the message to say: \"%s\"\n", want_msg);
		ok = false;
	}
	if (want_miss && miss != attr_type(want_miss)) {
		printf("want: missing %s\n", want_miss);
		ok = false;
	}
	if (blamed && offset != (char *)blamed - buf) {
		printf("want: offset %ld (the attribute marked !)\n", (long)((char *)blamed - buf));
		ok = false;
	}
	mnl_socket_close(s);
	return ok ? 0 : 1;
}

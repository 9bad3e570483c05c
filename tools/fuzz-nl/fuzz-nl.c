// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-nl: throws random and mutated requests at the hairpin generic netlink
 * family, in whatever network namespace it runs in (run it under
 * "unshare -n": it leaves mappings behind). The kernel is what is tested: a
 * bug shows up as a report in its log (KASAN, lockdep, a WARN...), not here.
 *
 * Messages always carry a valid netlink header and the family's id, so that
 * they reach the family; the rest is generated:
 *   - seeds: valid requests built by hairpinctl's own code (msg.c) from
 *     random operations on a small space of ports and addresses, so that
 *     adds, replaces and deletes collide, and batches with many of them;
 *   - mutations of seeds: bytes flipped, attributes truncated, duplicated,
 *     retyped, resized or inserted, messages cut short, commands, versions
 *     and flags changed (NLM_F_DUMP, NLM_F_ACK, CREATE, EXCL, REPLACE...);
 *   - random messages: random commands (out of range included), random
 *     attribute trees with random types, lengths and nesting;
 *   - dumps cut short: the socket closed in the middle, or never read.
 * A second socket listens to the multicast group, sometimes until it
 * overruns. What is sent depends only on the seed, never on the answers.
 *
 * With -C, it churns instead: only valid requests (add, replace, delete,
 * settings, small batches, dumps) on the external ports -p, mapped to -C's
 * address and the ports -P, as fast as it can; any answer but success,
 * EEXIST or ENOENT is an error. Flushes come as batches that add the
 * mappings of port -k (TCP and UDP) again, as a configuration reload does:
 * those never stop working. The settings change, but hairpin is never off.
 *
 * At the end: the counts, and a histogram of the kernel's answers. Exits 1
 * if the family cannot be found, if an answer is malformed, if the table is
 * inconsistent afterwards (a full dump must list what GET_CONFIG counts), or
 * with -u if anything succeeds without CAP_NET_ADMIN.
 *
 *   fuzz-nl [-n MESSAGES] [-t SECONDS] [-s SEED] [-j WORKERS] [-u] [-q]
 *           [-C ADDR -p PORT-PORT -P TCPPORT,UDPPORT -k PORT [-a ADDR]]
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "genl.h"
#include "msg.h"

#define BUF_LEN (512 * 1024)
/* An error echoes the request (without NETLINK_CAP_ACK): room for it. */
#define RECV_LEN (BUF_LEN + 64 * 1024)
#define MAX_ERRNO 256
#define MAX_WORKERS 16
#define MAX_ATTRS 4096

/* Counters of one worker, in memory shared with the parent. */
struct stats {
	uint64_t msgs;			/* netlink messages sent */
	uint64_t sends;			/* sendmsg() calls */
	uint64_t seeds, mutated, random, batches, batch_ops;
	uint64_t dumps, dumps_cut, lazy, packed;
	uint64_t answers[MAX_ERRNO];	/* acks by errno, [0] = success */
	uint64_t send_errors[MAX_ERRNO];
	uint64_t dump_done, dump_intr, data, events, overruns;
	uint64_t unexpected;		/* answers we cannot make sense of */
	uint64_t unpriv_ok;		/* -u: successes without CAP_NET_ADMIN */
	bool timed_out;
};

/* -C: churn on these mappings. */
static struct {
	bool on;
	uint32_t to_addr, addr;		/* network order; addr 0: none given */
	uint16_t lo, hi, tcp_port, udp_port, keep;
} churn;

static uint16_t family;
static uint32_t mcgrp;
static bool unpriv, quiet;
static struct stats *st;
static uint64_t rng;
static char *rbuf;

/* xorshift64*: small, fast, and the same sequence for the same seed. */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz-nl: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Sockets */

static struct mnl_socket *sock_open(bool ext_ack)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);
	int one = 1;
	int sndbuf = 1 << 20;

	if (!s)
		die("socket");
	if (ext_ack)
		mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Room for the bulk batches; only with privileges, else the default. */
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
		   sizeof(sndbuf));
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0)
		die("bind");
	return s;
}

/* The family is looked up as hairpinctl does it (genl.c). */
static bool resolve_family(void)
{
	struct mnl_socket *s = sock_open(false);
	struct genl_family fam = HP_FAMILY;
	bool ok = genl_family_lookup(s, &fam) == 0;

	mnl_socket_close(s);
	family = fam.id;
	mcgrp = fam.mcgrp;
	return ok;
}

/* Answers */

/* Says what the first few answers that make no sense looked like. */
static void unexpected(const char *what, const struct nlmsghdr *nlh, long n)
{
	if (st->unexpected++ < 5)
		fprintf(stderr, "fuzz-nl: unexpected answer: %s (type %u, flags %#x, "
			"len %u, %ld bytes read)\n", what, nlh ? nlh->nlmsg_type : 0,
			nlh ? nlh->nlmsg_flags : 0, nlh ? nlh->nlmsg_len : 0, n);
}

static void count_errno(uint64_t *hist, int error)
{
	if (error < 0)
		error = -error;
	if (error >= MAX_ERRNO)
		error = MAX_ERRNO - 1;
	hist[error]++;
}

/* Reads whatever is queued on s without blocking; a dump in progress goes
 * on as long as we read. At most max reads (0: until nothing is left).
 */
static void drain(struct mnl_socket *s, unsigned int max)
{
	unsigned int reads = 0;

	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n;
		int rem;

		if (max && reads++ >= max)
			return;
		n = recv(mnl_socket_get_fd(s), rbuf, RECV_LEN, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == ENOBUFS) {
				st->overruns++;
				continue;
			}
			return;		/* EAGAIN: nothing left */
		}
		if (n > RECV_LEN) {
			unexpected("longer than any request", NULL, n);
			continue;
		}
		rem = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				st->dump_intr++;
			switch (nlh->nlmsg_type) {
			case NLMSG_ERROR:
				if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
					unexpected("short error", nlh, n);
					break;
				}
				count_errno(st->answers, e->error);
				if (e->error > 0)
					unexpected("positive error", nlh, n);
				else if (churn.on && e->error && e->error != -EEXIST &&
					 e->error != -ENOENT)
					unexpected(strerrorname_np(-e->error), nlh, n);
				if (!e->error && unpriv)
					st->unpriv_ok++;
				break;
			case NLMSG_DONE:
				st->dump_done++;
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
					int error;

					memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
					count_errno(st->answers, error);
					if (churn.on && error)
						unexpected("a dump failed", nlh, n);
					if (!error && unpriv)
						st->unpriv_ok++;
				}
				break;
			default:
				if (nlh->nlmsg_type == family) {
					st->data++;
					if (unpriv)
						st->unpriv_ok++;
				} else if (nlh->nlmsg_type != NLMSG_NOOP) {
					unexpected("unknown type", nlh, n);
				}
			}
		}
		if (rem > 0)
			unexpected("trailing bytes", nlh, n);
	}
}

static void drain_events(struct mnl_socket *s)
{
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(s), rbuf, RECV_LEN, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS) {
				st->overruns++;
				continue;
			}
			return;
		}
		st->events++;
	}
}

/* Seeds: what hairpinctl sends, for random operations */

static const uint32_t ext_addrs[] = {
	0xcb007101,	/* 203.0.113.1 */
	0xcb007102,
	0xc0000201,	/* 192.0.2.1 */
};

static const uint32_t int_addrs[] = {
	0xc0a8010a,	/* 192.168.1.10 */
	0xc0a80114,
	0x0a000001,	/* 10.0.0.1 */
	0x00000000,	/* the rest are refused */
	0x7f000001,
	0xe0000001,
	0xffffffff,
};

static uint16_t rand_port(void)
{
	static const uint16_t edges[] = { 1, 2, 53, 80, 443, 65533, 65534, 65535 };

	if (chance(15))
		return PICK(edges);
	if (chance(5))
		return (uint16_t)(1 + below(65535));
	return (uint16_t)(1 + below(24));
}

static void rand_comment(char *c, size_t max)
{
	size_t i, len = chance(10) ? max - 1 : below(16);

	for (i = 0; i < len; i++)
		c[i] = (char)(' ' + below(95));
	c[len] = '\0';
}

static void rand_map(struct hp_map *m, bool wide)
{
	memset(m, 0, sizeof(*m));
	m->proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	if (chance(30)) {
		m->has_addr = true;
		m->addr = htonl(PICK(ext_addrs));
	}
	m->port = wide ? (uint16_t)(1 + below(65535)) : rand_port();
	m->port_max = m->port;
	if (chance(30))
		m->port_max = (uint16_t)(m->port + below(chance(5) ? 1024 : 8));
	if (m->port_max < m->port)
		m->port_max = 65535;
	m->has_to = true;
	/* The first three are unicast; now and then one that is refused. */
	m->to_addr = htonl(chance(92) ? int_addrs[below(3)] : PICK(int_addrs));
	if (chance(40)) {
		m->has_to_port = true;
		m->to_port = chance(10) ? (uint16_t)(65535 - below(8)) : rand_port();
	}
	if (chance(30))
		rand_comment(m->comment, sizeof(m->comment));
}

/* A few names, so that adds and deletes meet; "lo" and the fuzzed
 * namespace's own devices now and then.
 */
static void rand_masq(struct hp_masq *q)
{
	static const char *const names[] = { "wan0", "ppp0", "lo", "eth0", "x" };

	memset(q, 0, sizeof(*q));
	snprintf(q->ifname, sizeof(q->ifname), "%s", PICK(names));
	q->filter = (int)below(HAIRPIN_FILTER_MAX + 1);
	/* An address of its own now and then, a refused one among them. */
	if (chance(30)) {
		q->has_addr = true;
		q->addr = htonl(chance(80) ? PICK(ext_addrs) : PICK(int_addrs));
	}
}

static void rand_op(struct hp_op *op, bool wide)
{
	static const uint8_t cmds[] = {
		HAIRPIN_CMD_NEW_MAP, HAIRPIN_CMD_NEW_MAP, HAIRPIN_CMD_NEW_MAP,
		HAIRPIN_CMD_DEL_MAP, HAIRPIN_CMD_DEL_MAP,
		HAIRPIN_CMD_REPLACE_MAP, HAIRPIN_CMD_REPLACE_MAP,
		HAIRPIN_CMD_SET_CONFIG, HAIRPIN_CMD_NEW_MASQ, HAIRPIN_CMD_DEL_MASQ,
	};

	memset(op, 0, sizeof(*op));
	op->source = HP_UNSET;
	op->mode = HP_UNSET;
	op->cmd = chance(3) ? HAIRPIN_CMD_FLUSH_MAPS : PICK(cmds);
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
	case HAIRPIN_CMD_DEL_MAP:
		rand_map(&op->map, wide);
		op->map.has_to = op->cmd != HAIRPIN_CMD_DEL_MAP || chance(10);
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		if (chance(60))
			op->source = (int)below(HAIRPIN_SOURCE_MAX + 1);
		/* The LAN's addresses, now and then one that is refused. */
		op->source_addr = htonl(chance(92) ? int_addrs[below(2)] : PICK(int_addrs));
		if (chance(60) || op->source == HP_UNSET)
			op->mode = (int)below(HAIRPIN_MODE_MAX + 1);
		if (chance(10)) {
			op->has_udp_timeout = true;
			op->udp_timeout = chance(10) ? 119 : 120 + below(86400 - 119);
		}
		/* Now and then one past the last scope: refused. */
		if (chance(10)) {
			op->has_scope = true;
			op->scope = (uint8_t)below(HAIRPIN_SCOPE_MAX + 1 + chance(10));
		}
		break;
	case HAIRPIN_CMD_NEW_MASQ:
	case HAIRPIN_CMD_DEL_MASQ:
		rand_masq(&op->masq);
		break;
	}
}

/* Puts a HAIRPIN_MAP_A_FLAGS first into the mapping nest at offset map of
 * buf (cap bytes), in the HAIRPIN_A_OP nest at offset op if not 0: a mirror
 * mostly, now and then none; if bad, an unknown bit or the wrong length.
 */
static void put_flags_at(char *buf, size_t cap, size_t map, size_t op, bool bad)
{
	static const uint16_t bad_lens[] = { 0, 1, 2, 8 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *nest = (struct nlattr *)(buf + map), *a;
	size_t off = map + sizeof(*a), len;
	uint32_t v = HAIRPIN_MAP_F_MIRROR;
	uint16_t plen = sizeof(v);

	if (bad && chance(60)) {
		/* One unknown bit, with the mirror's or not. */
		uint32_t bit;

		do
			bit = (uint32_t)1 << below(32);
		while (bit & HAIRPIN_MAP_F_ALL);
		v = bit | (chance(50) ? v : 0);
	} else if (bad) {
		plen = PICK(bad_lens);
	} else if (chance(15)) {
		v = 0;
	}
	len = MNL_ALIGN(sizeof(*a) + plen);
	if (nlh->nlmsg_len + len > cap || nest->nla_len + len > UINT16_MAX ||
	    (op && ((struct nlattr *)(buf + op))->nla_len + len > UINT16_MAX))
		return;
	memmove(buf + off + len, buf + off, nlh->nlmsg_len - off);
	memset(buf + off, 0, len);
	a = (struct nlattr *)(buf + off);
	a->nla_type = HAIRPIN_MAP_A_FLAGS;
	a->nla_len = (uint16_t)(sizeof(*a) + plen);
	memcpy(a + 1, &v, plen < sizeof(v) ? plen : sizeof(v));
	nest->nla_len = (uint16_t)(nest->nla_len + len);
	if (op)
		((struct nlattr *)(buf + op))->nla_len += (uint16_t)len;
	nlh->nlmsg_len += (uint32_t)len;
}

/* Mirrors in a quarter of a seed's mappings: flags put here rather than by
 * msg.c, so that bad ones come too, one in a tenth of the seeds at most:
 * more would fail nearly every large batch.
 */
static void put_flags(char *buf, size_t cap)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));
	bool bad = chance(10);

	while (off + sizeof(struct nlattr) <= nlh->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)(buf + off);
		size_t in = off + sizeof(*a);

		if (a->nla_len < sizeof(*a))
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == HAIRPIN_A_MAP && chance(25)) {
			put_flags_at(buf, cap, off, 0, bad);
			bad = false;
		}
		/* Its length grows with each mapping's flags. */
		while ((a->nla_type & NLA_TYPE_MASK) == HAIRPIN_A_OP &&
		       in + sizeof(struct nlattr) <= off + a->nla_len) {
			struct nlattr *c = (struct nlattr *)(buf + in);

			if (c->nla_len < sizeof(*c))
				break;
			if ((c->nla_type & NLA_TYPE_MASK) == HAIRPIN_OP_A_MAP &&
			    chance(25)) {
				put_flags_at(buf, cap, in, off, bad);
				bad = false;
			}
			in += MNL_ALIGN(c->nla_len);
		}
		off += MNL_ALIGN(a->nla_len);
	}
}

/* Builds a valid request into buf (cap bytes): one command, a batch, or a
 * read; but for the flags of put_flags().
 */
static void build_seed(char *buf, size_t cap, bool *is_batch)
{
	struct nlmsghdr *nlh;
	struct hp_op op;

	*is_batch = false;
	switch (below(10)) {
	case 0:
		hp_msg_start(buf, family, HAIRPIN_CMD_GET_CONFIG, NLM_F_ACK);
		return;
	case 1: {
		static const uint8_t dumps[] = {
			HAIRPIN_CMD_GET_MAP, HAIRPIN_CMD_GET_MAP,
			HAIRPIN_CMD_GET_MASQ, HAIRPIN_CMD_GET_BINDING,
		};

		hp_msg_start(buf, family, PICK(dumps), NLM_F_DUMP);
		return;
	}
	case 2:
	case 3: {
		/* A batch: usually small, sometimes a bulk load after a flush. */
		bool bulk = chance(3);
		size_t i, n = bulk ? 100 + below(500) : 1 + below(chance(20) ? 64 : 16);
		struct hp_op *ops = calloc(n, sizeof(*ops));
		struct hp_batch b;

		if (!ops)
			die("calloc");
		for (i = 0; i < n; i++) {
			rand_op(&ops[i], bulk);
			if (bulk && i == 0)
				ops[i].cmd = HAIRPIN_CMD_FLUSH_MAPS;
			else if (bulk && ops[i].cmd != HAIRPIN_CMD_SET_CONFIG) {
				if (ops[i].cmd == HAIRPIN_CMD_NEW_MASQ ||
				    ops[i].cmd == HAIRPIN_CMD_DEL_MASQ)
					rand_map(&ops[i].map, bulk);
				ops[i].cmd = chance(95) ? HAIRPIN_CMD_NEW_MAP :
					     HAIRPIN_CMD_REPLACE_MAP;
			}
			ops[i].map.has_to = true;
		}
		if (!hp_batch_build(&b, family, ops, n))
			die("building a batch");
		if (hp_batch_msg(&b)->nlmsg_len <= cap) {
			memcpy(buf, b.buf, hp_batch_msg(&b)->nlmsg_len);
			put_flags(buf, cap);
			*is_batch = true;
			st->batch_ops += n;
		} else {
			hp_msg_start(buf, family, HAIRPIN_CMD_FLUSH_MAPS, NLM_F_ACK);
		}
		hp_batch_free(&b);
		free(ops);
		return;
	}
	default:
		rand_op(&op, false);
		nlh = hp_msg_start(buf, family, op.cmd, NLM_F_ACK);
		hp_request_put(nlh, &op);
		put_flags(buf, cap);
	}
}

/* Churn: valid requests only, on a few ports mapped to one server. */

static void churn_map(struct hp_map *m, uint8_t cmd, uint16_t port)
{
	memset(m, 0, sizeof(*m));
	m->proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	if (churn.addr && chance(25) && !port) {
		m->has_addr = true;
		m->addr = churn.addr;
	}
	m->port = port ? port : (uint16_t)(churn.lo + below(churn.hi - churn.lo + 1u));
	m->port_max = m->port;
	if (cmd == HAIRPIN_CMD_DEL_MAP)
		return;
	m->has_to = true;
	m->to_addr = churn.to_addr;
	m->has_to_port = true;
	m->to_port = m->proto == IPPROTO_TCP ? churn.tcp_port : churn.udp_port;
	if (chance(20))
		rand_comment(m->comment, sizeof(m->comment));
}

static void churn_op(struct hp_op *op)
{
	unsigned int r = below(100);

	memset(op, 0, sizeof(*op));
	op->source = HP_UNSET;
	op->mode = HP_UNSET;
	if (r < 4) {
		op->cmd = HAIRPIN_CMD_SET_CONFIG;
		op->source = (int)below(HAIRPIN_SOURCE_MAX + 1);
		/* The router's own with -a: held, so used; else the server's,
		 * never held, so as lan.
		 */
		op->source_addr = churn.addr ? churn.addr : churn.to_addr;
		op->mode = chance(70) ? HAIRPIN_MODE_AUTO : HAIRPIN_MODE_ALWAYS;
		/* Scope all keeps the NAT lookups registered when the table
		 * empties: they come and go with it.
		 */
		if (chance(30)) {
			op->has_scope = true;
			op->scope = (uint8_t)below(HAIRPIN_SCOPE_MAX + 1);
		}
	} else if (r < 6) {
		/* masq on the WAN comes and goes: its bindings with it. */
		op->cmd = r < 5 ? HAIRPIN_CMD_NEW_MASQ : HAIRPIN_CMD_DEL_MASQ;
		snprintf(op->masq.ifname, sizeof(op->masq.ifname), "wan0");
		op->masq.filter = (int)below(HAIRPIN_FILTER_MAX + 1);
		/* Now and then to the public address, by name. */
		if (churn.addr && chance(30)) {
			op->masq.has_addr = true;
			op->masq.addr = churn.addr;
		}
	} else {
		op->cmd = r < 50 ? HAIRPIN_CMD_NEW_MAP : r < 75 ?
			  HAIRPIN_CMD_REPLACE_MAP : HAIRPIN_CMD_DEL_MAP;
		churn_map(&op->map, op->cmd, 0);
	}
}

static void build_churn(char *buf, bool *is_batch)
{
	unsigned int r = below(100);
	struct nlmsghdr *nlh;
	struct hp_op op;

	*is_batch = false;
	if (r < 3) {
		hp_msg_start(buf, family, HAIRPIN_CMD_GET_MAP, NLM_F_DUMP);
	} else if (r < 20) {
		/* A reload now and then: flush, the kept mappings, more. */
		bool reload = r < 6;
		struct hp_op ops[12];
		size_t i = 0, n = 2 + below(7) + (reload ? 3 : 0);
		struct hp_batch b;

		if (reload) {
			memset(ops, 0, 3 * sizeof(ops[0]));
			ops[0].cmd = HAIRPIN_CMD_FLUSH_MAPS;
			for (i = 1; i < 3; i++) {
				ops[i].cmd = HAIRPIN_CMD_NEW_MAP;
				churn_map(&ops[i].map, ops[i].cmd, churn.keep);
				ops[i].map.proto = i == 1 ? IPPROTO_TCP : IPPROTO_UDP;
				ops[i].map.to_port = i == 1 ? churn.tcp_port : churn.udp_port;
			}
		}
		for (; i < n; i++)
			churn_op(&ops[i]);
		if (!hp_batch_build(&b, family, ops, n))
			die("building a batch");
		memcpy(buf, b.buf, hp_batch_msg(&b)->nlmsg_len);
		hp_batch_free(&b);
		*is_batch = true;
		st->batch_ops += n;
	} else {
		churn_op(&op);
		nlh = hp_msg_start(buf, family, op.cmd, NLM_F_ACK);
		hp_request_put(nlh, &op);
	}
}

/* Random attributes */

static void rand_payload(uint8_t *p, size_t len)
{
	size_t i;

	switch (len) {
	case 1: {
		static const uint8_t v[] = { 0, 1, 2, 3, 6, 17, 255 };

		p[0] = chance(70) ? PICK(v) : (uint8_t)rnd();
		return;
	}
	case 2: {
		uint16_t v = chance(70) ? rand_port() : (uint16_t)rnd();

		memcpy(p, &v, 2);
		return;
	}
	case 4: {
		uint32_t v = chance(70) ? htonl(chance(50) ? PICK(ext_addrs) :
						PICK(int_addrs)) : (uint32_t)rnd();

		memcpy(p, &v, 4);
		return;
	}
	}
	if (chance(40)) {
		/* Text, NUL-terminated or not. */
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(' ' + below(95));
		if (len && chance(70))
			p[len - 1] = 0;
		return;
	}
	for (i = 0; i < len; i++)
		p[i] = chance(50) ? 0 : (uint8_t)rnd();
}

static size_t rand_len(void)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 63, 64, 65 };

	return chance(85) ? PICK(lens) : below(300);
}

/* Random messages stay small: a few kilobytes at most. */
#define RANDOM_MAX_LEN 8192

/* maxtype: the level's highest known type; types go a bit beyond. */
static void put_rand_attrs(struct nlmsghdr *nlh, unsigned int depth,
			   unsigned int maxtype, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count && nlh->nlmsg_len < RANDOM_MAX_LEN; i++) {
		uint16_t type;

		if (chance(85))
			type = (uint16_t)below(maxtype + 3);
		else if (chance(50))
			type = (uint16_t)below(32);
		else
			type = (uint16_t)rnd();
		if (chance(8))
			type |= NLA_F_NESTED;
		if (chance(4))
			type |= NLA_F_NET_BYTEORDER;

		/* Nests where the family has them, and sometimes anywhere. */
		if (depth < 4 && (chance(depth ? 8 : 15) ||
				  (depth == 0 && ((type & NLA_TYPE_MASK) == HAIRPIN_A_MAP ||
						  (type & NLA_TYPE_MASK) == HAIRPIN_A_OP) &&
				   chance(80)) ||
				  (depth == 1 && (type & NLA_TYPE_MASK) == HAIRPIN_OP_A_MAP &&
				   chance(60)))) {
			struct nlattr *nest = mnl_attr_nest_start(nlh, type & ~NLA_F_NESTED);
			unsigned int inner = (type & NLA_TYPE_MASK) == HAIRPIN_A_OP ?
					     HAIRPIN_OP_A_MAX : HAIRPIN_MAP_A_MAX;

			if (chance(90))
				nest->nla_type |= NLA_F_NESTED;
			put_rand_attrs(nlh, depth + 1, inner, below(7));
			mnl_attr_nest_end(nlh, nest);
		} else {
			uint8_t p[300];
			size_t len = rand_len();

			rand_payload(p, len);
			mnl_attr_put(nlh, type, len, p);
		}
	}
}

static uint8_t rand_cmd(void)
{
	if (chance(90))
		return (uint8_t)below(HAIRPIN_CMD_MAX + 1);
	return (uint8_t)(chance(50) ? HAIRPIN_CMD_MAX + 1 + below(4) : rnd());
}

static uint16_t rand_flags(void)
{
	uint16_t flags = chance(70) ? NLM_F_ACK : 0;

	if (chance(15))
		flags |= NLM_F_DUMP;
	if (chance(10))
		flags |= (uint16_t)(rnd() & 0x0f3e);	/* CREATE, EXCL, REPLACE... */
	if (chance(3))
		flags |= NLM_F_ECHO;
	return flags;
}

static void build_random(char *buf)
{
	struct nlmsghdr *nlh = hp_msg_start(buf, family, rand_cmd(), rand_flags());

	put_rand_attrs(nlh, 0, HAIRPIN_A_MAX, below(8));
}

/* Mutations */

/* Offsets of every attribute, nested ones included, as far as the bytes
 * parse as attributes: payloads that are not nests give false positives,
 * which do no harm to a mutator.
 */
static size_t collect(const char *base, size_t off, size_t end, uint32_t *offs,
		      size_t n, unsigned int depth)
{
	while (off + sizeof(struct nlattr) <= end && n < MAX_ATTRS) {
		const struct nlattr *a = (const struct nlattr *)(base + off);

		if (a->nla_len < sizeof(*a) || off + a->nla_len > end)
			break;
		offs[n++] = (uint32_t)off;
		if (depth < 6)
			n = collect(base, off + sizeof(*a), off + a->nla_len, offs, n,
				    depth + 1);
		off += MNL_ALIGN(a->nla_len);
	}
	return n;
}

/* Makes room for len bytes at off, and grows every attribute around it. */
static bool insert(char *buf, size_t cap, const uint32_t *offs, size_t n,
		   size_t off, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t i;

	if (nlh->nlmsg_len + len > cap)
		return false;
	memmove(buf + off + len, buf + off, nlh->nlmsg_len - off);
	nlh->nlmsg_len += (uint32_t)len;
	for (i = 0; i < n; i++) {
		struct nlattr *a = (struct nlattr *)(buf + offs[i]);

		if (offs[i] < off && offs[i] + a->nla_len >= off &&
		    a->nla_len + len <= UINT16_MAX)
			a->nla_len = (uint16_t)(a->nla_len + len);
	}
	return true;
}

/* Changes the message in buf (cap bytes) in one to three ways. */
static void mutate(char *buf, size_t cap)
{
	static uint32_t offs[MAX_ATTRS];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	size_t first = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*genl));
	unsigned int k, rounds = 1 + below(3);
	size_t n;

	for (k = 0; k < rounds; k++) {
		struct nlattr *a;

		n = collect(buf, first, nlh->nlmsg_len, offs, 0, 0);
		a = n ? (struct nlattr *)(buf + offs[below((uint32_t)n)]) : NULL;
		switch (below(13)) {
		case 0:		/* flip bytes */
		case 1: {
			unsigned int i, flips = 1 + below(4);

			for (i = 0; i < flips && nlh->nlmsg_len > first; i++)
				buf[first + below(nlh->nlmsg_len - (uint32_t)first)] ^=
					(char)(1 + below(255));
			break;
		}
		case 2:		/* an attribute's length */
			if (a) {
				static const uint16_t lens[] = { 0, 1, 3, 4, 5, 6, 8, 0xffff };

				a->nla_len = chance(50) ? PICK(lens) :
					     (uint16_t)(a->nla_len + (int)below(9) - 4);
			}
			break;
		case 3:		/* an attribute's type */
			if (a)
				a->nla_type = chance(50) ?
					      (uint16_t)((a->nla_type & ~NLA_TYPE_MASK) | below(16)) :
					      (uint16_t)rnd();
			break;
		case 4:		/* nested or not */
			if (a)
				a->nla_type ^= NLA_F_NESTED;
			break;
		case 5: {	/* duplicate an attribute in place */
			size_t off, len;

			if (!a || MNL_ALIGN(a->nla_len) > 65535 / 2)
				break;
			off = (size_t)((char *)a - buf);
			len = MNL_ALIGN(a->nla_len);
			if (off + len <= nlh->nlmsg_len &&
			    insert(buf, cap, offs, n, off + len, len))
				memcpy(buf + off + len, buf + off, len);
			break;
		}
		case 6: {	/* insert a random attribute, maybe in a nest */
			alignas(struct nlmsghdr) char tmp[4096];
			struct nlmsghdr *t = mnl_nlmsg_put_header(tmp);
			size_t off = nlh->nlmsg_len, len;

			put_rand_attrs(t, 1, HAIRPIN_MAP_A_MAX, 1);
			len = t->nlmsg_len - MNL_NLMSG_HDRLEN;
			if (a && chance(70) && a->nla_len >= sizeof(*a))
				off = (size_t)((char *)a - buf) + sizeof(*a);
			if (insert(buf, cap, offs, n, off, len))
				memcpy(buf + off, tmp + MNL_NLMSG_HDRLEN, len);
			break;
		}
		case 7:		/* cut the message short */
			if (nlh->nlmsg_len > MNL_NLMSG_HDRLEN)
				/* An earlier round may have cut it into the
				 * genetlink header: never count from past its end.
				 */
				nlh->nlmsg_len = (uint32_t)(chance(10) || nlh->nlmsg_len < first ?
					MNL_NLMSG_HDRLEN + below(sizeof(*genl) + 1) :
					first + below(nlh->nlmsg_len - (uint32_t)first + 1));
			break;
		case 8:		/* an unaligned tail */
			if (nlh->nlmsg_len + 4 <= cap) {
				unsigned int i, extra = 1 + below(3);

				for (i = 0; i < extra; i++)
					buf[nlh->nlmsg_len + i] = (char)rnd();
				nlh->nlmsg_len += extra;
			}
			break;
		case 9:		/* the command */
			genl->cmd = rand_cmd();
			break;
		case 10:	/* version and reserved */
			if (chance(50))
				genl->version = (uint8_t)rnd();
			else
				genl->reserved = (uint16_t)rnd();
			break;
		case 11:	/* flags */
			nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | rand_flags());
			break;
		case 12:	/* append random attributes */
			if (nlh->nlmsg_len + RANDOM_MAX_LEN + 4096 <= cap)
				put_rand_attrs(nlh, 0, HAIRPIN_A_MAX, 1 + below(3));
			break;
		}
	}
}

/* Sending */

static void send_buf(struct mnl_socket *s, const void *buf, size_t len,
		     unsigned int msgs)
{
	st->sends++;
	st->msgs += msgs;
	if (send(mnl_socket_get_fd(s), buf, len, 0) < 0)
		count_errno(st->send_errors, errno);
}

/* A dump on a socket of its own, read a little or not at all, and closed. */
static void dump_cut(char *buf)
{
	struct mnl_socket *s = sock_open(chance(50));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	st->dumps_cut++;
	send_buf(s, buf, nlh->nlmsg_len, 1);
	if (chance(70))
		drain(s, 1 + below(3));
	mnl_socket_close(s);
}

static bool out_of_time(double end)
{
	return end > 0 && now() >= end;
}

static void worker(unsigned int id, uint64_t seed, uint64_t quota, double end)
{
	alignas(struct nlmsghdr) static char buf[BUF_LEN + 16];
	struct mnl_socket *s[2] = { sock_open(true), sock_open(false) };
	struct mnl_socket *lazy = sock_open(true), *events = NULL;
	unsigned int lazy_uses = 0;
	double last = now();
	uint64_t i;

	rng = seed ? seed : 1;
	if (mcgrp) {
		events = sock_open(false);
		if (mnl_socket_setsockopt(events, NETLINK_ADD_MEMBERSHIP, &mcgrp,
					  sizeof(mcgrp)) < 0 && !unpriv)
			die("joining the multicast group");
	}

	for (i = 0; st->msgs < quota; i++) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		bool batch = false;
		unsigned int kind = below(100);

		if ((i & 63) == 0 && out_of_time(end)) {
			st->timed_out = true;
			break;
		}
		if (churn.on) {
			build_churn(buf, &batch);
			st->seeds++;
			st->batches += batch;
			nlh->nlmsg_seq = (uint32_t)i;
			if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
				st->dumps++;
			send_buf(s[i & 1], buf, nlh->nlmsg_len, 1);
			drain(s[i & 1], 0);
			continue;
		}
		if (kind < 30) {
			build_seed(buf, BUF_LEN, &batch);
			st->seeds++;
		} else if (kind < 75) {
			build_seed(buf, BUF_LEN, &batch);
			mutate(buf, BUF_LEN);
			st->mutated++;
		} else {
			build_random(buf);
			st->random++;
		}
		st->batches += batch;
		nlh->nlmsg_seq = (uint32_t)i;
		if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			st->dumps++;

		if (chance(2) && (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
			dump_cut(buf);
		} else if (chance(3)) {
			/* Never read: replies pile up, dumps stay half done. */
			st->lazy++;
			send_buf(lazy, buf, nlh->nlmsg_len, 1);
			if (++lazy_uses > 200) {
				mnl_socket_close(lazy);
				lazy = sock_open(true);
				lazy_uses = 0;
			}
		} else if (chance(3) && nlh->nlmsg_len < BUF_LEN / 2 && !unpriv) {
			/* Several messages in one send. */
			size_t len = MNL_ALIGN(nlh->nlmsg_len);
			unsigned int more = 1 + below(4);

			while (more--) {
				struct nlmsghdr *next = (struct nlmsghdr *)(buf + len);
				bool packed_batch;

				if (chance(50)) {
					build_random(buf + len);
				} else {
					build_seed(buf + len, BUF_LEN - len, &packed_batch);
					if (chance(70))
						mutate(buf + len, BUF_LEN - len);
				}
				next->nlmsg_seq = (uint32_t)i;
				len += MNL_ALIGN(next->nlmsg_len);
				st->msgs++;
				if (len > BUF_LEN / 2)
					break;
			}
			st->packed++;
			send_buf(s[i & 1], buf, len, 1);
			drain(s[i & 1], 0);
		} else {
			/* The length as the header says, or the whole buffer
			 * when a mutation cut it: the kernel must cope with
			 * what follows.
			 */
			size_t len = nlh->nlmsg_len;

			if (chance(2) && !unpriv)
				len += below(64);
			if (len > BUF_LEN)
				len = BUF_LEN;
			send_buf(s[i & 1], buf, len, 1);
			drain(s[i & 1], 0);
		}
		if (events && (i & 63) == 0 && chance(90))
			drain_events(events);
		if (!quiet && now() - last >= 30) {
			last = now();
			fprintf(stderr, "fuzz-nl[%u]: %" PRIu64 " messages\n", id, st->msgs);
		}
	}
	drain(s[0], 0);
	drain(s[1], 0);
	mnl_socket_close(s[0]);
	mnl_socket_close(s[1]);
	mnl_socket_close(lazy);
	if (events)
		mnl_socket_close(events);
}

/* After: the family still answers, and a dump lists what it counts. */

struct check {
	uint32_t mappings;
	bool has_mappings;
	uint64_t dumped;
	uint64_t mirrors;
};

static int config_attr_cb(const struct nlattr *attr, void *data)
{
	struct check *c = data;

	if (mnl_attr_get_type(attr) == HAIRPIN_A_MAPPINGS &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
		c->mappings = mnl_attr_get_u32(attr);
		c->has_mappings = true;
	}
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), config_attr_cb, data);
}

/* A mapping's flags, which a dump puts only when it has some, and only
 * those of requests that passed the mask.
 */
static bool dumped_flags(const struct nlattr *map, struct check *c)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, map) {
		uint32_t v;

		if (mnl_attr_get_type(a) != HAIRPIN_MAP_A_FLAGS)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
			fprintf(stderr, "fuzz-nl: a dumped mapping's flags are no u32\n");
			return false;
		}
		v = mnl_attr_get_u32(a);
		if (!v || v & ~(uint32_t)HAIRPIN_MAP_F_ALL) {
			fprintf(stderr, "fuzz-nl: a dumped mapping has flags %#x\n", v);
			return false;
		}
		c->mirrors += !!(v & HAIRPIN_MAP_F_MIRROR);
	}
	return true;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct check *c = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		struct hp_map m;

		if (mnl_attr_get_type(attr) != HAIRPIN_A_MAP)
			continue;
		if (!hp_map_parse(attr, &m)) {
			fprintf(stderr, "fuzz-nl: a dumped mapping does not parse\n");
			return MNL_CB_ERROR;
		}
		if (!dumped_flags(attr, c))
			return MNL_CB_ERROR;
		c->dumped++;
	}
	return MNL_CB_OK;
}

static bool talk(struct mnl_socket *s, uint8_t cmd, uint16_t flags,
		 mnl_cb_t cb, void *data)
{
	alignas(struct nlmsghdr) char buf[256];
	struct nlmsghdr *nlh = hp_msg_start(buf, family, cmd, flags);
	uint32_t portid = mnl_socket_get_portid(s);
	int ret;

	nlh->nlmsg_seq = 42;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return false;
	do {
		ssize_t n = mnl_socket_recvfrom(s, rbuf, RECV_LEN);

		if (n < 0)
			return false;
		ret = mnl_cb_run(rbuf, (size_t)n, 42, portid, cb, data);
	} while (ret > 0);
	return ret == MNL_CB_STOP;
}

static bool check_table(void)
{
	struct mnl_socket *s = sock_open(false);
	struct check c = { 0 };
	bool ok = true;

	if (!talk(s, HAIRPIN_CMD_GET_CONFIG, NLM_F_ACK, config_cb, &c) || !c.has_mappings) {
		fprintf(stderr, "fuzz-nl: GET_CONFIG fails after fuzzing: %s\n", strerror(errno));
		ok = false;
	} else if (!talk(s, HAIRPIN_CMD_GET_MAP, NLM_F_DUMP, dump_cb, &c)) {
		fprintf(stderr, "fuzz-nl: the dump fails after fuzzing: %s\n", strerror(errno));
		ok = false;
	} else if (c.dumped != c.mappings) {
		fprintf(stderr, "fuzz-nl: %u mappings counted, %" PRIu64 " dumped\n",
			c.mappings, c.dumped);
		ok = false;
	} else {
		printf("fuzz-nl: afterwards: %u mappings (%" PRIu64 " mirrors), all dumped\n",
		       c.mappings, c.mirrors);
	}
	mnl_socket_close(s);
	return ok;
}

static void print_hist(const char *what, const uint64_t *hist)
{
	int e;

	printf("fuzz-nl: %s:", what);
	for (e = 0; e < MAX_ERRNO; e++) {
		const char *name = e ? strerrorname_np(e) : "ok";

		if (hist[e])
			printf(" %s=%" PRIu64, name ? name : "?", hist[e]);
	}
	printf("\n");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fuzz-nl [-n MESSAGES] [-t SECONDS] [-s SEED] [-j WORKERS] [-u] [-q]\n"
		"  -n  messages to send in all (default 10000)\n"
		"  -t  stop after this many seconds even if fewer were sent (default: none)\n"
		"  -s  seed (default: from the clock); worker i uses SEED + i\n"
		"  -j  processes sending at the same time, in this namespace (default 1)\n"
		"  -u  drop to uid 65534 first: every request must fail\n"
		"  -q  no progress lines\n"
		"  -C  churn: valid changes only, to mappings of the ports -p to ADDR\n"
		"      on the ports -P (TCP,UDP); -a an external address for some;\n"
		"      flushes add the mappings of port -k again at once\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	uint64_t messages = 10000, seed = 0, sum[MAX_ERRNO] = { 0 }, sends[MAX_ERRNO] = { 0 };
	struct stats *all, tot = { 0 };
	unsigned int workers = 1, w;
	double seconds = 0, start, end = 0, took;
	bool ok = true;
	int opt, e;

	while ((opt = getopt(argc, argv, "n:t:s:j:uqC:p:P:a:k:h")) != -1) {
		struct in_addr in;
		unsigned int a, b;

		switch (opt) {
		case 'n':
			messages = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			workers = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'u':
			unpriv = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'C':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				usage();
			churn.on = true;
			churn.to_addr = in.s_addr;
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				usage();
			churn.addr = in.s_addr;
			break;
		case 'p':
			if (sscanf(optarg, "%u-%u", &a, &b) != 2 || !a || a > b || b > 65535)
				usage();
			churn.lo = (uint16_t)a;
			churn.hi = (uint16_t)b;
			break;
		case 'k':
			if (sscanf(optarg, "%u", &a) != 1 || !a || a > 65535)
				usage();
			churn.keep = (uint16_t)a;
			break;
		case 'P':
			if (sscanf(optarg, "%u,%u", &a, &b) != 2 || !a || !b || a > 65535 ||
			    b > 65535)
				usage();
			churn.tcp_port = (uint16_t)a;
			churn.udp_port = (uint16_t)b;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !workers || workers > MAX_WORKERS ||
	    (churn.on && (!churn.lo || !churn.tcp_port || !churn.keep ||
			  (churn.keep >= churn.lo && churn.keep <= churn.hi))))
		usage();
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	setvbuf(stdout, NULL, _IOLBF, 0);

	rbuf = malloc(RECV_LEN);
	all = mmap(NULL, sizeof(*all) * workers, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!rbuf || all == MAP_FAILED)
		die("memory");
	/* The family is resolved with privileges: the controller answers anyone. */
	if (!resolve_family()) {
		fprintf(stderr, "fuzz-nl: no generic netlink family '%s': is the module loaded?\n",
			HAIRPIN_GENL_NAME);
		return 1;
	}
	if (unpriv && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
		die("dropping privileges");

	printf("fuzz-nl: seed %" PRIu64 ", %" PRIu64 " messages, %u worker%s%s%s, family %u\n",
	       seed, messages, workers, workers > 1 ? "s" : "",
	       unpriv ? ", without CAP_NET_ADMIN" : "", churn.on ? ", churning" : "",
	       family);
	start = now();
	if (seconds > 0)
		end = start + seconds;
	for (w = 0; w < workers; w++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			st = &all[w];
			worker(w, seed + w, messages / workers + (w < messages % workers),
			       end);
			_exit(0);
		}
	}
	for (w = 0; w < workers; w++) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0) {
			fprintf(stderr, "fuzz-nl: wait: %s\n", strerror(errno));
			ok = false;
		} else if (WIFSIGNALED(status)) {
			fprintf(stderr, "fuzz-nl: worker %d killed by signal %d (%s)\n",
				(int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
			ok = false;
		} else if (WEXITSTATUS(status)) {
			fprintf(stderr, "fuzz-nl: worker %d exited with %d\n",
				(int)pid, WEXITSTATUS(status));
			ok = false;
		}
	}
	took = now() - start;

	for (w = 0; w < workers; w++) {
		const struct stats *s = &all[w];

		tot.msgs += s->msgs;
		tot.sends += s->sends;
		tot.seeds += s->seeds;
		tot.mutated += s->mutated;
		tot.random += s->random;
		tot.batches += s->batches;
		tot.batch_ops += s->batch_ops;
		tot.dumps += s->dumps;
		tot.dumps_cut += s->dumps_cut;
		tot.lazy += s->lazy;
		tot.packed += s->packed;
		tot.dump_done += s->dump_done;
		tot.dump_intr += s->dump_intr;
		tot.data += s->data;
		tot.events += s->events;
		tot.overruns += s->overruns;
		tot.unexpected += s->unexpected;
		tot.unpriv_ok += s->unpriv_ok;
		tot.timed_out |= s->timed_out;
		for (e = 0; e < MAX_ERRNO; e++) {
			sum[e] += s->answers[e];
			sends[e] += s->send_errors[e];
		}
	}
	printf("fuzz-nl: sent %" PRIu64 " messages in %.1fs (%.0f/s), %" PRIu64 " sends%s\n",
	       tot.msgs, took, took > 0 ? (double)tot.msgs / took : 0.0, tot.sends,
	       tot.timed_out ? ", stopped by the time limit" : "");
	printf("fuzz-nl: %" PRIu64 " seeds, %" PRIu64 " mutated, %" PRIu64 " random, "
	       "%" PRIu64 " batches of %" PRIu64 " ops, %" PRIu64 " dumps (%" PRIu64
	       " cut short), %" PRIu64 " never read, %" PRIu64 " packed sends\n",
	       tot.seeds, tot.mutated, tot.random, tot.batches, tot.batch_ops,
	       tot.dumps, tot.dumps_cut, tot.lazy, tot.packed);
	printf("fuzz-nl: %" PRIu64 " dumps done (%" PRIu64 " interrupted), %" PRIu64
	       " data messages, %" PRIu64 " events, %" PRIu64 " overruns\n",
	       tot.dump_done, tot.dump_intr, tot.data, tot.events, tot.overruns);
	print_hist("answers", sum);
	print_hist("send errors", sends);
	if (tot.unexpected) {
		printf("fuzz-nl: %" PRIu64 " answers made no sense\n", tot.unexpected);
		ok = false;
	}
	if (unpriv && tot.unpriv_ok) {
		printf("fuzz-nl: %" PRIu64 " requests succeeded without CAP_NET_ADMIN\n",
		       tot.unpriv_ok);
		ok = false;
	}
	if (!unpriv && !check_table())
		ok = false;
	printf("fuzz-nl: messages=%" PRIu64 " seconds=%.1f result=%s\n",
	       tot.msgs, took, ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

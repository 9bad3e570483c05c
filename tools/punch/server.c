// SPDX-License-Identifier: GPL-2.0
/*
 * punch server: the rendezvous server S, on one UDP and one TCP port.
 *
 * The protocol is lines of ASCII words separated by single spaces: over
 * UDP a request or an answer is one datagram (its "\n" optional), over
 * TCP a line ending in "\n", several per connection. Endpoints are IPv4
 * ADDR:PORT; a NAME is 1 to 32 letters, digits, '.', '_' or '-'.
 *
 *   register NAME PRIVATE    ->  registered NAME PUBLIC
 *	NAME's private endpoint is PRIVATE, the address and port it sent
 *	from as it sees them; PUBLIC is where its request came from as S
 *	sees it: after any NAT. A registration replaces NAME's last one.
 *   lookup NAME              ->  peer NAME PUBLIC PRIVATE
 *                            ->  unknown NAME
 *   unregister NAME          ->  unregistered NAME
 *	From the endpoint that registered it only. A TCP registration also
 *	ends with the connection that made it.
 *   anything else            ->  error TEXT
 *
 * UDP and TCP keep apart tables: a lookup answers with registrations made
 * over the transport it came by, since a NAT maps the two apart. UDP
 * registrations are forgotten REG_TTL seconds after they were made, and
 * when the table is full the oldest goes first.
 *
 * Between peers, not through S, the same kind of lines: "punch from NAME
 * to PEERNAME" until one gets through, then "hello from NAME" each way.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto.h"
#include "punch.h"

#define REG_MAX		1024
#define REG_TTL		600
#define CLIENT_MAX	128
#define EXPECTED	"error expected: register NAME ADDR:PORT, lookup NAME or unregister NAME"

struct reg {
	bool used;
	int proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	int client;		/* TCP: the index of the connection, else -1 */
	int64_t when;
	char name[PUNCH_NAME_MAX + 1];
	struct sockaddr_in pub, priv;
};

struct client {
	int fd;			/* -1: free */
	struct sockaddr_in from;
	size_t len;
	char buf[PUNCH_LINE_MAX];
};

static struct reg regs[REG_MAX];
static struct client clients[CLIENT_MAX];

static const char *proto_name(int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : "udp";
}

static struct reg *reg_find(int proto, const char *name)
{
	int64_t now = now_ms();
	size_t i;

	for (i = 0; i < REG_MAX; i++) {
		struct reg *r = &regs[i];

		if (r->used && r->proto == IPPROTO_UDP &&
		    now - r->when > REG_TTL * 1000)
			r->used = false;
		if (r->used && r->proto == proto && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

static struct reg *reg_slot(void)
{
	struct reg *oldest = &regs[0];
	size_t i;

	for (i = 0; i < REG_MAX; i++) {
		if (!regs[i].used)
			return &regs[i];
		if (regs[i].when < oldest->when)
			oldest = &regs[i];
	}
	pr_verbose("table full: forgetting %s %s", proto_name(oldest->proto),
		   oldest->name);
	return oldest;
}

/* Answers one request line into reply. */
static void handle(int proto, int client, const struct sockaddr_in *from,
		   char *line, char *reply, size_t size)
{
	char *w[PUNCH_WORDS_MAX], a[EP_STRLEN], b[EP_STRLEN];
	struct sockaddr_in priv;
	struct reg *r;
	int n = split_words(line, w, PUNCH_WORDS_MAX);

	if (n < 2 || !name_ok(w[1])) {
		snprintf(reply, size, EXPECTED);
		return;
	}
	r = reg_find(proto, w[1]);
	if (!strcmp(w[0], "register") && n == 3) {
		if (!ep_parse(w[2], &priv)) {
			snprintf(reply, size, "error bad endpoint %s", w[2]);
			return;
		}
		if (!r)
			r = reg_slot();
		*r = (struct reg){ .used = true, .proto = proto,
				   .client = client, .when = now_ms(),
				   .pub = *from, .priv = priv };
		strcpy(r->name, w[1]);
		snprintf(reply, size, "registered %s %s", r->name,
			 ep_str(&r->pub, a));
	} else if (!strcmp(w[0], "lookup") && n == 2) {
		if (r)
			snprintf(reply, size, "peer %s %s %s", r->name,
				 ep_str(&r->pub, a), ep_str(&r->priv, b));
		else
			snprintf(reply, size, "unknown %s", w[1]);
	} else if (!strcmp(w[0], "unregister") && n == 2) {
		if (r && !ep_equal(&r->pub, from)) {
			snprintf(reply, size, "error %s was registered from %s",
				 r->name, ep_str(&r->pub, a));
			return;
		}
		if (r)
			r->used = false;
		snprintf(reply, size, "unregistered %s", w[1]);
	} else {
		snprintf(reply, size, EXPECTED);
	}
}

/* Answers from the address the request came to: on a multihomed S, the
 * route back to a peer may prefer another source address, and a NAT
 * would not let that answer through to the peer.
 */
static void serve_udp(int fd)
{
	char line[PUNCH_LINE_MAX], copy[PUNCH_LINE_MAX], reply[PUNCH_LINE_MAX];
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))], ep[EP_STRLEN];
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = line, .iov_len = sizeof(line) - 1 };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct in_pktinfo *pi = NULL;
	struct cmsghdr *cm;
	ssize_t n;

	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0 || from.sin_family != AF_INET)
		return;
	line[n] = '\0';
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			pi = (struct in_pktinfo *)CMSG_DATA(cm);
	strcpy(copy, line);
	handle(IPPROTO_UDP, -1, &from, line, reply, sizeof(reply));
	copy[strcspn(copy, "\r\n")] = '\0';
	pr_verbose("udp %s: %s: %s", ep_str(&from, ep), copy, reply);

	iov.iov_base = reply;
	iov.iov_len = strlen(reply);
	mh.msg_namelen = sizeof(from);
	mh.msg_flags = 0;
	if (pi) {
		struct in_addr to = pi->ipi_addr;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		pi = (struct in_pktinfo *)CMSG_DATA(cm);
		pi->ipi_spec_dst = to;
	} else {
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
	}
	if (sendmsg(fd, &mh, 0) < 0)
		pr_errno("udp %s: sendmsg", ep_str(&from, ep));
}

static void client_close(int i, const char *why)
{
	char ep[EP_STRLEN];
	size_t j;

	pr_verbose("tcp %s: %s", ep_str(&clients[i].from, ep), why);
	for (j = 0; j < REG_MAX; j++)
		if (regs[j].used && regs[j].client == i) {
			pr_verbose("tcp: forgetting %s", regs[j].name);
			regs[j].used = false;
		}
	close(clients[i].fd);
	clients[i].fd = -1;
}

static void serve_accept(int lfd)
{
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	char ep[EP_STRLEN];
	int fd, i;

	fd = accept4(lfd, (struct sockaddr *)&from, &alen, SOCK_NONBLOCK);
	if (fd < 0)
		return;
	for (i = 0; i < CLIENT_MAX; i++)
		if (clients[i].fd < 0)
			break;
	if (i == CLIENT_MAX || from.sin_family != AF_INET) {
		pr_verbose("tcp %s: refused, %d connections already",
			   ep_str(&from, ep), CLIENT_MAX);
		close(fd);
		return;
	}
	clients[i] = (struct client){ .fd = fd, .from = from };
	pr_verbose("tcp %s: connected", ep_str(&from, ep));
}

static void serve_client(int i)
{
	struct client *c = &clients[i];
	char reply[PUNCH_LINE_MAX + 1], ep[EP_STRLEN];
	char *nl;
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	if (n <= 0) {
		if (n < 0 && errno == EAGAIN)
			return;
		client_close(i, n ? strerror(errno) : "closed");
		return;
	}
	c->len += n;
	c->buf[c->len] = '\0';
	while ((nl = strchr(c->buf, '\n'))) {
		char line[PUNCH_LINE_MAX];
		size_t len = nl - c->buf + 1;

		memcpy(line, c->buf, len);
		line[len] = '\0';
		memmove(c->buf, nl + 1, c->len - len + 1);
		c->len -= len;
		pr_verbose("tcp %s: %.*s", ep_str(&c->from, ep),
			   (int)strcspn(line, "\r\n"), line);
		handle(IPPROTO_TCP, i, &c->from, line, reply, sizeof(reply) - 1);
		pr_verbose("tcp %s: -> %s", ep_str(&c->from, ep), reply);
		strcat(reply, "\n");
		if (send(c->fd, reply, strlen(reply), MSG_NOSIGNAL) !=
		    (ssize_t)strlen(reply)) {
			client_close(i, "cannot send the answer");
			return;
		}
	}
	if (c->len == sizeof(c->buf) - 1)
		client_close(i, "line too long");
}

static int listen_on(int type, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	const char *what = type == SOCK_STREAM ? "tcp" : "udp";
	int one = 1, fd;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		pr_errno("%s socket", what);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (type == SOCK_DGRAM)
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (type == SOCK_STREAM && listen(fd, 64))) {
		pr_errno("%s port %u", what, port);
		close(fd);
		return -1;
	}
	return fd;
}

int server_main(int argc, char *argv[])
{
	uint16_t port = PUNCH_PORT;
	int ufd, tfd, opt, i;

	while ((opt = getopt(argc, argv, "+vp:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'p':
			if (!parse_port(optarg, &port, false, "port"))
				return EXIT_USAGE;
			break;
		default:
			fprintf(stderr, "Usage: " PROG_NAME " server [-v] [-p PORT]\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		pr_err("server: unexpected \"%s\"", argv[optind]);
		return EXIT_USAGE;
	}
	ufd = listen_on(SOCK_DGRAM, port);
	tfd = ufd < 0 ? -1 : listen_on(SOCK_STREAM, port);
	if (tfd < 0)
		return EXIT_FAIL;
	for (i = 0; i < CLIENT_MAX; i++)
		clients[i].fd = -1;
	pr_verbose("server on udp and tcp port %u", port);

	for (;;) {
		struct pollfd pfd[2 + CLIENT_MAX];
		int map[2 + CLIENT_MAX], n = 2;

		pfd[0] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = tfd, .events = POLLIN };
		for (i = 0; i < CLIENT_MAX; i++)
			if (clients[i].fd >= 0) {
				pfd[n] = (struct pollfd){ .fd = clients[i].fd,
							  .events = POLLIN };
				map[n++] = i;
			}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_errno("poll");
			return EXIT_FAIL;
		}
		if (pfd[0].revents)
			serve_udp(ufd);
		if (pfd[1].revents)
			serve_accept(tfd);
		for (i = 2; i < n; i++)
			if (pfd[i].revents)
				serve_client(map[i]);
	}
}

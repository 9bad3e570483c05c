// SPDX-License-Identifier: GPL-2.0
/*
 * UDP hole punching: one socket, on one local port, for the server and
 * the other peer, so that the NAT's mapping S saw is the one the other
 * peer is told to send to. Register, look PEERNAME up until it has
 * registered, then send punches to both of its endpoints every
 * PUNCH_INTERVAL until a line from it gets through; each side answers
 * what it hears with "hello", and a hello heard ends it.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"
#include "proto.h"
#include "punch.h"

/* After a hello has been heard: answer punches a little longer, in case
 * our own hello was lost.
 */
#define LINGER		(2 * PUNCH_INTERVAL)

enum phase { REGISTER, LOOKUP, PUNCH, DONE };

struct udp {
	struct peer *p;
	int fd;
	enum phase phase;
	int64_t next;		/* the next send of this phase */
	int64_t next_lookup;	/* while punching */
	int64_t punch_start;
	bool opened;		/* OPEN_TIME is over */
	int64_t linger_end;
	/* A hello that came before S told us where PEERNAME is: we finish
	 * when it has, to say which of its endpoints that was.
	 */
	bool early_hello;
	struct sockaddr_in early_from;
	bool unknown_said;
};

static void send_line(struct udp *u, const struct sockaddr_in *to,
		      const char *line, int len)
{
	char ep[EP_STRLEN];

	if (sendto(u->fd, line, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		pr_verbose("sendto %s: %s", ep_str(to, ep), strerror(errno));
}

static void send_hello(struct udp *u, const struct sockaddr_in *to)
{
	char line[PUNCH_LINE_MAX];

	send_line(u, to, line, fmt_hello(u->p, line, sizeof(line)));
}

/* The address this host sends to the server from: our private endpoint. */
static bool local_addr(struct peer *p)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char ep[EP_STRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&p->server, sizeof(p->server)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		pr_errno("no route to the server %s", ep_str(&p->server, ep));
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	p->priv.sin_family = AF_INET;
	p->priv.sin_addr = sin.sin_addr;
	return true;
}

static int udp_open(struct peer *p)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(p->port) };
	socklen_t len = sizeof(sin);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		pr_errno("udp socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		pr_errno("udp local port %u", p->port);
		close(fd);
		return -1;
	}
	p->port = ntohs(sin.sin_port);
	p->priv.sin_port = sin.sin_port;
	return fd;
}

/* Sends what the phase sends, when its time comes. */
static void tick(struct udp *u, int64_t now)
{
	struct peer *p = u->p;
	char line[PUNCH_LINE_MAX];
	bool low;
	int len;

	if (u->phase == PUNCH && now >= u->next_lookup) {
		send_line(u, &p->server, line, fmt_lookup(p, line, sizeof(line)));
		u->next_lookup = now + RELOOKUP;
	}
	if (now < u->next || u->phase == DONE)
		return;
	switch (u->phase) {
	case REGISTER:
		len = fmt_register(p, line, sizeof(line));
		send_line(u, &p->server, line, len);
		u->next = now + 2 * PUNCH_INTERVAL;
		break;
	case LOOKUP:
		send_line(u, &p->server, line, fmt_lookup(p, line, sizeof(line)));
		u->next = now + PUNCH_INTERVAL;
		break;
	case PUNCH:
		low = p->open_ttl && now < u->punch_start + OPEN_TIME;
		if (!low && !u->opened && p->open_ttl)
			pr_verbose("punching with the default TTL");
		u->opened = !low;
		if (low && !set_ttl(u->fd, p->open_ttl))
			low = false;
		len = fmt_punch(p, line, sizeof(line));
		send_line(u, &p->peer_pub, line, len);
		if (!ep_equal(&p->peer_pub, &p->peer_priv))
			send_line(u, &p->peer_priv, line, len);
		if (low)
			set_ttl(u->fd, 0);
		u->next = now + PUNCH_INTERVAL;
		break;
	case DONE:
		break;
	}
}

static void done(struct udp *u, const struct sockaddr_in *from, int64_t now)
{
	u->phase = DONE;
	u->linger_end = now + LINGER;
	print_connected(u->p, from, "udp");
}

static bool from_server(struct udp *u, char *line, int64_t now)
{
	struct peer *p = u->p;
	struct sockaddr_in old_pub = p->peer_pub, old_priv = p->peer_priv;
	char a[EP_STRLEN], b[EP_STRLEN], c[EP_STRLEN];

	switch (read_answer(p, line)) {
	case ANSWER_ERROR:
		return false;
	case ANSWER_REGISTERED:
		if (u->phase != REGISTER)
			break;
		pr_verbose("registered with %s as %s, private %s",
			   ep_str(&p->server, a), ep_str(&p->pub, b),
			   ep_str(&p->priv, c));
		u->phase = LOOKUP;
		u->next = now;
		break;
	case ANSWER_UNKNOWN:
		if (u->phase == LOOKUP && !u->unknown_said) {
			pr_verbose("%s has not registered yet: asking again every %d ms",
				   p->peer_name, PUNCH_INTERVAL);
			u->unknown_said = true;
		}
		break;
	case ANSWER_PEER:
		if (u->phase == LOOKUP && u->early_hello) {
			done(u, &u->early_from, now);
		} else if (u->phase == LOOKUP) {
			pr_verbose("%s is at %s (public) and %s (private): punching",
				   p->peer_name, ep_str(&p->peer_pub, a),
				   ep_str(&p->peer_priv, b));
			if (p->open_ttl)
				pr_verbose("TTL %u for %d ms: opening our NAT",
					   p->open_ttl, OPEN_TIME);
			u->phase = PUNCH;
			u->next = now;
			u->next_lookup = now + RELOOKUP;
			u->punch_start = now;
		} else if (!ep_equal(&old_pub, &p->peer_pub) ||
			   !ep_equal(&old_priv, &p->peer_priv)) {
			pr_verbose("%s registered again, now at %s (public) and %s (private)",
				   p->peer_name, ep_str(&p->peer_pub, a),
				   ep_str(&p->peer_priv, b));
		}
		break;
	case ANSWER_NONE:
		break;
	}
	return true;
}

static void from_peer(struct udp *u, const struct sockaddr_in *from,
		      char *line, int64_t now)
{
	struct peer *p = u->p;
	char ep[EP_STRLEN];

	switch (read_peer_msg(p, line)) {
	case MSG_PUNCH:
		pr_verbose("punch from %s at %s (%s): saying hello",
			   p->peer_name, ep_str(from, ep), which_endpoint(p, from));
		send_hello(u, from);
		break;
	case MSG_HELLO:
		if (u->phase == DONE)
			break;
		pr_verbose("hello from %s at %s (%s)", p->peer_name,
			   ep_str(from, ep), which_endpoint(p, from));
		send_hello(u, from);
		if (p->have_peer) {
			done(u, from, now);
		} else if (!u->early_hello) {
			u->early_hello = true;
			u->early_from = *from;
			u->next = now;
		}
		break;
	case MSG_NONE:
		pr_verbose("ignoring a datagram from %s", ep_str(from, ep));
		break;
	}
}

static void receive(struct udp *u, int64_t now, bool *failed)
{
	char line[PUNCH_LINE_MAX];
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	ssize_t n;

	n = recvfrom(u->fd, line, sizeof(line) - 1, MSG_DONTWAIT,
		     (struct sockaddr *)&from, &alen);
	if (n < 0 || from.sin_family != AF_INET)
		return;
	line[n] = '\0';
	if (ep_equal(&from, &u->p->server))
		*failed = !from_server(u, line, now);
	else
		from_peer(u, &from, line, now);
}

static void unregister(struct udp *u)
{
	char line[PUNCH_LINE_MAX];

	if (u->phase != REGISTER)
		send_line(u, &u->p->server, line,
			  fmt_unregister(u->p, line, sizeof(line)));
}

static void say_timeout(struct udp *u)
{
	struct peer *p = u->p;
	char ep[EP_STRLEN];

	switch (u->phase) {
	case REGISTER:
		pr_err("no answer from the server %s over udp in %u s",
		       ep_str(&p->server, ep), p->wait);
		break;
	case LOOKUP:
		pr_err("%s did not register with the server in %u s",
		       p->peer_name, p->wait);
		break;
	default:
		print_punch_timeout(p, "udp");
		break;
	}
}

int udp_punch(struct peer *p)
{
	struct udp u = { .p = p, .phase = REGISTER };
	bool failed = false;
	char ep[EP_STRLEN];

	if (!local_addr(p))
		return EXIT_FAIL;
	u.fd = udp_open(p);
	if (u.fd < 0)
		return EXIT_FAIL;
	pr_verbose("udp port %u, registering with %s", p->port,
		   ep_str(&p->server, ep));
	u.next = now_ms();
	for (;;) {
		int64_t now = now_ms(), until;
		struct pollfd pfd = { .fd = u.fd, .events = POLLIN };

		if (u.phase == DONE && now >= u.linger_end)
			break;
		if (u.phase != DONE && now >= p->deadline) {
			say_timeout(&u);
			unregister(&u);
			close(u.fd);
			return EXIT_FAIL;
		}
		tick(&u, now);
		until = u.phase == DONE ? u.linger_end : p->deadline;
		if (u.phase != DONE && u.next < until)
			until = u.next;
		if (u.phase == PUNCH && u.next_lookup < until)
			until = u.next_lookup;
		if (poll(&pfd, 1, until > now ? (int)(until - now) : 0) < 0 &&
		    errno != EINTR) {
			pr_errno("poll");
			break;
		}
		if (pfd.revents & POLLIN)
			receive(&u, now_ms(), &failed);
		if (failed)
			break;
	}
	unregister(&u);
	close(u.fd);
	return u.phase == DONE ? EXIT_OK : EXIT_FAIL;
}

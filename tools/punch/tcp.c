// SPDX-License-Identifier: GPL-2.0
/*
 * TCP hole punching, as in seed 003: every socket, the connection to the
 * server included, is bound to the one local port (SO_REUSEADDR and
 * SO_REUSEPORT), so that the mapping the server saw is the one the other
 * peer connects to. A listener on that port, and connect() from it to both
 * of PEERNAME's endpoints, again and again: when both SYNs cross, the
 * connects meet (a simultaneous open); when one side's SYN comes after the
 * other's got through its own NAT, the listener takes it. The first
 * connection over which PEERNAME's hello comes wins.
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

/* How long a connect() may go unanswered before it is made anew: sooner
 * than the kernel's own retransmission of the SYN, after 1, 3, 7 s.
 */
#define ATTEMPT_TIMEOUT	1000
#define CONN_MAX	4

struct attempt {
	const char *kind;	/* "public" or "private" */
	struct sockaddr_in to;
	int fd;			/* -1: none under way */
	int64_t started, retry_at;
	int last_err;		/* to say each new error once */
	bool low;		/* fd has the small TTL */
};

struct conn {
	int fd;			/* -1: free */
	struct sockaddr_in at;
	size_t len;
	char buf[PUNCH_LINE_MAX];
};

struct tcp {
	struct peer *p;
	int lfd, sfd;
	size_t slen;
	char sbuf[PUNCH_LINE_MAX];
	struct attempt att[2];
	int natt;
	struct conn conns[CONN_MAX];
	int nconns;
	int64_t punch_start;
	bool opened;		/* OPEN_TIME is over */
};

/* A non-blocking socket on our port, connect() under way (or done); ttl
 * 0 is the default.
 */
static int connect_from(struct peer *p, const struct sockaddr_in *to,
			unsigned int ttl)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(p->port) };
	int fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (!set_reuse(fd) || (ttl && !set_ttl(fd, ttl)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (connect(fd, (const struct sockaddr *)to, sizeof(*to)) &&
	     errno != EINPROGRESS)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int sock_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

static int remaining(const struct peer *p)
{
	int64_t left = p->deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/* Connects to the server from our port, again while it refuses. */
static bool server_connect(struct tcp *t)
{
	struct peer *p = t->p;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char ep[EP_STRLEN];
	int err;

	for (;;) {
		struct pollfd pfd = { .events = POLLOUT };

		t->sfd = connect_from(p, &p->server, 0);
		err = errno;
		if (t->sfd >= 0) {
			pfd.fd = t->sfd;
			if (poll(&pfd, 1, remaining(p)) == 1)
				err = sock_error(t->sfd);
			else
				err = ETIMEDOUT;
			if (!err)
				break;
			close(t->sfd);
		}
		if ((err != ECONNREFUSED && err != ETIMEDOUT) ||
		    remaining(p) <= PUNCH_INTERVAL) {
			errno = err;
			pr_errno("cannot connect to the server %s over tcp from port %u",
				 ep_str(&p->server, ep), p->port);
			return false;
		}
		pr_verbose("server %s: %s, again", ep_str(&p->server, ep),
			   strerror(err));
		usleep(PUNCH_INTERVAL * 1000);
	}
	if (getsockname(t->sfd, (struct sockaddr *)&sin, &len)) {
		pr_errno("getsockname");
		return false;
	}
	p->priv = sin;
	return true;
}

/* Sends a request to the server and reads its answer. */
static enum answer server_ask(struct tcp *t, const char *line, int len)
{
	struct peer *p = t->p;
	char ep[EP_STRLEN];

	if (send(t->sfd, line, len, MSG_NOSIGNAL) != len) {
		pr_errno("server %s", ep_str(&p->server, ep));
		return ANSWER_ERROR;
	}
	for (;;) {
		struct pollfd pfd = { .fd = t->sfd, .events = POLLIN };
		char *nl = memchr(t->sbuf, '\n', t->slen);
		ssize_t n;

		if (nl) {
			char answer[PUNCH_LINE_MAX];
			size_t alen = nl - t->sbuf + 1;
			enum answer a;

			memcpy(answer, t->sbuf, alen);
			answer[alen] = '\0';
			memmove(t->sbuf, nl + 1, t->slen - alen);
			t->slen -= alen;
			a = read_answer(p, answer);
			if (a != ANSWER_NONE)
				return a;
			continue;
		}
		if (t->slen == sizeof(t->sbuf) - 1 ||
		    poll(&pfd, 1, remaining(p)) != 1)
			break;
		n = recv(t->sfd, t->sbuf + t->slen, sizeof(t->sbuf) - 1 - t->slen, 0);
		if (n <= 0) {
			if (n < 0 && errno == EAGAIN)
				continue;
			pr_err("server %s: %s", ep_str(&p->server, ep),
			       n ? strerror(errno) : "connection closed");
			return ANSWER_ERROR;
		}
		t->slen += n;
	}
	pr_err("no answer from the server %s over tcp in %u s",
	       ep_str(&p->server, ep), p->wait);
	return ANSWER_ERROR;
}

static bool server_dialog(struct tcp *t)
{
	struct peer *p = t->p;
	char line[PUNCH_LINE_MAX], a[EP_STRLEN], b[EP_STRLEN], c[EP_STRLEN];
	bool said = false;
	enum answer ans;

	pr_verbose("tcp port %u, registering with %s", p->port,
		   ep_str(&p->server, a));
	ans = server_ask(t, line, fmt_register(p, line, sizeof(line)));
	if (ans != ANSWER_REGISTERED) {
		if (ans != ANSWER_ERROR)
			pr_err("server: unexpected answer to register");
		return false;
	}
	pr_verbose("registered with %s as %s, private %s",
		   ep_str(&p->server, a), ep_str(&p->pub, b), ep_str(&p->priv, c));
	for (;;) {
		ans = server_ask(t, line, fmt_lookup(p, line, sizeof(line)));
		if (ans == ANSWER_PEER)
			break;
		if (ans != ANSWER_UNKNOWN)
			return false;
		if (!said)
			pr_verbose("%s has not registered yet: asking again every %d ms",
				   p->peer_name, PUNCH_INTERVAL);
		said = true;
		if (remaining(p) <= PUNCH_INTERVAL) {
			pr_err("%s did not register with the server in %u s",
			       p->peer_name, p->wait);
			return false;
		}
		usleep(PUNCH_INTERVAL * 1000);
	}
	pr_verbose("%s is at %s (public) and %s (private): punching",
		   p->peer_name, ep_str(&p->peer_pub, a), ep_str(&p->peer_priv, b));
	return true;
}

static bool listen_on_port(struct tcp *t)
{
	struct peer *p = t->p;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(p->port) };
	socklen_t len = sizeof(sin);

	t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->lfd < 0) {
		pr_errno("tcp socket");
		return false;
	}
	if (!set_reuse(t->lfd) ||
	    bind(t->lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(t->lfd, (struct sockaddr *)&sin, &len) ||
	    listen(t->lfd, CONN_MAX)) {
		pr_errno("tcp local port %u", p->port);
		return false;
	}
	p->port = ntohs(sin.sin_port);
	return true;
}

static void conn_add(struct tcp *t, int fd, const struct sockaddr_in *at,
		     const char *how)
{
	struct peer *p = t->p;
	char line[PUNCH_LINE_MAX], ep[EP_STRLEN];
	int i, len;

	for (i = 0; i < CONN_MAX; i++)
		if (t->conns[i].fd < 0)
			break;
	if (i == CONN_MAX) {
		close(fd);
		return;
	}
	pr_verbose("%s %s (%s): saying hello", how, ep_str(at, ep),
		   which_endpoint(p, at));
	len = fmt_hello(p, line, sizeof(line));
	if (send(fd, line, len, MSG_NOSIGNAL) != len) {
		pr_verbose("%s: %s", ep_str(at, ep), strerror(errno));
		close(fd);
		return;
	}
	t->conns[i] = (struct conn){ .fd = fd, .at = *at };
	t->nconns++;
}

static void conn_drop(struct tcp *t, struct conn *c, const char *why)
{
	char ep[EP_STRLEN];

	pr_verbose("%s: %s", ep_str(&c->at, ep), why);
	close(c->fd);
	c->fd = -1;
	t->nconns--;
}

/* Reads from a connection: true when PEERNAME's hello came over it. */
static bool conn_read(struct tcp *t, struct conn *c)
{
	char *nl;
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	if (n <= 0) {
		if (n < 0 && errno == EAGAIN)
			return false;
		conn_drop(t, c, n ? strerror(errno) : "closed before hello");
		return false;
	}
	c->len += n;
	c->buf[c->len] = '\0';
	nl = strchr(c->buf, '\n');
	if (!nl) {
		if (c->len == sizeof(c->buf) - 1)
			conn_drop(t, c, "line too long");
		return false;
	}
	nl[1] = '\0';
	if (read_peer_msg(t->p, c->buf) == MSG_HELLO)
		return true;
	conn_drop(t, c, "not a hello from the peer");
	return false;
}

static void attempt_start(struct tcp *t, struct attempt *a, int64_t now)
{
	struct peer *p = t->p;
	bool low = p->open_ttl && now < t->punch_start + OPEN_TIME;
	char ep[EP_STRLEN];

	if (!low && !t->opened && p->open_ttl)
		pr_verbose("connecting with the default TTL");
	t->opened = !low;
	a->fd = connect_from(p, &a->to, low ? p->open_ttl : 0);
	if (a->fd >= 0) {
		a->started = now;
		a->low = low;
		return;
	}
	if (errno != a->last_err)
		pr_verbose("connect to %s (%s): %s, again every %d ms",
			   ep_str(&a->to, ep), a->kind, strerror(errno),
			   PUNCH_INTERVAL);
	a->last_err = errno;
	a->retry_at = now + PUNCH_INTERVAL;
}

static void attempt_done(struct tcp *t, struct attempt *a, int64_t now)
{
	char ep[EP_STRLEN];
	int err = sock_error(a->fd);

	if (!err) {
		conn_add(t, a->fd, &a->to, "connected to");
		a->fd = -1;
		a->retry_at = now;
		return;
	}
	/* ECONNREFUSED: our SYN reached the other NAT before its peer's
	 * went out, and the NAT answered for itself. Try again.
	 */
	if (err != a->last_err)
		pr_verbose("connect to %s (%s): %s, again every %d ms",
			   ep_str(&a->to, ep), a->kind, strerror(err),
			   PUNCH_INTERVAL);
	a->last_err = err;
	close(a->fd);
	a->fd = -1;
	a->retry_at = now + PUNCH_INTERVAL;
}

static void accept_all(struct tcp *t)
{
	struct sockaddr_in from;
	socklen_t alen = sizeof(from);
	int fd;

	while ((fd = accept4(t->lfd, (struct sockaddr *)&from, &alen,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		conn_add(t, fd, &from, "accepted");
		alen = sizeof(from);
	}
}

/* The punching loop: returns the connection that won, or NULL. */
static struct conn *punch(struct tcp *t)
{
	struct peer *p = t->p;
	char ep[EP_STRLEN];
	int i;

	for (;;) {
		struct pollfd pfd[2 + 2 + CONN_MAX];
		void *what[2 + 2 + CONN_MAX];
		int64_t now = now_ms(), until = p->deadline;
		int n = 0;

		if (now >= p->deadline)
			return NULL;
		for (i = 0; i < t->natt; i++) {
			struct attempt *a = &t->att[i];

			if (a->fd >= 0 && now - a->started >= ATTEMPT_TIMEOUT) {
				if (a->last_err != ETIMEDOUT)
					pr_verbose("connect to %s (%s): no answer in %d ms, again",
						   ep_str(&a->to, ep), a->kind,
						   ATTEMPT_TIMEOUT);
				a->last_err = ETIMEDOUT;
				close(a->fd);
				a->fd = -1;
				a->retry_at = now;
			}
			/* Its SYN has opened our NAT: what it sends next,
			 * a SYN-ACK if the peer's SYN meets it, must go all
			 * the way.
			 */
			if (a->fd >= 0 && a->low && now >= t->punch_start + OPEN_TIME) {
				set_ttl(a->fd, 0);
				a->low = false;
			}
			if (a->fd < 0 && !t->nconns && now >= a->retry_at)
				attempt_start(t, a, now);
			if (a->fd >= 0) {
				pfd[n] = (struct pollfd){ .fd = a->fd, .events = POLLOUT };
				what[n++] = a;
				if (a->started + ATTEMPT_TIMEOUT < until)
					until = a->started + ATTEMPT_TIMEOUT;
				if (a->low && t->punch_start + OPEN_TIME < until)
					until = t->punch_start + OPEN_TIME;
			} else if (!t->nconns && a->retry_at < until) {
				until = a->retry_at;
			}
		}
		pfd[n] = (struct pollfd){ .fd = t->lfd, .events = POLLIN };
		what[n++] = t;
		for (i = 0; i < CONN_MAX; i++)
			if (t->conns[i].fd >= 0) {
				pfd[n] = (struct pollfd){ .fd = t->conns[i].fd,
							  .events = POLLIN };
				what[n++] = &t->conns[i];
			}
		if (poll(pfd, n, until > now ? (int)(until - now) : 0) < 0) {
			if (errno == EINTR)
				continue;
			pr_errno("poll");
			return NULL;
		}
		now = now_ms();
		for (i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (what[i] == t)
				accept_all(t);
			else if (what[i] == &t->att[0] || what[i] == &t->att[1])
				attempt_done(t, what[i], now);
			else if (conn_read(t, what[i]))
				return what[i];
		}
	}
}

int tcp_punch(struct peer *p)
{
	struct tcp t = { .p = p, .lfd = -1, .sfd = -1 };
	struct conn *won = NULL;
	int i;

	for (i = 0; i < CONN_MAX; i++)
		t.conns[i].fd = -1;
	if (!listen_on_port(&t) || !server_connect(&t) || !server_dialog(&t))
		goto out;
	t.att[t.natt++] = (struct attempt){ .kind = "public", .fd = -1,
					    .to = p->peer_pub };
	if (!ep_equal(&p->peer_pub, &p->peer_priv))
		t.att[t.natt++] = (struct attempt){ .kind = "private", .fd = -1,
						    .to = p->peer_priv };
	if (p->open_ttl)
		pr_verbose("TTL %u for %d ms: opening our NAT", p->open_ttl,
			   OPEN_TIME);
	t.punch_start = now_ms();
	won = punch(&t);
	if (won)
		print_connected(p, &won->at, "tcp");
	else
		print_punch_timeout(p, "tcp");
out:
	for (i = 0; i < t.natt; i++)
		if (t.att[i].fd >= 0)
			close(t.att[i].fd);
	for (i = 0; i < CONN_MAX; i++)
		if (t.conns[i].fd >= 0)
			close(t.conns[i].fd);
	if (t.sfd >= 0)
		close(t.sfd);
	if (t.lfd >= 0)
		close(t.lfd);
	return won ? EXIT_OK : EXIT_FAIL;
}

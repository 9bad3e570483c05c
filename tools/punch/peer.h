/* SPDX-License-Identifier: GPL-2.0 */
/*
 * punch peer: what udp.c and tcp.c share: the peer's state, the server's
 * answers and the messages between peers.
 */
#ifndef PUNCH_PEER_H
#define PUNCH_PEER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PUNCH_INTERVAL	200	/* ms between punches, and lookups */
#define RELOOKUP	1000	/* ms between lookups while punching */

/* With -l TTL, for the first OPEN_TIME ms of punching, punches leave with
 * a small TTL: enough to pass our own NAT and open it, too little to
 * reach PEERNAME's. A punch that reached PEERNAME's NAT before PEERNAME's
 * own punch had gone out through it would leave a conntrack entry there
 * for exactly the flow PEERNAME is about to start, and a Linux NAT then
 * maps PEERNAME's flow to another port than the one S saw: our punches
 * to the port S gave no longer match anything. Both peers open their own
 * NAT first, then punch through. OPEN_TIME is longer than the time the
 * peer that registered first may take to learn of the other: one
 * PUNCH_INTERVAL and a round trip to S.
 */
#define OPEN_TIME	1000
/* By default none: seed 003's method as it is, which a NAT made for peer
 * to peer (hairpin's masq) needs no help with.
 */
#define OPEN_TTL	0

struct peer {
	const char *name, *peer_name;
	struct sockaddr_in server;
	uint16_t port;			/* local, for everything */
	unsigned int wait;		/* -w */
	unsigned int open_ttl;		/* -l, 0: none */
	int64_t deadline;		/* now_ms() at which to give up */
	struct sockaddr_in priv, pub;	/* ours: reported, and as S sees it */
	struct sockaddr_in peer_pub, peer_priv;
	bool have_peer;
};

enum answer {
	ANSWER_NONE,		/* not for us, or not understood */
	ANSWER_REGISTERED,	/* p->pub set */
	ANSWER_PEER,		/* p->peer_pub and peer_priv set */
	ANSWER_UNKNOWN,
	ANSWER_ERROR,		/* printed */
};

enum peer_msg {
	MSG_NONE,
	MSG_PUNCH,
	MSG_HELLO,
};

/* Parses an answer of the server; line is split in place. */
enum answer read_answer(struct peer *p, char *line);
/* Parses a line from the other peer. */
enum peer_msg read_peer_msg(const struct peer *p, char *line);

/* The lines we send; "\n"-terminated for TCP, the same over UDP. */
int fmt_register(const struct peer *p, char *buf, size_t size);
int fmt_lookup(const struct peer *p, char *buf, size_t size);
int fmt_unregister(const struct peer *p, char *buf, size_t size);
int fmt_punch(const struct peer *p, char *buf, size_t size);
int fmt_hello(const struct peer *p, char *buf, size_t size);

/* "public", "private", or "unlisted" for an endpoint S did not give. */
const char *which_endpoint(const struct peer *p, const struct sockaddr_in *at);
/* The line on stdout that says it worked. */
void print_connected(const struct peer *p, const struct sockaddr_in *at,
		     const char *proto);
/* "no answer from PEERNAME at PUB (public) or PRIV (private) in N s" */
void print_punch_timeout(const struct peer *p, const char *proto);

/* Sets the TTL of what fd sends: ttl, or the default for 0. */
bool set_ttl(int fd, unsigned int ttl);

int udp_punch(struct peer *p);
int tcp_punch(struct peer *p);

#endif

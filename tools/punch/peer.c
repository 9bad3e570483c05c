// SPDX-License-Identifier: GPL-2.0
/*
 * punch peer: the command line, and what UDP and TCP punching share: the
 * server's answers, the lines between peers and the result.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"
#include "proto.h"
#include "punch.h"

static void usage(void)
{
	fprintf(stderr,
		"Usage: " PROG_NAME " peer [-v] [-t] [-p LOCALPORT] [-w SECONDS] [-l TTL]\n"
		"                  SERVER[:PORT] NAME PEERNAME\n");
}

int peer_main(int argc, char *argv[])
{
	struct peer p = { .port = PUNCH_PEER_PORT, .wait = 20,
			  .open_ttl = OPEN_TTL };
	bool tcp = false;
	int opt;

	while ((opt = getopt(argc, argv, "+vtp:w:l:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 't':
			tcp = true;
			break;
		case 'p':
			if (!parse_port(optarg, &p.port, true, "local port"))
				return EXIT_USAGE;
			break;
		case 'w':
			if (!parse_seconds(optarg, &p.wait, "-w"))
				return EXIT_USAGE;
			break;
		case 'l':
			if (!parse_ttl(optarg, &p.open_ttl, "-l"))
				return EXIT_USAGE;
			break;
		default:
			usage();
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 3) {
		usage();
		return EXIT_USAGE;
	}
	if (!parse_server(argv[optind], &p.server) ||
	    !parse_name(argv[optind + 1], "NAME") ||
	    !parse_name(argv[optind + 2], "PEERNAME"))
		return EXIT_USAGE;
	p.name = argv[optind + 1];
	p.peer_name = argv[optind + 2];
	if (!strcmp(p.name, p.peer_name)) {
		pr_err("NAME and PEERNAME are both \"%s\"", p.name);
		return EXIT_USAGE;
	}
	log_who = p.name;
	p.deadline = now_ms() + (int64_t)p.wait * 1000;
	return tcp ? tcp_punch(&p) : udp_punch(&p);
}

bool set_ttl(int fd, unsigned int ttl)
{
	int v = ttl ? (int)ttl : -1;

	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v))) {
		pr_errno("IP_TTL %d", v);
		return false;
	}
	return true;
}

enum answer read_answer(struct peer *p, char *line)
{
	struct sockaddr_in pub, priv;
	char *w[PUNCH_WORDS_MAX];
	int n;

	if (!strncmp(line, "error ", 6)) {
		pr_err("server: %.*s", (int)strcspn(line + 6, "\r\n"), line + 6);
		return ANSWER_ERROR;
	}
	n = split_words(line, w, PUNCH_WORDS_MAX);
	if (n == 3 && !strcmp(w[0], "registered") && !strcmp(w[1], p->name) &&
	    ep_parse(w[2], &pub)) {
		p->pub = pub;
		return ANSWER_REGISTERED;
	}
	if (n == 4 && !strcmp(w[0], "peer") && !strcmp(w[1], p->peer_name) &&
	    ep_parse(w[2], &pub) && ep_parse(w[3], &priv)) {
		p->peer_pub = pub;
		p->peer_priv = priv;
		p->have_peer = true;
		return ANSWER_PEER;
	}
	if (n == 2 && !strcmp(w[0], "unknown") && !strcmp(w[1], p->peer_name))
		return ANSWER_UNKNOWN;
	return ANSWER_NONE;
}

enum peer_msg read_peer_msg(const struct peer *p, char *line)
{
	char *w[PUNCH_WORDS_MAX];
	int n = split_words(line, w, PUNCH_WORDS_MAX);

	if (n < 3 || strcmp(w[1], "from") || strcmp(w[2], p->peer_name))
		return MSG_NONE;
	if (n == 5 && !strcmp(w[0], "punch") && !strcmp(w[3], "to") &&
	    !strcmp(w[4], p->name))
		return MSG_PUNCH;
	if (n == 3 && !strcmp(w[0], "hello"))
		return MSG_HELLO;
	return MSG_NONE;
}

int fmt_register(const struct peer *p, char *buf, size_t size)
{
	char ep[EP_STRLEN];

	return snprintf(buf, size, "register %s %s\n", p->name,
			ep_str(&p->priv, ep));
}

int fmt_lookup(const struct peer *p, char *buf, size_t size)
{
	return snprintf(buf, size, "lookup %s\n", p->peer_name);
}

int fmt_unregister(const struct peer *p, char *buf, size_t size)
{
	return snprintf(buf, size, "unregister %s\n", p->name);
}

int fmt_punch(const struct peer *p, char *buf, size_t size)
{
	return snprintf(buf, size, "punch from %s to %s\n", p->name,
			p->peer_name);
}

int fmt_hello(const struct peer *p, char *buf, size_t size)
{
	return snprintf(buf, size, "hello from %s\n", p->name);
}

const char *which_endpoint(const struct peer *p, const struct sockaddr_in *at)
{
	if (ep_equal(at, &p->peer_pub))
		return "public";
	if (ep_equal(at, &p->peer_priv))
		return "private";
	return "unlisted";
}

void print_connected(const struct peer *p, const struct sockaddr_in *at,
		     const char *proto)
{
	char ep[EP_STRLEN];

	printf("%s: connected to %s at %s (%s) over %s\n", p->name,
	       p->peer_name, ep_str(at, ep), which_endpoint(p, at), proto);
	fflush(stdout);
}

void print_punch_timeout(const struct peer *p, const char *proto)
{
	char a[EP_STRLEN], b[EP_STRLEN];

	pr_err("no answer from %s at %s (public) or %s (private) over %s in %u s",
	       p->peer_name, ep_str(&p->peer_pub, a), ep_str(&p->peer_priv, b),
	       proto, p->wait);
}

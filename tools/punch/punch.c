// SPDX-License-Identifier: GPL-2.0
/*
 * punch: UDP and TCP hole punching through NATs with a rendezvous server.
 * The table of subcommands, the help made from it, and the messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "peer.h"
#include "proto.h"
#include "punch.h"

bool verbose;
const char *log_who;

static int help_main(int argc, char *argv[]);

static const struct {
	const char *name;
	int (*handler)(int argc, char *argv[]);
	const char *args;
	const char *description;
} commands[] = {
	{ "server", server_main, "[-v] [-p PORT]",
	  "be the rendezvous server, on UDP and TCP PORT (7717)" },
	{ "peer", peer_main,
	  "[-v] [-t] [-p LOCALPORT] [-w SECONDS] [-l TTL]\n"
	  "             SERVER[:PORT] NAME PEERNAME",
	  "register as NAME, then punch through to PEERNAME (-t: over TCP)" },
	{ "help", help_main, "", "show this help" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: " PROG_NAME " COMMAND [OPTIONS]\n\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  " PROG_NAME " %s%s%s\n      %s\n", commands[i].name,
			*commands[i].args ? " " : "", commands[i].args,
			commands[i].description);
	fprintf(f, "\npeer: LOCALPORT is %d unless -p (0: any), SECONDS 20 for the whole\n"
		   "run; with -l TTL (default %d: none), the first %d ms of punches leave with\n"
		   "that TTL, to open our NAT without reaching the peer's (2 for a NAT one hop\n"
		   "away that maps an early punch badly). It prints \"NAME: connected to\n"
		   "PEERNAME at ADDR:PORT (public|private) over udp|tcp\" and exits 0, or\n"
		   "exits 1 when the time is up. -v prints each step to standard error.\n",
		PUNCH_PEER_PORT, OPEN_TTL, OPEN_TIME);
}

static int help_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

int main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help_main(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].handler(argc - 1, argv + 1);
	pr_err("unknown command \"%s\" (try: " PROG_NAME " help)", argv[1]);
	return EXIT_USAGE;
}

static void vreport(const char *fmt, va_list ap, const char *tail)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_who)
		fprintf(stderr, PROG_NAME ": %s: %s%s%s\n", log_who, msg,
			tail ? ": " : "", tail ? tail : "");
	else
		fprintf(stderr, PROG_NAME ": %s%s%s\n", msg, tail ? ": " : "",
			tail ? tail : "");
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, NULL);
	va_end(ap);
}

void pr_errno(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, e);
	va_end(ap);
}

void pr_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vreport(fmt, ap, NULL);
	va_end(ap);
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool set_reuse(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) {
		pr_errno("SO_REUSEADDR/SO_REUSEPORT");
		return false;
	}
	return true;
}

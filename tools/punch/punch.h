/* SPDX-License-Identifier: GPL-2.0 */
/*
 * punch: what the subcommands share: the program's name for messages,
 * -v, a monotonic clock in milliseconds and the socket options that let
 * several sockets share one local port.
 */
#ifndef PUNCH_H
#define PUNCH_H

#include <stdbool.h>
#include <stdint.h>

#define PROG_NAME "punch"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes: done, failed (or timed out), bad command line. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

extern bool verbose;

/* What messages start with after "punch: " (the peer's NAME), or NULL. */
extern const char *log_who;

/* An error, to stderr: "punch: NAME: text". */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As pr_err, with ": strerror(errno)" after it. */
void pr_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A step, to stderr, with -v only. */
void pr_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int64_t now_ms(void);

/* SO_REUSEADDR and SO_REUSEPORT: the TCP peer binds its listener, its
 * connection to the server and every connect() to the same port.
 */
bool set_reuse(int fd);

int server_main(int argc, char *argv[]);
int peer_main(int argc, char *argv[]);

#endif

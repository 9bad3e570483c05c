// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl upnp follow FILE: the TCP and UDP forwards of miniupnpd's
 * lease file as mirrors, until SIGINT or SIGTERM; then none.
 *
 * miniupnpd appends a forward's line to the file, rewrites it into a new
 * file that it renames over the old one to drop a line, and removes it
 * (or never made it) when it has no forward. So the directory is watched,
 * not the file, and the file is read whole at each change of its name
 * there; what the table must then change is one batch (mirror.c), which
 * also takes over, in the first round, the mirrors an earlier run left.
 * The table is read afresh each round, not watched: what a "map flush" or
 * a restore did to follow's mirrors is set right at the next change of the
 * file, or at SIGHUP.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>

#include "error.h"
#include "format.h"
#include "hairpinctl.h"
#include "lease.h"
#include "mirror.h"
#include "msg.h"
#include "nl.h"
#include "print.h"
#include "waitsig.h"

/* The changes of the directory that may change the file: IN_CREATE for a
 * link made to it; the directory's own end ends follow.
 */
#define WATCH (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
	       IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct follow {
	const char *path;	/* the lease file, as given */
	char *dir;		/* its directory, watched */
	const char *name;	/* its name there */
	int ifd;		/* inotify */
	struct hp_nl nl;
	struct hp_notes said;	/* the notes of the last round */
	bool said_other;	/* that other protocols are left out */
};

static volatile sig_atomic_t stop, reread;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reread = 1;
	else
		stop = 1;
}

/* Prints the notes of now that the last round did not have, so that a
 * line left out is said once, not at every change of the file; now
 * becomes the last round's.
 */
static void say(struct follow *fw, struct hp_notes *now)
{
	size_t i;

	for (i = 0; i < now->len; i++) {
		const struct hp_note *n = &now->notes[i];

		if (hp_notes_has(&fw->said, n))
			continue;
		if (n->line)
			hp_error("%s:%u: %s", fw->path, n->line, n->text);
		else
			hp_error("%s: %s", fw->path, n->text);
	}
	hp_notes_free(&fw->said);
	fw->said = *now;
	memset(now, 0, sizeof(*now));
}

static void note_all(struct hp_notes *to, const struct hp_notes *from)
{
	size_t i;

	for (i = 0; i < from->len; i++)
		hp_note(to, from->notes[i].line, "%s", from->notes[i].text);
}

/* The forwards of the file, none when there is no file. False, noted,
 * when it could not be read.
 */
static bool read_leases(struct follow *fw, struct hp_leases *want,
			struct hp_notes *now)
{
	FILE *f = fopen(fw->path, "re");
	bool ok;

	memset(want, 0, sizeof(*want));
	if (!f) {
		if (errno == ENOENT)
			return true;
		hp_note(now, 0, "%s", strerror(errno));
		return false;
	}
	ok = lease_parse_file(f, want);
	if (!ok)
		hp_note(now, 0, "%s", strerror(errno));
	fclose(f);
	return ok;
}

/* Sends plan as one batch and prints its changes once made. Returns 0
 * when it is made (or empty), the index + 1 of the operation the kernel
 * refused, -1 when the kernel refused the batch as a whole; noted.
 */
static long send_plan(struct follow *fw, const struct mirror_plan *plan,
		      struct hp_notes *now)
{
	char why[HP_NL_ERR_TEXT_MAX], text[HP_OP_TEXT_MAX];
	struct hp_nl_err err;
	struct hp_batch b;
	size_t k;
	long i;

	if (!plan->ops.len)
		return 0;
	if (!hp_batch_build(&b, fw->nl.family, plan->ops.ops, plan->ops.len)) {
		hp_note(now, 0, "%s", strerror(errno));
		return -1;
	}
	if (hp_nl_talk(&fw->nl, hp_batch_msg(&b), NULL, NULL, &err) == 0) {
		hp_batch_free(&b);
		for (k = 0; k < plan->ops.len; k++)
			print_event(stdout, &plan->ops.ops[k], print_flags);
		fflush(stdout);
		return 0;
	}
	i = err.has_offset ? hp_batch_find(&b, err.offset) : -1;
	hp_batch_free(&b);
	hp_nl_strerror(why, sizeof(why), &err);
	if (i < 0) {
		hp_note(now, 0, "%s", why);
		return -1;
	}
	format_op(text, sizeof(text), &plan->ops.ops[i]);
	hp_note(now, plan->ops.ops[i].line, "%s: %s", text, why);
	return i + 1;
}

/*
 * One round: the table as it is, the plan that takes it to want (NULL:
 * to no mirror), one batch. The kernel's refusal of one operation (ENOSPC
 * past a limit, a mapping added since the dump) leaves that mapping as it
 * is for this round: the others are planned and sent again, so that the
 * rest of the file is mirrored all the same.
 */
static void apply(struct follow *fw, const struct hp_leases *want,
		  struct hp_notes *now)
{
	struct hp_maplist table = { NULL, 0, 0 }, keep = { NULL, 0, 0 };
	char why[HP_NL_ERR_TEXT_MAX];
	struct hp_nl_err err;

	for (;;) {
		struct mirror_plan plan;
		long refused;

		if (hp_nl_get_maps(&fw->nl, &table, &err) < 0) {
			hp_nl_strerror(why, sizeof(why), &err);
			hp_note(now, 0, "reading the mappings: %s", why);
			break;
		}
		if (!mirror_plan(want, &table, &keep, &plan)) {
			hp_note(now, 0, "%s", strerror(errno));
			mirror_plan_free(&plan);
			break;
		}
		refused = send_plan(fw, &plan, now);
		if (refused > 0 &&
		    hp_maplist_push(&keep, &plan.ops.ops[refused - 1].map)) {
			mirror_plan_free(&plan);
			continue;
		}
		note_all(now, &plan.notes);
		mirror_plan_free(&plan);
		break;
	}
	hp_maplist_free(&table);
	hp_maplist_free(&keep);
}

static void follow_round(struct follow *fw)
{
	struct hp_notes now = { NULL, 0, 0 };
	struct hp_leases want;

	if (read_leases(fw, &want, &now)) {
		note_all(&now, &want.notes);
		if (want.other_line && !fw->said_other) {
			hp_error("%s:%u: %s forwards are left out: mirrors are TCP or UDP "
				 "(said once)", fw->path, want.other_line,
				 want.other_proto);
			fw->said_other = true;
		}
		apply(fw, &want, &now);
	}
	lease_free(&want);
	say(fw, &now);
}

/* The end: every mirror of follow's goes, in one batch. */
static void follow_end(struct follow *fw)
{
	struct hp_notes now = { NULL, 0, 0 };

	apply(fw, NULL, &now);
	say(fw, &now);
}

enum { EV_NONE, EV_FILE, EV_END };

/* What the pending events say: the file may have changed (EV_FILE), the
 * directory is gone (EV_END, said), or neither.
 */
static int read_events(struct follow *fw)
{
	alignas(struct inotify_event) char buf[4096];
	int what = EV_NONE;

	for (;;) {
		ssize_t n = read(fw->ifd, buf, sizeof(buf));
		const char *p;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return what;
		if (n <= 0) {
			hp_error("upnp follow: watching %s: %s", fw->dir,
				 n ? strerror(errno) : "end of events");
			return EV_END;
		}
		for (p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED |
					IN_UNMOUNT)) {
				hp_error("upnp follow: %s was moved or removed", fw->dir);
				return EV_END;
			}
			/* Events were lost: the file is read anyway. */
			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len && !strcmp(ev->name, fw->name)))
				what = EV_FILE;
			p += sizeof(*ev) + ev->len;
		}
	}
}

/* FILE into its directory and its name there. */
static bool split_path(struct follow *fw, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;

	if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		hp_error("upnp follow: '%s' is not the name of a file", path);
		return false;
	}
	fw->path = path;
	fw->name = name;
	if (!slash)
		fw->dir = strdup(".");
	else if (slash == path)
		fw->dir = strdup("/");
	else
		fw->dir = strndup(path, (size_t)(slash - path));
	if (!fw->dir) {
		hp_error("%s", strerror(errno));
		return false;
	}
	return true;
}

/* Mirrors serve no one with scope own: say so, once, at the start. */
static void check_scope(struct follow *fw)
{
	struct hp_nl_err err;
	struct hp_config c;

	if (hp_nl_get_config(&fw->nl, &c, &err) == 0 && c.has_scope &&
	    c.scope != HAIRPIN_SCOPE_ALL)
		hp_error("upnp follow: the scope is own: the mirrors take effect with "
			 "'" PROG_NAME " set scope all'");
}

static int follow_main(int argc, char *argv[])
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct follow fw = { .ifd = -1 };
	int ret = EXIT_RUNTIME, ev = EV_NONE;
	sigset_t orig;

	if (argc < 2) {
		hp_error("missing lease file (miniupnpd's lease_file)");
		return EXIT_USAGE;
	}
	if (argc > 2) {
		hp_error("unexpected argument '%s'", argv[2]);
		return EXIT_USAGE;
	}
	if (!split_path(&fw, argv[1]))
		return EXIT_USAGE;

	hp_waitsig(sigs, ARRAY_SIZE(sigs), on_signal, &orig);
	/* A reader of the output that went away must not end follow before
	 * it removed its mirrors.
	 */
	signal(SIGPIPE, SIG_IGN);

	/* Watching first: a change after the first read is an event. */
	fw.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw.ifd < 0 || inotify_add_watch(fw.ifd, fw.dir, WATCH) < 0) {
		hp_error("upnp follow: watching %s: %s", fw.dir, strerror(errno));
		goto out;
	}
	if (!hp_nl_open(&fw.nl))
		goto out;
	check_scope(&fw);
	follow_round(&fw);

	while (!stop && ev != EV_END) {
		struct pollfd pfd = { .fd = fw.ifd, .events = POLLIN };

		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno != EINTR) {
				hp_error("upnp follow: %s", strerror(errno));
				break;
			}
			ev = EV_NONE;
		} else {
			ev = read_events(&fw);
		}
		if (!stop && (ev == EV_FILE || reread)) {
			reread = 0;
			follow_round(&fw);
		}
	}
	if (stop)
		ret = EXIT_OK;
	follow_end(&fw);
	hp_nl_close(&fw.nl);
out:
	if (fw.ifd >= 0)
		close(fw.ifd);
	hp_notes_free(&fw.said);
	free(fw.dir);
	return ret;
}

const struct hp_cmd upnp_commands[] = {
	{ .name = "follow", .handler = follow_main, .args = { "FILE" },
	  .description = "mirror the forwards of miniupnpd's lease file, until Ctrl-C" },
	{ .name = "help", .description = "show this help" },
	{ .name = NULL },
};

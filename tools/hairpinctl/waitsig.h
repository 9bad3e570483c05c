/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands that run until stopped (monitor, upnp follow) take their
 * signals only while they wait in ppoll(): a signal that came between the
 * check of their flag and the wait would otherwise be lost until the next
 * event, which may never come.
 */
#ifndef HAIRPINCTL_WAITSIG_H
#define HAIRPINCTL_WAITSIG_H

#include <signal.h>
#include <stddef.h>

/* Blocks @sigs (@n of them), sends them to @handler, and leaves in @wait
 * the mask to give ppoll(): the one from before, which lets them in.
 */
void hp_waitsig(const int *sigs, size_t n, void (*handler)(int), sigset_t *wait);

#endif

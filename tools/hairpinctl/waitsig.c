// SPDX-License-Identifier: GPL-2.0
#include "waitsig.h"

void hp_waitsig(const int *sigs, size_t n, void (*handler)(int), sigset_t *wait)
{
	struct sigaction sa = { .sa_handler = handler };
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < n; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, wait);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		sigaction(sigs[i], &sa, NULL);
}

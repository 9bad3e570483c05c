#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the installed kernels hairpin is tested on, one version a line: the
# newest 6.1 (Debian 12) and the newest 6.12 (bookworm-backports), or the
# newest of each SERIES given.  Point releases change the exact versions, so
# they are looked up in /boot rather than named anywhere.
#
#   tools/vm/kernels.sh [SERIES...]
set -e

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	# "6.1.*" does not match 6.12: the dot after the series is required.
	v=$(shopt -s nullglob; for f in /boot/vmlinuz-"$series".*; do
		echo "${f#/boot/vmlinuz-}"; done | sort -V | tail -n 1)
	[ -n "$v" ] || { echo "kernels.sh: no $series kernel in /boot (run tools/vm/deps.sh)" >&2; exit 1; }
	echo "$v"
done

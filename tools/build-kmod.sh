#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the module against one installed kernel's headers, with W=1, and
# fails on any compiler warning. Kbuild builds in the source tree, so each
# kernel gets its own copy of it: the result is build/KVER/kmod/hairpin.ko.
#   tools/build-kmod.sh KVER [make args...]
# HAIRPIN_KDIR names the kernel's build tree if it is not installed (the
# debug kernel: tools/vm/debug-kernel.sh). HAIRPIN_DEBUG=y among the make
# args makes a debug build (kmod/Kbuild), as tools/debug-lane.sh does.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
shift
kdir=${HAIRPIN_KDIR:-/lib/modules/$kver/build}
[ -d "$kdir" ] || { echo "no headers for $kver at $kdir" >&2; exit 1; }
out=$top/build/$kver
mkdir -p "$out"
cp -a "$top/Kbuild" "$top/kmod" "$top/uapi" "$out/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
# Kbuild cannot take a path with spaces (and a few other characters) in M=:
# such a clone path builds through a plain one, a symlink to the copy.
m=$out
case $out in
*[!A-Za-z0-9_./+-]*)
	m=$tmp/m
	ln -s "$out" "$m"
	;;
esac
if ! make -C "$kdir" M="$m" W=1 "$@" modules >"$log" 2>&1; then
	cat "$log"
	exit 1
fi
if grep -E 'warning:|error:' "$log"; then
	echo "build for $kver has warnings" >&2
	exit 1
fi
echo "[build] $out/kmod/hairpin.ko"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM harness from an awkward clone path: under /tmp, which the guest
# covers with a tmpfs (as /root, where users clone: the same mount hides
# both), with a space, which the kernel command line would split, and a
# comma, which qemu's options would.  One boot: the guest must run its init
# from the copy, start the command in it and run a script of it.
#
# A copy of the working tree's tools/vm, not a git clone: a clone would test
# the last commit rather than the edits under test.
#
#   tools/vm/test-paths.sh [KVER]    (default: the first test kernel)
set -e
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
say() { printf '[vm-paths] %s\n' "$*"; }

kver=${1:-$("$here/kernels.sh" | head -n 1)}
tmp=$(mktemp -d "/tmp/hairpin vm-paths,XXXXXX")
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/hairpin
mkdir -p "$repo/tools"
cp -a "$here" "$repo/tools/vm"
cp "$top/README.md" "$repo/"

say "booting $kver from a copy in '$repo'"
# shellcheck disable=SC2016 # expanded by the guest
"$repo/tools/vm/run.sh" -k "$kver" -t 300 -o "$tmp/out" -- \
	'test -f README.md && pwd >"$HAIRPIN_OUT/pwd" && tools/vm/kernels.sh >"$HAIRPIN_OUT/kernels"'
got=$(cat "$tmp/out/pwd")
[ "$got" = "$repo" ] || { say "FAILED: the command ran in '$got', not in '$repo'"; exit 1; }
[ -s "$tmp/out/kernels" ] || { say "FAILED: tools/vm/kernels.sh printed nothing"; exit 1; }
say "ok"

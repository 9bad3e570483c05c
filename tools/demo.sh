#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: builds hairpinctl, punch and the module for the first test
# kernel, then boots that kernel in qemu to run tools/demo-guest.sh, since
# the host kernel cannot load modules.  Fails, with the guest's status, if
# the demo did not behave as it says.
set -e
# Physical, as the VM mounts the repo there: a symlink on the way may be
# under a directory the guest covers with a tmpfs (/root, /tmp).
top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top"
say() { printf '[demo] %s\n' "$*"; }

kver=$(tools/vm/kernels.sh | head -n 1)
[ -n "$kver" ] || exit 1

say "building hairpinctl and punch"
make -s -C tools/hairpinctl
make -s -C tools/punch
say "building the module for $kver"
tools/build-kmod.sh "$kver"
say "booting $kver in qemu: TCG, so this takes a minute"
tools/vm/run.sh -k "$kver" -t 600 -- \
	env HAIRPIN_KO="$top/build/$kver/kmod/hairpin.ko" tools/demo-guest.sh

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint, the host tests, then every selftest in a VM on each test
# kernel. Fails on the first failure, saying where.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
say() { printf '\n[check] %s\n' "$*"; }
start=$SECONDS

say "lint"
tools/lint.sh

say "host tests (hairpinctl parser, messages, printers, CLI, completion, man page, fuzzing)"
make -s -C tools/hairpinctl test

say "make install and dkms-install into a staging directory"
tools/test-install.sh

for kver in $(tools/vm/kernels.sh); do
	say "$kver: build"
	tools/build-kmod.sh "$kver"
	say "$kver: selftests in the VM"
	tools/vm/run.sh -k "$kver" -t 1200 -- \
		"HAIRPIN_KO=$top/build/$kver/kmod/hairpin.ko selftests/run.sh"
done
say "all passed in $((SECONDS - start))s"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint, the host tests, then every selftest in a VM on each test
# kernel: Debian's 6.1, the 6.12 from bookworm-backports, and last the debug
# kernel (KASAN, lockdep, UBSAN, kmemleak, panic_on_warn: tools/debug-lane.sh).
# The debug kernel builds (once: it is cached) in the background during the
# lint and host tests, and the VMs wait for it: beside a kernel build, even
# a niced one, an emulated guest crawls. Side by side, the build took
# 1529 s and the 6.1 lane 1377 s; one after the other, 886 s (the lint
# beside it) and 558 s.
# Fails on the first failure, saying where.
#
# HAIRPIN_CHECK_DEBUG=0 leaves the debug kernel out.
set -e
# Physical, as the VM mounts the repo there: a symlink on the way may be
# under a directory the guest covers with a tmpfs (/root, /tmp).
top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top"
say() { printf '\n[check] %s\n' "$*"; }
start=$SECONDS

mkdir -p build
debug=${HAIRPIN_CHECK_DEBUG:-1}
if [ "$debug" = 1 ]; then
	say "debug kernel: building or reusing it in the background (log: build/debug-kernel.log)"
	tools/vm/debug-kernel.sh >build/debug-kernel.dir 2>build/debug-kernel.log &
	debug_build=$!
	trap 'kill $debug_build 2>/dev/null || true' EXIT
else
	say "the debug kernel lane is off (HAIRPIN_CHECK_DEBUG=0)"
fi

say "lint"
tools/lint.sh

say "host tests (hairpinctl parser, messages, printers, CLI, completion, man page, fuzzing)"
make -s -C tools/hairpinctl test

say "host tests of the benchmark's statistics (bench/test_report.py)"
python3 -m unittest -q bench/test_report.py

say "make install and dkms-install into a staging directory"
tools/test-install.sh

say "the netlink fuzzer and request writer for the selftests (tools/fuzz-nl)"
make -s -C tools/fuzz-nl

say "punch, the hole punching peers of selftests/punch.sh (tools/punch)"
make -s -C tools/punch

say "the VM harness from a clone path under /tmp, with a space and a comma"
tools/vm/test-paths.sh

if [ "$debug" = 1 ]; then
	say "debug kernel: waiting for its build, before any VM runs tests"
	if ! wait "$debug_build"; then
		cat build/debug-kernel.log
		exit 1
	fi
	trap - EXIT
fi

for kver in $(tools/vm/kernels.sh); do
	say "$kver: build"
	tools/build-kmod.sh "$kver"
	say "$kver: selftests in the VM"
	# Words, not a script: run.sh quotes them, whatever the path holds.
	tools/vm/run.sh -k "$kver" -t 1800 -- \
		env HAIRPIN_KO="$top/build/$kver/kmod/hairpin.ko" selftests/run.sh
done

if [ "$debug" != 1 ]; then
	say "all passed in $((SECONDS - start))s"
	exit 0
fi
tools/debug-lane.sh
say "all passed in $((SECONDS - start))s"

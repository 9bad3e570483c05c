#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel lane: builds (or reuses) the debug kernel
# (tools/vm/debug-kernel.sh: KASAN, lockdep, UBSAN, kmemleak...), builds the
# module against it and runs the whole selftest suite on it with
# panic_on_warn, ending with a kmemleak scan (tools/vm/guest-init.sh).
#
#   tools/debug-lane.sh [--long] [TEST...]
#
# make check runs it with the netlink fuzzer at 20,000 messages, the churn
# for 20 s, one unload cycle under traffic, the module's self-test at
# 20,000 operations a load (five loads: as many as one full run, with five
# seeds) and tool.sh's batch at 20,000 mappings (100,000 take its debug
# kernel two minutes), to stay inside CI's time; --long (make check-debug)
# runs them at 200,000 messages, 60 s, three cycles, 100,000 operations
# and 100,000 mappings, and writes the run's TAP report and kernel log to
# build/debug-lane/. HAIRPIN_DEBUG_FUZZ_MESSAGES,
# HAIRPIN_DEBUG_CHURN_SECONDS, HAIRPIN_DEBUG_TEARDOWN_CYCLES,
# HAIRPIN_DEBUG_SELFTEST_OPS and HAIRPIN_DEBUG_TOOL_BATCH override them.
set -e
# Physical, as the VM mounts the repo there: a symlink on the way may be
# under a directory the guest covers with a tmpfs (/root, /tmp).
top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top"
say() { printf '\n[debug-lane] %s\n' "$*"; }

fuzz=20000 churn=20 cycles=1 ops=20000 batch=20000 out=
if [ "$1" = --long ]; then
	shift
	fuzz=200000 churn=60 cycles=3 ops=100000 batch=100000 out=$top/build/debug-lane
fi
fuzz=${HAIRPIN_DEBUG_FUZZ_MESSAGES:-$fuzz}
churn=${HAIRPIN_DEBUG_CHURN_SECONDS:-$churn}
cycles=${HAIRPIN_DEBUG_TEARDOWN_CYCLES:-$cycles}
ops=${HAIRPIN_DEBUG_SELFTEST_OPS:-$ops}
batch=${HAIRPIN_DEBUG_TOOL_BATCH:-$batch}

kdir=$(tools/vm/debug-kernel.sh)
kver=$(cat "$kdir/kernel.release")
say "$kver: build"
# HAIRPIN_DEBUG=y: a debug build, which runs the module's self-test at load.
HAIRPIN_KDIR=$kdir tools/build-kmod.sh "$kver" HAIRPIN_DEBUG=y
make -s -C tools/hairpinctl
make -s -C tools/fuzz-nl
make -s -C tools/punch
say "$kver: selftests in the VM, with panic_on_warn (fuzzer: $fuzz messages, churn: ${churn}s, unload cycles: $cycles, self-test: $ops operations a load, batch: $batch mappings)"
[ -z "$out" ] || { rm -rf "$out"; mkdir -p "$out"; }
# The guest runs a script: paths and test names go in quoted, for a clone
# path with spaces.
tests=
[ $# = 0 ] || tests=$(printf ' %q' "$@")
# acpi=noirq: evaluating ACPI's PCI interrupt routing takes the debug kernel
# a minute under TCG (AE_AML_LOOP_TIMEOUT); virtio uses MSI-X anyway. 1G:
# each kmemleak scan reads all of it, and takes half a minute at 2G.
# Its modprobe needs its modules.builtin: bound over /lib/modules in the VM.
HAIRPIN_VM_MEM=1G HAIRPIN_KERNEL_IMAGE=$kdir/arch/x86/boot/bzImage \
HAIRPIN_KERNEL_APPEND="acpi=noirq panic_on_warn=1" \
	tools/vm/run.sh -k "$kver" -t 4200 ${out:+-o "$out"} -- \
	"mount --bind $(printf %q "$kdir/modroot/lib/modules") /lib/modules &&
	 HAIRPIN_KO=$(printf %q "$top/build/$kver/kmod/hairpin.ko") HAIRPIN_FUZZ_MESSAGES=$fuzz \
	 HAIRPIN_FUZZ_SECONDS=1500 HAIRPIN_CHURN_SECONDS=$churn \
	 HAIRPIN_TEARDOWN_CYCLES=$cycles HAIRPIN_KO_PARAMS=selftest_ops=$ops \
	 HAIRPIN_TOOL_BATCH=$batch \
	 selftests/run.sh$tests"
[ -z "$out" ] || say "report and kernel log in ${out#"$top/"}"

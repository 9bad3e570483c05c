#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint, the host tests, then every selftest in a VM on each test
# kernel. Fails on the first failure, saying where.
#
# With HAIRPIN_CHECK_DEBUG=1, last on the debug kernel too (KASAN, lockdep,
# UBSAN, kmemleak, panic_on_warn: tools/vm/debug-kernel.sh), which builds
# (once: it is cached) in the background meanwhile, at a lower priority.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
say() { printf '\n[check] %s\n' "$*"; }
start=$SECONDS

mkdir -p build
debug=${HAIRPIN_CHECK_DEBUG:-0}
if [ "$debug" = 1 ]; then
	say "debug kernel: building or reusing it in the background (log: build/debug-kernel.log)"
	nice -n 10 tools/vm/debug-kernel.sh >build/debug-kernel.dir 2>build/debug-kernel.log &
	debug_build=$!
	trap 'kill $debug_build 2>/dev/null || true' EXIT
else
	say "the debug kernel lane is off (HAIRPIN_CHECK_DEBUG=1 turns it on)"
fi

say "lint"
tools/lint.sh

say "host tests (hairpinctl parser, messages, printers, CLI, completion, man page, fuzzing)"
make -s -C tools/hairpinctl test

say "make install and dkms-install into a staging directory"
tools/test-install.sh

say "the netlink fuzzer and request writer for the selftests (tools/fuzz-nl)"
make -s -C tools/fuzz-nl

for kver in $(tools/vm/kernels.sh); do
	say "$kver: build"
	tools/build-kmod.sh "$kver"
	say "$kver: selftests in the VM"
	tools/vm/run.sh -k "$kver" -t 1800 -- \
		"HAIRPIN_KO=$top/build/$kver/kmod/hairpin.ko selftests/run.sh"
done

if [ "$debug" != 1 ]; then
	say "all passed in $((SECONDS - start))s"
	exit 0
fi
say "debug kernel: waiting for its build"
if ! wait $debug_build; then
	cat build/debug-kernel.log
	exit 1
fi
trap - EXIT
kdir=$(cat build/debug-kernel.dir)
kver=$(cat "$kdir/kernel.release")
say "$kver: build"
HAIRPIN_KDIR=$kdir tools/build-kmod.sh "$kver"
say "$kver: selftests in the VM, with panic_on_warn"
# acpi=noirq: evaluating ACPI's PCI interrupt routing takes the debug kernel
# a minute under TCG (AE_AML_LOOP_TIMEOUT); virtio uses MSI-X anyway. 1G:
# each kmemleak scan reads all of it, and takes half a minute at 2G.
# Its modprobe needs its modules.builtin: bound over /lib/modules in the VM.
HAIRPIN_VM_MEM=1G HAIRPIN_KERNEL_IMAGE=$kdir/arch/x86/boot/bzImage \
HAIRPIN_KERNEL_APPEND="acpi=noirq panic_on_warn=1" \
	tools/vm/run.sh -k "$kver" -t 3000 -- \
	"mount --bind $kdir/modroot/lib/modules /lib/modules &&
	 HAIRPIN_KO=$top/build/$kver/kmod/hairpin.ko HAIRPIN_FUZZ_MESSAGES=${HAIRPIN_DEBUG_FUZZ_MESSAGES:-200000} HAIRPIN_FUZZ_SECONDS=1500 \
	 HAIRPIN_CHURN_SECONDS=${HAIRPIN_DEBUG_CHURN_SECONDS:-60} selftests/run.sh"
say "all passed in $((SECONDS - start))s"

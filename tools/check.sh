#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint, the host tests, then every selftest in a VM on each test
# kernel, and last on the debug kernel (KASAN, lockdep, UBSAN, kmemleak,
# panic_on_warn: tools/vm/debug-kernel.sh). Fails on the first failure,
# saying where.
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

say "the netlink fuzzer and request writer for the selftests (tools/fuzz-nl)"
make -s -C tools/fuzz-nl

for kver in $(tools/vm/kernels.sh); do
	say "$kver: build"
	tools/build-kmod.sh "$kver"
	say "$kver: selftests in the VM"
	tools/vm/run.sh -k "$kver" -t 1200 -- \
		"HAIRPIN_KO=$top/build/$kver/kmod/hairpin.ko selftests/run.sh"
done
# The debug kernel: built once per source version and fragment, then cached.
# Its modprobe needs its modules.builtin: bound over /lib/modules in the VM.
say "debug kernel: build or reuse"
kdir=$(tools/vm/debug-kernel.sh)
kver=$(cat "$kdir/kernel.release")
say "$kver: build"
out=$top/build/$kver
mkdir -p "$out"
cp -a Kbuild kmod uapi "$out/"
log=$(mktemp)
if ! make -C "$kdir" M="$out" W=1 modules >"$log" 2>&1 || grep -E 'warning:|error:' "$log"; then
	cat "$log"
	rm -f "$log"
	exit 1
fi
rm -f "$log"
say "$kver: selftests in the VM, with panic_on_warn"
# acpi=noirq: evaluating ACPI's PCI interrupt routing takes the debug kernel
# a minute under TCG (AE_AML_LOOP_TIMEOUT); virtio uses MSI-X anyway. 1G:
# each kmemleak scan reads all of it, and takes half a minute at 2G.
HAIRPIN_VM_MEM=1G HAIRPIN_KERNEL_IMAGE=$kdir/arch/x86/boot/bzImage \
HAIRPIN_KERNEL_APPEND="acpi=noirq panic_on_warn=1" \
	tools/vm/run.sh -k "$kver" -t 2400 -- \
	"mount --bind $kdir/modroot/lib/modules /lib/modules &&
	 HAIRPIN_KO=$out/kmod/hairpin.ko HAIRPIN_FUZZ_MESSAGES=${HAIRPIN_DEBUG_FUZZ_MESSAGES:-200000} selftests/run.sh"
say "all passed in $((SECONDS - start))s"

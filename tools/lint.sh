#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch (from Debian's linux-source) and sparse on the module, the
# scripts through shellcheck (.shellcheckrc: they source their neighbours),
# and a -Werror build of the tools (hairpinctl, punch) with gcc and clang.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
say() { printf '[lint] %s\n' "$*"; }
cache=${HAIRPIN_CACHE:-/var/cache/hairpin}

src=$(ls -d "$cache"/linux-source-6.1 2>/dev/null || true)
if [ ! -f "$src/scripts/checkpatch.pl" ]; then
	say "unpacking checkpatch from linux-source-6.1"
	mkdir -p "$cache"
	tar -C "$cache" -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	src=$cache/linux-source-6.1
fi
say "checkpatch"
mapfile -t ksrc < <(git ls-files "kmod/*.[ch]" uapi/linux/hairpin.h)
perl "$src/scripts/checkpatch.pl" --no-tree --terse --strict --show-types \
	--ignore FILE_PATH_CHANGES -f "${ksrc[@]}" |
	grep -v '^total: 0 errors, 0 warnings, 0 checks' | tee /tmp/hairpin-checkpatch.$$ || true
if grep -q 'ERROR\|WARNING\|CHECK' /tmp/hairpin-checkpatch.$$; then
	rm -f /tmp/hairpin-checkpatch.$$
	exit 1
fi
rm -f /tmp/hairpin-checkpatch.$$

for kver in $(tools/vm/kernels.sh); do
	say "sparse and W=1 against $kver"
	tools/build-kmod.sh "$kver" C=2 >/dev/null
done

# The debug kernel is built from its own fragment: it must have every
# option the selftests say they need.
say "selftests/config against tools/vm/debug.config"
while IFS='=' read -r opt _; do
	grep -q "^$opt=[ym]$" tools/vm/debug.config ||
		{ say "tools/vm/debug.config lacks $opt (selftests/config)"; exit 1; }
done <selftests/config

# Warnings and errors only: its style notes are matters of taste.
say "shellcheck"
mapfile -t scripts < <(git ls-files "*.sh" .ci/run)
shellcheck -S warning "${scripts[@]}"

for tool in hairpinctl punch; do
	say "$tool with gcc and clang, -Werror"
	make -s -C tools/$tool clean
	make -s -C tools/$tool CC=gcc
	if command -v clang >/dev/null; then
		make -s -C tools/$tool clean
		make -s -C tools/$tool CC=clang
	fi
done
say "ok"

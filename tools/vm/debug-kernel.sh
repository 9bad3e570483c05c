#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the debug kernel, or finds it already built, and prints its build
# directory: Debian's linux-source-6.1, allnoconfig plus tools/vm/debug.config
# (what the harness and the selftests need built in; KASAN, lockdep, UBSAN,
# kmemleak...). Boot it with tools/vm/run.sh:
#
#   kdir=$(tools/vm/debug-kernel.sh)
#   make -C "$kdir" M=... modules           # build a module against it
#   HAIRPIN_KERNEL_IMAGE=$kdir/arch/x86/boot/bzImage \
#   HAIRPIN_KERNEL_APPEND=panic_on_warn=1 tools/vm/run.sh -k "$(cat "$kdir/kernel.release")" -- ...
#
# In the guest, "mount --bind $kdir/modroot/lib/modules /lib/modules" lets
# modprobe find what is built in and the few modules (br_netfilter).
#
# Kept in $HAIRPIN_CACHE/debug-kernel (default /var/cache/hairpin), keyed by
# the source package's version, the fragment and this script: changing any
# of them builds anew; the two newest builds are kept. About 7 minutes on 2
# idle cores, and 3 GB of disk with the source.
set -e

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${HAIRPIN_CACHE:-/var/cache/hairpin}
frag=$here/debug.config
pkg=linux-source-6.1
say() { printf '[debug-kernel] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (tools/vm/deps.sh installs it)"
tarball=/usr/src/$pkg.tar.xz
[ -r "$tarball" ] || die "no $tarball"
key=$({ echo "$pkg $ver"; cat "$frag" "${BASH_SOURCE[0]}"; } | sha256sum | cut -c 1-12)
base=$cache/debug-kernel
src=$base/$pkg-$ver
out=$base/build-$key
mkdir -p "$base"

# One build at a time: a second caller waits for it and reuses it.
exec 9>"$base/lock"
if ! flock -n 9; then
	say "waiting for another build"
	flock 9
fi
if [ -e "$out/.done" ]; then
	echo "$out"
	exit 0
fi

start=$SECONDS
if [ ! -e "$src/.done" ]; then
	say "unpacking $pkg $ver"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball" --strip-components=1
	touch "$src.tmp/.done"
	mv "$src.tmp" "$src"
	# Sources of other versions are of no use any more.
	find "$base" -maxdepth 1 -name "$pkg-*" ! -path "$src" -exec rm -rf {} +
fi

rm -rf "$out"
mkdir -p "$out"
log=$out/build.log
kmake() { make -C "$src" O="$out" ARCH=x86_64 "$@" >>"$log" 2>&1; }
fail_log() { tail -n 40 "$log" >&2; die "failed: full log in $log"; }

say "configuring: allnoconfig + ${frag#"$here/"}"
kmake allnoconfig || fail_log
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >>"$log" 2>&1 ||
	fail_log
kmake olddefconfig || fail_log
# olddefconfig gives newly visible options their defaults, which makes
# modules of half of netfilter: only the fragment's modules are wanted.
want_m=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/\1/p' "$frag")
for opt in $(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/\1/p' "$out/.config"); do
	grep -qx "$opt" <<<"$want_m" || "$src/scripts/config" --file "$out/.config" -d "${opt#CONFIG_}"
done
kmake olddefconfig || fail_log

# Every line of the fragment must have survived: Kconfig silently drops an
# option whose dependencies are not met.
lost=
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/.config" || lost+="  $line (got: $(grep "^${line%%=*}=" "$out/.config" || echo 'not set'))"$'\n'
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" || lost+="  $line (got: $(grep "^$opt=" "$out/.config"))"$'\n'
		;;
	esac
done <"$frag"
if [ -n "$lost" ]; then
	say "options of ${frag#"$here/"} that did not survive:"
	printf '%s' "$lost" >&2
	die "fix the fragment (a missing dependency?); config in $out/.config"
fi

jobs=$(nproc)
say "building $(make -s -C "$src" O="$out" kernelrelease 2>/dev/null) with $jobs jobs (log: $log)"
kmake -j"$jobs" bzImage modules || fail_log
kmake INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 modules_install || fail_log
make -s -C "$src" O="$out" kernelrelease >"$out/kernel.release"
touch "$out/.done"
say "built in $((SECONDS - start))s: $out"

# Older builds: keep the newest finished one, in case a run elsewhere still
# boots it; unfinished ones are of no use (we hold the lock).
keep=$(ls -dt "$base"/build-*/.done 2>/dev/null | sed -n 2p)
for dir in "$base"/build-*; do
	[ "$dir" = "$out" ] || [ "$dir/.done" = "$keep" ] || rm -rf "$dir"
done
echo "$out"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make dkms-install into a staging directory (DESTDIR), on
# the host: every file where it belongs, the module's metadata, the header
# usable from C, and the dkms copy building on its own with the MAKE line
# of its dkms.conf, as dkms would run it. TAP.
#
#   tools/test-install.sh [KVER]     (default: the first test kernel)
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 99
kver=${1:-$(tools/vm/kernels.sh | head -n 1)} || exit 99
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=hairpinctl/tests/tap.sh
. tools/hairpinctl/tests/tap.sh

dest=$tmp/root
make -s install DESTDIR="$dest" KVER="$kver" >"$tmp/log" 2>&1
ok $? "make install DESTDIR=... KVER=$kver" || sed 's/^/# /' "$tmp/log"
for f in "lib/modules/$kver/extra/hairpin.ko" usr/local/sbin/hairpinctl \
	usr/local/share/man/man8/hairpinctl.8 \
	usr/local/share/bash-completion/completions/hairpinctl \
	usr/local/include/linux/hairpin.h; do
	[ -f "$dest/$f" ]
	ok $? "installs /$f"
done
[ -x "$dest/usr/local/sbin/hairpinctl" ] && "$dest/usr/local/sbin/hairpinctl" --help >/dev/null
ok $? "the installed hairpinctl runs"

ko=$dest/lib/modules/$kver/extra/hairpin.ko
version=$(git describe --always --dirty --tags 2>/dev/null || echo 0.1)
[ "$(modinfo -F description "$ko")" = "Port mapping (DNAT) with automatic hairpin NAT" ]
ok $? "modinfo: description"
[ "$(modinfo -F version "$ko")" = "$version" ]
ok $? "modinfo: version $(modinfo -F version "$ko") from git describe"
[ "$(modinfo -F license "$ko")" = GPL ]
ok $? "modinfo: license GPL"
modinfo -F alias "$ko" | grep -qx 'net-pf-16-proto-16-family-hairpin'
ok $? "modinfo: the alias that autoloads it for the genl family"
[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ]
ok $? "built for $kver"

echo '#include <linux/hairpin.h>
int main(void) { return HAIRPIN_CMD_BATCH + HAIRPIN_MAP_A_MAX; }' >"$tmp/use.c"
${CC:-cc} -Wall -Werror -I"$dest/usr/local/include" -c -o "$tmp/use.o" "$tmp/use.c"
ok $? "the installed uapi header compiles"

make -s install-tool DESTDIR="$tmp/tool" PREFIX=/usr >"$tmp/log" 2>&1 &&
	[ -f "$tmp/tool/usr/sbin/hairpinctl" ] && [ ! -d "$tmp/tool/lib" ]
ok $? "make install-tool PREFIX=/usr: the userspace part alone"

make -s dkms-install DESTDIR="$tmp/dkms" >"$tmp/log" 2>&1
ok $? "make dkms-install DESTDIR=..." || sed 's/^/# /' "$tmp/log"
src=$tmp/dkms/usr/src/hairpin-$version
grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf" 2>/dev/null
ok $? "dkms.conf in /usr/src/hairpin-$version carries the version"
# The MAKE line, as dkms runs it: from the copy, for one kernel.
make_line=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$src/dkms.conf")
make_line=${make_line//'${kernelver}'/$kver}
make_line=${make_line//'${PACKAGE_VERSION}'/$version}
(cd "$src" && $make_line) >"$tmp/log" 2>&1
ok $? "the dkms copy builds alone: $make_line" || tail -n 20 "$tmp/log" | sed 's/^/# /'
[ "$(modinfo -F version "$src/kmod/hairpin.ko" 2>/dev/null)" = "$version" ]
ok $? "  with the version of the tree it came from"
for k in 'PACKAGE_NAME="hairpin"' 'BUILT_MODULE_LOCATION[0]="kmod/"' \
	'DEST_MODULE_LOCATION[0]="/extra"' 'AUTOINSTALL="yes"'; do
	grep -qFx "$k" "$src/dkms.conf"
	ok $? "dkms.conf: $k"
done

tap_done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing hairpin needs, idempotently: the tool
# chain, qemu, busybox for the guest's initramfs, the networking tools the
# selftests drive, and the two kernels we test on (Debian 12's 6.1 and the
# 6.12 from bookworm-backports), image and headers each. For miniupnpd, the
# binary alone (miniupnpd-nftables): the package miniupnpd would add debconf
# questions and a service, and selftests/upnp.sh runs the daemon with a
# config of its own. keepalived and conntrackd for selftests/failover.sh,
# which also runs them with configs of its own: they exist only as packages
# with a service, so the services this script installs are disabled.
set -e

say() { printf '[deps] %s\n' "$*"; }

[ "$(id -u)" = 0 ] || SUDO=sudo

pkgs="build-essential bc bison flex libelf-dev libssl-dev pkg-config libmnl-dev
      qemu-system-x86 busybox-static cpio kmod sparse linux-source-6.1
      iproute2 iputils-ping nftables iptables conntrack socat tcpdump jq procps psmisc
      coturn nat-traverse miniupnpd-nftables miniupnpc natpmpc keepalived conntrackd
      clang libclang-rt-14-dev man-db shellcheck python3
      linux-image-amd64 linux-headers-amd64"

# Backports: reuse whatever mirror this machine already uses for bookworm,
# so nothing here names a package host.
bpo_list=/etc/apt/sources.list.d/hairpin-backports.sources
add_backports() {
	local uri
	uri=$(grep -rhsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ |
	      grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -n 1)
	[ -n "$uri" ] || { say "no Debian mirror in the apt sources"; exit 1; }
	say "adding bookworm-backports from $uri"
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" | $SUDO tee "$bpo_list" >/dev/null
}

missing() {
	local p
	for p in $pkgs; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
	done
}

[ -f "$bpo_list" ] || add_backports
# The backports kernel: the newest 6.12 image in the suite, with its headers.
bpo_kernel() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9.+a-z]*-amd64$' 2>/dev/null |
		awk '{print $1}' | grep -v -- '-rt-\|-cloud-\|-dbg' | sort -V | tail -n 1
}
bpo=$(compgen -G '/boot/vmlinuz-6.12.*' | head -n 1) || true
if [ -z "$(missing)" ] && [ -n "$bpo" ]; then
	say "all dependencies present"
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# We boot our own initramfs: skip building one per installed kernel.
export INITRD=No
say "apt-get update"
$SUDO apt-get update -qq
img=$(bpo_kernel)
[ -n "$img" ] || { say "no 6.12 kernel in bookworm-backports"; exit 1; }
hdr=${img/linux-image/linux-headers}
new=$(missing)
say "installing: $(tr '\n' ' ' <<<"$new")$img $hdr"
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $pkgs "$img" "$hdr" >/dev/null
# Under systemd, conntrackd.service starts at once and at every boot with
# Debian's default config (stats mode, its socket and lock in /var), and
# keepalived.service would as soon as a keepalived.conf exists: neither is
# wanted on a build machine. Only those this run installed: a machine that
# had them already runs them on purpose.
svcs=$(grep -xE 'conntrackd|keepalived' <<<"$new" | sed 's/$/.service/' || true)
if [ -n "$svcs" ] && [ -d /run/systemd/system ]; then
	say "disabling" $svcs
	# shellcheck disable=SC2086
	$SUDO systemctl disable --now $svcs
fi
say "done"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots a test kernel in qemu and runs one command in it as root.  The guest's
# root is the host's, read-only over 9p, so it has the same tools and modules
# as the host, and nothing needs installing into it; the repo is shared by
# itself, at the same path, wherever it is (/root and /tmp included).
#
# The host kernel cannot load modules, so this is where every kernel test
# runs.  Only TCG: nested KVM hangs on this machine.
set -e

usage() {
	cat >&2 <<EOF
usage: tools/vm/run.sh [-k KVER] [-t TIMEOUT_SECONDS] [-o OUTDIR] -- COMMAND [ARGS...]

  -k  kernel: a version in /boot, or 6.1 / 6.12 for the newest of that
      series (default: the first of tools/vm/kernels.sh)
  -t  seconds before the guest counts as hung (default 600)
  -o  results: log, rc, dmesg, console.log, kmemleak (default: a temp dir,
      removed if all went well)

One COMMAND argument is a bash script ('uname -r; ip link'); several are a
command and its arguments.  It runs as root in the repo.  Exits with its
status, or 1 if the guest hung or died or the kernel logged a report.

HAIRPIN_KERNEL_IMAGE=/path/bzImage boots that kernel instead, which must have
9p and virtio built in; -k then names its version (its /lib/modules dir).
HAIRPIN_KERNEL_APPEND adds to the kernel command line (panic_on_warn=1...).
HAIRPIN_VM_MEM is the guest's memory (default 2G): kmemleak's scans take
time in proportion to it.
HAIRPIN_CACHE (default /var/cache/hairpin) holds the initramfs images.
EOF
	exit 2
}

say() { printf '[vm] %s\n' "$*"; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kver=
tmo=600
out=
while getopts k:t:o:h opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) tmo=$OPTARG ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage

if [ -n "$HAIRPIN_KERNEL_IMAGE" ]; then
	image=$HAIRPIN_KERNEL_IMAGE
	kver=${kver:-custom}
else
	case $kver in
	'') kver=$("$here/kernels.sh" | head -n 1) ;;
	*.*.*) ;;
	*) kver=$("$here/kernels.sh" "$kver") ;;
	esac
	image=/boot/vmlinuz-$kver
fi
[ -r "$image" ] || { say "no kernel image $image"; exit 1; }
[ -n "$HAIRPIN_KERNEL_IMAGE" ] || [ -d "/lib/modules/$kver" ] ||
	{ say "no modules for $kver"; exit 1; }

# The repo's physical path: the initramfs mounts it before switch_root, where
# an absolute symlink on the way (/home -> /data/home) would resolve in the
# initramfs rather than in the host's root.  The guest reads it from a file,
# which keeps everything but trailing newlines.
repo=$(cd "$here/../.." && pwd -P)
case $repo in *$'\n') say "repo path ends in a newline"; exit 1 ;; esac
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/hairpin-vm.XXXXXX)
	tmp_out=1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/{cmd,repo,log,rc,dmesg,console.log,kmemleak}
printf '%s' "$repo" >"$out/repo"
# qemu's options are comma-separated: a comma in a value is written twice.
qrepo=${repo//,/,,}
qout=${out//,/,,}

# The initramfs only gets the real root mounted: 9p over virtio, read-only,
# with tmpfs where programs expect to write, plus the results share.  It
# must switch_root, not chroot, into it: the kernel starts /sbin/modprobe
# for module autoloading in the root of init's mount namespace, and the
# initramfs has no modprobe.  The results share goes under /run: that
# exists on any host and is a fresh tmpfs, unlike /mnt.  The repo comes last,
# by itself, at its path: it may be under one of those tmpfs (a clone in
# /root or /tmp), which would hide it.  Its path is in the results share, as
# the kernel command line splits at spaces.
# shellcheck disable=SC2016 # expanded by the guest
init='#!/bin/busybox sh
set -e
/bin/busybox --install -s /bin
mount -t proc proc /proc
for m in /lib/modules/*.ko; do [ ! -e "$m" ] || insmod "$m"; done
# cache=loose: the root is read-only and nothing else changes it meanwhile.
# msize: with 500 KB a request rather than the default, a program starts
# three times faster (measured: bash -c true), and starting programs is
# most of what the tests do.
mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=512000 root /newroot
for d in tmp:1777 var/tmp:1777 run:755 var/lib:755 var/log:755 root:700; do
	[ ! -d /newroot/${d%:*} ] || mount -t tmpfs -o mode=${d#*:} tmpfs /newroot/${d%:*}
done
mkdir /newroot/run/hairpin
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /newroot/run/hairpin
repo=$(cat /newroot/run/hairpin/repo)
mkdir -p "/newroot$repo"
mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=512000 repo "/newroot$repo"
umount /proc
exec switch_root /newroot "$repo/tools/vm/guest-init.sh" /run/hairpin'

# Modules to mount 9p, in load order and without the built-in ones: kmod
# resolves both from the kernel's modules.dep and modules.builtin.
mods=
if [ -z "$HAIRPIN_KERNEL_IMAGE" ]; then
	mods=$(modprobe -S "$kver" --show-depends -a virtio_pci 9pnet_virtio 9p |
	       awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
fi

cache=${HAIRPIN_CACHE:-/var/cache/hairpin}
key=$(printf '%s\n' "$init" "$mods" | sha256sum | cut -c 1-12)
initrd=$cache/initramfs-$kver-$key.cpio.gz
if [ ! -s "$initrd" ]; then
	say "building initramfs for $kver"
	mkdir -p "$cache"
	dir=$(mktemp -d)
	mkdir -p "$dir"/{bin,dev,proc,newroot,lib/modules}
	cp /bin/busybox "$dir/bin/"
	# The kernel opens /dev/console for init before anything can mount
	# devtmpfs: without the node init would have no output.
	mknod "$dir/dev/console" c 5 1
	printf '%s\n' "$init" >"$dir/init"
	chmod 755 "$dir/init"
	# Decompressed here, as busybox insmod may not read .ko.xz; numbered
	# so the guest's glob loads them in order.
	n=10
	for m in $mods; do
		case $m in
		*.xz) dec="xz -dc" ;;
		*.zst) dec="zstd -dcq" ;;
		*.gz) dec="gzip -dc" ;;
		*) dec="cat" ;;
		esac
		name=${m##*/}
		$dec "$m" >"$dir/lib/modules/$n-${name%%.ko*}.ko"
		n=$((n + 1))
	done
	(cd "$dir" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$initrd.$$"
	rm -rf "$dir"
	# Replace atomically, so runs in parallel never boot half an image.
	mv "$initrd.$$" "$initrd"
fi
# Drop images of other init scripts once unused for a day, not at once:
# another checkout on this machine (CI's, at another commit) may be about
# to boot its own.  Booting one marks it used.  A user who may not write
# the cache can still boot what is there.
touch "$initrd" 2>/dev/null || true
find "$cache" -maxdepth 1 -name "initramfs-$kver-*.cpio.gz" ! -path "$initrd" -mmin +1440 \
	-delete 2>/dev/null || true

# One argument is a script; several are a command line, kept word for word.
if [ $# -eq 1 ]; then
	printf '%s\n' "$1" >"$out/cmd"
else
	printf '%q ' "$@" >"$out/cmd"
	echo >>"$out/cmd"
fi

# loglevel=5 puts warnings and worse on the console, so reports show up live
# and are still in console.log if the guest dies before saving dmesg.
# panic=-1 with -no-reboot turns a panic into qemu exiting.
say "booting $kver"
start=$SECONDS
timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -bios qboot.rom -nic none \
	-m "${HAIRPIN_VM_MEM:-2G}" -smp 2 -nographic -no-reboot \
	-kernel "$image" -initrd "$initrd" \
	-append "console=ttyS0 edd=off loglevel=5 panic=-1${HAIRPIN_KERNEL_APPEND:+ $HAIRPIN_KERNEL_APPEND}" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=root \
	-fsdev local,id=out,path="$qout",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=out \
	-fsdev local,id=repo,path="$qrepo",security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$out/console.log"
qrc=${PIPESTATUS[0]}
secs=$((SECONDS - start))

# Kernel reports: all of dmesg and kmemleak, and the kernel's (timestamped)
# lines of the console, which are all there is if the guest died.  The
# command's own output is left out: tests may print these words.
# Lockdep's reports are WARNING:/BUG: lines but for a few INFO: ones and
# its giving up; its boot banner ("RCU lockdep checking is enabled") is not
# a report.
pat='BUG:|WARNING:|Oops|KASAN|UBSAN|possible circular locking|INFO: possible|INFO: trying to register|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|INFO: task .* blocked|unreferenced object|general protection|Kernel panic|RCU stall|detected stall|rcu_sched self-detected'
reports=$({
	cat "$out/dmesg" "$out/kmemleak" 2>/dev/null || true
	grep -E '^\[ *[0-9]+\.[0-9]+\]' "$out/console.log" || true
} | grep -E "$pat" | awk '!seen[$0]++') || true

rc=$(cat "$out/rc" 2>/dev/null) || true
status=1
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	why="guest hung: no power-off after ${tmo}s"
elif [ -n "$reports" ]; then
	why="kernel reports"
elif [ -z "$rc" ]; then
	why="no exit status: the guest died (qemu exit $qrc)"
elif [ "$rc" != 0 ]; then
	why="command exited $rc"
	status=$rc
else
	say "$kver: ok (${secs}s)"
	[ -z "$tmp_out" ] || rm -rf "$out"
	exit 0
fi

say "$kver: FAILED ($why, ${secs}s)"
if [ -n "$reports" ]; then
	say "kernel reports:"
	printf '%s\n' "$reports" | head -n 50
fi
if [ "$status" = 1 ]; then
	log=$out/dmesg
	[ -s "$log" ] || log=$out/console.log
	say "tail of ${log##*/}:"
	tail -n 40 "$log"
fi
# Last, as CI may show only the end of a long run: what failed, by name.
if grep -qE '^(# )*(FAIL:|not ok)' "$out/log" 2>/dev/null; then
	say "failed checks:"
	grep -E '^(# )*(FAIL:|not ok)' "$out/log" | tail -n 30
fi
say "results in $out"
exit "$status"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test guest booted by run.sh, in the host's root (read-only,
# with tmpfs on /tmp, /run, /var/lib..., and the repo back at its path).
# $1 is the results share: it runs $1/cmd as root in the repo, keeps its
# output in $1/log, its status in $1/rc and the kernel log in $1/dmesg, then
# powers off.  Anything going wrong here ends PID 1, which panics, which ends
# qemu: run.sh reports that.
set -e

out=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 HAIRPIN_OUT="$out"

# What a booted system has and tests use: ip netns needs /run (tmpfs
# already), nft and tools need /proc and /sys, tracing needs tracefs.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# What udev would add: bash's process substitution needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
[ ! -d /sys/kernel/tracing ] || mount -t tracefs tracefs /sys/kernel/tracing || true
hostname hairpin-vm
ip link set lo up

# The command's output goes to the console too, so the host sees it live.
# No stdin: nothing could ever type into it.
cd "$repo"
bash "$out/cmd" </dev/null 2>&1 | tee "$out/log"
echo "${PIPESTATUS[0]}" >"$out/rc"

# kmemleak only reports an object unreferenced in two scans in a row.
leaks=/sys/kernel/debug/kmemleak
if [ -e "$leaks" ]; then
	echo scan >"$leaks"
	sleep 5
	echo scan >"$leaks"
	cat "$leaks" >"$out/kmemleak"
fi
dmesg >"$out/dmesg"
sync

# Power off at once; PID 1 must not exit meanwhile, or the kernel panics.
# Nor may it start a program: the power-off shuts the 9p devices down
# before the machine, and a "sleep: command not found" then exits PID 1.
# So it waits in a builtin, on a FIFO that nothing writes, on a tmpfs.
mkfifo /run/hairpin-poweroff
echo o >/proc/sysrq-trigger
read -r -t 60 <>/run/hairpin-poweroff || true

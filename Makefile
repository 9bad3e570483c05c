# SPDX-License-Identifier: GPL-2.0
#
#   make              the module (kmod/hairpin.ko), the tool and punch, the
#                     NAT hole punching tool (tools/punch)
#   make demo         boot a VM and show a port mapping with hairpin working,
#                     then peers punching holes through masquerade and masq,
#                     then a forward that miniupnpd made, from the LAN
#   make check        lint, host tests and every selftest on both kernels
#                     and on the debug kernel (HAIRPIN_CHECK_DEBUG=0: not)
#   make check-debug  the debug kernel lane alone, at full length: 200,000
#                     fuzzer messages, a minute of churn
#   make lint         checkpatch and sparse on the module, shellcheck on the
#                     scripts, -Werror on the tools
#   make bench        hairpin against iptables and nftables, in a VM: writes
#                     bench/results/6.1.md and .png (33 to 42 minutes)
#   make install      the module into /lib/modules/KVER/extra (and depmod),
#                     hairpinctl, its man page, bash completion and the uapi
#                     header under PREFIX; DESTDIR for staging
#   make install-tool the userspace part alone
#   make dkms-install the module's sources to /usr/src/hairpin-VERSION, then
#                     dkms add, build and install, so that it is rebuilt for
#                     every new kernel
#
# KVER picks the kernel to build against (default: the running one).

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
V ?= 0
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL ?= install
DEPMOD ?= depmod
DKMS ?= dkms
# As kmod/Kbuild and the tool version themselves.
VERSION ?= $(shell git -C $(CURDIR) describe --always --dirty --tags 2>/dev/null || echo 0.1)
DKMS_SRC := $(DESTDIR)/usr/src/hairpin-$(VERSION)
KMOD_SRCS := kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)
KMOD_SELFTEST := $(filter-out %.mod.c,$(wildcard kmod/selftest/*.c)) $(wildcard kmod/selftest/*.h)

all: module tool punch

# Kbuild takes no spaces in M=: a clone whose path has them builds through
# a symlink to it, one per clone, under /tmp.
MDIR = $$(m="$(CURDIR)"; case $$m in *" "*) \
	l=/tmp/hairpin-src.$$(printf %s "$$m" | md5sum | cut -c 1-12); \
	ln -sfn "$$m" "$$l"; m=$$l;; esac; echo "$$m")

module:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): install linux-headers-$(KVER) or set KVER"; exit 1; }
	$(MAKE) -C $(KDIR) M="$(MDIR)" V=$(V) modules

tool:
	$(MAKE) -C tools/hairpinctl

punch:
	$(MAKE) -C tools/punch

deps:
	@tools/vm/deps.sh

lint: deps
	@tools/lint.sh

check: deps
	@tools/check.sh

check-debug: deps
	@tools/debug-lane.sh --long

demo: deps
	@tools/demo.sh

bench: deps
	@bench/run.sh

install: install-module install-tool

install-module: module
	$(INSTALL) -d "$(DESTDIR)/lib/modules/$(KVER)/extra"
	$(INSTALL) -m 0644 kmod/hairpin.ko "$(DESTDIR)/lib/modules/$(KVER)/extra/hairpin.ko"
ifeq ($(DESTDIR),)
	$(DEPMOD) -a $(KVER)
endif

install-tool: tool
	$(MAKE) -C tools/hairpinctl install PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)"
	$(INSTALL) -d "$(DESTDIR)$(PREFIX)/include/linux"
	$(INSTALL) -m 0644 uapi/linux/hairpin.h "$(DESTDIR)$(PREFIX)/include/linux/hairpin.h"

# What dkms needs to build the module, with the version written in: the
# copy is not a git tree.
dkms-install:
	$(INSTALL) -d "$(DKMS_SRC)/kmod/selftest" "$(DKMS_SRC)/uapi/linux"
	$(INSTALL) -m 0644 Makefile Kbuild "$(DKMS_SRC)/"
	$(INSTALL) -m 0644 $(KMOD_SRCS) "$(DKMS_SRC)/kmod/"
	$(INSTALL) -m 0644 $(KMOD_SELFTEST) "$(DKMS_SRC)/kmod/selftest/"
	$(INSTALL) -m 0644 uapi/linux/hairpin.h "$(DKMS_SRC)/uapi/linux/"
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf >"$(DKMS_SRC)/dkms.conf"
ifeq ($(DESTDIR),)
	$(DKMS) add -m hairpin -v $(VERSION)
	$(DKMS) build -m hairpin -v $(VERSION) -k $(KVER)
	$(DKMS) install -m hairpin -v $(VERSION) -k $(KVER)
endif

clean-module:
	-$(MAKE) -C $(KDIR) M="$(MDIR)" clean 2>/dev/null

clean: clean-module
	$(MAKE) -C tools/hairpinctl clean
	$(MAKE) -C tools/punch clean
	rm -rf build

.PHONY: all module tool punch deps lint check check-debug demo bench install install-module install-tool \
	dkms-install clean-module clean

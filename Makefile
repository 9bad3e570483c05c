# SPDX-License-Identifier: GPL-2.0
#
#   make            the module (kmod/hairpin.ko) and the tool
#   make demo       boot a VM and show a port mapping with hairpin working
#   make check      lint, host tests and every selftest on both kernels
#   make lint       checkpatch and sparse on the module, -Werror on the tool
#
# KVER picks the kernel to build against (default: the running one).

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
V ?= 0

all: module tool

module:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): install linux-headers-$(KVER) or set KVER"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) V=$(V) modules

tool:
	$(MAKE) -C tools/hairpinctl

deps:
	@tools/vm/deps.sh

lint: deps
	@tools/lint.sh

check: deps
	@tools/check.sh

demo: deps
	@tools/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C tools/hairpinctl clean
	rm -rf build

.PHONY: all module tool deps lint check demo clean

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hairpinctl against the module: exact output, the kernel's extack after the
# tool's context, batches all or nothing naming the failing line, a 100k-line
# batch, EPERM without CAP_NET_ADMIN (tools/hairpinctl/tests/test_kernel.sh,
# run in a namespace of its own).
source "$(dirname "$0")/lib.sh"
load_module
"$top/tools/hairpinctl/tests/test_kernel.sh" "$HAIRPINCTL" >"/tmp/cli-$sfx.tap" 2>&1
rc=$?
cat "/tmp/cli-$sfx.tap"
check "hairpinctl against the kernel: $(grep -c '^ok' "/tmp/cli-$sfx.tap") checks pass" \
	test $rc = 0 -a "$(grep -c '^not ok' "/tmp/cli-$sfx.tap")" = 0
rm -f "/tmp/cli-$sfx.tap"
finish

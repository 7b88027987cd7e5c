#!/bin/sh
# Seeds for VmdkFuzzTest: small sparse and streamOptimized VMDKs from qemu-img (4 KiB grains are not
# possible; a 1 MiB disk keeps the files small), and a descriptor file. Run in this folder.
set -eu
out=VmdkFuzzTestInputs/openMapReadCheck
mkdir -p "$out" && cd "$out" && rm -f ./*.vmdk ./*.raw
qemu-img create -q -f vmdk a.vmdk 1M
qemu-io -f vmdk -c "write -P 1 0 4k" a.vmdk >/dev/null
qemu-img create -q -f vmdk -o zeroed_grain=on b.vmdk 1M
qemu-io -f vmdk -c "write -z 0 64k" -c "write -P 2 64k 4k" b.vmdk >/dev/null
qemu-img convert -O vmdk -o subformat=streamOptimized a.vmdk c.vmdk
printf '# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\ncreateType="monolithicFlat"\nRW 8 ZERO\n' > d.vmdk

#!/bin/sh
# Seeds for DiskLayoutFuzzTest: small GPT and MBR (with a logical partition) disks. Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p DiskLayoutFuzzTestInputs/diskLayout
truncate -s 64K "$work/gpt.raw" && sgdisk -q -n 1:34:+16K -c 1:data "$work/gpt.raw" >/dev/null
truncate -s 64K "$work/mbr.raw" && printf 'label: dos\n,16K,83\n,,5\n,8K,83\n' | sfdisk -q "$work/mbr.raw"
cp "$work/gpt.raw" DiskLayoutFuzzTestInputs/diskLayout/gpt
cp "$work/mbr.raw" DiskLayoutFuzzTestInputs/diskLayout/mbr-logical

#!/bin/sh
# Seeds for FileTreeFuzzTest and DiskLayoutFuzzTest: small ISOs (Rock Ridge + Joliet, UDF bridge) cut after their last used sector,
# and small GPT and MBR (with a logical partition) disks. Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p FileTreeFuzzTestInputs/fileTree DiskLayoutFuzzTestInputs/diskLayout
mkdir -p "$work/t/d" && echo a > "$work/t/d/a" && ln -s d/a "$work/t/l"
genisoimage -quiet -R -J -o "$work/rr-joliet.iso" "$work/t"
genisoimage -quiet -udf -o "$work/udf.iso" "$work/t" 2>/dev/null
for iso in rr-joliet udf; do
    # Keep up to the last sector that is not all zeroes: the padding adds nothing to fuzz.
    last=$(python3 -c "import sys; d=open('$work/$iso.iso','rb').read(); i=len(d.rstrip(b'\0')); print((i+2047)//2048)")
    head -c $((last * 2048)) "$work/$iso.iso" > "FileTreeFuzzTestInputs/fileTree/$iso"
done
truncate -s 64K "$work/gpt.raw" && sgdisk -q -n 1:34:+16K -c 1:data "$work/gpt.raw" >/dev/null
truncate -s 64K "$work/mbr.raw" && printf 'label: dos\n,16K,83\n,,5\n,8K,83\n' | sfdisk -q "$work/mbr.raw"
cp "$work/gpt.raw" DiskLayoutFuzzTestInputs/diskLayout/gpt
cp "$work/mbr.raw" DiskLayoutFuzzTestInputs/diskLayout/mbr-logical

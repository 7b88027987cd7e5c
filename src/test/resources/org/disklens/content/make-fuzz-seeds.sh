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

# Whole disks whose file-system signature claims a size that cannot be true (issue 22, class 1), each the head of a
# volume mkfs made with values poked in: the fuzzer checks every size it then reports is within its volume.
poke() { # file offset width value [be]: writes value (little-endian unless be) at offset
    python3 -c "
import sys
f = open('$1', 'r+b'); f.seek($2)
f.write(($4 % (1 << (8 * $3))).to_bytes($3, '${5:-little}'))"
}
volume() { # name size keep-bytes mkfs...
    name=$1 size=$2 keep=$3
    shift 3
    truncate -s "$size" "$work/$name.vol"
    "$@" "$work/$name.vol" >/dev/null 2>&1
    head -c "$keep" "$work/$name.vol" > "$work/$name"
}
seed() { # name: the poked head becomes a seed
    cp "$work/$1" "DiskLayoutFuzzTestInputs/diskLayout/sizes-$1"
}
volume ext4-log-block-size-40 8M 4096 mkfs.ext4 -q -F && poke "$work/ext4-log-block-size-40" 1048 4 40 && seed ext4-log-block-size-40
volume ext4-blocks-near-2-64 8M 4096 mkfs.ext4 -q -F -O 64bit && poke "$work/ext4-blocks-near-2-64" 1028 4 0xfffffff0 &&
    poke "$work/ext4-blocks-near-2-64" 1360 4 0xffffffff && seed ext4-blocks-near-2-64
volume ext4-more-free-than-blocks 8M 4096 mkfs.ext4 -q -F && poke "$work/ext4-more-free-than-blocks" 1036 4 0xffffffff &&
    seed ext4-more-free-than-blocks
volume ntfs-sectors-2-63 8M 4096 mkntfs -F -q -f && poke "$work/ntfs-sectors-2-63" 40 8 '1 << 63' && seed ntfs-sectors-2-63
volume vfat-sectors-2-32 8M 4096 mkfs.vfat && poke "$work/vfat-sectors-2-32" 19 2 0 &&
    poke "$work/vfat-sectors-2-32" 32 4 0xffffffff && seed vfat-sectors-2-32
volume exfat-sectors-2-63 8M 4096 mkfs.exfat && poke "$work/exfat-sectors-2-63" 72 8 '1 << 63' && seed exfat-sectors-2-63
volume xfs-blocks-overflow 300M 4096 mkfs.xfs -q -f && poke "$work/xfs-blocks-overflow" 8 8 '1 << 53' big &&
    seed xfs-blocks-overflow
volume xfs-more-free-than-blocks 300M 4096 mkfs.xfs -q -f && poke "$work/xfs-more-free-than-blocks" 144 8 '(1 << 63) - 1' big &&
    seed xfs-more-free-than-blocks
volume btrfs-total-2-63 128M 69632 mkfs.btrfs -q -f && poke "$work/btrfs-total-2-63" 65648 8 '1 << 63' && seed btrfs-total-2-63
volume swap-pages-2-32 8M 4096 mkswap && poke "$work/swap-pages-2-32" 1028 4 0xfffffff0 && seed swap-pages-2-32

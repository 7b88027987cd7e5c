#!/bin/sh
# Seeds for ExtFuzzTest: tiny ext2 and ext4 images (1 KiB blocks, 32 inodes, no reserve, no journal) made by mke2fs -d
# from a few files: block maps with an indirect block (ext2), an extent tree of depth 1 and an htree directory (ext4),
# inline data (ext4). Each is cut after its last non-zero block (the rest adds nothing to fuzz). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=ExtFuzzTestInputs/fileSystem
mkdir -p "$out"
mkdir -p "$work/t/d"
echo small > "$work/t/d/a"
ln -s d/a "$work/t/link"
ln -s "$(printf 'y%.0s' $(seq 1 80))" "$work/t/slow-link"
python3 -c "
f = open('$work/t/fragmented', 'wb')
for i in range(12):
    f.seek(i * 2048); f.write(bytes([i + 1]) * 100)
"
head -c 14000 /dev/zero | tr '\0' 'i' > "$work/t/indirect"
mkdir -p "$work/h"
for i in $(seq 1 60); do echo "$i" > "$work/h/a-rather-long-file-name-to-fill-blocks-$i"; done

make() { # name size-KiB mkfs-type tree options...
    name=$1 size=$2 type=$3 tree=$4
    shift 4
    truncate -s "${size}K" "$work/$name"
    "mkfs.$type" -q -F -b 1024 -N 32 -m 0 -O ^has_journal,^resize_inode "$@" -d "$tree" "$work/$name" 2>/dev/null ||
        "mkfs.$type" -q -F -b 1024 -N 32 -m 0 "$@" -d "$tree" "$work/$name"
    last=$(python3 -c "
d = open('$work/$name', 'rb').read()
print((len(d.rstrip(b'\\0')) + 1023) // 1024)")
    head -c $((last * 1024)) "$work/$name" > "$out/$name"
}
make ext2-block-maps 256 ext2 "$work/t"
make ext4-extents 256 ext4 "$work/t" -O ^64bit
make ext4-htree 256 ext4 "$work/h" -O ^64bit -N 80
make ext4-inline 256 ext4 "$work/t" -O inline_data,^64bit -I 256

#!/bin/sh
# Seeds for BtrfsFuzzTest: small Btrfs images made by mkfs.btrfs --rootdir --shrink with 4 KiB nodes (the smallest a
# 4 KiB-sector file system allows), then compacted by compact-btrfs.py to ~100 KiB: a tree with inline and regular
# files, a symlink, a hard link and a FIFO (single and DUP metadata), and a directory of 100 entries (an FS tree of
# two levels), and four inline files compressed by compact-btrfs.py (zlib and zstd). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=BtrfsFuzzTestInputs/fileSystem
mkdir -p "$out"
mkdir -p "$work/t/d"
echo small > "$work/t/d/a"
head -c 6000 /dev/zero | tr '\0' 'r' > "$work/t/regular"
ln -s d/a "$work/t/link"
ln "$work/t/d/a" "$work/t/hard"
mkfifo "$work/t/fifo"
mkdir -p "$work/m"
for i in $(seq 1 100); do echo "$i" > "$work/m/a-rather-long-file-name-to-fill-leaves-$i"; done

mkdir -p "$work/c"
for i in 1 2 3 4; do head -c 700 /dev/zero | tr '\0' "$i" > "$work/c/inline-$i"; done

make() { # name compact-option tree options...
    name=$1 compact=$2 tree=$3
    shift 3
    truncate -s 256M "$work/$name.img"
    mkfs.btrfs -q -f -n 4096 -s 4096 --shrink "$@" --rootdir "$tree" "$work/$name.img" > /dev/null 2>&1
    python3 compact-btrfs.py $compact "$work/$name.img" "$out/$name"
}
make btrfs-single "" "$work/t" -m single -d single
make btrfs-dup "" "$work/t" -m dup -d single
make btrfs-two-levels "" "$work/m" -m single -d single
make btrfs-compressed-inline --compress-inline "$work/c" -m single -d single

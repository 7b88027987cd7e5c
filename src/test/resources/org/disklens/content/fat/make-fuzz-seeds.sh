#!/bin/sh
# Seeds for FatFuzzTest: tiny FAT12, FAT16 and FAT32 images made by mkfs.vfat and filled by mcopy (a long name, an
# 8.3 lower-case name, a subdirectory, a file of several clusters), each cut after its last non-zero sector (the
# rest reads as past the volume's end, which the parser must also survive). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=FatFuzzTestInputs/fileSystem
mkdir -p "$out" "$work/t/sub"
echo "lower-case 8.3" > "$work/t/readme.txt"
echo "long name" > "$work/t/A long name, Ünïcödé.txt"
head -c 3000 /dev/zero | tr '\0' 'x' > "$work/t/sub/three-thousand.bin"
: > "$work/t/sub/empty"

trimmed() { # image name: keep up to the last non-zero 512-byte sector
    python3 -c "import sys; d=open(sys.argv[1],'rb').read(); n=len(d.rstrip(b'\0')); sys.stdout.buffer.write(d[:(n+511)//512*512])" "$1" > "$out/$2"
}

mkfs.vfat -C -F 12 -n SEED12 "$work/fat12.img" 128 >/dev/null
LC_ALL=C.UTF-8 mcopy -s -m -i "$work/fat12.img" "$work"/t/* ::
trimmed "$work/fat12.img" fat12

mkfs.vfat -C -F 16 -s 1 -n SEED16 "$work/fat16.img" 2100 >/dev/null
LC_ALL=C.UTF-8 mcopy -s -m -i "$work/fat16.img" "$work"/t/* ::
trimmed "$work/fat16.img" fat16

# FAT32 needs 65525 clusters: one FAT of 256 KiB, mostly zeros, keeps this seed the largest.
mkfs.vfat -C -F 32 -s 1 -f 1 -n SEED32 "$work/fat32.img" 34000 >/dev/null
LC_ALL=C.UTF-8 mcopy -s -m -i "$work/fat32.img" "$work"/t/* ::
trimmed "$work/fat32.img" fat32

# A FAT32 with fewer clusters than fatgen103 allows, as mkfs.vfat -F 32 makes them (mtools cannot fill it).
mkfs.vfat -C -F 32 -s 1 -n FEW "$work/few.img" 1024 >/dev/null
trimmed "$work/few.img" fat32-few-clusters

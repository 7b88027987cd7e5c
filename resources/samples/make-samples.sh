#!/usr/bin/env bash
# Makes the small sample images DiskLens opens on first run (`mvn compile exec:exec`), the screenshots
# are rendered from and the GUI tests read. Every file stays well under 1 MiB so it can live in git.
# Needs: qemu-img and qemu-io (qemu-utils), xorriso, sgdisk (gdisk), mkfs.fat and mcopy (dosfstools, mtools).
#
# The qcow2 files use 16 KiB clusters (qemu's default is 64 KiB) so that writes spread over the 10 GiB
# disk still fit in a few hundred KiB: each region written needs its own L2 table (one cluster).
#
#   base.qcow2               10 GiB base layer with a little data (what the top layer backs onto)
#   thin-with-backing.qcow2  10 GiB thin overlay on base.qcow2: data, zero clusters, a compressed cluster,
#                            an internal snapshot, a persistent bitmap, and free clusters left by a
#                            deleted snapshot (so the host-layout chart has every kind to show)
#   sample.iso               a small ISO 9660 disc with Joliet, Rock Ridge and an El Torito entry
#   gpt-disk.raw             a 1 MiB raw disk with a GPT partition table and a FAT12 partition
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC SOURCE_DATE_EPOCH=1700000000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -f base.qcow2 thin-with-backing.qcow2 sample.iso gpt-disk.raw

# --- the backing layer: 10 GiB, some data at the start, here and there, and at the very end
qemu-img create -q -f qcow2 -o cluster_size=16k base.qcow2 10G
qemu-io -f qcow2 \
    -c 'write -P 0x11 0 256k' \
    -c 'write -P 0x12 1700M 64k' \
    -c 'write -P 0x13 4200M 64k' \
    -c 'write -P 0x22 5G 128k' \
    -c 'write -P 0x33 10239M 64k' \
    base.qcow2 >/dev/null

# --- the top layer: thin, on top of base.qcow2 (named relatively, so the pair can move together)
qemu-img create -q -f qcow2 -o cluster_size=16k -b base.qcow2 -F qcow2 thin-with-backing.qcow2 10G
qemu-io -f qcow2 \
    -c 'write -P 0xaa 64k 64k' \
    -c 'write -P 0xbb 1300M 128k' \
    -c 'write -z 2700M 256k' \
    -c 'write -z 5G 64k' \
    -c 'write -c -P 0x5a 3500M 64k' \
    -c 'write -P 0xcc 6100M 64k' \
    thin-with-backing.qcow2 >/dev/null
qemu-img snapshot -c before-update thin-with-backing.qcow2
qemu-io -f qcow2 -c 'write -P 0xdd 1300M 64k' -c 'write -P 0xee 8700M 64k' thin-with-backing.qcow2 >/dev/null
# A snapshot taken and deleted again leaves its L1 and rewritten clusters free inside the file.
qemu-img snapshot -c scratch thin-with-backing.qcow2
qemu-io -f qcow2 -c 'write -P 0xff 8700M 64k' thin-with-backing.qcow2 >/dev/null
qemu-img snapshot -d scratch thin-with-backing.qcow2
qemu-img bitmap --add -g 65536 thin-with-backing.qcow2 backup-incremental

# --- an ISO: Joliet + Rock Ridge, a few folders and files, and a (tiny, non-bootable) El Torito entry
mkdir -p "$work/iso/docs/guides" "$work/iso/tools" "$work/iso/boot"
printf 'DiskLens sample disc\n' > "$work/iso/README.TXT"
for n in 1 2 3; do seq 1 $((n * 400)) > "$work/iso/docs/chapter-$n.txt"; done
printf 'A file with a long name that ISO 9660 level 1 cannot hold\n' \
    > "$work/iso/docs/guides/installing DiskLens on a workstation.md"
head -c 65536 /dev/zero | tr '\0' 'x' > "$work/iso/tools/payload.bin"
ln -s ../README.TXT "$work/iso/tools/readme-link"
head -c 2048 /dev/zero > "$work/iso/boot/boot.img"
xorriso -as mkisofs -quiet -o sample.iso -V DISKLENS_SAMPLE -J -R \
    -b boot/boot.img -no-emul-boot -boot-load-size 4 "$work/iso"

# --- a raw disk with a GPT: one FAT12 partition holding two files
truncate -s 1M gpt-disk.raw
# (sgdisk's -q also skips writing the table, so its chatter goes to /dev/null instead)
sgdisk -a 8 -n 1:40:2007 -t 1:0700 -c 1:"SAMPLE DATA" gpt-disk.raw >/dev/null
truncate -s $(((2007 - 40 + 1) * 512)) "$work/part.img"
mkfs.fat -F 12 -n SAMPLEFAT "$work/part.img" >/dev/null
printf 'hello from a FAT partition\n' > "$work/hello.txt"
mcopy -i "$work/part.img" "$work/hello.txt" ::HELLO.TXT
dd if="$work/part.img" of=gpt-disk.raw bs=512 seek=40 conv=notrunc status=none

qemu-img check -q thin-with-backing.qcow2 || true
ls -ls base.qcow2 thin-with-backing.qcow2 sample.iso gpt-disk.raw

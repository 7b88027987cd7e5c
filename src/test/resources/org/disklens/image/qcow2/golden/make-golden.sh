#!/bin/sh
# Makes the small qcow2 golden images checked in beside this script, and qemu-img's own answers about
# them (NAME.info.json, NAME.map.json, NAME.check.json + NAME.check.rc). GoldenQcow2Test compares DiskLens
# with these answers on any machine, with or without qemu-img. Made with: qemu-img 7.2 (Debian 12).
#   sh make-golden.sh   (run in this folder)
set -eu
rm -f ./*.qcow2 ./*.json ./*.rc

img() { qemu-img create -q -f qcow2 ${2:+-o "$2"} "$1" "$3"; }
io() { f=$1; shift; for c in "$@"; do set -- "$@" -c "$c"; shift; done; qemu-io -f qcow2 "$@" "$f" >/dev/null; }

img v2.qcow2 compat=0.10 16M
io v2.qcow2 "write -P 0x11 0 64k" "write -P 0x12 5M 4k"

img v3-extended-l2.qcow2 extended_l2=on 16M
io v3-extended-l2.qcow2 "write -P 0x21 0 8k" "write -z 64k 4k" "write -P 0x22 200k 2k" "discard 0 2k"

img c512.qcow2 cluster_size=512,refcount_bits=1 4M
io c512.qcow2 "write -P 0x31 0 3k" "write -z 1M 1k" "write -P 0x32 2M 512"

qemu-img create -q -f raw src.raw 4M
qemu-io -f raw -c "write -P 0x41 0 256k" -c "write -P 0x42 1M 64k" src.raw >/dev/null
qemu-img convert -c -O qcow2 src.raw zlib.qcow2
qemu-img convert -c -O qcow2 -o compression_type=zstd src.raw zstd.qcow2
rm -f src.raw

img snapshots.qcow2 "" 8M
io snapshots.qcow2 "write -P 0x51 0 128k"
qemu-img snapshot -c before snapshots.qcow2
io snapshots.qcow2 "write -P 0x52 64k 128k"
qemu-img bitmap --add snapshots.qcow2 nightly

img base.qcow2 "" 8M
io base.qcow2 "write -P 0x61 0 256k"
img overlay.qcow2 backing_file=base.qcow2,backing_fmt=qcow2 12M
io overlay.qcow2 "write -P 0x62 512k 64k" "write -z 128k 64k" "write -P 0x63 9M 4k"

for f in *.qcow2; do
    n=${f%.qcow2}
    qemu-img info --output=json "$f" > "$n.info.json"
    qemu-img map --output=json "$f" > "$n.map.json"
    set +e; qemu-img check --output=json "$f" > "$n.check.json" 2>/dev/null; echo $? > "$n.check.rc"; set -e
done

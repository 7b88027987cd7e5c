#!/bin/sh
# Seeds for XfsFuzzTest: the smallest XFS file systems mkfs.xfs -p makes (one AG of 16 MiB, the fstests size
# exemption, the log on a separate device so that nothing lies past the files), each cut after its last non-zero
# byte: a seed is bytes, so the reader meets the rest as a volume cut short. v5 with 1 KiB blocks (short-form and
# block directories, local and remote symlinks, a device); v4 with 512-byte blocks and a directory of 150 entries in
# leaf form (two 4 KiB data blocks apart, a hash leaf). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=XfsFuzzTestInputs/fileSystem
mkdir -p "$out"
export TEST_DIR="$work" TEST_DEV=/dev/null QA_CHECK_FS=1
printf 'small\n' > "$work/small"
head -c 3000 /dev/zero | tr '\0' 'x' > "$work/three-k"
{
    echo boot; echo 0 0; echo d--755 0 0
    echo "small ---644 1000 1000 $work/small"
    echo "three-k ---600 0 0 $work/three-k"
    echo "link l--777 0 0 small"
    echo "remote l--777 0 0 $(printf 'r%.0s' $(seq 1 300))"
    echo "dev c--644 0 0 1 3"
    echo "d d--755 0 0"
    for i in 1 2 3; do echo "f$i ---644 0 0 $work/small"; done
    echo '$'
    echo "block d--755 0 0"
    for i in $(seq 1 20); do echo "entry-$i ---644 0 0 $work/small"; done
    echo '$'
    echo '$'
} > "$work/small.proto"
{
    echo boot; echo 0 0; echo d--755 0 0
    echo "many d--755 0 0"
    for i in $(seq 1 150); do echo "a-longer-entry-name-$i ---644 0 0 $work/small"; done
    echo '$'
    echo '$'
} > "$work/many.proto"

make() { # name proto options...
    name=$1 proto=$2
    shift 2
    truncate -s 16M "$work/$name"
    truncate -s 8M "$work/$name.log"
    mkfs.xfs -q -f "$@" -d agcount=1 -l logdev="$work/$name.log" -p "$proto" "$work/$name" 2>/dev/null
    python3 -c "
d = open('$work/$name', 'rb').read().rstrip(b'\\0')
open('$out/$name', 'wb').write(d)"
}
make xfs-v5-1k "$work/small.proto" -m crc=1 -b size=1024
make xfs-v4-512-leaf-directory "$work/many.proto" -m crc=0 -b size=512

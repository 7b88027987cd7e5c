#!/bin/sh
# Seeds for NtfsFuzzTest: the smallest volume mkntfs makes (1,100 KiB), filled through an ntfs-3g mount (root and
# FUSE needed; python3 sets the extended attributes), then shrunk for fuzzing: the data of $LogFile, $UpCase and
# $Secure:$SDS (which DiskLens never reads) is zeroed and the image is cut after its last non-zero 4 KiB block
# ("volume"; ntfs-3g puts file data after $LogFile, near the end). "volume-head" is its first part, up to the first
# 64 KiB of zeroes: the MFT, the root index and $Bitmap without the files' data, a small input for the parsers.
# Run in this folder.
set -eu
work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then umount "$work/m" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
out=NtfsFuzzTestInputs/fileSystem
mkdir -p "$out" "$work/m"

mount_rw() {
    ntfs-3g -o no_detach,streams_interface=xattr,compression "$1" "$work/m" >/dev/null 2>&1 &
    pid=$!
    while ! grep -q " $work/m " /proc/self/mountinfo; do sleep 0.1; done
}

unmount() {
    umount "$work/m"
    wait "$pid"
    pid=
}

# Zeroes the clusters of records 2, 10 and 9's $SDS stream, cuts the image after its last non-zero block, and writes
# its head up to $MFTMirr beside it.
shrink() {
    python3 - "$1" "$2" <<'PY'
import struct, sys
path, head = sys.argv[1], sys.argv[2]
data = bytearray(open(path, 'rb').read())
sector, = struct.unpack_from('<H', data, 11)
cluster = sector * data[13]
mft = struct.unpack_from('<q', data, 48)[0] * cluster
def runs(record, name):
    at = mft + record * 1024
    attribute = at + struct.unpack_from('<H', data, at + 20)[0]
    while struct.unpack_from('<I', data, attribute)[0] != 0xFFFFFFFF:
        kind, length = struct.unpack_from('<II', data, attribute)
        name_length, name_offset = data[attribute + 9], struct.unpack_from('<H', data, attribute + 10)[0]
        found = data[attribute + name_offset:attribute + name_offset + 2 * name_length].decode('utf-16-le')
        if kind == 0x80 and found == name and data[attribute + 8] == 1:
            pairs = attribute + struct.unpack_from('<H', data, attribute + 32)[0]
            lcn = 0
            while data[pairs]:
                sizes = data[pairs]
                count = int.from_bytes(data[pairs + 1:pairs + 1 + (sizes & 15)], 'little')
                delta = int.from_bytes(data[pairs + 1 + (sizes & 15):pairs + 1 + (sizes & 15) + (sizes >> 4)], 'little', signed=True)
                lcn += delta
                yield lcn, count
                pairs += 1 + (sizes & 15) + (sizes >> 4)
        attribute += length
for record, name in ((2, ''), (10, ''), (9, '$SDS')):
    for lcn, count in runs(record, name):
        data[lcn * cluster:(lcn + count) * cluster] = bytes(count * cluster)
end = len(data) - sector  # the backup boot sector in the last sector is not needed
while end > 0 and not any(data[end - 4096:end]):
    end -= 4096
open(path, 'wb').write(data[:end])
first_gap = 4096
while first_gap < end and any(data[first_gap:first_gap + 16 * 4096]):
    first_gap += 4096
open(head, 'wb').write(data[:first_gap])
PY
}

seed() {
    truncate -s 1100K "$work/volume.img"
    mkntfs -F -f -Q -L seed "$work/volume.img" >/dev/null 2>&1
    mount_rw "$work/volume.img"
    (cd "$work/m" && fill_tree && fill_index && fill_compressed)
    unmount
    shrink "$work/volume.img" "$out/volume-head"
    cp "$work/volume.img" "$out/volume"
}

fill_tree() {
    mkdir -p dir/sub
    echo resident > dir/a.txt
    head -c 5000 /dev/urandom > dir/sub/nonresident.bin
    : > empty
    ln dir/a.txt hard
    ln -s dir/a.txt link
    mkfifo fifo
    python3 -c "import os; os.setxattr('dir/a.txt', 'user.stream', b'alternate data')"
}

fill_index() {
    mkdir many
    for i in $(seq 1 40); do echo "$i" > "many/a-somewhat-longer-file-name-$i.txt"; done
}

fill_compressed() {
    mkdir packed
    python3 -c "import os; os.setxattr('packed', 'system.ntfs_attrib_be', (0x810).to_bytes(4, 'big'))"
    seq 1 20000 > packed/numbers.txt
    python3 -c "
f = open('packed/holes.bin', 'wb'); f.write(b'start'); f.seek(200000); f.write(b'end'); f.close()
f = open('sparse.bin', 'wb'); f.write(b'start'); f.seek(1 << 30); f.write(b'end'); f.close()"
    touch junction && python3 -c "
import os, struct
s = '\\\\??\\\\C:\\\\Target'.encode('utf-16-le'); p = 'C:\\\\Target'.encode('utf-16-le')
body = struct.pack('<HHHHI', 0, len(s), len(s), len(p), 0) + s + p
os.setxattr('junction', 'system.ntfs_reparse_data', struct.pack('<IHH', 0xA000000C, len(body), 0) + body)"
}

seed
ls -l "$out"

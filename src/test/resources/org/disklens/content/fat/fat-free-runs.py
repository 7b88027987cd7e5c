#!/usr/bin/env python3
"""Independent check for FatAgreementTest: the free clusters of a FAT volume (FAT entry 0), printed as
"<volume byte offset> <length>" lines of merged runs. Reads the BPB and the first FAT as fatgen103 describes them;
a BPB with BPB_FATSz16 = 0 is FAT32 (as dosfstools decides), else the cluster count picks FAT12 or FAT16.
Usage: fat-free-runs.py IMAGE [VOLUME_OFFSET]"""
import struct
import sys

path = sys.argv[1]
base = int(sys.argv[2]) if len(sys.argv) > 2 else 0
with open(path, 'rb') as f:
    f.seek(base)
    boot = f.read(512)
    bps, spc, reserved, nfats, root_entries, total16, _, fat16 = struct.unpack_from('<HBHBHHBH', boot, 11)
    total = total16 or struct.unpack_from('<I', boot, 32)[0]
    fat_sectors = fat16 or struct.unpack_from('<I', boot, 36)[0]
    root_sectors = (root_entries * 32 + bps - 1) // bps
    data_start = reserved + nfats * fat_sectors + root_sectors
    clusters = (total - data_start) // spc
    bits = 32 if fat16 == 0 else (12 if clusters < 4085 else 16)
    f.seek(base + reserved * bps)
    fat = f.read(fat_sectors * bps)


def entry(n):
    if bits == 32:
        return struct.unpack_from('<I', fat, n * 4)[0] & 0x0FFFFFFF
    if bits == 16:
        return struct.unpack_from('<H', fat, n * 2)[0]
    word = struct.unpack_from('<H', fat, n * 3 // 2)[0]
    return word >> 4 if n & 1 else word & 0xFFF


cluster_bytes = bps * spc
start = None
for n in range(2, clusters + 3):
    free = n <= clusters + 1 and entry(n) == 0
    if free and start is None:
        start = n
    elif not free and start is not None:
        print(data_start * bps + (start - 2) * cluster_bytes, (n - start) * cluster_bytes)
        start = None

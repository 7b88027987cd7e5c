#!/usr/bin/env python3
"""Compacts a Btrfs image that mkfs.btrfs --shrink made (one device, every tree a single leaf or small, crc32c) into a
fuzz seed of ~100 KiB: each chunk keeps only its bytes up to its last non-zero 4 KiB block, and its stripes are moved
down to just after the superblock. Logical addresses do not change, so no tree pointer does: only the chunk items
(length, stripe offsets; in the superblock's system chunk array and the chunk tree), the device extents, the device
sizes and the checksums of the blocks changed. The result is meant for DiskLens's parser, not for btrfs check (block
group items keep their old lengths). With --compress-inline, the inline extents of the top directory's files become
zlib (and, where the zstd tool is installed, zstd) compressed ones, as the kernel writes them (the item shrunk, the
leaf kept packed). Usage: compact-btrfs.py [--compress-inline] IMAGE OUT"""
import struct
import subprocess
import sys
import zlib

SB = 0x10000
HEADER = 0x65


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    TABLE.append(c)


def checksum(block):
    block[0:32] = bytes(32)
    block[0:4] = struct.pack('<I', crc32c(bytes(block[32:])))


def u64(b, at):
    return struct.unpack_from('<Q', b, at)[0]


def chunk_at(b, at):
    """(length, [stripe offset positions]) of the chunk item at b[at]."""
    stripes = struct.unpack_from('<H', b, at + 44)[0]
    return u64(b, at), [at + 48 + 32 * i + 8 for i in range(stripes)]


def items(leaf):
    count = struct.unpack_from('<I', leaf, 0x60)[0]
    assert leaf[0x64] == 0, 'only single-leaf trees are compacted'
    for slot in range(count):
        at = HEADER + slot * 25
        objectid, kind, offset = struct.unpack_from('<QBQ', leaf, at)
        data, size = struct.unpack_from('<II', leaf, at + 17)
        yield at, objectid, kind, offset, HEADER + data, size


def main(source, target):
    global compress
    compress = globals().get('compress', False)
    img = bytearray(open(source, 'rb').read())
    # The superblock mirror at 64 MiB may lie inside a stripe: it would keep everything before it.
    img[64 << 20:(64 << 20) + 4096] = bytes(len(img[64 << 20:(64 << 20) + 4096]))
    sb = img[SB:SB + 4096]
    nodesize = struct.unpack_from('<I', sb, 0x94)[0]
    array_size = struct.unpack_from('<I', sb, 0xa0)[0]
    chunks = {}  # logical -> (length, [old stripe offsets])
    at = 0x32b
    while at < 0x32b + array_size:
        logical = u64(sb, at + 9)
        length, stripes = chunk_at(sb, at + 17)
        chunks[logical] = (length, [u64(sb, s) for s in stripes])
        at += 17 + 48 + 32 * len(stripes)

    def physical(mapping, logical):
        for start, (length, offsets) in mapping.items():
            if start <= logical < start + length:
                return [o + logical - start for o in offsets]
        raise SystemExit('no chunk for %d' % logical)

    chunk_leaf_at = physical(chunks, u64(sb, 0x58))[0]
    chunk_leaf = img[chunk_leaf_at:chunk_leaf_at + nodesize]
    for _, objectid, kind, offset, data, size in items(chunk_leaf):
        if kind == 228:
            length, stripes = chunk_at(chunk_leaf, data)
            chunks[offset] = (length, [u64(chunk_leaf, s) for s in stripes])
    # New places: stripes in their old order, each cut after its last non-zero 4 KiB block.
    used = {}
    for logical, (length, offsets) in chunks.items():
        last = 0
        for offset in offsets:
            data = img[offset:offset + length].rstrip(b'\0')
            last = max(last, (len(data) + 4095) // 4096 * 4096)
        used[logical] = max(last, 4096)
    moved = {}
    next_free = SB + 4096
    for old, logical in sorted((o, l) for l, (_, offsets) in chunks.items() for o in offsets):
        moved[old] = next_free
        next_free += used[logical]
    out = bytearray(next_free)
    out[SB:SB + 4096] = sb
    for logical, (length, offsets) in chunks.items():
        for offset in offsets:
            out[moved[offset]:moved[offset] + used[logical]] = img[offset:offset + used[logical]]
    new_map = {l: (used[l], [moved[o] for o in offsets]) for l, (_, offsets) in chunks.items()}

    def patch_chunk(b, at, logical):
        struct.pack_into('<Q', b, at, used[logical])
        for s in chunk_at(b, at)[1]:
            struct.pack_into('<Q', b, s, moved[u64(b, s)])

    # The superblock's system chunk array, sizes; the chunk tree's chunk and device items.
    at = SB + 0x32b
    while at < SB + 0x32b + array_size:
        stripes = struct.unpack_from('<H', out, at + 17 + 44)[0]
        patch_chunk(out, at + 17, u64(out, at + 9))
        at += 17 + 48 + 32 * stripes
    struct.pack_into('<Q', out, SB + 0x70, next_free)
    struct.pack_into('<Q', out, SB + 0xc9 + 8, next_free)
    leaf_at = physical(new_map, u64(sb, 0x58))[0]
    leaf = out[leaf_at:leaf_at + nodesize]
    for _, objectid, kind, offset, data, size in items(leaf):
        if kind == 228:
            patch_chunk(leaf, data, offset)
        elif kind == 216:
            struct.pack_into('<Q', leaf, data + 8, next_free)
    checksum(leaf)
    out[leaf_at:leaf_at + nodesize] = leaf
    # The device tree's extents: found through the root tree's ROOT_ITEM of tree 4.
    root_at = physical(new_map, u64(sb, 0x50))[0]
    dev_root = next(u64(out, root_at + data + 176) for _, o, k, _, data, _ in items(out[root_at:root_at + nodesize])
                    if o == 4 and k == 132)
    for dev_at in physical(new_map, dev_root):
        dev = out[dev_at:dev_at + nodesize]
        for key, objectid, kind, offset, data, size in items(dev):
            if kind == 204:
                struct.pack_into('<Q', dev, key + 9, moved[offset])
                struct.pack_into('<Q', dev, data + 24, used[u64(dev, data + 16)])
        checksum(dev)
        out[dev_at:dev_at + nodesize] = dev
    if compress:
        struct.pack_into('<Q', out, SB + 0xbc, u64(out, SB + 0xbc) | 0x10)
        fs_root = next(u64(out, root_at + data + 176) for _, o, k, _, data, _ in items(out[root_at:root_at + nodesize])
                       if o == 5 and k == 132)
        root_copies = physical(new_map, fs_root)
        node = out[root_copies[0]:root_copies[0] + nodesize]
        leaves = [fs_root] if node[0x64] == 0 else [u64(node, HEADER + i * 33 + 17)
                                                     for i in range(struct.unpack_from('<I', node, 0x60)[0])]
        assert node[0x64] <= 1, 'FS trees of one or two levels only'
        for logical in leaves:
            for fs_at in physical(new_map, logical):
                leaf = out[fs_at:fs_at + nodesize]
                compress_inline(leaf)
                checksum(leaf)
                out[fs_at:fs_at + nodesize] = leaf
    block = out[SB:SB + 4096]
    checksum(block)
    out[SB:SB + 4096] = block
    open(target, 'wb').write(out)


def zstd(data):
    try:
        return subprocess.run(['zstd', '-q', '-c', '--no-check'], input=data, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def compress_inline(leaf):
    """Every inline extent of the leaf (alternately zlib and zstd), its item shrunk and the later items' data moved."""
    kinds = 0
    for slot in range(struct.unpack_from('<I', leaf, 0x60)[0]):
        # Read again each time: shrinking an item moves the data of the items after it.
        key, objectid, kind, offset, data, size = list(items(leaf))[slot]
        if kind != 108 or leaf[data + 20] != 0 or leaf[data + 16] != 0:
            continue
        content = bytes(leaf[data + 21:data + size])
        method, packed = (3, zstd(content)) if kinds % 2 else (1, zlib.compress(content))
        kinds += 1
        if packed is None or len(packed) >= len(content):
            method, packed = 1, zlib.compress(content)
        if len(packed) >= len(content):
            continue
        leaf[data + 16] = method
        leaf[data + 21:data + 21 + len(packed)] = packed
        shrink(leaf, slot, 21 + len(packed))


def shrink(leaf, slot, size):
    count = struct.unpack_from('<I', leaf, 0x60)[0]
    header = HEADER + slot * 25
    offset, old = struct.unpack_from('<II', leaf, header + 17)
    shift = old - size
    lowest = struct.unpack_from('<I', leaf, HEADER + (count - 1) * 25 + 17)[0]
    moved = leaf[HEADER + lowest:HEADER + offset + size]
    leaf[HEADER + lowest + shift:HEADER + offset + size + shift] = moved
    for i in range(slot, count):
        at = HEADER + i * 25 + 17
        struct.pack_into('<I', leaf, at, struct.unpack_from('<I', leaf, at)[0] + shift)
    struct.pack_into('<I', leaf, header + 21, size)


if __name__ == '__main__':
    arguments = sys.argv[1:]
    compress = arguments[0] == '--compress-inline'
    main(*arguments[1:] if compress else arguments)

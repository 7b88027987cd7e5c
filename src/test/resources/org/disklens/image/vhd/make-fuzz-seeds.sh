#!/bin/sh
# Seeds for VhdFuzzTest, run in this folder. qemu-img writes a fixed disk and an empty dynamic one (its blocks are
# always 2 MiB, too big for a seed); python3 writes, from the VHD specification, a dynamic and a differencing disk of
# 64 KiB with 4 KiB blocks (which qemu reads too), partial sector bitmaps and parent locators.
set -eu
out=VhdFuzzTestInputs/openMapReadCheck
mkdir -p "$out" && cd "$out" && rm -f ./*.vhd
qemu-img create -q -f vpc -o subformat=fixed,force_size=on a.vhd 32k
qemu-io -f vpc -c "write -P 1 0 4k" a.vhd >/dev/null
qemu-img create -q -f vpc b.vhd 1M
python3 - <<'PY'
import struct

def checksum(data, at):
    return (~sum(b for i, b in enumerate(data) if not at <= i < at + 4)) & 0xffffffff

def footer(size, disk_type):
    f = bytearray(512)
    struct.pack_into(">8sIIQI4sI4sQQHBBI", f, 0, b"conectix", 2, 0x10000, 512, 700000000, b"win ", 0xa0000,
                     b"Wi2k", size, size, size // (16 * 63 * 512), 16, 63, disk_type)
    f[68:84] = bytes(range(1, 17))
    struct.pack_into(">I", f, 64, checksum(f, 64))
    return bytes(f)

def vhd(name, disk_type, blocks, locators=()):
    size, block = 64 << 10, 4096
    entries = size // block
    header = bytearray(1024)
    struct.pack_into(">8sqQIII", header, 0, b"cxsparse", -1, 1536, 0x10000, entries, block)
    header[40:56] = bytes(range(1, 17))
    name16 = "parent.vhd".encode("utf-16-be")
    header[64:64 + len(name16)] = name16
    at = 1536 + 512
    data = b""
    for i, (code, text) in enumerate(locators):
        payload = text.encode("utf-16-le")
        struct.pack_into(">4sIIIQ", header, 576 + 24 * i, code, 1, len(payload), 0, at)
        data += payload.ljust(512, b"\0")
        at += 512
    struct.pack_into(">I", header, 36, checksum(header, 36))
    bat = bytearray(b"\xff" * 512)
    body = b""
    for index, (bits, fill) in sorted(blocks.items()):
        struct.pack_into(">I", bat, 4 * index, at // 512)
        body += bits.ljust(512, b"\0") + bytes([fill]) * block
        at += 512 + block
    with open(name, "wb") as out:
        out.write(footer(size, disk_type) + bytes(header) + bytes(bat) + data + body + footer(size, disk_type))

vhd("c.vhd", 3, {0: (b"\xff", 0x41), 3: (b"\xf0\x0f", 0x42), 15: (b"\x80", 0x43)})
vhd("d.vhd", 4, {1: (b"\x0f", 0x51), 2: (b"\xff", 0x52)},
    [(b"W2ru", ".\\parent.vhd"), (b"W2ku", "C:\\VMs\\parent.vhd")])
PY

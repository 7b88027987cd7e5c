#!/bin/sh
# Seeds for VdiFuzzTest, written into VdiFuzzTestInputs/openMapReadCheck/ and copied to describeHost/. Run in this folder with qemu-img 7.2
# and python3. qemu-img writes 1 MiB blocks only, so besides its empty images (a.vdi dynamic, b.vdi static, whose
# 1 MiB of data is cut off: its map then points past the end) the seeds are its header with the geometry changed to
# 512-byte blocks, laid out as VirtualBox's VDICore.h says: c.vdi dynamic with data, zero and free blocks out of
# order, d.vdi differencing (a link UUID), e.vdi with 512 bytes of extra data per block, f.vdi a version 0 header.
set -eu
out=VdiFuzzTestInputs/openMapReadCheck
mkdir -p "$out" && cd "$out" && rm -f ./*.vdi
qemu-img create -q -f vdi a.vdi 1M
qemu-img create -q -f vdi -o static=on b.vdi 64k
truncate -s 1024 b.vdi
python3 - <<'PY'
import struct, uuid

base = bytearray(open("a.vdi", "rb").read(512))
FREE, ZERO = 0xffffffff, 0xfffffffe

def v1(name, kind, block, extra, entries, slots, link=b"\0" * 16):
    header = bytearray(base)
    blocks = len(entries)
    data = 512 + -(-blocks * 4 // 512) * 512
    struct.pack_into("<II", header, 76, kind, 0)
    struct.pack_into("<II", header, 340, 512, data)
    struct.pack_into("<QIIII", header, 368, blocks * block, block, extra, blocks, len(slots))
    header[424:440] = link
    body = bytearray(data + len(slots) * (block + extra))
    body[0:512] = header
    for i, entry in enumerate(entries):
        struct.pack_into("<I", body, 512 + 4 * i, entry)
    for i, value in enumerate(slots):
        at = data + i * (block + extra)
        body[at:at + extra] = bytes([0xee]) * extra
        body[at + extra:at + extra + block] = bytes([value]) * block
    open(name, "wb").write(body)

v1("c.vdi", 1, 512, 0, [1, 2, FREE, ZERO, FREE, 0, FREE, 2], [0x11, 0x22, 0x33])
v1("d.vdi", 4, 512, 0, [FREE, 0, ZERO, FREE], [0x44], uuid.UUID(int=0x0123456789abcdef0123456789abcdef).bytes_le)
v1("e.vdi", 1, 1024, 512, [1, 0], [0x55, 0x66])

# Version 0: pre-header, 348-byte header, the map at 420, the data right after it.
v0 = bytearray(420 + 2 * 4 + 2 * 512)
v0[0:38] = b"<<< innotek VirtualBox Disk Image >>>\n"
struct.pack_into("<II", v0, 64, 0xbeda107f, 2)
struct.pack_into("<II", v0, 72, 1, 0)
struct.pack_into("<QIII", v0, 352, 1024, 512, 2, 2)
v0[372:388] = uuid.UUID(int=1).bytes_le
struct.pack_into("<II", v0, 420, 1, 0)
v0[428:940] = b"\x77" * 512
v0[940:1452] = b"\x88" * 512
open("f.vdi", "wb").write(v0)
PY
mkdir -p ../describeHost && rm -f ../describeHost/*.vdi && cp ./*.vdi ../describeHost/

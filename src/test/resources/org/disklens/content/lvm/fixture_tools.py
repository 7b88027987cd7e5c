#!/usr/bin/env python3
"""Helpers of make-fixtures.sh (and of LvmAgreementTest's images): LV text for vgcfgrestore, LV contents, trimming.

Every LV byte written here follows one rule, which the Java tests repeat (LvmImages.pattern): 512-byte sector k of
LV <name> holds "<name>:<k>;" over and over, cut at 512 bytes.
"""
import os
import sys


def pattern(name, offset, length):
    out = bytearray()
    sector = offset // 512
    skip = offset % 512
    while len(out) < skip + length:
        unit = f"{name}:{sector};".encode()
        out += (unit * (512 // len(unit) + 1))[:512]
        sector += 1
    return bytes(out[skip:skip + length])


def write_linear(image, name, lv_offset, length, device_offset):
    with open(image, "r+b") as f:
        f.seek(device_offset)
        f.write(pattern(name, lv_offset, length))


def write_striped(image, name, lv_offset, length, stripe_bytes, areas):
    """A striped segment of `length` bytes from LV byte `lv_offset`: chunks dealt round-robin over `areas`."""
    with open(image, "r+b") as f:
        for chunk in range(length // stripe_bytes):
            area = areas[chunk % len(areas)]
            f.seek(area + (chunk // len(areas)) * stripe_bytes)
            f.write(pattern(name, lv_offset + chunk * stripe_bytes, stripe_bytes))


def add_lvs(backup, lv_text, out):
    """Puts the logical_volumes section of `lv_text` at the end of the VG section of a vgcfgbackup file."""
    text = open(backup).read()
    end = text.rindex("}")
    open(out, "w").write(text[:end] + open(lv_text).read() + text[end:])


def trim(image):
    """Cuts the file after its last 4 KiB block that is not all zeroes."""
    data = open(image, "rb").read()
    last = len(data.rstrip(b"\0"))
    os.truncate(image, (last + 4095) // 4096 * 4096)


FUZZ_UUID = "FUZZuuid0123456789abcdefghijklmn"


def dashed(raw):
    return "-".join([raw[0:6], raw[6:10], raw[10:14], raw[14:18], raw[18:22], raw[22:26], raw[26:32]])


def metadata_text(image, out):
    """The committed metadata text of a whole-disk PV's first area (unwrapped), its own PV renamed FUZZ_UUID: the seeds
    of LvmFuzzTest.metadataText, which puts the text into a PV of that UUID."""
    import struct
    data = open(image, "rb").read()
    label = next(s for s in range(4) if data[s * 512:s * 512 + 8] == b"LABELONE") * 512
    header = label + struct.unpack_from("<I", data, label + 20)[0]
    uuid = data[header:header + 32].decode()
    area = struct.unpack_from("<Q", data, header + 40 + 32)[0]
    ring = struct.unpack_from("<Q", data, area + 32)[0]
    offset, size = struct.unpack_from("<QQ", data, area + 40)
    first = min(size, ring - offset)
    text = data[area + offset:area + offset + first] + data[area + 512:area + 512 + size - first]
    open(out, "wb").write(text.rstrip(b"\0").replace(dashed(uuid).encode(), dashed(FUZZ_UUID).encode()))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "linear":
        write_linear(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif command == "striped":
        write_striped(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), [int(a) for a in args[5:]])
    elif command == "add-lvs":
        add_lvs(*args)
    elif command == "metadata-text":
        metadata_text(args[0], args[1])
    elif command == "trim":
        trim(args[0])
    else:
        sys.exit("unknown command " + command)

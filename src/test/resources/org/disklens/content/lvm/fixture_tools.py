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


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "linear":
        write_linear(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif command == "striped":
        write_striped(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), [int(a) for a in args[5:]])
    elif command == "add-lvs":
        add_lvs(*args)
    elif command == "trim":
        trim(args[0])
    else:
        sys.exit("unknown command " + command)

package org.disklens.image.vhdx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.UnsupportedFeature;

/**
 * The region table ({@code regi}, 64 KiB at 192 KiB, a copy at 256 KiB): where the BAT and the metadata region are.
 *
 * <pre>
 * header:  0 signature "regi"   4 checksum (CRC-32C of the 64 KiB)   8 entry count (at most 2047)   12 reserved
 * entry (32 bytes, from 16):  0 GUID   16 file offset (u64, MiB multiple)   24 length (u32, MiB multiple)
 *                            28 bit 0: required (the reader must know the region to open the file)
 * </pre>
 */
record RegionTable(List<Entry> entries) {
    static final int SIGNATURE = 0x69676572; // "regi"
    static final int SIZE = 64 * 1024;
    static final long FIRST_OFFSET = 192 * 1024;
    static final long SECOND_OFFSET = 256 * 1024;
    static final int MAX_ENTRIES = 2047;
    static final Guid BAT = Guid.fromText("2DC27766-F623-4200-9D64-115E9BFD4A08");
    static final Guid METADATA = Guid.fromText("8B7CA206-4790-4B9A-B8FE-575F050F886E");

    record Entry(Guid guid, long fileOffset, long length, boolean required) {
        String name() {
            return guid.equals(BAT) ? "BAT" : guid.equals(METADATA) ? "metadata region" : "region " + guid.braced();
        }
    }

    /** Parses and validates one copy of the table; {@code hostOffset} is where it was read, for messages. */
    static RegionTable parse(ByteBuffer block, long hostOffset) throws ImageException {
        ByteBuffer bytes = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.getInt(0) != SIGNATURE) {
            throw new CorruptImage("vhdx", "region table", hostOffset, "no 'regi' signature");
        }
        if (!Checksums.valid(bytes, 4)) {
            throw new CorruptImage("vhdx", "region table", hostOffset, "checksum mismatch");
        }
        long count = Integer.toUnsignedLong(bytes.getInt(8));
        if (count > MAX_ENTRIES) {
            throw new CorruptImage("vhdx", "region table", hostOffset,
                    "%d entries (at most %d are allowed)".formatted(count, MAX_ENTRIES));
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 16 + i * 32;
            entries.add(new Entry(Guid.parse(bytes, at), bytes.getLong(at + 16), Integer.toUnsignedLong(bytes.getInt(at + 24)),
                    (bytes.getInt(at + 28) & 1) != 0));
        }
        return new RegionTable(List.copyOf(entries));
    }

    /** The BAT and metadata entries, each exactly once; an unknown required region refuses the file by name. */
    Entry bat(long hostOffset) throws ImageException {
        return unique(BAT, hostOffset);
    }

    Entry metadata(long hostOffset) throws ImageException {
        return unique(METADATA, hostOffset);
    }

    void refuseUnknownRequired(long hostOffset) throws ImageException {
        for (Entry entry : entries) {
            if (entry.required() && !entry.guid().equals(BAT) && !entry.guid().equals(METADATA)) {
                throw new UnsupportedFeature("vhdx", "region table", hostOffset,
                        "required region %s is unknown".formatted(entry.guid().braced()));
            }
        }
    }

    private Entry unique(Guid guid, long hostOffset) throws ImageException {
        Entry found = null;
        for (Entry entry : entries) {
            if (entry.guid().equals(guid)) {
                if (found != null) {
                    throw new CorruptImage("vhdx", "region table", hostOffset, "duplicate %s entry".formatted(entry.name()));
                }
                found = entry;
            }
        }
        if (found == null) {
            throw new CorruptImage("vhdx", "region table", hostOffset,
                    "no %s entry".formatted(guid.equals(BAT) ? "BAT" : "metadata region"));
        }
        return found;
    }

    ByteBuffer encode() {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, SIGNATURE);
        bytes.putInt(8, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            int at = 16 + i * 32;
            entry.guid().encode(bytes, at);
            bytes.putLong(at + 16, entry.fileOffset());
            bytes.putInt(at + 24, (int) entry.length());
            bytes.putInt(at + 28, entry.required() ? 1 : 0);
        }
        Checksums.seal(bytes, 4);
        return bytes;
    }
}

package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.disklens.image.CorruptImage;

/**
 * One attribute of an MFT record: the common header (type, length, form, name, flags, identifier) and either the
 * resident value or the non-resident header (VCN range, run list, compression unit, allocated, data and
 * initialized sizes). The value (of the types DiskLens reads) or run list is copied out, so the record's buffer can
 * go.
 *
 * @param volumeOffset where the attribute lies in the volume, for messages
 */
record Attribute(int type, String name, int flags, int id, boolean resident, byte[] value, long firstVcn,
                 long lastVcn, int compressionUnit, long allocatedSize, long dataSize, long initializedSize,
                 byte[] runs, long recordNumber, long volumeOffset) {
    static final int COMPRESSION_MASK = 0x00FF;
    static final int ENCRYPTED = 0x4000;
    static final int SPARSE = 0x8000;
    static final int RESIDENT_HEADER = 24;
    static final int NON_RESIDENT_HEADER = 64;

    static Attribute parse(ByteBuffer record, int at, MftRecord owner) throws CorruptImage {
        ByteBuffer bytes = record.order() == ByteOrder.LITTLE_ENDIAN ? record : record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long volumeOffset = owner.volumeOffset() < 0 ? -1 : owner.volumeOffset() + at;
        // Messages are made only on damage: listing 100,000 files parses a million attributes.
        Where where = new Where(owner.number(), at);
        if (at > bytes.limit() - RESIDENT_HEADER) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "its header runs past the record");
        }
        int type = bytes.getInt(at);
        long length = Integer.toUnsignedLong(bytes.getInt(at + 4));
        if (length < RESIDENT_HEADER || length > bytes.limit() - at) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "length %d does not fit the record".formatted(length));
        }
        int form = Byte.toUnsignedInt(bytes.get(at + 8));
        int nameLength = Byte.toUnsignedInt(bytes.get(at + 9));
        int nameOffset = Short.toUnsignedInt(bytes.getShort(at + 10));
        if (form > 1) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "form %d is neither resident nor non-resident"
                    .formatted(form));
        }
        if (nameLength > 0 && nameOffset + 2L * nameLength > length) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "its name runs past the attribute");
        }
        byte[] rawName = new byte[2 * nameLength];
        if (nameLength > 0) {
            bytes.get(at + nameOffset, rawName);
        }
        String name = new String(rawName, StandardCharsets.UTF_16LE);
        int flags = Short.toUnsignedInt(bytes.getShort(at + 12));
        int id = Short.toUnsignedInt(bytes.getShort(at + 14));
        return form == 0
                ? resident(bytes, at, (int) length, type, name, flags, id, owner.number(), volumeOffset, where)
                : nonResident(bytes, at, (int) length, type, name, flags, id, owner.number(), volumeOffset, where);
    }

    private static Attribute resident(ByteBuffer bytes, int at, int length, int type, String name, int flags, int id,
                                      long recordNumber, long volumeOffset, Where where) throws CorruptImage {
        long valueLength = Integer.toUnsignedLong(bytes.getInt(at + 16));
        int valueOffset = Short.toUnsignedInt(bytes.getShort(at + 20));
        if (valueOffset + valueLength > length) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "its %d-byte value at byte %d runs past the attribute"
                    .formatted(valueLength, valueOffset));
        }
        byte[] value = new byte[read(type) ? (int) valueLength : 0];
        bytes.get(at + valueOffset, value);
        return new Attribute(type, name, flags, id, true, value, 0, -1, 0, valueLength, valueLength, valueLength, null,
                recordNumber, volumeOffset);
    }

    private static Attribute nonResident(ByteBuffer bytes, int at, int length, int type, String name, int flags, int id,
                                         long recordNumber, long volumeOffset, Where where) throws CorruptImage {
        if (length < NON_RESIDENT_HEADER) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "a non-resident attribute of only %d bytes"
                    .formatted(length));
        }
        long firstVcn = bytes.getLong(at + 16);
        long lastVcn = bytes.getLong(at + 24);
        int runsOffset = Short.toUnsignedInt(bytes.getShort(at + 32));
        int compressionUnit = Short.toUnsignedInt(bytes.getShort(at + 34));
        long allocated = bytes.getLong(at + 40);
        long data = bytes.getLong(at + 48);
        long initialized = bytes.getLong(at + 56);
        if (firstVcn < 0 || lastVcn < firstVcn - 1) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "VCN range %d..%d".formatted(firstVcn, lastVcn));
        }
        if (firstVcn == 0 && (allocated < 0 || data < 0 || initialized < 0)) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "negative size");
        }
        if (runsOffset < NON_RESIDENT_HEADER || runsOffset > length) {
            throw new CorruptImage(Geometry.NAMING, where.toString(), volumeOffset, "run list offset %d lies outside the attribute"
                    .formatted(runsOffset));
        }
        byte[] runs = new byte[length - runsOffset];
        bytes.get(at + runsOffset, runs);
        return new Attribute(type, name, flags, id, false, null, firstVcn, lastVcn, compressionUnit, allocated, data,
                initialized, runs, recordNumber, volumeOffset);
    }

    /**
     * Whether DiskLens reads values of this type; others ($FILE_NAME, security descriptors, object ids, extended
     * attributes) are left in the record, not copied: listing 100,000 files parses half a million attributes.
     */
    private static boolean read(int type) {
        return type != MftRecord.FILE_NAME && type != 0x40 && type != 0x50 && type != 0xD0 && type != 0xE0;
    }

    boolean compressed() {
        return (flags & COMPRESSION_MASK) != 0;
    }

    boolean encrypted() {
        return (flags & ENCRYPTED) != 0;
    }

    /** An attribute's place in its record, for messages. */
    private record Where(long record, int at) {
        @Override
        public String toString() {
            return "MFT record %d attribute at byte %d".formatted(record, at);
        }
    }

    String describe() {
        return "MFT record %d attribute 0x%x%s".formatted(recordNumber, type, name.isEmpty() ? "" : " '" + name + "'");
    }
}

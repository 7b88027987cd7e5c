package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.OnDiskText;
import org.disklens.image.CorruptImage;

/**
 * One MFT record ({@code FILE}), its update-sequence fix-ups applied: the header fields (sequence number, link count,
 * flags, base record reference) and its attributes, found by walking them from the first attribute offset to the
 * end marker.
 */
record MftRecord(long number, long volumeOffset, ByteBuffer bytes, int sequence, int linkCount, int flags,
                 long baseReference) {
    static final int STANDARD_INFORMATION = 0x10;
    static final int ATTRIBUTE_LIST = 0x20;
    static final int FILE_NAME = 0x30;
    static final int VOLUME_NAME = 0x60;
    static final int VOLUME_INFORMATION = 0x70;
    static final int DATA = 0x80;
    static final int INDEX_ROOT = 0x90;
    static final int INDEX_ALLOCATION = 0xA0;
    static final int BITMAP = 0xB0;
    static final int REPARSE_POINT = 0xC0;
    static final int LOGGED_UTILITY_STREAM = 0x100;
    static final int END = -1;
    static final int IN_USE = 0x1;
    static final int DIRECTORY = 0x2;

    /**
     * The record in {@code bytes} (changed in place by the fix-ups), or empty when it is not a sound one: what the
     * probe needs, which never fails on foreign bytes.
     */
    static Optional<MftRecord> parseLeniently(ByteBuffer bytes) {
        if (!signed(bytes.order(ByteOrder.LITTLE_ENDIAN))) {
            return Optional.empty();
        }
        try {
            Fixups.apply(bytes, "MFT record", -1);
        } catch (CorruptImage torn) {
            return Optional.empty();
        }
        return Optional.of(header(bytes, -1, -1));
    }

    /**
     * The record {@code number} read at {@code volumeOffset}: its signature, update sequence (a mismatch is a torn
     * write or damage, for this record only) and first attribute offset are checked.
     */
    static MftRecord parse(ByteBuffer bytes, long number, long volumeOffset) throws CorruptImage {
        ByteBuffer record = bytes.order(ByteOrder.LITTLE_ENDIAN);
        checkSignature(record, number, volumeOffset);
        Fixups.apply(record, "MFT record " + number, volumeOffset);
        return parseFixed(record, number, volumeOffset);
    }

    /** A record whose update sequence {@link Fixups#apply} has already put back. */
    static MftRecord parseFixed(ByteBuffer bytes, long number, long volumeOffset) throws CorruptImage {
        ByteBuffer record = bytes.order(ByteOrder.LITTLE_ENDIAN);
        checkSignature(record, number, volumeOffset);
        int usaEnd = Short.toUnsignedInt(record.getShort(4)) + 2 * Short.toUnsignedInt(record.getShort(6));
        int firstAttribute = Short.toUnsignedInt(record.getShort(20));
        if (firstAttribute < usaEnd || firstAttribute > record.limit() - 4) {
            throw new CorruptImage(Geometry.NAMING, "MFT record " + number, volumeOffset,
                    "first attribute offset %d lies outside the record".formatted(firstAttribute));
        }
        return header(record, number, volumeOffset);
    }

    /** Whether the record starts with "FILE" (it may still be torn). */
    static boolean signed(ByteBuffer record) {
        return record.getInt(0) == 0x454C4946;
    }

    private static void checkSignature(ByteBuffer record, long number, long volumeOffset) throws CorruptImage {
        if (!signed(record)) {
            throw new CorruptImage(Geometry.NAMING, "MFT record " + number, volumeOffset,
                    OnDiskText.ascii(record, 0, 4).equals("BAAD") ? "marked bad (BAAD) by chkdsk" : "no FILE signature");
        }
    }

    private static MftRecord header(ByteBuffer record, long number, long volumeOffset) {
        return new MftRecord(number, volumeOffset, record, Short.toUnsignedInt(record.getShort(16)),
                Short.toUnsignedInt(record.getShort(18)), Short.toUnsignedInt(record.getShort(22)), record.getLong(32));
    }

    boolean inUse() {
        return (flags & IN_USE) != 0;
    }

    boolean directory() {
        return (flags & DIRECTORY) != 0;
    }

    /** The base record this extension record belongs to (its low 48 bits), 0 for a base record. */
    long baseRecord() {
        return baseReference & FileReference.NUMBER_MASK;
    }

    /** Every attribute of this record, in order; a damaged attribute header is damage of the record. */
    List<Attribute> attributes() throws CorruptImage {
        List<Attribute> attributes = new ArrayList<>();
        int size = bytes.limit();
        int at = Short.toUnsignedInt(bytes.getShort(20));
        while (at <= size - 4) {
            if (bytes.getInt(at) == END) {
                return attributes;
            }
            attributes.add(Attribute.parse(bytes, at, this));
            at += bytes.getInt(at + 4);
        }
        throw new CorruptImage(Geometry.NAMING, "MFT record " + number, volumeOffset, "its attributes have no end marker");
    }

    /** The value of the first resident attribute of {@code type}, or empty (also when the attributes are damaged). */
    Optional<byte[]> residentValue(int type) {
        ByteBuffer record = bytes;
        int attribute = Short.toUnsignedInt(record.getShort(20));
        while (attribute + 24 <= record.limit()) {
            int found = record.getInt(attribute);
            long length = Integer.toUnsignedLong(record.getInt(attribute + 4));
            if (found == END || length < 24 || attribute + length > record.limit()) {
                return Optional.empty();
            }
            if (found == type && record.get(attribute + 8) == 0) {
                int valueLength = record.getInt(attribute + 16);
                int valueOffset = Short.toUnsignedInt(record.getShort(attribute + 20));
                if (valueLength < 0 || attribute + valueOffset + valueLength > attribute + length) {
                    return Optional.empty();
                }
                byte[] value = new byte[valueLength];
                record.get(attribute + valueOffset, value);
                return Optional.of(value);
            }
            attribute += (int) length;
        }
        return Optional.empty();
    }

    static String utf16(byte[] value) {
        return new String(value, StandardCharsets.UTF_16LE);
    }
}

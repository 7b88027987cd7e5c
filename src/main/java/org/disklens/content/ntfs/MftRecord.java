package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/** One MFT record ({@code FILE}), its update-sequence fix-ups applied; attributes found by type. */
final class MftRecord {
    static final int VOLUME_NAME = 0x60;
    static final int END = -1;

    private final ByteBuffer record;

    private MftRecord(ByteBuffer record) {
        this.record = record;
    }

    /** The record in {@code bytes} (changed in place by the fix-ups), or empty when it is not a sound one. */
    static Optional<MftRecord> parse(ByteBuffer bytes, int sectorSize) {
        if (!OnDiskText.ascii(bytes, 0, 4).equals("FILE") || !applyFixups(bytes, sectorSize)) {
            return Optional.empty();
        }
        return Optional.of(new MftRecord(bytes));
    }

    /** NTFS protects each sector's last two bytes with an update sequence; put the real bytes back. */
    private static boolean applyFixups(ByteBuffer record, int sectorSize) {
        int offset = Short.toUnsignedInt(record.getShort(4));
        int count = Short.toUnsignedInt(record.getShort(6));
        if (count == 0 || offset + count * 2 > record.limit() || (count - 1) * sectorSize > record.limit()) {
            return false;
        }
        short check = record.getShort(offset);
        for (int i = 1; i < count; i++) {
            int end = i * sectorSize - 2;
            if (record.getShort(end) != check) {
                return false;
            }
            record.putShort(end, record.getShort(offset + i * 2));
        }
        return true;
    }

    /** The value of the first resident attribute of {@code type}, or empty (also when the attributes are damaged). */
    Optional<byte[]> residentValue(int type) {
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

package org.disklens.content.iso;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One ISO 9660 directory record (ECMA-119 9.1): where the extent is, how long, when recorded, flags, the
 * file identifier and the system use area (Rock Ridge lives there). Both-endian numbers are read from their
 * little-endian half.
 */
public record DirectoryRecord(int length, long extentLba, long dataLength, Optional<OffsetDateTime> recorded,
                              int flags, int fileUnitSize, int interleaveGap, String identifier, byte[] rawIdentifier,
                              ByteBuffer systemUse) {
    public static final int FLAG_DIRECTORY = 1 << 1;
    public static final int FLAG_MULTI_EXTENT = 1 << 7;
    static final int MIN_LENGTH = 34;

    /** Decodes the record at the buffer's start; empty for a zero length byte (padding to the sector's end). */
    public static Optional<DirectoryRecord> parse(ByteBuffer bytes, long hostOffset, boolean ucs2) {
        int length = Byte.toUnsignedInt(bytes.get(0));
        if (length == 0) {
            return Optional.empty();
        }
        if (length < MIN_LENGTH - 1 || length > bytes.remaining()) {
            return Optional.empty();
        }
        int nameLength = Byte.toUnsignedInt(bytes.get(32));
        if (33 + nameLength > length) {
            return Optional.empty();
        }
        byte[] raw = new byte[nameLength];
        bytes.get(33, raw);
        int systemUseStart = 33 + nameLength + ((nameLength & 1) == 0 ? 1 : 0);
        ByteBuffer systemUse = systemUseStart < length ? bytes.slice(systemUseStart, length - systemUseStart)
                : ByteBuffer.allocate(0);
        return Optional.of(new DirectoryRecord(length, Integer.toUnsignedLong(bytes.getInt(2)),
                Integer.toUnsignedLong(bytes.getInt(10)), IsoDate.binary(bytes, 18), Byte.toUnsignedInt(bytes.get(25)),
                Byte.toUnsignedInt(bytes.get(26)), Byte.toUnsignedInt(bytes.get(27)), identifier(raw, ucs2), raw, systemUse));
    }

    private static String identifier(byte[] raw, boolean ucs2) {
        if (raw.length == 1 && (raw[0] == 0 || raw[0] == 1)) {
            return raw[0] == 0 ? "." : "..";
        }
        String name = ucs2 ? new String(raw, 0, raw.length & ~1, StandardCharsets.UTF_16BE)
                : new String(raw, StandardCharsets.ISO_8859_1);
        int version = name.lastIndexOf(';');
        if (version >= 0) {
            name = name.substring(0, version);
        }
        if (name.endsWith(".") && !ucs2) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    public boolean directory() {
        return (flags & FLAG_DIRECTORY) != 0;
    }

    public boolean multiExtent() {
        return (flags & FLAG_MULTI_EXTENT) != 0;
    }

    public boolean interleaved() {
        return fileUnitSize != 0 || interleaveGap != 0;
    }

    public boolean self() {
        return rawIdentifier.length == 1 && rawIdentifier[0] == 0;
    }

    public boolean parent() {
        return rawIdentifier.length == 1 && rawIdentifier[0] == 1;
    }
}

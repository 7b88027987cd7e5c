package org.disklens.content.udf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** UDF's strings (OSTA compressed unicode, d-strings) and timestamps (ECMA-167 1/7.3). */
final class UdfText {
    private UdfText() {
    }

    /** Compressed unicode: a compression id (8: one byte per character, 16: UTF-16BE), then the characters. */
    static String compressed(ByteBuffer bytes, int at, int length) {
        if (length <= 0) {
            return "";
        }
        int id = Byte.toUnsignedInt(bytes.get(at));
        byte[] raw = new byte[length - 1];
        bytes.get(at + 1, raw);
        return switch (id) {
            case 8 -> new String(raw, StandardCharsets.ISO_8859_1);
            case 16 -> new String(raw, 0, raw.length & ~1, StandardCharsets.UTF_16BE);
            default -> "";
        };
    }

    /** A d-string of {@code size} bytes: its last byte says how many bytes are used. */
    static String dstring(ByteBuffer bytes, int at, int size) {
        int used = Byte.toUnsignedInt(bytes.get(at + size - 1));
        return used == 0 || used > size - 1 ? "" : compressed(bytes, at, used).strip();
    }

    static Optional<Instant> timestamp(ByteBuffer bytes, int at) {
        int typeAndZone = Short.toUnsignedInt(bytes.getShort(at));
        int zone = typeAndZone & 0x0fff;
        int minutes = zone >= 0x800 ? zone - 0x1000 : zone;
        try {
            LocalDateTime time = LocalDateTime.of(bytes.getShort(at + 2), bytes.get(at + 4), bytes.get(at + 5),
                    bytes.get(at + 6), bytes.get(at + 7), bytes.get(at + 8), Byte.toUnsignedInt(bytes.get(at + 9)) * 10_000_000);
            ZoneOffset offset = minutes == -2047 || Math.abs(minutes) > 1440 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(minutes * 60);
            return Optional.of(time.toInstant(offset));
        } catch (DateTimeException invalid) {
            return Optional.empty();
        }
    }
}

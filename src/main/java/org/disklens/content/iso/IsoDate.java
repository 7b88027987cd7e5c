package org.disklens.content.iso;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** ECMA-119 dates: the 7-byte binary form of directory records and the 17-byte text form of descriptors. */
public final class IsoDate {
    private IsoDate() {
    }

    /** Years since 1900, month, day, hour, minute, second, GMT offset in 15-minute steps. */
    public static Optional<OffsetDateTime> binary(ByteBuffer bytes, int at) {
        int year = Byte.toUnsignedInt(bytes.get(at));
        int month = bytes.get(at + 1);
        int day = bytes.get(at + 2);
        if (month == 0 || day == 0) {
            return Optional.empty();
        }
        return of(1900 + year, month, day, bytes.get(at + 3), bytes.get(at + 4), bytes.get(at + 5), 0, bytes.get(at + 6));
    }

    /** "YYYYMMDDHHMMSScc" digits and a GMT offset byte; all zeroes (or digits '0') mean "not specified". */
    public static Optional<OffsetDateTime> text(ByteBuffer bytes, int at) {
        byte[] digits = new byte[16];
        bytes.get(at, digits);
        String text = new String(digits, StandardCharsets.US_ASCII);
        if (!text.matches("\\d{16}") || text.startsWith("0000")) {
            return Optional.empty();
        }
        return of(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(4, 6)),
                Integer.parseInt(text.substring(6, 8)), Integer.parseInt(text.substring(8, 10)),
                Integer.parseInt(text.substring(10, 12)), Integer.parseInt(text.substring(12, 14)),
                Integer.parseInt(text.substring(14, 16)) * 10_000_000, bytes.get(at + 16));
    }

    private static Optional<OffsetDateTime> of(int year, int month, int day, int hour, int minute, int second, int nanos,
                                               int quarterHours) {
        try {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(Math.max(-48, Math.min(52, quarterHours)) * 15 * 60);
            return Optional.of(OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset));
        } catch (DateTimeException invalid) {
            return Optional.empty();
        }
    }
}

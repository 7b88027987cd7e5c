package org.disklens.content.fat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A directory entry's date and time (fatgen103, "Date and Time Formats"): date bits 15-9 years since 1980, 8-5
 * month, 4-0 day; time bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2. FAT keeps local time without a zone; it is
 * read as UTC. A zero date (never set) or an impossible one (month 13, 30 February, 25 o'clock) is no time at all.
 */
final class FatTime {
    private FatTime() {
    }

    static Optional<Instant> decode(int date, int time) {
        if (date == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.of(1980 + (date >>> 9), (date >>> 5) & 0xf, date & 0x1f, time >>> 11,
                    (time >>> 5) & 0x3f, (time & 0x1f) * 2).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException impossible) {
            return Optional.empty();
        }
    }
}

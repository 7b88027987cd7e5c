package org.disklens.image.ova;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.image.CorruptImage;

/**
 * A POSIX pax extended header (type {@code x}, for the next member): records {@code "<length> <key>=<value>\n"},
 * the length in decimal counting the whole record. An OVA needs {@code path} (a long or non-ASCII name) and
 * {@code size} (past 8 GiB); {@code GNU.sparse.*} keys mark a sparse member, whose data is not stored as one run.
 */
record PaxHeader(Optional<String> path, OptionalLong size, boolean sparse) {

    static PaxHeader parse(byte[] data, long hostOffset, String format) throws CorruptImage {
        Optional<String> path = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        boolean sparse = false;
        int at = 0;
        while (at < data.length) {
            if (data[at] == 0) {
                break; // NUL padding after the last record
            }
            int space = at;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9') {
                length = length * 10 + (data[space] - '0');
                if (length > data.length) {
                    throw corrupt(format, hostOffset, "record length runs past the header");
                }
                space++;
            }
            if (space == at || space >= data.length || data[space] != ' ') {
                throw corrupt(format, hostOffset, "record at byte %d has no length".formatted(at));
            }
            int end = Math.addExact(at, (int) length);
            if (end > data.length || end <= space + 1 || data[end - 1] != '\n') {
                throw corrupt(format, hostOffset, "record at byte %d is not \"<length> <key>=<value>\\n\"".formatted(at));
            }
            String record = new String(data, space + 1, end - 1 - (space + 1), StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw corrupt(format, hostOffset, "record at byte %d has no key".formatted(at));
            }
            String key = record.substring(0, equals);
            String value = record.substring(equals + 1);
            switch (key) {
                case "path" -> path = Optional.of(value);
                case "size" -> size = OptionalLong.of(size(value, format, hostOffset));
                default -> sparse |= key.startsWith("GNU.sparse.");
            }
            at = end;
        }
        return new PaxHeader(path, size, sparse);
    }

    private static long size(String value, String format, long hostOffset) throws CorruptImage {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw corrupt(format, hostOffset, "size '%s' is not a number".formatted(shown(value)));
        }
        return Long.parseLong(value);
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static CorruptImage corrupt(String format, long hostOffset, String problem) {
        return new CorruptImage(format, "pax extended header", hostOffset, problem);
    }
}

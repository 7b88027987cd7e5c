package org.disklens.image;

/**
 * Validation before use (ARCHITECTURE rule 5): a table a header points at must fit in the file and under
 * a cap, computed without overflow, before a single byte of it is read or allocated.
 */
public final class Bounds {
    private Bounds() {
    }

    /**
     * Checks that {@code entries * entrySize} bytes at {@code hostOffset} lie within {@code sourceSize} and
     * are at most {@code maxBytes}; returns the table's size in bytes.
     */
    public static long checkTable(String format, String table, long hostOffset, long entries, long entrySize,
                                  long maxBytes, long sourceSize) throws ImageException {
        if (entries < 0 || hostOffset < 0) {
            throw new CorruptImage(format, table, hostOffset, "negative offset or size (%d entries)".formatted(entries));
        }
        long bytes;
        long end;
        try {
            bytes = Math.multiplyExact(entries, entrySize);
            end = Math.addExact(hostOffset, bytes);
        } catch (ArithmeticException overflow) {
            throw new LimitExceeded(format, table, hostOffset, "%d entries overflow a 64-bit size".formatted(entries));
        }
        if (bytes > maxBytes) {
            throw new LimitExceeded(format, table, hostOffset,
                    "%d entries (%d bytes) exceed the limit of %d bytes".formatted(entries, bytes, maxBytes));
        }
        if (end > sourceSize) {
            throw new CorruptImage(format, table, hostOffset,
                    "%d bytes run past the end of the file (0x%x)".formatted(bytes, sourceSize));
        }
        return bytes;
    }

    /** Checks that {@code hostOffset} is a multiple of {@code alignment} (a power of two). */
    public static void checkAligned(String format, String what, long hostOffset, long alignment) throws ImageException {
        if ((hostOffset & (alignment - 1)) != 0) {
            throw new CorruptImage(format, what, hostOffset, "not aligned to %d bytes".formatted(alignment));
        }
    }
}

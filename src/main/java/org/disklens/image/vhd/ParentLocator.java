package org.disklens.image.vhd;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One of the eight parent locator entries of a differencing disk's dynamic header (24 bytes, big-endian): where a
 * platform-specific path to the parent is stored in the file.
 * <pre>
 *  0 platform code   4 platform data space   8 platform data length   12 reserved   16 platform data offset (64-bit)
 * </pre>
 * Codes: {@code W2ru} (Windows path relative to this file, UTF-16), {@code W2ku} (absolute Windows path, UTF-16),
 * {@code MacX} (a {@code file://} URL, UTF-8), {@code Mac } (a Mac OS alias blob), {@code Wi2r}/{@code Wi2k}
 * (deprecated ANSI paths), 0 (no locator). The data space is the space reserved for the data: in sectors by the
 * specification, in bytes as some writers store it (a value of 512 or more is taken as bytes).
 */
record ParentLocator(int platformCode, long dataSpace, long dataLength, long dataOffset) {
    static final int SIZE = 24;
    static final int W2RU = VhdFooter.fourCc("W2ru");
    static final int W2KU = VhdFooter.fourCc("W2ku");
    static final int MACX = VhdFooter.fourCc("MacX");
    static final int MAC = VhdFooter.fourCc("Mac ");
    static final int WI2R = VhdFooter.fourCc("Wi2r");
    static final int WI2K = VhdFooter.fourCc("Wi2k");
    /** Locator data longer than this is not read (a Windows path is at most 32,767 UTF-16 units). */
    static final long MAX_DATA = 64 << 10;

    static ParentLocator parse(ByteBuffer bytes) {
        ByteBuffer be = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = be.position();
        return new ParentLocator(be.getInt(p), Integer.toUnsignedLong(be.getInt(p + 4)),
                Integer.toUnsignedLong(be.getInt(p + 8)), be.getLong(p + 16));
    }

    void encodeInto(ByteBuffer be, int at) {
        be.putInt(at, platformCode).putInt(at + 4, (int) dataSpace).putInt(at + 8, (int) dataLength)
                .putInt(at + 12, 0).putLong(at + 16, dataOffset);
    }

    boolean present() {
        return platformCode != 0;
    }

    String platformName() {
        return VhdFooter.fourCcText(platformCode);
    }

    /** The bytes reserved for the data in the file. */
    long reservedBytes() {
        long space = dataSpace < 512 ? dataSpace * 512 : dataSpace;
        return Math.max(space, dataLength);
    }

    /** Whether this locator holds a path DiskLens can read ({@code Mac } aliases are opaque). */
    boolean readable() {
        return platformCode == W2RU || platformCode == W2KU || platformCode == MACX || platformCode == WI2R
                || platformCode == WI2K;
    }

    /** The path this locator's {@code data} spells, with {@code /} separators; empty when it spells none. */
    Optional<String> path(byte[] data) {
        String text;
        if (platformCode == W2RU || platformCode == W2KU) {
            text = utf16(data, data.length);
        } else if (platformCode == WI2R || platformCode == WI2K) {
            text = new String(data, StandardCharsets.ISO_8859_1);
        } else if (platformCode == MACX) {
            return fileUrlPath(new String(data, StandardCharsets.UTF_8).replace("\0", "").strip());
        } else {
            return Optional.empty();
        }
        text = text.replace("\0", "").strip().replace('\\', '/');
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** {@code file://localhost/Users/a/disk.vhd} → {@code /Users/a/disk.vhd}; a relative {@code ./disk.vhd} as is. */
    private static Optional<String> fileUrlPath(String url) {
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.regionMatches(true, 0, "file:", 0, 5)) {
            return Optional.of(url);
        }
        try {
            String path = new URI(url.replace(" ", "%20")).getPath();
            return path == null || path.isEmpty() ? Optional.empty() : Optional.of(path);
        } catch (URISyntaxException notAUrl) {
            return Optional.empty();
        }
    }

    /**
     * UTF-16 text of unknown byte order, up to the first NUL unit: the specification does not say which order, and
     * writers differ (the parent name is big-endian, Windows' locators little-endian), so the order is the one whose
     * high bytes are zero more often — right for every path in a Latin script.
     */
    static String utf16(byte[] data, int length) {
        int even = 0;
        int odd = 0;
        int usable = length & ~1;
        for (int i = 0; i < usable; i += 2) {
            even += data[i] == 0 ? 1 : 0;
            odd += data[i + 1] == 0 ? 1 : 0;
        }
        boolean bigEndian = even > odd;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < usable; i += 2) {
            int unit = bigEndian ? (data[i] & 0xff) << 8 | data[i + 1] & 0xff : (data[i + 1] & 0xff) << 8 | data[i] & 0xff;
            if (unit == 0) {
                break;
            }
            text.append((char) unit);
        }
        return text.toString();
    }
}

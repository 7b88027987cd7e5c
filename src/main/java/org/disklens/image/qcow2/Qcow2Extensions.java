package org.disklens.image.qcow2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;

/**
 * The header extensions between the header and the backing file name (or the end of the first cluster).
 * Known ones are decoded; unknown ones are kept and shown, never dropped silently.
 */
public record Qcow2Extensions(
        Optional<String> backingFormat,
        List<FeatureName> featureNames,
        Optional<BitmapsExtension> bitmaps,
        Optional<CryptoHeader> cryptoHeader,
        Optional<String> dataFile,
        List<Unknown> unknown) {

    static final int END = 0;
    static final int BACKING_FORMAT = 0xe2792aca;
    static final int FEATURE_TABLE = 0x6803f857;
    /** Bytes of one feature name table entry: type, bit number, 46 bytes of name. */
    static final int FEATURE_NAME_ENTRY = 48;
    static final int BITMAPS = 0x23852875;
    static final int CRYPTO_HEADER = 0x0537be77;
    static final int DATA_FILE = 0x44415441;

    /** qemu keeps at most 65535 bitmaps and a directory of at most 64 MiB. */
    static final long MAX_BITMAPS = 65535;
    static final long MAX_BITMAP_DIRECTORY_SIZE = 64L << 20;

    /** A named feature bit: {@code type} 0 incompatible, 1 compatible, 2 autoclear. */
    public record FeatureName(int type, int bit, String name) {
    }

    public record BitmapsExtension(long count, long directorySize, long directoryOffset) {
    }

    /** Where the full-disk-encryption (LUKS) header lives in the file. */
    public record CryptoHeader(long offset, long length) {
    }

    public record Unknown(int type, int length, long hostOffset) {
    }

    /**
     * Decodes the extensions in {@code firstCluster} from {@code start} up to {@code end} (exclusive),
     * both offsets from the start of the file.
     */
    static Qcow2Extensions parse(ByteBuffer firstCluster, int start, int end) throws ImageException {
        Optional<String> backingFormat = Optional.empty();
        Optional<String> dataFile = Optional.empty();
        Optional<BitmapsExtension> bitmaps = Optional.empty();
        Optional<CryptoHeader> crypto = Optional.empty();
        List<FeatureName> features = new ArrayList<>();
        List<Unknown> unknown = new ArrayList<>();
        int offset = start;
        while (offset <= end - 8) {
            int type = firstCluster.getInt(offset);
            long length = Integer.toUnsignedLong(firstCluster.getInt(offset + 4));
            if (type == END) {
                break;
            }
            int data = offset + 8;
            if (length > end - data) {
                throw new CorruptImage("qcow2", "header extension 0x%08x".formatted(type), offset,
                        "length %d runs past the extension area".formatted(length));
            }
            ByteBuffer body = firstCluster.slice(data, (int) length);
            switch (type) {
                case BACKING_FORMAT -> backingFormat = Optional.of(string(body));
                case DATA_FILE -> dataFile = Optional.of(string(body));
                case FEATURE_TABLE -> features.addAll(featureNames(body));
                case BITMAPS -> bitmaps = Optional.of(bitmaps(body, offset));
                case CRYPTO_HEADER -> crypto = Optional.of(cryptoHeader(body, offset));
                default -> unknown.add(new Unknown(type, (int) length, offset));
            }
            offset = data + (int) ((length + 7) & ~7L);
        }
        return new Qcow2Extensions(backingFormat, List.copyOf(features), bitmaps, crypto, dataFile, List.copyOf(unknown));
    }

    private static String string(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<FeatureName> featureNames(ByteBuffer body) {
        List<FeatureName> names = new ArrayList<>();
        for (int entry = 0; entry + FEATURE_NAME_ENTRY <= body.limit(); entry += FEATURE_NAME_ENTRY) {
            byte[] name = new byte[46];
            body.get(entry + 2, name);
            int length = 0;
            while (length < name.length && name[length] != 0) {
                length++;
            }
            names.add(new FeatureName(Byte.toUnsignedInt(body.get(entry)), Byte.toUnsignedInt(body.get(entry + 1)),
                    new String(name, 0, length, StandardCharsets.UTF_8)));
        }
        return names;
    }

    private static BitmapsExtension bitmaps(ByteBuffer body, int at) throws ImageException {
        if (body.limit() < 24) {
            throw new CorruptImage("qcow2", "bitmaps extension", at, "too short (%d bytes)".formatted(body.limit()));
        }
        long count = Integer.toUnsignedLong(body.getInt(0));
        long directorySize = body.getLong(8);
        long directoryOffset = body.getLong(16);
        if (count == 0 || count > MAX_BITMAPS) {
            throw new LimitExceeded("qcow2", "bitmaps extension", at, "%d bitmaps (1 to %d allowed)".formatted(count, MAX_BITMAPS));
        }
        if (directorySize < 0 || directorySize > MAX_BITMAP_DIRECTORY_SIZE) {
            throw new LimitExceeded("qcow2", "bitmaps extension", at,
                    "bitmap directory of %s bytes exceeds 64 MiB".formatted(Long.toUnsignedString(directorySize)));
        }
        return new BitmapsExtension(count, directorySize, directoryOffset);
    }

    private static CryptoHeader cryptoHeader(ByteBuffer body, int at) throws ImageException {
        if (body.limit() < 16) {
            throw new CorruptImage("qcow2", "encryption header pointer", at, "too short (%d bytes)".formatted(body.limit()));
        }
        return new CryptoHeader(body.getLong(0), body.getLong(8));
    }
}

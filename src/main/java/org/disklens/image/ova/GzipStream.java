package org.disklens.image.ova;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A gzip file (RFC 1952: one member or several, one after the other) inflated front to back: each member's header
 * parsed here (FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT; reserved flags refused), its deflate data inflated by the JDK's
 * raw {@link Inflater}, its trailer's CRC-32 and ISIZE checked against what was inflated. Errors name the offset in
 * the compressed file ({@code gzip data at member offset 0x…}), after {@code what} (which disk of which OVA).
 *
 * <pre>
 * member  = header, deflate data, trailer
 * header  = ID1 0x1f, ID2 0x8b, CM 8 (deflate), FLG, MTIME[4], XFL, OS
 *           [FEXTRA: XLEN[2] LE, XLEN bytes] [FNAME: text, 0] [FCOMMENT: text, 0] [FHCRC: low 16 bits of the header's CRC-32]
 *           FLG bits: 0 FTEXT, 1 FHCRC, 2 FEXTRA, 3 FNAME, 4 FCOMMENT, 5-7 reserved (must be 0)
 * trailer = CRC32[4] LE of the inflated bytes, ISIZE[4] LE = inflated length mod 2^32
 * </pre>
 */
final class GzipStream implements Closeable {
    /** FNAME and FCOMMENT are zero-terminated with no length given: longer ones are refused. */
    static final int MAX_TEXT_FIELD = 64 << 10;
    private static final int INPUT_BYTES = 64 << 10;
    private static final int FHCRC = 1 << 1;
    private static final int FEXTRA = 1 << 2;
    private static final int FNAME = 1 << 3;
    private static final int FCOMMENT = 1 << 4;
    private static final int RESERVED = 0xe0;

    private final BlockSource compressed;
    private final String what;
    private final long compressedSize;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] input = new byte[INPUT_BYTES];
    /** Compressed bytes handed to the inflater so far: where the next input is read. */
    private long fed;
    private long memberStart;
    /** Inflated bytes of the current member. */
    private long memberBytes;
    private boolean ended;

    GzipStream(BlockSource compressed, String what) throws IOException {
        this.compressed = compressed;
        this.what = what;
        this.compressedSize = compressed.size();
        if (compressedSize == 0) {
            throw corrupt(0, "the file is empty, not gzip data");
        }
        startMember(0);
    }

    /**
     * Inflates up to {@code length} bytes into {@code out} from {@code offset}; fewer only at the end of the last
     * member (0 once the stream has ended). Every member's trailer is checked as it is reached.
     */
    /** Compressed bytes inflated so far (to the input buffer's 64 KiB): how far a pass over the stream has come. */
    long consumed() {
        return ended ? compressedSize : fed - inflater.getRemaining();
    }

    /** The compressed size. */
    long compressedSize() {
        return compressedSize;
    }

    int inflate(byte[] out, int offset, int length) throws IOException {
        int total = 0;
        int stalled = 0;
        while (total < length && !ended) {
            int count;
            try {
                count = inflater.inflate(out, offset + total, length - total);
            } catch (DataFormatException invalid) {
                throw corrupt(fed - inflater.getRemaining(), "not valid deflate data (%s) in the member that starts at 0x%x"
                        .formatted(invalid.getMessage(), memberStart));
            }
            if (count > 0) {
                crc.update(out, offset + total, count);
                total += count;
                memberBytes += count;
                stalled = 0;
            } else if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw corrupt(fed - inflater.getRemaining(), "the deflate data asks for a preset dictionary, which gzip does not have");
            } else if (inflater.needsInput()) {
                feed();
            } else if (++stalled > 2) {
                throw corrupt(fed - inflater.getRemaining(), "the deflate data makes no progress");
            }
        }
        return total;
    }

    private void feed() throws IOException {
        int count = (int) Math.min(input.length, compressedSize - fed);
        if (count == 0) {
            throw corrupt(compressedSize, "the data ends inside the gzip member that starts at 0x%x (truncated)"
                    .formatted(memberStart));
        }
        compressed.read(fed, ByteBuffer.wrap(input, 0, count));
        inflater.setInput(input, 0, count);
        fed += count;
    }

    /** The member's deflate data is done: its trailer must match, then the next member (if any) begins. */
    private void endMember() throws IOException {
        long at = fed - inflater.getRemaining();
        if (at > compressedSize - 8) {
            throw corrupt(at, "the gzip member that starts at 0x%x ends without its 8-byte trailer (truncated)"
                    .formatted(memberStart));
        }
        ByteBuffer trailer = compressed.read(at, 8, ByteOrder.LITTLE_ENDIAN);
        long storedCrc = Integer.toUnsignedLong(trailer.getInt(0));
        long storedSize = Integer.toUnsignedLong(trailer.getInt(4));
        if (storedCrc != crc.getValue()) {
            throw corrupt(at, "CRC-32 mismatch (the trailer says 0x%08x, the inflated data has 0x%08x)"
                    .formatted(storedCrc, crc.getValue()));
        }
        if (storedSize != (memberBytes & 0xffffffffL)) {
            throw corrupt(at + 4, "ISIZE mismatch (the trailer says %d, the member inflated to %d bytes mod 2^32)"
                    .formatted(storedSize, memberBytes & 0xffffffffL));
        }
        if (at + 8 == compressedSize) {
            ended = true;
        } else {
            startMember(at + 8);
        }
    }

    /** Parses the member header at {@code at} and readies the inflater for its deflate data. */
    private void startMember(long at) throws IOException {
        CRC32 headerCrc = new CRC32();
        byte[] start = bytes(at, (int) Math.min(2, compressedSize - at), at, "a gzip header");
        if (start.length < 2 || (start[0] & 0xff) != 0x1f || (start[1] & 0xff) != 0x8b) {
            throw corrupt(at, at > 0 ? "the bytes after the gzip member that ends there are not another gzip member"
                    : start.length < 2 ? "not gzip data (1 byte)"
                    : "not gzip data (it starts with 0x%02x 0x%02x, not 0x1f 0x8b)".formatted(start[0] & 0xff, start[1] & 0xff));
        }
        byte[] fixed = bytes(at, 10, at, "a gzip header");
        if (fixed[2] != 8) {
            throw new UnsupportedFeature(message(at, "compression method %d, not deflate (8)".formatted(fixed[2] & 0xff)));
        }
        int flags = fixed[3] & 0xff;
        if ((flags & RESERVED) != 0) {
            throw corrupt(at + 3, "reserved header flags are set (0x%02x)".formatted(flags));
        }
        headerCrc.update(fixed);
        long position = at + 10;
        if ((flags & FEXTRA) != 0) {
            byte[] length = bytes(position, 2, at, "a gzip header");
            headerCrc.update(length);
            int extra = (length[0] & 0xff) | (length[1] & 0xff) << 8;
            headerCrc.update(bytes(position + 2, extra, at, "a gzip header"));
            position += 2 + extra;
        }
        if ((flags & FNAME) != 0) {
            position = zeroTerminated(position, at, "file name (FNAME)", headerCrc);
        }
        if ((flags & FCOMMENT) != 0) {
            position = zeroTerminated(position, at, "comment (FCOMMENT)", headerCrc);
        }
        if ((flags & FHCRC) != 0) {
            byte[] stored = bytes(position, 2, at, "a gzip header");
            int expected = (stored[0] & 0xff) | (stored[1] & 0xff) << 8;
            int actual = (int) (headerCrc.getValue() & 0xffff);
            if (expected != actual) {
                throw corrupt(position, "header CRC-16 mismatch (the header says 0x%04x, its bytes have 0x%04x)"
                        .formatted(expected, actual));
            }
            position += 2;
        }
        inflater.reset();
        crc.reset();
        memberStart = at;
        memberBytes = 0;
        fed = position;
    }

    /** Skips a zero-terminated header field, adding it to the header's CRC; returns the position after the zero. */
    private long zeroTerminated(long position, long member, String field, CRC32 headerCrc) throws IOException {
        long start = position;
        byte[] block = new byte[4096];
        while (true) {
            if (position - start >= MAX_TEXT_FIELD) {
                throw new LimitExceeded(message(start, "the header's %s is longer than %d bytes".formatted(field, MAX_TEXT_FIELD)));
            }
            int count = (int) Math.min(block.length, compressedSize - position);
            if (count == 0) {
                throw corrupt(position, "the data ends inside the header of the gzip member that starts at 0x%x (truncated)"
                        .formatted(member));
            }
            compressed.read(position, ByteBuffer.wrap(block, 0, count));
            for (int i = 0; i < count; i++) {
                if (block[i] == 0) {
                    headerCrc.update(block, 0, i + 1);
                    return position + i + 1;
                }
            }
            headerCrc.update(block, 0, count);
            position += count;
        }
    }

    private byte[] bytes(long position, int count, long member, String structure) throws IOException {
        if (position > compressedSize - count) {
            throw corrupt(position, "the data ends inside %s (the member that starts at 0x%x; truncated)"
                    .formatted(structure, member));
        }
        byte[] bytes = new byte[count];
        compressed.read(position, ByteBuffer.wrap(bytes));
        return bytes;
    }

    private String message(long position, String problem) {
        return "%s: gzip data at member offset 0x%x: %s".formatted(what, position, problem);
    }

    private CorruptImage corrupt(long position, String problem) {
        return new CorruptImage(message(position, problem));
    }

    @Override
    public void close() {
        inflater.end();
    }
}

package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.io.BlockSource;

/**
 * The metadata log: a circular buffer of 4 KiB sectors holding entries ({@code loge}) of descriptors ({@code zero},
 * {@code desc}) and data sectors ({@code data}). When the current header names a log GUID, the active sequence
 * (MS-VHDX 2.3.3) is found and replayed into a {@link ReplayedSource}, in memory.
 *
 * <pre>
 * entry header (64 bytes):  0 "loge"   4 checksum (CRC-32C of the whole entry)   8 entry length (4 KiB multiple)
 *    12 tail (log offset of the sequence's first entry)   16 sequence number (&ne; 0)   24 descriptor count
 *    32 log GUID   48 flushed file offset   56 last file offset
 * descriptor (32 bytes, after the header, 126 in the first sector and 128 in each further one):
 *    "zero":  8 length (4 KiB multiple)   16 file offset   24 sequence number
 *    "desc":  4 trailing 4 bytes   8 leading 8 bytes   16 file offset   24 sequence number
 * data sector (4 KiB, one per "desc", after the descriptor sectors):  0 "data"   4 sequence high   8..4091 data
 *    4092 sequence low
 * </pre>
 */
final class VhdxLog {
    static final int SECTOR = 4096;
    static final int ENTRY_SIGNATURE = 0x65676f6c; // "loge"
    static final int ZERO_SIGNATURE = 0x6f72657a; // "zero"
    static final int DESC_SIGNATURE = 0x63736564; // "desc"
    static final int DATA_SIGNATURE = 0x61746164; // "data"
    /** The header section a log may never write: the file identifier and both headers. */
    static final long PROTECTED_END = 192 * 1024;
    /** Bytes of data sectors kept in memory for a replay. */
    static final long MAX_REPLAYED_BYTES = 256L << 20;
    /** Descriptors kept for one entry. */
    static final long MAX_DESCRIPTORS = 1 << 20;
    /** A file the log may extend to: 64 TiB of payload and then some. */
    static final long MAX_FILE_SIZE = 1L << 47;

    record Descriptor(boolean zero, long fileOffset, long length, long leading, int trailing) {
    }

    /** A valid entry: where it is in the log, its header fields, and its descriptors. */
    record Entry(long logOffset, long length, long tail, long sequenceNumber, long flushedFileOffset,
                 long lastFileOffset, int descriptorSectors, List<Descriptor> descriptors) {
    }

    private final BlockSource file;
    private final long logOffset;
    private final long logLength;
    private final Guid logGuid;
    private final Map<Long, Optional<Entry>> validated = new HashMap<>();
    private long bytesChecked;
    private long cachedChunk = -1;
    private ByteBuffer chunk;
    private static final int CHUNK = 64 * 1024;

    private VhdxLog(BlockSource file, VhdxHeader header) {
        this.file = file;
        this.logOffset = header.logOffset();
        this.logLength = header.logLength();
        this.logGuid = header.logGuid();
    }

    /**
     * The file with the log replayed over it, or the file itself when the header names no log. The log's
     * placement is checked first; a log GUID without an active sequence refuses the file, as the spec says.
     */
    static BlockSource replay(BlockSource file, VhdxHeader header, long headerOffset) throws IOException {
        if (header.logVersion() != 0) {
            throw new CorruptImage("vhdx", "header", headerOffset, "log version %d (only 0 is defined)".formatted(header.logVersion()));
        }
        checkPlacement(file, header, headerOffset);
        if (!header.hasLog()) {
            return file;
        }
        VhdxLog log = new VhdxLog(file, header);
        List<Entry> active = log.activeSequence().orElseThrow(() -> new CorruptImage("vhdx", "log", header.logOffset(),
                "the header names log %s but the log holds no complete sequence of its entries".formatted(header.logGuid())));
        ReplayedSource replayed = new ReplayedSource(file);
        log.apply(active, replayed);
        return replayed;
    }

    /** The log's offset and length are MiB multiples, after the header section and inside the file. */
    static void checkPlacement(BlockSource file, VhdxHeader header, long headerOffset) throws IOException {
        long mib = 1 << 20;
        if (header.logOffset() < mib || header.logOffset() % mib != 0 || header.logLength() % mib != 0) {
            throw new CorruptImage("vhdx", "header", headerOffset, "log at 0x%x of %d bytes is not on 1 MiB boundaries after the header section"
                    .formatted(header.logOffset(), header.logLength()));
        }
        if (header.logLength() > 0 && header.hasLog() && header.logOffset() > file.size() - header.logLength()) {
            throw new CorruptImage("vhdx", "log", header.logOffset(), "%d bytes run past the end of the file (0x%x)"
                    .formatted(header.logLength(), file.size()));
        }
    }

    /** MS-VHDX 2.3.3: every tail position is tried; the valid, complete sequence with the highest number wins. */
    Optional<List<Entry>> activeSequence() throws IOException {
        List<Entry> candidate = null;
        long currentTail = 0;
        long oldTail = 0;
        while (true) {
            List<Entry> sequence = new ArrayList<>();
            long head = currentTail;
            long covered = 0;
            while (true) {
                Optional<Entry> next = entryAt(head);
                if (next.isEmpty()) {
                    break;
                }
                Entry entry = next.get();
                if (!sequence.isEmpty() && entry.sequenceNumber() != sequence.getLast().sequenceNumber() + 1) {
                    break;
                }
                covered += entry.length();
                if (covered > logLength) {
                    throw new CorruptImage("vhdx", "log", logOffset + head,
                            "entries from 0x%x on loop around the log".formatted(logOffset + currentTail));
                }
                sequence.add(entry);
                head = (head + entry.length()) % logLength;
            }
            List<Entry> complete = completed(sequence);
            if (complete != null && (candidate == null
                    || complete.getLast().sequenceNumber() > candidate.getLast().sequenceNumber())) {
                candidate = complete;
            }
            currentTail = complete == null ? (currentTail + SECTOR) % logLength : head;
            if (currentTail <= oldTail) {
                break;
            }
            oldTail = currentTail;
        }
        if (candidate != null && candidate.getLast().flushedFileOffset() > file.size()) {
            throw new CorruptImage("vhdx", "log", logOffset + candidate.getLast().logOffset(),
                    "the file was truncated: the log says it was 0x%x bytes, it has 0x%x"
                            .formatted(candidate.getLast().flushedFileOffset(), file.size()));
        }
        return Optional.ofNullable(candidate);
    }

    /** The part of {@code sequence} from its head entry's tail on, or null when the tail is not one of its entries. */
    private static List<Entry> completed(List<Entry> sequence) {
        if (sequence.isEmpty()) {
            return null;
        }
        long tail = sequence.getLast().tail();
        for (int i = 0; i < sequence.size(); i++) {
            if (sequence.get(i).logOffset() == tail) {
                return List.copyOf(sequence.subList(i, sequence.size()));
            }
        }
        return null;
    }

    /** The valid entry at {@code at} (a log offset), validated once. */
    private Optional<Entry> entryAt(long at) throws IOException {
        Optional<Entry> known = validated.get(at);
        if (known == null) {
            known = validate(at);
            validated.put(at, known);
        }
        return known;
    }

    private Optional<Entry> validate(long at) throws IOException {
        ByteBuffer first = sector(at);
        if (first.getInt(0) != ENTRY_SIGNATURE) {
            return Optional.empty();
        }
        long length = Integer.toUnsignedLong(first.getInt(8));
        long tail = Integer.toUnsignedLong(first.getInt(12));
        long sequenceNumber = first.getLong(16);
        long descriptorCount = Integer.toUnsignedLong(first.getInt(24));
        long descriptorSectors = Math.ceilDiv(descriptorCount + 2, 128);
        if (length == 0 || length % SECTOR != 0 || length > logLength || tail % SECTOR != 0 || tail >= logLength
                || sequenceNumber == 0 || !Guid.parse(first, 32).equals(logGuid)
                || descriptorSectors * SECTOR > length) {
            return Optional.empty();
        }
        if (descriptorCount > MAX_DESCRIPTORS) {
            throw new LimitExceeded("vhdx", "log entry", logOffset + at, "%d descriptors exceed the limit of %d"
                    .formatted(descriptorCount, MAX_DESCRIPTORS));
        }
        if (!checksumValid(at, length, first.getInt(4))) {
            return Optional.empty();
        }
        List<Descriptor> descriptors = new ArrayList<>();
        long dataSector = descriptorSectors;
        for (long i = 0; i < descriptorCount; i++) {
            long byteInEntry = 64 + i * 32;
            ByteBuffer holder = sector((at + byteInEntry / SECTOR * SECTOR) % logLength);
            int offset = (int) (byteInEntry % SECTOR);
            int signature = holder.getInt(offset);
            long fileOffset = holder.getLong(offset + 16);
            if (holder.getLong(offset + 24) != sequenceNumber || fileOffset % SECTOR != 0) {
                return Optional.empty();
            }
            if (signature == ZERO_SIGNATURE) {
                long zeroLength = holder.getLong(offset + 8);
                if (zeroLength % SECTOR != 0) {
                    return Optional.empty();
                }
                descriptors.add(new Descriptor(true, fileOffset, zeroLength, 0, 0));
            } else if (signature == DESC_SIGNATURE) {
                if ((dataSector + 1) * SECTOR > length || !dataSectorMatches(at, dataSector, sequenceNumber)) {
                    return Optional.empty();
                }
                descriptors.add(new Descriptor(false, fileOffset, SECTOR, holder.getLong(offset + 8), holder.getInt(offset + 4)));
                dataSector++;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new Entry(at, length, tail, sequenceNumber, first.getLong(48), first.getLong(56),
                (int) descriptorSectors, List.copyOf(descriptors)));
    }

    private boolean dataSectorMatches(long entryAt, long sectorInEntry, long sequenceNumber) throws IOException {
        ByteBuffer data = sector((entryAt + sectorInEntry * SECTOR) % logLength);
        long high = Integer.toUnsignedLong(data.getInt(4));
        long low = Integer.toUnsignedLong(data.getInt(4092));
        return data.getInt(0) == DATA_SIGNATURE && ((high << 32) | low) == sequenceNumber;
    }

    /** The CRC-32C over the whole entry (wrapping around the log's end), its checksum field read as zero. */
    private boolean checksumValid(long at, long length, int stored) throws IOException {
        bytesChecked += length;
        if (bytesChecked > 16 * Math.max(logLength, 16L << 20)) {
            throw new LimitExceeded("vhdx", "log", logOffset, "finding the active sequence would read more than 16 times the log");
        }
        CRC32C crc = new CRC32C();
        for (long done = 0; done < length; done += SECTOR) {
            ByteBuffer bytes = sector((at + done) % logLength);
            if (done == 0) {
                byte[] copy = new byte[SECTOR];
                bytes.get(0, copy);
                copy[4] = copy[5] = copy[6] = copy[7] = 0;
                crc.update(copy);
            } else {
                crc.update(bytes.duplicate().clear());
            }
        }
        return (int) crc.getValue() == stored;
    }

    /** One 4 KiB sector of the log (a log offset), read through a 1 MiB window. */
    private ByteBuffer sector(long at) throws IOException {
        long index = at / CHUNK;
        if (index != cachedChunk) {
            int length = (int) Math.min(CHUNK, logLength - index * CHUNK);
            chunk = file.read(logOffset + index * CHUNK, length, ByteOrder.LITTLE_ENDIAN);
            cachedChunk = index;
        }
        return chunk.slice((int) (at - cachedChunk * CHUNK), SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Replays the entries in order, checking each write's place first. */
    private void apply(List<Entry> sequence, ReplayedSource target) throws IOException {
        Entry head = sequence.getLast();
        long limit = Math.max(file.size(), head.lastFileOffset());
        if (head.lastFileOffset() > MAX_FILE_SIZE || head.lastFileOffset() < 0) {
            throw new LimitExceeded("vhdx", "log entry", logOffset + head.logOffset(),
                    "last file offset 0x%x is beyond any VHDX file".formatted(head.lastFileOffset()));
        }
        long replayedBytes = 0;
        for (Entry entry : sequence) {
            long dataSector = entry.descriptorSectors();
            for (Descriptor descriptor : entry.descriptors()) {
                checkTarget(entry, descriptor, limit);
                if (descriptor.zero()) {
                    target.write(descriptor.fileOffset(), descriptor.length(), null);
                    continue;
                }
                replayedBytes += SECTOR;
                if (replayedBytes > MAX_REPLAYED_BYTES) {
                    throw new LimitExceeded("vhdx", "log", logOffset, "replaying more than %d MiB of data is refused"
                            .formatted(MAX_REPLAYED_BYTES >> 20));
                }
                ByteBuffer data = sector((entry.logOffset() + dataSector * SECTOR) % logLength);
                byte[] bytes = new byte[SECTOR];
                data.get(0, bytes);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, descriptor.leading())
                        .putInt(SECTOR - 4, descriptor.trailing());
                target.write(descriptor.fileOffset(), SECTOR, bytes);
                dataSector++;
            }
        }
        target.extendTo(Math.ceilDiv(head.lastFileOffset(), 1L << 20) << 20); // qemu rounds up to a MiB, as files grow

    }

    private void checkTarget(Entry entry, Descriptor descriptor, long limit) throws ImageException {
        long start = descriptor.fileOffset();
        long end = start + descriptor.length();
        long where = logOffset + entry.logOffset();
        if (start < 0 || end < start || end > limit) {
            throw new CorruptImage("vhdx", "log entry", where, "a descriptor writes 0x%x bytes at 0x%x, past the end of the file (0x%x)"
                    .formatted(descriptor.length(), start, limit));
        }
        if (start < PROTECTED_END) {
            throw new CorruptImage("vhdx", "log entry", where, "a descriptor writes at 0x%x, into the headers".formatted(start));
        }
        if (start < logOffset + logLength && end > logOffset) {
            throw new CorruptImage("vhdx", "log entry", where, "a descriptor writes at 0x%x, into the log itself".formatted(start));
        }
    }
}

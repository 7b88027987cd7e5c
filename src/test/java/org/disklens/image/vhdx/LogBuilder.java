package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes log entries into a VHDX file's log region the way MS-VHDX 2.3.1 lays them out (header, descriptors, data
 * sectors, CRC-32C over the whole entry, wrapping around the log's end) and sets the log GUID in the current header:
 * a file whose pending updates a reader must replay. Entries go in the order they are added; an entry's checksum
 * covers the log's bytes as they are when it is added (so overlapping, hostile entries can be built too).
 */
final class LogBuilder {
    static final int SECTOR = 4096;

    /** A "desc" descriptor (its 4 KiB sector of {@code data}) or a "zero" descriptor of {@code zeroLength} bytes. */
    record Descriptor(long fileOffset, byte[] data, long zeroLength) {
        static Descriptor data(long fileOffset, byte[] sector) {
            return new Descriptor(fileOffset, sector, 0);
        }

        static Descriptor zero(long fileOffset, long length) {
            return new Descriptor(fileOffset, null, length);
        }
    }

    private final Path file;
    private final int current;
    private final VhdxHeader header;
    private final ByteBuffer log;
    private final Guid guid = Guid.random();
    private final long fileSize;

    LogBuilder(Path file) throws IOException {
        this.file = file;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            VhdxHeader[] headers = {read(channel, VhdxHeader.FIRST_OFFSET), read(channel, VhdxHeader.SECOND_OFFSET)};
            this.current = VhdxImage.currentHeader(headers);
            this.header = headers[current];
            this.log = ByteBuffer.allocate((int) header.logLength()).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(log, header.logOffset());
            this.fileSize = channel.size();
        }
        log.clear();
    }

    private static VhdxHeader read(FileChannel channel, long at) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(VhdxHeader.SIZE);
        channel.read(bytes, at);
        return VhdxHeader.parse(bytes.flip());
    }

    long logOffset() {
        return header.logOffset();
    }

    long logLength() {
        return header.logLength();
    }

    /** An entry as a writer makes it: right after the previous one, its tail pointing at the sequence's first entry. */
    LogBuilder entry(long at, long sequenceNumber, long tail, List<Descriptor> descriptors) {
        long dataSectors = descriptors.stream().filter(d -> d.data() != null).count();
        long descriptorSectors = Math.ceilDiv(descriptors.size() + 2, 128);
        return entry(at, (descriptorSectors + dataSectors) * SECTOR, sequenceNumber, tail, descriptors, fileSize, fileSize);
    }

    LogBuilder entry(long at, long length, long sequenceNumber, long tail, List<Descriptor> descriptors,
                     long flushedFileOffset, long lastFileOffset) {
        ByteBuffer first = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        long descriptorSectors = Math.ceilDiv(descriptors.size() + 2, 128);
        ByteBuffer entry = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        entry.putInt(0, VhdxLog.ENTRY_SIGNATURE).putInt(8, (int) length).putInt(12, (int) tail).putLong(16, sequenceNumber)
                .putInt(24, descriptors.size());
        guid.encode(entry, 32);
        entry.putLong(48, flushedFileOffset).putLong(56, lastFileOffset);
        long dataSector = descriptorSectors;
        for (int i = 0; i < descriptors.size(); i++) {
            Descriptor descriptor = descriptors.get(i);
            int d = 64 + i * 32;
            entry.putLong(d + 16, descriptor.fileOffset()).putLong(d + 24, sequenceNumber);
            if (descriptor.data() == null) {
                entry.putInt(d, VhdxLog.ZERO_SIGNATURE).putLong(d + 8, descriptor.zeroLength());
            } else {
                ByteBuffer sector = ByteBuffer.wrap(descriptor.data()).order(ByteOrder.LITTLE_ENDIAN);
                entry.putInt(d, VhdxLog.DESC_SIGNATURE).putInt(d + 4, sector.getInt(SECTOR - 4)).putLong(d + 8, sector.getLong(0));
                int s = (int) (dataSector * SECTOR);
                entry.put(s + 8, descriptor.data(), 8, SECTOR - 12);
                entry.putInt(s, VhdxLog.DATA_SIGNATURE).putInt(s + 4, (int) (sequenceNumber >>> 32))
                        .putInt(s + SECTOR - 4, (int) sequenceNumber);
                dataSector++;
            }
        }
        for (int i = 0; i < (int) (dataSector * SECTOR); i++) { // the entry's other sectors keep what the log holds
            log.put((int) ((at + i) % log.capacity()), entry.get(i));
        }
        CRC32C crc = new CRC32C();
        for (long i = 0; i < length; i++) {
            int position = (int) ((at + i) % log.capacity());
            crc.update(i >= 4 && i < 8 ? 0 : log.get(position));
        }
        int sum = (int) crc.getValue();
        for (int i = 0; i < 4; i++) {
            log.put((int) ((at + 4 + i) % log.capacity()), (byte) (sum >>> (8 * i)));
        }
        first.clear();
        return this;
    }

    /** Writes the log region and the current header with this log's GUID. */
    void install() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(log.clear(), header.logOffset());
            VhdxHeader withLog = new VhdxHeader(VhdxHeader.SIGNATURE, 0, header.sequenceNumber(), header.fileWriteGuid(),
                    header.dataWriteGuid(), guid, 0, 1, header.logLength(), header.logOffset(), true);
            channel.write(withLog.encode(), VhdxImage.headerOffset(current));
        }
    }
}

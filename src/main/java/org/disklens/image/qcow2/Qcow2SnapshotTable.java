package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Snapshot;
import org.disklens.io.BlockSource;

/** The internal snapshot table: variable-length entries, each with its own L1 table. */
record Qcow2SnapshotTable(List<Entry> entries, long sizeInBytes) {

    /** qemu's limits: at most 65,536 snapshots, 1 KiB of extra data each, 64 MiB of table. */
    static final long MAX_SNAPSHOTS = 65536;
    static final int MAX_EXTRA_DATA = 1024;
    static final long MAX_TABLE_SIZE = 64L << 20;
    private static final int FIXED_PART = 40;

    /** One snapshot: where its L1 table is, and what {@code snapshot -l} shows. */
    record Entry(long l1TableOffset, long l1Size, Snapshot snapshot, long hostOffset) {
    }

    static Qcow2SnapshotTable read(BlockSource source, Qcow2Header header) throws IOException {
        long count = header.nbSnapshots();
        if (count == 0) {
            return new Qcow2SnapshotTable(List.of(), 0);
        }
        if (count > MAX_SNAPSHOTS) {
            throw new LimitExceeded("qcow2", "header", 60, "%d snapshots exceed the limit of %d".formatted(count, MAX_SNAPSHOTS));
        }
        long offset = header.snapshotsOffset();
        if (offset <= 0 || (offset & (header.clusterSize() - 1)) != 0 || offset >= source.size()) {
            throw new CorruptImage("qcow2", "snapshot table", offset, "invalid offset for %d snapshots".formatted(count));
        }
        List<Entry> entries = new ArrayList<>();
        long at = offset;
        for (long index = 0; index < count; index++) {
            checkWithinTable(at + FIXED_PART, offset, source);
            ByteBuffer fixed = source.read(at, FIXED_PART, ByteOrder.BIG_ENDIAN);
            int idLength = Short.toUnsignedInt(fixed.getShort(12));
            int nameLength = Short.toUnsignedInt(fixed.getShort(14));
            long extraLength = Integer.toUnsignedLong(fixed.getInt(36));
            if (extraLength > MAX_EXTRA_DATA) {
                throw new LimitExceeded("qcow2", "snapshot %d".formatted(index), at,
                        "%d bytes of extra data exceed the limit of %d".formatted(extraLength, MAX_EXTRA_DATA));
            }
            int variable = (int) extraLength + idLength + nameLength;
            checkWithinTable(at + FIXED_PART + variable, offset, source);
            ByteBuffer rest = source.read(at + FIXED_PART, variable, ByteOrder.BIG_ENDIAN);
            entries.add(entry(fixed, rest, (int) extraLength, idLength, nameLength, header, at));
            at += (FIXED_PART + variable + 7) & ~7L;
        }
        return new Qcow2SnapshotTable(List.copyOf(entries), at - offset);
    }

    private static Entry entry(ByteBuffer fixed, ByteBuffer rest, int extraLength, int idLength, int nameLength,
                               Qcow2Header header, long at) {
        long vmStateSize = Integer.toUnsignedLong(fixed.getInt(32));
        long diskSize = header.size();
        long icount = -1;
        if (extraLength >= 8) {
            vmStateSize = rest.getLong(0);
        }
        if (extraLength >= 16) {
            diskSize = rest.getLong(8);
        }
        if (extraLength >= 24) {
            icount = rest.getLong(16);
        }
        String id = text(rest, extraLength, idLength);
        String name = text(rest, extraLength + idLength, nameLength);
        Snapshot snapshot = new Snapshot(id, name, vmStateSize, Integer.toUnsignedLong(fixed.getInt(16)),
                Integer.toUnsignedLong(fixed.getInt(20)), fixed.getLong(24), icount, diskSize);
        return new Entry(fixed.getLong(0), Integer.toUnsignedLong(fixed.getInt(8)), snapshot, at);
    }

    private static String text(ByteBuffer bytes, int start, int length) {
        byte[] text = new byte[length];
        bytes.get(start, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static void checkWithinTable(long end, long tableOffset, BlockSource source) throws IOException {
        if (end - tableOffset > MAX_TABLE_SIZE) {
            throw new LimitExceeded("qcow2", "snapshot table", tableOffset, "larger than 64 MiB");
        }
        if (end > source.size()) {
            throw new CorruptImage("qcow2", "snapshot table", tableOffset,
                    "runs past the end of the file (0x%x)".formatted(source.size()));
        }
    }
}

package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.disklens.image.CheckReport;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * The read-only consistency check qemu-img runs on qcow2: rebuild every host cluster's refcount from the
 * metadata that references it (header, L1/L2 of the image and of each snapshot, snapshot table, refcount
 * structures, encryption header, bitmaps), then compare with the refcounts the image records. More
 * references than recorded is a corruption, fewer is a leak. The counters and messages follow qemu-img.
 */
final class Qcow2Check {
    /** Past this many host clusters the rebuilt refcounts would not fit comfortably in memory. */
    static final long MAX_CLUSTERS = 256L << 20;
    private static final long L1E_RESERVED_MASK = 0x7f000000000001ffL;
    private static final long L2E_STD_RESERVED_MASK = 0x3f000000000001feL;
    private static final long REFT_RESERVED_MASK = 0x1ffL;
    private static final long BME_RESERVED_MASK = 0xff000000000001feL;
    private static final long BME_OFFSET_MASK = 0x00fffffffffffe00L;

    private final Qcow2Image image;
    private final Qcow2Header header;
    private final BlockSource source;
    private final ProgressListener progress;
    private final int clusterSize;
    private final long fileSize;
    private final List<String> messages = new ArrayList<>();
    private char[] references;
    private long corruptions;
    private long leaks;
    private long checkErrors;
    private long allocatedClusters;
    private long fragmentedClusters;
    private long compressedClusters;

    Qcow2Check(Qcow2Image image, ProgressListener progress) throws IOException {
        this.image = image;
        this.header = image.header();
        this.source = image.source();
        this.progress = progress;
        this.clusterSize = header.clusterSize();
        this.fileSize = source.size();
    }

    CheckReport run() throws IOException {
        long clusters = clustersFor(fileSize);
        if (clusters > MAX_CLUSTERS) {
            throw new LimitExceeded("qcow2", "check", -1,
                    "the file has %d clusters; checking more than %d is refused".formatted(clusters, MAX_CLUSTERS));
        }
        references = new char[(int) clusters];
        countReferences();
        Qcow2Refcounts recorded = Qcow2Refcounts.read(source, header);
        checkRefcountBlocks(recorded);
        long highest = compare(recorded);
        checkCopiedFlags(recorded);
        long totalClusters = clustersFor(header.size());
        return new CheckReport(checkErrors, corruptions, leaks, (highest + 1) * clusterSize, totalClusters,
                allocatedClusters, fragmentedClusters, compressedClusters, List.copyOf(messages));
    }

    private long clustersFor(long bytes) {
        return (bytes + clusterSize - 1) / clusterSize;
    }

    private void countReferences() throws IOException {
        reference(0, clusterSize);
        checkL1(header.l1TableOffset(), header.l1Size(), true);
        for (Qcow2SnapshotTable.Entry snapshot : image.snapshotTable().entries()) {
            String name = "snapshot %s (%s)".formatted(snapshot.snapshot().id(), snapshot.snapshot().name());
            if ((snapshot.l1TableOffset() & (clusterSize - 1)) != 0) {
                corruption("ERROR %s l1_offset=%#x: L1 table is not cluster aligned; snapshot table entry corrupted"
                        .formatted(name, snapshot.l1TableOffset()));
            } else if (snapshot.l1Size() > Qcow2Image.MAX_L1_BYTES / 8) {
                corruption("ERROR %s l1_size=%#x: L1 table is too large; snapshot table entry corrupted"
                        .formatted(name, snapshot.l1Size()));
            } else {
                checkL1(snapshot.l1TableOffset(), snapshot.l1Size(), false);
            }
        }
        reference(header.snapshotsOffset(), image.snapshotTable().sizeInBytes());
        reference(header.refcountTableOffset(), header.refcountTableClusters() * clusterSize);
        image.extensions().cryptoHeader().ifPresent(crypto -> reference(crypto.offset(), crypto.length()));
        referenceBitmaps();
    }

    /** Counts one reference to every cluster of {@code [hostOffset, hostOffset + length)}. */
    private void reference(long hostOffset, long length) {
        if (length <= 0) {
            return;
        }
        if (hostOffset < 0 || length > Long.MAX_VALUE - hostOffset || hostOffset + length - fileSize >= clusterSize) {
            corruption("ERROR: counting reference for region exceeding the end of the file by one cluster or more: "
                    + "offset 0x%x size 0x%x".formatted(hostOffset, length));
            return;
        }
        long first = hostOffset / clusterSize;
        long last = (hostOffset + length - 1) / clusterSize;
        for (long cluster = first; cluster <= last; cluster++) {
            if (cluster >= references.length) {
                references = Arrays.copyOf(references, (int) cluster + 1);
            }
            if (references[(int) cluster] == refcountMax()) {
                corruption("ERROR: overflow cluster offset=0x%x".formatted(cluster * clusterSize));
                continue;
            }
            references[(int) cluster]++;
        }
    }

    private char refcountMax() {
        return header.refcountBits() >= 16 ? Character.MAX_VALUE : (char) ((1 << header.refcountBits()) - 1);
    }

    private void checkL1(long l1Offset, long l1Size, boolean active) throws IOException {
        if (l1Size == 0) {
            return;
        }
        reference(l1Offset, l1Size * 8);
        long[] l1 = readWords(l1Offset, l1Size);
        for (int index = 0; index < l1.length; index++) {
            progress.checkCancelled();
            long entry = l1[index];
            if (entry == 0) {
                continue;
            }
            if ((entry & L1E_RESERVED_MASK) != 0) {
                corruption("ERROR found L1 entry with reserved bits set: %x".formatted(entry));
            }
            long l2Offset = entry & Qcow2Image.L1E_OFFSET_MASK;
            reference(l2Offset, clusterSize);
            if ((l2Offset & (clusterSize - 1)) != 0) {
                corruption("ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted".formatted(l2Offset));
            }
            checkL2(l2Offset, active);
            if (active) {
                progress.progress(index + 1, l1.length);
            }
        }
    }

    private void checkL2(long l2Offset, boolean active) throws IOException {
        L2Layout layout = image.layout();
        long[] l2 = readWords(l2Offset, clusterSize / 8);
        long nextContiguous = 0;
        for (int index = 0; index < layout.l2Entries(); index++) {
            long entry = l2[index * layout.wordsPerEntry()];
            long bitmap = header.extendedL2() ? l2[index * 2 + 1] : 0;
            boolean compressed = (entry & Qcow2Image.OFLAG_COMPRESSED) != 0;
            if (!compressed && (entry & L2E_STD_RESERVED_MASK) != 0) {
                corruption("ERROR found l2 entry with reserved bits set: %x".formatted(entry));
            }
            if (compressed) {
                checkCompressed(index, entry, bitmap, active);
                continue;
            }
            long hostCluster = entry & Qcow2Image.L2E_OFFSET_MASK;
            boolean zeroFlag = !header.extendedL2() && (entry & Qcow2Image.OFLAG_ZERO) != 0;
            boolean allocated = hostCluster != 0
                    || (header.hasDataFile() && (entry & Qcow2Image.OFLAG_COPIED) != 0);
            if (!allocated) {
                if (header.extendedL2() && (bitmap & 0xffffffffL) != 0) {
                    corruption("ERROR: Unallocated cluster has non-zero subcluster allocation bitmap");
                }
                continue;
            }
            if (((bitmap >>> 32) & bitmap) != 0) {
                corruption("ERROR offset=%x: Allocated cluster has corrupted subcluster allocation bitmap"
                        .formatted(hostCluster));
            }
            if ((hostCluster & (clusterSize - 1)) != 0) {
                boolean containsData = header.extendedL2() ? (bitmap & 0xffffffffL) != 0 : !zeroFlag;
                corruption(containsData
                        ? "ERROR offset=%x: Data cluster is not properly aligned; L2 entry corrupted.".formatted(hostCluster)
                        : "ERROR offset=%x: Preallocated cluster is not properly aligned; L2 entry corrupted."
                        .formatted(hostCluster));
            }
            if (active) {
                allocatedClusters++;
                if (nextContiguous != 0 && hostCluster != nextContiguous) {
                    fragmentedClusters++;
                }
                nextContiguous = hostCluster + clusterSize;
            }
            if (!header.hasDataFile()) {
                reference(hostCluster, clusterSize);
            }
        }
    }

    private void checkCompressed(int index, long entry, long bitmap, boolean active) {
        if ((entry & Qcow2Image.OFLAG_COPIED) != 0) {
            corruption("ERROR: coffset=0x%x: copied flag must never be set for compressed clusters"
                    .formatted(entry & compressedOffsetMask()));
            entry &= ~Qcow2Image.OFLAG_COPIED;
        }
        if (header.hasDataFile()) {
            corruption("ERROR compressed cluster %d with data file, entry=0x%x".formatted(index, entry));
            return;
        }
        if (bitmap != 0) {
            corruption("ERROR compressed cluster %d with non-zero subcluster allocation bitmap, entry=0x%x"
                    .formatted(index, entry));
            return;
        }
        int csizeShift = 62 - (header.clusterBits() - 8);
        long offset = entry & compressedOffsetMask();
        long sectors = ((entry >>> csizeShift) & ((1L << (header.clusterBits() - 8)) - 1)) + 1;
        reference(offset, sectors * 512 - (offset & 511));
        if (active) {
            allocatedClusters++;
            compressedClusters++;
            fragmentedClusters++;
        }
    }

    private long compressedOffsetMask() {
        return (1L << (62 - (header.clusterBits() - 8))) - 1;
    }

    private void referenceBitmaps() throws IOException {
        var extension = image.extensions().bitmaps();
        if (extension.isEmpty() || !header.bitmapsConsistent()) {
            return;
        }
        reference(extension.get().directoryOffset(), extension.get().directorySize());
        for (Qcow2Bitmaps.Bitmap bitmap : image.bitmapEntries()) {
            reference(bitmap.tableOffset(), bitmap.tableSize() * 8);
            if (bitmap.tableOffset() + bitmap.tableSize() * 8 > fileSize) {
                corruption("ERROR bitmap '%s': bitmap table runs past the end of the file".formatted(bitmap.name()));
                continue;
            }
            for (long entry : readWords(bitmap.tableOffset(), bitmap.tableSize())) {
                long offset = entry & BME_OFFSET_MASK;
                boolean invalid = (entry & BME_RESERVED_MASK) != 0
                        || (offset != 0 && ((entry & 1) != 0 || (offset & (clusterSize - 1)) != 0));
                if (invalid) {
                    corruption("ERROR bitmap '%s': invalid bitmap table entry 0x%x".formatted(bitmap.name(), entry));
                    continue;
                }
                if (offset != 0) {
                    reference(offset, clusterSize);
                }
            }
        }
    }

    private void checkRefcountBlocks(Qcow2Refcounts recorded) {
        long[] table = recorded.table();
        for (int index = 0; index < table.length; index++) {
            long entry = table[index];
            long offset = entry & Qcow2Refcounts.REFT_OFFSET_MASK;
            long cluster = offset / clusterSize;
            if ((entry & REFT_RESERVED_MASK) != 0) {
                corruption("ERROR refcount table entry %d has reserved bits set".formatted(index));
                continue;
            }
            if ((offset & (clusterSize - 1)) != 0) {
                corruption("ERROR refcount block %d is not cluster aligned; refcount table entry corrupted".formatted(index));
                continue;
            }
            if (cluster < 0 || cluster >= references.length) {
                corruption("ERROR refcount block %d is outside image".formatted(index));
                continue;
            }
            if (offset != 0) {
                reference(offset, clusterSize);
                if (references[(int) cluster] != 1) {
                    corruption("ERROR refcount block %d refcount=%d".formatted(index, (int) references[(int) cluster]));
                }
            }
        }
    }

    /** Compares rebuilt and recorded refcounts; returns the highest cluster in use. */
    private long compare(Qcow2Refcounts recorded) throws IOException {
        long highest = 0;
        for (int cluster = 0; cluster < references.length; cluster++) {
            if ((cluster & 0xffff) == 0) {
                progress.checkCancelled();
            }
            long stored;
            try {
                stored = recorded.get(cluster);
            } catch (IOException unreadable) {
                messages.add("Can't get refcount for cluster %d: %s".formatted(cluster, unreadable.getMessage()));
                checkErrors++;
                continue;
            }
            long counted = references[cluster];
            if (stored > 0 || counted > 0) {
                highest = cluster;
            }
            if (stored != counted) {
                boolean corrupt = stored < counted;
                messages.add("%s cluster %d refcount=%d reference=%d"
                        .formatted(corrupt ? "ERROR" : "Leaked", cluster, stored, counted));
                if (corrupt) {
                    corruptions++;
                } else {
                    leaks++;
                }
            }
        }
        return highest;
    }

    /** The COPIED flag of active L1 and L2 entries must say exactly "refcount is 1". */
    private void checkCopiedFlags(Qcow2Refcounts recorded) throws IOException {
        long[] l1 = image.l1Table();
        L2Layout layout = image.layout();
        for (int index = 0; index < l1.length; index++) {
            long l2Offset = l1[index] & Qcow2Image.L1E_OFFSET_MASK;
            if (l2Offset == 0) {
                continue;
            }
            long refcount;
            try {
                refcount = recorded.get(l2Offset / clusterSize);
            } catch (IOException unreadable) {
                continue;
            }
            if ((refcount == 1) != ((l1[index] & Qcow2Image.OFLAG_COPIED) != 0)) {
                corruption("ERROR OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%d"
                        .formatted(index, l1[index], refcount));
            }
            if (l2Offset + clusterSize > fileSize || (l2Offset & (clusterSize - 1)) != 0) {
                continue;
            }
            long[] l2 = readWords(l2Offset, clusterSize / 8);
            for (int entryIndex = 0; entryIndex < layout.l2Entries(); entryIndex++) {
                long entry = l2[entryIndex * layout.wordsPerEntry()];
                if ((entry & Qcow2Image.OFLAG_COMPRESSED) != 0) {
                    continue;
                }
                long dataOffset = entry & Qcow2Image.L2E_OFFSET_MASK;
                boolean allocated = dataOffset != 0
                        || (header.hasDataFile() && (entry & Qcow2Image.OFLAG_COPIED) != 0);
                if (!allocated) {
                    continue;
                }
                long dataRefcount;
                try {
                    dataRefcount = header.hasDataFile() ? 1 : recorded.get(dataOffset / clusterSize);
                } catch (IOException unreadable) {
                    continue;
                }
                if ((dataRefcount == 1) != ((entry & Qcow2Image.OFLAG_COPIED) != 0)) {
                    corruption("ERROR OFLAG_COPIED data cluster: l2_entry=%x refcount=%d".formatted(entry, dataRefcount));
                }
            }
        }
    }

    /** Reads big-endian words; bytes past the end of the file read as zeroes, as in qemu. */
    private long[] readWords(long hostOffset, long count) throws IOException {
        long[] words = new long[(int) count];
        long available = Math.max(0, Math.min(count * 8, fileSize - hostOffset));
        if (hostOffset >= 0 && available > 0) {
            ByteBuffer bytes = source.read(hostOffset, (int) (available & ~7L), ByteOrder.BIG_ENDIAN);
            bytes.asLongBuffer().get(words, 0, (int) (available / 8));
        }
        return words;
    }

    private void corruption(String message) {
        messages.add(message);
        corruptions++;
    }
}

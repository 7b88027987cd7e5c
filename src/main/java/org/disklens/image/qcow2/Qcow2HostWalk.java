package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * Says what every cluster of a qcow2 file is used for: header, L1, L2, refcount structures, data,
 * clusters holding compressed data, the snapshot table, what only snapshots use, bitmaps, the encryption
 * header, and — for the clusters nothing references — leaked (refcount above zero) or free.
 *
 * <p>Each host cluster is reported once, as a whole, for the first structure that claims it; the active
 * image claims first, so a cluster shared with a snapshot counts as the active image's.
 * Unlike {@code check} this walk is lenient: it reports what it can and skips entries that point outside the
 * file. Memory: one bit per host cluster, capped.
 */
final class Qcow2HostWalk {
    /** One bit per host cluster: 256 Mi clusters take 32 MiB. */
    static final long MAX_CLUSTERS = 256L << 20;
    private static final long BME_OFFSET_MASK = 0x00fffffffffffe00L;

    private final Qcow2Image image;
    private final Qcow2Header header;
    private final BlockSource source;
    private final HostRegion.Sink sink;
    private final ProgressListener progress;
    private final int clusterSize;
    private final long fileSize;
    private final long fileClusters;
    private long[] claimed;
    private HostRegion pendingUse;
    private long pendingStart;
    private long pendingEnd;

    Qcow2HostWalk(Qcow2Image image, HostRegion.Sink sink, ProgressListener progress) throws IOException {
        this.image = image;
        this.header = image.header();
        this.source = image.source();
        this.sink = sink;
        this.progress = progress;
        this.clusterSize = header.clusterSize();
        this.fileSize = source.size();
        this.fileClusters = (fileSize + clusterSize - 1) / clusterSize;
    }

    void run() throws IOException {
        if (fileClusters > MAX_CLUSTERS) {
            throw new LimitExceeded("qcow2", "host layout", -1,
                    "the file has %d clusters; describing more than %d is refused".formatted(fileClusters, MAX_CLUSTERS));
        }
        claimed = new long[(int) ((fileClusters + 63) / 64)];
        claim(Qcow2Regions.HEADER, 0, clusterSize);
        claimActiveTables();
        claimRefcountStructures();
        claim(Qcow2Regions.SNAPSHOT_TABLE, header.snapshotsOffset(), image.snapshotTable().sizeInBytes());
        image.extensions().cryptoHeader().ifPresent(crypto -> claim(Qcow2Regions.ENCRYPTION_HEADER, crypto.offset(),
                crypto.length()));
        claimBitmaps();
        for (Qcow2SnapshotTable.Entry snapshot : image.snapshotTable().entries()) {
            if (snapshot.l1Size() <= Qcow2Image.MAX_L1_BYTES / 8) {
                claimL1(snapshot.l1TableOffset(), snapshot.l1Size(), Qcow2Regions.SNAPSHOT_METADATA, Qcow2Regions.SNAPSHOT_DATA);
            }
        }
        flush();
        reportUnclaimed();
        flush();
    }

    private void claimActiveTables() throws IOException {
        claimL1(header.l1TableOffset(), header.l1Size(), Qcow2Regions.L1_TABLE, Qcow2Regions.DATA);
    }

    private void claimL1(long l1Offset, long entries, HostRegion tableUse, HostRegion dataUse) throws IOException {
        if (!within(l1Offset, entries * 8)) {
            return;
        }
        claim(tableUse, l1Offset, entries * 8);
        long[] l1 = readWords(l1Offset, entries);
        HostRegion l2Use = tableUse == Qcow2Regions.L1_TABLE ? Qcow2Regions.L2_TABLES : Qcow2Regions.SNAPSHOT_METADATA;
        for (int index = 0; index < l1.length; index++) {
            progress.checkCancelled();
            long l2Offset = l1[index] & Qcow2Image.L1E_OFFSET_MASK;
            if (l2Offset == 0 || (l2Offset & (clusterSize - 1)) != 0 || !within(l2Offset, clusterSize)) {
                continue;
            }
            claim(l2Use, l2Offset, clusterSize);
            claimL2(readWords(l2Offset, clusterSize / 8), dataUse);
            progress.progress(index + 1, l1.length);
        }
    }

    private void claimL2(long[] l2, HostRegion dataUse) {
        L2Layout layout = image.layout();
        for (int index = 0; index < layout.l2Entries(); index++) {
            long entry = l2[index * layout.wordsPerEntry()];
            if ((entry & Qcow2Image.OFLAG_COMPRESSED) != 0) {
                claimCompressed(entry, dataUse == Qcow2Regions.DATA ? Qcow2Regions.COMPRESSED : dataUse);
                continue;
            }
            long hostCluster = entry & Qcow2Image.L2E_OFFSET_MASK;
            if (hostCluster != 0 && !header.hasDataFile() && (hostCluster & (clusterSize - 1)) == 0) {
                claim(dataUse, hostCluster, clusterSize);
            }
        }
    }

    /** The host clusters a compressed cluster's bytes touch (qemu packs several into one host cluster). */
    private void claimCompressed(long entry, HostRegion use) {
        int csizeShift = 62 - (header.clusterBits() - 8);
        long offset = entry & ((1L << csizeShift) - 1);
        long sectors = ((entry >>> csizeShift) & ((1L << (header.clusterBits() - 8)) - 1)) + 1;
        claim(use, offset, sectors * 512 - (offset & 511));
    }

    private void claimRefcountStructures() throws IOException {
        long tableOffset = header.refcountTableOffset();
        long tableBytes = header.refcountTableClusters() * clusterSize;
        if (header.refcountTableClusters() > Qcow2Refcounts.MAX_TABLE_BYTES / clusterSize
                || !within(tableOffset, tableBytes)) {
            return;
        }
        claim(Qcow2Regions.REFCOUNT_TABLE, tableOffset, tableBytes);
        for (long entry : readWords(tableOffset, tableBytes / 8)) {
            long block = entry & Qcow2Refcounts.REFT_OFFSET_MASK;
            if (block != 0 && (block & (clusterSize - 1)) == 0) {
                claim(Qcow2Regions.REFCOUNT_BLOCKS, block, clusterSize);
            }
        }
    }

    private void claimBitmaps() throws IOException {
        var extension = image.extensions().bitmaps();
        if (extension.isEmpty() || !header.bitmapsConsistent()) {
            return;
        }
        claim(Qcow2Regions.BITMAPS, extension.get().directoryOffset(), extension.get().directorySize());
        for (Qcow2Bitmaps.Bitmap bitmap : image.bitmapEntries()) {
            if (bitmap.tableSize() > Qcow2Image.MAX_L1_BYTES / 8 || !within(bitmap.tableOffset(), bitmap.tableSize() * 8)) {
                continue;
            }
            claim(Qcow2Regions.BITMAPS, bitmap.tableOffset(), bitmap.tableSize() * 8);
            for (long entry : readWords(bitmap.tableOffset(), bitmap.tableSize())) {
                long offset = entry & BME_OFFSET_MASK;
                if (offset != 0 && (offset & (clusterSize - 1)) == 0) {
                    claim(Qcow2Regions.BITMAPS, offset, clusterSize);
                }
            }
        }
    }

    /** Clusters nothing references: leaked if the image still counts them, else free. */
    private void reportUnclaimed() throws IOException {
        Qcow2Refcounts refcounts;
        try {
            refcounts = Qcow2Refcounts.read(source, header);
        } catch (ImageException unreadable) {
            refcounts = null;
        }
        for (long cluster = 0; cluster < fileClusters; cluster++) {
            if ((cluster & 0xffff) == 0) {
                progress.checkCancelled();
            }
            if (isClaimed(cluster)) {
                continue;
            }
            HostRegion use = refcounts != null && refcount(refcounts, cluster) > 0 ? Qcow2Regions.LEAKED : Qcow2Regions.FREE;
            long start = cluster * clusterSize;
            emit(use, start, Math.min(clusterSize, fileSize - start));
        }
    }

    private static long refcount(Qcow2Refcounts refcounts, long cluster) {
        try {
            return refcounts.get(cluster);
        } catch (IOException unreadable) {
            return 0;
        }
    }

    /**
     * Claims the not yet claimed clusters {@code [hostOffset, hostOffset + length)} touches for {@code use}:
     * a cluster belongs to a structure as a whole, even when the structure fills only part of it.
     */
    private void claim(HostRegion use, long hostOffset, long length) {
        if (length <= 0 || hostOffset < 0 || hostOffset >= fileSize) {
            return;
        }
        long end = Math.min(fileSize, hostOffset + length);
        for (long cluster = hostOffset / clusterSize; cluster <= (end - 1) / clusterSize; cluster++) {
            if (isClaimed(cluster)) {
                continue;
            }
            markClaimed(cluster);
            long start = cluster * clusterSize;
            emit(use, start, Math.min(fileSize, start + clusterSize) - start);
        }
    }

    private boolean isClaimed(long cluster) {
        return (claimed[(int) (cluster >>> 6)] & (1L << cluster)) != 0;
    }

    private void markClaimed(long cluster) {
        claimed[(int) (cluster >>> 6)] |= 1L << cluster;
    }

    /** Coalesces adjacent runs of one use before they reach the sink. */
    private void emit(HostRegion use, long hostOffset, long length) {
        if (use == pendingUse && hostOffset == pendingEnd) {
            pendingEnd += length;
            return;
        }
        flush();
        pendingUse = use;
        pendingStart = hostOffset;
        pendingEnd = hostOffset + length;
    }

    private void flush() {
        if (pendingUse != null && pendingEnd > pendingStart) {
            sink.accept(pendingUse, pendingStart, pendingEnd - pendingStart);
        }
        pendingUse = null;
    }

    private boolean within(long hostOffset, long length) {
        return hostOffset >= 0 && length >= 0 && hostOffset <= fileSize && length <= fileSize - hostOffset;
    }

    private long[] readWords(long hostOffset, long count) throws IOException {
        long[] words = new long[(int) count];
        if (count > 0) {
            ByteBuffer bytes = source.read(hostOffset, (int) (count * 8), ByteOrder.BIG_ENDIAN);
            bytes.asLongBuffer().get(words);
        }
        return words;
    }
}

package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.disklens.crypto.Luks1Writer;
import org.disklens.crypto.SectorCipher;
import org.disklens.image.ImageWriter;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Preallocation;
import org.disklens.image.TargetFiles;
import org.disklens.image.UnitCompressor;
import org.disklens.image.WriteWindow;
import org.disklens.io.AppendBuffer;
import org.disklens.io.FileWrites;

/**
 * Writes a qcow2 image (version 2 or 3, qemu's {@code docs/interop/qcow2.txt}) front to back, in one pass: the
 * header cluster first (filled in last), then data clusters in guest order, each L2 table as soon as its range is
 * done, refcount blocks inline as the file grows ({@link Qcow2Allocator}), and at the end the L1 table, the
 * refcount table and the header. Every cluster of the file is referenced exactly as its refcount says, so
 * {@code qemu-img check} finds no leak and no corruption.
 *
 * <p>Compressed clusters are packed byte by byte, as qemu packs them: several may share a host cluster (its
 * refcount counts them) and one may run on into the next cluster when that is the next one allocated. A cluster
 * that does not compress below a cluster is stored as it is.
 */
final class Qcow2Writer implements ImageWriter {
    private static final long OFLAG_COPIED = Qcow2Image.OFLAG_COPIED;
    private static final long OFLAG_COMPRESSED = Qcow2Image.OFLAG_COMPRESSED;
    private static final long OFLAG_ZERO = Qcow2Image.OFLAG_ZERO;
    static final long ALL_SUBCLUSTERS_ALLOCATED = 0xffffffffL;
    static final long ALL_SUBCLUSTERS_ZERO = 0xffffffffL << 32;
    private static final int STAGING = 1 << 20;

    private final Qcow2Config config;
    private final TargetFiles.TargetFile file;
    private final long size;
    private final int clusterBits;
    private final int clusterSize;
    private final int l2Entries;
    private final int wordsPerEntry;
    private final long[] l1Table;
    private final Qcow2Allocator allocator;

    private long[] l2Table;
    private long l2Index = -1;
    private boolean l2Used;
    private final ByteBuffer tableBuffer;
    private final ByteBuffer zeroCluster;

    /** Compressed data is packed from here; -1 when the next compressed cluster starts a fresh host cluster. */
    private long packOffset = -1;
    /** Consecutive compressed clusters, written together. */
    private final AppendBuffer staging;
    /** {@code encrypt.format=luks}: data clusters are encrypted, IV = the host sector (qemu's), else null. */
    private final SectorCipher cipher;
    private long cryptoOffset;
    private long cryptoLength;

    Qcow2Writer(Qcow2Config config, TargetFiles outputs, Path target, long size) throws IOException {
        this.config = config;
        this.size = size;
        this.clusterBits = config.clusterBits();
        this.clusterSize = config.clusterSize();
        this.l2Entries = clusterSize / (config.extendedL2() ? 16 : 8);
        this.wordsPerEntry = config.extendedL2() ? 2 : 1;
        long bytesPerL2 = (long) l2Entries << clusterBits;
        config.checkSize(size);
        long l1Size = Math.ceilDiv(size, bytesPerL2);
        this.l1Table = new long[(int) l1Size];
        this.l2Table = new long[l2Entries * wordsPerEntry];
        this.tableBuffer = ByteBuffer.allocate(clusterSize).order(ByteOrder.BIG_ENDIAN);
        this.zeroCluster = ByteBuffer.allocateDirect(clusterSize);
        Luks1Writer.Created crypto = config.encryption().isEmpty() ? null
                : Luks1Writer.create(config.encryption().get(), config.passphrase().orElseThrow());
        try {
            this.file = outputs.create(target);
            this.staging = new AppendBuffer(file.channel(), STAGING);
            this.allocator = new Qcow2Allocator(clusterBits, config.refcountOrder(), this::writeAt);
            if (crypto != null) {
                cryptoLength = crypto.payloadOffset();
                cryptoOffset = allocate(Math.ceilDiv(cryptoLength, clusterSize)) << clusterBits;
                writeAt(cryptoOffset, ByteBuffer.wrap(crypto.header()));
                byte[] key = crypto.key().bytes();
                try {
                    this.cipher = SectorCipher.of(crypto.cipherSpec(), key);
                } finally {
                    java.util.Arrays.fill(key, (byte) 0);
                }
            } else {
                this.cipher = null;
            }
        } finally {
            if (crypto != null) {
                crypto.key().close();
            }
        }
    }

    @Override
    public int unitSize() {
        return clusterSize;
    }

    @Override
    public boolean parallel() {
        return false;
    }

    @Override
    public Supplier<UnitCompressor> compressor() {
        return config.compress() ? Qcow2Compressors.factory(config.zstd(), clusterSize) : null;
    }

    @Override
    public int slotSize() {
        return config.compress() ? Qcow2Compressors.slotSize(config.zstd(), clusterSize) : 0;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0 || config.preallocation() == Preallocation.FULL;
    }

    @Override
    public boolean topLayerOnly() {
        return config.hasBacking();
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        int unit = 0;
        while (unit < window.unitCount()) {
            long cluster = window.unitStart(unit) >>> clusterBits;
            byte kind = window.kind(unit);
            if (kind == WriteWindow.DATA && config.compress() && window.packedLength(unit) >= 0) {
                storeCompressed(cluster, window.packedData(unit));
                unit++;
            } else if (kind == WriteWindow.DATA) {
                int first = unit;
                while (unit < window.unitCount() && window.kind(unit) == WriteWindow.DATA
                        && !(config.compress() && window.packedLength(unit) >= 0)) {
                    unit++;
                }
                storeClusters(cluster, window.units(first, unit), unit - first);
            } else {
                int first = unit;
                while (unit < window.unitCount() && window.kind(unit) == kind) {
                    unit++;
                }
                storeEmpty(cluster, unit - first, kind == WriteWindow.BACKING ? WriteWindow.BACKING : WriteWindow.ZERO);
            }
        }
    }

    @Override
    public void skip(long start, long end, byte kind) throws IOException {
        long first = start >>> clusterBits;
        long count = Math.ceilDiv(end, clusterSize) - first;
        storeEmpty(first, count, kind);
    }

    /** Uncompressed data clusters, contiguous in guest and host. */
    private void storeClusters(long guestCluster, ByteBuffer bytes, int count) throws IOException {
        flushStaging();
        long host = allocate(count);
        writeData(host << clusterBits, bytes);
        for (int i = 0; i < count; i++) {
            setL2(guestCluster + i, ((host + i) << clusterBits) | OFLAG_COPIED,
                    config.extendedL2() ? ALL_SUBCLUSTERS_ALLOCATED : 0);
        }
    }

    /**
     * Clusters with nothing to store: left unallocated (they read as zero, or show the backing file); explicit zero
     * clusters where a backing file must not show through; allocated but unwritten with preallocation.
     */
    private void storeEmpty(long guestCluster, long count, byte kind) throws IOException {
        if (kind == WriteWindow.BACKING) {
            return;
        }
        if (config.hasBacking()) {
            for (long i = 0; i < count; i++) {
                storeZeroOverBacking(guestCluster + i);
            }
        } else if (config.preallocation() != Preallocation.OFF) {
            flushStaging();
            long host = allocate(count);
            for (long i = 0; i < count; i++) {
                setL2(guestCluster + i, ((host + i) << clusterBits) | OFLAG_COPIED,
                        config.extendedL2() ? ALL_SUBCLUSTERS_ALLOCATED : 0);
            }
        }
    }

    /** Version 3 has zero clusters (a flag, or all subclusters zero); version 2 must store the zeroes. */
    private void storeZeroOverBacking(long guestCluster) throws IOException {
        if (config.version() >= 3) {
            if (config.extendedL2()) {
                setL2(guestCluster, 0, ALL_SUBCLUSTERS_ZERO);
            } else {
                setL2(guestCluster, OFLAG_ZERO, 0);
            }
            return;
        }
        flushStaging();
        long host = allocate(1);
        writeData(host << clusterBits, zeroCluster.duplicate());
        setL2(guestCluster, (host << clusterBits) | OFLAG_COPIED, 0);
    }

    /**
     * A compressed cluster, packed after the previous one: in the same host cluster while its refcount allows,
     * running on into the next cluster when that one is the next allocated, else at the start of a fresh cluster.
     */
    private void storeCompressed(long guestCluster, ByteBuffer compressed) throws IOException {
        int length = compressed.remaining();
        long start = packOffset;
        if (start >= 0) {
            long cluster = start >>> clusterBits;
            boolean fits = (start + length - 1) >>> clusterBits == cluster;
            boolean shareable = allocator.isOpen(cluster) && allocator.refcount(cluster) < allocator.maxRefcount();
            if (fits && shareable) {
                allocator.addReference(cluster);
            } else if (!fits && shareable && allocator.next() == cluster + 1) {
                long fresh = allocate(1);
                if (fresh == cluster + 1 && allocator.isOpen(cluster)) {
                    allocator.addReference(cluster);
                } else {
                    start = fresh << clusterBits;
                }
            } else {
                start = -1;
            }
        }
        if (start < 0) {
            start = allocate(1) << clusterBits;
        }
        staging.put(start, compressed);
        packOffset = start + length;
        int csizeShift = 62 - (clusterBits - 8);
        long sectors = ((start + length - 1) >>> 9) - (start >>> 9);
        setL2(guestCluster, OFLAG_COMPRESSED | (sectors << csizeShift) | start, 0);
    }

    /** Allocates host clusters, writing out refcount blocks the file has grown past. */
    private long allocate(long count) throws IOException {
        long first = allocator.allocate(count);
        long keep = packOffset >= 0 ? packOffset >>> clusterBits : -1;
        allocator.closeFinishedBlocks(keep);
        if (keep >= 0 && !allocator.isOpen(keep)) {
            packOffset = -1;
        }
        return first;
    }

    private void setL2(long guestCluster, long entry, long bitmap) throws IOException {
        long table = guestCluster / l2Entries;
        if (table != l2Index) {
            flushL2();
            l2Index = table;
        }
        int index = (int) (guestCluster % l2Entries) * wordsPerEntry;
        l2Table[index] = entry;
        if (wordsPerEntry == 2) {
            l2Table[index + 1] = bitmap;
        }
        l2Used = true;
    }

    /** Writes the L2 table being filled, if it maps anything, and points the L1 table at it. */
    private void flushL2() throws IOException {
        if (l2Index < 0 || !l2Used) {
            return;
        }
        flushStaging();
        long host = allocate(1);
        tableBuffer.clear();
        tableBuffer.asLongBuffer().put(l2Table);
        writeAt(host << clusterBits, tableBuffer.limit(clusterSize));
        l1Table[(int) l2Index] = (host << clusterBits) | OFLAG_COPIED;
        java.util.Arrays.fill(l2Table, 0);
        l2Used = false;
    }

    @Override
    public void finish() throws IOException {
        flushL2();
        flushStaging();
        // An empty disk has no L1 table at all (offset 0), as qemu makes it; a cluster for it would be a leak.
        long l1Clusters = Math.ceilDiv(l1Table.length * 8L, clusterSize);
        long l1Offset = l1Clusters == 0 ? 0 : allocate(l1Clusters) << clusterBits;
        long tableClusters = allocator.refcountTableClusters();
        long tableOffset = allocate(tableClusters) << clusterBits;
        long[] refcountTable = allocator.finish();
        if (refcountTable.length > tableClusters * clusterSize / 8) {
            throw new LimitExceeded("qcow2", "refcount table", tableOffset, "internal sizing error: %d blocks for %d clusters"
                    .formatted(refcountTable.length, tableClusters));
        }
        if (l1Clusters > 0) {
            writeLongs(l1Offset, l1Table, l1Clusters);
        }
        writeLongs(tableOffset, refcountTable, tableClusters);
        long fileEnd = allocator.next() << clusterBits;
        file.setLength(fileEnd);
        writeAt(0, Qcow2Header.encode(config, size, l1Table.length, l1Offset, tableOffset, tableClusters,
                clusterSize, cryptoOffset, cryptoLength));
        if (cipher != null) {
            cipher.close();
        }
        if (config.preallocation() == Preallocation.FALLOC) {
            FileWrites.fallocate(file.tempPath(), 0, fileEnd);
        }
    }

    private void writeLongs(long offset, long[] values, long clusters) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(clusters * clusterSize)).order(ByteOrder.BIG_ENDIAN);
        bytes.asLongBuffer().put(values);
        writeAt(offset, bytes);
    }

    private void flushStaging() throws IOException {
        staging.flush();
    }

    /** Guest data at {@code hostOffset}: encrypted first when the image is, sector by sector, IV = the host sector. */
    private void writeData(long hostOffset, ByteBuffer bytes) throws IOException {
        if (cipher == null) {
            writeAt(hostOffset, bytes);
            return;
        }
        byte[] data = new byte[bytes.remaining()];
        bytes.get(bytes.position(), data);
        long firstSector = hostOffset >>> 9;
        for (int at = 0; at < data.length; at += 512) {
            cipher.encrypt(firstSector + at / 512, data, at, 512);
        }
        writeAt(hostOffset, ByteBuffer.wrap(data));
    }

    private void writeAt(long offset, ByteBuffer bytes) throws IOException {
        FileWrites.writeFully(file.channel(), bytes, offset);
    }
}

package org.disklens.image.vhd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;

/**
 * Writes a dynamic VHD laid out as qemu lays it out: the footer copy at 0, the dynamic disk header at 512, the BAT at
 * 1,536 (a sector multiple, unused entries all ones), then 2 MiB blocks appended in guest order, each a 512-byte sector
 * bitmap with every bit set (as qemu writes it) and the block's data, and the footer after the last block. A block is
 * allocated when a unit of data falls in it; zero units inside it are not written (holes of the file, which read as
 * zeroes), so the file is as sparse as qemu's. Windows come in guest order ({@link #parallel()} is false).
 */
final class VhdDynamicWriter implements ImageWriter {
    static final long TABLE_OFFSET = VhdFooter.SIZE + DynamicHeader.SIZE;
    private static final int UNUSED = -1;

    private final VhdConfig config;
    private final TargetFiles.TargetFile file;
    private final Geometry.Sizing sizing;
    private final int[] table;
    private final ByteBuffer fullBitmap;
    private long nextBlock;

    VhdDynamicWriter(VhdConfig config, TargetFiles.TargetFile file, Geometry.Sizing sizing) {
        this.config = config;
        this.file = file;
        this.sizing = sizing;
        this.table = new int[(int) Math.ceilDiv(sizing.bytes(), VhdConfig.BLOCK_SIZE)];
        Arrays.fill(table, UNUSED);
        byte[] ones = new byte[(int) VhdConfig.BITMAP_BYTES];
        Arrays.fill(ones, (byte) 0xff);
        this.fullBitmap = ByteBuffer.wrap(ones);
        this.nextBlock = TABLE_OFFSET + tableBytes();
    }

    private long tableBytes() {
        return Math.ceilDiv(table.length * 4L, 512) * 512;
    }

    @Override
    public int unitSize() {
        return config.unitSize();
    }

    @Override
    public boolean parallel() {
        return false;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        window.forEachDataSlice(this::writeGuest);
    }

    /** Writes guest bytes into their blocks, allocating each block the first time data falls in it. */
    private void writeGuest(long guestOffset, ByteBuffer bytes) throws IOException {
        long guest = guestOffset;
        while (bytes.hasRemaining()) {
            int block = (int) (guest / VhdConfig.BLOCK_SIZE);
            long inBlock = guest % VhdConfig.BLOCK_SIZE;
            int length = (int) Math.min(bytes.remaining(), VhdConfig.BLOCK_SIZE - inBlock);
            long blockStart = blockStart(block);
            FileWrites.writeFully(file.channel(), bytes.slice(bytes.position(), length),
                    blockStart + VhdConfig.BITMAP_BYTES + inBlock);
            bytes.position(bytes.position() + length);
            guest += length;
        }
    }

    private long blockStart(int block) throws IOException {
        if (table[block] == UNUSED) {
            table[block] = (int) (nextBlock / 512);
            FileWrites.writeFully(file.channel(), fullBitmap.duplicate(), nextBlock);
            nextBlock += VhdConfig.BITMAP_BYTES + VhdConfig.BLOCK_SIZE;
        }
        return Integer.toUnsignedLong(table[block]) * 512;
    }

    @Override
    public void finish() throws IOException {
        ByteBuffer bat = ByteBuffer.allocate((int) tableBytes()).order(ByteOrder.BIG_ENDIAN);
        while (bat.hasRemaining()) {
            bat.putInt(UNUSED);
        }
        bat.clear();
        bat.asIntBuffer().put(table);
        FileWrites.writeFully(file.channel(), bat, TABLE_OFFSET);
        DynamicHeader header = new DynamicHeader(-1, TABLE_OFFSET, VhdFooter.VERSION_1_0, table.length,
                VhdConfig.BLOCK_SIZE, 0, new UUID(0, 0), 0, "", List.of());
        FileWrites.writeFully(file.channel(), header.encode(), VhdFooter.SIZE);
        VhdFooter footer = VhdFooter.forNewDisk(sizing, VhdFooter.TYPE_DYNAMIC, config.forceSize());
        FileWrites.writeFully(file.channel(), footer.encode(), 0);
        FileWrites.writeFully(file.channel(), footer.encode(), nextBlock);
        file.setLength(nextBlock + VhdFooter.SIZE);
    }
}

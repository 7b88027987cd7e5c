package org.disklens.image.vhd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes dynamic and differencing VHDs from the specification alone (qemu-img 7.2 cannot create differencing
 * VHDs, and writes only full sector bitmaps), independently of the code under test: footer copy, dynamic header,
 * BAT, parent locator data, blocks (a 512-byte bitmap and 2 MiB of data) in block order, footer. Sectors written
 * through {@link #write} get their bitmap bit set; {@link #junk} stores bytes in a block without setting bits.
 */
final class VhdBuilder {
    static final int BLOCK = 2 << 20;
    static final int BITMAP = 512;

    private final long size;
    private final int diskType;
    private final TreeMap<Integer, byte[][]> blocks = new TreeMap<>();
    private final List<Object[]> locators = new ArrayList<>();
    private byte[] parentId = new byte[16];
    private String parentName = "";
    private String creator = "win ";

    private VhdBuilder(long size, int diskType) {
        this.size = size;
        this.diskType = diskType;
    }

    static VhdBuilder dynamic(long size) {
        return new VhdBuilder(size, 3);
    }

    static VhdBuilder differencing(long size, byte[] parentId, String parentName) {
        VhdBuilder builder = new VhdBuilder(size, 4);
        builder.parentId = parentId.clone();
        builder.parentName = parentName;
        return builder;
    }

    VhdBuilder creator(String fourBytes) {
        this.creator = fourBytes;
        return this;
    }

    /** A parent locator entry: its platform code and data. */
    VhdBuilder locator(String code, byte[] data) {
        locators.add(new Object[] {code, data});
        return this;
    }

    static byte[] utf16le(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    /** Guest bytes at {@code guestOffset} (sector-aligned, whole sectors), their sectors marked present. */
    VhdBuilder write(long guestOffset, byte[] bytes) {
        store(guestOffset, bytes, true);
        return this;
    }

    /** Bytes stored in a block without marking their sectors present (what a clear bit hides). */
    VhdBuilder junk(long guestOffset, byte[] bytes) {
        store(guestOffset, bytes, false);
        return this;
    }

    private void store(long guestOffset, byte[] bytes, boolean present) {
        for (int i = 0; i < bytes.length; i += 512) {
            long guest = guestOffset + i;
            int block = (int) (guest / BLOCK);
            int inBlock = (int) (guest % BLOCK);
            byte[][] stored = blocks.computeIfAbsent(block, b -> new byte[][] {new byte[BITMAP], new byte[BLOCK]});
            System.arraycopy(bytes, i, stored[1], inBlock, Math.min(512, bytes.length - i));
            int sector = inBlock / 512;
            if (present) {
                stored[0][sector / 8] |= (byte) (0x80 >>> (sector % 8));
            }
        }
    }

    void writeTo(Path file) {
        int entries = (int) Math.ceilDiv(size, BLOCK);
        int batBytes = (int) Math.ceilDiv(entries * 4L, 512) * 512;
        long at = 512 + 1024 + batBytes;
        ByteBuffer header = ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
        header.put(0, "cxsparse".getBytes(StandardCharsets.ISO_8859_1)).putLong(8, -1).putLong(16, 1536)
                .putInt(24, 0x10000).putInt(28, entries).putInt(32, BLOCK).put(40, parentId).putInt(56, 12345);
        byte[] name = parentName.getBytes(StandardCharsets.UTF_16BE);
        header.put(64, name, 0, Math.min(name.length, 512));
        List<byte[]> locatorData = new ArrayList<>();
        for (int i = 0; i < locators.size(); i++) {
            byte[] data = (byte[]) locators.get(i)[1];
            int sectors = Math.ceilDiv(data.length, 512);
            header.put(576 + 24 * i, ((String) locators.get(i)[0]).getBytes(StandardCharsets.ISO_8859_1))
                    .putInt(576 + 24 * i + 4, sectors).putInt(576 + 24 * i + 8, data.length).putLong(576 + 24 * i + 16, at);
            locatorData.add(data);
            at += sectors * 512L;
        }
        header.putInt(36, VhdFiles.checksum(header.array(), 36));
        ByteBuffer bat = ByteBuffer.allocate(batBytes).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < batBytes / 4; i++) {
            bat.putInt(i * 4, -1);
        }
        for (int block : blocks.keySet()) {
            bat.putInt(block * 4, (int) (at / 512));
            at += BITMAP + BLOCK;
        }
        ByteBuffer footer = footer();
        try {
            Files.deleteIfExists(file);
            try (var out = Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                out.write(footer.duplicate());
                out.write(header);
                out.write(bat);
                for (byte[] data : locatorData) {
                    out.write(ByteBuffer.wrap(java.util.Arrays.copyOf(data, Math.ceilDiv(data.length, 512) * 512)));
                }
                for (byte[][] block : blocks.values()) {
                    out.write(ByteBuffer.wrap(block[0]));
                    out.write(ByteBuffer.wrap(block[1]));
                }
                out.write(footer.duplicate());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ByteBuffer footer() {
        ByteBuffer footer = ByteBuffer.allocate(512).order(ByteOrder.BIG_ENDIAN);
        long sectors = size / 512;
        footer.put(0, "conectix".getBytes(StandardCharsets.ISO_8859_1)).putInt(8, 2).putInt(12, 0x10000)
                .putLong(16, 512).putInt(24, 700_000_000).put(28, creator.getBytes(StandardCharsets.ISO_8859_1))
                .putInt(32, 0x000a0000).put(36, "Wi2k".getBytes(StandardCharsets.ISO_8859_1)).putLong(40, size)
                .putLong(48, size).putShort(56, (short) (sectors / (16 * 63))).put(58, (byte) 16).put(59, (byte) 63)
                .putInt(60, diskType).put(68, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) diskType});
        footer.putInt(64, VhdFiles.checksum(footer.array(), 64));
        return footer;
    }
}

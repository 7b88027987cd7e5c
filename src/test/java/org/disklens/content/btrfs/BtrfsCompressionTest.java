package org.disklens.content.btrfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.lzo.LzoCompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
import org.disklens.content.FileSystem;
import org.disklens.image.Mapping;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed extents. mkfs.btrfs 6.2 has no --compress and compressed extents cannot be written without mounting,
 * so they are made by hand from an image mkfs.btrfs --rootdir wrote: each file's data (a regular extent of 100,000
 * bytes, or an inline extent of 3,000) is replaced by its zlib, LZO (btrfs's segmented framing, one LZO1X segment per
 * 4 KiB sector) or zstd encoding, the extent item's compression byte set (an inline item shrunk to its compressed
 * data), the leaf's checksum and the superblock's incompat bits updated. One more file's extent becomes preallocated
 * (it reads as zeroes), and one inode gets a nanosecond mtime. btrfs restore decodes them with zlib, liblzo2
 * and libzstd: DiskLens must read the same bytes, which are also the original files.
 */
class BtrfsCompressionTest {
    private static final String[] KINDS = {"", "zlib", "lzo", "zstd"};
    @TempDir
    static Path dir;
    static Path tree;
    static Path image;
    static final Map<String, byte[]> files = new HashMap<>();
    /** A file whose extent becomes a preallocated one: it reads as zeroes. */
    private static final String PREALLOC = "prealloc.bin";
    /** A nanosecond mtime given by hand (mkfs.btrfs 6.2 keeps whole seconds). */
    private static final String NANOSECONDS = "regular-zstd.txt";
    private static final int NANOS = 987_654_321;

    @BeforeAll
    static void makeImage() throws IOException {
        Tools.require("mkfs.btrfs", "btrfs");
        tree = Files.createDirectories(dir.resolve("tree"));
        Random random = new Random(11);
        for (int kind = 1; kind <= 3; kind++) {
            files.put("regular-" + KINDS[kind] + ".txt", text(random, 100_000));
            files.put("inline-" + KINDS[kind] + ".txt", text(random, 3_000));
        }
        byte[] prealloc = new byte[8192];
        random.nextBytes(prealloc);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(tree.resolve(file.getKey()), file.getValue());
        }
        Files.write(tree.resolve(PREALLOC), prealloc);
        image = BtrfsImages.mkfs(dir, "compressed.img", 128, tree, List.of());
        compressInPlace();
    }

    /** Lines of words from a small vocabulary: compressible, and different in every file. */
    private static byte[] text(Random random, int size) {
        String[] words = {"btrfs", "extent", "chunk", "leaf", "node", "stripe", "inode", "subvolume", "zlib", "lzo"};
        StringBuilder text = new StringBuilder();
        while (text.length() < size) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(100) == 0 ? '\n' : ' ');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static void compressInPlace() throws IOException {
        DumpTree dump = DumpTree.of(image, "fs");
        List<DumpTree.Chunk> chunks = DumpTree.chunks(image);
        Map<String, Long> inodes = new HashMap<>();
        dump.directories.get(256L).forEach(entry -> inodes.put(entry.name(), entry.location()));
        Map<Long, byte[]> leaves = new HashMap<>();
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                int kind = Arrays.asList(KINDS).indexOf(file.getKey().replaceAll(".*-|\\.txt", ""));
                DumpTree.Extent extent = dump.extents.get(inodes.get(file.getKey())).getFirst();
                byte[] leaf = leaves.computeIfAbsent(extent.leaf(), bytenr -> read(channel,
                        DumpTree.physical(chunks, bytenr).getFirst(), 16384));
                int item = itemData(leaf, extent.slot());
                leaf[item + 16] = (byte) kind;
                if (extent.diskBytenr() == 0) {
                    byte[] compressed = compress(kind, file.getValue());
                    System.arraycopy(compressed, 0, leaf, item + 21, compressed.length);
                    shrinkItem(leaf, extent.slot(), 21 + compressed.length);
                } else {
                    byte[] padded = Arrays.copyOf(file.getValue(), (int) extent.diskBytes());
                    byte[] stored = Arrays.copyOf(compress(kind, padded), (int) extent.diskBytes());
                    for (long physical : DumpTree.physical(chunks, extent.diskBytenr())) {
                        channel.write(ByteBuffer.wrap(stored), physical);
                    }
                }
            }
            DumpTree.Extent prealloc = dump.extents.get(inodes.get(PREALLOC)).getFirst();
            byte[] preallocLeaf = leaves.computeIfAbsent(prealloc.leaf(), bytenr -> read(channel,
                    DumpTree.physical(chunks, bytenr).getFirst(), 16384));
            preallocLeaf[itemData(preallocLeaf, prealloc.slot()) + 20] = FileExtent.PREALLOC;
            long[] inode = dump.inodeSlots.get(inodes.get(NANOSECONDS));
            byte[] inodeLeaf = leaves.computeIfAbsent(inode[0], bytenr -> read(channel,
                    DumpTree.physical(chunks, bytenr).getFirst(), 16384));
            ByteBuffer.wrap(inodeLeaf).order(ByteOrder.LITTLE_ENDIAN).putInt(itemData(inodeLeaf, (int) inode[1]) + 136 + 8,
                    NANOS);
            for (Map.Entry<Long, byte[]> leaf : leaves.entrySet()) {
                Blocks.writeWithChecksum(channel, leaf.getValue(), DumpTree.physical(chunks, leaf.getKey()));
            }
            for (long superblock : new long[] {64L << 10, 64L << 20}) {
                byte[] block = read(channel, superblock, 4096);
                ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putLong(0xbc,
                        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).getLong(0xbc) | 0x18);
                Blocks.writeWithChecksum(channel, block, List.of(superblock));
            }
        }
    }

    /** Where item {@code slot}'s data starts, from the leaf itself (shrinking an item moves the data of the later ones). */
    private static int itemData(byte[] leaf, int slot) {
        return TreeBlock.HEADER + ByteBuffer.wrap(leaf).order(ByteOrder.LITTLE_ENDIAN).getInt(TreeBlock.HEADER + slot * 25 + 17);
    }

    /**
     * Shrinks item {@code slot} to its first {@code size} bytes as btrfs does: the data of the items after it (which
     * lie below it) moves up, so that the leaf's data stays packed (btrfs-progs checks that).
     */
    private static void shrinkItem(byte[] leaf, int slot, int size) {
        ByteBuffer bytes = ByteBuffer.wrap(leaf).order(ByteOrder.LITTLE_ENDIAN);
        int count = bytes.getInt(0x60);
        int header = TreeBlock.HEADER + slot * 25;
        int offset = bytes.getInt(header + 17);
        int shift = bytes.getInt(header + 21) - size;
        int lowest = bytes.getInt(TreeBlock.HEADER + (count - 1) * 25 + 17);
        System.arraycopy(leaf, TreeBlock.HEADER + lowest, leaf, TreeBlock.HEADER + lowest + shift, offset + size - lowest);
        for (int i = slot; i < count; i++) {
            int at = TreeBlock.HEADER + i * 25 + 17;
            bytes.putInt(at, bytes.getInt(at) + shift);
        }
        bytes.putInt(header + 21, size);
    }

    private static byte[] read(FileChannel channel, long offset, int length) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] compress(int kind, byte[] data) {
        return switch (kind) {
            case 1 -> zlib(data);
            case 2 -> btrfsLzo(data);
            case 3 -> {
                ZstdCompressor zstd = new ZstdCompressor();
                byte[] out = new byte[zstd.maxCompressedLength(data.length)];
                yield Arrays.copyOf(out, zstd.compress(data, 0, data.length, out, 0, out.length));
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    private static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** btrfs's LZO framing: LE32 total, then per 4 KiB of input a LE32 length and LZO1X data; no header crosses a sector. */
    static byte[] btrfsLzo(byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(data.length * 2 + 4096).order(ByteOrder.LITTLE_ENDIAN);
        out.position(4);
        LzoCompressor lzo = new LzoCompressor();
        byte[] segment = new byte[lzo.maxCompressedLength(4096)];
        for (int at = 0; at < data.length; at += 4096) {
            int length = lzo.compress(data, at, Math.min(4096, data.length - at), segment, 0, segment.length);
            int sectorLeft = 4096 - out.position() % 4096;
            if (sectorLeft < 4) {
                out.position(out.position() + sectorLeft);
            }
            out.putInt(length).put(segment, 0, length);
        }
        out.putInt(0, out.position());
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void compressedExtentsReadAsBtrfsRestoreDecodesThem() throws IOException {
        Path restored = BtrfsImages.restore(image, "restored");
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new BtrfsType().open(source);
            Map<String, FileEntry> listed = BtrfsAgreementTest.walk(fs);
            assertThat(listed).hasSize(files.size() + 1);
            FileEntry prealloc = listed.get("/" + PREALLOC);
            assertThat(fs.map(prealloc, 0, 1 << 20)).isEqualTo(new Mapping.Zero(8192));
            assertThat(BtrfsAgreementTest.bytes(fs, prealloc)).isEqualTo(new byte[8192])
                    .isEqualTo(Files.readAllBytes(restored.resolve(PREALLOC)));
            assertThat(listed.get("/" + NANOSECONDS).modified().orElseThrow().getNano()).isEqualTo(NANOS);
            for (FileEntry entry : listed.values()) {
                BtrfsAgreementTest.assertAgreesWithRestore(entry, restored.resolve(entry.path().substring(1)));
            }
            BtrfsAgreementTest.assertAgreesWithDumpTree(fs, DumpTree.of(image, "fs"), fs.root(), List.copyOf(listed.values()));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                FileEntry entry = listed.get("/" + file.getKey());
                byte[] fromRestore = Files.readAllBytes(restored.resolve(file.getKey()));
                assertThat(fromRestore).as("btrfs restore of " + file.getKey()).isEqualTo(file.getValue());
                assertThat(BtrfsAgreementTest.bytes(fs, entry)).as(file.getKey()).isEqualTo(fromRestore);
                if (file.getKey().startsWith("regular-")) {
                    Mapping mapping = fs.map(entry, 50_000, 1 << 20);
                    assertThat(mapping).isInstanceOf(Mapping.Compressed.class);
                    assertThat(mapping.length()).isEqualTo(50_000);
                    ByteBuffer middle = ByteBuffer.allocate(1000);
                    new FileReader(fs).read(entry, 50_000, middle);
                    assertThat(middle.array()).isEqualTo(Arrays.copyOfRange(file.getValue(), 50_000, 51_000));
                }
            }
            assertThat(fs.warnings()).isEmpty();
        }
    }
}

package org.disklens.content.btrfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile Btrfs images made from good ones (mkfs.btrfs --rootdir, 4 KiB nodes so the FS tree has a node above its
 * leaves): bytes poked where dump-tree says the structures are, each changed block given a correct checksum again
 * (so the structure itself is what DiskLens must judge) unless the checksum is the point. Each gives a one-line
 * ImageException naming the structure, or a sound answer with a warning, within seconds.
 */
class BtrfsHostileTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    @TempDir
    static Path dir;
    static Path good;
    static Path goodDup;
    static List<DumpTree.Chunk> chunks;
    static long fsRoot;
    static long firstLeaf;
    static long chunkLeaf;

    @BeforeAll
    static void makeImages() throws IOException {
        Tools.require("mkfs.btrfs", "btrfs");
        Path tree = Files.createDirectories(dir.resolve("tree/many"));
        for (int i = 0; i < 300; i++) {
            Files.writeString(tree.resolve("entry-%03d-with-a-long-name".formatted(i)), Integer.toString(i));
        }
        tree = tree.getParent();
        Files.writeString(tree.resolve("one.txt"), "one\n");
        Files.write(tree.resolve("data.bin"), new byte[20_000]);
        good = BtrfsImages.mkfs(dir, "good.img", 128, tree, List.of("-m", "single", "-d", "single", "-n", "4096"));
        goodDup = BtrfsImages.mkfs(dir, "good-dup.img", 128, tree, List.of("-m", "dup", "-n", "4096"));
        chunks = DumpTree.chunks(good);
        fsRoot = firstNumber(dump(good, "root"), "FS_TREE ROOT_ITEM 0\\).*\\n.*bytenr (\\d+)");
        firstLeaf = firstNumber(dump(good, "fs"), "(?m)^leaf (\\d+) items");
        chunkLeaf = firstNumber(dump(good, "chunk"), "(?m)^leaf (\\d+) items");
        assertThat(dump(good, "fs")).startsWith("btrfs-progs").contains("node " + fsRoot + " level 1");
    }

    @Test
    void aTreeBlockThatPointsAtItselfIsRefused() throws IOException {
        Path image = copy(good, "node-loop.img");
        rewrite(image, fsRoot, node -> node.putLong(TreeBlock.HEADER + Key.SIZE, fsRoot));
        assertRefused(image, CorruptImage.class, "the tree loops or is damaged");
    }

    @Test
    void anAbsurdLevelIsRefused() throws IOException {
        Path image = copy(good, "level-200.img");
        rewrite(image, firstLeaf, leaf -> leaf.put(0x64, (byte) 200));
        assertRefused(image, CorruptImage.class, "level 200 is above 7");
    }

    @Test
    void anItemOffsetPastTheLeafIsRefused() throws IOException {
        Path image = copy(good, "item-offset-past-leaf.img");
        rewrite(image, firstLeaf, leaf -> leaf.putInt(TreeBlock.HEADER + TreeBlock.ITEM + Key.SIZE, 0x7fff0000));
        assertRefused(image, CorruptImage.class, "lies outside the leaf's data area");
    }

    @Test
    void keysOutOfOrderAreRefused() throws IOException {
        Path image = copy(good, "keys-out-of-order.img");
        rewrite(image, firstLeaf, leaf -> leaf.putLong(TreeBlock.HEADER + 2 * TreeBlock.ITEM, 1));
        assertRefused(image, CorruptImage.class, "is not above key");
    }

    @Test
    void aBadChecksumIsAWarningWhenTheBlockIsOtherwiseSound() throws IOException {
        Path image = copy(good, "leaf-checksum.img");
        // A byte of the unused gap between the item table and the item data: covered by the checksum only.
        long physical = DumpTree.physical(chunks, firstLeaf).getFirst();
        poke(image, physical + 2000, new byte[] {0x55});
        FileSystem fs = open(image);
        assertThat(names(fs)).isEqualTo(names(open(good)));
        assertThat(fs.warnings()).containsExactly("btrfs: FS tree block at logical 0x%x at 0x%x: crc32c checksum mismatch (no copy is better; used as it is)"
                .formatted(firstLeaf, physical));
    }

    @Test
    void aDupCopyIsUsedWhenTheFirstIsDamaged() throws IOException {
        Path image = copy(goodDup, "dup-first-copy-damaged.img");
        List<DumpTree.Chunk> dupChunks = DumpTree.chunks(goodDup);
        long leaf = firstNumber(dump(goodDup, "fs"), "(?m)^leaf (\\d+) items");
        List<Long> copies = DumpTree.physical(dupChunks, leaf);
        assertThat(copies).hasSize(2);
        poke(image, copies.getFirst() + 0x30, new byte[8]);
        FileSystem fs = open(image);
        assertThat(names(fs)).isEqualTo(names(open(goodDup)));
        assertThat(fs.warnings()).containsExactly(("btrfs: FS tree block at logical 0x%x at 0x%x: says it is the block at "
                + "logical 0x0; another copy at 0x%x was used").formatted(leaf, copies.getFirst(), copies.get(1)));
    }

    @Test
    void aDamagedPrimarySuperblockFallsBackToTheMirror() throws IOException {
        Path image = copy(good, "superblock-primary-damaged.img");
        poke(image, 0x10000 + 0x200, new byte[] {0x41});
        FileSystem fs = open(image);
        assertThat(names(fs)).isEqualTo(names(open(good)));
        assertThat(fs.warnings()).containsExactly("btrfs: superblock at 0x10000: crc32c checksum mismatch; the mirror at "
                + "0x4000000 was used");
    }

    @Test
    void chunksThatOverlapAreRefused() throws IOException {
        Path image = copy(good, "chunks-overlap.img");
        // Slot 3 is the data chunk: its key's logical start moves into the metadata chunk (slot 2).
        long metadata = chunks.stream().filter(chunk -> chunk.logical() > chunkLeaf).findFirst().orElseThrow().logical();
        rewrite(image, chunkLeaf, leaf -> leaf.putLong(TreeBlock.HEADER + 3 * TreeBlock.ITEM + 9, metadata + 4096));
        assertRefused(image, CorruptImage.class, "overlaps the chunk at logical 0x%x".formatted(metadata));
    }

    @Test
    void aChunkPastTheDeviceIsRefused() throws IOException {
        Path image = copy(good, "chunk-past-device.img");
        rewrite(image, chunkLeaf, leaf -> {
            int data = TreeBlock.HEADER + leaf.getInt(TreeBlock.HEADER + 3 * TreeBlock.ITEM + Key.SIZE);
            leaf.putLong(data + Chunk.HEADER + 8, 1L << 40);
        });
        assertRefused(image, CorruptImage.class, "ends past the device");
    }

    @Test
    void aShortVolumeIsDamageNotACrash() throws IOException {
        for (long length : new long[] {0x10000 + 100, 1 << 20, (1 << 20) + 8192, 6 << 20, 14 << 20}) {
            Path image = Hostile.truncated(good, "truncated-" + length + ".img", length);
            assertTimeoutPreemptively(BOUND, () -> {
                try {
                    FileSystem fs = open(image);
                    fs.walk(fs.root(), entry -> {
                        if (entry.type() == FileEntry.Type.FILE) {
                            BtrfsAgreementTest.bytes(fs, entry);
                        }
                    }, ProgressListener.NONE);
                } catch (ImageException expected) {
                    assertThat(expected.getMessage()).startsWith("btrfs: ").doesNotContain("\n");
                }
            });
        }
    }

    @Test
    void anUnknownChecksumTypeIsRefused() throws IOException {
        Path image = copy(good, "checksum-type-9.img");
        poke(image, 0x10000 + 0xc4, new byte[] {9});
        assertRefused(image, UnsupportedFeature.class, "checksum type 9 is none DiskLens knows");
    }

    @Test
    void anUnknownIncompatibleFeatureIsRefused() throws IOException {
        Path image = copy(good, "unknown-incompat.img");
        Blocks.rewriteSuperblocks(image, block -> block.putLong(0xbc, block.getLong(0xbc) | 1L << 40));
        assertRefused(image, UnsupportedFeature.class, "unknown incompatible features 0x10000000000");
    }

    @Test
    void anAbsurdDecodedSizeIsRefusedWhenRead() throws IOException {
        Path image = copy(good, "compressed-size.img");
        DumpTree dump = DumpTree.of(good, "fs");
        long inode = dump.directories.get(256L).stream().filter(entry -> entry.name().equals("one.txt")).findFirst()
                .orElseThrow().location();
        DumpTree.Extent extent = dump.extents.get(inode).getFirst();
        rewrite(image, extent.leaf(), leaf -> {
            int item = TreeBlock.HEADER + extent.itemOffset();
            leaf.putLong(item + 8, 1L << 30);
            leaf.put(item + 16, (byte) 1);
        });
        FileSystem fs = open(image);
        FileEntry one = fs.resolve("/one.txt").orElseThrow();
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> BtrfsAgreementTest.bytes(fs, one))
                .isInstanceOf(LimitExceeded.class).hasMessageStartingWith("btrfs: ")
                .hasMessageContaining("decodes to 1073741824 bytes, more than 131072"));
    }

    @Test
    void aDirectoryEntryWithAnAbsurdNameLengthIsSkippedWithAWarning() throws IOException {
        Path image = copy(good, "dir-entry-name-length.img");
        rewrite(image, rootDirectoryIndexLeaf(), leaf -> {
            for (int slot = 0; slot < leaf.getInt(0x60); slot++) {
                int key = TreeBlock.HEADER + slot * TreeBlock.ITEM;
                if (leaf.getLong(key) == 256 && Byte.toUnsignedInt(leaf.get(key + 8)) == Key.DIR_INDEX) {
                    int data = TreeBlock.HEADER + leaf.getInt(key + Key.SIZE);
                    leaf.putShort(data + 27, (short) 0xFFFF);
                    return;
                }
            }
            throw new AssertionError("no DIR_INDEX of the root directory in this leaf");
        });
        FileSystem fs = open(image);
        List<String> listed = fs.list(fs.root()).stream().map(FileEntry::name).toList();
        List<String> all = fs.list(open(good).root()).stream().map(FileEntry::name).toList();
        assertThat(listed).hasSize(all.size() - 1);
        assertThat(all).containsAll(listed);
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("do not fit") && warning.contains("skipped"));
    }

    @Test
    void withoutDirIndexItemsTheDirItemsListTheDirectory() throws IOException {
        Path image = copy(good, "no-dir-index.img");
        // Type 96 (DIR_INDEX) becomes 97, which no item uses: the keys stay in order, the index is gone.
        rewrite(image, rootDirectoryIndexLeaf(), leaf -> {
            for (int slot = 0; slot < leaf.getInt(0x60); slot++) {
                int key = TreeBlock.HEADER + slot * TreeBlock.ITEM;
                if (leaf.getLong(key) == 256 && Byte.toUnsignedInt(leaf.get(key + 8)) == Key.DIR_INDEX) {
                    leaf.put(key + 8, (byte) 97);
                }
            }
        });
        FileSystem fs = open(image);
        assertThat(fs.list(fs.root()).stream().map(FileEntry::name).toList())
                .containsExactlyInAnyOrderElementsOf(fs.list(open(good).root()).stream().map(FileEntry::name).toList());
        assertThat(fs.warnings()).containsExactly("btrfs: directory / has no DIR_INDEX items; listed from its DIR_ITEMs, "
                + "in hash order");
    }

    @Test
    void aLogTreeIsAWarning() throws IOException {
        Path image = copy(good, "log-tree.img");
        Blocks.rewriteSuperblocks(image, block -> block.putLong(0x60, 0x123000));
        FileSystem fs = open(image);
        assertThat(names(fs)).isEqualTo(names(open(good)));
        assertThat(fs.warnings()).containsExactly("btrfs: the log tree holds fsynced changes; DiskLens shows the file "
                + "system as last committed, without replaying them");
    }

    @Test
    void theCommandLineStaysCleanOnEveryHostileImage() throws IOException {
        for (String name : List.of("node-loop.img", "level-200.img", "item-offset-past-leaf.img", "chunks-overlap.img",
                "chunk-past-device.img", "unknown-incompat.img")) {
            Path image = dir.resolve(name);
            if (Files.exists(image)) {
                Hostile.runSafely(image, "ls", "-R", "--json", image.toString());
            }
        }
    }

    // ---- helpers ----

    private long rootDirectoryIndexLeaf() {
        String[] lines = dump(good, "fs").split("\n");
        long leaf = -1;
        for (String line : lines) {
            Matcher header = Pattern.compile("^leaf (\\d+) items").matcher(line);
            if (header.find()) {
                leaf = Long.parseLong(header.group(1));
            }
            if (line.contains("key (256 DIR_INDEX ")) {
                return leaf;
            }
        }
        throw new AssertionError("no DIR_INDEX of the root directory");
    }

    private static String dump(Path image, String tree) {
        return Tools.run(dir, "btrfs", "inspect-internal", "dump-tree", "-t", tree, image.toString());
    }

    private static long firstNumber(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static Path copy(Path from, String name) throws IOException {
        return Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileSystem open(Path image) throws IOException {
        return new BtrfsType().open(FileBlockSource.open(image));
    }

    private static List<String> names(FileSystem fs) throws IOException {
        return BtrfsAgreementTest.walk(fs).keySet().stream().toList();
    }

    private static void poke(Path image, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static void rewrite(Path image, long logical, Consumer<ByteBuffer> change) throws IOException {
        Blocks.rewrite(image, image.equals(good) ? chunks : DumpTree.chunks(image), logical, 4096, change);
    }

    private static void assertRefused(Path image, Class<? extends ImageException> kind, String expected) {
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> {
            FileSystem fs = open(image);
            fs.walk(fs.root(), entry -> { }, ProgressListener.NONE);
        }).isInstanceOf(kind).hasMessageStartingWith("btrfs: ").hasMessageContaining(expected));
    }
}

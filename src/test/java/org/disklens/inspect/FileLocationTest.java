package org.disklens.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.GuestView;
import org.disklens.content.Volume;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a guest file lives, checked against the reference tools: an ext4 file's blocks as {@code debugfs blocks}
 * lists them, at the partition's offset on the disk, stored where {@code qemu-img map} says — part in a backing
 * file, part rewritten in the overlay.
 */
class FileLocationTest {
    private static final long PARTITION_START = 1L << 20;
    private static final int BLOCK = 4096;

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeDisk() throws IOException {
        Qemu.require();
        Tools.require("sfdisk", "mkfs.ext4", "debugfs");
        byte[] data = new byte[256 * 1024];
        new Random(3).nextBytes(data);
        Files.write(Files.createDirectories(dir.resolve("tree")).resolve("data.bin"), data);
        Tools.run(dir, "mkfs.ext4", "-q", "-b", "4096", "-d", "tree", "fs.img", "16M");
        Tools.run(dir, "truncate", "-s", "18M", "disk.raw");
        Files.writeString(dir.resolve("layout"), "label: dos\nstart=2048, type=83\n");
        Tools.run(dir, "sh", "-c", "sfdisk -q disk.raw < layout");
        Tools.run(dir, "dd", "if=fs.img", "of=disk.raw", "bs=1M", "seek=1", "conv=notrunc", "status=none");
        Qemu.img(dir, "convert", "-O", "qcow2", "disk.raw", "base.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2");
    }

    @Test
    void aFilesBlocksAreWhereDebugfsAndQemuImgMapSay() throws IOException {
        List<Long> blocks = blocks("data.bin");
        long firstByte = PARTITION_START + blocks.getFirst() * BLOCK;
        // Rewrite the file's second 64 KiB on the guest disk, in the overlay: that part now lives in the top layer.
        Qemu.io(dir, "top.qcow2", "qcow2", "write -P 0x5a %d 64k".formatted(firstByte + 65536));

        FileLocation location = locate("top.qcow2", "/data.bin");
        List<Long> guestBlocks = new ArrayList<>();
        long[] byLayer = new long[2];
        for (FileLocation.Piece piece : location.pieces()) {
            FileLocation.OnDisk disk = (FileLocation.OnDisk) piece;
            for (long at = 0; at < disk.length(); at += BLOCK) {
                guestBlocks.add((disk.guestOffset() + at - PARTITION_START) / BLOCK);
                byLayer[mapAt(disk.guestOffset() + at).get("depth").asInt()] += BLOCK;
            }
            JsonNode qemu = mapAt(disk.guestOffset());
            assertThat(disk.storage().depth()).as("layer at 0x%x", disk.guestOffset()).isEqualTo(qemu.get("depth").asInt());
        }
        assertThat(guestBlocks).isEqualTo(blocks);
        // qemu copies whole clusters on write: the rewritten part grows to the clusters it touched.
        assertThat(location.totals().dataByLayer()).containsExactly(byLayer);
        assertThat(byLayer[0]).isGreaterThanOrEqualTo(65536).isLessThan(256L * 1024);
        assertThat(location.more()).isFalse();
    }

    private static FileLocation locate(String image, String path) throws IOException {
        try (ImageChain chain = new ImageOpener(OpenPolicy.DEFAULT).openChain(dir.resolve(image), Optional.empty(), true)) {
            Volume volume = DiskLayout.select(new GuestView(chain), Optional.of("1"));
            FileSystem fileSystem = volume.open();
            FileEntry file = fileSystem.resolve(path).orElseThrow();
            return FileLocation.of(chain, volume, fileSystem, file, ProgressListener.NONE);
        }
    }

    /** The file's blocks in file order, as debugfs lists them. */
    private static List<Long> blocks(String name) {
        List<Long> blocks = new ArrayList<>();
        for (String word : Tools.run(dir, "debugfs", "-R", "blocks /" + name, "fs.img").strip().split("\\s+")) {
            blocks.add(Long.parseLong(word));
        }
        return blocks;
    }

    private static JsonNode mapAt(long guestOffset) {
        for (JsonNode entry : Qemu.map(dir, "top.qcow2")) {
            if (entry.get("start").asLong() <= guestOffset
                    && guestOffset < entry.get("start").asLong() + entry.get("length").asLong()) {
                return entry;
            }
        }
        throw new AssertionError("qemu-img map does not cover 0x%x".formatted(guestOffset));
    }
}

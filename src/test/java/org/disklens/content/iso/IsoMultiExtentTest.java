package org.disklens.content.iso;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file over 4 GiB, which ISO 9660 can only record as several directory records (multi-extent), in an ISO
 * made by xorriso at level 3. The source file is sparse with markers at the start, across the boundary of the
 * first extent and at the end; the ISO's zeroes are turned back into holes (fallocate --dig-holes) so the test
 * needs little disk. About 30 s: xorriso writes 4 GiB.
 */
class IsoMultiExtentTest {
    private static final long SIZE = (4L << 30) + (3L << 20);
    /** xorriso's first extent holds 2,097,151 blocks of 2 KiB; this marker straddles its end. */
    private static final long FIRST_EXTENT = 2_097_151L * 2048;
    private static final List<Marker> MARKERS = List.of(new Marker(0, "START"),
            new Marker(FIRST_EXTENT - 3, "MIDDLE"), new Marker(SIZE - 3, "END"));

    @TempDir
    static Path dir;

    record Marker(long offset, String text) {
    }

    @BeforeAll
    static void makeIso() throws IOException {
        Tools.require("xorriso", "fallocate");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        try (FileChannel huge = FileChannel.open(tree.resolve("huge.bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            huge.truncate(0);
            for (Marker marker : MARKERS) {
                huge.write(ByteBuffer.wrap(marker.text().getBytes(StandardCharsets.US_ASCII)), marker.offset());
            }
        }
        Files.writeString(tree.resolve("small.txt"), "small\n");
        Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-iso-level", "3", "-o", "big.iso", "tree");
        Files.delete(tree.resolve("huge.bin"));
        Tools.run(dir, "fallocate", "--dig-holes", "big.iso");
    }

    @Test
    void listsTheWholeSize() {
        Cli.Result listed = Cli.run("ls", "--json", dir.resolve("big.iso").toString());
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        JsonNode huge = listed.json().get(0);
        assertThat(huge.get("path").asText()).isEqualTo("/huge.bin");
        assertThat(huge.get("size").asLong()).isEqualTo(SIZE);
    }

    @Test
    void readsEveryByteAcrossBothExtents() throws IOException {
        try (FileBlockSource iso = FileBlockSource.open(dir.resolve("big.iso"))) {
            FileSystem tree = new Iso9660Type().open(iso);
            FileEntry huge = tree.resolve("/huge.bin").orElseThrow();
            assertThat(tree.map(huge, 0, SIZE).length()).as("the first extent's run").isEqualTo(FIRST_EXTENT);
            assertThat(tree.map(huge, FIRST_EXTENT, SIZE).length()).as("the second extent's run").isEqualTo(SIZE - FIRST_EXTENT);
            ExpectedContent check = new ExpectedContent();
            tree.copy(huge, check, ProgressListener.NONE);
            assertThat(check.position).isEqualTo(SIZE);
            assertThat(check.firstDifference).as("first byte that differs from the source file").isEqualTo(-1);
        }
    }

    /** Receives the copied bytes and compares them with the source file (zeroes and markers) as they come. */
    private static final class ExpectedContent implements WritableByteChannel {
        long position;
        long firstDifference = -1;

        @Override
        public int write(ByteBuffer bytes) {
            int count = bytes.remaining();
            int differs = bytes.mismatch(ByteBuffer.wrap(expected(position, count)));
            if (differs >= 0 && firstDifference < 0) {
                firstDifference = position + differs;
            }
            position += count;
            bytes.position(bytes.limit());
            return count;
        }

        /** The source file's bytes at {@code [offset, offset + count)}: zeroes, and the markers that fall there. */
        private static byte[] expected(long offset, int count) {
            byte[] bytes = new byte[count];
            for (Marker marker : MARKERS) {
                for (int i = 0; i < marker.text().length(); i++) {
                    long at = marker.offset() + i - offset;
                    if (at >= 0 && at < count) {
                        bytes[(int) at] = (byte) marker.text().charAt(i);
                    }
                }
            }
            return bytes;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}

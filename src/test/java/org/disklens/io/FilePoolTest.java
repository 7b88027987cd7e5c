package org.disklens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One source per file, opened as read, never more than the pool's limit open at once, reopened when read again. */
class FilePoolTest {
    @TempDir
    Path dir;

    @Test
    void filesAreSharedOpenedLazilyAndBoundedInNumber() throws IOException {
        FilePool pool = new FilePool(3);
        List<BlockSource> sources = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path file = Files.write(dir.resolve("f" + i), new byte[] {(byte) i, (byte) (i + 1)});
            sources.add(pool.source(file));
        }
        assertThat(pool.openCount()).as("nothing is opened before it is read").isZero();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(sources.get(i).read(0, 2, ByteOrder.BIG_ENDIAN).array()).containsExactly(i, i + 1);
                assertThat(sources.get(i).size()).isEqualTo(2);
                assertThat(pool.openCount()).isLessThanOrEqualTo(3);
            }
        }
        for (BlockSource source : sources) {
            source.close();
            source.close();
        }
        assertThat(pool.openCount()).isZero();
        assertThatThrownBy(() -> sources.getFirst().read(0, 1, ByteOrder.BIG_ENDIAN)).isInstanceOf(ClosedChannelException.class);
    }

    /** An OVF check hashes a disk file and closes it while the disk image still reads the same file. */
    @Test
    void closingOneCallersSourceLeavesTheOthersReadingTheSameDescriptor() throws IOException {
        FilePool pool = new FilePool(3);
        Path file = Files.write(dir.resolve("shared"), new byte[] {7, 8});
        BlockSource image = pool.source(file);
        BlockSource check = pool.source(file);
        assertThat(check.read(0, 2, ByteOrder.BIG_ENDIAN).array()).containsExactly(7, 8);
        assertThat(image.read(0, 1, ByteOrder.BIG_ENDIAN).array()).containsExactly(7);
        assertThat(pool.openCount()).as("one descriptor for both").isEqualTo(1);

        check.close();

        assertThat(image.read(1, 1, ByteOrder.BIG_ENDIAN).array()).containsExactly(8);
        assertThatThrownBy(() -> check.read(0, 1, ByteOrder.BIG_ENDIAN)).isInstanceOf(ClosedChannelException.class);
        image.close();
        assertThat(pool.openCount()).isZero();
    }

    @Test
    void onlyRegularFilesJoinThePool() throws IOException {
        FilePool pool = new FilePool(3);
        assertThatThrownBy(() -> pool.source(dir)).hasMessageContaining("not a regular file (a directory)");
        assertThatThrownBy(() -> pool.source(dir.resolve("missing"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}

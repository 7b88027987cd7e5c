package org.disklens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSourceTest {
    @TempDir
    Path dir;

    @Test
    void memorySourceReadsFullyOrRefusesPastTheEnd() throws IOException {
        MemoryBlockSource source = new MemoryBlockSource("mem", new byte[] {1, 2, 3, 4, 5});
        assertThat(source.read(1, 3, ByteOrder.BIG_ENDIAN).array()).containsExactly(2, 3, 4);
        assertThatThrownBy(() -> source.read(3, 3, ByteOrder.BIG_ENDIAN)).isInstanceOf(EOFException.class)
                .hasMessageContaining("0x3").hasMessageContaining("past the end");
        assertThatThrownBy(() -> source.read(-1, 1, ByteOrder.BIG_ENDIAN)).isInstanceOf(EOFException.class);
    }

    @Test
    void sliceSeesItsWindowOnly() throws IOException {
        MemoryBlockSource parent = new MemoryBlockSource("mem", new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
        SliceBlockSource slice = new SliceBlockSource(parent, 2, 4);
        assertThat(slice.size()).isEqualTo(4);
        assertThat(slice.read(0, 4, ByteOrder.BIG_ENDIAN).array()).containsExactly(2, 3, 4, 5);
        assertThatThrownBy(() -> slice.read(2, 3, ByteOrder.BIG_ENDIAN)).isInstanceOf(EOFException.class);
    }

    @Test
    void fileSourceReportsHolesOfASparseFile() throws IOException {
        Path file = dir.resolve("sparse.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(16L << 20);
            raf.seek(4L << 20);
            raf.write(new byte[1 << 20]);
        }
        try (FileBlockSource source = FileBlockSource.open(file)) {
            HostExtent first = source.extentAt(0);
            HostExtent data = source.extentAt(4L << 20);
            // Where the file system cannot tell, everything is data: both answers are then "data".
            if (!first.data()) {
                assertThat(first).isEqualTo(new HostExtent(0, 4L << 20, false));
                assertThat(data).isEqualTo(new HostExtent(4L << 20, 1L << 20, true));
                assertThat(source.extentAt(5L << 20)).isEqualTo(new HostExtent(5L << 20, 11L << 20, false));
                assertThat(source.allocatedBytes()).isLessThan(4L << 20);
            } else {
                assertThat(first.length()).isEqualTo(16L << 20);
            }
        }
    }

    @Test
    void fileSourceIsReadOnly() throws IOException {
        Path file = dir.resolve("ro.img");
        Files.write(file, new byte[] {9, 8, 7});
        try (FileBlockSource source = FileBlockSource.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(3);
            source.read(0, buffer);
            assertThat(buffer.array()).containsExactly(9, 8, 7);
        }
        assertThatThrownBy(() -> FileBlockSource.open(dir.resolve("missing.img")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}

package org.disklens.content.xfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.disklens.image.CorruptImage;
import org.junit.jupiter.api.Test;

/**
 * Records parsed from bytes this test writes itself, for what mkfs.xfs does not make on a small image: short-form
 * directories with 8-byte inode numbers, extent records with every field at its widest, bigtime at its limits, damaged
 * data blocks.
 */
class XfsRecordsTest {
    @Test
    void aShortFormDirectoryWithEightByteInodeNumbers() {
        ByteBuffer sf = ByteBuffer.allocate(64);
        sf.put((byte) 2).put((byte) 1).putLong(128);
        sf.put((byte) 3).putShort((short) 0x60).put("abc".getBytes()).put((byte) 1).putLong(0x1_2345_6789L);
        sf.put((byte) 1).putShort((short) 0x70).put("z".getBytes()).put((byte) 2).putLong(131);
        DirectoryEntry.Region region = DirectoryEntry.parseShortForm(sf.flip(), sf.limit(), true);
        assertThat(region.damage()).isEmpty();
        assertThat(region.entries()).extracting(DirectoryEntry::inode).containsExactly(0x1_2345_6789L, 131L);
        assertThat(region.entries()).extracting(entry -> new String(entry.name(), StandardCharsets.UTF_8))
                .containsExactly("abc", "z");
        assertThat(region.entries()).extracting(DirectoryEntry::fileType).containsExactly(1, 2);
    }

    @Test
    void aShortFormEntryThatRunsPastTheDirectoryEndsTheListing() {
        ByteBuffer sf = ByteBuffer.allocate(20);
        sf.put((byte) 2).put((byte) 0).putInt(128);
        sf.put((byte) 3).putShort((short) 0x60).put("abc".getBytes()).putInt(131);
        sf.put((byte) 40).putShort((short) 0x70);
        DirectoryEntry.Region region = DirectoryEntry.parseShortForm(sf.flip(), sf.limit(), false);
        assertThat(region.entries()).hasSize(1);
        assertThat(region.damage()).hasValueSatisfying(damage -> assertThat(damage).contains("entry 1"));
    }

    @Test
    void anExtentRecordWithEveryFieldAtItsWidest() throws CorruptImage {
        long fileBlock = (1L << 54) - 1;
        long start = (1L << 52) - 1;
        int length = (1 << 21) - 1;
        ByteBuffer record = ByteBuffer.allocate(16).putLong(Long.MIN_VALUE | fileBlock << 9 | start >>> 43)
                .putLong(start << 21 | length).flip();
        Extents extents = Extents.parse(record, 1, 1, "test", 0);
        assertThat(extents.fileBlocks()).containsExactly(fileBlock);
        assertThat(extents.startBlocks()).containsExactly(start);
        assertThat(extents.lengths()).containsExactly(length);
        assertThat(extents.unwritten()).containsExactly(true);
    }

    @Test
    void overlappingOrEmptyExtentsAreRefused() {
        ByteBuffer overlapping = ByteBuffer.allocate(32).putLong(10L << 9).putLong(100L << 21 | 5)
                .putLong(12L << 9).putLong(200L << 21 | 1).flip();
        assertThatThrownBy(() -> Extents.parse(overlapping, 2, 2, "inode 5", 0x1000)).isInstanceOf(CorruptImage.class)
                .hasMessage("xfs: inode 5 at 0x1000: extent 1 at file block 12 overlaps or precedes the one before it");
        ByteBuffer empty = ByteBuffer.allocate(16).putLong(0).putLong(100L << 21).flip();
        assertThatThrownBy(() -> Extents.parse(empty, 1, 1, "inode 5", 0x1000)).hasMessageContaining("has no blocks");
        assertThatThrownBy(() -> Extents.parse(empty, 3, 1, "inode 5", 0x1000)).hasMessageContaining("do not fit");
    }

    @Test
    void bigtimeAndLegacyTimestamps() {
        ByteBuffer time = ByteBuffer.allocate(8);
        assertThat(Inode.time(time.putLong(0, 0), 0, true)).isEqualTo(Instant.parse("1901-12-13T20:45:52Z"));
        assertThat(Inode.time(time.putLong(0, -1), 0, true)).isEqualTo(
                Instant.ofEpochSecond(Long.divideUnsigned(-1, 1_000_000_000L) - (1L << 31), 709_551_615));
        assertThat(Inode.time(time.putInt(0, Integer.MIN_VALUE).putInt(4, 5), 0, false))
                .isEqualTo(Instant.parse("1901-12-13T20:45:52.000000005Z"));
    }

    @Test
    void dataBlockDamageKeepsTheEntriesBeforeIt() {
        int size = 4096;
        ByteBuffer block = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        block.putInt(0, DirectoryEntry.DATA_MAGIC_V4);
        int at = DirectoryEntry.HEADER_V4;
        block.putLong(at, 131).put(at + 8, (byte) 1).put(at + 9, (byte) 'a').putShort(at + 14, (short) at);
        at += 16;
        // An entry whose tag does not repeat its offset.
        block.putLong(at, 132).put(at + 8, (byte) 1).put(at + 9, (byte) 'b').putShort(at + 14, (short) 7);
        DirectoryEntry.Region region = DirectoryEntry.parseDataBlock(block, size, false, false);
        assertThat(region.entries()).extracting(DirectoryEntry::inode).containsExactly(131L);
        assertThat(region.damage()).contains("entry at 32 has tag 7");
        block.putInt(0, 0x12345678);
        assertThat(DirectoryEntry.parseDataBlock(block, size, false, false).damage())
                .contains("no directory data magic (0x12345678)");
    }

    @Test
    void checksumsAreCrc32cWithTheFieldAsZeroStoredLittleEndian() {
        ByteBuffer bytes = ByteBuffer.allocate(13).put("1234".getBytes()).putInt(0xFFFFFFFF).put("56789".getBytes());
        int crc = Crc32c.compute(bytes, 4, 13);
        java.util.zip.CRC32C reference = new java.util.zip.CRC32C();
        byte[] zeroed = bytes.array().clone();
        java.util.Arrays.fill(zeroed, 4, 8, (byte) 0);
        reference.update(zeroed);
        assertThat(crc).isEqualTo((int) reference.getValue());
        bytes.order(ByteOrder.LITTLE_ENDIAN).putInt(4, crc);
        assertThat(Crc32c.matches(bytes, 4, 13)).isTrue();
    }
}

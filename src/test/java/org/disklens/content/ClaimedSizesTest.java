package org.disklens.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Sizes a structure claims: exact arithmetic, checked against the volume, each impossible one left out and said. */
class ClaimedSizesTest {
    private static final long VOLUME = 8L << 20;

    @Test
    void aPossibleSizeIsKeptUpToTheVolumeItself() {
        ClaimedSizes sizes = new ClaimedSizes("ext4", "superblock", VOLUME);
        OptionalLong size = sizes.total("blocks", 8192, 1024);
        assertThat(size).hasValue(VOLUME);
        assertThat(sizes.used(size, "blocks", 8192, 8192, 1024)).hasValue(0);
        assertThat(sizes.used(size, "blocks", 8192, 0, 1024)).hasValue(VOLUME);
        assertThat(sizes.info("", "", size, OptionalLong.empty()).warnings()).isEmpty();
    }

    @Test
    void eachImpossibleSizeIsLeftOutWithItsReason() {
        ClaimedSizes sizes = new ClaimedSizes("ext4", "superblock", VOLUME);
        assertThat(sizes.total("blocks", 8193, 1024)).isEmpty();
        assertThat(sizes.total("blocks", -16, 1024)).isEmpty();
        assertThat(sizes.total("blocks", Long.MAX_VALUE / 1000, 1024)).isEmpty();
        assertThat(sizes.total("blocks", 1, 0)).isEmpty();
        OptionalLong size = sizes.total("blocks", 100, 1024);
        assertThat(sizes.used(size, "blocks", 100, 101, 1024)).isEmpty();
        assertThat(sizes.usedBytes(size, 100 * 1024 + 1)).isEmpty();
        assertThat(sizes.usedBytes(size, -1)).isEmpty();
        assertThat(sizes.used(OptionalLong.empty(), "blocks", 100, 1, 1024)).isEmpty();
        assertThat(sizes.info("", "", size, OptionalLong.empty()).warnings()).containsExactly(
                "ext4: superblock: 8193 blocks of 1 KiB make 8389632 bytes (8 MiB), more than its volume of 8388608 bytes (8 MiB); "
                        + "the size is left out",
                "ext4: superblock: 18446744073709551600 blocks of 1 KiB cannot be a size; the size is left out",
                "ext4: superblock: 9223372036854775 blocks of 1 KiB overflow a 64-bit size; the size is left out",
                "ext4: superblock: 1 blocks of 0 B cannot be a size; the size is left out",
                "ext4: superblock: 101 free blocks are more than its 100 blocks; the used size is left out",
                "ext4: superblock: 102401 bytes used are more than its size of 100 KiB; the used size is left out",
                "ext4: superblock: 18446744073709551615 bytes used are more than its size of 100 KiB; the used size is left out");
    }
}

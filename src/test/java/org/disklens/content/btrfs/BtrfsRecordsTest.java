package org.disklens.content.btrfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.zstd.ZstdCompressor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The records and decoders on bytes this test controls, and the fuzz seeds as sound file systems. */
class BtrfsRecordsTest {
    @ParameterizedTest
    @ValueSource(strings = {"btrfs-single", "btrfs-dup", "btrfs-two-levels", "btrfs-compressed-inline"})
    void theFuzzSeedsAreSoundFileSystems(String seed) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("BtrfsFuzzTestInputs/fileSystem/" + seed)) {
            bytes = in.readAllBytes();
        }
        FileSystem fs = new BtrfsType().open(new MemoryBlockSource(seed, bytes));
        Map<String, FileEntry> listed = BtrfsAgreementTest.walk(fs);
        if (seed.equals("btrfs-two-levels")) {
            assertThat(listed).hasSize(100);
        } else if (seed.equals("btrfs-compressed-inline")) {
            assertThat(listed).hasSize(4);
            for (int i = 1; i <= 4; i++) {
                assertThat(BtrfsAgreementTest.bytes(fs, listed.get("/inline-" + i)))
                        .isEqualTo(String.valueOf(i).repeat(700).getBytes(StandardCharsets.US_ASCII));
            }
        } else {
            assertThat(listed.keySet()).containsExactlyInAnyOrder("/d", "/d/a", "/regular", "/link", "/hard", "/fifo");
            assertThat(BtrfsAgreementTest.bytes(fs, listed.get("/regular"))).isEqualTo("r".repeat(6000).getBytes());
            assertThat(listed.get("/link").target()).contains("d/a");
        }
        assertThat(fs.warnings()).isEmpty();
    }

    @Test
    void xxhash64MatchesTheSpecificationsVectors() {
        assertThat(XxHash64.hash(ByteBuffer.allocate(0))).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(0x44BC2CF5AD770999L);
    }

    @Test
    void blake2bMatchesB2sum() {
        for (String text : new String[] {"", "abc", "x".repeat(128), "y".repeat(129), "z".repeat(1000)}) {
            String expected = org.disklens.testing.Tools.run(java.nio.file.Path.of("."), "sh", "-c",
                    "printf '%s' '" + text + "' | b2sum -l 256").split(" ")[0];
            assertThat(java.util.HexFormat.of().formatHex(Blake2b.digest(ByteBuffer.wrap(text.getBytes()))))
                    .as("blake2b of %d bytes", text.length()).isEqualTo(expected);
        }
    }

    @Test
    void keysCompareUnsigned() {
        assertThat(new Key(-1, 1, 0)).isGreaterThan(new Key(1, 200, 0));
        assertThat(new Key(5, Key.DIR_INDEX, -1)).isGreaterThan(new Key(5, Key.DIR_INDEX, 7));
        assertThat(Key.last(256, Key.DIR_INDEX)).isLessThan(Key.first(256, Key.EXTENT_DATA));
    }

    @Test
    void raid0AndRaid10PlacesFollowTheStripes() throws Exception {
        List<Chunk.Stripe> three = List.of(new Chunk.Stripe(1, 1000 << 16, "a"), new Chunk.Stripe(2, 2000 << 16, "b"),
                new Chunk.Stripe(3, 3000 << 16, "c"));
        Chunk raid0 = new Chunk(1L << 30, 3L << 20, 1 << 16, Chunk.DATA | Chunk.RAID0, 0, three);
        // Unit 4 (0x40000..0x50000 into the chunk) is on stripe 4 % 3 = 1, its second unit there.
        Chunk.Place place = raid0.places((1L << 30) + 0x40000 + 5).getFirst();
        assertThat(place.stripe().devid()).isEqualTo(2);
        assertThat(place.physical()).isEqualTo((2000L << 16) + 0x10000 + 5);
        assertThat(place.contiguous()).isEqualTo(0x10000 - 5);
        List<Chunk.Stripe> four = List.of(new Chunk.Stripe(1, 0, "a"), new Chunk.Stripe(2, 0, "b"),
                new Chunk.Stripe(3, 0, "c"), new Chunk.Stripe(4, 0, "d"));
        Chunk raid10 = new Chunk(0, 4L << 20, 1 << 16, Chunk.DATA | Chunk.RAID10, 2, four);
        // Unit 3: pair 3 % 2 = 1 (devices 3 and 4), third unit of that pair's stripes.
        List<Chunk.Place> copies = raid10.places(3 * 0x10000);
        assertThat(copies).extracting(copy -> copy.stripe().devid()).containsExactly(3L, 4L);
        assertThat(copies).extracting(Chunk.Place::physical).containsExactly(0x10000L, 0x10000L);
    }

    @Test
    void lzoSegmentHeadersSkipTheLastThreeBytesOfASector() throws CorruptImage {
        byte[] data = new byte[20_000];
        new Random(5).nextBytes(data);
        for (int i = 0; i < data.length; i += 7) {
            data[i] = 'x';
        }
        byte[] framed = BtrfsCompressionTest.btrfsLzo(data);
        byte[] decoded = new byte[data.length];
        Decompression.decode(Decompression.LZO, framed, framed.length, decoded, 4096, "test", 0);
        assertThat(decoded).isEqualTo(data);
        ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN).putInt(0, framed.length + 1);
        assertThatThrownBy(() -> Decompression.decode(Decompression.LZO, framed, framed.length, decoded, 4096, "test", 0))
                .isInstanceOf(CorruptImage.class).hasMessageContaining("LZO total length");
    }

    @Test
    void aZstdFrameIsReadUpToItsEndNotThroughTheSectorPadding() throws CorruptImage {
        byte[] data = "zstd ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        ZstdCompressor zstd = new ZstdCompressor();
        byte[] frame = new byte[zstd.maxCompressedLength(data.length)];
        int length = zstd.compress(data, 0, data.length, frame, 0, frame.length);
        byte[] padded = Arrays.copyOf(frame, (length + 4095) / 4096 * 4096);
        assertThat(Decompression.zstdFrameLength(padded, padded.length, "test", 0)).isEqualTo(length);
        byte[] decoded = new byte[data.length];
        Decompression.decode(Decompression.ZSTD, padded, padded.length, decoded, 4096, "test", 0);
        assertThat(decoded).isEqualTo(data);
    }
}

package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/**
 * The inflated view of a gzip file, on synthetic streams (the JDK's GZIPOutputStream, and members with every optional
 * header field built here byte by byte as RFC 1952 lays them out), read in scripted orders with small chunks so that
 * the cache, the cursors and the restarts can be seen.
 */
class InflatedMemberTest {
    private static final int CHUNK = 4096;
    private static final String WHAT = "ova: disk 1 of x.ova (disk.vmdk.gz)";

    /** 64 chunks of incompressible-ish bytes, with the chunk number in each chunk's first bytes. */
    private static byte[] data() {
        byte[] bytes = new byte[64 * CHUNK + 100];
        new Random(18).nextBytes(bytes);
        for (int i = 0; i * CHUNK < bytes.length; i++) {
            ByteBuffer.wrap(bytes, i * CHUNK, 4).putInt(i);
        }
        return bytes;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    /** A member with FTEXT, FEXTRA, FNAME, FCOMMENT and FHCRC, its data raw-deflated. */
    private static byte[] fullHeaderMember(byte[] data) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x1f, 1, 2, 3, 4, 0, 3});
        header.writeBytes(new byte[] {6, 0, 'A', 'p', 2, 0, 'x', 'y'});
        header.writeBytes("disk.vmdk\0".getBytes(StandardCharsets.ISO_8859_1));
        header.writeBytes("exported\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(header.toByteArray());
        int crc16 = (int) (headerCrc.getValue() & 0xffff);
        header.write(crc16 & 0xff);
        header.write(crc16 >>> 8);
        Deflater deflater = new Deflater(6, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[data.length + 1024];
        int length = 0;
        while (!deflater.finished()) {
            length += deflater.deflate(buffer, length, buffer.length - length);
        }
        deflater.end();
        header.write(buffer, 0, length);
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteBuffer trailer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue()).putInt(data.length);
        header.writeBytes(trailer.array());
        return header.toByteArray();
    }

    private static InflatedMember open(byte[] gzip, int cached, int tail, int cursors) throws IOException {
        return InflatedMember.open(new MemoryBlockSource("x.ova", gzip), WHAT, 1L << 30, "test", CHUNK, cached, tail, cursors);
    }

    private static void assertReads(InflatedMember member, byte[] data, long position, int length) throws IOException {
        ByteBuffer read = ByteBuffer.allocate(length);
        member.read(position, read);
        assertThat(read.array()).as("bytes at %d", position)
                .isEqualTo(Arrays.copyOfRange(data, (int) position, (int) position + length));
    }

    @Test
    void theCheckingPassReportsTheCompressedBytesItHasRead() throws IOException {
        byte[] gzip = gzip(data());
        List<long[]> reports = new ArrayList<>();
        try (InflatedMember member = InflatedMember.open(new MemoryBlockSource("x.ova", gzip), WHAT, Long.MAX_VALUE,
                "none", CHUNK, 4, 1, 2, (done, total) -> reports.add(new long[] {done, total}))) {
            assertThat(reports).hasSizeGreaterThan(1);
            assertThat(reports).allSatisfy(report -> assertThat(report[1]).isEqualTo(gzip.length));
            for (int i = 1; i < reports.size(); i++) {
                assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
            }
            assertThat(reports.get(reports.size() - 1)[0]).isEqualTo(gzip.length);
            assertThat(member.size()).isEqualTo(data().length);
        }
    }

    @Test
    void aCancelStopsTheCheckingPass() throws IOException {
        byte[] gzip = gzip(data());
        int[] reports = {0};
        org.disklens.image.ProgressListener cancelledAfterTwo = new org.disklens.image.ProgressListener() {
            @Override
            public void progress(long done, long total) {
                reports[0]++;
            }

            @Override
            public boolean isCancelled() {
                return reports[0] >= 2;
            }
        };
        assertThatThrownBy(() -> InflatedMember.open(new MemoryBlockSource("x.ova", gzip), WHAT, Long.MAX_VALUE, "none",
                CHUNK, 4, 1, 2, cancelledAfterTwo)).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(reports[0]).isEqualTo(2);
    }

    @Test
    void readingFrontToBackNeverRestarts() throws IOException {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 4, 1, 2)) {
            assertThat(member.size()).isEqualTo(data.length);
            for (int at = 0; at < data.length; at += 3000) {
                assertReads(member, data, at, Math.min(3000, data.length - at));
            }
            assertThat(member.restarts()).isZero();
        }
    }

    @Test
    void theEndIsKeptFromTheOpeningPassAndRecentChunksFromReads() throws IOException {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 4, 2, 1)) {
            assertReads(member, data, data.length - 1536, 1536);
            assertReads(member, data, 0, 512);
            assertReads(member, data, data.length - CHUNK - 50, 200);
            for (int chunk = 1; chunk < 10; chunk++) {
                assertReads(member, data, chunk * CHUNK + 7, CHUNK);
            }
            // Windows slightly out of order: chunks 7..10 are still kept.
            assertReads(member, data, 7 * CHUNK, 3 * CHUNK);
            assertThat(member.restarts()).isZero();
            // Chunk 0 is long gone: one restart.
            assertReads(member, data, 10, 10);
            assertThat(member.restarts()).isEqualTo(1);
        }
    }

    @Test
    void tablesAfterTheirGrainsAreServedFromTheCache() throws IOException {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 6, 1, 1)) {
            // A VMware-style stream: for each group of 4 chunks, the table after them is read first, then the grains.
            for (int group = 0; group + 5 <= 64; group += 5) {
                assertReads(member, data, (group + 4L) * CHUNK, 64);
                for (int grain = group; grain < group + 4; grain++) {
                    assertReads(member, data, (long) grain * CHUNK + 100, 1000);
                }
            }
            assertThat(member.restarts()).isZero();
        }
    }

    @Test
    void aTableReadAheadOfTheGrainsDropsGrainsAlreadyReadFirst() throws IOException {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 12, 1, 1)) {
            // Groups of 6 grain chunks, each followed by its table chunk; the planner reads the next group's table
            // while the workers still read the last grains of the group before.
            assertReads(member, data, 6L * CHUNK, 64);
            for (int group = 0; group + 1 < 9; group++) {
                long first = group * 7L;
                for (long grain = first; grain < first + 4; grain++) {
                    assertReads(member, data, grain * CHUNK, CHUNK);
                }
                assertReads(member, data, (first + 13) * CHUNK, 64);
                for (long grain = first + 4; grain < first + 6; grain++) {
                    assertReads(member, data, grain * CHUNK, CHUNK);
                }
            }
            assertThat(member.restarts()).isZero();
        }
    }

    @Test
    void tablesAtTheFrontGetACursorOfTheirOwn() throws IOException {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 4, 1, 2)) {
            // qemu-img's layout: tables in chunks 0..3, grains from chunk 8 on; tables read as the grains advance.
            for (int grain = 8; grain < 64; grain++) {
                assertReads(member, data, (grain - 8) / 14L * CHUNK + 16, 64);
                assertReads(member, data, (long) grain * CHUNK, CHUNK);
            }
            assertThat(member.restarts()).as("the second cursor starts once").isEqualTo(1);
        }
        try (InflatedMember member = open(gzip(data), 4, 1, 1)) {
            for (int grain = 8; grain < 64; grain++) {
                assertReads(member, data, (grain - 8) / 14L * CHUNK + 16, 64);
                assertReads(member, data, (long) grain * CHUNK, CHUNK);
            }
            assertThat(member.restarts()).as("with one cursor, going forward to a grain drops the table: nearly every read restarts").isGreaterThan(40);
        }
    }

    @Test
    void twoThreadsReadingWindowsGetTheirBytes() throws Exception {
        byte[] data = data();
        try (InflatedMember member = open(gzip(data), 8, 1, 2); ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> reads = new ArrayList<>();
            for (int window = 0; window < 32; window++) {
                int at = window * 2 * CHUNK;
                reads.add(pool.submit(() -> {
                    assertReads(member, data, at, (int) Math.min(2L * CHUNK, data.length - at));
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get();
            }
            assertThat(member.restarts()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void membersFollowingEachOtherReadAsOneAndEveryHeaderFieldIsParsed() throws IOException {
        byte[] data = data();
        byte[] first = Arrays.copyOfRange(data, 0, 10_000);
        byte[] second = Arrays.copyOfRange(data, 10_000, data.length);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(fullHeaderMember(first));
        both.writeBytes(gzip(new byte[0]));
        both.writeBytes(gzip(second));
        try (InflatedMember member = open(both.toByteArray(), 4, 1, 2)) {
            assertThat(member.size()).isEqualTo(data.length);
            assertReads(member, data, 9_000, 2_000);
            assertReads(member, data, data.length - 300, 300);
        }
    }

    @Test
    void damagedStreamsAreOneClearError() throws IOException {
        byte[] good = gzip(data());
        byte[] crc = good.clone();
        crc[crc.length - 8] ^= 1;
        assertThatThrownBy(() -> open(crc, 4, 1, 1)).isInstanceOf(CorruptImage.class)
                .hasMessage(WHAT + ": gzip data at member offset 0x%x: CRC-32 mismatch (the trailer says 0x%08x, the inflated data has 0x%08x)"
                        .formatted(crc.length - 8, ByteBuffer.wrap(crc, crc.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(),
                                ByteBuffer.wrap(good, good.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()));
        byte[] size = good.clone();
        size[size.length - 1] ^= 1;
        assertThatThrownBy(() -> open(size, 4, 1, 1)).isInstanceOf(CorruptImage.class).hasMessageContaining("ISIZE mismatch");
        assertThatThrownBy(() -> open(Arrays.copyOf(good, good.length / 2), 4, 1, 1)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("the data ends inside the gzip member that starts at 0x0 (truncated)");
        assertThatThrownBy(() -> open(Arrays.copyOf(good, good.length - 4), 4, 1, 1)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("ends without its 8-byte trailer (truncated)");
        assertThatThrownBy(() -> open("KDMV not gzip".getBytes(StandardCharsets.US_ASCII), 4, 1, 1))
                .isInstanceOf(CorruptImage.class)
                .hasMessage(WHAT + ": gzip data at member offset 0x0: not gzip data (it starts with 0x4b 0x44, not 0x1f 0x8b)");
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertThatThrownBy(() -> open(trailing, 4, 1, 1)).hasMessageContaining("0x%x: the bytes after the gzip member"
                .formatted(good.length));
        byte[] method = good.clone();
        method[2] = 7;
        assertThatThrownBy(() -> open(method, 4, 1, 1)).isInstanceOf(UnsupportedFeature.class)
                .hasMessageContaining("compression method 7, not deflate (8)");
        byte[] reserved = good.clone();
        reserved[3] = (byte) 0x80;
        assertThatThrownBy(() -> open(reserved, 4, 1, 1)).hasMessageContaining("reserved header flags are set (0x80)");
        byte[] headerCrc = fullHeaderMember(new byte[100]);
        headerCrc[10 + 8 + 10 + 9] ^= 1;
        assertThatThrownBy(() -> open(headerCrc, 4, 1, 1)).hasMessageContaining("header CRC-16 mismatch");
        byte[] deflate = good.clone();
        for (int i = 10; i < 40; i++) {
            deflate[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> open(deflate, 4, 1, 1)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("gzip data at member offset 0x");
        assertThatThrownBy(() -> open(new byte[0], 4, 1, 1)).hasMessageContaining("the file is empty, not gzip data");
    }

    @Test
    void inflatingPastTheLimitStops() throws IOException {
        byte[] zeroes = gzip(new byte[1 << 20]);
        assertThatThrownBy(() -> InflatedMember.open(new MemoryBlockSource("x.ova", zeroes), WHAT, 100_000,
                "twice the disk's ovf:capacity plus 1 GiB", CHUNK, 4, 1, 1))
                .isInstanceOf(LimitExceeded.class)
                .hasMessage(WHAT + ": the gzip data inflates to more than 100000 bytes (the limit: twice the disk's "
                        + "ovf:capacity plus 1 GiB); refused");
        assertThat(InflatedMember.limitFor(OptionalLong.of(8L << 20))).isEqualTo((16L << 20) + (1L << 30));
        assertThat(InflatedMember.limitFor(OptionalLong.empty())).isEqualTo(1L << 40);
        assertThat(InflatedMember.limitFor(OptionalLong.of(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLongFileNameIsRefused() {
        byte[] header = new byte[10 + GzipStream.MAX_TEXT_FIELD + 10];
        header[0] = 0x1f;
        header[1] = (byte) 0x8b;
        header[2] = 8;
        header[3] = 1 << 3;
        Arrays.fill(header, 10, header.length, (byte) 'a');
        assertThatThrownBy(() -> open(header, 4, 1, 1)).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("the header's file name (FNAME) is longer than 65536 bytes");
    }
}

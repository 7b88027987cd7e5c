package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/** The tar walk from bytes (archives written by Commons Compress, then poked): names, sizes, limits, refusals. */
class TarIndexTest {

    /** A tar of {@code (name, content)} pairs, in {@code format}'s long-name mode. */
    private static byte[] tar(int longFileMode, String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(longFileMode);
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(namesAndContents[i]);
                entry.setSize(content.length);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static TarIndex read(byte[] tar) throws IOException {
        return TarIndex.read(new MemoryBlockSource("t.ova", tar), "ova");
    }

    @Test
    void membersAndWhereTheirDataIs() throws IOException {
        TarIndex index = read(tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", "<Envelope/>", "b.vmdk", "x".repeat(600)));
        assertThat(index.members()).extracting(TarIndex.Member::name).containsExactly("a.ovf", "b.vmdk");
        TarIndex.Member second = index.members().get(1);
        assertThat(second.headerOffset()).isEqualTo(1024);
        assertThat(second.dataOffset()).isEqualTo(1536);
        assertThat(second.size()).isEqualTo(600);
        assertThat(index.archiveEnd()).isEqualTo(1536 + 1024);
        assertThat(TarIndex.firstMemberName(new MemoryBlockSource("t", tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", ""
        )), 65536)).contains("a.ovf");
    }

    @Test
    void longNamesFromGnuAndPaxHeaders() throws IOException {
        String name = "d".repeat(180) + ".vmdk";
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            TarIndex index = read(tar(mode, "a.ovf", "x", name, "data"));
            TarIndex.Member member = index.member(name).orElseThrow();
            assertThat(member.size()).isEqualTo(4);
            assertThat(member.headerOffset()).as("its extended header is part of it").isEqualTo(1024);
            assertThat(member.dataOffset()).isGreaterThan(1024 + 512);
        }
        byte[] pax = tar(TarArchiveOutputStream.LONGFILE_POSIX, name + ".ovf", "x");
        assertThat(TarIndex.firstMemberName(new MemoryBlockSource("t", pax), 65536)).contains(name + ".ovf");
    }

    @Test
    void aBase256SizeIsRead() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", "x".repeat(700));
        Arrays.fill(tar, 124, 136, (byte) 0);
        tar[124] = (byte) 0x80;
        tar[134] = (byte) (700 >> 8);
        tar[135] = (byte) (700 & 0xff);
        fixChecksum(tar, 0);
        assertThat(read(tar).members().getFirst().size()).isEqualTo(700);
    }

    @Test
    void sizesPastTheEndAndBadChecksumsAreRefused() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", "x", "b.vmdk", "y".repeat(2000));
        byte[] cut = Arrays.copyOf(tar, 1024 + 512 + 1000);
        assertThatThrownBy(() -> read(cut)).isInstanceOf(CorruptImage.class)
                .hasMessage("ova: tar header at 0x400: member 'b.vmdk' of 2000 bytes runs past the end of the file (0x9e8)");
        byte[] poked = tar.clone();
        poked[10] ^= 1;
        assertThatThrownBy(() -> read(poked)).isInstanceOf(CorruptImage.class)
                .hasMessage("ova: tar header at 0x0: checksum mismatch: not a tar header");
        assertThat(TarIndex.firstMemberName(new MemoryBlockSource("t", poked), 65536)).isEmpty();
        byte[] notOctal = tar.clone();
        notOctal[125] = 'z';
        fixChecksum(notOctal, 0);
        assertThatThrownBy(() -> read(notOctal)).hasMessageContaining("size field is not a number");
    }

    @Test
    void anExtendedHeaderWithoutItsMemberIsRefused() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_GNU, "e".repeat(150), "x");
        byte[] onlyTheLongName = Arrays.copyOf(tar, 1024);
        assertThatThrownBy(() -> read(onlyTheLongName)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("an extended header is not followed by its member");
    }

    @Test
    void malformedPaxRecordsAreRefused() throws CorruptImage {
        for (String records : new String[] {"x path=a\n", "99 path=a\n", "11 path=abc\n", "12 size=-5\n", "9 =value\n", "13 size=-5\n"}) {
            assertThatThrownBy(() -> PaxHeader.parse(records.getBytes(StandardCharsets.UTF_8), 0, "ova"))
                    .as(records).isInstanceOf(CorruptImage.class);
        }
        assertThat(PaxHeader.parse("22 GNU.sparse.major=1\n10 path=a\n".getBytes(StandardCharsets.UTF_8), 0, "ova"))
                .isEqualTo(new PaxHeader(java.util.Optional.of("a"), java.util.OptionalLong.empty(), true));
    }

    @Test
    void moreThanTenThousandHeadersAreRefused() throws IOException {
        ByteBuffer tar = ByteBuffer.allocate((TarIndex.MAX_HEADERS + 3) * 512);
        byte[] header = Arrays.copyOf(tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", ""), 512);
        for (int i = 0; i <= TarIndex.MAX_HEADERS; i++) {
            tar.put(header);
        }
        assertThatThrownBy(() -> read(tar.array())).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("more than 10000 headers");
    }

    @Test
    void anArchiveWithoutEndBlocksEndsAtTheEndOfTheFile() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_ERROR, "a.ovf", "x".repeat(512));
        TarIndex index = read(Arrays.copyOf(tar, 1024));
        assertThat(index.members()).hasSize(1);
        assertThat(index.archiveEnd()).isEqualTo(1024);
    }

    private static void fixChecksum(byte[] tar, int headerOffset) {
        byte[] header = Arrays.copyOfRange(tar, headerOffset, headerOffset + 512);
        Arrays.fill(header, 148, 156, (byte) ' ');
        TarUtils.formatCheckSumOctalBytes(TarUtils.computeCheckSum(header), header, 148, 8);
        System.arraycopy(header, 0, tar, headerOffset, 512);
    }
}

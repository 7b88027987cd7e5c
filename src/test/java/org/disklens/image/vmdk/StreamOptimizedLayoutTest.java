package org.disklens.image.vmdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;
import org.disklens.image.ImageException;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamOptimized file read back byte by byte against VMware's Virtual Disk Format ("Stream-Optimized
 * Compressed"), independently of qemu-img (which accepts layouts ESXi rejects): header with GD_AT_END, descriptor with
 * the keys ESXi expects, grain markers with the right LBA and zlib streams that inflate to the guest bytes, grain table
 * markers after their grains, the grain directory, and the footer and end-of-stream marker as the last two sectors.
 */
class StreamOptimizedLayoutTest {
    @TempDir
    static Path dir;
    static Path source;
    static ByteBuffer file;
    static byte[] guest;

    @BeforeAll
    static void convert() throws IOException {
        Qemu.require();
        source = Qemu.create(dir, "source.img", "raw", "", "100M");
        // Grains in the first grain table, one in the fourth (96 MiB in), the rest holes.
        Qemu.io(dir, source.toString(), "raw", "write -P 0x11 0 64k", "write -P 0x22 196608 1000", "write -P 0x33 96M 64k");
        Path out = dir.resolve("stream.vmdk");
        Cli.Result result = Cli.run("convert", "-O", "vmdk", "-o", "subformat=streamOptimized,adapter_type=lsilogic",
                source.toString(), out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        file = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        guest = Files.readAllBytes(source);
    }

    private static SparseHeader header(int offset) throws ImageException {
        return SparseHeader.parse(file.slice(offset, 512), offset);
    }

    @Test
    void headerSaysVersion3CompressedWithMarkersAndTheDirectoryAtTheEnd() throws ImageException {
        SparseHeader header = header(0);
        assertThat(header.version()).isEqualTo(3);
        assertThat(header.flags()).isEqualTo(0x30001);
        assertThat(header.compressAlgorithm()).isEqualTo(1);
        assertThat(header.gdOffset()).isEqualTo(SparseHeader.GD_AT_END);
        assertThat(header.capacity()).isEqualTo(100L * 2048);
        assertThat(header.grainSize()).isEqualTo(128);
        assertThat(header.numGTEsPerGT()).isEqualTo(512);
        assertThat(header.descriptorOffset()).isEqualTo(1);
        assertThat(header.rgdOffset()).isZero();
        assertThat(file.get(73)).isEqualTo((byte) '\n');
        assertThat(file.get(75)).isEqualTo((byte) '\r');
    }

    @Test
    void descriptorHasTheKeysEsxiExpects() {
        String descriptor = new String(file.array(), 512, 20 * 512, StandardCharsets.UTF_8).replace("\0", "");
        assertThat(descriptor).startsWith("# Disk DescriptorFile\nversion=1\nencoding=\"UTF-8\"\nCID=")
                .contains("parentCID=ffffffff\n", "createType=\"streamOptimized\"\n",
                        "RW 204800 SPARSE \"stream.vmdk\"\n", "ddb.adapterType = \"lsilogic\"\n",
                        "ddb.geometry.heads = \"255\"\n", "ddb.geometry.sectors = \"63\"\n",
                        "ddb.geometry.cylinders = \"13\"\n", "ddb.thinProvisioned = \"1\"\n",
                        "ddb.toolsVersion = \"2147483647\"\n", "ddb.virtualHWVersion = \"4\"\n")
                .containsPattern("ddb.longContentID = \"[0-9a-f]{32}\"\n")
                .containsPattern("ddb.uuid = \"([0-9a-f]{2} ){7}[0-9a-f]{2}-([0-9a-f]{2} ){7}[0-9a-f]{2}\"\n");
    }

    @Test
    void footerAndEndOfStreamAreTheLastTwoSectorsAndPointToTheDirectory() throws Exception {
        int end = file.capacity();
        assertThat(end % 512).isZero();
        assertThat(file.getLong(end - 1536)).as("footer marker: one sector follows").isEqualTo(1);
        assertThat(file.getInt(end - 1536 + 8)).isZero();
        assertThat(file.getInt(end - 1536 + 12)).as("MARKER_FOOTER").isEqualTo(3);
        SparseHeader footer = header(end - 1024);
        assertThat(footer).isEqualTo(header(0).withGdOffset(footer.gdOffset()));
        for (int i = end - 512; i < end; i++) {
            assertThat(file.get(i)).as("end-of-stream marker byte %d", i).isZero();
        }
        long directory = footer.gdOffset() * 512;
        int directoryMarker = (int) directory - 512;
        assertThat(file.getInt(directoryMarker + 12)).as("MARKER_GD").isEqualTo(2);
        assertThat(file.getLong(directoryMarker)).as("GD sectors").isEqualTo(1);
        int tables = 4; // 100 MiB in 32 MiB tables
        int[] entries = new int[tables];
        for (int i = 0; i < tables; i++) {
            entries[i] = file.getInt((int) directory + 4 * i);
        }
        assertThat(entries[1]).as("a table without grains is not written").isZero();
        assertThat(entries[2]).isZero();
        checkTable(entries[0], 0);
        checkTable(entries[3], 3);
    }

    /** A grain table preceded by its marker, whose grains inflate to the guest's bytes with the right LBA. */
    private void checkTable(int sector, int index) throws Exception {
        int marker = (sector - 1) * 512;
        assertThat(file.getLong(marker)).as("GT sectors").isEqualTo(4);
        assertThat(file.getInt(marker + 12)).as("MARKER_GT").isEqualTo(1);
        int grains = 0;
        for (int entry = 0; entry < 512; entry++) {
            int grainSector = file.getInt(sector * 512 + 4 * entry);
            if (grainSector == 0) {
                continue;
            }
            grains++;
            assertThat(grainSector).as("grains come before their table").isLessThan(sector - 1);
            long guestOffset = ((long) index * 512 + entry) * 65536;
            int at = grainSector * 512;
            assertThat(file.getLong(at)).as("grain marker LBA").isEqualTo(guestOffset / 512);
            int size = file.getInt(at + 8);
            Inflater inflater = new Inflater();
            inflater.setInput(file.array(), at + 12, size);
            byte[] grain = new byte[65536];
            assertThat(inflater.inflate(grain)).isEqualTo(65536);
            assertThat(inflater.finished()).isTrue();
            inflater.end();
            assertThat(grain).isEqualTo(java.util.Arrays.copyOfRange(guest, (int) guestOffset, (int) guestOffset + 65536));
        }
        assertThat(grains).isEqualTo(index == 0 ? 2 : 1);
    }

    @Test
    void qemuImgReadsItToo() {
        assertThat(Qemu.check(dir, dir.resolve("stream.vmdk").toString()).exitCode()).isZero();
        assertThat(org.disklens.testing.Tools.exec(dir, "qemu-img", "compare", source.toString(), "stream.vmdk").exitCode())
                .isZero();
    }
}

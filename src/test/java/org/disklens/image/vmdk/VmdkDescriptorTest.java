package org.disklens.image.vmdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.disklens.image.LimitExceeded;
import org.disklens.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptors as VMware writes them (src/test/resources/org/disklens/image/vmdk, see its README.txt), read end to end. */
class VmdkDescriptorTest {
    static final Path RESOURCES = Path.of(System.getProperty("disklens.project.dir", "."), "src/test/resources/org/disklens/image/vmdk");

    @TempDir
    Path dir;

    @Test
    void workstationDescriptorWithCrlfWindows1252AndDdbKeys() throws IOException {
        Files.copy(RESOURCES.resolve("workstation-flat.vmdk"), dir.resolve("workstation-flat.vmdk"));
        byte[] data = pattern(8192 * 512, 7);
        Files.write(dir.resolve("Disque système-flat.vmdk"), data);
        Files.write(dir.resolve("expected.raw"), data);

        Cli.Result info = Cli.run("info", "--json", dir.resolve("workstation-flat.vmdk").toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("format").asText()).isEqualTo("vmdk");
        assertThat(info.json().get("virtual-size").asLong()).isEqualTo(8192L * 512);
        var data0 = info.json().get("format-specific").get("data");
        assertThat(data0.get("create-type").asText()).isEqualTo("monolithicFlat");
        assertThat(data0.get("cid").asLong()).isEqualTo(0xfffffffeL);
        assertThat(data0.get("extents").get(0).get("filename").asText()).endsWith("Disque système-flat.vmdk");
        assertThat(Cli.run("compare", dir.resolve("workstation-flat.vmdk").toString(), dir.resolve("expected.raw").toString())
                .out()).contains("Images are identical.");
    }

    @Test
    void ddbKeysAndCrlfAreDecoded() throws Exception {
        byte[] bytes = Files.readAllBytes(RESOURCES.resolve("workstation-flat.vmdk"));
        VmdkDescriptor descriptor = VmdkDescriptor.decode(bytes, bytes.length, 0);
        assertThat(descriptor.database()).containsEntry("ddb.adapterType", "lsilogic")
                .containsEntry("ddb.virtualHWVersion", "19").containsEntry("ddb.toolsVersion", "12352");
        assertThat(descriptor.extents()).singleElement().satisfies(extent -> {
            assertThat(extent.access()).isEqualTo("RW");
            assertThat(extent.sectors()).isEqualTo(8192);
            assertThat(extent.fileName()).contains("Disque système-flat.vmdk");
        });
        assertThat(descriptor.parentCid()).isEqualTo(VmdkDescriptor.NO_PARENT);
    }

    @Test
    void oddSpacingAndZeroExtentsBetweenFlatOnes() throws IOException {
        Files.copy(RESOURCES.resolve("split.vmdk"), dir.resolve("split.vmdk"));
        byte[] first = pattern(2048 * 512, 1);
        byte[] second = pattern(2048 * 512, 2);
        Files.write(dir.resolve("split-f001.vmdk"), first);
        Files.write(dir.resolve("split-f002.vmdk"), second);
        byte[] expected = new byte[(2048 + 1024 + 2048) * 512];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, (2048 + 1024) * 512, second.length);
        Files.write(dir.resolve("expected.raw"), expected);

        Cli.Result map = Cli.run("map", "--json", dir.resolve("split.vmdk").toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        var zeroRun = map.json().get(1);
        assertThat(zeroRun.get("start").asLong()).isEqualTo(2048L * 512);
        assertThat(zeroRun.get("zero").asBoolean()).isTrue();
        assertThat(zeroRun.get("data").asBoolean()).isFalse();
        assertThat(Cli.run("compare", dir.resolve("split.vmdk").toString(), dir.resolve("expected.raw").toString()).out())
                .contains("Images are identical.");
    }

    @Test
    void aTwoHundredThousandCharacterLineIsRefused() {
        String text = "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\n" + "x".repeat(200_000) + "\n";
        assertThatThrownBy(() -> VmdkDescriptor.parse(text, 0)).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("line 4").hasMessageContaining("200000 characters");
    }

    @Test
    void garbageLinesAreNamed() {
        assertThatThrownBy(() -> VmdkDescriptor.parse("version=1\nRW lots FLAT \"x\"\n", 0))
                .hasMessageContaining("descriptor line 2");
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i / 512 * 31 + seed);
        }
        Arrays.fill(bytes, length / 2, length / 2 + 4096, (byte) 0);
        return bytes;
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.disklens.image.OpenContext;
import org.disklens.image.RefusedReference;
import org.disklens.io.FileBlockSource;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differencing VDIs as VirtualBox lays out a machine's snapshots: a base disk made by qemu-img, and two differencing
 * images named by their own UUIDs (qemu writes none, so these are built byte by byte), each linking to its parent
 * by UUID. The chain opens by those names; its content, map and conversions are checked against a raw disk written
 * with the expected bytes, and by qemu-img where it can read the result.
 */
class VdiDifferencingTest {
    private static final long MIB = 1 << 20;
    private static final long FREE = BlockMap.FREE;
    private static final long ZERO = BlockMap.ZERO;

    @TempDir
    static Path dir;
    static Path chain;
    static Path top;
    static Path expected;
    static UUID baseUuid;
    static byte[] middle;

    @BeforeAll
    static void makeChain() throws IOException {
        Qemu.require();
        chain = Files.createDirectories(dir.resolve("Snapshots"));
        Path base = Qemu.create(chain, "base.vdi", "vdi", "", "4M");
        Qemu.io(chain, "base.vdi", "vdi", "write -P 1 0 4M");
        baseUuid = imageUuid(base);
        Files.move(base, chain.resolve("{" + baseUuid + "}.vdi"));

        // The middle layer: its own data in block 0, a discarded (zero) block 1, blocks 2 and 3 from the base.
        UUID middleUuid = UUID.randomUUID();
        VdiHeader middleHeader = VdiBytes.header(VdiHeader.TYPE_DIFFERENCING, 4 * MIB, MIB, 0, 4, 1, middleUuid,
                baseUuid);
        middle = VdiBytes.file(middleHeader, new long[] {0, ZERO, FREE, FREE}, new byte[][] {VdiBytes.filled(MIB, 0x99)});
        VdiBytes.write(chain.resolve("{" + middleUuid + "}.vdi"), middle);

        // The top layer: only block 2 of its own.
        VdiHeader topHeader = VdiBytes.header(VdiHeader.TYPE_DIFFERENCING, 4 * MIB, MIB, 0, 4, 1, UUID.randomUUID(),
                middleUuid);
        top = VdiBytes.write(chain.resolve("top.vdi"),
                VdiBytes.file(topHeader, new long[] {FREE, FREE, 0, FREE}, new byte[][] {VdiBytes.filled(MIB, 0xaa)}));

        byte[] guest = new byte[(int) (4 * MIB)];
        System.arraycopy(VdiBytes.filled(MIB, 0x99), 0, guest, 0, (int) MIB);
        System.arraycopy(VdiBytes.filled(MIB, 0xaa), 0, guest, (int) (2 * MIB), (int) MIB);
        System.arraycopy(VdiBytes.filled(MIB, 1), 0, guest, (int) (3 * MIB), (int) MIB);
        expected = VdiBytes.write(dir.resolve("expected.raw"), guest);
    }

    private static UUID imageUuid(Path file) throws IOException {
        try (VdiImage image = VdiImage.open(FileBlockSource.open(file))) {
            return image.header().image();
        }
    }

    @Test
    void theChainReadsAsItsLayersSay() {
        Cli.Result same = Cli.run("compare", top.toString(), expected.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertThat(same.err()).isEmpty();
    }

    @Test
    void mapSaysWhichLayerHoldsEachBlock() {
        JsonNode map = Cli.run("map", "--json", top.toString()).json();
        assertThat(map).hasSize(4);
        assertEntry(map.get(0), 0, 1, true, false);
        assertEntry(map.get(1), MIB, 1, false, true);
        assertEntry(map.get(2), 2 * MIB, 0, true, false);
        assertEntry(map.get(3), 3 * MIB, 2, true, false);
    }

    private static void assertEntry(JsonNode entry, long start, int depth, boolean data, boolean zero) {
        assertThat(entry.get("start").asLong()).isEqualTo(start);
        assertThat(entry.get("length").asLong()).isEqualTo(MIB);
        assertThat(entry.get("depth").asInt()).isEqualTo(depth);
        assertThat(entry.get("data").asBoolean()).isEqualTo(data);
        assertThat(entry.get("zero").asBoolean()).isEqualTo(zero);
    }

    @Test
    void infoNamesEachParentByItsUuid() {
        JsonNode info = Cli.run("info", "--json", "--backing-chain", top.toString()).json();
        assertThat(info).hasSize(3);
        assertThat(info.get(0).get("backing-filename").asText()).matches("\\{[0-9a-f-]{36}\\}\\.vdi");
        assertThat(info.get(0).get("backing-filename-format").asText()).isEqualTo("vdi");
        assertThat(info.get(1).get("backing-filename").asText()).isEqualTo("{" + baseUuid + "}.vdi");
        assertThat(info.get(2).has("backing-filename")).isFalse();
        assertThat(info.get(2).get("format").asText()).isEqualTo("vdi");
    }

    @Test
    void theChainConvertsToWhatQemuImgReadsAsTheExpectedDisk() throws IOException {
        for (String format : List.of("qcow2", "vdi")) {
            Path out = dir.resolve("flattened." + format);
            Cli.Result converted = Cli.run("convert", "-O", format, top.toString(), out.toString());
            assertThat(converted.exitCode()).as(converted.err()).isZero();
            Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-f", "raw", expected.toString(), out.toString());
            assertThat(compare.exitCode()).as(compare.out() + compare.err()).isZero();
        }
    }

    /** What qemu-img says of a differencing VDI: the reason DiskLens's answers here are its own. */
    @Test
    void qemuImgRefusesDifferencingImages() {
        Tools.Result info = Tools.exec(dir, "qemu-img", "info", top.toString());
        assertThat(info.exitCode()).isNotZero();
        assertThat(info.err()).contains("non-NULL link UUID");
    }

    @Test
    void aMissingParentIsReportedWithTheUuidItNeeds() throws IOException {
        Path alone = Files.createDirectories(dir.resolve("alone"));
        Path child = VdiBytes.write(alone.resolve("child.vdi"), middle);
        Cli.Result info = Cli.run("info", "--json", child.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("backing-filename").asText()).isEqualTo("{" + baseUuid + "}.vdi");
        Cli.Result map = Cli.run("map", child.toString());
        assertThat(map.exitCode()).isEqualTo(1);
        assertThat(map.err().strip()).doesNotContain("\n")
                .contains("backing file '{" + baseUuid + "}.vdi' not found");
    }

    @Test
    void aParentWithAnotherUuidIsAWarning() throws IOException {
        Path wrong = Files.createDirectories(dir.resolve("wrong"));
        VdiBytes.write(wrong.resolve("child.vdi"), middle);
        Qemu.create(wrong, "{" + baseUuid + "}.vdi", "vdi", "", "4M");
        Cli.Result map = Cli.run("map", wrong.resolve("child.vdi").toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        assertThat(map.err()).contains("disklens: warning: child.vdi: its link UUID " + baseUuid
                + " is not its parent's image UUID");
    }

    @Test
    void theParentSearchFindsTheVdiWithTheLinkUuid() throws IOException {
        byte[] base = Files.readAllBytes(chain.resolve("{" + baseUuid + "}.vdi"));
        byte[] other = Files.readAllBytes(top);
        Map<String, byte[]> folder = Map.of("other.vdi", other, "notes.txt", base, "Base Disk.VDI", base,
                "broken.vdi", new byte[10]);
        OpenContext context = (name, purpose) -> {
            byte[] bytes = folder.get(name);
            if (bytes == null) {
                throw new RefusedReference("%s '%s' not found".formatted(purpose, name));
            }
            return new MemoryBlockSource(name, bytes);
        };
        List<String> siblings = List.of("broken.vdi", "notes.txt", "other.vdi", "Base Disk.VDI", "missing.vdi");
        assertThat(VdiParentSearch.find(baseUuid, siblings, context)).contains("Base Disk.VDI");
        assertThat(VdiParentSearch.find(UUID.randomUUID(), siblings, context)).isEmpty();
        assertThat(VdiParentSearch.candidates(baseUuid, List.of("a.vdi", "{" + baseUuid + "}.vdi", "b.txt")))
                .containsExactly("{" + baseUuid + "}.vdi", "a.vdi");
        assertThat(VdiParentSearch.find(baseUuid, List.of(), context)).isEqualTo(Optional.empty());
    }
}

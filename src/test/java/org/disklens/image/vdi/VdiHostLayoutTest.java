package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The File layout chart's runs of qemu-made VDIs: they tile the file, the data runs hold what qemu-img's map says is
 * stored, and the header fields name the UUIDs 7-Zip reads.
 */
class VdiHostLayoutTest {
    @TempDir
    static Path dir;
    static Path dynamic;
    static Path fixed;

    @BeforeAll
    static void makeImages() {
        Qemu.require();
        dynamic = Qemu.create(dir, "dynamic.vdi", "vdi", "", "24M");
        Qemu.io(dir, "dynamic.vdi", "vdi", "write -P 0x11 0 64k", "write -P 0x22 3M 4k", "write -P 0x44 23M 512");
        fixed = Qemu.create(dir, "static.vdi", "vdi", "static=on", "8M");
        Qemu.io(dir, "static.vdi", "vdi", "write -P 0x55 1M 64k", "write -P 0x66 7M 4k");
    }

    record Run(HostRegion region, long start, long length) {
    }

    private static List<Run> runs(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        try (VdiImage image = VdiImage.open(FileBlockSource.open(file))) {
            image.describeHost((region, start, length) -> runs.add(new Run(region, start, length)), ProgressListener.NONE);
            assertThat(image.hostRegions()).containsAll(runs.stream().map(Run::region).distinct().toList());
        }
        return runs;
    }

    private static void assertTilesTheFile(List<Run> runs, long fileSize) {
        long at = 0;
        for (Run run : runs) {
            assertThat(run.start()).as("runs in order, without gaps or overlaps: %s", runs).isEqualTo(at);
            assertThat(run.length()).isPositive();
            at += run.length();
        }
        assertThat(at).isEqualTo(fileSize);
    }

    private static Map<HostRegion, Long> totals(List<Run> runs) {
        Map<HostRegion, Long> totals = new LinkedHashMap<>();
        runs.forEach(run -> totals.merge(run.region(), run.length(), Long::sum));
        return totals;
    }

    /** Bytes qemu-img's map says are stored and not zero. */
    private static long storedBytes(Path file) {
        long stored = 0;
        for (JsonNode entry : Qemu.map(dir, file.toString())) {
            if (entry.get("data").asBoolean() && !entry.get("zero").asBoolean()) {
                stored += entry.get("length").asLong();
            }
        }
        return stored;
    }

    @Test
    void aDynamicImageIsHeaderMapAndItsBlocks() throws IOException {
        List<Run> runs = runs(dynamic);
        assertTilesTheFile(runs, Files.size(dynamic));
        assertThat(runs).startsWith(new Run(VdiHostLayout.HEADER, 0, 456), new Run(VdiHostLayout.PADDING, 456, 56),
                new Run(VdiHostLayout.BLOCK_MAP, 512, 24 * 4), new Run(VdiHostLayout.PADDING, 608, 416));
        assertThat(totals(runs).get(HostRegion.DATA)).isEqualTo(3L << 20).isEqualTo(storedBytes(dynamic));
    }

    @Test
    void aStaticImagesUnwrittenBlocksAreHoles() throws IOException {
        List<Run> runs = runs(fixed);
        assertTilesTheFile(runs, Files.size(fixed));
        Map<HostRegion, Long> totals = totals(runs);
        assertThat(totals.get(HostRegion.DATA)).isEqualTo(storedBytes(fixed));
        assertThat(totals.get(HostRegion.HOLE)).isEqualTo((8L << 20) - totals.get(HostRegion.DATA));
    }

    @Test
    void blocksNoEntryUsesAreShown() throws IOException {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_DYNAMIC, 2048, 512, 0, 4, 2, UUID.randomUUID(),
                new UUID(0, 0));
        Path file = VdiBytes.write(dir.resolve("unused.vdi"), VdiBytes.file(header,
                new long[] {2, BlockMap.FREE, 0, BlockMap.FREE},
                new byte[][] {VdiBytes.filled(512, 1), VdiBytes.filled(512, 2), VdiBytes.filled(512, 3)}));
        List<Run> runs = runs(file);
        assertTilesTheFile(runs, Files.size(file));
        assertThat(runs).endsWith(new Run(HostRegion.DATA, 1024, 512), new Run(VdiHostLayout.UNUSED_BLOCKS, 1536, 512),
                new Run(HostRegion.DATA, 2048, 512));
    }

    /** 7-Zip shows the image and modification UUIDs ("Creat", "Modif"): the header fields say the same. */
    @Test
    void uuidsAreThoseSevenZipReads() throws IOException {
        Tools.require("7zz");
        String listing = Tools.run(dir, "7zz", "l", "-slt", dynamic.toString());
        Matcher created = Pattern.compile("Creat\\s*:\\s*\\{([0-9a-f-]{36})}").matcher(listing);
        Matcher modified = Pattern.compile("Modif\\s*:\\s*\\{([0-9a-f-]{36})}").matcher(listing);
        assertThat(created.find() && modified.find()).as(listing).isTrue();
        try (VdiImage image = VdiImage.open(FileBlockSource.open(dynamic))) {
            Map<String, String> fields = new LinkedHashMap<>();
            image.headerFields().forEach(field -> fields.put(field.name(), field.value()));
            assertThat(fields).containsEntry("uuidCreate", created.group(1)).containsEntry("uuidModify", modified.group(1));
            assertThat(image.headerFields()).extracting(HeaderField::name).contains("cbHeader");
        }
    }
}

package org.disklens.content.lvm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.FileSystemTypes;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.io.BlockSource;
import org.disklens.testing.Cli;

/** What the LVM tests share: the checked-in fixtures and LVM's answers beside them, and the LV content rule. */
final class LvmImages {
    private LvmImages() {
    }

    /**
     * The bytes that make-fixtures.sh (fixture_tools.py) writes into LV {@code lv} from LV byte {@code offset}: sector
     * k holds "lv:k;" over and over.
     */
    static byte[] pattern(String lv, long offset, int length) {
        byte[] out = new byte[length];
        long at = offset;
        int filled = 0;
        while (filled < length) {
            long sector = at / 512;
            byte[] unit = (lv + ":" + sector + ";").getBytes(StandardCharsets.US_ASCII);
            int inSector = (int) (at % 512);
            int count = (int) Math.min(512 - inSector, length - filled);
            for (int i = 0; i < count; i++) {
                out[filled + i] = unit[(inSector + i) % unit.length];
            }
            filled += count;
            at += count;
        }
        return out;
    }

    static Path fixture(String name) {
        try {
            return Path.of(LvmImages.class.getResource("fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of one of LVM's JSON reports saved beside a fixture ({@code lvs}, {@code vgs}, {@code pvs}, {@code segs}). */
    static List<JsonNode> report(String fixture, String report) throws IOException {
        JsonNode root = Cli.parse(Files.readString(fixture(fixture + "." + report + ".json")));
        String rows = switch (report) {
            case "lvs" -> "lv";
            case "vgs" -> "vg";
            case "pvs" -> "pv";
            default -> "seg";
        };
        List<JsonNode> out = new ArrayList<>();
        root.get("report").get(0).get(rows).forEach(out::add);
        return out;
    }

    /** The LVs LVM shows without -a: the visible ones ([hidden] names are internal). */
    static List<JsonNode> visible(List<JsonNode> lvs) {
        return lvs.stream().filter(lv -> !lv.get("lv_name").asText().startsWith("[")).toList();
    }

    /** A whole-disk member over {@code source}, probed as DiskLayout probes it. */
    static Volume wholeDisk(BlockSource source) throws IOException {
        return new Volume("0", "whole disk", Optional.empty(), source, Placement.contiguous(0),
                FileSystemTypes.detect(source));
    }

    static VolumeContainer.Inner inner(VolumeContainer.Group group, String name) {
        return group.volumes().stream().filter(inner -> inner.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no LV " + name + " in " + group));
    }

    static byte[] read(BlockSource source, long offset, int length) throws IOException {
        ByteBuffer buffer = source.read(offset, length, ByteOrder.LITTLE_ENDIAN);
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }
}

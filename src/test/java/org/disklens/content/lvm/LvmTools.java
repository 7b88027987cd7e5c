package org.disklens.content.lvm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Assumptions;

/**
 * LVM2's tools on loop devices, for tests that make real PVs and VGs. Without device-mapper LVs cannot be created, so
 * they are written into the VG's metadata (vgcfgbackup, edit, vgcfgrestore). Every command sees only this session's
 * loop devices ({@code --devices}), and the session detaches exactly the devices it attached.
 */
final class LvmTools implements AutoCloseable {
    private static final String CONFIG = "backup { backup = 0 archive = 0 } devices { pv_min_size = 512 }";
    private final Path dir;
    private final List<String> loops = new ArrayList<>();

    private LvmTools(Path dir) {
        this.dir = dir;
    }

    /** A session in {@code dir}; skips the calling test (visibly) where LVM's tools or loop devices are missing. */
    static LvmTools open(Path dir) throws IOException {
        Tools.require("pvcreate", "vgcreate", "vgcfgbackup", "vgcfgrestore", "vgchange", "lvs", "pvck", "losetup");
        Path probe = dir.resolve("loop-probe.img");
        Files.write(probe, new byte[1 << 20]);
        Tools.Result attached = Tools.exec(dir, "losetup", "-f", "--show", probe.toString());
        Assumptions.assumeTrue(attached.exitCode() == 0, "no loop device can be attached here: " + attached.err().strip());
        Tools.run(dir, "losetup", "-d", attached.out().strip());
        Files.delete(probe);
        return new LvmTools(dir);
    }

    /** Attaches {@code length} bytes of {@code file} from {@code offset} as a loop device. */
    String attach(Path file, long offset, long length) {
        String loop = Tools.run(dir, "losetup", "-f", "--show", "-o", Long.toString(offset), "--sizelimit",
                Long.toString(length), file.toString()).strip();
        loops.add(loop);
        return loop;
    }

    String attach(Path file) throws IOException {
        return attach(file, 0, Files.size(file));
    }

    /** An LVM command over this session's devices; must succeed. */
    String lvm(String command, String... args) {
        List<String> line = new ArrayList<>(List.of(command, "--config", CONFIG));
        for (String loop : loops) {
            line.add("--devices");
            line.add(loop);
        }
        line.addAll(List.of(args));
        return Tools.run(dir, line.toArray(String[]::new));
    }

    /** {@code pvck --dump headers} of one device (pvck refuses {@code --devices}). */
    String headers(String loop) {
        return Tools.run(dir, "pvck", "--config", CONFIG, "--dump", "headers", loop);
    }

    /** Writes {@code logicalVolumes} (a {@code logical_volumes { ... }} section) into VG {@code vg}'s metadata. */
    void restoreWith(String vg, String logicalVolumes) throws IOException {
        Path backup = dir.resolve(vg + ".backup");
        lvm("vgcfgbackup", "-f", backup.toString(), vg);
        String text = Files.readString(backup);
        int end = text.lastIndexOf('}');
        Path restore = dir.resolve(vg + ".restore");
        Files.writeString(restore, text.substring(0, end) + logicalVolumes + text.substring(end));
        lvm("vgcfgrestore", "--force", "-f", restore.toString(), vg);
    }

    /** The rows of an LVM report ({@code lvs}, {@code vgs}, {@code pvs}) in JSON, sizes in bytes. */
    List<JsonNode> report(String command, String rows, String... args) {
        List<String> line = new ArrayList<>(List.of("--reportformat", "json", "--units", "b", "--nosuffix"));
        line.addAll(List.of(args));
        JsonNode root = Cli.parse(lvm(command, line.toArray(String[]::new)));
        List<JsonNode> out = new ArrayList<>();
        root.get("report").get(0).get(rows).forEach(out::add);
        return out;
    }

    @Override
    public void close() {
        for (String loop : loops) {
            Tools.exec(dir, "losetup", "-d", loop);
        }
        loops.clear();
    }

    /** Writes {@code bytes} into {@code file} at {@code offset}. */
    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    /** Writes {@code bytes} as a striped segment does: {@code stripe}-byte chunks dealt round-robin over {@code areas}. */
    static void writeStriped(Path file, byte[] bytes, int stripe, long... areas) throws IOException {
        for (int chunk = 0; chunk * stripe < bytes.length; chunk++) {
            long at = areas[chunk % areas.length] + (long) (chunk / areas.length) * stripe;
            write(file, at, java.util.Arrays.copyOfRange(bytes, chunk * stripe, Math.min(bytes.length, (chunk + 1) * stripe)));
        }
    }

    /** LV text: {@code name} made of {@code segments} (each from {@link #striped} or {@link #linear}). */
    static String lv(String name, boolean visible, String... segments) {
        StringBuilder text = new StringBuilder();
        text.append("\t\t").append(name).append(" {\n")
                .append("\t\t\tid = \"").append(uuid(name)).append("\"\n")
                .append("\t\t\tstatus = [\"READ\", \"WRITE\"").append(visible ? ", \"VISIBLE\"" : "").append("]\n")
                .append("\t\t\tflags = []\n")
                .append("\t\t\tsegment_count = ").append(segments.length).append('\n');
        for (int i = 0; i < segments.length; i++) {
            text.append("\t\t\tsegment").append(i + 1).append(" {\n").append(segments[i]).append("\t\t\t}\n");
        }
        return text.append("\t\t}\n").toString();
    }

    static String linear(long start, long count, String pv, long pe) {
        return "start_extent = %d\nextent_count = %d\ntype = \"striped\"\nstripe_count = 1\nstripes = [ \"%s\", %d ]\n"
                .formatted(start, count, pv, pe);
    }

    /** A striped segment; {@code stripeSectors} in 512-byte sectors; {@code stripes} alternate PV key and first PE. */
    static String striped(long start, long count, long stripeSectors, Object... stripes) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < stripes.length; i++) {
            list.append(i > 0 ? ", " : "").append(i % 2 == 0 ? "\"" + stripes[i] + "\"" : stripes[i]);
        }
        return "start_extent = %d\nextent_count = %d\ntype = \"striped\"\nstripe_count = %d\nstripe_size = %d\nstripes = [ %s ]\n"
                .formatted(start, count, stripes.length / 2, stripeSectors, list);
    }

    static String logicalVolumes(String... lvs) {
        return "\tlogical_volumes {\n" + String.join("", lvs) + "\t}\n";
    }

    /** A stable LVM-style UUID for a name (LVM only needs it unique in the VG). */
    private static String uuid(String name) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(name.getBytes());
            return PvLabel.formatUuid(java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

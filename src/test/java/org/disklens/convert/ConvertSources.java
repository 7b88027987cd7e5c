package org.disklens.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.disklens.testing.Qemu;

/**
 * Source images for conversion tests, made by qemu-img and qemu-io in a folder: data at aligned and unaligned
 * offsets, zeroes written as data, zero clusters, holes, compressed clusters, subclusters, backing chains,
 * snapshots. Each has a raw reference that says what the guest must read (qemu-img's own conversion).
 */
final class ConvertSources {
    private ConvertSources() {
    }

    /** A source: the file to convert, extra {@code convert} arguments (like {@code -l}), and its raw reference. */
    record Source(String name, Path file, List<String> arguments, Path reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String SIZE = "16M";

    /** qemu-io commands writing the same varied content into any image. */
    static final String[] CONTENT = {
            "write -P 0x11 0 1M",
            "write -P 0 2M 512k",
            "write -P 0x22 3M 4k",
            "write -P 0x33 4198912 1536",
            "write -z 6M 1M",
            "write -P 0x44 8M 64k",
            "write -P 0x55 9437696 70000",
            "write -P 0x66 16711680 65536"};

    static List<Source> all(Path dir) {
        return List.of(
                raw(dir),
                oddRaw(dir),
                qcow2(dir, "qcow2", ""),
                qcow2(dir, "qcow2-v2", "compat=0.10"),
                qcow2(dir, "qcow2-512", "cluster_size=512"),
                qcow2(dir, "qcow2-extended-l2", "extended_l2=on"),
                qcow2(dir, "qcow2-prealloc-metadata", "preallocation=metadata"),
                compressed(dir, "qcow2-zlib", ""),
                compressed(dir, "qcow2-zstd", "compression_type=zstd"),
                chain(dir),
                snapshot(dir),
                vmdk(dir, "vmdk-monolithicSparse", "subformat=monolithicSparse"),
                vmdk(dir, "vmdk-streamOptimized", "subformat=streamOptimized"),
                vmdk(dir, "vmdk-twoGbMaxExtentFlat", "subformat=twoGbMaxExtentFlat"));
    }

    /** A VMDK as qemu-img writes it (streamOptimized by conversion, since qemu cannot write into one). */
    static Source vmdk(Path dir, String name, String options) {
        Path plain = raw(dir).file();
        Path file = dir.resolve("src-" + name + ".vmdk");
        Qemu.img(dir, "convert", "-f", "raw", "-O", "vmdk", "-o", options, plain.toString(), file.toString());
        return withReference(dir, name, file, List.of());
    }

    static Source raw(Path dir) {
        Path file = Qemu.create(dir, "src-raw.img", "raw", "", SIZE);
        Qemu.io(dir, file.toString(), "raw", CONTENT);
        return withReference(dir, "raw", file, List.of());
    }

    /** A raw disk whose size is not a whole number of sectors. */
    static Source oddRaw(Path dir) {
        Path file = dir.resolve("src-odd.img");
        try {
            Files.write(file, new byte[0]);
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap("odd-sized disk".repeat(100).getBytes()), 1_000_000 - 1400);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withReference(dir, "raw-odd-size", file, List.of());
    }

    static Source qcow2(Path dir, String name, String options) {
        Path file = Qemu.create(dir, "src-" + name + ".qcow2", "qcow2", options, SIZE);
        Qemu.io(dir, file.toString(), "qcow2", CONTENT);
        if (options.contains("extended_l2")) {
            // Subclusters: 2 KiB of data and a zeroed subcluster inside otherwise unallocated clusters.
            Qemu.io(dir, file.toString(), "qcow2", "write -P 0x77 12M 2k", "write -z 13M 2k");
        }
        return withReference(dir, name, file, List.of());
    }

    static Source compressed(Path dir, String name, String options) {
        Path plain = raw(dir).file();
        Path file = dir.resolve("src-" + name + ".qcow2");
        String extra = options.isEmpty() ? "" : "-o " + options;
        Qemu.img(dir, ("convert -c -f raw -O qcow2 " + extra + " " + plain + " " + file).strip().split(" +"));
        Qemu.io(dir, file.toString(), "qcow2", "write -P 0x88 10M 64k");
        return withReference(dir, name, file, List.of());
    }

    /** A base with data and a top that overwrites some of it, zeroes some of it, and leaves the rest to the base. */
    static Source chain(Path dir) {
        Path base = Qemu.create(dir, "src-base.qcow2", "qcow2", "", SIZE);
        Qemu.io(dir, base.toString(), "qcow2", "write -P 0x99 0 16M");
        Path top = Qemu.create(dir, "src-top.qcow2", "qcow2", "backing_file=src-base.qcow2,backing_fmt=qcow2", SIZE);
        Qemu.io(dir, top.toString(), "qcow2", "write -P 0xaa 1M 1M", "write -z 4M 2M", "write -P 0xbb 9000000 5000");
        return withReference(dir, "qcow2-backing-chain", top, List.of());
    }

    /** Snapshot "before" holds the first content; the active disk was overwritten after it. */
    static Source snapshot(Path dir) {
        Path file = Qemu.create(dir, "src-snap.qcow2", "qcow2", "", SIZE);
        Qemu.io(dir, file.toString(), "qcow2", CONTENT);
        Qemu.img(dir, "snapshot", "-c", "before", file.toString());
        Qemu.io(dir, file.toString(), "qcow2", "write -P 0xcc 0 4M", "write -z 8M 1M");
        Path reference = dir.resolve("ref-snapshot.raw");
        Qemu.img(dir, "convert", "-l", "before", "-O", "raw", file.toString(), reference.toString());
        return new Source("qcow2-snapshot(-l)", file, List.of("-l", "before"), reference);
    }

    private static Source withReference(Path dir, String name, Path file, List<String> arguments) {
        Path reference = dir.resolve("ref-" + name + ".raw");
        Qemu.img(dir, "convert", "-O", "raw", file.toString(), reference.toString());
        return new Source(name, file, arguments, reference);
    }
}

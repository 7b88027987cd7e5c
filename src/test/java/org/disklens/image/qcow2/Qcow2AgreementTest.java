package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every qcow2 variant qemu-img can make, made here by qemu-img and qemu-io, and DiskLens's {@code info},
 * {@code map} and {@code check} compared with qemu-img's own JSON, field by field.
 */
class Qcow2AgreementTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void requireQemu() {
        Qemu.require();
    }

    /** qemu needs the key to map or check an encrypted image; DiskLens needs it only to read data (compare). */
    static final String SECRET = "secret,id=s0,data=pw";

    /** A variant: how to make it in {@code dir}; the image is {@code NAME.qcow2}. */
    record Variant(String name, Consumer<Path> recipe, boolean encrypted) {
        Variant(String name, Consumer<Path> recipe) {
            this(name, recipe, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                written("v3-default", ""),
                written("v2-compat-0.10", "compat=0.10"),
                written("cluster-512", "cluster_size=512"),
                written("cluster-4k", "cluster_size=4096"),
                written("cluster-2m", "cluster_size=2M"),
                written("refcount-1", "refcount_bits=1"),
                written("refcount-2", "refcount_bits=2"),
                written("refcount-4", "refcount_bits=4"),
                written("refcount-8", "refcount_bits=8"),
                written("refcount-32", "refcount_bits=32"),
                written("refcount-64", "refcount_bits=64"),
                written("lazy-refcounts", "lazy_refcounts=on"),
                written("extended-l2", "extended_l2=on"),
                written("extended-l2-32k", "extended_l2=on,cluster_size=32k"),
                written("prealloc-metadata", "preallocation=metadata"),
                written("prealloc-falloc", "preallocation=falloc"),
                written("prealloc-full", "preallocation=full"),
                variant("compressed-zlib", d -> compressed(d, "compressed-zlib", "")),
                variant("compressed-zstd", d -> compressed(d, "compressed-zstd", "compression_type=zstd")),
                variant("snapshots", Qcow2AgreementTest::snapshots),
                variant("bitmaps", Qcow2AgreementTest::bitmaps),
                variant("backing-chain", Qcow2AgreementTest::backingChain),
                variant("data-file", d -> dataFile(d, "data-file", "")),
                variant("data-file-raw", d -> dataFile(d, "data-file-raw", ",data_file_raw=on")),
                variant("empty-16t", d -> Qemu.create(d, "empty-16t.qcow2", "qcow2", "", "16T")),
                variant("dirty-lazy", Qcow2AgreementTest::dirty),
                variant("corrupt-bit", d -> poked(d, "corrupt-bit", 72, 2)),
                variant("leaked-cluster", Qcow2AgreementTest::leakedCluster),
                variant("refcount-too-low", Qcow2AgreementTest::refcountTooLow),
                Arguments.of(new Variant("encrypted-aes", d -> encrypted(d, "encrypted-aes", "aes"), true)),
                Arguments.of(new Variant("encrypted-luks", d -> encrypted(d, "encrypted-luks", "luks"), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void infoAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        JsonNode expected = Qemu.info(dir, image.toString());
        Cli.Result ours = Cli.run("info", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(expected, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void backingChainInfoAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        JsonNode expected = Qemu.info(dir, image.toString(), "--backing-chain");
        Cli.Result ours = Cli.run("info", "--json", "--backing-chain", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(expected, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mapAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        JsonNode expected = Cli.parse(variant.encrypted()
                ? Qemu.img(dir, "map", "--output=json", "--object", SECRET, "--image-opts", keyed(image))
                : Qemu.img(dir, "map", "--output=json", image.toString()));
        Cli.Result ours = Cli.run("map", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(expected, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void checkAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        Tools.Result expected = variant.encrypted()
                ? Tools.exec(dir, "qemu-img", "check", "--output=json", "--object", SECRET, "--image-opts", keyed(image))
                : Qemu.check(dir, image.toString());
        Cli.Result ours = Cli.run("check", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isEqualTo(expected.exitCode());
        JsonNode answer = Cli.parse(expected.out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer).put("filename", image.toString());
        JsonSubset.assertContains(answer, ours.json());
    }

    /**
     * Guest content: against qemu-img's own raw conversion the images are identical; after one byte of the
     * raw copy changes, both tools name the same mismatch offset.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void compareAgreesWithQemuImg(Variant variant) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(variant.name().endsWith("-16t"), "too large for a raw file here");
        Path image = make(variant);
        Path raw = dir.resolve(variant.name() + ".converted.raw");
        Path passphrase = dir.resolve("pw.txt");
        java.nio.file.Files.writeString(passphrase, "pw");
        if (variant.encrypted()) {
            Qemu.img(dir, "convert", "--object", SECRET, "--image-opts", keyed(image), "-O", "raw", raw.toString());
        } else {
            Qemu.img(dir, "convert", "-O", "raw", image.toString(), raw.toString());
        }
        Cli.Result same = Cli.run("compare", "--passphrase-file", passphrase.toString(), image.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertThat(same.exitCode()).isZero();

        long changed = Math.min(3 * 1024 * 1024 + 12345, java.nio.file.Files.size(raw) - 1);
        withFile(raw, channel -> channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xee}), changed));
        Tools.Result expected = variant.encrypted()
                ? Tools.exec(dir, "qemu-img", "compare", "--object", SECRET, "--image-opts", keyed(image),
                        "driver=raw,file.filename=" + raw)
                : Tools.exec(dir, "qemu-img", "compare", image.toString(), raw.toString());
        Cli.Result ours = Cli.run("compare", "--passphrase-file", passphrase.toString(), image.toString(), raw.toString());
        assertThat(ours.exitCode()).isEqualTo(expected.exitCode()).isEqualTo(1);
        assertThat(ours.out().strip()).isEqualTo(expected.out().strip());
        java.nio.file.Files.delete(raw);
    }

    private static String keyed(Path image) {
        return "driver=qcow2,file.filename=%s,encrypt.key-secret=s0".formatted(image);
    }

    // ---- recipes ----

    private static Path make(Variant variant) {
        Path image = dir.resolve(variant.name() + ".qcow2");
        if (!image.toFile().exists()) {
            variant.recipe().accept(dir);
        }
        return image;
    }

    private static Arguments variant(String name, Consumer<Path> recipe) {
        return Arguments.of(new Variant(name, recipe));
    }

    /** An image with the given options and a typical mix: data, written zeroes, discarded and partial clusters. */
    private static Arguments written(String name, String options) {
        return variant(name, d -> {
            String file = name + ".qcow2";
            Qemu.create(d, file, "qcow2", options, "64M");
            Qemu.io(d, file, "qcow2", "write -P 0x11 0 128k", "write -z 1M 256k", "write -P 0x22 3M 4k",
                    "write -P 0x33 10M 1M", "discard 10M 64k", "write -P 0x44 40M 3k", "write -z 41M 8k");
        });
    }

    private static void compressed(Path d, String name, String options) {
        Qemu.create(d, name + "-src.raw", "raw", "", "8M");
        Qemu.io(d, name + "-src.raw", "raw", "write -P 0x5a 0 1M", "write -P 0 2M 64k", "write -P 0x6b 5M 100k");
        Qemu.img(d, "convert", "-c", "-O", "qcow2", "-o", options.isEmpty() ? "compat=1.1" : options,
                name + "-src.raw", name + ".qcow2");
        Qemu.io(d, name + ".qcow2", "qcow2", "write -P 0x7c 6M 64k");
    }

    private static void snapshots(Path d) {
        Qemu.create(d, "snapshots.qcow2", "qcow2", "", "32M");
        Qemu.io(d, "snapshots.qcow2", "qcow2", "write -P 1 0 1M");
        Qemu.img(d, "snapshot", "-c", "first", "snapshots.qcow2");
        Qemu.io(d, "snapshots.qcow2", "qcow2", "write -P 2 512k 1M");
        Qemu.img(d, "snapshot", "-c", "second", "snapshots.qcow2");
        Qemu.io(d, "snapshots.qcow2", "qcow2", "write -P 3 4M 64k");
    }

    private static void bitmaps(Path d) {
        Qemu.create(d, "bitmaps.qcow2", "qcow2", "", "32M");
        Qemu.io(d, "bitmaps.qcow2", "qcow2", "write -P 1 0 1M");
        Qemu.img(d, "bitmap", "--add", "bitmaps.qcow2", "daily");
        Qemu.img(d, "bitmap", "--add", "-g", "128k", "--disable", "bitmaps.qcow2", "weekly");
    }

    private static void backingChain(Path d) {
        Qemu.create(d, "chain-base.qcow2", "qcow2", "", "16M");
        Qemu.io(d, "chain-base.qcow2", "qcow2", "write -P 1 0 4M");
        Qemu.create(d, "chain-mid.qcow2", "qcow2", "backing_file=chain-base.qcow2,backing_fmt=qcow2", "24M");
        Qemu.io(d, "chain-mid.qcow2", "qcow2", "write -P 2 1M 1M", "write -z 3M 64k");
        Qemu.create(d, "backing-chain.qcow2", "qcow2", "backing_file=chain-mid.qcow2,backing_fmt=qcow2", "32M");
        Qemu.io(d, "backing-chain.qcow2", "qcow2", "write -P 3 1536k 64k", "write -P 4 20M 64k");
    }

    private static void dataFile(Path d, String name, String extra) {
        Qemu.create(d, name + ".qcow2", "qcow2", "data_file=" + name + ".data" + extra, "16M");
        Qemu.io(d, name + ".qcow2", "qcow2", "write -P 9 1M 128k", "write -z 4M 64k");
    }

    private static void encrypted(Path d, String name, String format) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "--object", SECRET, "-o",
                "encrypt.format=%s,encrypt.key-secret=s0%s".formatted(format, format.equals("luks") ? ",encrypt.iter-time=10" : ""),
                name + ".qcow2", "16M");
        Tools.run(d, "qemu-io", "--object", SECRET, "--image-opts", keyed(d.resolve(name + ".qcow2")),
                "-c", "write -P 7 0 128k", "-c", "write -z 1M 64k");
    }

    /** A good image with one big-endian 64-bit header field ORed with {@code bits}. */
    private static void poked(Path d, String name, int offset, long bits) {
        Path image = Qemu.create(d, name + ".qcow2", "qcow2", "", "16M");
        Qemu.io(d, name + ".qcow2", "qcow2", "write -P 5 0 64k");
        withFile(image, channel -> {
            ByteBuffer field = ByteBuffer.allocate(8);
            channel.read(field, offset);
            channel.write(ByteBuffer.allocate(8).putLong(0, field.getLong(0) | bits), offset);
        });
    }

    /** One more cluster at the end of the file, marked used in the refcounts but referenced by nothing. */
    private static void leakedCluster(Path d) {
        Path image = Qemu.create(d, "leaked-cluster.qcow2", "qcow2", "", "16M");
        Qemu.io(d, "leaked-cluster.qcow2", "qcow2", "write -P 5 0 64k");
        withFile(image, channel -> {
            long cluster = channel.size() / 65536;
            channel.write(ByteBuffer.allocate(65536), cluster * 65536);
            channel.write(ByteBuffer.allocate(2).putShort(0, (short) 1), firstRefcountBlock(channel) + cluster * 2);
        });
    }

    /** The first data cluster's refcount set to 0 while the L2 table still points at it. */
    private static void refcountTooLow(Path d) {
        Path image = Qemu.create(d, "refcount-too-low.qcow2", "qcow2", "", "16M");
        Qemu.io(d, "refcount-too-low.qcow2", "qcow2", "write -P 5 0 64k");
        withFile(image, channel -> {
            long dataCluster = (channel.size() - 65536) / 65536;
            channel.write(ByteBuffer.allocate(2), firstRefcountBlock(channel) + dataCluster * 2);
        });
    }

    private static long firstRefcountBlock(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8);
        channel.read(header, 48);
        ByteBuffer entry = ByteBuffer.allocate(8);
        channel.read(entry, header.getLong(0));
        return entry.getLong(0);
    }

    interface FileEdit {
        void apply(FileChannel channel) throws IOException;
    }

    private static void withFile(Path image, FileEdit edit) {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            edit.apply(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dirty(Path d) {
        Qemu.create(d, "dirty-lazy.qcow2", "qcow2", "lazy_refcounts=on", "16M");
        Tools.exec(d, "qemu-io", "-f", "qcow2", "-c", "write -P 1 0 1M", "-c", "abort", "dirty-lazy.qcow2");
    }
}

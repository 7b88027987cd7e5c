package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.disklens.image.ImageFormats;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every source kind (raw, qcow2 variants and chains, qemu-written VMDKs) converted to every target kind with the CLI, and each result judged by qemu-img: {@code check}
 * finds nothing (no leak, no corruption), {@code compare} finds the guest disk identical to the source's own
 * (qemu-img's conversion of it to raw). Where DiskLens reads the target format, its own {@code compare} must agree.
 */
class ConvertMatrixTest {
    @TempDir
    static Path dir;

    static List<ConvertSources.Source> sources;

    /** A target: {@code convert} arguments and the format qemu-img should find. */
    record Target(String name, String format, List<String> arguments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Target> TARGETS = List.of(
            target("raw", "raw"),
            target("raw -S 0", "raw", "-S", "0"),
            target("raw -S 64k", "raw", "-S", "64k"),
            target("raw falloc", "raw", "-o", "preallocation=falloc"),
            target("qcow2", "qcow2"),
            target("qcow2 -c", "qcow2", "-c"),
            target("qcow2 -c zstd", "qcow2", "-c", "-o", "compression_type=zstd"),
            target("qcow2 compat=0.10", "qcow2", "-o", "compat=0.10"),
            target("qcow2 -c compat=0.10", "qcow2", "-c", "-o", "compat=0.10"),
            target("qcow2 extended_l2", "qcow2", "-o", "extended_l2=on"),
            target("qcow2 -c extended_l2 32k", "qcow2", "-c", "-o", "extended_l2=on,cluster_size=32k"),
            target("qcow2 -c 4k refcount_bits=1", "qcow2", "-c", "-o", "cluster_size=4k,refcount_bits=1"),
            target("qcow2 -c 512 refcount_bits=2", "qcow2", "-c", "-o", "cluster_size=512,refcount_bits=2"),
            target("qcow2 2M refcount_bits=64", "qcow2", "-o", "cluster_size=2M,refcount_bits=64"),
            target("qcow2 lazy_refcounts refcount_bits=8", "qcow2", "-o", "lazy_refcounts=on,refcount_bits=8"),
            target("qcow2 metadata", "qcow2", "-o", "preallocation=metadata"),
            target("qcow2 falloc", "qcow2", "-o", "preallocation=falloc"),
            target("qcow2 full", "qcow2", "-o", "preallocation=full"),
            target("qcow2 -S 0", "qcow2", "-S", "0"),
            target("vmdk", "vmdk"),
            target("vmdk zeroed_grain", "vmdk", "-o", "zeroed_grain=on,adapter_type=buslogic"),
            target("vmdk streamOptimized", "vmdk", "-o", "subformat=streamOptimized,adapter_type=lsilogic"),
            target("vmdk streamOptimized -c", "vmdk", "-c", "-o", "subformat=streamOptimized,hwversion=14"),
            target("vmdk monolithicFlat", "vmdk", "-o", "subformat=monolithicFlat"),
            target("vmdk monolithicFlat full", "vmdk", "-o", "subformat=monolithicFlat,preallocation=full"),
            target("vmdk twoGbMaxExtentSparse", "vmdk", "-o", "subformat=twoGbMaxExtentSparse,adapter_type=legacyESX"),
            target("vmdk twoGbMaxExtentFlat", "vmdk", "-o", "subformat=twoGbMaxExtentFlat,compat6=on"));

    private static Target target(String name, String format, String... options) {
        List<String> arguments = new ArrayList<>(List.of("-O", format));
        arguments.addAll(List.of(options));
        return new Target(name, format, arguments);
    }

    @BeforeAll
    static void makeSources() {
        Qemu.require();
        sources = ConvertSources.all(dir);
    }

    static Stream<Arguments> pairs() {
        Qemu.require();
        List<Arguments> pairs = new ArrayList<>();
        for (String source : List.of("raw", "raw-odd-size", "qcow2", "qcow2-v2", "qcow2-512", "qcow2-extended-l2",
                "qcow2-prealloc-metadata", "qcow2-zlib", "qcow2-zstd", "qcow2-backing-chain", "qcow2-snapshot(-l)",
                "vmdk-monolithicSparse", "vmdk-streamOptimized", "vmdk-twoGbMaxExtentFlat")) {
            for (Target target : TARGETS) {
                pairs.add(Arguments.of(source, target));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void qemuImgFindsTheResultCleanAndIdentical(String sourceName, Target target) throws IOException {
        ConvertSources.Source source = sources.stream().filter(s -> s.name().equals(sourceName)).findFirst().orElseThrow();
        Path out = Files.createTempDirectory(dir, "out").resolve("converted." + target.format());
        String before = Hostile.sha256(source.file());

        List<String> arguments = new ArrayList<>(List.of("convert"));
        arguments.addAll(source.arguments());
        arguments.addAll(target.arguments());
        arguments.add(source.file().toString());
        arguments.add(out.toString());
        Cli.Result result = Cli.run(arguments.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(Hostile.sha256(source.file())).as("the source is never written").isEqualTo(before);
        assertThat(Qemu.info(dir, out.toString()).get("format").asText()).isEqualTo(target.format());
        if (!target.format().equals("raw")) {
            Tools.Result check = Qemu.check(dir, out.toString());
            assertThat(check.exitCode()).as("qemu-img check: %s%s", check.out(), check.err()).isZero();
        }
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-f", "raw", source.reference().toString(),
                out.toString());
        assertThat(compare.exitCode()).as("qemu-img compare: %s%s", compare.out(), compare.err()).isZero();
        if (ImageFormats.byName(target.format()).isPresent()) {
            Cli.Result ours = Cli.run("compare", "-f", "raw", source.reference().toString(), out.toString());
            assertThat(ours.exitCode()).as("DiskLens reads its own %s: %s%s", target, ours.out(), ours.err()).isZero();
        }
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .as("no temporary file is left").noneMatch(name -> name.contains(OutputFiles.TEMP_MARK));
        }
    }

    /**
     * A 5 GiB disk with a little data here and there: many VMDK grain tables and qcow2 L2 tables, data across the
     * 2047 MiB boundary of split extents, in the last grain, and huge holes skipped whole.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largeTargets")
    void aLargeSparseDiskAcrossTablesAndExtents(Target target) throws IOException {
        Path large = dir.resolve("large.img");
        if (!Files.exists(large)) {
            Qemu.create(dir, "large.img", "raw", "", "5G");
            Qemu.io(dir, large.toString(), "raw", "write -P 0x11 0 100k", "write -P 0x22 40M 64k",
                    "write -P 0x33 2146304k 2M", "write -P 0x44 3G 1M", "write -P 0x55 5242816k 64k");
        }
        Path out = Files.createTempDirectory(dir, "large").resolve("large." + target.format());
        List<String> arguments = new ArrayList<>(List.of("convert"));
        arguments.addAll(target.arguments());
        arguments.addAll(List.of(large.toString(), out.toString()));
        Cli.Result result = Cli.run(arguments.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        if (!target.format().equals("raw")) {
            Tools.Result check = Qemu.check(dir, out.toString());
            assertThat(check.exitCode()).as("qemu-img check: %s%s", check.out(), check.err()).isZero();
        }
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-f", "raw", large.toString(), out.toString());
        assertThat(compare.exitCode()).as("qemu-img compare: %s%s", compare.out(), compare.err()).isZero();
    }

    static Stream<Target> largeTargets() {
        return TARGETS.stream().filter(target -> target.format().equals("vmdk") && !target.name().contains("full")
                || List.of("raw", "qcow2", "qcow2 -c", "qcow2 extended_l2").contains(target.name()));
    }
}

package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.disklens.image.InvalidRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a conversion leaves behind when it does not succeed: nothing. Cancelled, failed on a corrupt source, out of
 * disk space, refused before starting: no target, no temporary file, the source untouched, one clear line.
 */
class ConvertSafetyTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void makeSource() throws IOException {
        Qemu.require();
        // 24 MiB of data: many windows, so that a cancellation or a failure lands in the middle.
        data = Qemu.create(dir, "data.qcow2", "qcow2", "", "32M");
        Qemu.io(dir, data.toString(), "qcow2", "write -P 0x5a 0 24M");
    }

    private static Path emptyFolder() throws IOException {
        return Files.createTempDirectory(dir, "target");
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Cancels after {@code checks} calls of isCancelled, i.e. in the middle of the work. */
    private static ProgressListener cancellingAfter(int checks) {
        AtomicInteger count = new AtomicInteger();
        return new ProgressListener() {
            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean isCancelled() {
                return count.incrementAndGet() > checks;
            }
        };
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("raw", List.of(), "out.raw"),
                Arguments.of("qcow2", List.of("compression_type=zstd"), "out.qcow2"),
                Arguments.of("vmdk", List.of("subformat=twoGbMaxExtentFlat"), "out.vmdk"),
                Arguments.of("vmdk", List.of("subformat=streamOptimized"), "out.vmdk"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void cancellingLeavesNothing(String format, List<String> options, String name) throws IOException {
        Path folder = emptyFolder();
        TargetSpec target = TargetSpec.of(format).withCompress(format.equals("qcow2"));
        for (String option : options) {
            target = target.withOptions(option);
        }
        ConversionRequest request = new ConversionRequest(new SourceSpec(data), target, folder.resolve(name), false);
        assertThatThrownBy(() -> new Converter(2).convert(request, cancellingAfter(6)))
                .isInstanceOf(CancellationException.class).hasMessageContaining("removed");
        assertThat(names(folder)).isEmpty();
    }

    @Test
    void aCorruptSourceClusterLeavesNothing() throws IOException {
        Path corrupt = dir.resolve("corrupt.qcow2");
        Qemu.img(dir, "convert", "-c", "-O", "qcow2", data.toString(), corrupt.toString());
        // Garbage over the start of guest cluster 200's deflate stream: inflating it fails half way through the disk.
        try (FileChannel channel = FileChannel.open(corrupt, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long entry = l2Entry(channel, 200);
            assertThat(entry & (1L << 62)).as("cluster 200 is compressed").isNotZero();
            long offset = entry & ((1L << 54) - 1);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), offset);
        }
        Path folder = emptyFolder();
        String before = Hostile.sha256(corrupt);
        Cli.Result result = Cli.run("convert", "-O", "qcow2", corrupt.toString(), folder.resolve("out.qcow2").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("disklens: ").contains("compressed cluster")
                .contains("the unfinished target was removed").doesNotContain("\n");
        assertThat(names(folder)).isEmpty();
        assertThat(Hostile.sha256(corrupt)).isEqualTo(before);
    }

    @Test
    void aPointerPastTheEndOfTheSourceLeavesNothing() throws IOException {
        Path broken = dir.resolve("broken.qcow2");
        Files.copy(data, broken);
        try (FileChannel channel = FileChannel.open(broken, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long l2 = l2Entry(channel, -1);
            // Cluster 200 (12.5 MiB into the disk) now lies 1 TiB past the end of the file.
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(0, (1L << 63) | (1L << 40)), l2 + 200 * 8);
        }
        Path folder = emptyFolder();
        Cli.Result result = Cli.run("convert", "-O", "raw", broken.toString(), folder.resolve("out.raw").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("disklens: ").contains("the unfinished target was removed");
        assertThat(names(folder)).isEmpty();
    }

    /** Entry {@code cluster} of the first L2 table of a 64 KiB-cluster qcow2 (or, for -1, that table's offset). */
    private static long l2Entry(FileChannel channel, int cluster) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        channel.read(header, 0);
        ByteBuffer l1Entry = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        channel.read(l1Entry, header.getLong(40));
        long l2 = l1Entry.getLong(0) & 0x00fffffffffffe00L;
        if (cluster < 0) {
            return l2;
        }
        ByteBuffer entry = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        channel.read(entry, l2 + cluster * 8L);
        return entry.getLong(0);
    }

    @Test
    void aFullDiskLeavesNothingAndSaysSo() throws IOException {
        Tools.require("mount", "umount");
        Path small = emptyFolder();
        Tools.Result mount = Tools.exec(dir, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        Assumptions.assumeTrue(mount.exitCode() == 0, "cannot mount a 1 MiB tmpfs here: " + mount.err());
        try {
            for (String format : List.of("raw", "qcow2", "vmdk")) {
                Cli.Result result = Cli.run("convert", "-O", format, data.toString(), small.resolve("out." + format).toString());
                assertThat(result.exitCode()).as(format).isEqualTo(1);
                assertThat(result.err().strip()).as(format).startsWith("disklens: ")
                        .contains("no space left on device; the unfinished target was removed").doesNotContain("\n");
                assertThat(names(small)).as(format).isEmpty();
            }
        } finally {
            Tools.exec(dir, "umount", small.toString());
        }
    }

    @Test
    void anExistingTargetIsRefusedUnlessForced() throws IOException {
        Path folder = emptyFolder();
        Path target = folder.resolve("out.qcow2");
        Files.writeString(target, "precious");
        Cli.Result refused = Cli.run("convert", "-O", "qcow2", data.toString(), target.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("disklens: %s: already exists (use --force to overwrite it)".formatted(target));
        assertThat(Files.readString(target)).isEqualTo("precious");
        assertThat(names(folder)).containsExactly("out.qcow2");

        Cli.Result forced = Cli.run("convert", "--force", "-O", "qcow2", data.toString(), target.toString());
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Qemu.check(dir, target.toString()).exitCode()).isZero();
        assertThat(names(folder)).containsExactly("out.qcow2");
    }

    @Test
    void anExistingExtentOfASplitVmdkIsRefusedToo() throws IOException {
        Path folder = emptyFolder();
        Files.writeString(folder.resolve("out-f001.vmdk"), "precious");
        Cli.Result refused = Cli.run("convert", "-O", "vmdk", "-o", "subformat=twoGbMaxExtentFlat", data.toString(),
                folder.resolve("out.vmdk").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("out-f001.vmdk already exists");
        assertThat(names(folder)).containsExactly("out-f001.vmdk");
        assertThat(Files.readString(folder.resolve("out-f001.vmdk"))).isEqualTo("precious");
    }

    @Test
    void theSourceCannotBeItsOwnTarget() throws IOException {
        String before = Hostile.sha256(data);
        Cli.Result result = Cli.run("convert", "--force", "-O", "qcow2", data.toString(), data.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("which this conversion reads");
        assertThat(Hostile.sha256(data)).isEqualTo(before);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(List.of("-O", "qcow2", "-o", "foo=bar"), "Invalid parameter 'foo' for file format 'qcow2'"),
                Arguments.of(List.of("-O", "qcow2", "-o", "compat=0.10,lazy_refcounts=on"),
                        "Lazy refcounts only supported with compatibility level 1.1"),
                Arguments.of(List.of("-O", "qcow2", "-o", "compat=0.10,compression_type=zstd"),
                        "Non-zlib compression type is only supported with compatibility level 1.1"),
                Arguments.of(List.of("-O", "qcow2", "-o", "compat=0.10,refcount_bits=8"),
                        "Different refcount widths than 16 bits require compatibility level 1.1"),
                Arguments.of(List.of("-O", "qcow2", "-o", "extended_l2=on,cluster_size=4k"),
                        "Extended L2 entries are only supported with cluster sizes of at least 16384 bytes"),
                Arguments.of(List.of("-O", "qcow2", "-o", "cluster_size=3000"),
                        "Cluster size must be a power of two between 512 and 2048k"),
                Arguments.of(List.of("-O", "qcow2", "-o", "refcount_bits=3"),
                        "Refcount width must be a power of two and may not exceed 64 bits"),
                Arguments.of(List.of("-O", "qcow2", "-o", "preallocation=bogus"),
                        "Parameter 'preallocation' does not accept value 'bogus'"),
                Arguments.of(List.of("-O", "qcow2", "-o", "lazy_refcounts=maybe"),
                        "Parameter 'lazy_refcounts' expects 'on' or 'off'"),
                Arguments.of(List.of("-O", "qcow2", "-c", "-o", "preallocation=metadata"),
                        "Compression and preallocation not supported at the same time"),
                Arguments.of(List.of("-O", "qcow2", "-o", "data_file=x.raw"), "option 'data_file' is not supported"),
                Arguments.of(List.of("-O", "raw", "-c"), "Compression not supported for this file format"),
                Arguments.of(List.of("-O", "raw", "-S", "1000"), "Invalid buffer size for sparse output specified"),
                Arguments.of(List.of("-O", "raw", "-S", "32M"), "Invalid buffer size for sparse output specified"),
                Arguments.of(List.of("-O", "bogus"), "Unknown file format 'bogus'"),
                Arguments.of(List.of("-O", "vmdk", "-o", "subformat=bogus"), "Parameter 'subformat' does not accept value 'bogus'"),
                Arguments.of(List.of("-O", "vmdk", "-o", "adapter_type=scsi"), "Parameter 'adapter_type' does not accept value 'scsi'"),
                Arguments.of(List.of("-O", "vmdk", "-o", "compat6=on,hwversion=7"), "compat6 cannot be enabled with hwversion set"),
                Arguments.of(List.of("-O", "vmdk", "-c"), "Compression is only supported by the VMDK subformat streamOptimized"),
                Arguments.of(List.of("-O", "vmdk", "-o", "subformat=streamOptimized,zeroed_grain=on"),
                        "zeroed_grain is only supported by the sparse subformats"),
                Arguments.of(List.of("-O", "vmdk", "-o", "preallocation=full"),
                        "preallocation=full is only supported by the flat subformats"),
                Arguments.of(List.of("-O", "raw", "-l", "nosuch"), "Failed to load snapshot: Can't find snapshot 'nosuch'"),
                Arguments.of(List.of("-O", "raw", "-m", "0"), "-m must be between 1 and 16"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void contradictionsAndUnknownsAreRefusedBeforeAnythingIsWritten(List<String> options, String message)
            throws IOException {
        Path folder = emptyFolder();
        List<String> arguments = new java.util.ArrayList<>(List.of("convert"));
        arguments.addAll(options);
        arguments.add(data.toString());
        arguments.add(folder.resolve("out.img").toString());
        Cli.Result result = Cli.run(arguments.toArray(String[]::new));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("disklens: ").contains(message).doesNotContain("\n");
        assertThat(names(folder)).isEmpty();
    }

    @Test
    void theGuiCanValidateARequestWithoutOpeningAnything() {
        ConversionRequest request = new ConversionRequest(new SourceSpec(dir.resolve("missing.qcow2")),
                TargetSpec.of("qcow2").withOption("cluster_size", "1k").withCompress(true).withOption("preallocation", "full"),
                dir.resolve("out.qcow2"), false);
        assertThatThrownBy(request::validate).isInstanceOf(InvalidRequest.class)
                .hasMessage("Compression and preallocation not supported at the same time");
    }
}

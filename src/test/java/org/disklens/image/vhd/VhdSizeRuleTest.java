package org.disklens.image.vhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.disklens.convert.TargetSpec;
import org.disklens.image.InvalidRequest;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The disk's size as qemu-img decides it: by the creator application (geometry for {@code "vpc "}, {@code "vs  "},
 * {@code "qemu"}; current size for {@code "win "}, {@code "qem2"}, {@code "d2v "}, ...) and the largest geometry; and
 * the size qemu-img gives a new disk, with and without force_size. Each answer is qemu-img's own, on the same file.
 */
class VhdSizeRuleTest {
    @TempDir
    static Path dir;
    static Path dynamic;
    static Path fixed;
    static Path forced;

    /** 100 MiB is not a geometry's size: qemu rounds it up to 104865792 bytes (cylinders × heads × sectors). */
    @BeforeAll
    static void makeImages() {
        Qemu.require();
        dynamic = Qemu.create(dir, "dynamic.vhd", "vpc", "", "100M");
        Qemu.io(dir, "dynamic.vhd", "vpc", "write -P 0x11 0 64k", "write -P 0x22 102336k 64k");
        fixed = Qemu.create(dir, "fixed.vhd", "vpc", "subformat=fixed", "100M");
        forced = Qemu.create(dir, "forced.vhd", "vpc", "force_size=on", "100M");
    }

    static Stream<Arguments> creators() {
        return Stream.of("vpc ", "vs  ", "win ", "qemu", "qem2", "d2v ", "d2v\0", "CTXS", "tap\0", "tap ", "xyz ")
                .flatMap(creator -> Stream.of(Arguments.of(creator, "dynamic"), Arguments.of(creator, "fixed")));
    }

    /** The current size says 100 MiB, the geometry 104865792 bytes: which one wins is the creator's rule. */
    @ParameterizedTest(name = "creator \"{0}\" {1}")
    @MethodSource("creators")
    void theCreatorDecidesBetweenGeometryAndCurrentSize(String creator, String kind) {
        Path good = kind.equals("fixed") ? fixed : dynamic;
        Path poked = VhdFiles.withFooters(good, "%s-%s.vhd".formatted(kind, creator.replace('\0', '0').strip()),
                VhdFiles.creator(creator).andThen(VhdFiles.currentSize(100 << 20)));
        assertSameSizeAsQemu(poked, creator.equals("vpc ") || creator.equals("win "));
    }

    /** With the largest geometry, the current size decides whatever the creator (so "vpc " too). */
    @Test
    void theLargestGeometryMeansTheCurrentSize() {
        assertSameSizeAsQemu(VhdFiles.withFooters(forced, "forced-vpc.vhd", VhdFiles.creator("vpc ")));
        assertSameSizeAsQemu(VhdFiles.withFooters(forced, "forced-qemu.vhd", VhdFiles.creator("qemu")));
        Path smaller = VhdFiles.withFooters(dynamic, "geometry-smaller.vhd",
                VhdFiles.creator("vpc ").andThen(VhdFiles.geometry(1000, 16, 12)));
        assertSameSizeAsQemu(smaller);
        assertThat(size(smaller)).isEqualTo(1000L * 16 * 12 * 512);
    }

    private static void assertSameSizeAsQemu(Path image) {
        assertSameSizeAsQemu(image, true);
    }

    /** The same size as qemu-img's, and (when {@code compareContent}) the same bytes as its raw conversion. */
    private static void assertSameSizeAsQemu(Path image, boolean compareContent) {
        long expected = Qemu.info(dir, image.toString(), "-f", "vpc").get("virtual-size").asLong();
        assertThat(size(image)).as(image.getFileName().toString()).isEqualTo(expected);
        if (!compareContent) {
            return;
        }
        Path raw = dir.resolve(image.getFileName() + ".raw");
        Qemu.img(dir, "convert", "-f", "vpc", "-O", "raw", image.toString(), raw.toString());
        Cli.Result same = Cli.run("compare", image.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
    }

    private static long size(Path image) {
        Cli.Result ours = Cli.run("info", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        return ours.json().get("virtual-size").asLong();
    }

    static Stream<Arguments> sizes() {
        List<String> sizes = List.of("0", "1", "511", "512", "1000000", "1M", "3M", "10M", "31M", "32M", "63M", "100M",
                "127M", "128M", "255M", "256M", "500M", "504M", "1000M", "1G", "2G", "4095M", "4G", "8G", "31G", "32G",
                "33G", "63G", "100G", "126G", "127G", "127.5G", "128G", "136G", "500G", "1T", "2000G", "2040G");
        return sizes.stream().flatMap(size -> Stream.of(Arguments.of(size, false), Arguments.of(size, true)));
    }

    /**
     * The size of a new disk: qemu-img create's (a dynamic VHD of any size costs at most a 4 MiB BAT) against
     * DiskLens's {@code targetSize}, which {@code convert} uses for the source's size.
     */
    @ParameterizedTest(name = "{0} force_size={1}")
    @MethodSource("sizes")
    void aNewDiskHasQemuImgsSize(String size, boolean forceSize) throws java.io.IOException {
        String file = "new-%s-%s.vhd".formatted(size, forceSize);
        Qemu.create(dir, file, "vpc", forceSize ? "force_size=on" : "", size);
        long expected = Qemu.info(dir, file, "-f", "vpc").get("virtual-size").asLong();
        TargetSpec spec = TargetSpec.of("vpc").withOption("force_size", forceSize ? "on" : "off");
        VhdConfig config = (VhdConfig) spec.config();
        long requested = org.disklens.image.QemuSize.parse(size);
        assertThat(config.targetSize(requested)).isEqualTo(expected);
        assertThat(config.sizing(expected).bytes()).isEqualTo(expected);
        java.nio.file.Files.deleteIfExists(dir.resolve(file));
    }

    @Test
    void beyond2040GiBIsRefusedInQemusWords() throws InvalidRequest {
        VhdConfig config = (VhdConfig) TargetSpec.of("vpc").config();
        long size = config.targetSize(2041L << 30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.sizing(size)).isInstanceOf(InvalidRequest.class)
                .hasMessage("Disk size is too large, max size is 2040 GiB");
    }
}

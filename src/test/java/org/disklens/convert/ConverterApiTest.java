package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.disklens.image.SizeEstimate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine as the GUI uses it: presets, progress, results, measuring before converting. */
class ConverterApiTest {
    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void makeSource() {
        Qemu.require();
        source = Qemu.create(dir, "source.qcow2", "qcow2", "", "32M");
        Qemu.io(dir, source.toString(), "qcow2", "write -P 0x42 0 5M", "write -P 0 8M 1M", "write -P 0x43 20M 3M");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Preset.class)
    void everyPresetMakesAnImageQemuImgAccepts(Preset preset) throws IOException {
        Path target = dir.resolve("preset-" + preset.name() + "." + preset.extension());
        ConversionResult result = Converter.run(preset.request(new SourceSpec(source), target, false), ProgressListener.NONE);
        assertThat(result.files()).containsExactly(target);
        assertThat(result.virtualSize()).isEqualTo(32L << 20);
        String format = preset.target().format();
        // -F: qemu-img probes a VHD only by a header at the start, which a fixed VHD does not have.
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-F", format, source.toString(),
                target.toString());
        assertThat(compare.exitCode()).as(compare.out()).isZero();
        if (!List.of("raw", "vpc").contains(format)) { // qemu-img checks neither
            assertThat(Qemu.check(dir, target.toString()).exitCode()).isZero();
        }
        SizeEstimate estimate = Measure.estimate(new SourceSpec(source), preset.target());
        assertThat(estimate.required()).isLessThanOrEqualTo(estimate.fullyAllocated());
    }

    @Test
    void presetsAreTheOnesTheGuiShows() {
        assertThat(Preset.values()).extracting(Preset::label).containsExactly("qcow2, compressed", "raw, sparse",
                "VMDK for VMware ESXi (streamOptimized)", "VMDK for Workstation (monolithicSparse)",
                "Azure (fixed VHD, size rounded up to a whole MiB)", "Hyper-V (VHDX)", "VirtualBox (VDI)");
        assertThat(Preset.VMDK_ESXI.target().options()).containsEntry("subformat", "streamOptimized");
    }

    /** Azure refuses a VHD whose size is not a whole number of MiB, and reads the size from the footer. */
    @Test
    void theAzurePresetMakesAFixedVhdOfWholeMebibytes() throws IOException {
        Path odd = Qemu.create(dir, "odd-for-azure.raw", "raw", "", Long.toString(10_000_000));
        Qemu.io(dir, odd.toString(), "raw", "write -P 0x5a 9M 512");
        Path target = dir.resolve("azure.vhd");

        Converter.run(Preset.AZURE.request(new SourceSpec(odd), target, false), ProgressListener.NONE);

        assertThat(Qemu.info(dir, target.toString(), "-f", "vpc").get("virtual-size").asLong()).isEqualTo(10L << 20);
        assertThat(Files.size(target)).as("fixed: the disk, then the 512-byte footer").isEqualTo((10L << 20) + 512);
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-F", "vpc", odd.toString(), target.toString());
        assertThat(compare.exitCode()).as(compare.out()).isZero();
    }

    @Test
    void aSizeMultipleGrowsTheDiskWithZeroesAndMeasureAgrees() throws IOException {
        Path odd = Qemu.create(dir, "odd.raw", "raw", "", Long.toString((3L << 20) + 512));
        Qemu.io(dir, odd.toString(), "raw", "write -P 0x17 2M 1M", "write -P 0x18 3M 512");
        TargetSpec wholeMiB = TargetSpec.of("raw").withSizeRoundedUpTo(1 << 20);
        Path target = dir.resolve("whole-mib.raw");

        ConversionResult result = Converter.run(new ConversionRequest(new SourceSpec(odd), wholeMiB, target, false),
                ProgressListener.NONE);

        assertThat(result.virtualSize()).isEqualTo(4L << 20);
        assertThat(Files.size(target)).isEqualTo(4L << 20);
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", odd.toString(), target.toString());
        assertThat(compare.exitCode()).as(compare.out()).isZero();
        assertThat(Measure.estimate(new SourceSpec(odd), wholeMiB).fullyAllocated()).isEqualTo(4L << 20);
    }

    @Test
    void progressCountsTheStoredBytesUpToAllOfThem() throws IOException {
        List<long[]> reports = new ArrayList<>();
        ProgressListener listener = (done, total) -> {
            synchronized (reports) {
                reports.add(new long[] {done, total});
            }
        };
        ConversionResult result = Converter.run(new ConversionRequest(new SourceSpec(source), TargetSpec.of("raw"),
                dir.resolve("progress.raw"), false), listener);
        // 5 + 1 + 3 MiB stored (the written zeroes count: qemu-img counts allocated data, not its content).
        assertThat(result.sourceAllocatedBytes()).isEqualTo(9L << 20);
        long[] last = reports.getLast();
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(9L << 20);
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
        }
    }

    @Test
    void minusPPrintsPercentagesWhenNotOnATerminal() {
        Cli.Result result = Cli.run("convert", "-p", "-O", "qcow2", source.toString(), dir.resolve("p.qcow2").toString());
        assertThat(result.exitCode()).isZero();
        List<String> lines = List.of(result.err().strip().split("\n"));
        assertThat(lines.getLast()).isEqualTo("100%");
        assertThat(lines).allMatch(line -> line.matches("\\d{1,3}%"));
        assertThat(lines.stream().map(line -> Integer.parseInt(line.replace("%", ""))).toList()).isSorted();
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutMinusPNothingIsPrinted() {
        Cli.Result result = Cli.run("convert", "-O", "raw", source.toString(), dir.resolve("quiet.raw").toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void snapshotsAreChosenAsQemuChoosesThem() throws IOException {
        Path snapshots = Qemu.create(dir, "snapshots.qcow2", "qcow2", "", "4M");
        Qemu.io(dir, snapshots.toString(), "qcow2", "write -P 1 0 1M");
        Qemu.img(dir, "snapshot", "-c", "first", snapshots.toString());
        Qemu.io(dir, snapshots.toString(), "qcow2", "write -P 2 0 1M");
        Qemu.img(dir, "snapshot", "-c", "second", snapshots.toString());
        Qemu.io(dir, snapshots.toString(), "qcow2", "write -P 3 0 1M");
        for (String selector : List.of("1", "first", "snapshot.id=1", "snapshot.name=first", "snapshot.id=1,snapshot.name=first")) {
            Path out = Files.createTempDirectory(dir, "snap").resolve("out.raw");
            Cli.Result result = Cli.run("convert", "-l", selector, "-O", "raw", snapshots.toString(), out.toString());
            assertThat(result.exitCode()).as(selector + result.err()).isZero();
            assertThat(Files.readAllBytes(out)[0]).as(selector).isEqualTo((byte) 1);
        }
        Cli.Result mismatch = Cli.run("convert", "-l", "snapshot.id=1,snapshot.name=second", "-O", "raw",
                snapshots.toString(), dir.resolve("none.raw").toString());
        assertThat(mismatch.err()).contains("Can't find snapshot");
        assertThat(dir.resolve("none.raw")).doesNotExist();
        Cli.Result notQcow2 = Cli.run("convert", "-l", "x", "-O", "qcow2", dir.resolve("quiet.raw").toString(),
                dir.resolve("none.qcow2").toString());
        assertThat(notQcow2.exitCode()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"raw", "qcow2", "qcow2 -c", "vmdk subformat=monolithicFlat",
            "vmdk subformat=twoGbMaxExtentFlat", "vmdk", "vmdk subformat=streamOptimized"})
    void tinyDisksConvertToo(String target) throws IOException {
        Path empty = dir.resolve("empty.raw");
        Path oneByte = dir.resolve("one.raw");
        Files.write(empty, new byte[0]);
        Files.write(oneByte, new byte[] {42});
        String[] words = target.split(" ");
        for (Path tiny : List.of(empty, oneByte)) {
            Path out = Files.createTempDirectory(dir, "tiny").resolve("out.img");
            List<String> arguments = new ArrayList<>(List.of("convert", "-O", words[0]));
            if (words.length > 1) {
                arguments.add(words[1].equals("-c") ? "-c" : "-o");
                if (!words[1].equals("-c")) {
                    arguments.add(words[1]);
                }
            }
            arguments.addAll(List.of(tiny.toString(), out.toString()));
            Cli.Result result = Cli.run(arguments.toArray(String[]::new));
            boolean emptySparseVmdk = tiny.equals(empty) && words[0].equals("vmdk") && !target.contains("Flat");
            if (emptySparseVmdk) {
                // qemu-img cannot open an empty sparse extent (its own included): refused, nothing written.
                assertThat(result.err()).contains("an empty disk cannot be a sparse VMDK");
                assertThat(out.getParent().toFile().list()).isEmpty();
                continue;
            }
            assertThat(result.exitCode()).as(target + result.err()).isZero();
            if (!words[0].equals("raw")) {
                assertThat(Qemu.check(dir, out.toString()).exitCode()).as(target).isZero();
            }
            assertThat(Tools.exec(dir, "qemu-img", "compare", "-f", "raw", tiny.toString(), out.toString()).exitCode())
                    .as(target).isZero();
        }
    }

    @Test
    void aMissingSourceIsNamedAsTheFileAtFault() {
        ConversionRequest request = new ConversionRequest(new SourceSpec(dir.resolve("nope.qcow2")), TargetSpec.of("raw"),
                dir.resolve("nope.raw"), false);
        assertThatThrownBy(() -> Converter.run(request, ProgressListener.NONE))
                .isInstanceOfSatisfying(ConversionException.class, failure -> {
                    assertThat(failure.file()).isEqualTo(dir.resolve("nope.qcow2"));
                    assertThat(failure.getMessage()).isEqualTo("no such file");
                });
    }
}

package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.inspect.AllocationSummary;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.disklens.image.Units;

/**
 * One image's view models, driven step by step with the same-thread runner, on images qemu-img made; the
 * expected values are qemu-img's own answers about the same files.
 */
class ImageViewModelTest {
    @TempDir
    Path dir;

    private final SameThreadTaskRunner runner = new SameThreadTaskRunner();
    private ImageViewModel image;

    @BeforeEach
    void requireQemu() {
        Qemu.require();
    }

    @AfterEach
    void close() {
        if (image != null) {
            image.close();
        }
    }

    private ImageViewModel open(String file) {
        image = new ImageViewModel(dir.resolve(file), runner, new ImageOpener(OpenPolicy.DEFAULT));
        image.load();
        return image;
    }

    private void makeChain() {
        Qemu.create(dir, "base.qcow2", "qcow2", "", "4G");
        Qemu.io(dir, "base.qcow2", "qcow2", "write -P 1 0 1M", "write -P 2 3G 256k");
        Qemu.create(dir, "top.qcow2", "qcow2", "backing_file=base.qcow2,backing_fmt=qcow2", "4G");
        Qemu.io(dir, "top.qcow2", "qcow2", "write -P 3 512k 128k", "write -z 3G 64k", "write -c -P 4 2G 64k");
    }

    @Test
    void overviewSaysWhichVmUsesTheImageAndWarnsOfAWrongDriverType() throws java.io.IOException {
        makeChain();
        Path libvirt = java.nio.file.Files.createDirectories(dir.resolve("libvirt"));
        java.nio.file.Files.writeString(libvirt.resolve("web01.xml"), """
                <domain type='kvm'>
                  <name>web01</name>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(dir.resolve("top.qcow2")));
        System.setProperty("disklens.libvirt.dir", libvirt.toString());
        try {
            open("top.qcow2");
        } finally {
            System.clearProperty("disklens.libvirt.dir");
        }
        assertThat(image.overview().facts()).contains(new OverviewViewModel.Fact("Used by", "VM web01 (vda, virtio)"));
        assertThat(image.overview().flags()).contains(new OverviewViewModel.Flag("libvirt",
                "VM web01 declares raw but the file is qcow2", OverviewViewModel.Tone.DANGER));
    }

    @Test
    void overviewTellsTheThinProvisioningStoryWithQemuImgsNumbers() {
        makeChain();
        JsonNode info = Qemu.info(dir, "top.qcow2");
        open("top.qcow2");

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        long virtual = info.get("virtual-size").asLong();
        long actual = info.get("actual-size").asLong();
        long chain = actual + Qemu.info(dir, "base.qcow2").get("actual-size").asLong();
        assertThat(image.overview().headlineProperty().get()).isEqualTo("%s disk, %s on disk (%s with its backing chain), %s allocated"
                .formatted(Units.size(virtual), Units.size(actual), Units.size(chain), Units.percent(actual, virtual)))
                .startsWith("4 GiB disk, ");
        assertThat(image.overview().facts()).contains(
                new OverviewViewModel.Fact("Virtual size", "4 GiB (4,294,967,296 bytes)"),
                new OverviewViewModel.Fact("Cluster size", Units.size(info.get("cluster-size").asLong())),
                new OverviewViewModel.Fact("Backing file", "base.qcow2 (qcow2)"));
        assertThat(image.overview().subtitleProperty().get()).isEqualTo("qcow2 (compat 1.1) · 64 KiB clusters · backed by base.qcow2");
        assertThat(image.overview().flags()).contains(new OverviewViewModel.Flag("dirty", "no", OverviewViewModel.Tone.GOOD),
                new OverviewViewModel.Flag("compression", "zlib", OverviewViewModel.Tone.NEUTRAL));
    }

    @Test
    void guestViewAndChainShareAgreeWithQemuImgMap() {
        makeChain();
        long[] provided = new long[2];
        long unallocated = 0;
        for (JsonNode entry : Qemu.map(dir, "top.qcow2")) {
            if (entry.get("present").asBoolean()) {
                provided[entry.get("depth").asInt()] += entry.get("length").asLong();
            } else {
                unallocated += entry.get("length").asLong();
            }
        }
        open("top.qcow2");

        AllocationSummary whole = image.allocation().wholeDiskProperty().get();
        assertThat(whole.provided(0)).isEqualTo(provided[0]);
        assertThat(whole.totalUnallocated()).isEqualTo(unallocated);
        assertThat(image.backingChain().layers()).extracting(BackingChainViewModel.Layer::fileName)
                .containsExactly("top.qcow2", "base.qcow2");
        assertThat(image.backingChain().layers().get(1).provided()).isEqualTo(provided[1]);
        assertThat(image.backingChain().layers().get(1).providedText())
                .startsWith("provides %s of the guest view".formatted(Units.size(provided[1])));
        assertThat(image.overview().guestView()).contains(new OverviewViewModel.Fact("Data from base.qcow2",
                "%s (%s)".formatted(Units.size(whole.totalData(1)), Units.percent(whole.totalData(1), 4L << 30))));
        assertThat(image.backingChain().brokenProperty().get()).isNull();
    }

    @Test
    void hoverNamesTheRangeTheStatesAndTheHostOffsetsQemuImgReports() {
        makeChain();
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (JsonNode entry : Qemu.map(dir, "top.qcow2")) {
            long start = entry.get("start").asLong();
            if (start < (1 << 20)) {
                String layer = entry.get("depth").asInt() == 0 ? "this image (top.qcow2)" : "backing layer 1 (base.qcow2)";
                expected.add("%s – %s: data in %s, host offset %s".formatted(Units.hex(start),
                        Units.hex(Math.min(1 << 20, start + entry.get("length").asLong())), layer,
                        Units.hex(entry.get("offset").asLong())));
            }
        }
        assertThat(expected).hasSize(3);
        open("top.qcow2");

        // A 4 GiB disk in 4096 buckets: the cell at 512 KiB is the first MiB.
        image.allocation().hover(512 << 10, 640 << 10);

        assertThat(image.allocation().hoverTextProperty().get()).isEqualTo(
                "0 – 1 MiB (1 MiB): 896 KiB data in backing layer 1 (base.qcow2), 128 KiB data in this image (top.qcow2)");
        assertThat(image.allocation().hoverDetailProperty().get()).isEqualTo(String.join("\n", expected));

        image.allocation().hover(2L << 30, (2L << 30) + (1 << 20));
        assertThat(image.allocation().hoverTextProperty().get())
                .isEqualTo("2 – 2.001 GiB (1 MiB): 960 KiB unallocated, 64 KiB compressed");
        assertThat(image.allocation().hoverDetailProperty().get()).isEqualTo(
                "0x80000000 – 0x80010000: compressed in this image (top.qcow2)\n"
                        + "0x80010000 – 0x80100000: unallocated (reads as zeroes)");
        image.allocation().clearHover();
        assertThat(image.allocation().hoverTextProperty().get()).isEmpty();
    }

    @Test
    void zoomingRecomputesForTheVisibleRangeAndKeepsTheWholeDisk() {
        makeChain();
        open("top.qcow2");
        AllocationSummary whole = image.allocation().wholeDiskProperty().get();

        image.allocation().zoomTo(3L << 30, (3L << 30) + (8L << 20));

        AllocationSummary visible = image.allocation().visibleProperty().get();
        assertThat(visible.start()).isEqualTo(3L << 30);
        assertThat(visible.end()).isEqualTo((3L << 30) + (8L << 20));
        assertThat(visible.totalZero()).isEqualTo(64 << 10);
        assertThat(visible.totalData(1)).isEqualTo(192 << 10);
        assertThat(image.allocation().zoomedProperty().get()).isTrue();
        assertThat(image.allocation().rangeTextProperty().get()).isEqualTo("3 – 3.008 GiB of 4 GiB · each cell 2 KiB");
        assertThat(image.allocation().wholeDiskProperty().get()).isSameAs(whole);

        image.allocation().zoomOut();
        assertThat(image.allocation().visibleProperty().get().end() - image.allocation().visibleProperty().get().start())
                .isEqualTo(32L << 20);
        image.allocation().showWholeDisk();
        assertThat(image.allocation().zoomedProperty().get()).isFalse();
        assertThat(image.allocation().visibleProperty().get().end()).isEqualTo(4L << 30);
    }

    @Test
    void theMapsSubtitleSaysTheSizeOfTheCellsItDraws() {
        makeChain();
        open("top.qcow2");

        // 4096 buckets of 1 MiB in 900 cells: each cell holds 4 or 5 of them.
        image.allocation().cellsShown(900);
        assertThat(image.allocation().rangeTextProperty().get()).isEqualTo("Whole disk, 4 GiB · each cell 4–5 MiB");
        image.allocation().cellsShown(1024);
        assertThat(image.allocation().rangeTextProperty().get()).isEqualTo("Whole disk, 4 GiB · each cell 4 MiB");
        assertThat(Formats.offset(1023L << 20, 4L << 30)).isEqualTo("1 GiB");
        assertThat(Formats.offset(1000L << 20, 4L << 30)).isEqualTo("0.98 GiB");
    }

    @Test
    void hostLayoutExplainsWhyTheFileIsBiggerThanItsData() {
        makeChain();
        open("top.qcow2");

        var layout = image.hostLayout().layoutProperty().get();
        assertThat(layout.fileSize()).isEqualTo(fileSize("top.qcow2"));
        assertThat(layout.total(HostRegion.DATA)).isEqualTo(128 << 10);
        assertThat(image.hostLayout().explanationProperty().get())
                .startsWith("The file is %s: %s of guest data".formatted(Units.size(layout.fileSize()),
                        Units.size(layout.total(HostRegion.DATA) + layout.total(HostRegion.Role.COMPRESSED))));

        image.hostLayout().showLayer(1);
        assertThat(image.hostLayout().layoutProperty().get().fileSize()).isEqualTo(fileSize("base.qcow2"));
        assertThat(image.hostLayout().layoutProperty().get().total(HostRegion.DATA)).isEqualTo((1L << 20) + (256 << 10));
    }

    @Test
    void aMissingBackingFileIsShownWithTheReasonAndWhereItWasLookedFor() throws IOException {
        makeChain();
        Files.delete(dir.resolve("base.qcow2"));
        open("top.qcow2");

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        OpenedImage.Broken broken = image.backingChain().brokenProperty().get();
        assertThat(broken.reference()).isEqualTo("base.qcow2");
        assertThat(broken.lookedFor()).contains(dir.toRealPath().resolve("base.qcow2"));
        assertThat(broken.reason()).contains("not found");
        assertThat(image.backingChain().brokenTextProperty().get()).startsWith("The chain stops at 'base.qcow2': ")
                .contains("Looked for: " + dir.toRealPath().resolve("base.qcow2"));
        assertThat(image.overview().subtitleProperty().get()).endsWith("backing file missing");
    }

    @Test
    void aBackingFileOutsideTheImagesFolderIsRefusedAndSaysWhy() throws IOException {
        Path inner = Files.createDirectory(dir.resolve("inner"));
        Qemu.create(dir, "outside.qcow2", "qcow2", "", "1G");
        Qemu.create(inner, "top.qcow2", "qcow2", "backing_file=../outside.qcow2,backing_fmt=qcow2", "1G");
        open("inner/top.qcow2");

        assertThat(image.backingChain().brokenProperty().get().reason()).contains("outside the image's folder");
        assertThat(image.backingChain().layers()).hasSize(1);
    }

    @Test
    void anImageThatCannotBeOpenedSaysWhyInWords() throws IOException {
        open("missing.qcow2");
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.FAILED);
        assertThat(image.problemProperty().get()).isEqualTo("The file does not exist: " + dir.resolve("missing.qcow2"));

        Qemu.create(dir, "broken.qcow2", "qcow2", "", "1G");
        poke(dir.resolve("broken.qcow2"), 20, new byte[] {0, 0, 0, 40}); // cluster_bits = 40
        open("broken.qcow2");
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.FAILED);
        assertThat(image.problemProperty().get()).isEqualTo(
                Cli.run("info", dir.resolve("broken.qcow2").toString()).err().trim()
                        .replaceFirst("^disklens: [^:]+: ", ""));
        assertThat(image.problemProperty().get()).startsWith("qcow2: header at 0x14: ");
    }

    @Test
    void reloadingShowsWhatChangedOnDisk() {
        Qemu.create(dir, "grows.qcow2", "qcow2", "", "1G");
        open("grows.qcow2");
        assertThat(image.allocation().wholeDiskProperty().get().totalData(0)).isZero();

        Qemu.io(dir, "grows.qcow2", "qcow2", "write -P 9 0 192k");
        image.reload();

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(image.allocation().wholeDiskProperty().get().totalData(0)).isEqualTo(192 << 10);
    }

    @Test
    void checkReportsInWordsWhatQemuImgCheckFinds() throws IOException {
        Qemu.create(dir, "clean.qcow2", "qcow2", "", "1G");
        Qemu.io(dir, "clean.qcow2", "qcow2", "write -P 1 0 64k");
        open("clean.qcow2").check().run();
        assertThat(image.check().outcomeProperty().get()).isEqualTo(CheckViewModel.Outcome.CLEAN);
        assertThat(image.check().summaryProperty().get()).isEqualTo("No errors were found on the image.");

        Files.copy(dir.resolve("clean.qcow2"), dir.resolve("leaky.qcow2"));
        leakOneCluster(dir.resolve("leaky.qcow2"));
        assertThat(Qemu.check(dir, "leaky.qcow2").exitCode()).isEqualTo(3);
        open("leaky.qcow2").check().run();
        assertThat(image.check().outcomeProperty().get()).isEqualTo(CheckViewModel.Outcome.LEAKS);
        assertThat(image.check().summaryProperty().get()).startsWith("1 leaked cluster: space is wasted");
        assertThat(image.check().messages()).anyMatch(message -> message.startsWith("Leaked cluster"));

        Qemu.create(dir, "plain.raw", "raw", "", "1M");
        open("plain.raw").check().run();
        assertThat(image.check().outcomeProperty().get()).isEqualTo(CheckViewModel.Outcome.NO_CHECK);
        assertThat(image.check().summaryProperty().get()).isEqualTo("The raw format has no metadata to check.");
        // Raw has no header, so no dirty flag to show (qemu-img info shows one for qcow2 and vmdk only).
        assertThat(image.overview().flags()).extracting(OverviewViewModel.Flag::name).doesNotContain("dirty");
    }

    @Test
    void snapshotsBitmapsAndHeaderFieldsComeFromTheImage() {
        Qemu.create(dir, "snap.qcow2", "qcow2", "", "1G");
        Qemu.img(dir, "snapshot", "-c", "first", "snap.qcow2");
        Qemu.img(dir, "bitmap", "--add", "-g", "65536", "snap.qcow2", "daily");
        open("snap.qcow2");

        assertThat(image.snapshots()).extracting(s -> s.name()).containsExactly("first");
        assertThat(image.bitmaps()).containsExactly(new OpenedImage.Bitmap("daily", 65536, "auto"));
        assertThat(image.header()).contains(
                new HeaderField("Header (qcow2)", "nb_snapshots", "1", "internal snapshots"),
                new HeaderField("Header (qcow2)", "cluster_bits", "16 (64 KiB clusters)",
                        "allocation unit: 1 << cluster_bits bytes"));
        assertThat(image.header()).anyMatch(field -> field.name().equals("compression-type") && field.value().equals("zlib"));
    }

    @Test
    void closingReleasesTheImageAndIgnoresLateResults() {
        var holding = SameThreadTaskRunner.holdingBack();
        Qemu.create(dir, "slow.qcow2", "qcow2", "", "1G");
        ImageViewModel slow = new ImageViewModel(dir.resolve("slow.qcow2"), holding, new ImageOpener(OpenPolicy.DEFAULT));
        slow.load();
        assertThat(slow.status()).isEqualTo(ImageViewModel.Status.LOADING);

        slow.close();
        holding.runPending();

        assertThat(slow.status()).isEqualTo(ImageViewModel.Status.CLOSED);
        assertThat(slow.openedProperty().get()).isNull();
    }

    @Test
    void aSparseRawShowsItsDataWhereItIsAndItsHolesAsNotStored() throws IOException {
        try (FileChannel file = FileChannel.open(dir.resolve("sparse.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), (2L << 40) - 1);
        }
        Qemu.io(dir, "sparse.raw", "raw", "write -P 7 1T 4k");
        long data = 0;
        for (JsonNode entry : Qemu.map(dir, "sparse.raw")) {
            data += entry.get("data").asBoolean() ? entry.get("length").asLong() : 0;
        }
        open("sparse.raw");

        AllocationSummary whole = image.allocation().wholeDiskProperty().get();
        assertThat(whole.totalZero()).isZero();
        assertThat(image.overview().guestView()).containsExactly(
                new OverviewViewModel.Fact("Data in this image", "%s (%s)".formatted(Units.size(data),
                        Units.percent(data, 2L << 40))),
                new OverviewViewModel.Fact("Not stored (holes in the file)", "%s (%s)".formatted(
                        Units.size((2L << 40) - data), Units.percent((2L << 40) - data, 2L << 40))));
        image.allocation().hover(1L << 40, (1L << 40) + 4096);
        assertThat(image.allocation().hoverTextProperty().get()).contains(Units.size(whole.data(whole.bucketAt(1L << 40), 0))
                + " data in this image (sparse.raw)").contains("not stored").doesNotContain("zero");
        assertThat(image.allocation().hoverDetailProperty().get()).startsWith("0x10000000000 – ")
                .contains(": data in this image (sparse.raw)");
        image.allocation().hover(0, 4096);
        assertThat(image.allocation().hoverDetailProperty().get())
                .startsWith("0x0 – ").contains(": not stored: a hole in the file of this image (sparse.raw)");
    }

    @Test
    void aDamagedImageSaysSoAtTheTopOfTheOverviewAndTheMapMarksWhere() throws IOException {
        Qemu.create(dir, "cut.qcow2", "qcow2", "", "4G");
        Qemu.io(dir, "cut.qcow2", "qcow2", "write -P 1 0 64k", "write -P 2 3G 64k");
        long secondTable = -1;
        for (JsonNode entry : Qemu.map(dir, "cut.qcow2")) {
            if (entry.get("start").asLong() == 3L << 30) {
                secondTable = entry.get("offset").asLong() - 65536;
            }
        }
        try (FileChannel file = FileChannel.open(dir.resolve("cut.qcow2"), StandardOpenOption.WRITE)) {
            file.truncate(secondTable); // as a copy cut short leaves it
        }
        open("cut.qcow2");

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(image.overview().warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.title()).isEqualTo("Part of this image cannot be read");
            // The lost L2 table mapped 512 MiB (8,192 entries of 64 KiB clusters).
            assertThat(warning.text()).startsWith("The image's record of where 512 MiB of the guest disk is stored cannot "
                    + "be read (at 3 – 3.5 GiB) (the file looks cut short: its tables point past its end). The header and "
                    + "the other 3.5 GiB of the disk were read and can be trusted; the unreadable part is marked on the "
                    + "Allocation map. Run Check for details.\nReason: qcow2: ");
        });
        AllocationSummary whole = image.allocation().wholeDiskProperty().get();
        assertThat(whole.unreadable(whole.bucketAt(3L << 30))).isEqualTo(whole.bucketSize());
        assertThat(whole.totalData(0)).isEqualTo(64 << 10);
        assertThat(image.overview().guestView()).contains(new OverviewViewModel.Fact("Unreadable (damaged)",
                "512 MiB (%s)".formatted(Units.percent(512, 4096))));
    }

    @Test
    void aFileThatIsNoImageItsNameClaimsSaysWhatItIs() throws IOException {
        byte[] png = new byte[280];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        Files.write(dir.resolve("holiday.qcow2"), png);
        open("holiday.qcow2");

        assertThat(image.overview().warnings()).containsExactly(new OverviewViewModel.Warning("Not a qcow2 image",
                "The file starts with PNG data; shown as raw bytes. DiskLens reads a file by its content, never by its name."));
        assertThat(image.overview().headlineProperty().get()).startsWith("280 B disk, ").endsWith(", fully allocated");
    }

    @Test
    void aBackingLayerOfAVmDiskDeclaredRawIsFlaggedAsUnused() throws IOException {
        makeChain();
        Path libvirt = Files.createDirectories(dir.resolve("libvirt"));
        Files.writeString(libvirt.resolve("db01.xml"), """
                <domain type='kvm'>
                  <name>db01</name>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(dir.resolve("top.qcow2")));
        System.setProperty("disklens.libvirt.dir", libvirt.toString());
        try {
            open("base.qcow2");
        } finally {
            System.clearProperty("disklens.libvirt.dir");
        }
        assertThat(image.overview().facts()).contains(new OverviewViewModel.Fact("Used by",
                "VM db01 (vda, virtio), as backing layer 1"));
        assertThat(image.overview().flags()).contains(new OverviewViewModel.Flag("libvirt", "VM db01 declares its disk "
                + "(vda, virtio) raw, so qemu never opens the backing chain: this file (backing layer 1) is not used",
                OverviewViewModel.Tone.DANGER));
    }

    @Test
    void aVmdkShowsItsSparseHeaderItsDescriptorAndItsGrainTables() throws IOException {
        Qemu.create(dir, "disk.vmdk", "vmdk", "", "1G");
        Qemu.io(dir, "disk.vmdk", "vmdk", "write -P 1 0 128k", "write -P 2 700M 64k");
        JsonNode info = Qemu.info(dir, "disk.vmdk");
        JsonNode extent = info.get("format-specific").get("data").get("extents").get(0);
        long data = 0;
        for (JsonNode entry : Qemu.map(dir, "disk.vmdk")) {
            data += entry.get("data").asBoolean() ? entry.get("length").asLong() : 0;
        }
        open("disk.vmdk");

        assertThat(image.header()).contains(
                new HeaderField("Sparse extent header (vmdk)", "grainSize", "128 sectors (%s)".formatted(
                        Units.size(extent.get("cluster-size").asLong())), "allocation unit"),
                new HeaderField("Descriptor (vmdk)", "CID", Long.toHexString(info.get("format-specific").get("data")
                        .get("cid").asLong()), ""),
                new HeaderField("Descriptor (vmdk)", "createType", "monolithicSparse", ""));
        var layout = image.hostLayout().layoutProperty().get();
        long tables = layout.regions().stream().filter(region -> region.label().equals("Grain tables"))
                .mapToLong(layout::total).sum();
        // 1 GiB of 64 KiB grains, 512 per table: 32 tables of 2 KiB, all made by qemu-img when it created the file,
        // and as many again for the redundant grain directory qemu-img writes.
        assertThat(image.header()).anyMatch(field -> field.name().equals("flags") && field.value().contains("redundant"));
        assertThat(tables).isEqualTo(2 * 32 * 2048);
        assertThat(layout.total(HostRegion.DATA)).isEqualTo(data).isEqualTo(192 << 10);
        image.check().run();
        assertThat(image.check().descriptionProperty().get()).contains("grain directories and grain tables")
                .doesNotContain("refcount");
    }

    private long fileSize(String file) {
        try {
            return Files.size(dir.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void poke(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }

    /** Grows the file by a cluster whose refcount is 1 but that nothing references (qemu-img: a leak). */
    private static void leakOneCluster(Path image) throws IOException {
        int cluster = 65536;
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long index = (file.size() + cluster - 1) / cluster;
            file.write(ByteBuffer.allocate(1), (index + 1) * cluster - 1);
            ByteBuffer word = ByteBuffer.allocate(8);
            file.read(word, 48);
            long table = word.flip().getLong();
            word.clear();
            file.read(word, table);
            long block = word.flip().getLong() & ~0x1ffL;
            file.write(ByteBuffer.wrap(new byte[] {0, 1}), block + index * 2);
        }
    }
}

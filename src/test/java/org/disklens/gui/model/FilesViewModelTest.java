package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.disklens.content.FileEntry;
import org.disklens.content.Volume;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.Units;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Files section's model on a qcow2 of a GPT disk with an EFI partition (FAT) and an ext4 root, driven with the
 * same-thread runner: every listable volume to choose from, as the command line lists them; where a file lives,
 * marked on the map inside its partition; text previews, filtering and finding, compared with the source files.
 */
class FilesViewModelTest {
    private static final long ROOT_START = 9L << 20;

    @TempDir
    static Path dir;

    private final SameThreadTaskRunner runner = new SameThreadTaskRunner();
    private ImageViewModel image;

    @BeforeAll
    static void makeDisk() throws IOException {
        Qemu.require();
        Tools.require("sgdisk", "mkfs.vfat", "mkfs.ext4");
        Files.writeString(Files.createDirectories(dir.resolve("root/etc/ssh")).resolve("sshd_config"), "Port 22\n");
        Files.writeString(dir.resolve("root/etc/hostname"), "web01\n");
        Files.write(dir.resolve("root/etc/blob"), new byte[] {1, 0, 2, 0});
        Tools.run(dir, "mkfs.vfat", "-n", "EFI", "-C", "esp.img", "8192");
        Tools.run(dir, "mkfs.ext4", "-q", "-L", "root", "-d", "root", "root.img", "8M");
        Tools.run(dir, "truncate", "-s", "18M", "disk.raw");
        Tools.run(dir, "sgdisk", "-n", "1:2048:+8M", "-t", "1:EF00", "-n", "2:" + (ROOT_START >> 9) + ":+8M", "disk.raw");
        Tools.run(dir, "dd", "if=esp.img", "of=disk.raw", "bs=1M", "seek=1", "conv=notrunc", "status=none");
        Tools.run(dir, "dd", "if=root.img", "of=disk.raw", "bs=1M", "seek=9", "conv=notrunc", "status=none");
        Qemu.img(dir, "convert", "-O", "qcow2", "disk.raw", "disk.qcow2");
    }

    @AfterEach
    void close() {
        if (image != null) {
            image.close();
        }
    }

    private FilesViewModel files() {
        image = new ImageViewModel(dir.resolve("disk.qcow2"), runner, new ImageOpener(OpenPolicy.DEFAULT));
        image.load();
        return image.files();
    }

    @Test
    void everyListableVolumeIsOfferedAsTheCommandLineNamesThem() {
        FilesViewModel files = files();
        assertThat(files.volumes()).extracting(Volume::id).containsExactly("1", "2");
        assertThat(files.volumes()).extracting(FilesViewModel::describe)
                .containsExactly("Partition 1 · vfat \"EFI\" · 8 MiB", "Partition 2 · ext4 \"root\" · 8 MiB, "
                        + Units.percent(Cli.run("info", "--json", dir.resolve("disk.qcow2").toString()).json()
                        .get("partitions").get(1).get("filesystem").get("used").asLong(), 8 << 20) + " used");
        assertThat(files.volumeProperty().get().id()).isEqualTo("1");
        files.select(files.volumes().get(1));
        assertThat(names(files, files.rootProperty().get())).contains("etc", "lost+found");
    }

    @Test
    void aSelectedFileIsFollowedToTheDiskAndMarkedOnTheMapInsideItsPartition() {
        FilesViewModel files = files();
        files.select(files.volumes().get(1));
        FileEntry hostname = child(files, child(files, files.rootProperty().get(), "etc"), "hostname");
        files.selected(hostname);

        assertThat(files.locationTextProperty().get()).isEqualTo("6 B in 1 run: 6 B in this image.");
        assertThat(image.allocation().highlighted()).singleElement().satisfies(run ->
                assertThat(run.start()).isBetween(ROOT_START, ROOT_START + (8L << 20)));
        assertThat(files.previewProperty().get()).isEqualTo("web01\n");
        files.selected(child(files, child(files, files.rootProperty().get(), "etc"), "blob"));
        assertThat(files.previewProperty().get()).as("binary files are not previewed").isEmpty();
    }

    @Test
    void foldersComeFirstAndNumbersSortAsNumbers() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("sorting"));
        for (String name : new String[] {"file_10", "file_2", "File_1.txt", "b9", "b10"}) {
            Files.writeString(tree.resolve(name), name);
        }
        Files.createDirectories(tree.resolve("zeta"));
        Files.createDirectories(tree.resolve("alpha 2"));
        Files.createDirectories(tree.resolve("alpha 10"));
        Tools.run(dir, "mkfs.ext4", "-q", "-d", "sorting", "sorting.raw", "4M");
        image = new ImageViewModel(dir.resolve("sorting.raw"), runner, new ImageOpener(OpenPolicy.DEFAULT));
        image.load();

        assertThat(names(image.files(), image.files().rootProperty().get())).containsExactly("alpha 2", "alpha 10",
                "lost+found", "zeta", "b9", "b10", "File_1.txt", "file_2", "file_10");
    }

    @Test
    void findingAndFilteringGoByName() {
        FilesViewModel files = files();
        files.select(files.volumes().get(1));
        files.find("SSHD");
        assertThat(files.found()).extracting(FileEntry::path).containsExactly("/etc/ssh/sshd_config");
        FileEntry etc = child(files, files.rootProperty().get(), "etc");
        files.filterProperty().set("host");
        List<FileEntry> shown = listing(files, etc).stream().filter(files::passesFilter).toList();
        assertThat(shown).extracting(FileEntry::name).containsExactlyInAnyOrder("hostname", "ssh");
    }

    private static List<FileEntry> listing(FilesViewModel files, FileEntry directory) {
        AtomicReference<List<FileEntry>> entries = new AtomicReference<>();
        files.list(directory, entries::set);
        return entries.get();
    }

    private static List<String> names(FilesViewModel files, FileEntry directory) {
        return listing(files, directory).stream().map(FileEntry::name).toList();
    }

    private static FileEntry child(FilesViewModel files, FileEntry directory, String name) {
        return listing(files, directory).stream().filter(entry -> entry.name().equals(name)).findFirst().orElseThrow();
    }
}

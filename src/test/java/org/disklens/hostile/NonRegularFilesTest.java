package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FIFOs, devices and directories where DiskLens expects a file: a domain folder's {@code *.xml}, an image named on
 * the command line, a backing file, an extent, a data file. Only regular files are read; anything else is named for
 * what it is, at once (opening a FIFO for reading blocks until a writer comes, for ever).
 */
class NonRegularFilesTest {
    private static final Path LIBVIRT = Path.of(System.getProperty("disklens.project.dir", "."), "src/test/resources/libvirt");

    @TempDir
    Path dir;
    private final List<Path> fifos = new ArrayList<>();

    @BeforeEach
    void requireTools() {
        Qemu.require();
        Tools.require("mkfifo");
    }

    /** Before the fix a read could hang on a FIFO: opening it read-write lets any such reader go. */
    @AfterEach
    void releaseBlockedReaders() {
        for (Path fifo : fifos) {
            Tools.exec(dir, "sh", "-c", ": <> '" + fifo + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "link-to-a-fifo", "link-to-dev-zero", "directory"})
    void aDomainFolderEntryThatIsNoFileIsReportedAndTheOthersListed(String kind) throws IOException {
        Path definitions = Files.createDirectories(dir.resolve("qemu"));
        Files.writeString(definitions.resolve("web01.xml"), Files.readString(LIBVIRT.resolve("web01.xml"))
                .replace("IMAGES", dir.toString()));
        Path odd = definitions.resolve("evil.xml");
        String what = switch (kind) {
            case "fifo" -> {
                fifo(odd);
                yield "a FIFO";
            }
            case "link-to-a-fifo" -> {
                Files.createSymbolicLink(odd, fifo(dir.resolve("elsewhere")));
                yield "a FIFO";
            }
            case "link-to-dev-zero" -> {
                Files.createSymbolicLink(odd, Path.of("/dev/zero"));
                yield "a character device";
            }
            default -> {
                Files.createDirectory(odd);
                yield "a directory";
            }
        };
        for (String[] args : new String[][] {{"vms", "--dir", definitions.toString()},
                {"vms", "--json", "--dir", definitions.toString()},
                {"vms", "--uses", dir.resolve("web01.qcow2").toString(), "--dir", definitions.toString()}}) {
            Cli.Result result = Hostile.runSafely(definitions.resolve("web01.xml"), args);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("disklens: " + odd + ": not a regular file (" + what + ")");
        }
        Cli.Result listed = Hostile.runSafely(definitions.resolve("web01.xml"), "vms", "--dir", definitions.toString());
        assertThat(listed.out()).contains("web01");
    }

    @Test
    void anImageNamedOnTheCommandLineMustBeARegularFile() throws IOException {
        Path good = Qemu.create(dir, "good.qcow2", "qcow2", "", "1M");
        Path fifo = fifo(dir.resolve("fifo.qcow2"));
        for (String[] args : new String[][] {{"info", fifo.toString()}, {"map", fifo.toString()},
                {"convert", "-O", "raw", fifo.toString(), dir.resolve("out.raw").toString()}}) {
            Hostile.assertRefused(good, "not a regular file (a FIFO)", args);
        }
        Hostile.assertRefused(good, "not a regular file (a FIFO)", "compare", good.toString(), fifo.toString());
        Hostile.assertRefused(good, "not a regular file (a directory)", "info", dir.toString());
        Hostile.assertRefused(good, "not a regular file (a character device)", "info", "/dev/zero");
    }

    @Test
    void referencesThatAreNoFilesAreRefused() throws IOException {
        fifo(dir.resolve("base.fifo"));
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-u", "-b", "base.fifo", "-F", "raw", "over-fifo.qcow2", "1M");
        Path overFifo = dir.resolve("over-fifo.qcow2");
        Hostile.assertRefused(overFifo, "backing file 'base.fifo' is not a regular file", "map", overFifo.toString());

        Path descriptor = Files.writeString(dir.resolve("fifo-extent.vmdk"), "# Disk DescriptorFile\nversion=1\n"
                + "createType=\"monolithicFlat\"\nRW 2048 FLAT \"base.fifo\" 0\n");
        Hostile.assertRefused(descriptor, "extent 'base.fifo' is not a regular file", "info", descriptor.toString());

        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "data_file=data.raw", "with-data.qcow2", "1M");
        Qemu.io(dir, "with-data.qcow2", "qcow2", "write -P 7 0 64k");
        Files.delete(dir.resolve("data.raw"));
        Files.createSymbolicLink(dir.resolve("data.raw"), dir.resolve("base.fifo"));
        Path withData = dir.resolve("with-data.qcow2");
        Hostile.assertRefused(withData, "data file 'data.raw' is not a regular file", "convert", "-O", "raw",
                withData.toString(), dir.resolve("never.raw").toString());
    }

    private Path fifo(Path path) {
        Tools.run(dir, "mkfifo", path.toString());
        fifos.add(path);
        return path;
    }
}

package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OVAs whose disks are gzip-compressed ({@code ovf:compression="gzip"}), packed by GNU tar around disks that qemu-img
 * made (streamOptimized, grain tables at the front) or DiskLens made (VMware's layout, each grain table after its
 * grains), compressed by {@code gzip -c}: a conversion reads them (streamed, held to qemu-img's conversion of the disk
 * itself); every other command refuses in one line that names the conversion; damaged and hostile streams stop before
 * anything is written.
 */
class GzipOvaTest {
    @TempDir
    static Path dir;
    /** disk1.vmdk.gz, 8 MiB. */
    static Path one;
    /** disk1.vmdk.gz and disk2.vmdk.gz (4 MiB). */
    static Path two;

    @BeforeAll
    static void pack() {
        Qemu.require();
        Tools.require("tar", "gzip", "head");
        OvaFixtures.streamVmdk(dir, "disk1.vmdk", "8M", "write -P 0x11 0 64k", "write -P 0x22 4M 1M",
                "write -P 0x33 7M 64k");
        OvaFixtures.streamVmdk(dir, "disk2.vmdk", "4M", "write -P 0x44 0 64k", "write -P 0x55 3M 512k");
        Qemu.img(dir, "convert", "-O", "raw", "disk1.vmdk", "disk1.raw");
        Qemu.img(dir, "convert", "-O", "raw", "disk2.vmdk", "disk2.raw");
        gzip("disk1.vmdk");
        gzip("disk2.vmdk");
        one = pack("one", ovf(gzipped("disk1.vmdk.gz", 8L << 20)), "disk1.vmdk.gz");
        two = pack("two", ovf(gzipped("disk1.vmdk.gz", 8L << 20), gzipped("disk2.vmdk.gz", 4L << 20)),
                "disk1.vmdk.gz", "disk2.vmdk.gz");
    }

    private static void gzip(String file) {
        Tools.run(dir, "sh", "-c", "gzip -c '%s' > '%s.gz'".formatted(file, file));
    }

    private static OvaFixtures.Disk gzipped(String href, long capacity) {
        return OvaFixtures.Disk.of(href, capacity).compressed("gzip");
    }

    private static OvaFixtures.Ovf ovf(OvaFixtures.Disk... disks) {
        OvaFixtures.Ovf ovf = new OvaFixtures.Ovf();
        for (OvaFixtures.Disk disk : disks) {
            ovf.disk(disk);
        }
        return ovf;
    }

    /** {@code NAME.ova}: {@code NAME.ovf} (sizes filled in) and {@code members} from {@code dir}, ustar. */
    private static Path pack(String name, OvaFixtures.Ovf ovf, String... members) {
        ovf.sized(dir).write(dir.resolve(name + ".ovf"));
        String[] files = new String[members.length + 1];
        files[0] = name + ".ovf";
        System.arraycopy(members, 0, files, 1, members.length);
        return OvaFixtures.tar(dir, name + ".ova", "ustar", files);
    }

    /** Converts with DiskLens and holds the result to the raw disk qemu-img converted; returns the restarts. */
    private static long convertsToTheDisk(Path ova, String format, Path expectedRaw, String... options) throws IOException {
        Path out = dir.resolve(ova.getFileName() + "-" + expectedRaw.getFileName() + "." + format);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("convert"));
        command.addAll(java.util.List.of(options));
        command.addAll(java.util.List.of("-O", format, ova.toString(), out.toString()));
        long before = InflatedMember.allRestarts();
        Cli.Result result = Hostile.runSafely(ova, command.toArray(String[]::new));
        long restarts = InflatedMember.allRestarts() - before;
        assertThat(result.exitCode()).as(result.err()).isZero();
        Tools.Result same = Tools.exec(dir, "qemu-img", "compare", "-f", format, "-F", "raw", out.toString(),
                expectedRaw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        Files.delete(out);
        return restarts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "qcow2", "vmdk"})
    void aConversionReadsTheGzipDiskAsQemuImgReadsTheDisk(String format) throws IOException {
        assertThat(convertsToTheDisk(one, format, dir.resolve("disk1.raw")))
                .as("8 MiB fit in the cache: never back to the start").isZero();
    }

    @Test
    void theSecondDiskConvertsWithDisk2() throws IOException {
        assertThat(convertsToTheDisk(two, "raw", dir.resolve("disk2.raw"), "--disk", "2")).isZero();
        assertThat(convertsToTheDisk(two, "qcow2", dir.resolve("disk1.raw"))).isZero();
    }

    @Test
    void aLooseOvfsGzipDiskBesideItConvertsToo() throws IOException {
        Path loose = OvaFixtures.extract(two).resolve("two.ovf");
        assertThat(convertsToTheDisk(loose, "raw", dir.resolve("disk2.raw"), "--disk", "2")).isZero();
        Hostile.assertRefused(loose, "ovf: disk 1 of two.ovf (disk1.vmdk.gz) is gzip-compressed (ovf:compression): it can "
                + "be read only from start to end, as a conversion does: disklens convert -O qcow2 two.ovf disk1.qcow2",
                "info", loose.toString());
    }

    @Test
    void measureReadsItToo() {
        Cli.Result gzipped = Cli.run("measure", "--json", "-O", "qcow2", one.toString());
        assertThat(gzipped.exitCode()).as(gzipped.err()).isZero();
        Cli.Result plain = Cli.run("measure", "--json", "-O", "qcow2", dir.resolve("disk1.vmdk").toString());
        assertThat(gzipped.json()).isEqualTo(plain.json());
    }

    /**
     * 80 MiB of incompressible data in a 96 MiB disk: more than the 48 MiB kept. qemu-img's layout has its grain
     * tables at the front, all in the first 1 MiB chunk, which each table read keeps recent (tables are at most 32 MiB
     * of grains apart): no restart. (Past 16 GiB a disk's tables fill more chunks; the next one is then read by a
     * second inflater, which goes on forward through the tables: one restart. {@code InflatedMemberTest} scripts that.)
     * DiskLens's own streamOptimized writer puts each table after its 32 MiB of grains (VMware's layout): reading the
     * table inflates past those grains, which the cache holds while they are read: no restart either.
     */
    @Test
    void aDiskLargerThanTheCacheIsReadWithoutRestarts() throws IOException {
        Path raw = dir.resolve("big.raw");
        Random random = new Random(18);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(raw)) {
            for (int i = 0; i < 96; i++) {
                if (i < 80) {
                    random.nextBytes(block);
                } else {
                    java.util.Arrays.fill(block, (byte) 0);
                }
                out.write(block);
            }
        }
        Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "big.raw", "big-qemu.vmdk");
        Cli.Result written = Cli.run("convert", "-O", "vmdk", "-o", "subformat=streamOptimized", raw.toString(),
                dir.resolve("big-vmware.vmdk").toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        gzip("big-qemu.vmdk");
        gzip("big-vmware.vmdk");
        Files.delete(dir.resolve("big-qemu.vmdk"));
        Files.delete(dir.resolve("big-vmware.vmdk"));
        Path qemu = pack("big-qemu", ovf(gzipped("big-qemu.vmdk.gz", 96L << 20)), "big-qemu.vmdk.gz");
        Path vmware = pack("big-vmware", ovf(gzipped("big-vmware.vmdk.gz", 96L << 20)), "big-vmware.vmdk.gz");
        assertThat(convertsToTheDisk(qemu, "raw", raw)).isZero();
        assertThat(convertsToTheDisk(vmware, "qcow2", raw)).isZero();
        // With -p a second planner counts the allocated bytes beside the conversion, reading every table at once:
        // in VMware's layout that inflates to the end, and the workers' reads then need the second inflater.
        assertThat(convertsToTheDisk(vmware, "raw", raw, "-p")).isLessThanOrEqualTo(1);
    }

    @Test
    void everyOtherCommandRefusesNamingTheConversion() {
        String said = "ova: disk 1 of one.ova (disk1.vmdk.gz) is gzip-compressed (ovf:compression): it can be read only "
                + "from start to end, as a conversion does: disklens convert -O qcow2 one.ova disk1.qcow2";
        for (String verb : new String[] {"info", "map", "check"}) {
            Hostile.assertRefused(one, said, verb, one.toString());
        }
        Hostile.assertRefused(one, said, "ls", one.toString(), "/");
        Hostile.assertRefused(one, said, "compare", one.toString(), dir.resolve("disk1.raw").toString());
        Hostile.assertRefused(two, "ova: disk 2 of two.ova (disk2.vmdk.gz) is gzip-compressed (ovf:compression): it can "
                + "be read only from start to end, as a conversion does: disklens convert --disk 2 -O qcow2 two.ova disk2.qcow2",
                "map", "--disk", "2", two.toString());
    }

    // ---- hostile streams: one line, exit 1, no target left, the OVA untouched ----

    private static void conversionRefused(Path ova, String expected) {
        Path target = dir.resolve(ova.getFileName() + ".converted.raw");
        Hostile.assertRefused(ova, expected, "convert", "-O", "raw", ova.toString(), target.toString());
        assertThat(target).doesNotExist();
        Hostile.assertRefused(ova, expected, "measure", "-O", "qcow2", ova.toString());
        Hostile.convertSafely(ova);
    }

    @Test
    void aTruncatedStreamIsRefused() throws IOException {
        byte[] gz = Files.readAllBytes(dir.resolve("disk1.vmdk.gz"));
        Files.write(dir.resolve("cut.vmdk.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Path ova = pack("cut", ovf(gzipped("cut.vmdk.gz", 8L << 20)), "cut.vmdk.gz");
        conversionRefused(ova, "ova: disk 1 of cut.ova (cut.vmdk.gz): gzip data at member offset 0x%x: the data ends "
                .formatted(gz.length / 2) + "inside the gzip member that starts at 0x0 (truncated)");
    }

    @Test
    void aCrcMismatchIsRefused() throws IOException {
        byte[] gz = Files.readAllBytes(dir.resolve("disk1.vmdk.gz"));
        gz[gz.length - 8] ^= 0x5a;
        Files.write(dir.resolve("crc.vmdk.gz"), gz);
        Path ova = pack("crc", ovf(gzipped("crc.vmdk.gz", 8L << 20)), "crc.vmdk.gz");
        conversionRefused(ova, "ova: disk 1 of crc.ova (crc.vmdk.gz): gzip data at member offset 0x%x: CRC-32 mismatch"
                .formatted(gz.length - 8));
    }

    @Test
    void aDiskThatIsNotGzipDataIsRefused() {
        Path ova = pack("plain", ovf(gzipped("disk1.vmdk", 8L << 20)), "disk1.vmdk");
        conversionRefused(ova, "ova: disk 1 of plain.ova (disk1.vmdk): gzip data at member offset 0x0: not gzip data "
                + "(it starts with 0x4b 0x44, not 0x1f 0x8b)");
    }

    @Test
    void aGzipBombStopsAtTheLimit() {
        Tools.run(dir, "sh", "-c", "head -c 1100M /dev/zero | gzip -1 > bomb.raw.gz");
        OvaFixtures.Disk bomb = new OvaFixtures.Disk("bomb.raw.gz", "1", "byte * 2^20", "raw", "gzip", -1);
        Path ova = pack("bomb", ovf(bomb), "bomb.raw.gz");
        Path target = dir.resolve("bomb.converted.raw");
        Hostile.assertRefused(ova, "ova: disk 1 of bomb.ova (bomb.raw.gz): the gzip data inflates to more than %d bytes "
                .formatted((2L << 20) + (1L << 30)) + "(the limit: twice the disk's ovf:capacity plus 1 GiB); refused",
                "convert", "-O", "raw", ova.toString(), target.toString());
        assertThat(target).doesNotExist();
    }
}

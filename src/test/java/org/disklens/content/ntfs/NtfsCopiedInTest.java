package org.disklens.content.ntfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.FileEntry;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where no FUSE mount can be had: files copied in with ntfscp (resident and non-resident, 0, 1, 4095, 4096, 4097
 * bytes), listed by ntfsls -l, dated by ntfsinfo and read back by ntfscat.
 */
class NtfsCopiedInTest {
    @TempDir
    Path dir;

    @Test
    void filesCopiedInWithNtfscpAgreeWithNtfslsNtfsinfoAndNtfscat() throws IOException {
        Tools.require("mkntfs", "ntfscp", "ntfsls", "ntfscat", "ntfsinfo");
        Path image = NtfsTestImages.format(dir, "copied.img", "8M", "-L", "COPIED");
        Random random = new Random(3);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int size : new int[] {0, 1, 600, 4095, 4096, 4097, 150_000}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            files.put("file-" + size, bytes);
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path local = Files.write(dir.resolve(file.getKey()), file.getValue());
            Tools.run(dir, "ntfscp", "-f", image.toString(), local.toString(), "/" + file.getKey());
        }
        try (FileBlockSource source = FileBlockSource.open(image)) {
            NtfsFileSystem ntfs = NtfsFileSystem.open(source);
            List<FileEntry> root = ntfs.list(ntfs.root());
            Map<String, Long> listed = new TreeMap<>();
            root.forEach(entry -> listed.put(entry.name(), entry.size()));
            Map<String, Long> ntfsls = new TreeMap<>();
            Matcher line = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\w+ +\\d+ [\\d:]+ \\d+ (.+)$")
                    .matcher(Tools.run(dir, "ntfsls", "-l", "-p", "/", image.toString()));
            while (line.find()) {
                ntfsls.put(line.group(2), Long.parseLong(line.group(1)));
            }
            assertThat(listed).containsExactlyEntriesOf(ntfsls);
            DateTimeFormatter ntfsinfoTime = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
            for (FileEntry entry : root) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ntfs.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
                assertThat(out.toByteArray()).as(entry.name()).isEqualTo(files.get(entry.name()))
                        .isEqualTo(ntfscat(image, entry.name()));
                Matcher altered = Pattern.compile("File Altered Time:\\s+(.+?) UTC")
                        .matcher(Tools.run(dir, "ntfsinfo", "-F", "/" + entry.name(), image.toString()));
                assertThat(altered.find()).isTrue();
                assertThat(ntfsinfoTime.format(entry.modified().orElseThrow()).replaceAll(" +", " "))
                        .isEqualTo(altered.group(1).replaceAll(" +", " "));
            }
        }
    }

    /**
     * Cluster sizes from 256 B to 128 KiB and 4 KiB sectors (4 KiB records): 30 long names spill the root's index
     * into INDX blocks, which are smaller than a cluster from 8 KiB clusters on (their VCNs then count 512 bytes).
     */
    @ParameterizedTest(name = "mkntfs {0}")
    @ValueSource(strings = {"-s 256 -c 256", "-c 512", "-s 4096", "-c 65536", "-c 131072"})
    void everyGeometryMkntfsMakesLists(String options) throws IOException {
        Tools.require("mkntfs", "ntfscp", "ntfsls", "ntfscat", "ntfscluster");
        Path image = NtfsTestImages.format(dir, "geometry.img", "64M", options.split(" "));
        Path local = dir.resolve("local");
        for (int i = 0; i < 30; i++) {
            Files.writeString(local, "file number " + i + "\n");
            Tools.run(dir, "ntfscp", "-f", image.toString(), local.toString(), "/a-file-with-a-long-name-%02d.txt".formatted(i));
        }
        byte[] big = new byte[300_000];
        new Random(5).nextBytes(big);
        Tools.run(dir, "ntfscp", "-f", image.toString(), Files.write(local, big).toString(), "/big.bin");
        try (FileBlockSource source = FileBlockSource.open(image)) {
            NtfsFileSystem ntfs = NtfsFileSystem.open(source);
            List<String> names = ntfs.list(ntfs.root()).stream().map(FileEntry::name).toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(Tools.run(dir, "ntfsls", "-p", "/", image.toString()).lines()
                    .toList()).hasSize(31);
            for (String name : List.of("big.bin", "a-file-with-a-long-name-07.txt")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ntfs.copy(ntfs.resolve("/" + name).orElseThrow(), Channels.newChannel(out), ProgressListener.NONE);
                assertThat(out.toByteArray()).as(name).isEqualTo(ntfscat(image, name));
            }
            long[] free = {0};
            ntfs.freeRanges((offset, length) -> free[0] += length, ProgressListener.NONE);
            Matcher expected = Pattern.compile("bytes of free space\\s*:\\s*(\\d+)")
                    .matcher(Tools.run(dir, "ntfscluster", "-i", image.toString()));
            assertThat(expected.find()).isTrue();
            assertThat(free[0]).isEqualTo(Long.parseLong(expected.group(1)));
            assertThat(ntfs.warnings()).isEmpty();
        }
    }

    private byte[] ntfscat(Path image, String name) throws IOException {
        Path out = dir.resolve(name + ".ntfscat");
        try {
            int exit = new ProcessBuilder("ntfscat", image.toString(), "/" + name).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            assertThat(exit).isZero();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException(interrupted);
        }
        return Files.readAllBytes(out);
    }
}

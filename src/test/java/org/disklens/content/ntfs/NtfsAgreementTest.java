package org.disklens.content.ntfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
import org.disklens.content.FileSystem;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One NTFS volume made by mkntfs and filled through ntfs-3g (deep paths, non-ASCII and long names, files of 0, 1,
 * 4095, 4096, 4097 bytes, resident and non-resident, a 5 GiB sparse file, Interix and native symbolic links, a
 * junction, hard links, a FIFO, alternate data streams, an LZNT1-compressed folder, a fragmented file and MFT, a
 * directory of 2,000 entries): DiskLens's listing and bytes are compared with what ntfs-3g's read-only mount shows
 * (stat, readlink, read, getxattr), with ntfsls's order, ntfscat's bytes, ntfsinfo's runs and the $Bitmap.
 */
class NtfsAgreementTest {
    static final long SPARSE_TAIL = 5L << 30;
    static final int MANY = 2000;
    static final int HARD_LINKS = 40;
    static final int GROWN = 300_000;

    @TempDir
    static Path shared;
    static Path image;
    static FileBlockSource source;
    static NtfsFileSystem ntfs;
    /** What the ntfs-3g mount showed, by path: "type size mtime target links inode". */
    static final Map<String, String> mounted = new TreeMap<>();
    static final Map<String, String> mountedHashes = new TreeMap<>();
    static final Map<String, byte[]> mountedStreams = new TreeMap<>();

    @BeforeAll
    static void makeAndReadTheVolume() throws IOException {
        NtfsTestImages.requireMount(shared);
        image = NtfsTestImages.format(shared, "ntfs.img", "48M", "-L", "AGREE");
        try (NtfsTestImages.Mount mount = new NtfsTestImages.Mount(image, shared.resolve("rw"),
                "streams_interface=xattr,compression")) {
            fill(mount.root());
        }
        try (NtfsTestImages.Mount mount = new NtfsTestImages.Mount(image, shared.resolve("ro"), "ro,streams_interface=xattr")) {
            remember(mount.root());
        }
        source = FileBlockSource.open(image);
        ntfs = NtfsFileSystem.open(source);
    }

    @AfterAll
    static void close() throws IOException {
        if (source != null) {
            source.close();
        }
    }

    private static void fill(Path root) throws IOException {
        Random random = new Random(7);
        Path leaf = Files.createDirectories(root.resolve("docs/deep/a/b/c/d/e/f/g/h")).resolve("leaf.txt");
        Files.writeString(leaf, "at the bottom\n");
        Files.writeString(root.resolve("docs/notes.txt"), "notes\n");
        Files.createDirectories(root.resolve("empty-dir"));
        Path sizes = Files.createDirectories(root.resolve("sizes"));
        for (int size : new int[] {0, 1, 700, 4095, 4096, 4097, 100_000, 3 << 20}) {
            Files.write(sizes.resolve("file-" + size), bytes(random, size));
        }
        // Extended by truncate: ntfs-3g keeps the initialized size at 10,000 bytes, past it the file reads as zeroes.
        try (RandomAccessFile grown = new RandomAccessFile(sizes.resolve("grown").toFile(), "rw")) {
            grown.write(bytes(random, 10_000));
            grown.setLength(GROWN);
        }
        Path names = Files.createDirectories(root.resolve("names"));
        for (String name : List.of("héllo wörld.txt", "日本語のファイル.txt", "emoji 😀.txt", "L".repeat(251) + ".txt")) {
            Files.writeString(names.resolve(name), name);
        }
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("sparse.bin").toFile(), "rw")) {
            sparse.write("head".getBytes(StandardCharsets.US_ASCII));
            sparse.seek(SPARSE_TAIL);
            sparse.write("tail".getBytes(StandardCharsets.US_ASCII));
        }
        links(root);
        streams(root, random);
        compressed(root, random);
        Tools.run(root, "mkfifo", root.resolve("fifo").toString());
        fragmented(root, random);
    }

    private static void links(Path root) throws IOException {
        Path links = Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(links.resolve("relative"), Path.of("../docs/notes.txt"));
        Files.createSymbolicLink(links.resolve("absolute"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(links.resolve("dangling"), Path.of("nowhere"));
        Files.createLink(links.resolve("hard-notes.txt"), root.resolve("docs/notes.txt"));
        Files.createLink(root.resolve("docs/notes-again.txt"), root.resolve("docs/notes.txt"));
        // So many names that they no longer fit one MFT record: an attribute list spreads them over extension records.
        Path names = Files.createDirectories(root.resolve("hardlinks"));
        Files.writeString(names.resolve("base"), "one file, many names\n");
        for (int i = 0; i < HARD_LINKS; i++) {
            Files.createLink(names.resolve("a-rather-long-name-for-hard-link-%02d".formatted(i)), names.resolve("base"));
        }
        Path nativeRelative = Files.createFile(links.resolve("native-relative"));
        NtfsTestImages.setxattr(nativeRelative, NtfsTestImages.REPARSE_XATTR,
                NtfsTestImages.symlinkReparse("..\\docs\\notes.txt", "..\\docs\\notes.txt", true));
        Path nativeAbsolute = Files.createFile(links.resolve("native-absolute"));
        NtfsTestImages.setxattr(nativeAbsolute, NtfsTestImages.REPARSE_XATTR,
                NtfsTestImages.symlinkReparse("\\??\\C:\\Windows\\notepad.exe", "C:\\Windows\\notepad.exe", false));
        Path junction = Files.createDirectory(links.resolve("junction"));
        NtfsTestImages.setxattr(junction, NtfsTestImages.REPARSE_XATTR,
                NtfsTestImages.junctionReparse("\\??\\C:\\Users\\Public", "C:\\Users\\Public"));
    }

    private static void streams(Path root, Random random) throws IOException {
        Path host = Files.writeString(Files.createDirectories(root.resolve("streams")).resolve("host.txt"), "host\n");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(host, UserDefinedFileAttributeView.class);
        view.write("small", ByteBuffer.wrap("a small stream".getBytes(StandardCharsets.UTF_8)));
        view.write("big", ByteBuffer.wrap(bytes(random, 60_000)));
    }

    private static void compressed(Path root, Random random) throws IOException {
        Path folder = Files.createDirectories(root.resolve("compressed"));
        NtfsTestImages.markCompressed(folder);
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < (1 << 20); line++) {
            text.append("line ").append(line).append(" of a text that compresses well\n");
        }
        Files.writeString(folder.resolve("text.txt"), text);
        Files.write(folder.resolve("random.bin"), bytes(random, 200_000));
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(new byte[256 << 10]);
        mixed.write(text.substring(0, 100_000).getBytes(StandardCharsets.US_ASCII));
        mixed.write(new byte[200 << 10]);
        mixed.write(bytes(random, 70_000));
        Files.write(folder.resolve("zeros-text-random.bin"), mixed.toByteArray());
        Files.writeString(folder.resolve("small.txt"), "small and resident\n");
    }

    /**
     * Fills the volume with 64 KiB files, deletes every other one and only then writes a 3 MiB file and a directory of
     * 2,000 entries: the file and the growing MFT can only take the holes.
     */
    private static void fragmented(Path root, Random random) throws IOException {
        Path fillers = Files.createDirectories(root.resolve("fillers"));
        List<Path> written = new ArrayList<>();
        try {
            for (int i = 0; ; i++) {
                Path filler = fillers.resolve("filler-" + i);
                written.add(filler);
                Files.write(filler, bytes(random, 64 << 10));
            }
        } catch (IOException full) {
            // The volume is full.
        }
        for (int i = 0; i < written.size(); i += 2) {
            Files.deleteIfExists(written.get(i));
        }
        Files.write(root.resolve("fragmented.bin"), bytes(random, 3 << 20));
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < MANY; i++) {
            Files.writeString(many.resolve("entry-%05d.txt".formatted(i)), "x".repeat(i % 50));
        }
        for (Path filler : written) {
            Files.deleteIfExists(filler);
        }
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** What the read-only mount shows, read once. */
    private static void remember(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    remember(root, dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                remember(root, file);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void remember(Path root, Path path) throws IOException {
        String name = "/" + root.relativize(path).toString();
        Map<String, Object> stat = Files.readAttributes(path, "unix:size,lastModifiedTime,isDirectory,isSymbolicLink,"
                + "isRegularFile,nlink,ino", LinkOption.NOFOLLOW_LINKS);
        String type = (Boolean) stat.get("isDirectory") ? "dir" : (Boolean) stat.get("isSymbolicLink") ? "symlink"
                : (Boolean) stat.get("isRegularFile") ? "file" : "other";
        long size = (Long) stat.get("size");
        String target = "-";
        if (type.equals("symlink")) {
            // ntfs-3g shows an absolute Windows target under <mount point>/.NTFS-3G/; DiskLens without the prefix.
            String shown = Files.readSymbolicLink(path).toString();
            target = shown.replace(root + "/.NTFS-3G/", "");
            size = target.equals(shown) ? size : target.getBytes(StandardCharsets.UTF_8).length;
        }
        Instant mtime = ((FileTime) stat.get("lastModifiedTime")).toInstant();
        mounted.put(name, describe(type, size, mtime, target, ((Number) stat.get("nlink")).longValue(),
                (Long) stat.get("ino")));
        if (type.equals("file") && !name.equals("/sparse.bin")) {
            mountedHashes.put(name, sha256(Files.readAllBytes(path)));
            UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
            for (String stream : view.list()) {
                ByteBuffer value = ByteBuffer.allocate(view.size(stream));
                view.read(stream, value);
                mountedStreams.put(name + ":" + stream, value.array());
            }
        }
    }

    private static String describe(String type, long size, Instant mtime, String target, long links, long inode) {
        return "%s %d %s %s links=%d inode=%d".formatted(type, size, mtime, target, links, inode);
    }

    private static String describe(FileEntry entry) {
        return describe(entry.type().label(), entry.size(), entry.modified().orElseThrow(), entry.target().orElse("-"),
                entry.attributes().links().orElseThrow(), entry.attributes().inode().orElseThrow());
    }

    /** Every entry of the tree, by path, ADS entries ("name:stream") apart. */
    private static Map<String, FileEntry> walk() throws IOException {
        Map<String, FileEntry> entries = new TreeMap<>();
        ntfs.walk(ntfs.root(), entry -> entries.put(entry.path(), entry), ProgressListener.NONE);
        return entries;
    }

    private static byte[] copy(FileSystem fileSystem, FileEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fileSystem.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEntryAgreesWithTheNtfs3gMount() throws IOException {
        Map<String, String> listed = new TreeMap<>();
        walk().forEach((path, entry) -> {
            if (!entry.name().contains(":")) {
                listed.put(path, describe(entry));
            }
        });
        assertThat(mounted).hasSizeGreaterThan(MANY + 30);
        assertThat(listed).containsExactlyEntriesOf(mounted);
        assertThat(ntfs.warnings()).isEmpty();
    }

    @Test
    void hardLinksAreOneRecordUnderEachName() throws IOException {
        Tools.require("ntfsinfo");
        assertThat(Tools.run(shared, "ntfsinfo", "-F", "/hardlinks/base", image.toString()))
                .as("the names spread over extension records").contains("$ATTRIBUTE_LIST");
        List<FileEntry> names = ntfs.list(ntfs.resolve("/hardlinks").orElseThrow());
        assertThat(names).hasSize(HARD_LINKS + 1);
        assertThat(names).extracting(FileEntry::node).containsOnly(names.getFirst().node());
        assertThat(names).allSatisfy(name -> assertThat(name.attributes().links()).hasValue(HARD_LINKS + 1));
    }

    @Test
    void everyFileReadsAsThroughTheMount() throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        for (FileEntry entry : walk().values()) {
            if (entry.type() == FileEntry.Type.FILE && !entry.name().contains(":") && !entry.path().equals("/sparse.bin")) {
                hashes.put(entry.path(), sha256(copy(ntfs, entry)));
            }
        }
        assertThat(hashes).containsExactlyEntriesOf(mountedHashes);
    }

    @Test
    void alternateDataStreamsAreFilesNamedAfterTheirStream() throws IOException {
        Map<String, String> streams = new TreeMap<>();
        for (FileEntry entry : walk().values()) {
            if (entry.name().contains(":")) {
                byte[] bytes = copy(ntfs, entry);
                assertThat(entry.size()).isEqualTo(bytes.length);
                streams.put(entry.path(), sha256(bytes));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        mountedStreams.forEach((path, bytes) -> expected.put(path, sha256(bytes)));
        assertThat(streams).containsExactlyEntriesOf(expected).containsKeys("/streams/host.txt:big",
                "/streams/host.txt:small");
        byte[] ntfscat = ntfscat("-a", "0x80", "-n", "big", image.toString(), "/streams/host.txt");
        assertThat(sha256(ntfscat)).isEqualTo(streams.get("/streams/host.txt:big"));
    }

    @Test
    void compressedFilesDecodeAsNtfscatGivesThem() throws IOException {
        Tools.require("ntfscat");
        for (String name : List.of("text.txt", "random.bin", "zeros-text-random.bin", "small.txt")) {
            FileEntry entry = ntfs.resolve("/compressed/" + name).orElseThrow();
            assertThat(sha256(copy(ntfs, entry))).as(name)
                    .isEqualTo(sha256(ntfscat(image.toString(), "/compressed/" + name)));
        }
        assertThat(mappings(ntfs.resolve("/compressed/text.txt").orElseThrow()))
                .as("a compressible file is read through compressed units").anyMatch(Mapping.Compressed.class::isInstance);
        assertThat(mappings(ntfs.resolve("/compressed/random.bin").orElseThrow()))
                .as("incompressible units are stored plainly").anyMatch(Mapping.Data.class::isInstance);
        List<Mapping> mixed = mappings(ntfs.resolve("/compressed/zeros-text-random.bin").orElseThrow());
        assertThat(mixed).as("zero units are sparse").anyMatch(Mapping.Zero.class::isInstance);
        assertThat(mixed).anyMatch(Mapping.Compressed.class::isInstance);
    }

    @Test
    void theSparseFileOverFourGibibytesIsHolesAroundItsTwoWrites() throws IOException {
        FileEntry sparse = ntfs.resolve("/sparse.bin").orElseThrow();
        assertThat(sparse.size()).isEqualTo(SPARSE_TAIL + 4);
        List<Mapping> mappings = mappings(sparse);
        assertThat(mappings).hasSizeLessThan(6);
        long data = mappings.stream().filter(Mapping.Data.class::isInstance).mapToLong(Mapping::length).sum();
        assertThat(data).isLessThanOrEqualTo(2L * 4096);
        FileReader reader = new FileReader(ntfs);
        ByteBuffer head = ByteBuffer.allocate(4096);
        reader.read(sparse, 0, head);
        ByteBuffer tail = ByteBuffer.allocate(4096);
        reader.read(sparse, sparse.size() - 4096, tail);
        byte[] expectedHead = new byte[4096];
        System.arraycopy("head".getBytes(StandardCharsets.US_ASCII), 0, expectedHead, 0, 4);
        byte[] expectedTail = new byte[4096];
        System.arraycopy("tail".getBytes(StandardCharsets.US_ASCII), 0, expectedTail, 4092, 4);
        assertThat(head.array()).isEqualTo(expectedHead);
        assertThat(tail.array()).isEqualTo(expectedTail);
    }

    @Test
    void bytesPastTheInitializedSizeAreZeroes() throws IOException {
        Tools.require("ntfsinfo");
        Matcher initialized = Pattern.compile("Initialized size:\\s+(\\d+)")
                .matcher(Tools.run(shared, "ntfsinfo", "-F", "/sizes/grown", image.toString()));
        assertThat(initialized.find()).isTrue();
        long valid = Long.parseLong(initialized.group(1));
        assertThat(valid).as("ntfs-3g kept the initialized size").isLessThan(GROWN);
        FileEntry grown = ntfs.resolve("/sizes/grown").orElseThrow();
        Mapping before = ntfs.map(grown, valid - 1, GROWN);
        assertThat(before).isInstanceOf(Mapping.Data.class);
        assertThat(before.length()).isEqualTo(1);
        assertThat(ntfs.map(grown, valid, GROWN)).isEqualTo(new Mapping.Zero(GROWN - valid));
    }

    @Test
    void theFragmentedFileMapsRunByRunAsNtfsinfoListsThem() throws IOException {
        Tools.require("ntfsinfo");
        List<long[]> runs = ntfsinfoRuns("-F", "/fragmented.bin");
        assertThat(runs).as("the file is fragmented").hasSizeGreaterThan(1);
        assertThat(ntfsinfoRuns("-i", "0")).as("the MFT is fragmented").hasSizeGreaterThan(1);
        FileEntry file = ntfs.resolve("/fragmented.bin").orElseThrow();
        long offset = 0;
        for (long[] run : runs) {
            Mapping mapping = ntfs.map(file, offset, file.size() - offset);
            assertThat(mapping).isInstanceOf(Mapping.Data.class);
            assertThat(((Mapping.Data) mapping).hostOffset()).isEqualTo(run[1] * 4096);
            assertThat(mapping.length()).isEqualTo(Math.min(run[2] * 4096, file.size() - offset));
            offset += mapping.length();
        }
        assertThat(offset).isEqualTo(file.size());
    }

    /**
     * ntfsls (like ntfs-3g's readdir) lists the index root's entries, then each INDX block's; DiskLens walks the
     * B-tree in order, so its listing comes in NTFS's collation order: the same names, sorted by their upper case.
     */
    @Test
    void directoriesListTheNamesNtfslsListsInCollationOrder() throws IOException {
        Tools.require("ntfsls");
        for (String path : List.of("/", "/many", "/names", "/links", "/compressed", "/sizes", "/docs")) {
            List<String> names = ntfs.list(ntfs.resolve(path).orElseThrow()).stream().map(FileEntry::name)
                    .filter(name -> !name.contains(":")).toList();
            List<String> ntfsls = Tools.run(shared, "ntfsls", "-a", "-p", path, image.toString()).lines()
                    .filter(name -> !name.equals(".") && !name.equals("..")).toList();
            assertThat(names).as(path).containsExactlyInAnyOrderElementsOf(ntfsls);
            if (!path.equals("/names")) {
                assertThat(names).as(path).isSortedAccordingTo(Comparator.comparing(name -> name.toUpperCase(Locale.ROOT)));
            }
        }
        FileEntry many = ntfs.resolve("/many").orElseThrow();
        assertThat(ntfs.list(many)).hasSize(MANY);
        assertThat(many.size()).as("a directory this large keeps INDX blocks").isGreaterThan(4096);
    }

    @Test
    void metadataFilesAreHiddenAsNtfs3gHidesThem() throws IOException {
        Tools.require("ntfsls");
        List<String> system = Tools.run(shared, "ntfsls", "-s", "-p", "/", image.toString()).lines()
                .filter(name -> name.startsWith("$")).toList();
        assertThat(system).contains("$MFT", "$Bitmap", "$Extend");
        assertThat(ntfs.list(ntfs.root())).extracting(FileEntry::name).doesNotContainAnyElementsOf(system);
    }

    @Test
    void freeRangesAreTheClustersClearInTheBitmap() throws IOException {
        Tools.require("ntfscat", "ntfscluster");
        List<long[]> ranges = new ArrayList<>();
        ntfs.freeRanges((offset, length) -> ranges.add(new long[] {offset, length}), ProgressListener.NONE);
        byte[] bitmap = ntfscat("-i", "6", image.toString());
        long clusters = source.size() / 4096 - 1;
        List<long[]> expected = new ArrayList<>();
        long start = -1;
        for (long cluster = 0; cluster <= clusters; cluster++) {
            boolean free = cluster < clusters && (bitmap[(int) (cluster / 8)] & (1 << (cluster % 8))) == 0;
            if (free && start < 0) {
                start = cluster;
            } else if (!free && start >= 0) {
                expected.add(new long[] {start * 4096, (cluster - start) * 4096});
                start = -1;
            }
        }
        assertThat(ranges).as("free ranges").isNotEmpty().usingRecursiveComparison().isEqualTo(expected);
        Matcher free = Pattern.compile("clusters of free space\\s*:\\s*(\\d+)")
                .matcher(Tools.run(shared, "ntfscluster", "-i", image.toString()));
        assertThat(free.find()).isTrue();
        assertThat(ranges.stream().mapToLong(range -> range[1]).sum()).isEqualTo(Long.parseLong(free.group(1)) * 4096);
    }

    @Test
    void theCommandLineListsAndExtractsTheWholeDiskImage() throws IOException {
        Cli.Result listing = Cli.run("ls", "-R", "--json", image.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode entry : listing.json()) {
            String path = entry.get("path").asText();
            if (!path.contains(":")) {
                listed.put(path, "%s %d %s %s".formatted(entry.get("type").asText(), entry.get("size").asLong(),
                        entry.get("mtime").asText(), entry.has("target") ? entry.get("target").asText() : "-"));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        mounted.forEach((path, facts) -> expected.put(path, facts.substring(0, facts.indexOf(" links="))));
        assertThat(listed).containsExactlyEntriesOf(expected);
        for (String path : List.of("/compressed/text.txt", "/sizes/file-4097", "/streams/host.txt:big")) {
            Path out = shared.resolve("extracted-" + path.replaceAll("[/:]", "_"));
            Cli.Result extracted = Cli.run("extract", image.toString(), path, out.toString());
            assertThat(extracted.exitCode()).as(extracted.err()).isZero();
            String expectedHash = path.contains(":") ? sha256(mountedStreams.get(path)) : mountedHashes.get(path);
            assertThat(sha256(Files.readAllBytes(out))).as(path).isEqualTo(expectedHash);
        }
    }

    private static List<Mapping> mappings(FileEntry entry) throws IOException {
        List<Mapping> mappings = new ArrayList<>();
        for (long offset = 0; offset < entry.size(); ) {
            Mapping mapping = ntfs.map(entry, offset, entry.size() - offset);
            mappings.add(mapping);
            offset += mapping.length();
        }
        return mappings;
    }

    private static byte[] ntfscat(String... arguments) throws IOException {
        Path out = Files.createTempFile(shared, "ntfscat", ".out");
        String[] command = new String[arguments.length + 1];
        command[0] = "ntfscat";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            int exit = builder.start().waitFor();
            assertThat(exit).as(String.join(" ", command)).isZero();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException(interrupted);
        }
        return Files.readAllBytes(out);
    }

    /** ntfsinfo -v's run list of the first $DATA attribute: {vcn, lcn, length}. */
    private static List<long[]> ntfsinfoRuns(String... select) {
        List<String> command = new ArrayList<>(List.of("ntfsinfo", "-v"));
        command.addAll(List.of(select));
        command.add(image.toString());
        String out = Tools.run(shared, command.toArray(String[]::new));
        String data = out.substring(out.indexOf("Dumping attribute $DATA"));
        data = data.substring(data.indexOf("Runlist:"));
        int next = data.indexOf("Dumping attribute");
        data = next < 0 ? data : data.substring(0, next);
        List<long[]> runs = new ArrayList<>();
        Matcher run = Pattern.compile("(?m)^\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s*$").matcher(data);
        while (run.find()) {
            runs.add(new long[] {Long.parseLong(run.group(1), 16), Long.parseLong(run.group(2), 16),
                    Long.parseLong(run.group(3), 16)});
        }
        return runs;
    }
}

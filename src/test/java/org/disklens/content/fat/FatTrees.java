package org.disklens.content.fat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.disklens.testing.Tools;

/** The source trees the FAT tests copy into images with mcopy, and the images made from them. */
final class FatTrees {
    /** Files get mtimes an odd number of seconds apart from here: FAT keeps them to 2 seconds. */
    static final Instant FIRST_MTIME = Instant.parse("2001-02-03T04:05:07Z");

    private FatTrees() {
    }

    /**
     * Names in every FAT spelling (8.3 upper, 8.3 lower with the NT flags for base, extension or both, long mixed
     * case, non-ASCII long and short, CJK), a deep path, names differing only in case (in two folders: one FAT folder
     * cannot hold both), sizes around a 4 KiB cluster, an empty folder; {@code full} adds a 5 MiB file and a folder
     * of 2,000 long-named files.
     */
    static Path make(Path root, boolean full) throws IOException {
        Files.createDirectories(root);
        List<Path> files = new ArrayList<>();
        files.add(write(root.resolve("readme.txt"), "lower-case 8.3 name\n"));
        files.add(write(root.resolve("README2.TXT"), "upper-case 8.3 name\n"));
        files.add(write(root.resolve("readme4.TXT"), "lower-case base\n"));
        files.add(write(root.resolve("README5.txt"), "lower-case extension\n"));
        files.add(write(root.resolve("MixedCase.Txt"), "mixed case needs a long name\n"));
        files.add(write(root.resolve("é.txt"), "a short name in the OEM code page\n"));
        files.add(write(root.resolve("Ünïcödé file with a rather long name, beyond what 8.3 allows.txt"), "ünï\n"));
        files.add(write(root.resolve("日本語のファイル.txt"), "日本語\n"));
        files.add(write(root.resolve("a/b/c/d/e/f/g/h/i/j/k/l/a deep file.txt"), "deep\n"));
        files.add(write(root.resolve("case/Same.txt"), "Same\n"));
        files.add(write(root.resolve("case2/SAME.TXT"), "SAME\n"));
        Files.createDirectories(root.resolve("empty folder"));
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 4095, 4096, 4097}) {
            files.add(write(root.resolve("sizes/size " + size + ".bin"), bytes(random, size)));
        }
        if (full) {
            files.add(write(root.resolve("big.bin"), bytes(random, 5 * 1024 * 1024 + 123)));
            for (int i = 1; i <= 2000; i++) {
                files.add(write(root.resolve("many/%04d entry with a long name.txt".formatted(i)), "entry " + i + "\n"));
            }
        }
        for (int i = 0; i < files.size(); i++) {
            Files.setLastModifiedTime(files.get(i), FileTime.from(FIRST_MTIME.plusSeconds(3601L * i)));
        }
        return root;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** mkfs.vfat with {@code options} on a new image of {@code kib} KiB, filled from {@code tree} by mcopy (mtimes kept). */
    static Path image(Path dir, String name, Path tree, long kib, String... options) throws IOException {
        Path image = dir.resolve(name);
        List<String> mkfs = new ArrayList<>(List.of("mkfs.vfat", "-C"));
        mkfs.addAll(List.of(options));
        mkfs.addAll(List.of(image.toString(), Long.toString(kib)));
        Tools.run(dir, mkfs.toArray(String[]::new));
        List<String> mcopy = new ArrayList<>(List.of("env", "LC_ALL=C.UTF-8", "mcopy", "-s", "-m", "-i", image.toString()));
        try (Stream<Path> top = Files.list(tree)) {
            top.sorted().forEach(path -> mcopy.add(path.toString()));
        }
        mcopy.add("::");
        Tools.run(dir, mcopy.toArray(String[]::new));
        return image;
    }
}

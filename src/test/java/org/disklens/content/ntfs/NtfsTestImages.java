package org.disklens.content.ntfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes NTFS images with the real tools: mkntfs formats a plain file, ntfs-3g mounts it through FUSE (in the
 * foreground, so that unmounting waits for every write to reach the image) and the test fills it with ordinary file
 * operations; reparse points and the compressed attribute are set through ntfs-3g's extended attributes.
 */
final class NtfsTestImages {
    /** ntfs-3g's extended attributes: the Windows attribute flags (big-endian) and raw reparse data. */
    static final String ATTRIBUTES_XATTR = "system.ntfs_attrib_be";
    static final String REPARSE_XATTR = "system.ntfs_reparse_data";
    static final int FILE_ATTRIBUTE_DIRECTORY = 0x10;
    static final int FILE_ATTRIBUTE_COMPRESSED = 0x800;
    private static Boolean fuseWorks;

    private NtfsTestImages() {
    }

    /** A new file of {@code size} (e.g. {@code 48M}) formatted by mkntfs (quick format, no questions). */
    static Path format(Path dir, String name, String size, String... options) {
        Tools.require("mkntfs");
        Path image = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", size, image.toString());
        String[] command = new String[5 + options.length];
        command[0] = "mkntfs";
        command[1] = "-F";
        command[2] = "-f";
        command[3] = "-Q";
        System.arraycopy(options, 0, command, 4, options.length);
        command[command.length - 1] = image.toString();
        Tools.run(dir, command);
        return image;
    }

    /** Skips the calling test, visibly, where ntfs-3g cannot mount (no FUSE device, not root). */
    static void requireMount(Path scratch) {
        Tools.require("mkntfs", "ntfs-3g");
        Assumptions.assumeTrue(fuseWorks(scratch), "ntfs-3g cannot mount through FUSE here");
    }

    private static synchronized boolean fuseWorks(Path scratch) {
        if (fuseWorks == null) {
            fuseWorks = false;
            if (Files.exists(Path.of("/dev/fuse"))) {
                try {
                    Path probe = Files.createDirectories(scratch.resolve("fuse-probe"));
                    Path image = format(probe, "probe.img", "2M");
                    try (Mount mount = new Mount(image, probe.resolve("m"), "ro")) {
                        fuseWorks = Files.isDirectory(mount.root());
                    }
                } catch (IOException | RuntimeException unavailable) {
                    fuseWorks = false;
                }
            }
        }
        return fuseWorks;
    }

    /** An image mounted by ntfs-3g until closed; closing unmounts and waits for ntfs-3g to have written everything. */
    static final class Mount implements AutoCloseable {
        private final Path root;
        private final Process process;

        Mount(Path image, Path at, String options) throws IOException {
            this.root = Files.createDirectories(at).toAbsolutePath();
            this.process = new ProcessBuilder("ntfs-3g", "-o", "no_detach," + options, image.toString(), root.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!mounted()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroy();
                    throw new IOException("ntfs-3g did not mount " + image);
                }
                sleep();
            }
        }

        Path root() {
            return root;
        }

        private boolean mounted() throws IOException {
            String point = " " + root + " ";
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(line -> line.contains(point));
        }

        @Override
        public void close() throws IOException {
            Tools.Result result = Tools.exec(root.getParent(), "umount", root.toString());
            if (result.exitCode() != 0) {
                Tools.exec(root.getParent(), "fusermount", "-u", root.toString());
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                    throw new IOException("ntfs-3g did not end after unmounting " + root);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException(interrupted);
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** setxattr(2), for the {@code system.*} names Java's user-attribute view cannot set. */
    static void setxattr(Path path, String name, byte[] value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setxattr = linker.downcallHandle(linker.defaultLookup().find("setxattr").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) setxattr.invokeExact(arena.allocateFrom(path.toString()), arena.allocateFrom(name),
                    arena.allocateFrom(JAVA_BYTE, value), (long) value.length, 0);
            if (result != 0) {
                throw new UncheckedIOException(new IOException("setxattr %s on %s failed".formatted(name, path)));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }

    /** Marks a directory compressed: ntfs-3g then compresses the files created in it. */
    static void markCompressed(Path directory) {
        setxattr(directory, ATTRIBUTES_XATTR, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN)
                .putInt(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_COMPRESSED).array());
    }

    /** Reparse data of a Windows symbolic link (tag 0xA000000C), as the NTFS documents lay it out. */
    static byte[] symlinkReparse(String substitute, String print, boolean relative) {
        byte[] sub = substitute.getBytes(StandardCharsets.UTF_16LE);
        byte[] shown = print.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer data = ByteBuffer.allocate(8 + 12 + sub.length + shown.length).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0xA000000C).putShort((short) (12 + sub.length + shown.length)).putShort((short) 0);
        data.putShort((short) 0).putShort((short) sub.length).putShort((short) sub.length).putShort((short) shown.length);
        data.putInt(relative ? 1 : 0).put(sub).put(shown);
        return data.array();
    }

    /** Reparse data of a junction (tag 0xA0000003): both names NUL-terminated, lengths without the NUL. */
    static byte[] junctionReparse(String substitute, String print) {
        byte[] sub = (substitute + "\0").getBytes(StandardCharsets.UTF_16LE);
        byte[] shown = (print + "\0").getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer data = ByteBuffer.allocate(8 + 8 + sub.length + shown.length).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0xA0000003).putShort((short) (8 + sub.length + shown.length)).putShort((short) 0);
        data.putShort((short) 0).putShort((short) (sub.length - 2)).putShort((short) sub.length)
                .putShort((short) (shown.length - 2));
        data.put(sub).put(shown);
        return data.array();
    }
}

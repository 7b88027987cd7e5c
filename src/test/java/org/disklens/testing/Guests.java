package org.disklens.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Guest disks made with the reference tools, for the window's tests of the space a guest has freed: an ext4 filled
 * with files of random bytes ({@code mkfs.ext4 -d}), two of them then deleted with {@code debugfs -w -R "rm …"} so
 * that their blocks still hold data, in a GPT disk beside a partition holding no file system, wrapped as qcow2 by
 * {@code qemu-img convert}.
 */
public final class Guests {
    /** Bytes of the two deleted files. */
    public static final long FREED = 8_000_000;

    private Guests() {
    }

    /** {@code dir/disk.qcow2}: a 64 MiB GPT disk; partition 1 the ext4, partition 2 nothing DiskLens knows. */
    public static Path diskWithFreedExt4(Path dir) throws IOException {
        Qemu.require();
        Tools.require("mkfs.ext4", "debugfs", "sgdisk");
        Random random = new Random(17);
        for (String name : new String[] {"keep/a.bin", "gone/b.bin", "gone/c.bin", "keep/d.bin"}) {
            byte[] bytes = new byte[name.startsWith("gone") ? 4_000_000 : 1_500_000];
            random.nextBytes(bytes);
            Path file = dir.resolve("tree").resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        Tools.run(dir, "mkfs.ext4", "-q", "-b", "4096", "-L", "root", "-d", "tree", "ext.raw", "40M");
        Tools.run(dir, "debugfs", "-w", "-R", "rm /gone/b.bin", "ext.raw");
        Tools.run(dir, "debugfs", "-w", "-R", "rm /gone/c.bin", "ext.raw");
        Tools.run(dir, "truncate", "-s", "64M", "disk.raw");
        Tools.run(dir, "sgdisk", "-n", "1:2048:+40M", "-t", "1:8300", "-n", "2:0:+8M", "-t", "2:8300", "disk.raw");
        Tools.run(dir, "dd", "if=ext.raw", "of=disk.raw", "bs=512", "seek=2048", "conv=notrunc", "status=none");
        Qemu.img(dir, "convert", "-O", "qcow2", "disk.raw", "disk.qcow2");
        return dir.resolve("disk.qcow2");
    }
}

package org.disklens.content.luks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.disklens.crypto.Cryptsetup;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A GPT disk (sfdisk) with an unencrypted ext4 /boot and a LUKS2 volume (cryptsetup luksFormat, Argon2id, its own
 * benchmark) holding an ext4 made by {@code mke2fs -d} from a tree, whose payload is that ext4 encrypted with the key
 * {@code cryptsetup luksDump --dump-volume-key} recovers; as raw and as qcow2. Through the command line with
 * {@code --passphrase-file}, ls/cat/extract/df/info see the tree's files and bytes; without it, info still lists the
 * partitions and the locked volume; a wrong passphrase is one line and exit 1, with nothing written and the
 * passphrase nowhere in the output.
 */
class LuksDiskTest {
    private static final long MIB = 1 << 20;
    private static final long BOOT = MIB;
    private static final long LUKS = 9 * MIB;
    private static final long LUKS_SIZE = 40 * MIB;
    static final String SECRET = "Tr0ub4dor&3 luks";

    @TempDir
    static Path dir;
    static String uuid;
    static long payloadOffset;

    @BeforeAll
    static void makeDisk() throws IOException {
        Qemu.require();
        Cryptsetup.require();
        Tools.require("sfdisk", "mke2fs");
        Random random = new Random(19);
        write("root/etc/hostname", "crypt-guest\n".getBytes());
        write("root/etc/fstab", "/dev/mapper/root / ext4 defaults 0 1\n".getBytes());
        write("root/home/user/notes.txt", "nothing to see here\n".repeat(300).getBytes());
        write("root/var/log/big.bin", bytes(random, 1_500_000));
        write("boot/vmlinuz", bytes(random, 300_000));
        Files.writeString(dir.resolve("pw.txt"), SECRET);
        Files.writeString(dir.resolve("wrong.txt"), "hunter2-not-the-secret");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-L", "boot", "-d", "boot", "boot.ext4", "8M");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-b", "4096", "-L", "root", "-d", "root", "root.ext4", "24M");
        Tools.run(dir, "truncate", "-s", Long.toString(LUKS_SIZE), "luks2.img");
        Cryptsetup.format(dir, "luks2.img", "pw.txt", "--type", "luks2", "--pbkdf", "argon2id", "--pbkdf-memory", "32768",
                "--iter-time", "50");
        String dump = Cryptsetup.dump(dir, "luks2.img");
        uuid = Cryptsetup.field(dump, "UUID:").orElseThrow();
        payloadOffset = Long.parseLong(Cryptsetup.field(dump, "offset:").orElseThrow());
        int sectorSize = Integer.parseInt(Cryptsetup.field(dump, "sector:").orElseThrow());
        byte[] key = Cryptsetup.volumeKey(dir, "luks2.img", "pw.txt", 2);
        LuksImages.encryptInto(dir.resolve("root.ext4"), dir.resolve("luks2.img"), payloadOffset, key, "aes-xts-plain64",
                sectorSize);
        Tools.run(dir, "truncate", "-s", "50M", "disk.raw");
        Files.writeString(dir.resolve("layout.sfdisk"), "label: gpt\nstart=%d, size=%d, type=L, name=boot\nstart=%d, size=%d, type=L, name=crypt\n"
                .formatted(BOOT / 512, 8 * MIB / 512, LUKS / 512, LUKS_SIZE / 512));
        Tools.run(dir, "sh", "-c", "sfdisk -q disk.raw < layout.sfdisk");
        place("boot.ext4", BOOT);
        place("luks2.img", LUKS);
        Qemu.img(dir, "convert", "-O", "qcow2", "disk.raw", "disk.qcow2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"disk.raw", "disk.qcow2"})
    void theFilesInsideAreTheTreesFiles(String image) throws IOException {
        String volume = "luks-" + uuid;
        Cli.Result ls = Cli.run("ls", "-R", "--json", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m", volume,
                dir.resolve(image).toString());
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(listing(ls.json())).containsAllEntriesOf(tree(dir.resolve("root")));
        for (String path : List.of("/etc/hostname", "/var/log/big.bin", "/home/user/notes.txt")) {
            Cli.Result cat = Cli.run("cat", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m", volume,
                    dir.resolve(image).toString(), path);
            assertThat(cat.exitCode()).as(cat.err()).isZero();
            assertThat(cat.bytes()).as(path).isEqualTo(Files.readAllBytes(dir.resolve("root" + path)));
        }
        Path out = dir.resolve("extracted-" + image);
        Cli.Result extract = Cli.run("extract", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m", volume,
                dir.resolve(image).toString(), "/etc", out.toString());
        assertThat(extract.exitCode()).as(extract.err()).isZero();
        assertThat(out.resolve("hostname")).hasSameTextualContentAs(dir.resolve("root/etc/hostname"));
    }

    @Test
    void infoShowsTheLuksGroupBesideThePartitions() throws IOException {
        JsonNode unlocked = info("--passphrase-file", dir.resolve("pw.txt").toString());
        JsonNode partitions = unlocked.get("partitions");
        assertThat(partitions).hasSize(2);
        assertThat(partitions.get(0).get("filesystem").get("type").asText()).isEqualTo("ext4");
        JsonNode crypt = partitions.get(1);
        assertThat(crypt.get("filesystem").get("type").asText()).isEqualTo("crypto_LUKS");
        assertThat(crypt.get("filesystem").get("uuid").asText()).isEqualTo(uuid);
        JsonNode luks = crypt.get("luks");
        assertThat(luks.get("version").asInt()).isEqualTo(2);
        assertThat(luks.get("uuid").asText()).isEqualTo(uuid);
        assertThat(luks.get("cipher").asText()).isEqualTo("aes-xts-plain64");
        assertThat(luks.get("key-size").asInt()).isEqualTo(512);
        assertThat(luks.get("keyslots").asInt()).isEqualTo(1);
        assertThat(luks.get("tokens")).isEmpty();
        assertThat(luks.get("unlocked").asBoolean()).isTrue();
        JsonNode inner = luks.get("volumes").get(0);
        assertThat(inner.get("name").asText()).isEqualTo("luks-" + uuid);
        assertThat(inner.get("size").asLong()).isEqualTo(LUKS_SIZE - payloadOffset);
        assertThat(inner.get("filesystem").get("type").asText()).isEqualTo("ext4");
        assertThat(inner.get("filesystem").get("label").asText()).isEqualTo("root");
        assertThat(inner.has("unreadable")).isFalse();
        assertThat(Files.readString(dir.resolve("pw.txt"))).isEqualTo(SECRET);

        JsonNode locked = info();
        assertThat(locked.get("partitions")).hasSize(2);
        JsonNode lockedLuks = locked.get("partitions").get(1).get("luks");
        assertThat(lockedLuks.get("unlocked").asBoolean()).isFalse();
        assertThat(lockedLuks.get("cipher").asText()).isEqualTo("aes-xts-plain64");
        assertThat(lockedLuks.get("volumes").get(0).get("unreadable").asText()).isEqualTo("locked: give --passphrase-file");
        assertThat(lockedLuks.get("volumes").get(0).has("filesystem")).isFalse();
    }

    private static JsonNode info(String... options) {
        List<String> args = new ArrayList<>(List.of("info", "--json"));
        args.addAll(List.of(options));
        args.add(dir.resolve("disk.qcow2").toString());
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.json();
    }

    @Test
    void dfReportsTheFileSystemInsideLikeAnyOther() throws IOException {
        Cli.Result df = Cli.run("df", "--json", "--passphrase-file", dir.resolve("pw.txt").toString(),
                dir.resolve("disk.qcow2").toString());
        assertThat(df.exitCode()).as(df.err()).isZero();
        JsonNode row = find(df.json(), "disk.qcow2:luks-" + uuid);
        Path plain = dir.resolve("plain-root.raw");
        Files.copy(dir.resolve("root.ext4"), plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonNode reference = find(Cli.run("df", "--json", plain.toString()).json(), "plain-root.raw:0");
        for (String field : List.of("type", "size", "used", "available", "use%")) {
            assertThat(row.get(field)).as(field).isEqualTo(reference.get(field));
        }
        assertThat(row.get("reclaimable").asLong()).as("the payload is all stored: its free space is reclaimable")
                .isGreaterThan(0).isLessThanOrEqualTo(row.get("available").asLong());
        Cli.Result locked = Cli.run("df", "--json", dir.resolve("disk.qcow2").toString());
        assertThat(locked.exitCode()).isZero();
        List<String> names = new ArrayList<>();
        locked.json().forEach(entry -> names.add(entry.get("filesystem").asText()));
        assertThat(names).as("a locked volume's ciphertext is never free").containsExactly(dir.resolve("disk.qcow2") + ":1");
    }

    private static JsonNode find(JsonNode rows, String suffix) {
        for (JsonNode row : rows) {
            if (row.get("filesystem").asText().endsWith(suffix)) {
                return row;
            }
        }
        throw new AssertionError("no row " + suffix + " in " + rows);
    }

    @Test
    void aWrongPassphraseIsOneLineAndNothingElse() {
        String image = dir.resolve("disk.qcow2").toString();
        String wrong = dir.resolve("wrong.txt").toString();
        Path target = dir.resolve("never-written");
        for (String[] args : new String[][] {{"ls", "--passphrase-file", wrong, image},
            {"ls", "--passphrase-file", wrong, "-m", "1", image},
            {"cat", "--passphrase-file", wrong, "-m", "luks-" + uuid, image, "/etc/hostname"},
            {"extract", "--passphrase-file", wrong, "-m", "luks-" + uuid, image, "/etc", target.toString()},
            {"info", "--json", "--passphrase-file", wrong, image}, {"df", "--passphrase-file", wrong, image},
            {"convert", "--sparsify", "-O", "raw", "--passphrase-file", wrong, image, target.toString()}}) {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(result.err().strip()).as(String.join(" ", args)).doesNotContain("\n")
                    .isEqualTo("disklens: %s: no key slot opens with this passphrase".formatted(image));
            assertThat(result.out() + result.err()).doesNotContain("hunter2");
            assertThat(target).doesNotExist();
        }
        Cli.Result locked = Cli.run("ls", "-m", "luks-" + uuid, image);
        assertThat(locked.exitCode()).isEqualTo(1);
        assertThat(locked.err().strip()).isEqualTo("disklens: %s: locked: give --passphrase-file".formatted(image));
        Cli.Result partition = Cli.run("ls", "-m", "2", image);
        assertThat(partition.exitCode()).isEqualTo(1);
        assertThat(partition.err().strip()).doesNotContain("\n").startsWith("disklens: ").endsWith(
                "volume 2 of %s is encrypted (LUKS): its contents are volume luks-%s, locked: give --passphrase-file"
                        .formatted("disk.qcow2", uuid));
        Cli.Result unlocked = Cli.run("ls", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m", "2", image);
        assertThat(unlocked.exitCode()).isEqualTo(1);
        assertThat(unlocked.err().strip()).doesNotContain("\n")
                .endsWith("is encrypted (LUKS): its contents are volume luks-%s (-m luks-%s)".formatted(uuid, uuid));
        Cli.Result missing = Cli.run("ls", "--passphrase-file", dir.resolve("nope.txt").toString(), image);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.txt: no such file");
    }

    @Test
    void sparsifyLeavesOutTheFreeSpaceInsideAndTheFilesStay() throws IOException {
        Path sparse = dir.resolve("sparse.qcow2");
        Cli.Result convert = Cli.run("convert", "--sparsify", "-O", "qcow2", "--passphrase-file",
                dir.resolve("pw.txt").toString(), dir.resolve("disk.qcow2").toString(), sparse.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.size(sparse)).isLessThan(Files.size(dir.resolve("disk.qcow2")) - 10 * MIB);
        Cli.Result ls = Cli.run("ls", "-R", "--json", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m",
                "luks-" + uuid, sparse.toString());
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(listing(ls.json())).containsAllEntriesOf(tree(dir.resolve("root")));
        Cli.Result cat = Cli.run("cat", "--passphrase-file", dir.resolve("pw.txt").toString(), "-m", "luks-" + uuid,
                sparse.toString(), "/var/log/big.bin");
        assertThat(cat.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("root/var/log/big.bin")));
        Tools.require("e2fsck");
        Path decrypted = dir.resolve("sparse-root.ext4");
        Cli.Result whole = Cli.run("convert", "-O", "raw", "--passphrase-file", dir.resolve("pw.txt").toString(),
                sparse.toString(), dir.resolve("sparse.raw").toString());
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        decryptPayload(dir.resolve("sparse.raw"), decrypted);
        Tools.Result fsck = Tools.exec(dir, "e2fsck", "-fn", decrypted.toString());
        assertThat(fsck.exitCode()).as(fsck.out() + fsck.err()).isZero();
    }

    /** The LUKS volume's plaintext out of a raw disk, through DiskLens's layout (as the commands read it). */
    private static void decryptPayload(Path disk, Path out) throws IOException {
        try (var source = org.disklens.io.FileBlockSource.open(disk);
             var passphrases = org.disklens.crypto.Passphrases.of(SECRET.getBytes())) {
            var volume = org.disklens.content.DiskLayout.allVolumes(source, passphrases).stream()
                    .filter(candidate -> candidate.id().equals("luks-" + uuid)).findFirst().orElseThrow();
            byte[] bytes = new byte[(int) volume.bytes().size()];
            volume.bytes().read(0, java.nio.ByteBuffer.wrap(bytes));
            Files.write(out, bytes);
        }
    }

    /** path → "file SIZE SHA-256" or "dir", for every entry below {@code root}. */
    static TreeMap<String, String> tree(Path root) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                if (path.equals(root)) {
                    continue;
                }
                String name = "/" + root.relativize(path).toString();
                entries.put(name, Files.isDirectory(path) ? "dir" : "file " + Files.size(path));
            }
        }
        return entries;
    }

    static TreeMap<String, String> listing(JsonNode entries) {
        TreeMap<String, String> out = new TreeMap<>();
        for (JsonNode entry : entries) {
            String type = entry.get("type").asText();
            out.put(entry.get("path").asText(), type.equals("file") ? "file " + entry.get("size").asLong() : type);
        }
        return out;
    }

    private static void place(String image, long offset) {
        Tools.run(dir, "dd", "if=" + image, "of=disk.raw", "bs=1M", "seek=" + offset / MIB, "conv=notrunc,sparse",
                "status=none");
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void write(String path, byte[] bytes) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LUKS1 and LUKS2 volumes made by cryptsetup: the volume key DiskLens unlocks equals the one
 * {@code luksDump --dump-volume-key} (LUKS2) / {@code --dump-master-key} (LUKS1) prints, for every KDF (PBKDF2 with
 * sha1, sha256, sha512; Argon2i; Argon2id with cryptsetup's own benchmark), both ciphers and both AES key sizes; the
 * header's facts equal luksDump's; a wrong passphrase says so. Data: cryptsetup's offline encryption
 * ({@code reencrypt --encrypt --force-offline-reencrypt}, cryptsetup's own userspace dm-crypt) of an ext4 image, with
 * 512- and 4096-byte sectors and with aes-cbc-essiv:sha256, decrypts to the image's bytes.
 */
class LuksCryptsetupTest {
    static final String PASSPHRASE = "correct horse battery";
    static final String FAST_PBKDF2 = "--pbkdf-force-iterations=1000";

    @TempDir
    static Path dir;

    @BeforeAll
    static void keyFile() throws IOException {
        Cryptsetup.require();
        Files.writeString(dir.resolve("pw.txt"), PASSPHRASE);
        Files.writeString(dir.resolve("wrong.txt"), "not it");
    }

    /** A volume made with {@code args}; its name says which. */
    private static String format(String name, long size, String... args) throws IOException {
        try (var file = java.nio.channels.FileChannel.open(dir.resolve(name), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(size);
            file.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
        Cryptsetup.format(dir, name, "pw.txt", args);
        return name;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "luks1 sha256 aes-xts-plain64 512", "luks1 sha1 aes-xts-plain64 256", "luks1 sha512 aes-xts-plain64 512",
        "luks1 sha256 aes-cbc-essiv:sha256 256", "luks2 pbkdf2-sha256 aes-xts-plain64 512",
        "luks2 pbkdf2-sha512 aes-xts-plain64 512", "luks2 pbkdf2-sha1 aes-xts-plain64 256",
        "luks2 argon2i aes-xts-plain64 512", "luks2 argon2id aes-cbc-essiv:sha256 256",
        "luks2 argon2id-benchmarked aes-xts-plain64 512"})
    void theVolumeKeyIsCryptsetups(String variant) throws IOException {
        String[] part = variant.split(" ");
        int version = part[0].equals("luks1") ? 1 : 2;
        List<String> args = new java.util.ArrayList<>(List.of("--type", part[0], "--cipher", part[2], "--key-size", part[3]));
        if (version == 1) {
            args.addAll(List.of("--hash", part[1], FAST_PBKDF2));
        } else if (part[1].startsWith("pbkdf2")) {
            args.addAll(List.of("--pbkdf", "pbkdf2", "--hash", part[1].substring(7), FAST_PBKDF2));
        } else if (part[1].equals("argon2id-benchmarked")) {
            args.addAll(List.of("--pbkdf", "argon2id", "--pbkdf-memory", "32768", "--iter-time", "50"));
        } else {
            args.addAll(List.of("--pbkdf", part[1], "--pbkdf-memory", "32768", "--pbkdf-force-iterations", "4"));
        }
        String name = format(variant.replaceAll("[^a-z0-9]+", "-") + ".img", version == 1 ? 4L << 20 : 20L << 20,
                args.toArray(String[]::new));
        String dump = Cryptsetup.dump(dir, name);
        try (FileBlockSource volume = FileBlockSource.open(dir.resolve(name))) {
            LuksHeader header = Luks.header(volume);
            assertThat(header.version()).isEqualTo(version);
            assertThat(header.uuid()).isEqualTo(Cryptsetup.field(dump, "UUID:").orElseThrow());
            assertThat(header.cipher()).isEqualTo(part[2]);
            assertThat(header.keyBytes() * 8).isEqualTo(Integer.parseInt(part[3]));
            assertThat(header.keyslots()).isEqualTo(1);
            assertThat(header.refusal()).isEmpty();
            if (version == 1) {
                assertThat(header.payloadOffset()).isEqualTo(Long.parseLong(Cryptsetup.field(dump, "Payload offset:")
                        .orElseThrow()) * 512);
            } else {
                assertThat(header.payloadOffset()).isEqualTo(Long.parseLong(Cryptsetup.field(dump, "offset:").orElseThrow()));
                assertThat(header.sectorSize()).isEqualTo(Integer.parseInt(Cryptsetup.field(dump, "sector:").orElseThrow()));
            }
            long started = System.nanoTime();
            byte[] expected = Cryptsetup.volumeKey(dir, name, "pw.txt", version);
            try (Passphrases passphrases = Passphrases.fromFile(dir.resolve("pw.txt"));
                 VolumeKey key = Luks.unlock(header, volume, passphrases, "test volume", KdfLimits.DEFAULT).orElseThrow()) {
                assertThat(HexFormat.of().formatHex(key.bytes())).isEqualTo(HexFormat.of().formatHex(expected));
            }
            System.out.printf("%s: unlocked in %d ms (cryptsetup's dump included)%n", variant,
                    (System.nanoTime() - started) / 1_000_000);
            try (Passphrases wrong = Passphrases.fromFile(dir.resolve("wrong.txt"))) {
                assertThatThrownBy(() -> Luks.unlock(header, volume, wrong, "test volume", KdfLimits.DEFAULT))
                        .isInstanceOf(WrongPassphrase.class).hasMessage("no key slot opens with this passphrase");
                assertThatThrownBy(wrong::requireOpened).isInstanceOf(WrongPassphrase.class);
            }
            assertThat(Luks.unlock(header, volume, Passphrases.NONE, "test volume", KdfLimits.DEFAULT)).isEmpty();
        }
    }

    @Test
    void aSecondKeySlotAndATokenAreCounted() throws IOException {
        String name = format("two-slots.img", 20L << 20, "--type", "luks2", "--pbkdf", "pbkdf2", FAST_PBKDF2);
        Files.writeString(dir.resolve("second.txt"), "second passphrase\n");
        Tools.run(dir, "cryptsetup", "luksAddKey", "--batch-mode", "--key-file", "pw.txt", "--pbkdf", "pbkdf2", FAST_PBKDF2,
                name, "second.txt");
        Tools.run(dir, "cryptsetup", "token", "add", "--key-description", "disklens:test", name);
        try (FileBlockSource volume = FileBlockSource.open(dir.resolve(name))) {
            LuksHeader header = Luks.header(volume);
            assertThat(header.keyslots()).isEqualTo(2);
            assertThat(header.tokens()).containsExactly("luks2-keyring");
            // cryptsetup takes the key file's bytes as they are, newline included: the second candidate opens it.
            try (Passphrases second = Passphrases.fromFile(dir.resolve("second.txt"));
                 VolumeKey key = Luks.unlock(header, volume, second, "two slots", KdfLimits.DEFAULT).orElseThrow()) {
                assertThat(key.bytes()).isEqualTo(Cryptsetup.volumeKey(dir, name, "pw.txt", 2));
            }
        }
    }

    @Test
    void eachHeaderIsUnlockedOncePerPassphrases() throws IOException {
        String name = format("memo.img", 20L << 20, "--type", "luks2", "--pbkdf", "pbkdf2", FAST_PBKDF2);
        int[] asked = {0};
        Passphrases counting = new Passphrases() {
            @Override
            public Optional<Passphrase> passphraseFor(String what) {
                asked[0]++;
                assertThat(what).isEqualTo("the volume");
                return Optional.of(new Passphrase(PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
            }
        };
        try (FileBlockSource volume = FileBlockSource.open(dir.resolve(name)); counting) {
            for (int i = 0; i < 3; i++) {
                try (VolumeKey key = Luks.unlock(Luks.header(volume), volume, counting, "the volume", KdfLimits.DEFAULT)
                        .orElseThrow()) {
                    assertThat(key.length()).isEqualTo(64);
                }
            }
            counting.requireOpened();
        }
        assertThat(asked[0]).isEqualTo(1);
    }

    /** An ext4 image of {@code mib} MiB in a file of {@code mib + 32} MiB, encrypted in place by cryptsetup. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aes-xts-plain64 512", "aes-xts-plain64 4096", "aes-cbc-essiv:sha256 512"})
    void cryptsetupsOwnEncryptionDecryptsToTheImage(String variant) throws IOException {
        Tools.require("mke2fs");
        String[] part = variant.split(" ");
        String name = "reencrypted-" + variant.replaceAll("[^a-z0-9]+", "-") + ".img";
        Path plain = dir.resolve(name + ".plain");
        Files.createDirectories(dir.resolve("tree"));
        Files.writeString(dir.resolve("tree/hello.txt"), "hello from inside LUKS\n".repeat(1000));
        Tools.run(dir, "truncate", "-s", "40M", name);
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-b", "4096", "-d", "tree", name, "8M");
        Files.copy(dir.resolve(name), plain);
        Tools.run(dir, "cryptsetup", "reencrypt", "--encrypt", "--type", "luks2", "--reduce-device-size", "32M",
                "--force-offline-reencrypt", "--cipher", part[0], "--key-size", part[0].contains("xts") ? "512" : "256",
                "--sector-size", part[1], "--pbkdf", "pbkdf2", FAST_PBKDF2, "--batch-mode", "--key-file", "pw.txt", name);
        try (FileBlockSource volume = FileBlockSource.open(dir.resolve(name));
             Passphrases passphrases = Passphrases.fromFile(dir.resolve("pw.txt"))) {
            LuksHeader header = Luks.header(volume);
            assertThat(header.sectorSize()).isEqualTo(Integer.parseInt(part[1]));
            assertThat(header.cipher()).isEqualTo(part[0]);
            try (VolumeKey key = Luks.unlock(header, volume, passphrases, name, KdfLimits.DEFAULT).orElseThrow();
                 DecryptingBlockSource payload = Luks.payload(header, volume, key, name)) {
                byte[] expected = new byte[8 << 20];
                try (FileBlockSource original = FileBlockSource.open(plain)) {
                    original.read(0, ByteBuffer.wrap(expected));
                }
                byte[] decrypted = new byte[8 << 20];
                payload.read(0, ByteBuffer.wrap(decrypted));
                assertThat(java.util.Arrays.mismatch(decrypted, expected)).as("first differing byte").isEqualTo(-1);
            }
        }
    }
}

package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LUKS1 headers DiskLens writes: laid out as {@code qemu-img create -f luks} lays them out (same payload offset and
 * key slot offsets), accepted by {@code cryptsetup luksDump} (whose dumped master key is DiskLens's), unlocked by
 * DiskLens's reader, and a payload encrypted with the key read by qemu's {@code luks} driver as the plaintext.
 */
class Luks1WriterTest {
    @TempDir
    static Path dir;

    static final String PASSPHRASE = "open sesame";

    @BeforeAll
    static void setUp() throws IOException {
        Files.writeString(dir.resolve("pw.txt"), PASSPHRASE);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("default", params("aes-256", "xts", "plain64", Optional.empty(), "sha256"), 4040),
                Arguments.of("aes128-xts-sha1", params("aes-128", "xts", "plain64", Optional.empty(), "sha1"), 2056),
                Arguments.of("aes256-cbc-essiv-sha512", params("aes-256", "cbc", "essiv", Optional.of("sha256"), "sha512"), 2056),
                Arguments.of("aes128-cbc-plain", params("aes-128", "cbc", "plain", Optional.empty(), "sha256"), 1032));
    }

    static Luks1Writer.Params params(String alg, String mode, String ivgen, Optional<String> ivHash, String hash) {
        return new Luks1Writer.Params(alg, mode, ivgen, ivHash, hash, 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void writesWhatCryptsetupAndQemuRead(String name, Luks1Writer.Params params, int payloadSectors) throws IOException {
        byte[] plaintext = new byte[1 << 20];
        new Random(7).nextBytes(plaintext);
        Luks1Writer.Created created;
        try (Passphrase passphrase = new Passphrase(PASSPHRASE.getBytes(StandardCharsets.UTF_8))) {
            created = Luks1Writer.create(params, passphrase);
        }
        assertThat(created.payloadOffset()).isEqualTo(payloadSectors * 512L).isEqualTo(Luks1Writer.payloadOffset(params));
        byte[] file = new byte[Math.toIntExact(created.payloadOffset() + plaintext.length)];
        System.arraycopy(created.header(), 0, file, 0, created.header().length);
        byte[] key = created.key().bytes();
        try (SectorCipher cipher = SectorCipher.of(created.cipherSpec(), key)) {
            byte[] data = plaintext.clone();
            for (int sector = 0; sector < data.length / 512; sector++) {
                cipher.encrypt(sector, data, sector * 512, 512);
            }
            System.arraycopy(data, 0, file, created.header().length, data.length);
        }
        Path image = dir.resolve(name + ".luks");
        Files.write(image, file);
        Path raw = dir.resolve(name + ".raw");
        Files.write(raw, plaintext);

        // DiskLens's own reader opens it.
        MemoryBlockSource volume = new MemoryBlockSource(name, file);
        LuksHeader header = Luks.header(volume);
        assertThat(header.cipher()).isEqualTo(params.cipherSpec());
        assertThat(header.payloadOffset()).isEqualTo(created.payloadOffset());
        try (Passphrases passphrases = Passphrases.of(PASSPHRASE.getBytes(StandardCharsets.UTF_8));
             VolumeKey unlocked = Luks.unlock(header, volume, passphrases, "test", KdfLimits.DEFAULT).orElseThrow()) {
            assertThat(unlocked.bytes()).isEqualTo(key);
        }

        Cryptsetup.require();
        String dump = Cryptsetup.dump(dir, image.toString());
        assertThat(Cryptsetup.field(dump, "Payload offset:")).contains(String.valueOf(payloadSectors));
        assertThat(Cryptsetup.field(dump, "Hash spec:")).contains(params.hashAlg());
        assertThat(Cryptsetup.volumeKey(dir, image.toString(), dir.resolve("pw.txt").toString(), 1)).isEqualTo(key);

        Qemu.require();
        String compare = Tools.run(dir, "qemu-img", "compare", "--object", "secret,id=s,file=" + dir.resolve("pw.txt"),
                "--image-opts", "driver=luks,key-secret=s,file.filename=" + image, "driver=raw,file.filename=" + raw);
        assertThat(compare).contains("Images are identical.");
    }

    /** The same layout as qemu-img's own header for the default parameters: slot offsets and the disabled slots. */
    @Test
    void slotLayoutIsQemus() throws IOException {
        Qemu.require();
        Path qemus = dir.resolve("qemu.luks");
        Tools.run(dir, "qemu-img", "create", "-q", "--object", "secret,id=s,file=" + dir.resolve("pw.txt"), "-f", "luks",
                "-o", "key-secret=s,iter-time=10", qemus.toString(), "1M");
        ByteBuffer theirs = ByteBuffer.wrap(Files.readAllBytes(qemus));
        ByteBuffer ours;
        try (Passphrase passphrase = new Passphrase(PASSPHRASE.getBytes(StandardCharsets.UTF_8))) {
            ours = ByteBuffer.wrap(Luks1Writer.create(Luks1Writer.Params.defaults().withIterTime(10), passphrase).header());
        }
        for (int field : new int[] {0, 4, 104, 108}) {
            assertThat(ours.getInt(field)).as("field at %d", field).isEqualTo(theirs.getInt(field));
        }
        for (int slot = 0; slot < 8; slot++) {
            int at = 208 + slot * 48;
            assertThat(ours.getInt(at)).isEqualTo(theirs.getInt(at));
            assertThat(ours.getInt(at + 40)).isEqualTo(theirs.getInt(at + 40));
            assertThat(ours.getInt(at + 44)).isEqualTo(theirs.getInt(at + 44));
            if (slot > 0) {
                assertThat(ours.getInt(at + 4)).isZero();
            }
        }
    }

    @Test
    void refusesWhatItCannotWriteByName() {
        try (Passphrase passphrase = new Passphrase(new byte[] {1})) {
            assertThatThrownBy(() -> Luks1Writer.create(params("aes-192", "xts", "plain64", Optional.empty(), "sha256"),
                    passphrase)).isInstanceOf(UnsupportedFeature.class).hasMessageContaining("cipher-alg 'aes-192'");
            assertThatThrownBy(() -> Luks1Writer.create(params("aes-256", "cbc", "essiv", Optional.of("sha1"), "sha256"),
                    passphrase)).isInstanceOf(UnsupportedFeature.class).hasMessageContaining("essiv");
            assertThatThrownBy(() -> Luks1Writer.create(params("aes-256", "xts", "plain64", Optional.empty(), "md5"),
                    passphrase)).isInstanceOf(UnsupportedFeature.class).hasMessageContaining("hash-alg 'md5'");
        }
    }
}

package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.disklens.crypto.CryptoTools.hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * XTS-AES against IEEE 1619's test vectors (1 to 5, 10 and 11, in ieee1619-xts-vectors.txt) and against OpenSSL's
 * XTS on random sectors of 512 and 4096 bytes, with tweaks past 2^32 and up to 2^64 - 1.
 */
class XtsTest {
    @TempDir
    static Path dir;

    record Vector(String name, byte[] key, long dataUnit, byte[] plaintext, byte[] ciphertext) {
        @Override
        public String toString() {
            return "vector " + name;
        }
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        String text = new String(Objects.requireNonNull(XtsTest.class.getResourceAsStream("ieee1619-xts-vectors.txt"))
                .readAllBytes(), StandardCharsets.US_ASCII);
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] field = line.split(" ");
            vectors.add(new Vector(field[0], hex(field[1] + field[2]), Long.parseUnsignedLong(field[3], 16), hex(field[4]),
                    hex(field[5])));
        }
        return vectors;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void ieee1619Vectors(Vector vector) {
        try (Xts xts = new Xts(vector.key())) {
            byte[] data = vector.plaintext().clone();
            xts.encrypt(vector.dataUnit(), data, 0, data.length);
            assertThat(hex(data)).isEqualTo(hex(vector.ciphertext()));
            xts.decrypt(vector.dataUnit(), data, 0, data.length);
            assertThat(hex(data)).isEqualTo(hex(vector.plaintext()));
        }
    }

    @Test
    void theVectorsCoverWhatTheBriefAsks() throws IOException {
        assertThat(vectors()).extracting(Vector::name).contains("1", "2", "3", "4", "5", "10", "11");
    }

    @ParameterizedTest(name = "AES-{0} XTS, {1}-byte sectors")
    @MethodSource("sizes")
    void agreesWithOpenSsl(int bits, int sectorSize) {
        CryptoTools.requireOpenSslXts(dir);
        Random random = new Random(bits * 31L + sectorSize);
        byte[] key = new byte[bits / 4];
        random.nextBytes(key);
        long[] units = {0, 1, 0xff, 0x1_0000_0005L, Long.MAX_VALUE, -1L};
        byte[] plaintexts = new byte[units.length * sectorSize];
        byte[] ciphertexts = new byte[units.length * sectorSize];
        random.nextBytes(plaintexts);
        random.nextBytes(ciphertexts);
        byte[] expected = CryptoTools.xts(dir, key, sectorSize, units, plaintexts, ciphertexts);
        try (Xts xts = new Xts(key)) {
            for (int i = 0; i < units.length; i++) {
                xts.encrypt(units[i], plaintexts, i * sectorSize, sectorSize);
                xts.decrypt(units[i], ciphertexts, i * sectorSize, sectorSize);
            }
        }
        assertThat(hex(plaintexts)).as("encrypted").isEqualTo(hex(java.util.Arrays.copyOfRange(expected, 0, plaintexts.length)));
        assertThat(hex(ciphertexts)).as("decrypted").isEqualTo(hex(java.util.Arrays.copyOfRange(expected, plaintexts.length,
                expected.length)));
    }

    static List<Object[]> sizes() {
        return List.of(new Object[] {128, 512}, new Object[] {256, 512}, new Object[] {128, 4096}, new Object[] {256, 4096});
    }

    @Test
    void sectorsInsideALargerBufferAreEncryptedInPlace() {
        byte[] key = new byte[64];
        new Random(3).nextBytes(key);
        byte[] buffer = new byte[3 * 512 + 7];
        new Random(4).nextBytes(buffer);
        byte[] alone = java.util.Arrays.copyOfRange(buffer, 7 + 512, 7 + 1024);
        try (Xts xts = new Xts(key)) {
            xts.encrypt(9, buffer, 7 + 512, 512);
            xts.encrypt(9, alone, 0, 512);
        }
        assertThat(java.util.Arrays.copyOfRange(buffer, 7 + 512, 7 + 1024)).isEqualTo(alone);
    }

    @Test
    void lengthsThatAreNotWholeBlocksAreRefused() {
        try (Xts xts = new Xts(new byte[32])) {
            for (int length : new int[] {0, 8, 15, 17, 520}) {
                assertThatThrownBy(() -> xts.decrypt(0, new byte[1024], 0, length))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole 16-byte blocks");
            }
        }
        assertThatThrownBy(() -> new Xts(new byte[48])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainTweaksUseTheLow32BitsOfTheSector() {
        byte[] key = new byte[32];
        new Random(5).nextBytes(key);
        SectorCipher plain = SectorCipher.of("aes-xts-plain", key);
        SectorCipher plain64 = SectorCipher.of("aes-xts-plain64", key);
        byte[] a = new byte[512];
        byte[] b = new byte[512];
        plain.encrypt(0x1_0000_0007L, a, 0, 512);
        plain64.encrypt(7, b, 0, 512);
        assertThat(a).isEqualTo(b);
        assertThat(plain.toString()).doesNotContain(hex(key).substring(0, 8));
    }
}

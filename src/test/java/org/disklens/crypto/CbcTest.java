package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.crypto.CryptoTools.hex;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AES-CBC sectors with dm-crypt's IV generators against {@code openssl enc -aes-{128,256}-cbc -nopad}: plain and
 * plain64 IVs are the sector number written little-endian; essiv:sha256's IV is that block encrypted by
 * {@code openssl enc -aes-256-ecb} under {@code openssl dgst -sha256} of the key.
 */
class CbcTest {
    @TempDir
    static Path dir;

    static List<Object[]> cases() {
        return List.of(new Object[] {"plain", 16}, new Object[] {"plain64", 16}, new Object[] {"essiv:sha256", 16},
                new Object[] {"plain", 32}, new Object[] {"plain64", 32}, new Object[] {"essiv:sha256", 32});
    }

    @ParameterizedTest(name = "aes-cbc-{0}, {1}-byte key")
    @MethodSource("cases")
    void agreesWithOpenSsl(String ivMode, int keyBytes) {
        CryptoTools.requireOpenSsl();
        Random random = new Random(ivMode.hashCode() * 7L + keyBytes);
        byte[] key = new byte[keyBytes];
        random.nextBytes(key);
        String cipher = "aes-%d-cbc".formatted(keyBytes * 8);
        try (SectorCipher cbc = SectorCipher.of("aes-cbc-" + ivMode, key)) {
            for (long sector : new long[] {0, 1, 4095, 0x1_0000_0003L}) {
                byte[] iv = new byte[16];
                long number = ivMode.equals("plain") ? sector & 0xffff_ffffL : sector;
                for (int i = 0; i < 8; i++) {
                    iv[i] = (byte) (number >>> (8 * i));
                }
                if (ivMode.startsWith("essiv")) {
                    iv = CryptoTools.enc(dir, "aes-256-ecb", CryptoTools.sha256(dir, key), null, iv, false);
                }
                byte[] plaintext = new byte[512];
                random.nextBytes(plaintext);
                byte[] expected = CryptoTools.enc(dir, cipher, key, iv, plaintext, false);
                byte[] data = plaintext.clone();
                cbc.encrypt(sector, data, 0, 512);
                assertThat(hex(data)).as("sector %x", sector).isEqualTo(hex(expected));
                cbc.decrypt(sector, data, 0, 512);
                assertThat(data).isEqualTo(plaintext);
                byte[] ciphertext = new byte[512];
                random.nextBytes(ciphertext);
                byte[] decrypted = CryptoTools.enc(dir, cipher, key, iv, ciphertext, true);
                byte[] mine = Arrays.copyOf(ciphertext, 512);
                cbc.decrypt(sector, mine, 0, 512);
                assertThat(hex(mine)).as("sector %x decrypted", sector).isEqualTo(hex(decrypted));
            }
        }
    }
}

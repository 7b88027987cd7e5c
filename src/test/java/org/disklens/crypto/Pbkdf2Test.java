package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.crypto.CryptoTools.hex;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PBKDF2 against RFC 6070's HMAC-SHA1 vectors, {@code openssl kdf PBKDF2} with passphrases that are not text (NUL,
 * 0xff, a newline) and the empty one, and the JDK's own factories where the password is ASCII.
 */
class Pbkdf2Test {
    @TempDir
    static Path dir;

    @ParameterizedTest(name = "RFC 6070: {0}, {1}, {2} iterations")
    @CsvSource({
        "password, salt, 1, 20, 0c60c80f961f0e71f3a9b524af6012062fe037a6",
        "password, salt, 2, 20, ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
        "password, salt, 4096, 20, 4b007901b765489abead49d926f721d065a429c1",
        "passwordPASSWORDpassword, saltSALTsaltSALTsaltSALTsaltSALTsalt, 4096, 25, "
                + "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"})
    void rfc6070(String password, String salt, int iterations, int length, String expected) throws Exception {
        assertThat(hex(Pbkdf2.derive("sha1", password.getBytes(StandardCharsets.US_ASCII),
                salt.getBytes(StandardCharsets.US_ASCII), iterations, length))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, passphrase {1}")
    @CsvSource({"sha1, 00ff0a41", "sha256, 00ff0a41", "sha512, 00ff0a41", "sha256, ''", "sha512, ''",
        "sha256, 3031323334353637383930313233343536373839303132333435363738393031323334353637383930313233343536373839"
                + "30313233343536373839"})
    void agreesWithOpenSsl(String hash, String passwordHex) throws Exception {
        CryptoTools.requireOpenSsl();
        byte[] password = hex(passwordHex);
        byte[] salt = hex("5a0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        for (int length : new int[] {16, 32, 64, 100}) {
            byte[] expected = CryptoTools.pbkdf2(dir, hash.toUpperCase(java.util.Locale.ROOT), password, salt, 1000, length);
            assertThat(hex(Pbkdf2.derive(hash, password, salt, 1000, length))).as("%d bytes", length)
                    .isEqualTo(hex(expected));
        }
    }

    @Test
    void agreesWithTheJdkForAsciiPasswords() throws Exception {
        byte[] salt = "a salt of LUKS".getBytes(StandardCharsets.US_ASCII);
        for (String[] algorithm : new String[][] {{"sha1", "PBKDF2WithHmacSHA1"}, {"sha256", "PBKDF2WithHmacSHA256"},
            {"sha512", "PBKDF2WithHmacSHA512"}}) {
            byte[] jdk = SecretKeyFactory.getInstance(algorithm[1])
                    .generateSecret(new PBEKeySpec("correct horse".toCharArray(), salt, 2000, 64 * 8)).getEncoded();
            assertThat(Pbkdf2.derive(algorithm[0], "correct horse".getBytes(StandardCharsets.US_ASCII), salt, 2000, 64))
                    .isEqualTo(jdk);
        }
    }
}

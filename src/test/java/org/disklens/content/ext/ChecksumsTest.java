package org.disklens.content.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checksums against the CRC catalogue's check values ("123456789": CRC-32C 0xE3069283, CRC-16/ARC 0xBB3D) and
 * against a bit-at-a-time CRC-32C for seeds other than all ones (the path {@code metadata_csum_seed} takes).
 */
class ChecksumsTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc32cMatchesTheCatalogueWithTheKernelsConventions() {
        assertThat(~Checksums.crc32c(Checksums.CRC32C_INITIAL, ByteBuffer.wrap(CHECK))).isEqualTo(0xE3069283);
    }

    @Test
    void crc16MatchesTheCatalogue() {
        assertThat(Checksums.crc16(0, ByteBuffer.wrap(CHECK))).isEqualTo(0xBB3D);
    }

    @Test
    void anySeedAgreesWithTheBitwiseRegister() {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 4, 16, 60, 128, 256, 1020, 4096}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            int seed = random.nextInt();
            assertThat(Checksums.crc32c(seed, ByteBuffer.wrap(data))).as("length %d", length).isEqualTo(bitwise(seed, data));
        }
    }

    private static int bitwise(int seed, byte[] data) {
        int crc = seed;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return crc;
    }
}

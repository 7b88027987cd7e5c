package org.disklens.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.disklens.image.ImageException;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes LUKS1/LUKS2 volumes: the input is a whole volume; its header is read (both LUKS2 copies, the JSON area), the
 * fixed passphrase {@code fuzz} tried on its key slots with the key derivation costs capped small
 * ({@link KdfLimits#FUZZ}), and with a key the first sectors of its payload decrypted. Only {@link ImageException} may
 * escape, and no input may take more than {@link FuzzTarget#TIME_BOUND_NANOS}. Seeds: make-fuzz-seeds.sh in this
 * package's test resources (cryptsetup luksFormat with the passphrase {@code fuzz}).
 */
class LuksFuzzTest {
    private static final byte[] PASSPHRASE = "fuzz".getBytes(StandardCharsets.US_ASCII);

    @ParserFuzzTest
    void unlock(byte[] bytes) {
        long start = System.nanoTime();
        MemoryBlockSource volume = new MemoryBlockSource("fuzz.luks", bytes);
        try (Passphrases passphrases = Passphrases.of(PASSPHRASE)) {
            LuksHeader header = Luks.header(volume);
            header.uuid();
            header.cipher();
            header.tokens();
            header.keyslots();
            Optional<VolumeKey> key = Luks.unlock(header, volume, passphrases, "fuzz volume", KdfLimits.FUZZ);
            if (key.isPresent()) {
                try (VolumeKey volumeKey = key.get();
                     DecryptingBlockSource payload = Luks.payload(header, volume, volumeKey, "fuzz payload")) {
                    int length = (int) Math.min(payload.size(), 64 * 1024);
                    payload.read(0, ByteBuffer.allocate(length));
                    if (payload.size() > 1000) {
                        payload.read(payload.size() - 1000, ByteBuffer.allocate(1000));
                    }
                }
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

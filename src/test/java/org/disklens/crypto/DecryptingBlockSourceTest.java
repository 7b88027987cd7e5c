package org.disklens.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.disklens.io.BlockSource;
import org.disklens.io.FileBlockSource;
import org.disklens.io.HostExtent;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decrypting source: sectors encrypted with dm-crypt's IV numbering (512-byte units, iv_offset added, shifted for
 * iv_large_sectors) read back as the plaintext at any offset and length, from four threads at once; a ciphertext hole
 * is data, not zeroes.
 */
class DecryptingBlockSourceTest {
    @TempDir
    Path dir;

    /** {@code plaintext} encrypted as dm-crypt would: sector i's IV number from i, the offset and the IV mode. */
    static byte[] encrypt(SectorCipher cipher, byte[] plaintext, int sectorSize, long ivOffset, boolean largeIv) {
        byte[] out = plaintext.clone();
        int shift = Integer.numberOfTrailingZeros(sectorSize / 512);
        for (int sector = 0; sector * sectorSize < out.length; sector++) {
            long iv = ((long) sector << shift) + ivOffset;
            cipher.encrypt(largeIv ? iv >>> shift : iv, out, sector * sectorSize, sectorSize);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {1}-byte sectors, iv offset {2}, large IVs {3}")
    @CsvSource({"aes-xts-plain64, 512, 0, false", "aes-xts-plain64, 4096, 0, false", "aes-xts-plain64, 4096, 16, true",
        "aes-cbc-essiv:sha256, 512, 7, false", "aes-xts-plain, 1024, 8, false"})
    void readsAtAnyOffsetAndLength(String spec, int sectorSize, long ivOffset, boolean largeIv) throws IOException {
        Random random = new Random(sectorSize + ivOffset);
        byte[] key = new byte[spec.contains("xts") ? 64 : 32];
        random.nextBytes(key);
        byte[] plaintext = new byte[64 * sectorSize];
        random.nextBytes(plaintext);
        byte[] ciphertext = encrypt(SectorCipher.of(spec, key), plaintext, sectorSize, ivOffset, largeIv);
        byte[] withTail = Arrays.copyOf(ciphertext, ciphertext.length + 100);
        try (DecryptingBlockSource source = new DecryptingBlockSource("test", new MemoryBlockSource("c", withTail),
                SectorCipher.of(spec, key), sectorSize, ivOffset, largeIv)) {
            assertThat(source.size()).as("a partial sector at the end is not plaintext").isEqualTo(plaintext.length);
            byte[] all = new byte[plaintext.length];
            source.read(0, ByteBuffer.wrap(all));
            assertThat(all).isEqualTo(plaintext);
            for (int i = 0; i < 200; i++) {
                int at = random.nextInt(plaintext.length);
                int length = random.nextInt(plaintext.length - at + 1);
                ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.allocate(length) : ByteBuffer.allocateDirect(length);
                source.read(at, buffer);
                byte[] got = new byte[length];
                buffer.flip().get(got);
                assertThat(got).as("%d bytes at %d", length, at).isEqualTo(Arrays.copyOfRange(plaintext, at, at + length));
            }
            assertThatThrownBy(() -> source.read(plaintext.length - 1, ByteBuffer.allocate(2)))
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    void fourThreadsReadWhatOneReads() throws Exception {
        Random random = new Random(11);
        byte[] key = new byte[64];
        random.nextBytes(key);
        byte[] plaintext = new byte[4 << 20];
        random.nextBytes(plaintext);
        byte[] ciphertext = encrypt(SectorCipher.of("aes-xts-plain64", key), plaintext, 512, 0, false);
        DecryptingBlockSource source = new DecryptingBlockSource("test", new MemoryBlockSource("c", ciphertext),
                SectorCipher.of("aes-xts-plain64", key), 512, 0, false);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                long seed = thread;
                results.add(pool.submit(() -> {
                    Random mine = new Random(seed);
                    for (int i = 0; i < 300; i++) {
                        int at = mine.nextInt(plaintext.length - 70_000);
                        int length = 1 + mine.nextInt(70_000);
                        byte[] got = new byte[length];
                        source.read(at, ByteBuffer.wrap(got));
                        if (!Arrays.equals(got, Arrays.copyOfRange(plaintext, at, at + length))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void holesInTheCiphertextAreData() throws IOException {
        Path sparse = dir.resolve("sparse.img");
        try (var channel = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) 1), 0);
            channel.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) 1), (8 << 20) - 4096);
        }
        try (FileBlockSource file = FileBlockSource.open(sparse);
             DecryptingBlockSource source = new DecryptingBlockSource("test", file,
                     SectorCipher.of("aes-xts-plain64", new byte[64]), 512, 0, false)) {
            HostExtent extent = source.extentAt(4096);
            assertThat(extent.data()).isTrue();
            assertThat(extent.end()).isEqualTo(source.size());
            byte[] hole = new byte[512];
            source.read(1 << 20, ByteBuffer.wrap(hole));
            assertThat(hole).as("zeroes decrypted are not zeroes").isNotEqualTo(new byte[512]);
        }
        assertThat(Files.size(sparse)).isEqualTo(8 << 20);
    }

    @Test
    void theKeyIsNotShown() {
        byte[] key = new byte[64];
        Arrays.fill(key, (byte) 0x41);
        assertThat(SectorCipher.of("aes-xts-plain64", key).toString()).doesNotContain("41414141", "AAAA");
        assertThat(new VolumeKey(key).toString()).doesNotContain("41414141", "AAAA");
        assertThat(new Passphrase("hunter2".getBytes()).toString()).doesNotContain("hunter2");
        assertThat(BlockSource.class).isNotNull();
    }
}

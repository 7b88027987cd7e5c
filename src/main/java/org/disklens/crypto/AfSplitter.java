package org.disklens.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.disklens.image.UnsupportedFeature;

/**
 * LUKS's anti-forensic splitter (the LUKS1 on-disk specification, section "AF-Splitter"; LUKS2 key slots with
 * {@code af.type = luks1}): a key of {@code n} bytes is stored as {@code stripes} blocks of {@code n} bytes whose
 * merge gives it back. Merging: {@code d = 0}; for each block but the last, {@code d = diffuse(d xor block)}; the key
 * is {@code d xor last block}. {@code diffuse} hashes the block piece by piece: piece {@code i} (the hash's digest size,
 * the last one shorter) becomes the first bytes of {@code H(be32(i) || piece)}.
 */
public final class AfSplitter {
    private AfSplitter() {
    }

    /** The key of {@code keyBytes} merged from the first {@code keyBytes × stripes} bytes of {@code material}. */
    public static byte[] merge(byte[] material, int keyBytes, int stripes, String hash) throws UnsupportedFeature {
        if (stripes < 1 || (long) keyBytes * stripes > material.length) {
            throw new IllegalArgumentException("%d stripes of %d bytes do not fit in %d bytes".formatted(stripes, keyBytes,
                    material.length));
        }
        MessageDigest digest = Hashes.digest(hash);
        byte[] d = new byte[keyBytes];
        for (int stripe = 0; stripe < stripes - 1; stripe++) {
            xor(d, material, stripe * keyBytes);
            diffuse(d, digest);
        }
        xor(d, material, (stripes - 1) * keyBytes);
        return d;
    }

    /** The split of {@code key} into {@code stripes} blocks, random but the last (for tests and fuzz seeds). */
    public static byte[] split(byte[] key, int stripes, String hash, Random random) throws UnsupportedFeature {
        MessageDigest digest = Hashes.digest(hash);
        int keyBytes = key.length;
        byte[] material = new byte[keyBytes * stripes];
        byte[] d = new byte[keyBytes];
        byte[] block = new byte[keyBytes];
        for (int stripe = 0; stripe < stripes - 1; stripe++) {
            random.nextBytes(block);
            System.arraycopy(block, 0, material, stripe * keyBytes, keyBytes);
            xor(d, material, stripe * keyBytes);
            diffuse(d, digest);
        }
        for (int i = 0; i < keyBytes; i++) {
            material[(stripes - 1) * keyBytes + i] = (byte) (d[i] ^ key[i]);
        }
        Arrays.fill(d, (byte) 0);
        return material;
    }

    /** {@link #split(byte[], int, String, Random)} with a {@link SecureRandom}. */
    public static byte[] split(byte[] key, int stripes, String hash) throws UnsupportedFeature {
        return split(key, stripes, hash, new SecureRandom());
    }

    private static void xor(byte[] into, byte[] from, int offset) {
        for (int i = 0; i < into.length; i++) {
            into[i] ^= from[offset + i];
        }
    }

    private static void diffuse(byte[] block, MessageDigest digest) {
        int size = digest.getDigestLength();
        for (int piece = 0, at = 0; at < block.length; piece++, at += size) {
            int length = Math.min(size, block.length - at);
            digest.update(new byte[] {(byte) (piece >>> 24), (byte) (piece >>> 16), (byte) (piece >>> 8), (byte) piece});
            digest.update(block, at, length);
            byte[] hashed = digest.digest();
            System.arraycopy(hashed, 0, block, at, length);
        }
    }
}

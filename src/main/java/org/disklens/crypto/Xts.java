package org.disklens.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * XTS-AES (IEEE Std 1619-2007) over the JDK's {@code AES/ECB/NoPadding}: the key is split in two halves (data key,
 * tweak key); for data unit {@code j} the tweak {@code T = AES(tweak key, j as 16 bytes little-endian)}, and block
 * {@code i} of the unit is {@code C = AES(data key, P xor T·α^i) xor T·α^i} in GF(2^128) (α^i by shifting the
 * little-endian 128-bit tweak left, folding the carry in as {@code 0x87}). Data units must be whole 16-byte blocks
 * (sectors always are): ciphertext stealing is not implemented, and other lengths are refused.
 */
public final class Xts extends SectorCipher {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final RawKey dataKey;
    private final RawKey tweakKey;
    private final IvMode mode;
    private final int keyBytes;
    private Cipher tweakCipher;
    private Cipher encryptCipher;
    private Cipher decryptCipher;
    private byte[] tweaks = new byte[0];
    private final byte[] tweak = new byte[16];

    /** XTS-AES-128 (32-byte key) or XTS-AES-256 (64-byte key); data unit numbers used as they are (plain64). */
    public Xts(byte[] key) {
        this(key, IvMode.PLAIN64);
    }

    Xts(byte[] key, IvMode mode) {
        if (key.length != 32 && key.length != 64) {
            throw new IllegalArgumentException("XTS-AES takes a key of 32 or 64 bytes, not " + key.length);
        }
        this.keyBytes = key.length;
        this.dataKey = new RawKey("AES", key, 0, key.length / 2);
        this.tweakKey = new RawKey("AES", key, key.length / 2, key.length / 2);
        this.mode = mode;
    }

    @Override
    public int keyBytes() {
        return keyBytes;
    }

    /** Decrypts data unit number {@code dataUnit} (as an unsigned 64-bit number) in place. */
    @Override
    public void decrypt(long dataUnit, byte[] data, int offset, int length) {
        crypt(false, dataUnit, data, offset, length);
    }

    @Override
    public void encrypt(long dataUnit, byte[] data, int offset, int length) {
        crypt(true, dataUnit, data, offset, length);
    }

    private synchronized void crypt(boolean encrypt, long dataUnit, byte[] data, int offset, int length) {
        if (length < 16 || length % 16 != 0) {
            throw new IllegalArgumentException("XTS without ciphertext stealing takes whole 16-byte blocks, not " + length
                    + " bytes");
        }
        try {
            Cipher cipher = encrypt ? encryptCipher() : decryptCipher();
            if (tweaks.length < length) {
                tweaks = new byte[length];
            }
            Arrays.fill(tweak, (byte) 0);
            LONG.set(tweak, 0, ivNumber(mode, dataUnit));
            tweakCipher().doFinal(tweak, 0, 16, tweak, 0);
            long low = (long) LONG.get(tweak, 0);
            long high = (long) LONG.get(tweak, 8);
            for (int at = 0; at < length; at += 16) {
                LONG.set(tweaks, at, low);
                LONG.set(tweaks, at + 8, high);
                long carry = high >> 63;
                high = (high << 1) | (low >>> 63);
                low = (low << 1) ^ (carry & 0x87);
            }
            xor(data, offset, length);
            cipher.doFinal(data, offset, length, data, offset);
            xor(data, offset, length);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES/ECB failed", impossible);
        }
    }

    private void xor(byte[] data, int offset, int length) {
        for (int at = 0; at < length; at += 8) {
            LONG.set(data, offset + at, (long) LONG.get(data, offset + at) ^ (long) LONG.get(tweaks, at));
        }
    }

    private Cipher tweakCipher() throws GeneralSecurityException {
        if (tweakCipher == null) {
            tweakCipher = ecb(Cipher.ENCRYPT_MODE, tweakKey);
        }
        return tweakCipher;
    }

    private Cipher encryptCipher() throws GeneralSecurityException {
        if (encryptCipher == null) {
            encryptCipher = ecb(Cipher.ENCRYPT_MODE, dataKey);
        }
        return encryptCipher;
    }

    private Cipher decryptCipher() throws GeneralSecurityException {
        if (decryptCipher == null) {
            decryptCipher = ecb(Cipher.DECRYPT_MODE, dataKey);
        }
        return decryptCipher;
    }

    static Cipher ecb(int mode, RawKey key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
        cipher.init(mode, key);
        return cipher;
    }

    @Override
    public synchronized void close() {
        dataKey.destroy();
        tweakKey.destroy();
        Arrays.fill(tweaks, (byte) 0);
        Arrays.fill(tweak, (byte) 0);
    }

    @Override
    public String toString() {
        return "Xts[AES-" + keyBytes * 4 + ", hidden]";
    }
}

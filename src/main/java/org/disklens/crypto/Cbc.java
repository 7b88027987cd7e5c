package org.disklens.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-CBC sectors with dm-crypt's IV generators, over the JDK's {@code AES/CBC/NoPadding}: {@code plain} (the sector
 * number's low 32 bits, little-endian, then zeroes), {@code plain64} (the 64-bit sector number, little-endian, then
 * zeroes), {@code essiv:sha256} (that plain64 block encrypted with AES-256 under {@code SHA-256(key)}).
 */
public final class Cbc extends SectorCipher {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final RawKey key;
    private final RawKey essivKey;
    private final IvMode mode;
    private final int keyBytes;
    private Cipher cbc;
    private Cipher essiv;
    private final byte[] iv = new byte[16];

    Cbc(byte[] key, IvMode mode) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES takes a key of 16, 24 or 32 bytes, not " + key.length);
        }
        this.keyBytes = key.length;
        this.key = new RawKey("AES", key);
        this.mode = mode;
        if (mode == IvMode.ESSIV_SHA256) {
            try {
                byte[] salt = MessageDigest.getInstance("SHA-256").digest(key);
                this.essivKey = new RawKey("AES", salt);
                Arrays.fill(salt, (byte) 0);
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException(impossible);
            }
        } else {
            this.essivKey = null;
        }
    }

    /** {@code aes-cbc-essiv:sha256}, {@code aes-cbc-plain64} or {@code aes-cbc-plain} by {@code ivMode}'s name. */
    public static Cbc of(byte[] key, String ivMode) {
        return new Cbc(key, switch (ivMode) {
            case "essiv:sha256" -> IvMode.ESSIV_SHA256;
            case "plain64" -> IvMode.PLAIN64;
            case "plain" -> IvMode.PLAIN;
            default -> throw new IllegalArgumentException("IV mode " + ivMode);
        });
    }

    @Override
    public int keyBytes() {
        return keyBytes;
    }

    @Override
    public void decrypt(long ivSector, byte[] data, int offset, int length) {
        crypt(Cipher.DECRYPT_MODE, ivSector, data, offset, length);
    }

    @Override
    public void encrypt(long ivSector, byte[] data, int offset, int length) {
        crypt(Cipher.ENCRYPT_MODE, ivSector, data, offset, length);
    }

    private synchronized void crypt(int direction, long ivSector, byte[] data, int offset, int length) {
        if (length < 16 || length % 16 != 0) {
            throw new IllegalArgumentException("CBC without padding takes whole 16-byte blocks, not " + length + " bytes");
        }
        try {
            Arrays.fill(iv, (byte) 0);
            LONG.set(iv, 0, ivNumber(mode == IvMode.PLAIN ? IvMode.PLAIN : IvMode.PLAIN64, ivSector));
            if (mode == IvMode.ESSIV_SHA256) {
                if (essiv == null) {
                    essiv = Xts.ecb(Cipher.ENCRYPT_MODE, essivKey);
                }
                essiv.doFinal(iv, 0, 16, iv, 0);
            }
            if (cbc == null) {
                cbc = Cipher.getInstance("AES/CBC/NoPadding");
            }
            cbc.init(direction, key, new IvParameterSpec(iv));
            cbc.doFinal(data, offset, length, data, offset);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES/CBC failed", impossible);
        }
    }

    @Override
    public synchronized void close() {
        key.destroy();
        if (essivKey != null) {
            essivKey.destroy();
        }
        Arrays.fill(iv, (byte) 0);
    }

    @Override
    public String toString() {
        return "Cbc[AES-" + keyBytes * 8 + ", " + mode + ", hidden]";
    }
}

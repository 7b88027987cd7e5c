package org.disklens.image.qcow2;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.disklens.crypto.KdfLimits;
import org.disklens.crypto.Luks;
import org.disklens.crypto.LuksHeader;
import org.disklens.crypto.Passphrase;
import org.disklens.crypto.Passphrases;
import org.disklens.crypto.SectorCipher;
import org.disklens.crypto.VolumeKey;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * Decrypting the data clusters of an encrypted qcow2, as qemu's qcow2 driver does:
 * <ul>
 *   <li>{@code encrypt.format=luks}: the LUKS1 header at the full-disk-encryption extension's offset (key slot offsets
 *       count from there), unlocked with the passphrase; each 512-byte sector is decrypted with the IV of its
 *       <em>host</em> sector number (qemu's {@code crypt_physical_offset}: the file offset / 512), the payload offset of
 *       the LUKS header playing no part.</li>
 *   <li>{@code encrypt.format=aes} (legacy): AES-128-CBC, the key the passphrase's bytes up to the first NUL, cut or
 *       zero-padded to 16 (qemu's {@code qcrypto_block_qcow_init}); the IV is the <em>guest</em> sector number, plain64.
 *       Any passphrase gives a key: there is nothing to check it against.</li>
 * </ul>
 * The key is had on first use (so a listing that never reads data never asks), once; without a passphrase the data is
 * refused with one line, and a wrong LUKS passphrase is {@link org.disklens.crypto.WrongPassphrase}.
 */
final class Qcow2Encryption implements AutoCloseable {
    private static final int SECTOR = 512;
    private static final int CHUNK = 1 << 20;

    private final String method;
    private final String what;
    private final Passphrases passphrases;
    private final Optional<LuksHeader> luks;
    private final BlockSource luksArea;
    private final Optional<ImageException> broken;
    private SectorCipher cipher;
    private ImageException failure;

    private Qcow2Encryption(String method, String what, Passphrases passphrases, Optional<LuksHeader> luks,
                            BlockSource luksArea, Optional<ImageException> broken) {
        this.broken = broken;
        this.method = method;
        this.what = what;
        this.passphrases = passphrases;
        this.luks = luks;
        this.luksArea = luksArea;
    }

    /**
     * LUKS: the header in {@code length} bytes at {@code offset} of {@code file}. A header that cannot be read is said
     * when data is read: the rest of the image is still shown.
     */
    static Qcow2Encryption luks(BlockSource file, long offset, long length, Passphrases passphrases) throws IOException {
        String what = "qcow2 image " + file.name();
        if (offset < 0 || length < 0 || offset > file.size() - Math.min(length, file.size())) {
            return new Qcow2Encryption("luks", what, passphrases, Optional.empty(), null, Optional.of(new CorruptImage(
                    "qcow2", "LUKS header", offset, "its %d bytes run past the end of the file".formatted(length))));
        }
        BlockSource area = new SliceBlockSource(file, offset, length);
        try {
            return new Qcow2Encryption("luks", what, passphrases, Optional.of(Luks.header(area)), area, Optional.empty());
        } catch (ImageException damaged) {
            return new Qcow2Encryption("luks", what, passphrases, Optional.empty(), null, Optional.of(new CorruptImage(
                    "qcow2", "LUKS header", offset, damaged.getMessage())));
        }
    }

    /** Legacy AES-CBC. */
    static Qcow2Encryption aes(BlockSource file, Passphrases passphrases) {
        return new Qcow2Encryption("aes", "qcow2 image " + file.name(), passphrases, Optional.empty(), null,
                Optional.empty());
    }

    /**
     * Gets the key now: fails with one line when there is no passphrase or it opens no key slot. A failure is kept, so
     * that a prompt is not repeated for every read.
     */
    synchronized SectorCipher cipher() throws IOException {
        if (cipher != null) {
            return cipher;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            return keyed();
        } catch (ImageException refused) {
            failure = refused;
            throw refused;
        }
    }

    private SectorCipher keyed() throws IOException {
        if (broken.isPresent()) {
            throw broken.get();
        }
        if (method.equals("luks")) {
            Optional<VolumeKey> key = Luks.unlock(luks.orElseThrow(), luksArea, passphrases, what, KdfLimits.DEFAULT);
            if (key.isEmpty()) {
                throw locked();
            }
            try (VolumeKey volumeKey = key.get()) {
                byte[] bytes = volumeKey.bytes();
                try {
                    cipher = SectorCipher.of(luks.get().cipher(), bytes);
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        } else {
            Optional<Passphrase> passphrase = passphrases.passphraseFor(what);
            if (passphrase.isEmpty()) {
                throw locked();
            }
            byte[] key = new byte[16];
            try (Passphrase given = passphrase.get()) {
                byte[] bytes = given.bytes();
                try {
                    for (int i = 0; i < key.length && i < bytes.length && bytes[i] != 0; i++) {
                        key[i] = bytes[i];
                    }
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
                cipher = SectorCipher.of("aes-cbc-plain64", key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return cipher;
    }

    private UnsupportedFeature locked() {
        return new UnsupportedFeature("qcow2", "encryption (%s)".formatted(method), -1,
                "locked: give --passphrase-file to read the data");
    }

    /**
     * Fills {@code dst} with the plaintext of the guest bytes at {@code guestOffset}, stored encrypted at
     * {@code hostOffset} of {@code ciphertext} (both offsets lie in one cluster, so they share their place in a
     * sector).
     */
    void read(BlockSource ciphertext, long guestOffset, long hostOffset, ByteBuffer dst) throws IOException {
        SectorCipher sectors = cipher();
        boolean physical = method.equals("luks");
        int within = (int) (hostOffset % SECTOR);
        long hostSector = hostOffset / SECTOR;
        long ivSector = physical ? hostSector : (guestOffset - within) / SECTOR;
        byte[] buffer = new byte[Math.min(CHUNK, (within + dst.remaining() + SECTOR - 1) / SECTOR * SECTOR)];
        try {
            while (dst.hasRemaining()) {
                int wanted = Math.min(dst.remaining(), buffer.length - within);
                int span = (within + wanted + SECTOR - 1) / SECTOR * SECTOR;
                try {
                    ciphertext.read(hostSector * SECTOR, ByteBuffer.wrap(buffer, 0, span));
                } catch (EOFException pastEnd) {
                    throw new CorruptImage("qcow2", "encrypted data for guest offset 0x%x".formatted(guestOffset),
                            hostSector * SECTOR, "lies past the end of %s (0x%x bytes)".formatted(ciphertext.name(),
                            ciphertext.size()));
                }
                for (int done = 0; done < span; done += SECTOR) {
                    sectors.decrypt(ivSector + done / SECTOR, buffer, done, SECTOR);
                }
                dst.put(buffer, within, wanted);
                hostSector += span / SECTOR;
                ivSector += span / SECTOR;
                guestOffset += wanted;
                within = 0;
            }
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    /** Zeroes the key. */
    @Override
    public synchronized void close() {
        if (cipher != null) {
            cipher.close();
        }
    }
}

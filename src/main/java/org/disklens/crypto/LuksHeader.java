package org.disklens.crypto;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A LUKS1 or LUKS2 header as read from the start of a volume: what it says about the volume (for listings) and what
 * unlocking needs (key slots, the digest, the data segment). Reading checks structure and limits; what makes the
 * volume impossible to unlock whatever the passphrase (an unsupported cipher, a detached header, a reencryption in
 * progress) is {@link #refusal()}, so the facts can still be shown.
 */
public sealed interface LuksHeader permits Luks1Header, Luks2Header {
    /** 1 or 2. */
    int version();

    String uuid();

    /** The LUKS2 label ({@code ""} for LUKS1). */
    String label();

    /** The data's cipher in dm-crypt's spelling: {@code aes-xts-plain64}. */
    String cipher();

    /** The volume key's length in bytes (0 when a LUKS2 header binds no key slot to its segment). */
    int keyBytes();

    /** How many key slots are in use. */
    int keyslots();

    /** The types of the LUKS2 tokens ({@code systemd-tpm2}, {@code fido2}, …), which DiskLens does not use. */
    List<String> tokens();

    /** Where the encrypted data starts, in bytes from the volume's start. */
    long payloadOffset();

    /** How many bytes of encrypted data a volume of {@code volumeSize} bytes holds (whole sectors). */
    long payloadLength(long volumeSize);

    /** The encryption sector size: 512 for LUKS1, 512–4096 for LUKS2. */
    int sectorSize();

    /** dm-crypt's {@code iv_offset}, in 512-byte sectors (LUKS2's {@code iv_tweak}). */
    long ivOffset();

    /** Whether IVs count sectors of {@link #sectorSize()} rather than of 512 bytes (dm-crypt's iv_large_sectors). */
    boolean largeIv();

    /** Why no passphrase can unlock this volume, if none can. */
    Optional<ImageException> refusal();

    /** A digest of the header's bytes: the same header is unlocked once per {@link Passphrases}. */
    String fingerprint();

    /** The volume key, if a key slot opens with {@code passphrase}; else {@link WrongPassphrase} or a slot's refusal. */
    VolumeKey unlock(BlockSource volume, Passphrase passphrase, KdfLimits limits) throws IOException;

    /** The header at the start of {@code volume}, by its version field. */
    static LuksHeader read(BlockSource volume) throws IOException {
        if (volume.size() < 8) {
            throw new CorruptImage("luks", "header", 0, "the volume (%d bytes) is too short for a LUKS header"
                    .formatted(volume.size()));
        }
        var start = volume.read(0, 8, ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[6];
        start.get(magic);
        if (!java.util.Arrays.equals(magic, Luks1Header.MAGIC)) {
            throw new CorruptImage("luks", "header", 0, "no LUKS magic");
        }
        int version = Short.toUnsignedInt(start.getShort(6));
        return switch (version) {
            case 1 -> Luks1Header.read(volume);
            case 2 -> Luks2Header.read(volume);
            default -> throw new UnsupportedFeature("luks", "header", 0, "version %d is neither LUKS1 nor LUKS2"
                    .formatted(version));
        };
    }
}

package org.disklens.image.luks;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.disklens.crypto.DecryptingBlockSource;
import org.disklens.crypto.KdfLimits;
import org.disklens.crypto.Luks;
import org.disklens.crypto.LuksHeader;
import org.disklens.crypto.Passphrases;
import org.disklens.crypto.QemuLuksInfo;
import org.disklens.crypto.VolumeKey;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * An opened {@code luks} image. The guest disk is the payload: from the header's payload offset to the end of the file
 * (whole 512-byte sectors), sector {@code n} decrypted with IV {@code n} (qemu's block/crypto driver passes the guest
 * offset). Every guest byte is {@link Mapping.Encrypted}: stored, with no host offset shown, as qemu-img's map reports
 * it. The key is had on first read (or {@link #unlock()}), from {@link OpenContext#passphrases()}.
 */
final class LuksImage implements DiskImage {
    static final int HEADER_SIZE = QemuLuksInfo.SIZE;

    private final BlockSource source;
    private final QemuLuksInfo info;
    private final LuksHeader header;
    private final Passphrases passphrases;
    private final long virtualSize;
    private DecryptingBlockSource plaintext;
    private ImageException failure;

    private LuksImage(BlockSource source, QemuLuksInfo info, LuksHeader header, Passphrases passphrases,
                      long virtualSize) {
        this.source = source;
        this.info = info;
        this.header = header;
        this.passphrases = passphrases;
        this.virtualSize = virtualSize;
    }

    static LuksImage open(BlockSource source, OpenContext context) throws IOException {
        long fileSize = source.size();
        if (fileSize < HEADER_SIZE) {
            throw new CorruptImage("luks", "header", 0, "file of %d bytes is too short for a LUKS header"
                    .formatted(fileSize));
        }
        QemuLuksInfo info = QemuLuksInfo.parse(source.read(0, HEADER_SIZE, ByteOrder.BIG_ENDIAN), "luks", 0);
        LuksHeader header = Luks.header(source);
        long payload = header.payloadOffset();
        if (payload <= 0 || payload > fileSize) {
            throw new CorruptImage("luks", "header", 104, "the payload offset (0x%x) is %s".formatted(payload,
                    payload <= 0 ? "0: the header is detached" : "past the end of the file (0x%x)".formatted(fileSize)));
        }
        return new LuksImage(source, info, header, context.passphrases(), header.payloadLength(fileSize));
    }

    @Override
    public String format() {
        return "luks";
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    @Override
    public Mapping map(long guestOffset, long maxLength) {
        long length = Math.min(maxLength, virtualSize - guestOffset);
        return new Mapping.Encrypted(length, header.payloadOffset() + guestOffset,
                dst -> plaintext().read(guestOffset, dst));
    }

    @Override
    public boolean encrypted() {
        return true;
    }

    @Override
    public List<FeatureFlag> features() {
        return List.of(new FeatureFlag("encryption", "luks", FeatureFlag.Concern.WARNING));
    }

    @Override
    public Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        return info.describe(false);
    }

    @Override
    public void unlock() throws IOException {
        plaintext();
    }

    /** The decrypted payload; the key is unlocked on first use. */
    private synchronized DecryptingBlockSource plaintext() throws IOException {
        if (plaintext == null) {
            if (failure != null) {
                throw failure;
            }
            try {
                Optional<VolumeKey> key = Luks.unlock(header, source, passphrases, "luks image " + source.name(),
                        KdfLimits.DEFAULT);
                if (key.isEmpty()) {
                    throw new UnsupportedFeature("luks", "encryption", -1,
                            "locked: give --passphrase-file to read the data");
                }
                try (VolumeKey volumeKey = key.get()) {
                    plaintext = Luks.payload(header, source, volumeKey, source.name());
                }
            } catch (ImageException refused) {
                // Kept, so that a prompt is not repeated for every read.
                failure = refused;
                throw refused;
            }
        }
        return plaintext;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (plaintext != null) {
                plaintext.close();
            }
        } finally {
            source.close();
        }
    }
}

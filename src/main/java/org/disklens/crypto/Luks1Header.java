package org.disklens.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A LUKS1 header (cryptsetup's "LUKS On-Disk Format Specification" 1.2.3): 592 bytes, big-endian.
 * <pre>
 *   0 magic "LUKS\xba\xbe"   6 version u16 = 1   8 cipher-name[32]   40 cipher-mode[32]   72 hash-spec[32]
 * 104 payload-offset u32 (sectors)   108 key-bytes u32   112 mk-digest[20]   132 mk-digest-salt[32]
 * 164 mk-digest-iter u32   168 uuid[40]   208 eight key slots of 48 bytes:
 *     active u32 (0x00AC71F3 enabled, 0x0000DEAD disabled)   iterations u32   salt[32]
 *     key-material-offset u32 (sectors)   stripes u32
 * </pre>
 * A key slot's passphrase key is PBKDF2-{@code hash-spec}(passphrase, salt, iterations, key-bytes); its key material
 * ({@code key-bytes × stripes}, in whole sectors) is encrypted with the volume's cipher under that key; the merged
 * candidate is the master key when PBKDF2-{@code hash-spec}(candidate, mk-digest-salt, mk-digest-iter, 20) equals
 * {@code mk-digest}.
 */
public final class Luks1Header implements LuksHeader {
    static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    static final int SIZE = 592;
    private static final int ENABLED = 0x00AC71F3;
    private static final int DISABLED = 0x0000DEAD;
    private static final String FORMAT = "luks1";

    private final String cipher;
    private final String hash;
    private final long payloadOffset;
    private final int keyBytes;
    private final String uuid;
    private final List<Keyslot> slots;
    private final Optional<ImageException> refusal;
    private final String fingerprint;

    private Luks1Header(String cipher, String hash, long payloadOffset, int keyBytes, String uuid, List<Keyslot> slots,
                        Optional<ImageException> refusal, String fingerprint) {
        this.cipher = cipher;
        this.hash = hash;
        this.payloadOffset = payloadOffset;
        this.keyBytes = keyBytes;
        this.uuid = uuid;
        this.slots = slots;
        this.refusal = refusal;
        this.fingerprint = fingerprint;
    }

    static Luks1Header read(BlockSource volume) throws IOException {
        long size = volume.size();
        if (size < SIZE) {
            throw new CorruptImage(FORMAT, "header", 0, "the volume (%d bytes) is shorter than the header (%d bytes)"
                    .formatted(size, SIZE));
        }
        return parse(volume.read(0, SIZE, ByteOrder.BIG_ENDIAN), size);
    }

    /** The header in {@code bytes} (at least 592, big-endian) of a volume of {@code volumeSize} bytes. */
    static Luks1Header parse(ByteBuffer bytes, long volumeSize) throws ImageException {
        ByteBuffer header = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (header.get(i) != MAGIC[i]) {
                throw new CorruptImage(FORMAT, "header", 0, "no LUKS magic");
            }
        }
        if (header.getShort(6) != 1) {
            throw new CorruptImage(FORMAT, "header", 0, "version %d is not 1".formatted(header.getShort(6)));
        }
        String cipherName = text(header, 8, 32);
        String cipherMode = text(header, 40, 32);
        String hash = text(header, 72, 32);
        long payloadSectors = Integer.toUnsignedLong(header.getInt(104));
        long keyBytesField = Integer.toUnsignedLong(header.getInt(108));
        byte[] mkDigest = bytes(header, 112, 20);
        byte[] mkSalt = bytes(header, 132, 32);
        long mkIterations = Integer.toUnsignedLong(header.getInt(164));
        String uuid = text(header, 168, 40);
        String cipher = cipherName + "-" + cipherMode;
        if (keyBytesField != 16 && keyBytesField != 24 && keyBytesField != 32 && keyBytesField != 48
                && keyBytesField != 64) {
            throw new CorruptImage(FORMAT, "header", 108, "a master key of %d bytes".formatted(keyBytesField));
        }
        int keyBytes = (int) keyBytesField;
        Optional<ImageException> refusal = Optional.empty();
        Optional<String> cipherProblem = SectorCipher.problem(cipher, keyBytes);
        if (cipherProblem.isPresent()) {
            refusal = Optional.of(new UnsupportedFeature(FORMAT, "header", 8, cipherProblem.get()));
        } else if (!Hashes.known(hash)) {
            refusal = Optional.of(new UnsupportedFeature(FORMAT, "header", 72, "hash '%s' is not supported (DiskLens "
                    .formatted(Hashes.printable(hash)) + "computes sha1, sha224, sha256, sha384, sha512)"));
        } else if (payloadSectors == 0) {
            refusal = Optional.of(new UnsupportedFeature(FORMAT, "header", 104, "the header is detached (payload offset "
                    + "0): its data is on another device"));
        } else if (payloadSectors * 512 > volumeSize) {
            refusal = Optional.of(new CorruptImage(FORMAT, "header", 104, "the payload offset (0x%x) is past the end of the "
                    .formatted(payloadSectors * 512) + "volume (0x%x)".formatted(volumeSize)));
        }
        Keyslot.Digest digest = new Keyslot.Digest("master key digest at 0x70", hash, mkSalt, mkIterations, mkDigest);
        List<Keyslot> slots = new ArrayList<>();
        for (int index = 0; index < 8; index++) {
            int at = 208 + index * 48;
            int state = header.getInt(at);
            if (state == DISABLED) {
                continue;
            }
            String name = "key slot %d at 0x%x".formatted(index, at);
            if (state != ENABLED) {
                slots.add(Keyslot.broken(name, 1, new CorruptImage(FORMAT, name, -1, "state 0x%08x is neither enabled nor "
                        .formatted(state) + "disabled")));
                continue;
            }
            long iterations = Integer.toUnsignedLong(header.getInt(at + 4));
            byte[] salt = bytes(header, at + 8, 32);
            long materialSector = Integer.toUnsignedLong(header.getInt(at + 40));
            long stripes = Integer.toUnsignedLong(header.getInt(at + 44));
            Optional<ImageException> problem = slotProblem(name, stripes, keyBytes, materialSector, volumeSize);
            if (problem.isPresent()) {
                slots.add(Keyslot.broken(name, 1, problem.get()));
                continue;
            }
            slots.add(new Keyslot(name, 1, Optional.empty(), new Keyslot.Pbkdf2Kdf(hash, salt, iterations),
                    materialSector * 512, (int) Keyslot.areaBytes(keyBytes, stripes), cipher, keyBytes, keyBytes,
                    (int) stripes, hash, digest));
        }
        return new Luks1Header(cipher, hash, payloadSectors * 512, keyBytes, uuid, List.copyOf(slots), refusal,
                fingerprint(header));
    }

    private static Optional<ImageException> slotProblem(String name, long stripes, int keyBytes, long materialSector,
                                                        long volumeSize) {
        if (stripes == 0) {
            return Optional.of(new CorruptImage(FORMAT, name, -1, "0 stripes"));
        }
        if (stripes > Keyslot.MAX_STRIPES) {
            return Optional.of(new LimitExceeded(FORMAT, name, -1, "%d stripes exceed the limit of %,d (cryptsetup writes 4000)"
                    .formatted(stripes, Keyslot.MAX_STRIPES)));
        }
        long start = materialSector * 512;
        long end = start + Keyslot.areaBytes(keyBytes, stripes);
        if (materialSector == 0 || end > volumeSize) {
            return Optional.of(new CorruptImage(FORMAT, name, -1, "key material at 0x%x..0x%x is %s".formatted(start, end,
                    materialSector == 0 ? "inside the header" : "past the end of the volume (0x%x)".formatted(volumeSize))));
        }
        return Optional.empty();
    }

    private static String text(ByteBuffer header, int at, int length) {
        int end = 0;
        while (end < length && header.get(at + end) != 0) {
            end++;
        }
        return new String(bytes(header, at, end), StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(ByteBuffer header, int at, int length) {
        byte[] out = new byte[length];
        header.get(at, out);
        return out;
    }

    private static String fingerprint(ByteBuffer header) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(header.duplicate().position(0).limit(SIZE));
            return "luks1:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public String uuid() {
        return uuid;
    }

    @Override
    public String label() {
        return "";
    }

    @Override
    public String cipher() {
        return cipher;
    }

    /** The hash of the key slots' PBKDF2, the AF splitter and the master key digest. */
    public String hash() {
        return hash;
    }

    @Override
    public int keyBytes() {
        return keyBytes;
    }

    @Override
    public int keyslots() {
        return slots.size();
    }

    @Override
    public List<String> tokens() {
        return List.of();
    }

    @Override
    public long payloadOffset() {
        return payloadOffset;
    }

    @Override
    public long payloadLength(long volumeSize) {
        return Math.max(0, volumeSize - payloadOffset) / 512 * 512;
    }

    @Override
    public int sectorSize() {
        return 512;
    }

    @Override
    public long ivOffset() {
        return 0;
    }

    @Override
    public boolean largeIv() {
        return false;
    }

    @Override
    public Optional<ImageException> refusal() {
        return refusal;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public VolumeKey unlock(BlockSource volume, Passphrase passphrase, KdfLimits limits) throws IOException {
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return Keyslot.unlock(FORMAT, slots, volume, passphrase, limits);
    }

    @Override
    public String toString() {
        return "Luks1Header[%s, %s, %d key slots]".formatted(uuid, cipher, slots.size());
    }
}

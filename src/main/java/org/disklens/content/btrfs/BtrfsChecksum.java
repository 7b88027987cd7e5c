package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;
import org.disklens.image.UnsupportedFeature;

/**
 * The checksum of superblocks and tree blocks: the first bytes of the 32-byte field at offset 0, computed over the
 * rest of the block (from 0x20). crc32c is stored as a little-endian u32 (the usual CRC-32C value), xxhash64 as a
 * little-endian u64 with seed 0, sha256 and blake2b (BLAKE2b-256) as their 32 bytes.
 */
enum BtrfsChecksum {
    CRC32C(0, "crc32c", 4), XXHASH64(1, "xxhash64", 8), SHA256(2, "sha256", 32), BLAKE2B(3, "blake2b", 32);

    static final int FIELD = 0x20;
    private final int type;
    private final String label;
    private final int size;

    BtrfsChecksum(int type, String label, int size) {
        this.type = type;
        this.label = label;
        this.size = size;
    }

    String label() {
        return label;
    }

    /** The checksum type {@code type} of the superblock; unknown types are refused. */
    static BtrfsChecksum of(int type, long superblockOffset) throws UnsupportedFeature {
        for (BtrfsChecksum checksum : values()) {
            if (checksum.type == type) {
                return checksum;
            }
        }
        throw new UnsupportedFeature("btrfs", "superblock", superblockOffset,
                "checksum type %d is none DiskLens knows (crc32c, xxhash64, sha256, blake2b)".formatted(type));
    }

    /** Whether {@code block}'s stored checksum matches its content (the whole buffer, from 0x20 to its limit). */
    boolean matches(ByteBuffer block) {
        byte[] computed = compute(block.slice(FIELD, block.limit() - FIELD));
        for (int i = 0; i < size; i++) {
            if (computed[i] != block.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The checksum bytes as stored on disk ({@code size} of them). */
    byte[] compute(ByteBuffer data) {
        ByteBuffer out = ByteBuffer.allocate(Math.max(size, 8)).order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case CRC32C -> {
                CRC32C crc = new CRC32C();
                crc.update(data.duplicate());
                out.putInt(0, (int) crc.getValue());
            }
            case XXHASH64 -> out.putLong(0, XxHash64.hash(data.duplicate()));
            case SHA256 -> {
                try {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    digest.update(data.duplicate());
                    return digest.digest();
                } catch (NoSuchAlgorithmException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            case BLAKE2B -> {
                return Blake2b.digest(data.duplicate());
            }
        }
        return out.array();
    }
}

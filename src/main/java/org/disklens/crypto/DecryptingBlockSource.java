package org.disklens.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * The plaintext of a sector-encrypted source (a LUKS payload, as dm-crypt presents it): sector {@code i} of
 * {@code sectorSize} bytes is decrypted with IV sector number {@code i × sectorSize/512 + ivOffset} (dm-crypt's
 * {@code iv_offset}, in 512-byte sectors), shifted right by {@code log2(sectorSize/512)} when {@code largeIv} (dm-crypt's
 * {@code iv_large_sectors}, which BitLocker uses; LUKS2 does not: its 4096-byte sector 1 has IV 8). Reads at any offset and length work: whole
 * sectors are read and decrypted, and the bytes asked for copied out. Thread-safe as its cipher is.
 *
 * <p>The source's allocation is not passed through: a hole in the ciphertext reads as zeroes there, which decrypt to
 * noise, so every byte is reported as data.
 */
public final class DecryptingBlockSource implements BlockSource {
    /** Plaintext decrypted per step of a large read: bounds the temporary buffer. */
    private static final int CHUNK = 1 << 20;
    private final String name;
    private final BlockSource ciphertext;
    private final SectorCipher cipher;
    private final int sectorSize;
    private final int shift;
    private final long ivOffset;
    private final boolean largeIv;
    private final long size;

    /**
     * @param ciphertext the encrypted sectors from the first one; a trailing partial sector is not part of the
     *                   plaintext
     * @param sectorSize 512, 1024, 2048 or 4096
     */
    public DecryptingBlockSource(String name, BlockSource ciphertext, SectorCipher cipher, int sectorSize, long ivOffset,
                                 boolean largeIv) throws IOException {
        if (sectorSize < 512 || sectorSize > 4096 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("sector size " + sectorSize);
        }
        this.name = name;
        this.ciphertext = ciphertext;
        this.cipher = cipher;
        this.sectorSize = sectorSize;
        this.shift = Integer.numberOfTrailingZeros(sectorSize / 512);
        this.ivOffset = ivOffset;
        this.largeIv = largeIv;
        this.size = ciphertext.size() / sectorSize * sectorSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    public int sectorSize() {
        return sectorSize;
    }

    /** The IV sector number of plaintext sector {@code sector}. */
    long ivSector(long sector) {
        long iv512 = (sector << shift) + ivOffset;
        return largeIv ? iv512 >>> shift : iv512;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (position < 0 || position > size - length) {
            throw BlockSource.pastEnd(name, position, length, size);
        }
        long at = position;
        byte[] buffer = null;
        try {
            while (dst.hasRemaining()) {
                long first = at / sectorSize;
                int within = (int) (at - first * sectorSize);
                int wanted = Math.min(dst.remaining(), CHUNK - within);
                int sectors = (within + wanted + sectorSize - 1) / sectorSize;
                int span = sectors * sectorSize;
                if (within == 0 && wanted == span && dst.hasArray() && !dst.isReadOnly()) {
                    int offset = dst.arrayOffset() + dst.position();
                    ciphertext.read(first * sectorSize, dst.slice(dst.position(), span));
                    decrypt(first, dst.array(), offset, span);
                    dst.position(dst.position() + span);
                } else {
                    if (buffer == null || buffer.length < span) {
                        buffer = new byte[Math.min(CHUNK + sectorSize, Math.max(span, sectorSize))];
                    }
                    ciphertext.read(first * sectorSize, ByteBuffer.wrap(buffer, 0, span));
                    decrypt(first, buffer, 0, span);
                    dst.put(buffer, within, wanted);
                }
                at += wanted;
            }
        } finally {
            if (buffer != null) {
                Arrays.fill(buffer, (byte) 0);
            }
        }
    }

    private void decrypt(long firstSector, byte[] data, int offset, int length) {
        for (int done = 0, sector = 0; done < length; done += sectorSize, sector++) {
            cipher.decrypt(ivSector(firstSector + sector), data, offset + done, sectorSize);
        }
    }

    /** Everything is data: holes in the ciphertext do not read as zeroes here. */
    @Override
    public HostExtent extentAt(long position) {
        return new HostExtent(position, Math.max(0, size - position), true);
    }

    @Override
    public long allocatedBytes() throws IOException {
        return Math.min(size, ciphertext.allocatedBytes());
    }

    /** Zeroes the key this source decrypts with; the ciphertext source stays open (its owner closes it). */
    @Override
    public void close() {
        cipher.close();
    }
}

package org.disklens.image.luks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.disklens.crypto.Luks1Writer;
import org.disklens.crypto.Passphrase;
import org.disklens.crypto.SectorCipher;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;

/**
 * Writes a {@code luks} image: the new header (with its key material) at the start, then each window's sectors
 * encrypted with IV = the guest sector number (qemu's block/crypto counts from the payload's start), from the workers
 * in parallel, each with its own cipher.
 */
final class LuksWriter implements ImageWriter {
    private final TargetFiles.TargetFile file;
    private final long payloadOffset;
    private final long size;
    private final String cipherSpec;
    private final byte[] key;
    private final ThreadLocal<SectorCipher> ciphers;
    private final List<SectorCipher> made = new CopyOnWriteArrayList<>();

    private LuksWriter(TargetFiles.TargetFile file, long payloadOffset, long size, String cipherSpec, byte[] key) {
        this.file = file;
        this.payloadOffset = payloadOffset;
        this.size = size;
        this.cipherSpec = cipherSpec;
        this.key = key;
        this.ciphers = ThreadLocal.withInitial(() -> {
            SectorCipher cipher = SectorCipher.of(this.cipherSpec, this.key);
            made.add(cipher);
            return cipher;
        });
    }

    static LuksWriter create(Luks1Writer.Params params, Passphrase passphrase, TargetFiles outputs, Path target, long size)
            throws IOException {
        Luks1Writer.Created header = Luks1Writer.create(params, passphrase);
        try {
            TargetFiles.TargetFile file = outputs.create(target);
            FileWrites.writeFully(file.channel(), ByteBuffer.wrap(header.header()), 0);
            file.setLength(Math.addExact(header.payloadOffset(), size));
            return new LuksWriter(file, header.payloadOffset(), size, header.cipherSpec(), header.key().bytes());
        } finally {
            header.key().close();
        }
    }

    @Override
    public int unitSize() {
        return WriteWindow.SIZE;
    }

    @Override
    public boolean parallel() {
        return true;
    }

    @Override
    public boolean writesEverything() {
        return true;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        SectorCipher cipher = ciphers.get();
        window.forEachDataSlice((guestOffset, bytes) -> {
            int length = (int) Math.min(bytes.remaining(), size - guestOffset);
            if (length <= 0) {
                return;
            }
            byte[] data = new byte[length];
            bytes.get(bytes.position(), data);
            long firstSector = guestOffset / 512;
            for (int at = 0; at < length; at += 512) {
                cipher.encrypt(firstSector + at / 512, data, at, 512);
            }
            FileWrites.writeFully(file.channel(), ByteBuffer.wrap(data), payloadOffset + guestOffset);
        });
    }

    @Override
    public void finish() {
        made.forEach(SectorCipher::close);
        Arrays.fill(key, (byte) 0);
    }
}

package org.disklens.image.luks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * qemu's {@code luks} format: a file that is one LUKS1 volume (header, key material, then the encrypted payload, which
 * is the guest disk). Claimed by the LUKS magic with version 1 at the start of the file, as qemu probes it; a LUKS2
 * file, or a LUKS partition inside a disk, is the content layer's (a volume of a raw or other disk).
 */
public final class LuksFormat implements ImageFormat {
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};

    @Override
    public String name() {
        return "luks";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < LuksImage.HEADER_SIZE) {
            return 0;
        }
        ByteBuffer start = source.read(0, 8, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.get(i) != MAGIC[i]) {
                return 0;
            }
        }
        return start.getShort(6) == 1 ? 100 : 0;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return LuksImage.open(source, context);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(LuksConfig::parse, List.of(
            new OptionHelp("cipher-alg=<str>", "Name of encryption cipher algorithm (DiskLens writes aes-128, aes-256; "
                    + "default aes-256)"),
            new OptionHelp("cipher-mode=<str>", "Name of encryption cipher mode (xts, cbc; default xts)"),
            new OptionHelp("ivgen-alg=<str>", "Name of IV generator algorithm (plain, plain64, essiv; default plain64)"),
            new OptionHelp("ivgen-hash-alg=<str>", "Name of IV generator hash algorithm (essiv: sha256)"),
            new OptionHelp("hash-alg=<str>", "Name of encryption hash algorithm (sha1, sha224, sha256, sha384, sha512; "
                    + "default sha256)"),
            new OptionHelp("iter-time=<num>", "Time to spend in PBKDF in milliseconds (default 2000)")));
}

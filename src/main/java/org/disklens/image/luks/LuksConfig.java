package org.disklens.image.luks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.crypto.Luks1Writer;
import org.disklens.crypto.Passphrase;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A {@code luks} target ({@code -O luks}): qemu-img's options ({@code cipher-alg}, {@code cipher-mode},
 * {@code ivgen-alg}, {@code ivgen-hash-alg}, {@code hash-alg}, {@code iter-time}) and the passphrase of
 * {@code --target-passphrase-file}, needed to write (not to measure). Every byte of the disk is written, encrypted:
 * a zero sector of the guest is not a zero sector of the file.
 */
record LuksConfig(Luks1Writer.Params params, Optional<Passphrase> passphrase) implements TargetConfig {
    static final String NO_PASSPHRASE = "an encrypted output needs a passphrase: give --target-passphrase-file FILE";

    static LuksConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
        if (spec.compress()) {
            throw new InvalidRequest("Compression not supported for this file format");
        }
        OptionValues options = new OptionValues("luks", spec.options());
        Luks1Writer.Params params = Luks1Writer.Params.parse(options, "");
        options.refuse("preallocation", "a luks output is written in full");
        options.requireAllUsed();
        return new LuksConfig(params, spec.passphrase());
    }

    @Override
    public String format() {
        return "luks";
    }

    @Override
    public boolean encrypted() {
        return true;
    }

    @Override
    public long sparseSize() {
        return 0;
    }

    /** The payload is whole 512-byte sectors. */
    @Override
    public long targetSize(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, 512);
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        if (passphrase.isEmpty()) {
            throw new InvalidRequest(NO_PASSPHRASE);
        }
        return LuksWriter.create(params, passphrase.get(), files, target, size);
    }

    /** qemu's: the header and key material, then the disk, all of it written. */
    @Override
    public SizeEstimate estimate(MeasureSource source) {
        long total = Luks1Writer.payloadOffset(params) + TargetConfig.roundUp(source.size(), 512);
        return new SizeEstimate(total, total, OptionalLong.empty());
    }
}

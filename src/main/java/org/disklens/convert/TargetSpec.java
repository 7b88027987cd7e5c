package org.disklens.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.disklens.crypto.Passphrase;
import org.disklens.image.FormatWriter;
import org.disklens.image.ImageFormat;
import org.disklens.image.ImageFormats;
import org.disklens.image.InvalidRequest;
import org.disklens.image.TargetConfig;
import org.disklens.image.WriteOptions;

/**
 * What to make, in qemu-img's terms: the format ({@code -O}), its creation options ({@code -o key=value,...}),
 * compression ({@code -c}), the zero-run size below which zeroes are written rather than left as holes
 * ({@code -S}, default 4 KiB, 0 = write everything), and a backing file for the new image ({@code -B}/{@code -F}:
 * only what differs from it is written), a multiple the disk size is rounded up to (1: kept), and the passphrase of
 * an encrypted output ({@code --target-passphrase-file}; the caller closes it). Checked by {@link #config()}.
 */
public record TargetSpec(String format, Map<String, String> options, boolean compress, long sparseSize,
                         Optional<String> backingFile, Optional<String> backingFormat, long sizeMultiple,
                         Optional<Passphrase> passphrase) {
    /** qemu-img's default for {@code -S}. */
    public static final long DEFAULT_SPARSE_SIZE = 4096;
    /** Largest {@code -S} qemu-img accepts. */
    public static final long MAX_SPARSE_SIZE = 16L << 20;

    public TargetSpec {
        Objects.requireNonNull(format, "format");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        Objects.requireNonNull(backingFile, "backingFile");
        Objects.requireNonNull(backingFormat, "backingFormat");
        if (sizeMultiple < 1) {
            throw new IllegalArgumentException("size multiple " + sizeMultiple);
        }
        Objects.requireNonNull(passphrase, "passphrase");
    }

    public TargetSpec(String format, Map<String, String> options, boolean compress, long sparseSize,
                      Optional<String> backingFile, Optional<String> backingFormat, long sizeMultiple) {
        this(format, options, compress, sparseSize, backingFile, backingFormat, sizeMultiple, Optional.empty());
    }

    /** The same target encrypted with {@code key} (formats that encrypt take it; the others ignore it). */
    public TargetSpec withPassphrase(Passphrase key) {
        return new TargetSpec(format, options, compress, sparseSize, backingFile, backingFormat, sizeMultiple,
                Optional.ofNullable(key));
    }

    /** {@code format} with no options: uncompressed, holes for zero runs of 4 KiB, no backing file. */
    public static TargetSpec of(String format) {
        return new TargetSpec(format, Map.of(), false, DEFAULT_SPARSE_SIZE, Optional.empty(), Optional.empty(), 1);
    }

    /** The same target with {@code key=value} added (replacing an earlier value of that key). */
    public TargetSpec withOption(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(options);
        more.put(key, value);
        return new TargetSpec(format, more, compress, sparseSize, backingFile, backingFormat, sizeMultiple, passphrase);
    }

    /** The same target with every option of a qemu-img {@code -o} string added ({@code a=1,b=2}; {@code ,,} is a comma). */
    public TargetSpec withOptions(String qemuOptions) throws InvalidRequest {
        TargetSpec result = this;
        for (Map.Entry<String, String> option : OptionString.parse(qemuOptions).entrySet()) {
            result = result.withOption(option.getKey(), option.getValue());
        }
        return result;
    }

    public TargetSpec withCompress(boolean on) {
        return new TargetSpec(format, options, on, sparseSize, backingFile, backingFormat, sizeMultiple, passphrase);
    }

    public TargetSpec withSparseSize(long bytes) {
        return new TargetSpec(format, options, compress, bytes, backingFile, backingFormat, sizeMultiple, passphrase);
    }

    public TargetSpec withBacking(String file, String fileFormat) {
        return new TargetSpec(format, options, compress, sparseSize, Optional.ofNullable(file), Optional.ofNullable(fileFormat), sizeMultiple, passphrase);
    }

    /**
     * The same target with the disk grown to the next multiple of {@code bytes} (the new tail reads as zeroes): Azure
     * takes only VHDs whose size is a whole number of MiB. Not a qemu-img option; the presets use it.
     */
    public TargetSpec withSizeRoundedUpTo(long bytes) {
        return new TargetSpec(format, options, compress, sparseSize, backingFile, backingFormat, bytes, passphrase);
    }

    /** The disk size to ask the format for, for a source of {@code sourceSize} bytes. */
    public long sizeFor(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, sizeMultiple);
    }

    /**
     * This target checked and decoded by its format, before anything is opened or written: every option known, every
     * value valid, no two contradicting each other. Messages follow qemu-img's.
     */
    public TargetConfig config() throws InvalidRequest {
        checkSparseSize();
        ImageFormat named = ImageFormats.byName(format.toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidRequest(
                "Unknown file format '%s' (can write: %s)".formatted(format, String.join(", ", writableFormats()))));
        FormatWriter writer = named.writer().orElseThrow(() -> new InvalidRequest("Format '%s' can be read but not written%s"
                .formatted(named.name(), named.notWritableHint().isEmpty() ? "" : "; " + named.notWritableHint())));
        TargetConfig config = writer.configure(new WriteOptions(named.name(), options, compress, sparseSize, backingFile,
                backingFormat, passphrase));
        if (passphrase.isPresent() && !config.encrypted()) {
            // A passphrase for an output that would be written in the clear is a mistake to say, not to ignore.
            throw new InvalidRequest("--target-passphrase-file is for an encrypted output: -O luks, or -O qcow2 -o "
                    + "encrypt.format=luks");
        }
        return config;
    }

    /** The formats DiskLens writes, in the format list's order. */
    public static List<String> writableFormats() {
        return ImageFormats.all().stream().filter(format -> format.writer().isPresent()).map(ImageFormat::name).toList();
    }

    private void checkSparseSize() throws InvalidRequest {
        if (sparseSize < 0 || sparseSize % 512 != 0 || sparseSize > MAX_SPARSE_SIZE) {
            throw new InvalidRequest(("Invalid buffer size for sparse output specified. Valid sizes are multiples of "
                    + "512 up to %d. Select 0 to disable sparse detection (fully allocates output).").formatted(MAX_SPARSE_SIZE));
        }
    }
}

package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/** qcow2: recognised by its magic {@code QFI\xfb}; written by {@link Qcow2Writer}. */
public final class Qcow2Format implements ImageFormat {
    @Override
    public String name() {
        return "qcow2";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < 4 || source.read(0, 4, ByteOrder.BIG_ENDIAN).getInt(0) != Qcow2Header.MAGIC) {
            return 0;
        }
        // The magic claims the file whatever follows (version 1 or 4, a header cut short), so that it gets a clear
        // refusal rather than being read as raw.
        return source.size() < 8 || source.read(4, 4, ByteOrder.BIG_ENDIAN).getInt(0) >= 2 ? 100 : 50;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return Qcow2Image.open(source, context);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(Qcow2Config::parse, List.of(
            new OptionHelp("backing_file=<str>", "File name of a base image (same as -B)"),
            new OptionHelp("backing_fmt=<str>", "Image format of the base image (same as -F)"),
            new OptionHelp("cluster_size=<size>", "qcow2 cluster size (512 to 2M, default 64k)"),
            new OptionHelp("compat=<str>", "Compatibility level (v2 [0.10] or v3 [1.1], default 1.1)"),
            new OptionHelp("compression_type=<str>", "Compression method for -c: zlib (default) or zstd"),
            new OptionHelp("encrypt.format=<str>", "Encrypt the image: luks (the passphrase from --target-passphrase-file)"),
            new OptionHelp("encrypt.cipher-alg=<str>", "Name of encryption cipher algorithm (aes-128, aes-256; default aes-256)"),
            new OptionHelp("encrypt.cipher-mode=<str>", "Name of encryption cipher mode (xts, cbc; default xts)"),
            new OptionHelp("encrypt.ivgen-alg=<str>", "Name of IV generator algorithm (plain, plain64, essiv; default plain64)"),
            new OptionHelp("encrypt.ivgen-hash-alg=<str>", "Name of IV generator hash algorithm (essiv: sha256)"),
            new OptionHelp("encrypt.hash-alg=<str>", "Name of encryption hash algorithm (sha1 to sha512; default sha256)"),
            new OptionHelp("encrypt.iter-time=<num>", "Time to spend in PBKDF in milliseconds (default 2000)"),
            new OptionHelp("extended_l2=<bool (on/off)>", "Extended L2 tables (subclusters)"),
            new OptionHelp("lazy_refcounts=<bool (on/off)>", "Postpone refcount updates"),
            new OptionHelp("preallocation=<str>", "Preallocation mode (allowed values: off, metadata, falloc, full)"),
            new OptionHelp("refcount_bits=<num>", "Width of a reference count entry in bits (1 to 64, default 16)")));
}

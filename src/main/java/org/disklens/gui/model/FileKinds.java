package org.disklens.gui.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a file is when it is not the image its name says: a PNG named {@code .qcow2} is shown as raw bytes (the
 * format is probed from the content, never from the name), and the window says so in words.
 */
final class FileKinds {
    /** The format a file's extension promises (extensions that promise nothing, like .img, are left out). */
    private static final Map<String, String> PROMISED = Map.of("qcow2", "qcow2", "qcow", "qcow2", "vmdk", "vmdk",
            "iso", "iso", "vhd", "vpc", "vhdx", "vhdx", "vdi", "vdi");

    /** A file kind by the bytes it starts with. */
    private record Signature(int offset, byte[] magic, String kind) {
        Signature(int offset, String magic, String kind) {
            this(offset, magic.getBytes(StandardCharsets.ISO_8859_1), kind);
        }

        boolean matches(ByteBuffer start) {
            if (start.limit() < offset + magic.length) {
                return false;
            }
            for (int i = 0; i < magic.length; i++) {
                if (start.get(offset + i) != magic[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Signature> SIGNATURES = List.of(
            new Signature(0, "\u0089PNG\r\n\u001a\n", "PNG data"),
            new Signature(0, "\u00ff\u00d8\u00ff", "JPEG data"),
            new Signature(0, "GIF8", "GIF data"),
            new Signature(0, "%PDF", "a PDF document"),
            new Signature(0, "PK\u0003\u0004", "a ZIP archive"),
            new Signature(0, "\u001f\u008b", "gzip-compressed data"),
            new Signature(0, "\u00fd7zXZ\u0000", "xz-compressed data"),
            new Signature(0, "BZh", "bzip2-compressed data"),
            new Signature(0, "(\u00b5/\u00fd", "zstd-compressed data"),
            new Signature(0, "7z\u00bc\u00af'\u001c", "a 7-Zip archive"),
            new Signature(0, "\u007fELF", "an ELF program"),
            new Signature(257, "ustar", "a tar archive"));

    private FileKinds() {
    }

    /**
     * "not a qcow2 image: the file starts with PNG data; shown as raw bytes" when {@code file}'s name promises another
     * format than the one probed from its content ({@code start}: its first bytes); empty when they agree.
     */
    static Optional<String> mismatch(Path file, String probedFormat, ByteBuffer start) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String promised = dot < 0 ? null : PROMISED.get(name.substring(dot + 1));
        if (promised == null || promised.equals(probedFormat)) {
            return Optional.empty();
        }
        if (!probedFormat.equals("raw")) {
            return Optional.of("not a %s image: the file is a %s image, and is shown as one".formatted(promised,
                    probedFormat));
        }
        return Optional.of("not a %s image: the file starts with %s; shown as raw bytes".formatted(promised,
                describeStart(start)));
    }

    /** "PNG data", "text", "zeroes", "data DiskLens does not recognise". */
    static String describeStart(ByteBuffer start) {
        for (Signature signature : SIGNATURES) {
            if (signature.matches(start)) {
                return signature.kind();
            }
        }
        if (start.limit() == 0) {
            return "nothing (it is empty)";
        }
        boolean zeroes = true;
        boolean text = true;
        for (int i = 0; i < start.limit(); i++) {
            int b = start.get(i) & 0xff;
            zeroes &= b == 0;
            text &= b == '\n' || b == '\r' || b == '\t' || b >= 0x20 && b != 0x7f;
        }
        return zeroes ? "zeroes" : text ? "text" : "data DiskLens does not recognise";
    }
}

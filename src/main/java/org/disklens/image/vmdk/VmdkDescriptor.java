package org.disklens.image.vmdk;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;

/**
 * The text descriptor of a VMDK (Virtual Disk Format 1.1, "The Descriptor File"): header keys, extent
 * lines and the disk database ({@code ddb.*}). Written by VMware with comments, blank lines, odd spacing
 * and CRLF line ends; all are accepted here.
 */
public record VmdkDescriptor(
        Map<String, String> header,
        List<ExtentLine> extents,
        Map<String, String> database) {

    /** qemu's limit for a descriptor, and a generous one for a single line (file names are ≤ 4 KiB). */
    static final int MAX_SIZE = 1 << 20;
    static final int MAX_LINE = 8192;
    static final long NO_PARENT = 0xffffffffL;

    private static final Pattern EXTENT = Pattern.compile(
            "^(RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+([A-Za-z]+)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?\\s*$");
    private static final Pattern KEY_VALUE = Pattern.compile("^([A-Za-z0-9_.]+)\\s*=\\s*(.*?)\\s*$");

    /** One extent line: {@code RW 204800 SPARSE "disk-s001.vmdk"} or {@code RW 204800 FLAT "disk-flat.vmdk" 0}. */
    public record ExtentLine(String access, long sectors, String type, Optional<String> fileName, long offsetSectors) {
    }

    /** Decodes descriptor bytes: ASCII until an {@code encoding=} line says otherwise (UTF-8 or windows-1252). */
    static VmdkDescriptor decode(byte[] bytes, int length, long hostOffset) throws ImageException {
        int end = 0;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        String ascii = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        Charset charset = charsetOf(ascii, hostOffset);
        return parse(new String(bytes, 0, end, charset), hostOffset);
    }

    private static Charset charsetOf(String text, long hostOffset) throws ImageException {
        Matcher matcher = Pattern.compile("(?m)^\\s*encoding\\s*=\\s*\"?([A-Za-z0-9_-]+)\"?").matcher(text);
        if (!matcher.find()) {
            return StandardCharsets.UTF_8;
        }
        String name = matcher.group(1).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "utf-8", "utf8" -> StandardCharsets.UTF_8;
            case "windows-1252", "cp1252" -> Charset.forName("windows-1252");
            case "iso-8859-1", "latin1" -> StandardCharsets.ISO_8859_1;
            default -> throw new UnsupportedFeature("vmdk", "descriptor", hostOffset, "unknown encoding '%s'".formatted(name));
        };
    }

    static VmdkDescriptor parse(String text, long hostOffset) throws ImageException {
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, String> database = new LinkedHashMap<>();
        List<ExtentLine> extents = new ArrayList<>();
        int lineNumber = 0;
        for (String rawLine : text.split("\r?\n|\r")) {
            lineNumber++;
            if (rawLine.length() > MAX_LINE) {
                throw new LimitExceeded("vmdk", "descriptor line %d".formatted(lineNumber), hostOffset,
                        "%d characters exceed the limit of %d".formatted(rawLine.length(), MAX_LINE));
            }
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher extent = EXTENT.matcher(line);
            if (extent.matches()) {
                extents.add(extentLine(extent, lineNumber, hostOffset));
                continue;
            }
            Matcher keyValue = KEY_VALUE.matcher(line);
            if (!keyValue.matches()) {
                throw new CorruptImage("vmdk", "descriptor line %d".formatted(lineNumber), hostOffset,
                        "neither a key = value nor an extent: '%s'".formatted(shortened(line)));
            }
            String key = keyValue.group(1);
            String value = unquote(keyValue.group(2));
            (key.startsWith("ddb.") ? database : header).put(key, value);
        }
        return new VmdkDescriptor(header, List.copyOf(extents), database);
    }

    private static ExtentLine extentLine(Matcher extent, int lineNumber, long hostOffset) throws ImageException {
        try {
            long sectors = Long.parseLong(extent.group(2));
            long offset = extent.group(5) == null ? 0 : Long.parseLong(extent.group(5));
            return new ExtentLine(extent.group(1), sectors, extent.group(3).toUpperCase(Locale.ROOT),
                    Optional.ofNullable(extent.group(4)), offset);
        } catch (NumberFormatException tooLarge) {
            throw new CorruptImage("vmdk", "descriptor line %d".formatted(lineNumber), hostOffset, "extent size out of range");
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String shortened(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    public String createType() {
        return header.getOrDefault("createType", "");
    }

    public long cid() {
        return hex(header.get("CID"), NO_PARENT);
    }

    public long parentCid() {
        return hex(header.get("parentCID"), NO_PARENT);
    }

    public Optional<String> parentFileNameHint() {
        return Optional.ofNullable(header.get("parentFileNameHint")).filter(name -> !name.isEmpty());
    }

    private static long hex(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip(), 16) & 0xffffffffL;
        } catch (NumberFormatException notHex) {
            return fallback;
        }
    }
}

package org.disklens.image.vmdk;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;

/**
 * The text descriptor of a VMDK (Virtual Disk Format 1.1, "The Descriptor File"): header keys, extent
 * lines and the disk database ({@code ddb.*}). Written by VMware with comments, blank lines, odd spacing
 * and CRLF line ends; all are accepted here. {@link #encode} writes one as qemu and VMware lay it out.
 *
 * <p>The descriptor of a new VMDK ({@link #forNewImage}) has the same keys for every subformat; each is there
 * because a VMware product reads it:
 * <ul>
 *   <li>{@code version=1}, {@code encoding="UTF-8"}, {@code CID} (random, never ffffffff/fffffffe, which mean "no
 *       parent" and "use the long content id"), {@code parentCID=ffffffff} (a base disk), {@code createType}.</li>
 *   <li>One extent line per extent: {@code RW <sectors> SPARSE "<file>"} or {@code RW <sectors> FLAT "<file>" 0}.</li>
 *   <li>{@code ddb.adapterType} ({@code adapter_type}): the controller ESXi attaches the disk to on import.</li>
 *   <li>{@code ddb.geometry.cylinders/heads/sectors}: CHS for BIOSes; 16 heads for IDE (at most 16383 cylinders),
 *       255 heads for SCSI (at most 65535), 63 sectors, cylinders rounded up as VMware's open-vmdk does.</li>
 *   <li>{@code ddb.longContentID}: 128-bit content id (32 hex digits, ending in the CID) that ESXi and vSphere
 *       write into every disk they export and use to tell disk contents apart.</li>
 *   <li>{@code ddb.thinProvisioned = "1"} for sparse subformats: ESXi then imports the disk thin instead of
 *       inflating it to its full size.</li>
 *   <li>{@code ddb.toolsVersion} ({@code toolsversion}, default 2147483647 = "any", as qemu and open-vmdk write).</li>
 *   <li>{@code ddb.uuid}: the disk's UUID, 16 random bytes written as VMware writes them
 *       ({@code "60 00 C2 9b ... 6b-3e 4b ..."}); vCenter keys disks by it.</li>
 *   <li>{@code ddb.virtualHWVersion} ({@code hwversion}/{@code compat6}, default 4): the oldest virtual hardware
 *       that may open the disk; 4 is accepted everywhere (open-vmdk writes 4 too).</li>
 * </ul>
 * {@code ddb.toolsInstallType} is left out: it claims how VMware Tools were installed in the guest, which a disk
 * converter cannot know.
 */
public record VmdkDescriptor(
        Map<String, String> header,
        List<ExtentLine> extents,
        Map<String, String> database) {

    /** qemu's limit for a descriptor, and a generous one for a single line (file names are ≤ 4 KiB). */
    static final int MAX_SIZE = 1 << 20;
    static final int MAX_LINE = 8192;
    /** Extents a descriptor may list: 8 TiB of 2 GiB twoGbMaxExtent files (why: {@code package-info.java}). */
    static final int MAX_EXTENTS = 4096;
    static final long NO_PARENT = 0xffffffffL;
    /** Sectors reserved for an embedded descriptor, as qemu and VMware reserve them. */
    static final int EMBEDDED_SECTORS = 20;
    /** Header keys whose values are written in quotes. */
    private static final Set<String> QUOTED_KEYS = Set.of("encoding", "createType", "parentFileNameHint");
    /** Extent types whose line ends with the offset in the file. */
    static final Set<String> FLAT_TYPES = Set.of("FLAT", "VMFS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Pattern EXTENT = Pattern.compile(
            "^(RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+([A-Za-z]+)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?\\s*$");
    private static final Pattern KEY_VALUE = Pattern.compile("^([A-Za-z0-9_.]+)\\s*=\\s*(.*?)\\s*$");

    /** One extent line: {@code RW 204800 SPARSE "disk-s001.vmdk"} or {@code RW 204800 FLAT "disk-flat.vmdk" 0}. */
    public record ExtentLine(String access, long sectors, String type, Optional<String> fileName, long offsetSectors) {
        String encode() {
            return access + " " + sectors + " " + type + fileName.map(name -> " \"" + name + "\"").orElse("")
                    + (FLAT_TYPES.contains(type) ? " " + offsetSectors : "");
        }
    }

    /** The descriptor of a new VMDK of {@code capacitySectors} laid out as {@code layout} says (see above). */
    static VmdkDescriptor forNewImage(VmdkLayout layout, long capacitySectors) {
        VmdkConfig config = layout.config();
        int cid = contentId();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("version", "1");
        header.put("encoding", "UTF-8");
        header.put("CID", "%08x".formatted(cid));
        header.put("parentCID", "ffffffff");
        header.put("createType", config.subformat().createType());
        List<ExtentLine> extents = new ArrayList<>();
        for (VmdkLayout.Extent extent : layout.extents()) {
            extents.add(new ExtentLine("RW", extent.sectors(), config.subformat().sparse() ? "SPARSE" : "FLAT",
                    Optional.of(extent.fileName()), 0));
        }
        boolean ide = config.adapterType().equals("ide");
        int heads = ide ? 16 : 255;
        long cylinders = Math.min(ide ? 16383 : 65535, Math.ceilDiv(capacitySectors, heads * 63L));
        byte[] random = new byte[28];
        RANDOM.nextBytes(random);
        Map<String, String> database = new LinkedHashMap<>();
        database.put("ddb.adapterType", config.adapterType());
        database.put("ddb.geometry.cylinders", Long.toString(cylinders));
        database.put("ddb.geometry.heads", Integer.toString(heads));
        database.put("ddb.geometry.sectors", "63");
        database.put("ddb.longContentID", HexFormat.of().formatHex(random, 0, 12) + "%08x".formatted(cid));
        if (config.subformat().sparse()) {
            database.put("ddb.thinProvisioned", "1");
        }
        database.put("ddb.toolsVersion", config.toolsVersion());
        database.put("ddb.uuid", uuid(random, 12));
        database.put("ddb.virtualHWVersion", Integer.toString(config.hwVersion()));
        return new VmdkDescriptor(header, extents, database);
    }

    /** The new descriptor's bytes, UTF-8. */
    static byte[] bytes(VmdkLayout layout, long capacitySectors) {
        return forNewImage(layout, capacitySectors).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The text, laid out as qemu and VMware write it: comments, header, extents, then the disk database. */
    String encode() {
        StringBuilder text = new StringBuilder("# Disk DescriptorFile\n");
        header.forEach((key, value) -> text.append(key).append('=')
                .append(QUOTED_KEYS.contains(key) ? "\"" + value + "\"" : value).append('\n'));
        text.append("\n# Extent description\n");
        extents.forEach(extent -> text.append(extent.encode()).append('\n'));
        text.append("\n# The Disk Data Base\n#DDB\n\n");
        database.forEach((key, value) -> text.append(key).append(" = \"").append(value).append("\"\n"));
        return text.toString();
    }

    private static int contentId() {
        int cid;
        do {
            cid = RANDOM.nextInt();
        } while (cid == 0xffffffff || cid == 0xfffffffe);
        return cid;
    }

    /** {@code "60 00 C2 9b 6a d6 ea 6b-3e 4b 8c 72 a1 0c 4f 6d"}: VMware's spelling of a disk UUID. */
    private static String uuid(byte[] random, int from) {
        StringBuilder uuid = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0) {
                uuid.append(i == 8 ? '-' : ' ');
            }
            uuid.append("%02x".formatted(random[from + i] & 0xff));
        }
        return uuid.toString();
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
                if (extents.size() == MAX_EXTENTS) {
                    throw new LimitExceeded("vmdk", "descriptor line %d".formatted(lineNumber), hostOffset,
                            "more than %d extents".formatted(MAX_EXTENTS));
                }
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

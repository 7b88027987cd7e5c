package org.disklens.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A LUKS2 header (cryptsetup's "LUKS2 On-Disk Format Specification" 1.1): two copies, each a 4 KiB binary header
 * followed by a JSON area, the copy of {@code hdr_size} bytes checksummed as a whole.
 * <pre>
 * binary header (big-endian): 0 magic "LUKS\xba\xbe" (the second copy "SKUL\xba\xbe")   6 version u16 = 2
 *   8 hdr_size u64 (16 KiB … 4 MiB, a power of two; binary header and JSON area)   16 seqid u64   24 label[48]
 *  72 checksum_alg[32]   104 salt[64]   168 uuid[40]   208 subsystem[48]   256 hdr_offset u64   448 csum[64]
 * JSON area (from 4096, NUL-padded): {"keyslots": {"0": {"type": "luks2", "key_size": 64,
 *     "af": {"type": "luks1", "stripes": 4000, "hash": "sha256"},
 *     "area": {"type": "raw", "offset": "32768", "size": "258048", "encryption": "aes-xts-plain64", "key_size": 64},
 *     "kdf": {"type": "argon2id", "time": 4, "memory": 32768, "cpus": 2, "salt": BASE64}   (or "pbkdf2": hash,
 *     iterations, salt), "priority": 1}},
 *   "tokens": {"0": {"type": "systemd-tpm2", "keyslots": ["0"], …}},
 *   "segments": {"0": {"type": "crypt", "offset": "16777216", "size": "dynamic", "iv_tweak": "0",
 *     "encryption": "aes-xts-plain64", "sector_size": 4096}},
 *   "digests": {"0": {"type": "pbkdf2", "keyslots": ["0"], "segments": ["0"], "hash": "sha256", "iterations": N,
 *     "salt": BASE64, "digest": BASE64}},
 *   "config": {"json_size": "12288", "keyslots_size": "16744448", "requirements": {"mandatory": [...]}}}
 * </pre>
 * 64-bit numbers are decimal strings. The copy with a valid checksum and the higher {@code seqid} is used (the primary
 * on a tie). Limits: a copy of at most 4 MiB (what LUKS2 allows), JSON nested at most 64 deep, strings of at most
 * 1 MiB, duplicate keys refused; key slot limits as {@link Keyslot}'s.
 */
public final class Luks2Header implements LuksHeader {
    static final byte[] SECONDARY_MAGIC = {'S', 'K', 'U', 'L', (byte) 0xba, (byte) 0xbe};
    static final int BINARY = 4096;
    /** The sizes a LUKS2 header copy may have. */
    static final long[] SIZES = {16L << 10, 32L << 10, 64L << 10, 128L << 10, 256L << 10, 512L << 10, 1L << 20,
        2L << 20, 4L << 20};
    static final long MAX_HEADER = 4L << 20;
    static final int MAX_DEPTH = 64;
    private static final String FORMAT = "luks2";
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 20)
                    .maxNumberLength(64).maxDocumentLength(MAX_HEADER).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final String label;
    private final String subsystem;
    private final String uuid;
    private final long seqid;
    private final long headerSize;
    private final String cipher;
    private final int keyBytes;
    private final int keyslotCount;
    private final List<String> tokens;
    private final long segmentOffset;
    private final OptionalLong segmentSize;
    private final long ivTweak;
    private final int sectorSize;
    private final List<Keyslot> slots;
    private final Optional<ImageException> refusal;
    private final String fingerprint;

    private Luks2Header(Binary binary, String cipher, int keyBytes, int keyslotCount, List<String> tokens,
                        Segment segment, List<Keyslot> slots, Optional<ImageException> refusal) {
        this.label = binary.label();
        this.subsystem = binary.subsystem();
        this.uuid = binary.uuid();
        this.seqid = binary.seqid();
        this.headerSize = binary.size();
        this.cipher = cipher;
        this.keyBytes = keyBytes;
        this.keyslotCount = keyslotCount;
        this.tokens = tokens;
        this.segmentOffset = segment.offset();
        this.segmentSize = segment.size();
        this.ivTweak = segment.ivTweak();
        this.sectorSize = segment.sectorSize();
        this.slots = slots;
        this.refusal = refusal;
        this.fingerprint = binary.fingerprint();
    }

    /** One checksummed copy: its binary header's fields and its JSON text. */
    record Binary(long offset, long size, long seqid, String label, String uuid, String subsystem, byte[] json,
                  String fingerprint) {
    }

    record Segment(String id, long offset, OptionalLong size, long ivTweak, String encryption, int sectorSize) {
    }

    static Luks2Header read(BlockSource volume) throws IOException {
        long volumeSize = volume.size();
        Binary primary = null;
        ImageException primaryProblem = null;
        try {
            primary = copy(volume, 0, Luks1Header.MAGIC);
        } catch (ImageException damaged) {
            primaryProblem = damaged;
        }
        Binary secondary = null;
        for (long offset : SIZES) {
            if (primary != null && offset != primary.size()) {
                continue;
            }
            if (offset + BINARY > volumeSize || !magic(volume, offset, SECONDARY_MAGIC)) {
                continue;
            }
            try {
                secondary = copy(volume, offset, SECONDARY_MAGIC);
            } catch (ImageException damaged) {
                // The primary decides; without it the problem below names the primary's damage.
            }
            break;
        }
        Binary chosen = primary == null ? secondary
                : secondary != null && Long.compareUnsigned(secondary.seqid(), primary.seqid()) > 0 ? secondary : primary;
        if (chosen == null) {
            throw primaryProblem;
        }
        return parse(chosen, volumeSize);
    }

    private static boolean magic(BlockSource volume, long offset, byte[] magic) throws IOException {
        byte[] found = new byte[magic.length];
        volume.read(offset, magic.length, ByteOrder.BIG_ENDIAN).get(found);
        return Arrays.equals(found, magic);
    }

    /** The copy at {@code offset}, its binary header and checksum checked. */
    static Binary copy(BlockSource volume, long offset, byte[] expectedMagic) throws IOException {
        long volumeSize = volume.size();
        String structure = offset == 0 ? "binary header" : "second binary header";
        if (offset + BINARY > volumeSize) {
            throw new CorruptImage(FORMAT, structure, offset, "the volume (0x%x bytes) ends inside it".formatted(volumeSize));
        }
        ByteBuffer head = volume.read(offset, BINARY, ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[6];
        head.get(0, magic);
        if (!Arrays.equals(magic, expectedMagic)) {
            throw new CorruptImage(FORMAT, structure, offset, "no LUKS2 magic");
        }
        if (head.getShort(6) != 2) {
            throw new CorruptImage(FORMAT, structure, offset, "version %d is not 2".formatted(head.getShort(6)));
        }
        long size = head.getLong(8);
        if (Long.compareUnsigned(size, MAX_HEADER) > 0) {
            throw new LimitExceeded(FORMAT, structure, offset, "a header of %s (JSON area included) exceeds the 4 MiB "
                    .formatted(bytes(size)) + "LUKS2 allows");
        }
        if (Arrays.stream(SIZES).noneMatch(allowed -> allowed == size)) {
            throw new CorruptImage(FORMAT, structure, offset, "a header size of %d bytes is not one LUKS2 allows (16 KiB "
                    .formatted(size) + "to 4 MiB, a power of two)");
        }
        if (head.getLong(256) != offset) {
            throw new CorruptImage(FORMAT, structure, offset, "it says it is at 0x%x".formatted(head.getLong(256)));
        }
        if (offset + size > volumeSize) {
            throw new CorruptImage(FORMAT, structure, offset, "its %d bytes end past the end of the volume (0x%x)"
                    .formatted(size, volumeSize));
        }
        String checksumAlgorithm = text(head, 72, 32);
        MessageDigest checksum;
        try {
            checksum = Hashes.digest(checksumAlgorithm);
        } catch (UnsupportedFeature unknown) {
            throw new UnsupportedFeature(FORMAT, structure, offset, "checksum " + unknown.getMessage());
        }
        byte[] area = new byte[(int) size];
        volume.read(offset, ByteBuffer.wrap(area));
        byte[] stored = Arrays.copyOfRange(area, 448, 448 + checksum.getDigestLength());
        Arrays.fill(area, 448, 448 + 64, (byte) 0);
        byte[] computed = checksum.digest(area);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new CorruptImage(FORMAT, structure, offset, "its %s checksum does not match its bytes"
                    .formatted(checksumAlgorithm));
        }
        int end = BINARY;
        while (end < area.length && area[end] != 0) {
            end++;
        }
        String fingerprint;
        try {
            fingerprint = "luks2:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(area));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        return new Binary(offset, size, head.getLong(16), text(head, 24, 48), text(head, 168, 40), text(head, 208, 48),
                Arrays.copyOfRange(area, BINARY, end), fingerprint);
    }

    /** The header of {@code binary}'s JSON area, for a volume of {@code volumeSize} bytes. */
    static Luks2Header parse(Binary binary, long volumeSize) throws ImageException {
        Fields fields = new Fields(binary.offset() + BINARY);
        JsonNode root;
        try {
            root = JSON.readTree(binary.json());
        } catch (StreamConstraintsException tooMuch) {
            String why = String.valueOf(tooMuch.getOriginalMessage());
            throw new LimitExceeded(FORMAT, "JSON area", binary.offset() + BINARY, why.contains("nesting")
                    ? "nested deeper than %d levels".formatted(MAX_DEPTH) : firstLine(why));
        } catch (JsonProcessingException broken) {
            throw new CorruptImage(FORMAT, "JSON area", binary.offset() + BINARY, "not valid JSON: "
                    + firstLine(String.valueOf(broken.getOriginalMessage())));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        if (root == null || !root.isObject()) {
            throw fields.bad("the JSON is not an object");
        }
        JsonNode config = fields.object(root, "config", "the JSON");
        long jsonSize = fields.u64(config, "json_size", "config");
        if (jsonSize != binary.size() - BINARY) {
            throw fields.bad("config: json_size %d disagrees with the header size %d".formatted(jsonSize, binary.size()));
        }
        List<ImageException> refusals = new ArrayList<>();
        JsonNode requirements = config.path("requirements").path("mandatory");
        if (requirements.isArray() && !requirements.isEmpty()) {
            refusals.add(new UnsupportedFeature(FORMAT, "config", -1, "mandatory requirement %s is not supported%s".formatted(
                    Hashes.printable(requirements.get(0).asText()), requirements.get(0).asText().contains("reencrypt")
                            ? " (a reencryption is in progress)" : "")));
        }
        Segment segment = segment(fields, fields.object(root, "segments", "the JSON"), binary.size(), volumeSize, refusals);
        List<Keyslot.Digest> digestsOfSegment = new ArrayList<>();
        Map<String, Keyslot.Digest> digestOfSlot = new TreeMap<>();
        JsonNode digests = fields.object(root, "digests", "the JSON");
        for (Map.Entry<String, JsonNode> entry : sorted(digests)) {
            digest(fields, entry.getKey(), entry.getValue(), segment.id(), digestsOfSegment, digestOfSlot);
        }
        List<String> tokens = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : sorted(fields.object(root, "tokens", "the JSON"))) {
            tokens.add(Hashes.printable(entry.getValue().path("type").asText("unknown")));
        }
        List<Keyslot> slots = new ArrayList<>();
        int count = 0;
        int keyBytes = 0;
        for (Map.Entry<String, JsonNode> entry : sorted(fields.object(root, "keyslots", "the JSON"))) {
            String type = entry.getValue().path("type").asText("");
            if (type.equals("reencrypt")) {
                continue;
            }
            count++;
            Keyslot.Digest digest = digestOfSlot.get(entry.getKey());
            if (digest == null) {
                continue;
            }
            Keyslot slot = keyslot(fields, entry.getKey(), entry.getValue(), digest, segment, binary.size(), volumeSize);
            if (keyBytes == 0 && slot.problem().isEmpty()) {
                keyBytes = slot.keyBytes();
            }
            slots.add(slot);
        }
        if (digestsOfSegment.isEmpty()) {
            refusals.add(new CorruptImage(FORMAT, "digests", -1, "no digest covers segment " + segment.id()));
        }
        return new Luks2Header(binary, segment.encryption(), keyBytes, count, List.copyOf(tokens), segment,
                List.copyOf(slots), refusals.stream().findFirst());
    }

    private static Segment segment(Fields fields, JsonNode segments, long headerSize, long volumeSize,
                                   List<ImageException> refusals) throws CorruptImage {
        List<Map.Entry<String, JsonNode>> all = sorted(segments);
        if (all.isEmpty()) {
            throw fields.bad("there is no data segment");
        }
        Map.Entry<String, JsonNode> first = all.getFirst();
        String where = "segment " + Hashes.printable(first.getKey());
        JsonNode node = first.getValue();
        String type = fields.string(node, "type", where);
        long offset = fields.u64(node, "offset", where);
        String sizeText = fields.string(node, "size", where);
        OptionalLong size = sizeText.equals("dynamic") ? OptionalLong.empty()
                : OptionalLong.of(fields.u64(node, "size", where));
        long ivTweak = node.has("iv_tweak") ? fields.u64(node, "iv_tweak", where) : 0;
        String encryption = type.equals("crypt") ? fields.string(node, "encryption", where) : "";
        long sectorSize = type.equals("crypt") ? fields.number(node, "sector_size", where) : 512;
        if (sectorSize != 512 && sectorSize != 1024 && sectorSize != 2048 && sectorSize != 4096) {
            throw fields.bad("%s: sector_size %d is not 512, 1024, 2048 or 4096".formatted(where, sectorSize));
        }
        Segment segment = new Segment(first.getKey(), offset, size, ivTweak, encryption, (int) sectorSize);
        if (all.size() > 1) {
            refusals.add(new UnsupportedFeature(FORMAT, "segments", -1, "%d data segments (a reencryption in progress) are "
                    .formatted(all.size()) + "not supported"));
        } else if (!type.equals("crypt")) {
            refusals.add(new UnsupportedFeature(FORMAT, where, -1, "segment type '%s' is not supported"
                    .formatted(Hashes.printable(type))));
        } else if (node.has("integrity")) {
            refusals.add(new UnsupportedFeature(FORMAT, where, -1, "authenticated encryption (dm-integrity) is not supported"));
        } else if (SectorCipher.problem(encryption, 32).filter(problem -> problem.startsWith("cipher")).isPresent()) {
            refusals.add(new UnsupportedFeature(FORMAT, where, -1, SectorCipher.problem(encryption, 32).get()));
        } else if (offset == 0) {
            refusals.add(new UnsupportedFeature(FORMAT, where, -1, "the header is detached (data offset 0): its data is on "
                    + "another device"));
        } else if (offset < 2 * headerSize || offset % 512 != 0) {
            refusals.add(new CorruptImage(FORMAT, where, -1, "data offset 0x%x overlaps the headers or is not sector-aligned"
                    .formatted(offset)));
        } else if (Long.compareUnsigned(offset, volumeSize) > 0
                || size.isPresent() && Long.compareUnsigned(size.getAsLong(), volumeSize - offset) > 0) {
            refusals.add(new CorruptImage(FORMAT, where, -1, "the data at 0x%x%s is past the end of the volume (0x%x)"
                    .formatted(offset, size.isPresent() ? " (%d bytes)".formatted(size.getAsLong()) : "", volumeSize)));
        }
        return segment;
    }

    private static void digest(Fields fields, String id, JsonNode node, String segment, List<Keyslot.Digest> ofSegment,
                               Map<String, Keyslot.Digest> ofSlot) throws CorruptImage {
        String where = "digest " + Hashes.printable(id);
        if (!fields.string(node, "type", where).equals("pbkdf2")) {
            return;
        }
        List<String> segments = fields.strings(node, "segments", where);
        if (!segments.contains(segment)) {
            return;
        }
        byte[] digest = fields.base64(node, "digest", where);
        if (digest.length == 0 || digest.length > 64) {
            throw fields.bad("%s: a digest of %d bytes".formatted(where, digest.length));
        }
        Keyslot.Digest parsed = new Keyslot.Digest(where, fields.string(node, "hash", where), fields.base64(node, "salt", where),
                fields.number(node, "iterations", where), digest);
        ofSegment.add(parsed);
        for (String slot : fields.strings(node, "keyslots", where)) {
            ofSlot.putIfAbsent(slot, parsed);
        }
    }

    private static Keyslot keyslot(Fields fields, String id, JsonNode node, Keyslot.Digest digest, Segment segment,
                                   long headerSize, long volumeSize) {
        String name = "keyslot " + Hashes.printable(id);
        int priority = 1;
        try {
            priority = node.has("priority") ? (int) Math.min(2, fields.number(node, "priority", name)) : 1;
            String type = fields.string(node, "type", name);
            if (!type.equals("luks2")) {
                return Keyslot.broken(name, priority, new UnsupportedFeature(FORMAT, name, -1, "keyslot type '%s' is not "
                        .formatted(Hashes.printable(type)) + "supported"));
            }
            long keyBytes = fields.number(node, "key_size", name);
            JsonNode af = fields.object(node, "af", name);
            String afType = fields.string(af, "type", name + " af");
            long stripes = fields.number(af, "stripes", name + " af");
            String afHash = fields.string(af, "hash", name + " af");
            JsonNode area = fields.object(node, "area", name);
            String areaType = fields.string(area, "type", name + " area");
            long areaOffset = fields.u64(area, "offset", name + " area");
            long areaSize = fields.u64(area, "size", name + " area");
            String areaCipher = fields.string(area, "encryption", name + " area");
            long areaKeyBytes = fields.number(area, "key_size", name + " area");
            Keyslot.Kdf kdf = kdf(fields, fields.object(node, "kdf", name), name + " kdf");
            String areaName = name + " area";
            Optional<String> segmentProblem = SectorCipher.problem(segment.encryption(), (int) Math.min(keyBytes, 4096));
            Optional<String> areaProblem = SectorCipher.problem(areaCipher, (int) Math.min(areaKeyBytes, 4096));
            ImageException problem = null;
            if (!afType.equals("luks1")) {
                problem = new UnsupportedFeature(FORMAT, name, -1, "anti-forensic type '%s' is not supported"
                        .formatted(Hashes.printable(afType)));
            } else if (!areaType.equals("raw")) {
                problem = new UnsupportedFeature(FORMAT, name, -1, "area type '%s' is not supported"
                        .formatted(Hashes.printable(areaType)));
            } else if (stripes < 1) {
                problem = new CorruptImage(FORMAT, name, -1, "%d stripes".formatted(stripes));
            } else if (stripes > Keyslot.MAX_STRIPES) {
                problem = new LimitExceeded(FORMAT, name, -1, "%d stripes exceed the limit of %,d (cryptsetup writes 4000)"
                        .formatted(stripes, Keyslot.MAX_STRIPES));
            } else if (segmentProblem.isPresent()) {
                problem = new CorruptImage(FORMAT, name, -1, "volume key: " + segmentProblem.get());
            } else if (areaProblem.isPresent()) {
                problem = new UnsupportedFeature(FORMAT, areaName, areaOffset, areaProblem.get());
            } else if (!Hashes.known(afHash) || !Hashes.known(digest.hash())
                    || kdf instanceof Keyslot.Pbkdf2Kdf pbkdf2 && !Hashes.known(pbkdf2.hash())) {
                problem = new UnsupportedFeature(FORMAT, name, -1, "hash '%s' is not supported (DiskLens computes sha1, "
                        .formatted(Hashes.printable(Hashes.known(afHash) ? Hashes.known(digest.hash())
                                ? ((Keyslot.Pbkdf2Kdf) kdf).hash() : digest.hash() : afHash))
                        + "sha224, sha256, sha384, sha512)");
            } else if (Keyslot.areaBytes(keyBytes, stripes) > areaSize) {
                problem = new CorruptImage(FORMAT, areaName, areaOffset, "%d bytes of key material do not fit in its %d bytes"
                        .formatted(Keyslot.areaBytes(keyBytes, stripes), areaSize));
            } else if (areaOffset < 2 * headerSize || Long.compareUnsigned(areaOffset, volumeSize) > 0
                    || Long.compareUnsigned(areaSize, volumeSize - areaOffset) > 0) {
                problem = new CorruptImage(FORMAT, areaName, areaOffset, areaOffset < 2 * headerSize
                        ? "overlaps the headers (0x%x bytes)".formatted(2 * headerSize)
                        : "%d bytes end past the end of the volume (0x%x)".formatted(areaSize, volumeSize));
            }
            if (problem != null) {
                return Keyslot.broken(name, priority, problem);
            }
            return new Keyslot(name, priority, Optional.empty(), kdf, areaOffset, (int) Keyslot.areaBytes(keyBytes, stripes),
                    areaCipher, (int) areaKeyBytes, (int) keyBytes, (int) stripes, afHash, digest);
        } catch (CorruptImage damaged) {
            return Keyslot.broken(name, priority, damaged);
        }
    }

    private static Keyslot.Kdf kdf(Fields fields, JsonNode node, String where) throws CorruptImage {
        String type = fields.string(node, "type", where);
        byte[] salt = fields.base64(node, "salt", where);
        return switch (type) {
            case "pbkdf2" -> new Keyslot.Pbkdf2Kdf(fields.string(node, "hash", where), salt,
                    fields.number(node, "iterations", where));
            case "argon2i", "argon2id" -> new Keyslot.Argon2Kdf(type.equals("argon2i") ? Argon2.Type.ARGON2I
                    : Argon2.Type.ARGON2ID, salt, fields.number(node, "time", where), fields.number(node, "memory", where),
                    fields.number(node, "cpus", where));
            default -> throw fields.bad("%s: KDF type '%s' is not pbkdf2, argon2i or argon2id".formatted(where,
                    Hashes.printable(type)));
        };
    }

    /** An object's members ordered as cryptsetup numbers them: by number, then by name. */
    private static List<Map.Entry<String, JsonNode>> sorted(JsonNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        entries.sort(Comparator.comparing((Map.Entry<String, JsonNode> entry) -> entry.getKey().length())
                .thenComparing(Map.Entry::getKey));
        return entries;
    }

    private static String text(ByteBuffer head, int at, int length) {
        int end = 0;
        while (end < length && head.get(at + end) != 0) {
            end++;
        }
        byte[] out = new byte[end];
        head.get(at, out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    private static String bytes(long size) {
        return Long.compareUnsigned(size, 1L << 20) >= 0 && size % (1L << 20) == 0
                ? Long.toUnsignedString(size >>> 20) + " MiB" : Long.toUnsignedString(size) + " bytes";
    }

    /** Reads typed fields out of the JSON, each failure a {@code CorruptImage} naming the JSON area. */
    private record Fields(long jsonOffset) {
        CorruptImage bad(String problem) {
            return new CorruptImage(FORMAT, "JSON area", jsonOffset, problem);
        }

        JsonNode field(JsonNode node, String name, String where) throws CorruptImage {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw bad("%s: '%s' is missing".formatted(where, name));
            }
            return value;
        }

        JsonNode object(JsonNode node, String name, String where) throws CorruptImage {
            JsonNode value = field(node, name, where);
            if (!value.isObject()) {
                throw bad("%s: '%s' is not an object".formatted(where, name));
            }
            return value;
        }

        String string(JsonNode node, String name, String where) throws CorruptImage {
            JsonNode value = field(node, name, where);
            if (!value.isTextual()) {
                throw bad("%s: '%s' is not a string".formatted(where, name));
            }
            return value.textValue();
        }

        List<String> strings(JsonNode node, String name, String where) throws CorruptImage {
            JsonNode value = field(node, name, where);
            if (!value.isArray()) {
                throw bad("%s: '%s' is not an array".formatted(where, name));
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw bad("%s: '%s' holds something other than strings".formatted(where, name));
                }
                out.add(item.textValue());
            }
            return out;
        }

        /** A JSON integer from 0 to 2^63 - 1. */
        long number(JsonNode node, String name, String where) throws CorruptImage {
            JsonNode value = field(node, name, where);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw bad("%s: '%s' is not a non-negative integer".formatted(where, name));
            }
            return value.longValue();
        }

        /** A 64-bit number as LUKS2 writes it: a string of decimal digits (below 2^63 here). */
        long u64(JsonNode node, String name, String where) throws CorruptImage {
            String text = string(node, name, where);
            if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw bad("%s: '%s' is not a decimal number: '%s'".formatted(where, name, Hashes.printable(text)));
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                throw bad("%s: '%s' is too large: %s".formatted(where, name, text));
            }
        }

        byte[] base64(JsonNode node, String name, String where) throws CorruptImage {
            try {
                return Base64.getDecoder().decode(string(node, name, where));
            } catch (IllegalArgumentException broken) {
                throw bad("%s: '%s' is not base64".formatted(where, name));
            }
        }
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public String uuid() {
        return uuid;
    }

    @Override
    public String label() {
        return label;
    }

    public String subsystem() {
        return subsystem;
    }

    /** The sequence number of the copy used. */
    public long seqid() {
        return seqid;
    }

    /** The size of one header copy (binary header and JSON area). */
    public long headerSize() {
        return headerSize;
    }

    @Override
    public String cipher() {
        return cipher;
    }

    @Override
    public int keyBytes() {
        return keyBytes;
    }

    @Override
    public int keyslots() {
        return keyslotCount;
    }

    @Override
    public List<String> tokens() {
        return tokens;
    }

    @Override
    public long payloadOffset() {
        return segmentOffset;
    }

    @Override
    public long payloadLength(long volumeSize) {
        long length = segmentSize.orElse(Math.max(0, volumeSize - segmentOffset));
        return Math.max(0, Math.min(length, volumeSize - segmentOffset)) / sectorSize * sectorSize;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public long ivOffset() {
        return ivTweak;
    }

    /**
     * False: cryptsetup activates LUKS2 segments without dm-crypt's {@code iv_large_sectors}, so a 4096-byte sector's IV
     * is its number in 512-byte units (sector 1 has IV 8); its own offline encryption does the same, and so does this.
     */
    @Override
    public boolean largeIv() {
        return false;
    }

    @Override
    public Optional<ImageException> refusal() {
        return refusal;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public VolumeKey unlock(BlockSource volume, Passphrase passphrase, KdfLimits limits) throws IOException {
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return Keyslot.unlock(FORMAT, slots, volume, passphrase, limits);
    }

    @Override
    public String toString() {
        return "Luks2Header[%s, %s, %d keyslots, seqid %d]".formatted(uuid, cipher, keyslotCount, seqid);
    }
}

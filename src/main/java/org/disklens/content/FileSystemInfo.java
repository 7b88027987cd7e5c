package org.disklens.content;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a file-system (or container) signature says: type as blkid names it ({@code ext4}, {@code vfat},
 * {@code crypto_LUKS}…), label, UUID in blkid's spelling, size in bytes, and used bytes where the superblock
 * says so cheaply. A size the structure claims but that cannot be true is absent, and {@code warnings} says why
 * ({@link ClaimedSizes}).
 */
public record FileSystemInfo(String type, String label, String uuid, OptionalLong size, OptionalLong used,
                             List<String> warnings) {

    public FileSystemInfo {
        warnings = List.copyOf(warnings);
    }

    /** A signature without damage to report. */
    public FileSystemInfo(String type, String label, String uuid, OptionalLong size, OptionalLong used) {
        this(type, label, uuid, size, used, List.of());
    }

    /** {@code filesystem} of {@code info --json}'s partitions: {type, label, uuid, size, used}. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("label", label);
        fields.put("uuid", uuid);
        size.ifPresent(value -> fields.put("size", value));
        used.ifPresent(value -> fields.put("used", value));
        return fields;
    }
}

package org.disklens.content;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.disklens.image.Units;

/**
 * The sizes a file system's own structure claims (its total, how much is used), computed with exact arithmetic and
 * checked against the volume that holds it. An impossible one — a count that overflows or reads as negative, a file
 * system larger than its volume, more used (or free) than there is — is left out and said as damage, never shown.
 * Counts are taken as the unsigned numbers they are on disk.
 */
public final class ClaimedSizes {
    private final String type;
    private final String structure;
    private final long volumeBytes;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param type        the file system, as messages start: {@code ext4}, {@code ntfs}
     * @param structure   where the sizes come from: {@code superblock}, {@code boot sector}
     * @param volumeBytes the size of the volume the file system lives in
     */
    public ClaimedSizes(String type, String structure, long volumeBytes) {
        this.type = type;
        this.structure = structure;
        this.volumeBytes = volumeBytes;
    }

    /** The file system's size, {@code units × unitBytes}; empty (and a warning) if it cannot be true. */
    public OptionalLong total(String unitName, long units, long unitBytes) {
        String claim = claim(unitName, units, unitBytes);
        if (units < 0 || unitBytes <= 0) {
            return damage("%s cannot be a size; the size is left out".formatted(claim));
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(units, unitBytes);
        } catch (ArithmeticException overflow) {
            return damage("%s overflow a 64-bit size; the size is left out".formatted(claim));
        }
        if (bytes > volumeBytes) {
            return damage("%s make %d bytes (%s), more than its volume of %d bytes (%s); the size is left out"
                    .formatted(claim, bytes, Units.size(bytes), volumeBytes, Units.size(volumeBytes)));
        }
        return OptionalLong.of(bytes);
    }

    /** No size at all: the structure makes it impossible to compute ({@code why}: a block size the format has not). */
    public OptionalLong leftOut(String why) {
        return damage(why + "; the size is left out");
    }

    /** Used bytes, {@code (units − freeUnits) × unitBytes}, for a {@link #total} of {@code units}; empty if impossible. */
    public OptionalLong used(OptionalLong total, String unitName, long units, long freeUnits, long unitBytes) {
        if (total.isEmpty()) {
            return OptionalLong.empty();
        }
        if (freeUnits < 0 || freeUnits > units) {
            return damage("%s free %s are more than its %s %s; the used size is left out".formatted(
                    Long.toUnsignedString(freeUnits), unitName, Long.toUnsignedString(units), unitName));
        }
        return OptionalLong.of((units - freeUnits) * unitBytes);
    }

    /** Used bytes as the structure states them; empty if more than {@code total} or negative. */
    public OptionalLong usedBytes(OptionalLong total, long usedBytes) {
        if (total.isEmpty()) {
            return OptionalLong.empty();
        }
        if (usedBytes < 0 || usedBytes > total.getAsLong()) {
            return damage("%s bytes used are more than its size of %s; the used size is left out".formatted(
                    Long.toUnsignedString(usedBytes), Units.size(total.getAsLong())));
        }
        return OptionalLong.of(usedBytes);
    }

    /** What the signature says, with the sizes that passed and the damage found in the others. */
    public FileSystemInfo info(String label, String uuid, OptionalLong size, OptionalLong used) {
        return new FileSystemInfo(type, label, uuid, size, used, warnings);
    }

    private String claim(String unitName, long units, long unitBytes) {
        return unitBytes == 1 ? "%s %s".formatted(Long.toUnsignedString(units), unitName)
                : "%s %s of %s".formatted(Long.toUnsignedString(units), unitName, Units.size(unitBytes));
    }

    private OptionalLong damage(String problem) {
        warnings.add("%s: %s: %s".formatted(type, structure, problem));
        return OptionalLong.empty();
    }
}

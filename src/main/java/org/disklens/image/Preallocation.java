package org.disklens.image;

import java.util.List;

/** qemu's {@code preallocation} option: what the new image reserves beyond the data it holds. */
public enum Preallocation {
    /** Nothing: a sparse file, only what the source holds. */
    OFF("off"),
    /** qcow2: every cluster mapped (L2 tables complete), the data clusters left as holes. */
    METADATA("metadata"),
    /** Like metadata, and the file's blocks reserved with {@code posix_fallocate}. */
    FALLOC("falloc"),
    /** Like metadata, and every byte written (zeroes where the source has none). */
    FULL("full");

    private final String qemuName;

    Preallocation(String qemuName) {
        this.qemuName = qemuName;
    }

    public String qemuName() {
        return qemuName;
    }

    public static Preallocation named(String name) {
        for (Preallocation mode : values()) {
            if (mode.qemuName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(name);
    }

    public static List<String> names(Preallocation... modes) {
        return java.util.Arrays.stream(modes).map(Preallocation::qemuName).toList();
    }
}

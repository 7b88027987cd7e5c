package org.disklens.content;

/**
 * Where a volume's bytes lie on the guest disk, one contiguous run at a time: a partition is one run, an LVM logical
 * volume as many as its segments. What "where a file lives" follows from a file's mappings to the disk.
 */
@FunctionalInterface
public interface Placement {
    /** The guest run that holds volume byte {@code volumeOffset} and up to {@code maxLength} bytes after it. */
    GuestRun at(long volumeOffset, long maxLength);

    /** {@code length} guest bytes from {@code guestOffset}. */
    record GuestRun(long guestOffset, long length) {
    }

    /** A volume that is one run of the disk from {@code guestStart}. */
    static Placement contiguous(long guestStart) {
        return (volumeOffset, maxLength) -> new GuestRun(guestStart + volumeOffset, maxLength);
    }
}

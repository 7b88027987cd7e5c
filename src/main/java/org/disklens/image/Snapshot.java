package org.disklens.image;

/**
 * An internal snapshot, with the fields {@code qemu-img snapshot -l} shows. {@code icount} is -1 where
 * the image does not record one.
 */
public record Snapshot(String id, String name, long vmStateSize, long dateSeconds, long dateNanos,
                       long vmClockNanos, long icount, long virtualSize) {
}

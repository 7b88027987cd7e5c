package org.disklens.gui.model;

/** A partition or file system drawn over the allocation map: its guest range and a label. */
public record PartitionSpan(String label, long start, long length) {
    public long end() {
        return start + length;
    }
}

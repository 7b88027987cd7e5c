package org.disklens.inspect;

/**
 * One extent of {@code map}: qemu-img's fields. {@code depth} counts backing layers (0 = the image itself);
 * {@code offset} is the host offset in the file holding the data, or -1 where there is none.
 */
public record MapEntry(long start, long length, int depth, boolean present, boolean zero, boolean data,
                       boolean compressed, long offset) {
    public static final long NO_OFFSET = -1;

    public boolean hasOffset() {
        return offset != NO_OFFSET;
    }

    public long end() {
        return start + length;
    }

    /** qemu-img merges neighbours whose flags all match and whose offsets (if any) continue. */
    boolean mergeableWith(MapEntry next) {
        return depth == next.depth && present == next.present && zero == next.zero && data == next.data
                && compressed == next.compressed && hasOffset() == next.hasOffset()
                && (!hasOffset() || offset + length == next.offset);
    }

    MapEntry extendedBy(MapEntry next) {
        return new MapEntry(start, length + next.length, depth, present, zero, data, compressed, offset);
    }
}

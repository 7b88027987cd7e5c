package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One directory entry as XFS keeps it in a directory's data space: the inode number, the name and (with the
 * {@code ftype} feature) a file type. {@link #parseShortForm} reads the short-form directory in an inode's data fork,
 * {@link #parseDataBlock} one block of a block, leaf, node or B+tree directory.
 */
record DirectoryEntry(long inode, byte[] name, int fileType) {
    static final int BLOCK_MAGIC_V4 = 0x58443242; // XD2B
    static final int DATA_MAGIC_V4 = 0x58443244; // XD2D
    static final int BLOCK_MAGIC_V5 = 0x58444233; // XDB3
    static final int DATA_MAGIC_V5 = 0x58444433; // XDD3
    static final int HEADER_V4 = 16;
    static final int HEADER_V5 = 64;
    static final int CRC_OFFSET = 4;
    static final int OWNER_OFFSET = 40;
    static final int FREE_TAG = 0xFFFF;
    /** The smallest entry: inode, a one-byte name, file type and tag, rounded to 8 bytes. */
    private static final int MIN_ENTRY = 16;
    private static final int BLOCK_TAIL = 8;
    private static final int LEAF_ENTRY = 8;

    /** The entries of one region, and what stopped the parse early, if anything. */
    record Region(List<DirectoryEntry> entries, Optional<String> damage) {
    }

    boolean isDotOrDotDot() {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }

    /**
     * A short-form directory ({@code xfs_dir2_sf_hdr}: count u8, i8count u8, parent inode of 4 bytes, or 8 when
     * i8count is not 0; then per entry namelen u8, offset u16, name, ftype u8 with the feature, inode of 4 or 8 bytes)
     * in {@code length} bytes from the position of {@code bytes}.
     */
    static Region parseShortForm(ByteBuffer bytes, int length, boolean fileTypes) {
        ByteBuffer sf = bytes.slice(bytes.position(), length).order(ByteOrder.BIG_ENDIAN);
        List<DirectoryEntry> entries = new ArrayList<>();
        if (length < 6) {
            return new Region(entries, Optional.of("a short-form header of %d bytes is too short".formatted(length)));
        }
        int count = Byte.toUnsignedInt(sf.get(0));
        int inodeBytes = sf.get(1) != 0 ? 8 : 4;
        int at = 2 + inodeBytes;
        for (int i = 0; i < count; i++) {
            if (at + 3 > length) {
                return new Region(entries, Optional.of("entry %d of %d runs past the directory's %d bytes".formatted(i,
                        count, length)));
            }
            int nameLength = Byte.toUnsignedInt(sf.get(at));
            int entrySize = 3 + nameLength + (fileTypes ? 1 : 0) + inodeBytes;
            if (nameLength == 0 || at + entrySize > length) {
                return new Region(entries, Optional.of("entry %d at byte %d (name of %d bytes) runs past the directory's %d bytes"
                        .formatted(i, at, nameLength, length)));
            }
            byte[] name = new byte[nameLength];
            sf.get(at + 3, name);
            int fileType = fileTypes ? Byte.toUnsignedInt(sf.get(at + 3 + nameLength)) : 0;
            int inodeAt = at + entrySize - inodeBytes;
            long inode = inodeBytes == 8 ? sf.getLong(inodeAt) : Integer.toUnsignedLong(sf.getInt(inodeAt));
            entries.add(new DirectoryEntry(inode, name, fileType));
            at += entrySize;
        }
        return new Region(entries, Optional.empty());
    }

    /**
     * One directory data block of {@code size} bytes: a header ({@code XD2B}/{@code XD2D}: magic and three best-free
     * slots, 16 bytes; {@code XDB3}/{@code XDD3}: magic, CRC, blkno, lsn, uuid, owner, best-free, 64 bytes), then
     * entries and unused spaces, each 8-byte aligned and ending with a 2-byte tag that repeats its own offset: an
     * entry is inode u64, namelen u8, name, ftype u8, padding, tag; an unused space is 0xFFFF, length u16, ..., tag.
     * A single-block directory ends with its hash leaf entries (8 bytes each) and a tail (count u32, stale u32).
     * The first bad entry ends the block, keeping the entries before it (the kernel's {@code __xfs_dir3_data_check}).
     */
    static Region parseDataBlock(ByteBuffer block, int size, boolean v5, boolean fileTypes) {
        ByteBuffer bytes = block.slice(block.position(), size).order(ByteOrder.BIG_ENDIAN);
        List<DirectoryEntry> entries = new ArrayList<>();
        int magic = bytes.getInt(0);
        int header = v5 ? HEADER_V5 : HEADER_V4;
        int end;
        if (magic == (v5 ? BLOCK_MAGIC_V5 : BLOCK_MAGIC_V4)) {
            long leafEntries = Integer.toUnsignedLong(bytes.getInt(size - BLOCK_TAIL));
            end = (int) Math.max(-1, size - BLOCK_TAIL - Math.min(leafEntries, size) * LEAF_ENTRY);
            if (end < header) {
                return new Region(entries, Optional.of("%d hash entries do not fit the block".formatted(leafEntries)));
            }
        } else if (magic == (v5 ? DATA_MAGIC_V5 : DATA_MAGIC_V4)) {
            end = size;
        } else {
            return new Region(entries, Optional.of("no directory data magic (0x%08x)".formatted(magic)));
        }
        int at = header;
        while (at < end) {
            Optional<String> problem;
            if (end - at < 8) {
                problem = Optional.of("%d bytes at %d are too few for an entry".formatted(end - at, at));
            } else if (Short.toUnsignedInt(bytes.getShort(at)) == FREE_TAG) {
                int length = Short.toUnsignedInt(bytes.getShort(at + 2));
                problem = checkSpace("unused space", at, length, end, bytes);
                if (problem.isEmpty()) {
                    at += length;
                    continue;
                }
            } else if (end - at < MIN_ENTRY) {
                problem = Optional.of("%d bytes at %d are too few for an entry".formatted(end - at, at));
            } else {
                int nameLength = Byte.toUnsignedInt(bytes.get(at + 8));
                int length = (8 + 1 + nameLength + (fileTypes ? 1 : 0) + 2 + 7) & ~7;
                problem = nameLength == 0 ? Optional.of("an entry at %d has an empty name".formatted(at))
                        : checkSpace("entry", at, length, end, bytes);
                if (problem.isEmpty()) {
                    byte[] name = new byte[nameLength];
                    bytes.get(at + 9, name);
                    int fileType = fileTypes ? Byte.toUnsignedInt(bytes.get(at + 9 + nameLength)) : 0;
                    entries.add(new DirectoryEntry(bytes.getLong(at), name, fileType));
                    at += length;
                    continue;
                }
            }
            return new Region(entries, problem);
        }
        return new Region(entries, Optional.empty());
    }

    private static Optional<String> checkSpace(String what, int at, int length, int end, ByteBuffer bytes) {
        if (length < 8 || length % 8 != 0) {
            return Optional.of("%s at %d has length %d (a positive multiple of 8 is needed)".formatted(what, at, length));
        }
        if (length > end - at) {
            return Optional.of("%s at %d of length %d runs past the entries' end at %d".formatted(what, at, length, end));
        }
        int tag = Short.toUnsignedInt(bytes.getShort(at + length - 2));
        if (tag != at) {
            return Optional.of("%s at %d has tag %d".formatted(what, at, tag));
        }
        return Optional.empty();
    }
}

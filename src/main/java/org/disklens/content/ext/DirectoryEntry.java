package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One linear directory entry ({@code struct ext4_dir_entry_2}): {@code inode u32, rec_len u16, name_len u8,
 * file_type u8, name}; without the {@code filetype} feature {@code name_len} is 16 bits. Entries chain by
 * {@code rec_len} through a block (or an inline region); inode 0 marks an unused entry, which is also how htree
 * internal nodes and the {@code metadata_csum} tail look to a linear reader.
 */
record DirectoryEntry(long inode, int recordLength, int fileType, byte[] name) {
    static final int HEADER = 8;
    /** The smallest entry: a 1-character name padded to 4 bytes. */
    static final int MIN_RECORD = 12;

    /** The entries of one region, and what stopped the parse early, if anything. */
    record Region(List<DirectoryEntry> entries, Optional<String> damage) {
    }

    /**
     * The entries in {@code length} bytes from the position of {@code bytes}; the kernel's checks on each
     * ({@code __ext4_check_dir_entry}) end the region at the first bad one, keeping what came before.
     */
    static Region parseRegion(ByteBuffer bytes, int length, boolean fileTypes, int blockSize) {
        ByteBuffer region = bytes.slice(bytes.position(), length).order(ByteOrder.LITTLE_ENDIAN);
        List<DirectoryEntry> entries = new ArrayList<>();
        int at = 0;
        while (at < length) {
            if (at + HEADER > length) {
                return new Region(entries, Optional.of("an entry header at byte %d runs past the end".formatted(at)));
            }
            int recordLength = recordLength(Short.toUnsignedInt(region.getShort(at + 4)), blockSize);
            int nameLength = fileTypes ? Byte.toUnsignedInt(region.get(at + 6)) : Short.toUnsignedInt(region.getShort(at + 6));
            Optional<String> problem = check(at, recordLength, nameLength, length);
            if (problem.isPresent()) {
                return new Region(entries, problem);
            }
            byte[] name = new byte[nameLength];
            region.get(at + HEADER, name);
            entries.add(new DirectoryEntry(Integer.toUnsignedLong(region.getInt(at)), recordLength,
                    fileTypes ? Byte.toUnsignedInt(region.get(at + 7)) : 0, name));
            at += recordLength;
        }
        return new Region(entries, Optional.empty());
    }

    private static Optional<String> check(int at, int recordLength, int nameLength, int length) {
        if (recordLength < MIN_RECORD) {
            return Optional.of("rec_len %d at byte %d is smaller than an entry".formatted(recordLength, at));
        }
        if (recordLength % 4 != 0) {
            return Optional.of("rec_len %d at byte %d is not a multiple of 4".formatted(recordLength, at));
        }
        if (recordLength > length - at) {
            return Optional.of("rec_len %d at byte %d runs past the end".formatted(recordLength, at));
        }
        if (HEADER + nameLength > recordLength) {
            return Optional.of("name of %d bytes at byte %d does not fit its rec_len %d".formatted(nameLength, at, recordLength));
        }
        return Optional.empty();
    }

    /** The kernel's {@code ext4_rec_len_from_disk}: 64 KiB blocks keep the top bits of rec_len in its low bits. */
    static int recordLength(int raw, int blockSize) {
        if (blockSize < 65536) {
            return raw;
        }
        if (raw == 65535 || raw == 0) {
            return blockSize;
        }
        return (raw & 65532) | ((raw & 3) << 16);
    }

    boolean isDotOrDotDot() {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }
}

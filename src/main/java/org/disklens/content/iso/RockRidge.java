package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.disklens.content.iso.IsoDate;
import org.disklens.io.BlockSource;

/**
 * The Rock Ridge (RRIP, IEEE P1282) entries of one directory record, read from its SUSP system use area
 * and continuation areas (CE): the POSIX name (NM), symlink target (SL), mode (PX), modification time (TF),
 * and the relocation links (CL child, RE relocated). Continuations are bounded and never revisited.
 */
record RockRidge(Optional<String> name, Optional<String> symlinkTarget, Optional<Long> mode, Optional<Instant> modified,
                 Optional<Long> childLink, boolean relocated) {
    static final long S_IFMT = 0170000;
    static final long S_IFDIR = 0040000;
    static final long S_IFLNK = 0120000;
    /** Continuation areas per record, and their total bytes, are bounded. */
    static final int MAX_CONTINUATIONS = 32;
    static final int MAX_CONTINUATION_BYTES = 64 * 1024;

    static final RockRidge NONE = new RockRidge(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false);

    /** Reads the entries of {@code systemUse} (after skipping {@code skip} bytes) and its continuations. */
    static RockRidge read(ByteBuffer systemUse, int skip, BlockSource source, int blockSize) throws IOException {
        Builder builder = new Builder();
        ByteBuffer area = systemUse.remaining() > skip ? systemUse.slice(skip, systemUse.remaining() - skip) : ByteBuffer.allocate(0);
        Set<Long> seen = new HashSet<>();
        int continuations = 0;
        int continuationBytes = 0;
        while (area != null) {
            Continuation next = builder.readEntries(area.order(ByteOrder.LITTLE_ENDIAN));
            area = null;
            if (next != null && continuations < MAX_CONTINUATIONS && seen.add(next.lba * blockSize + next.offset)) {
                long at = next.lba * blockSize + next.offset;
                int length = (int) Math.min(next.length, MAX_CONTINUATION_BYTES - continuationBytes);
                if (length > 0 && at >= 0 && at + length <= source.size()) {
                    area = source.read(at, length, ByteOrder.LITTLE_ENDIAN);
                    continuations++;
                    continuationBytes += length;
                }
            }
        }
        return builder.build();
    }

    private record Continuation(long lba, long offset, long length) {
    }

    private static final class Builder {
        private final StringBuilder name = new StringBuilder();
        private boolean hasName;
        private final StringBuilder target = new StringBuilder();
        private boolean hasTarget;
        private boolean targetComponentOpen;
        private Long mode;
        private Instant modified;
        private Long childLink;
        private boolean relocated;

        /** Reads the entries of one area; returns the continuation it names, if any. */
        Continuation readEntries(ByteBuffer area) {
            Continuation continuation = null;
            int at = 0;
            while (at + 4 <= area.limit()) {
                int length = Byte.toUnsignedInt(area.get(at + 2));
                if (length < 4 || at + length > area.limit()) {
                    break;
                }
                String signature = "" + (char) area.get(at) + (char) area.get(at + 1);
                ByteBuffer data = area.slice(at + 4, length - 4).order(ByteOrder.LITTLE_ENDIAN);
                switch (signature) {
                    case "NM" -> name(data);
                    case "SL" -> symlink(data);
                    case "PX" -> {
                        if (data.remaining() >= 8) {
                            mode = Integer.toUnsignedLong(data.getInt(0));
                        }
                    }
                    case "TF" -> times(data);
                    case "CL" -> {
                        if (data.remaining() >= 8) {
                            childLink = Integer.toUnsignedLong(data.getInt(0));
                        }
                    }
                    case "RE" -> relocated = true;
                    case "CE" -> continuation = data.remaining() >= 24 ? new Continuation(Integer.toUnsignedLong(data.getInt(0)),
                            Integer.toUnsignedLong(data.getInt(8)), Integer.toUnsignedLong(data.getInt(16))) : null;
                    case "ST" -> {
                        return continuation;
                    }
                    default -> {
                        // SP, ER, PN, RR, SF and others carry nothing DiskLens lists.
                    }
                }
                at += length;
            }
            return continuation;
        }

        private void name(ByteBuffer data) {
            if (data.remaining() < 1) {
                return;
            }
            int flags = Byte.toUnsignedInt(data.get(0));
            if ((flags & 0x06) != 0) {
                return; // "." or ".."
            }
            name.append(text(data, 1, data.remaining() - 1));
            hasName = true;
        }

        private void symlink(ByteBuffer data) {
            hasTarget = true;
            int at = 1;
            while (at + 2 <= data.remaining()) {
                int flags = Byte.toUnsignedInt(data.get(at));
                int length = Byte.toUnsignedInt(data.get(at + 1));
                if (at + 2 + length > data.remaining()) {
                    break;
                }
                String part;
                if ((flags & 0x08) != 0) {
                    part = "/";
                } else if ((flags & 0x02) != 0) {
                    part = ".";
                } else if ((flags & 0x04) != 0) {
                    part = "..";
                } else {
                    part = text(data, at + 2, length);
                }
                if (!targetComponentOpen && !target.isEmpty() && target.charAt(target.length() - 1) != '/') {
                    target.append('/');
                }
                target.append(part);
                targetComponentOpen = (flags & 0x01) != 0;
                at += 2 + length;
            }
        }

        private void times(ByteBuffer data) {
            if (data.remaining() < 1) {
                return;
            }
            int flags = Byte.toUnsignedInt(data.get(0));
            int size = (flags & 0x80) != 0 ? 17 : 7;
            int at = 1 + ((flags & 0x01) != 0 ? size : 0);
            if ((flags & 0x02) != 0 && at + size <= data.remaining()) {
                var time = size == 17 ? IsoDate.text(data, at) : IsoDate.binary(data, at);
                time.ifPresent(value -> modified = value.toInstant());
            }
        }

        private static String text(ByteBuffer data, int at, int length) {
            byte[] bytes = new byte[length];
            data.get(at, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        RockRidge build() {
            return new RockRidge(hasName ? Optional.of(name.toString()) : Optional.empty(),
                    hasTarget ? Optional.of(target.toString()) : Optional.empty(), Optional.ofNullable(mode),
                    Optional.ofNullable(modified), Optional.ofNullable(childLink), relocated);
        }
    }

    boolean isDirectory() {
        return mode.map(value -> (value & S_IFMT) == S_IFDIR).orElse(false);
    }

    boolean isSymlink() {
        return mode.map(value -> (value & S_IFMT) == S_IFLNK).orElse(symlinkTarget.isPresent());
    }
}

package org.disklens.image.ova;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.io.BlockSource;

/**
 * The members of a tar file, found by walking its 512-byte headers and never reading member data (except pax
 * extended headers and GNU long names, which are headers). Each member is then read in place, as a slice of the file.
 * Every size is checked against the file before it is used; at most {@link #MAX_HEADERS} headers are walked.
 */
final class TarIndex {
    /** Headers walked at most (extended headers count too): an OVA has a handful of members. */
    static final int MAX_HEADERS = 10_000;
    /** A pax extended header or a GNU long name may hold at most this many bytes. */
    static final int MAX_EXTENDED_BYTES = 1 << 20;

    /**
     * A member: its name (from a pax {@code path} or GNU long name where there is one), the offset of its first
     * header block (extended headers included), where its data starts, its data size, and (for links) the name it
     * links to.
     */
    record Member(String name, long headerOffset, long dataOffset, long size, char type, boolean sparse, String linkName) {
        long end() {
            return dataOffset + size;
        }

        /** After the data's padding to 512 bytes (which a truncated last member may lack). */
        long paddedEnd() {
            return dataOffset + roundUp(size);
        }

        boolean regularFile() {
            return (type == '0' || type == '\0' || type == '7') && !sparse;
        }
    }

    private final List<Member> members;
    private final long archiveEnd;
    private final long fileSize;

    private TarIndex(List<Member> members, long archiveEnd, long fileSize) {
        this.members = List.copyOf(members);
        this.archiveEnd = archiveEnd;
        this.fileSize = fileSize;
    }

    /** Walks every header of {@code source} up to the end-of-archive marker (or the end of the file). */
    static TarIndex read(BlockSource source, String format) throws IOException {
        return walk(source, format, false, Long.MAX_VALUE);
    }

    /**
     * The first member's name, for probing: reads at most {@code maxBytes} of headers; empty for anything that is not
     * a tar there.
     */
    static Optional<String> firstMemberName(BlockSource source, long maxBytes) {
        try {
            TarIndex index = walk(source, "ova", true, maxBytes);
            return index.members.isEmpty() ? Optional.empty() : Optional.of(index.members.getFirst().name());
        } catch (IOException | RuntimeException notATar) {
            return Optional.empty();
        }
    }

    private static TarIndex walk(BlockSource source, String format, boolean probing, long maxHeaderEnd) throws IOException {
        long fileSize = source.size();
        List<Member> members = new ArrayList<>();
        long at = 0;
        long memberStart = -1;
        String longName = null;
        String longLink = null;
        PaxHeader pax = null;
        int headers = 0;
        while (true) {
            if (at >= fileSize) {
                if (memberStart >= 0) {
                    throw new CorruptImage(format, "tar header", memberStart, "an extended header is not followed by its member");
                }
                break; // no end-of-archive blocks: tar accepts that, and so does DiskLens
            }
            if (fileSize - at < TarHeader.BLOCK || at + TarHeader.BLOCK > maxHeaderEnd) {
                throw new CorruptImage(format, "tar header", at, "the file ends inside the header");
            }
            ByteBuffer block = source.read(at, TarHeader.BLOCK, ByteOrder.LITTLE_ENDIAN);
            if (TarHeader.isZeroBlock(block)) {
                if (memberStart >= 0) {
                    throw new CorruptImage(format, "tar header", memberStart, "an extended header is not followed by its member");
                }
                break;
            }
            if (++headers > MAX_HEADERS) {
                throw new LimitExceeded(format, "tar header", at, "more than %d headers: not an OVA".formatted(MAX_HEADERS));
            }
            TarHeader header = TarHeader.parse(block, at, format);
            if (memberStart < 0) {
                memberStart = at;
            }
            long dataOffset = at + TarHeader.BLOCK;
            long size = header.hasData() ? header.size() : 0;
            if (pax != null && pax.size().isPresent() && header.hasData() && header.type() != 'x' && header.type() != 'g') {
                size = pax.size().getAsLong();
            }
            boolean extendedHeader = "xgLKV".indexOf(header.type()) >= 0;
            if (probing && !extendedHeader) {
                // The probe needs the first member's name only; whether its data fits is for open to say.
                members.add(new Member(memberName(header, longName, pax), memberStart, dataOffset, 0, header.type(), false, ""));
                break;
            }
            if (size > fileSize - dataOffset) {
                throw new CorruptImage(format, "tar header", at, "member '%s' of %d bytes runs past the end of the file (0x%x)"
                        .formatted(shown(memberName(header, longName, pax)), size, fileSize));
            }
            long next = dataOffset + roundUp(size);
            if ((header.type() == 'x' || header.type() == 'L' || header.type() == 'K') && size > maxHeaderEnd - dataOffset) {
                throw new CorruptImage(format, "tar header", at, "extended header past the bytes a probe reads");
            }
            switch (header.type()) {
                case 'x' -> {
                    PaxHeader extended = PaxHeader.parse(extendedData(source, header, dataOffset, size, format), at, format);
                    pax = pax == null ? extended : merged(pax, extended);
                }
                case 'L' -> longName = TarHeader.string(extendedData(source, header, dataOffset, size, format), 0, (int) size);
                case 'K' -> longLink = TarHeader.string(extendedData(source, header, dataOffset, size, format), 0, (int) size);
                case 'g', 'V' -> {
                    // global pax defaults, volume labels: nothing an OVA member needs
                }
                default -> {
                    String name = memberName(header, longName, pax);
                    boolean isSparse = header.type() == 'S' || (pax != null && pax.sparse());
                    members.add(new Member(name, memberStart, dataOffset, size, header.type(), isSparse,
                            longLink != null ? longLink : header.linkName()));
                    memberStart = -1;
                    longName = null;
                    longLink = null;
                    pax = null;
                }
            }
            if ((header.type() == 'g' || header.type() == 'V') && memberStart == at) {
                memberStart = -1; // headers of their own, not part of the next member
            }
            at = next;
        }
        long archiveEnd = members.isEmpty() ? 0 : Math.min(fileSize, members.getLast().paddedEnd());
        return new TarIndex(members, archiveEnd, fileSize);
    }

    private static String memberName(TarHeader header, String longName, PaxHeader pax) {
        return pax != null && pax.path().isPresent() ? pax.path().get() : longName != null ? longName : header.name();
    }

    private static PaxHeader merged(PaxHeader first, PaxHeader second) {
        return new PaxHeader(second.path().isPresent() ? second.path() : first.path(),
                second.size().isPresent() ? second.size() : first.size(), first.sparse() || second.sparse());
    }

    private static byte[] extendedData(BlockSource source, TarHeader header, long dataOffset, long size, String format)
            throws IOException {
        if (size > MAX_EXTENDED_BYTES) {
            throw new LimitExceeded(format, "tar header", header.hostOffset(),
                    "an extended header of %d bytes exceeds the limit of %d".formatted(size, MAX_EXTENDED_BYTES));
        }
        byte[] data = new byte[(int) size];
        source.read(dataOffset, ByteBuffer.wrap(data));
        return data;
    }

    static long roundUp(long size) {
        return (size + TarHeader.BLOCK - 1) & -TarHeader.BLOCK;
    }

    static String shown(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    List<Member> members() {
        return members;
    }

    /**
     * The member named exactly {@code name}; the last of several, as {@code tar -x} would leave it. A hard link (as
     * GNU tar stores a file named twice) is followed, once, to the earlier member it names.
     */
    Optional<Member> member(String name) {
        int index = lastIndexOf(name, members.size());
        if (index < 0) {
            return Optional.empty();
        }
        Member member = members.get(index);
        if (member.type() == '1') {
            int target = lastIndexOf(member.linkName(), index);
            if (target >= 0) {
                return Optional.of(members.get(target));
            }
        }
        return Optional.of(member);
    }

    private int lastIndexOf(String name, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (members.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** How many members are named {@code name}. */
    long count(String name) {
        return members.stream().filter(member -> member.name().equals(name)).count();
    }

    /** Where the last member's padding ends: the end-of-archive blocks (and anything after them) follow. */
    long archiveEnd() {
        return archiveEnd;
    }

    long fileSize() {
        return fileSize;
    }

    static ImageException notAMember(String format, String href, String archive) {
        return new CorruptImage(format, "References", -1, "'%s' is not a member of %s".formatted(shown(href), archive));
    }
}

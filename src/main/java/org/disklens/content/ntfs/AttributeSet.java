package org.disklens.content.ntfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A base record's attributes (with those of its extension records) sorted out in one pass: the standard information,
 * the {@code $DATA} chains by stream name, the {@code $I30} index parts, the reparse point, and whether an
 * {@code $EFS} stream marks the file encrypted. Attributes of one type and name form a chain (one per VCN range).
 */
record AttributeSet(Optional<Attribute> standardInformation, Map<String, List<Attribute>> dataStreams,
                    Optional<Attribute> indexRoot, List<Attribute> indexAllocation, List<Attribute> indexBitmap,
                    List<Attribute> reparsePoint, boolean efsStream) {
    static final String I30 = "$I30";

    static AttributeSet of(List<Attribute> attributes) {
        Attribute standard = null;
        Map<String, List<Attribute>> data = new LinkedHashMap<>();
        Attribute root = null;
        List<Attribute> allocation = new ArrayList<>(1);
        List<Attribute> bitmap = new ArrayList<>(1);
        List<Attribute> reparse = new ArrayList<>(1);
        boolean efs = false;
        for (Attribute attribute : attributes) {
            switch (attribute.type()) {
                case MftRecord.STANDARD_INFORMATION -> standard = standard == null && attribute.resident() ? attribute : standard;
                case MftRecord.DATA -> data.computeIfAbsent(attribute.name(), ignored -> new ArrayList<>(1)).add(attribute);
                case MftRecord.INDEX_ROOT -> root = root == null && attribute.name().equals(I30) ? attribute : root;
                case MftRecord.INDEX_ALLOCATION -> addIfI30(allocation, attribute);
                case MftRecord.BITMAP -> addIfI30(bitmap, attribute);
                case MftRecord.REPARSE_POINT -> reparse.add(attribute);
                case MftRecord.LOGGED_UTILITY_STREAM -> efs |= attribute.name().equals("$EFS");
                default -> {
                    // Security descriptors, object ids, extended attributes...: nothing DiskLens shows.
                }
            }
        }
        return new AttributeSet(Optional.ofNullable(standard), data, Optional.ofNullable(root), allocation, bitmap, reparse,
                efs);
    }

    private static void addIfI30(List<Attribute> chain, Attribute attribute) {
        if (attribute.name().equals(I30)) {
            chain.add(attribute);
        }
    }
}

package org.disklens.image.vmdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/** A FLAT or VMFS extent: guest bytes stored as-is in a file, from {@code startOffset} on. */
record FlatExtent(BlockSource source, String fileName, String type, long startOffset, long length) implements Extent {

    @Override
    public Mapping map(long offsetInExtent, long maxLength) {
        return new Mapping.Data(source, startOffset + offsetInExtent, Math.min(maxLength, length - offsetInExtent));
    }

    @Override
    public Map<String, Object> info(UnaryOperator<String> shown) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("filename", fileName.isEmpty() ? fileName : shown.apply(fileName));
        info.put("format", type);
        info.put("virtual-size", length);
        return info;
    }

    @Override
    public boolean flat() {
        return true;
    }
}

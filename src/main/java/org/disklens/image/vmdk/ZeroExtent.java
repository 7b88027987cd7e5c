package org.disklens.image.vmdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/** A ZERO extent: guest bytes that read as zeroes and live in no file. */
record ZeroExtent(long length) implements Extent {

    @Override
    public Mapping map(long offsetInExtent, long maxLength) {
        return new Mapping.Zero(Math.min(maxLength, length - offsetInExtent));
    }

    @Override
    public BlockSource source() {
        return null;
    }

    @Override
    public Map<String, Object> info(UnaryOperator<String> shown) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("filename", "");
        info.put("format", "ZERO");
        info.put("virtual-size", length);
        return info;
    }

    @Override
    public boolean flat() {
        return false;
    }
}

package org.disklens.convert;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished conversion: the files written (the image first; a VMDK descriptor's extents after it), the new
 * image's disk size, the bytes the source stored (what progress counted), and with {@code --sparsify} what was done
 * with each guest volume (the free space dropped, or why it was left whole).
 */
public record ConversionResult(List<Path> files, long virtualSize, long sourceAllocatedBytes, List<String> notes) {
    public ConversionResult {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }
}

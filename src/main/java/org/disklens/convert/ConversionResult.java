package org.disklens.convert;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished conversion: the files written (the image first; a VMDK descriptor's extents after it), the new
 * image's disk size, and the bytes the source stored (what progress counted).
 */
public record ConversionResult(List<Path> files, long virtualSize, long sourceAllocatedBytes) {
}

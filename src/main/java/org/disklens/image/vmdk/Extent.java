package org.disklens.image.vmdk;

import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/** One extent of a VMDK: a run of the guest disk stored flat, sparse, or not at all (zero). */
sealed interface Extent permits FlatExtent, SparseExtent, ZeroExtent {

    /** Guest bytes the extent covers. */
    long length();

    /** The mapping of {@code [offsetInExtent, offsetInExtent + maxLength)}, possibly shorter. */
    Mapping map(long offsetInExtent, long maxLength) throws IOException;

    /** The file holding the extent, if any. */
    BlockSource source();

    /** {@code extents[]} of qemu-img's info; the file name, as the descriptor names it, shown through {@code shown}. */
    Map<String, Object> info(UnaryOperator<String> shown);

    /** Whether qemu-img's map looks below this extent's data into the file's holes (flat extents). */
    boolean flat();
}

package org.disklens.content.swap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** Linux swap: recognised by {@code SWAPSPACE2} at the end of its first page. Holds no files. */
public final class SwapType implements FileSystemType {
    @Override
    public String name() {
        return "swap";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        long volumeBytes = volume.size();
        return SwapHeader.parse(head).map(swap -> {
            ClaimedSizes sizes = new ClaimedSizes("swap", "header", volumeBytes);
            return sizes.info(swap.label(), swap.uuid(), sizes.total("pages", swap.lastPage() + 1, swap.pageSize()),
                    OptionalLong.empty());
        });
    }
}

package org.disklens.content.swap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.image.CorruptImage;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/** Linux swap: recognised by {@code SWAPSPACE2} at the end of its first page. Holds no files. */
public final class SwapType implements FileSystemType {
    @Override
    public String name() {
        return "swap";
    }

    /** A swap area holds nothing a shut-down guest needs: everything after its header page is free. */
    @Override
    public void freeRanges(BlockSource volume, FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        ByteBuffer head = volume.read(0, (int) Math.min(volume.size(), SwapHeader.PAGE_SIZES[SwapHeader.PAGE_SIZES.length - 1]),
                ByteOrder.LITTLE_ENDIAN);
        SwapHeader header = SwapHeader.parse(head).orElseThrow(() -> new CorruptImage("swap", "header", 0,
                "no SWAPSPACE2 signature"));
        if (volume.size() > header.pageSize()) {
            sink.accept(header.pageSize(), volume.size() - header.pageSize());
        }
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

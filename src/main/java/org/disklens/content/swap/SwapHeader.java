package org.disklens.content.swap;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * A Linux swap area's first page ({@code union swap_header} in the kernel's {@code swap.h}): the signature
 * {@code SWAPSPACE2} in the page's last ten bytes, and at byte 1024 the version, last page, UUID and label.
 */
record SwapHeader(int pageSize, long lastPage, String uuid, String label) {
    static final int[] PAGE_SIZES = {4096, 8192, 16384, 65536};
    static final String SIGNATURE = "SWAPSPACE2";

    static Optional<SwapHeader> parse(ByteBuffer head) {
        for (int pageSize : PAGE_SIZES) {
            if (head.limit() >= pageSize && OnDiskText.ascii(head, pageSize - 10, 10).equals(SIGNATURE)) {
                return Optional.of(new SwapHeader(pageSize, Integer.toUnsignedLong(head.getInt(1024 + 4)),
                        OnDiskText.uuid(head, 1024 + 12), OnDiskText.text(head, 1024 + 28, 16)));
            }
        }
        return Optional.empty();
    }
}

package org.disklens.content.luks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The start of a LUKS1 or LUKS2 header (cryptsetup's on-disk format specifications): magic {@code LUKS\xba\xbe},
 * big-endian version, the LUKS2 label at byte 24 and the UUID text at byte 168.
 */
record LuksPhdr(int version, String label, String uuid) {
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};

    static Optional<LuksPhdr> parse(ByteBuffer head) {
        if (head.limit() < 208) {
            return Optional.empty();
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head.get(i) != MAGIC[i]) {
                return Optional.empty();
            }
        }
        ByteBuffer header = head.duplicate().order(ByteOrder.BIG_ENDIAN);
        int version = Short.toUnsignedInt(header.getShort(6));
        return Optional.of(new LuksPhdr(version, version == 2 ? OnDiskText.text(header, 24, 48) : "",
                OnDiskText.text(header, 168, 40)));
    }
}

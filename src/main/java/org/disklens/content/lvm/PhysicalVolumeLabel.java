package org.disklens.content.lvm;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * An LVM2 physical volume's label ({@code LABELONE}, type {@code LVM2 001}) in one of the first four sectors, and the
 * start of the PV header it points to: the PV's UUID (32 characters, shown in LVM's 6-4-4-4-4-4-6 groups) and
 * the device size.
 */
record PhysicalVolumeLabel(int sector, String uuid, long deviceSize) {
    static final int SECTORS_SEARCHED = 4;

    static Optional<PhysicalVolumeLabel> parse(ByteBuffer head) {
        for (int sector = 0; sector < SECTORS_SEARCHED; sector++) {
            int at = sector * 512;
            if (head.limit() < at + 32) {
                break;
            }
            if (OnDiskText.ascii(head, at, 8).equals("LABELONE") && OnDiskText.ascii(head, at + 24, 8).equals("LVM2 001")) {
                long content = at + Integer.toUnsignedLong(head.getInt(at + 20));
                if (content + 40 > head.limit()) {
                    return Optional.empty();
                }
                String raw = OnDiskText.ascii(head, (int) content, 32);
                String uuid = raw.substring(0, 6) + "-" + raw.substring(6, 10) + "-" + raw.substring(10, 14) + "-"
                        + raw.substring(14, 18) + "-" + raw.substring(18, 22) + "-" + raw.substring(22, 26) + "-"
                        + raw.substring(26);
                return Optional.of(new PhysicalVolumeLabel(sector, uuid, head.getLong((int) content + 32)));
            }
        }
        return Optional.empty();
    }
}

package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteOrder;
import org.disklens.content.Volume;
import org.disklens.image.CorruptImage;

/** A member volume (a partition or the whole disk) whose LVM2 label and PV header read; {@code memberSize} in bytes. */
record PhysicalVolume(Volume member, PvLabel label, long memberSize) {

    static PhysicalVolume read(Volume member) throws IOException {
        long size = member.bytes().size();
        if (size < PvLabel.HEAD_BYTES) {
            throw new CorruptImage("lvm", "label of " + member.description(), 0,
                    "the volume is only %d bytes".formatted(size));
        }
        var head = member.bytes().read(0, PvLabel.HEAD_BYTES, ByteOrder.LITTLE_ENDIAN);
        return new PhysicalVolume(member, PvLabel.parse(head, member.description()), size);
    }

    /** The UUID without its dashes, as PV entries of the metadata are matched to labels. */
    String uuidKey() {
        return key(label.uuid());
    }

    static String key(String uuid) {
        return uuid.replace("-", "");
    }

    String where() {
        return member.description();
    }
}

package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** An LVM2 physical volume ({@code LVM2_member}): recognised by its label; its logical volumes are not read yet. */
public final class LvmType implements FileSystemType {
    @Override
    public String name() {
        return "LVM2_member";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        long volumeBytes = volume.size();
        return PhysicalVolumeLabel.parse(head).map(label -> {
            ClaimedSizes sizes = new ClaimedSizes("LVM2_member", "physical volume header", volumeBytes);
            return sizes.info("", label.uuid(), sizes.total("bytes", label.deviceSize(), 1), OptionalLong.empty());
        });
    }
}

package org.disklens.content.lvm;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
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
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        return PhysicalVolumeLabel.parse(head).map(label -> new FileSystemInfo("LVM2_member", "", label.uuid(),
                OptionalLong.of(label.deviceSize()), OptionalLong.empty()));
    }
}

package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * An LVM2 physical volume ({@code LVM2_member}): recognised by its label, and read with the other members of its
 * disk into volume groups whose linear and striped logical volumes are volumes like partitions.
 */
public final class LvmType implements FileSystemType, VolumeContainer {
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

    @Override
    public List<Group> open(List<Volume> members) throws IOException {
        return VolumeGroups.open(members);
    }

    /** The extents of this PV no LV uses (the LVs' own free space is their file systems' to tell). */
    @Override
    public void freeRanges(BlockSource volume, FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        UnusedExtents.report(volume, sink);
    }
}

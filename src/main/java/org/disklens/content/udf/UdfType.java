package org.disklens.content.udf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.content.VolumeRecognition;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;

/**
 * UDF, alone or on a bridge disc: recognised by an NSR descriptor in the volume recognition area and an anchor at
 * block 256. Label from the logical volume, UUID from the volume set's first 16 characters, as blkid gives them.
 */
public final class UdfType implements FileSystemType {
    @Override
    public String name() {
        return "udf";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        if (!VolumeRecognition.hasUdfRecognition(volume) || UdfFileSystem.blockSize(volume).isEmpty()) {
            return Optional.empty();
        }
        UdfFileSystem udf;
        try {
            udf = UdfFileSystem.open(volume);
        } catch (ImageException unreadable) {
            return Optional.of(new FileSystemInfo("udf", "", "", OptionalLong.of(volume.size()), OptionalLong.empty()));
        }
        String set = udf.volumeSetId();
        String uuid = set.length() >= 16 && set.substring(0, 16).matches("[0-9A-Fa-f]{16}")
                ? set.substring(0, 16).toLowerCase(Locale.ROOT) : "";
        return Optional.of(new FileSystemInfo("udf", udf.volumeId(), uuid, OptionalLong.of(volume.size()),
                OptionalLong.empty()));
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return UdfFileSystem.open(volume);
    }
}

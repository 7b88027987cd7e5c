package org.disklens.content.luks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.crypto.Passphrases;
import org.disklens.io.BlockSource;

/**
 * A LUKS1 or LUKS2 encrypted volume ({@code crypto_LUKS}): recognised by its magic as blkid names it, and opened as a
 * container of one volume, its decrypted payload ({@code luks-UUID}), when a passphrase unlocks it. Its own space is
 * never free: without the key, nothing says which ciphertext the file system inside does not use.
 */
public final class LuksType implements FileSystemType, VolumeContainer {
    @Override
    public String name() {
        return "crypto_LUKS";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        return LuksPhdr.parse(head).map(luks -> new FileSystemInfo("crypto_LUKS", luks.label(), luks.uuid(),
                OptionalLong.empty(), OptionalLong.empty()));
    }

    /** Every member stays locked. */
    @Override
    public List<Group> open(List<Volume> members) throws IOException {
        return open(members, Passphrases.NONE);
    }

    @Override
    public List<Group> open(List<Volume> members, Passphrases passphrases) throws IOException {
        return LuksVolumes.open(members, passphrases);
    }
}

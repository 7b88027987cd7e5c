package org.disklens.content.luks;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** A LUKS1 or LUKS2 encrypted volume ({@code crypto_LUKS}): recognised by its magic; not decrypted. */
public final class LuksType implements FileSystemType {
    @Override
    public String name() {
        return "crypto_LUKS";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        return LuksPhdr.parse(head).map(luks -> new FileSystemInfo("crypto_LUKS", luks.label(), luks.uuid(),
                OptionalLong.empty(), OptionalLong.empty()));
    }
}

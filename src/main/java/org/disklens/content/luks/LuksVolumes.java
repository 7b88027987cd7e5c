package org.disklens.content.luks;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.crypto.DecryptingBlockSource;
import org.disklens.crypto.KdfLimits;
import org.disklens.crypto.Luks;
import org.disklens.crypto.LuksHeader;
import org.disklens.crypto.Passphrases;
import org.disklens.crypto.VolumeKey;
import org.disklens.image.ImageException;

/**
 * The LUKS volumes of a disk, each a group of its own: kind {@code luks}, facts {@code version}, {@code uuid},
 * {@code cipher}, {@code key-size} (bits), {@code keyslots}, {@code tokens} (their types) and {@code unlocked}; one
 * inner volume {@code luks-UUID}, the decrypted payload, or why it stays locked.
 */
final class LuksVolumes {
    /** Why a volume without a passphrase stays locked. */
    static final String LOCKED = "locked: give --passphrase-file";

    private LuksVolumes() {
    }

    static List<VolumeContainer.Group> open(List<Volume> members, Passphrases passphrases) throws IOException {
        List<VolumeContainer.Group> groups = new ArrayList<>();
        for (Volume member : members) {
            groups.add(open(member, passphrases));
        }
        return List.copyOf(groups);
    }

    private static VolumeContainer.Group open(Volume member, Passphrases passphrases) throws IOException {
        Optional<LuksPhdr> phdr = phdr(member);
        int version = phdr.map(LuksPhdr::version).orElse(0);
        String probedUuid = phdr.map(LuksPhdr::uuid).orElse("");
        LuksHeader header;
        try {
            header = Luks.header(member.bytes());
        } catch (ImageException damaged) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("version", version);
            facts.put("uuid", probedUuid);
            facts.put("unlocked", false);
            return new VolumeContainer.Group("luks", facts, List.of(member.id()), List.of(new VolumeContainer.Inner(
                    id(probedUuid, member), 0, 1, Optional.empty(), Optional.of(damaged.getMessage()))));
        }
        String uuid = header.uuid();
        String id = id(uuid, member);
        String what = "LUKS%d volume on %s (UUID %s)".formatted(header.version(), member.description(), uuid);
        long size = header.payloadLength(member.bytes().size());
        Optional<Volume> inner = Optional.empty();
        Optional<String> unreadable;
        try {
            Optional<VolumeKey> key = Luks.unlock(header, member.bytes(), passphrases, what, KdfLimits.DEFAULT);
            if (key.isPresent()) {
                try (VolumeKey volumeKey = key.get()) {
                    DecryptingBlockSource payload = Luks.payload(header, member.bytes(), volumeKey,
                            "%s (LUKS volume %s)".formatted(member.bytes().name(), uuid));
                    long payloadOffset = header.payloadOffset();
                    Placement placement = (volumeOffset, maxLength) -> member.placement().at(payloadOffset + volumeOffset,
                            maxLength);
                    inner = Optional.of(new Volume(id, "LUKS volume " + uuid, Optional.empty(), payload, placement,
                            Optional.empty()));
                }
                unreadable = Optional.empty();
            } else {
                unreadable = Optional.of(header.tokens().isEmpty() ? LOCKED : "%s (DiskLens does not use its %s token%s)"
                        .formatted(LOCKED, String.join(", ", header.tokens()), header.tokens().size() > 1 ? "s" : ""));
            }
        } catch (ImageException refused) {
            unreadable = Optional.of(refused.getMessage());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("version", header.version());
        facts.put("uuid", uuid);
        facts.put("cipher", header.cipher());
        if (header.keyBytes() > 0) {
            facts.put("key-size", header.keyBytes() * 8);
        }
        facts.put("keyslots", header.keyslots());
        facts.put("tokens", header.tokens());
        facts.put("unlocked", inner.isPresent());
        return new VolumeContainer.Group("luks", facts, List.of(member.id()),
                List.of(new VolumeContainer.Inner(id, size, 1, inner, unreadable)));
    }

    /** {@code luks-UUID}, as {@code -m} selects the decrypted volume (the member's id when the UUID is empty). */
    private static String id(String uuid, Volume member) {
        return "luks-" + (uuid.isEmpty() ? member.id() : uuid);
    }

    private static Optional<LuksPhdr> phdr(Volume member) throws IOException {
        long size = member.bytes().size();
        if (size < 208) {
            return Optional.empty();
        }
        return LuksPhdr.parse(member.bytes().read(0, 208, ByteOrder.LITTLE_ENDIAN));
    }
}

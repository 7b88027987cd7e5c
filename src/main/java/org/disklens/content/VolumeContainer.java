package org.disklens.content;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.crypto.Passphrases;

/**
 * A file-system type whose volumes hold further volumes rather than files: LVM physical volumes, LUKS volumes. The
 * volumes inside are found and probed like partitions, so their file systems list, extract and report free space the
 * same way. Encrypted containers (LUKS) take the passphrases to unlock them with; the others ignore them.
 */
public interface VolumeContainer {

    /**
     * What {@code members} make up: every volume of one guest disk whose signature this type recognised (an LVM
     * volume group may span several partitions, and one disk may hold several groups). Reads metadata only; a group
     * whose other members are elsewhere (another image) is still listed, its unreadable volumes saying why.
     */
    List<Group> open(List<Volume> members) throws IOException;

    /**
     * The same, unlocking encrypted containers with {@code passphrases}: an inner volume that stays locked (no
     * passphrase, a wrong one, a key derivation over the limits) is unreadable with the reason. Containers without
     * encryption need not override it.
     */
    default List<Group> open(List<Volume> members, Passphrases passphrases) throws IOException {
        return open(members);
    }

    /**
     * One container (an LVM volume group, a LUKS volume): its kind as {@code info --json} names the field ({@code lvm},
     * {@code luks}), its facts there in that field's order ({@code vg}, {@code pvs}, {@code extent-size}), the ids of its
     * member volumes on this disk, and the volumes inside.
     */
    record Group(String kind, Map<String, Object> facts, List<String> memberIds, List<Inner> volumes) {
    }

    /**
     * A volume inside a group: its name there, its size and number of segments, and its {@link Volume} (id
     * {@code VG/LV} or {@code luks-UUID}, placement on the guest disk, not yet probed) — or why it cannot be read (a
     * thin volume, a missing member, a locked LUKS volume).
     */
    record Inner(String name, long size, int segments, Optional<Volume> volume, Optional<String> unreadable) {
    }
}

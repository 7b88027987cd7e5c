package org.disklens.content;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file-system type whose volumes hold further volumes rather than files: LVM physical volumes (later, LUKS). The
 * volumes inside are found and probed like partitions, so their file systems list, extract and report free space the
 * same way.
 */
public interface VolumeContainer {

    /**
     * What {@code members} make up: every volume of one guest disk whose signature this type recognised (an LVM
     * volume group may span several partitions, and one disk may hold several groups). Reads metadata only; a group
     * whose other members are elsewhere (another image) is still listed, its unreadable volumes saying why.
     */
    List<Group> open(List<Volume> members) throws IOException;

    /**
     * One container (an LVM volume group): its kind as {@code info --json} names the field ({@code lvm}), its facts
     * there in that field's order ({@code vg}, {@code pvs}, {@code extent-size}), the ids of its member volumes on this
     * disk, and the volumes inside.
     */
    record Group(String kind, Map<String, Object> facts, List<String> memberIds, List<Inner> volumes) {
    }

    /**
     * A volume inside a group: its name there, its size and number of segments, and its {@link Volume} (id
     * {@code VG/LV}, placement on the guest disk, not yet probed) — or why it cannot be read (a thin volume, a missing
     * member).
     */
    record Inner(String name, long size, int segments, Optional<Volume> volume, Optional<String> unreadable) {
    }
}

package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.image.ImageException;

/**
 * The volume groups that the LVM2 members of one disk make up. Every metadata area of every member is read; copies
 * of one VG (by its id) are compared and the highest {@code seqno} wins, as LVM does. A member whose label or
 * metadata cannot be read is fine when a VG read elsewhere claims it (its LVs say what is missing); a member that no
 * VG claims and that cannot be read makes the whole answer an error, since a VG would be silently lost.
 */
final class VolumeGroups {
    private VolumeGroups() {
    }

    /** A member and what reading it found: its PV, and the first problem met on the way. */
    private record Member(Volume volume, Optional<PhysicalVolume> pv, Optional<String> rawUuid,
                          Optional<ImageException> problem) {
        /** The UUID the member's label gives, checked or (for a damaged label) as spelled. */
        Optional<String> uuidKey() {
            return pv.map(PhysicalVolume::uuidKey).or(() -> rawUuid.map(PhysicalVolume::key));
        }
    }

    static List<VolumeContainer.Group> open(List<Volume> volumes) throws IOException {
        List<Member> members = new ArrayList<>();
        Map<String, MetadataArea.Copy> newest = new LinkedHashMap<>();
        for (Volume volume : volumes) {
            Member member = read(volume, newest);
            members.add(member);
        }
        List<VolumeContainer.Group> groups = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        for (MetadataArea.Copy copy : newest.values()) {
            VgMetadata vg = copy.vg();
            vg.pvs().forEach(pv -> claimed.add(PhysicalVolume.key(pv.id())));
            groups.add(group(vg, members, copy.pv().member().bytes().name()));
        }
        for (Member member : members) {
            if (member.problem().isPresent() && member.uuidKey().filter(claimed::contains).isEmpty()) {
                throw member.problem().get();
            }
        }
        return List.copyOf(groups);
    }

    /** Reads one member's label and metadata areas, keeping the newest copy of each VG in {@code newest}. */
    private static Member read(Volume volume, Map<String, MetadataArea.Copy> newest) throws IOException {
        PhysicalVolume pv;
        try {
            pv = PhysicalVolume.read(volume);
        } catch (ImageException damaged) {
            return new Member(volume, Optional.empty(), rawUuid(volume), Optional.of(damaged));
        }
        Optional<ImageException> problem = Optional.empty();
        for (DiskArea area : pv.label().metadataAreas()) {
            try {
                Optional<MetadataArea.Copy> copy = MetadataArea.read(pv, area);
                if (copy.isPresent()) {
                    newest.merge(copy.get().vg().id(), copy.get(),
                            (kept, other) -> other.vg().seqno() > kept.vg().seqno() ? other : kept);
                }
            } catch (ImageException damaged) {
                problem = problem.or(() -> Optional.of(damaged));
            }
        }
        return new Member(volume, Optional.of(pv), Optional.empty(), problem);
    }

    /** The UUID a damaged label still spells, to tell which VG misses it. */
    private static Optional<String> rawUuid(Volume volume) throws IOException {
        long size = volume.bytes().size();
        if (size < PvLabel.HEAD_BYTES) {
            return Optional.empty();
        }
        return PhysicalVolumeLabel.parse(volume.bytes().read(0, PvLabel.HEAD_BYTES, ByteOrder.LITTLE_ENDIAN))
                .map(PhysicalVolumeLabel::uuid);
    }

    private static VolumeContainer.Group group(VgMetadata vg, List<Member> members, String diskName) {
        Set<String> ours = new HashSet<>();
        vg.pvs().forEach(pv -> ours.add(PhysicalVolume.key(pv.id())));
        Map<String, PhysicalVolume> own = new HashMap<>();
        Map<String, String> damaged = new HashMap<>();
        List<String> memberIds = new ArrayList<>();
        for (Member member : members) {
            Optional<String> key = member.uuidKey().filter(ours::contains);
            if (key.isEmpty()) {
                continue;
            }
            memberIds.add(member.volume().id());
            if (member.pv().isPresent()) {
                own.putIfAbsent(key.get(), member.pv().get());
            } else {
                damaged.putIfAbsent(key.get(), member.problem().map(Throwable::getMessage).orElse("unreadable"));
            }
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("vg", vg.name());
        facts.put("pvs", vg.pvs().size());
        facts.put("extent-size", vg.extentBytes());
        return new VolumeContainer.Group("lvm", facts, List.copyOf(memberIds), LogicalVolumes.of(vg, own, damaged, diskName));
    }
}

package org.disklens.content.lvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.content.lvm.VgMetadata.LvEntry;
import org.disklens.content.lvm.VgMetadata.PvEntry;
import org.disklens.content.lvm.VgMetadata.Segment;
import org.disklens.content.lvm.VgMetadata.Stripe;

/**
 * The LVs of one volume group, as {@link VolumeContainer.Inner}s: each visible LV whose segments are all linear or
 * striped over PVs present on this disk becomes a {@link Volume}; the others say why not. Damage (a segment outside its
 * PV's extents or its PV's bytes, segments that overlap or leave gaps, extents two LVs claim) refuses only the LVs it
 * touches.
 */
final class LogicalVolumes {
    private static final String READS = "; DiskLens reads linear and striped LVs";

    private final VgMetadata vg;
    private final Map<String, PhysicalVolume> present;
    private final Map<String, String> damaged;
    private final String diskName;
    private final Map<String, String> snapshotOf = new HashMap<>();
    private final Map<String, PvEntry> pvs = new HashMap<>();
    private final long missing;

    /**
     * {@code present}: the member PVs by {@link PhysicalVolume#uuidKey()}; {@code damaged}: why the members whose label
     * could not be read (by the UUID they still spell) are unusable.
     */
    private LogicalVolumes(VgMetadata vg, Map<String, PhysicalVolume> present, Map<String, String> damaged,
                           String diskName) {
        this.vg = vg;
        this.present = present;
        this.damaged = damaged;
        this.diskName = diskName;
        vg.pvs().forEach(pv -> pvs.putIfAbsent(pv.key(), pv));
        missing = vg.pvs().stream().filter(pv -> !present.containsKey(PhysicalVolume.key(pv.id()))).count();
        for (LvEntry lv : vg.lvs()) {
            for (Segment segment : lv.segments()) {
                if (segment.type().equals("snapshot") && segment.cowStore().isPresent()) {
                    snapshotOf.put(segment.cowStore().get(), segment.origin().orElse("?"));
                }
            }
        }
    }

    /** A plan for one LV: its runs, or why it cannot be read. */
    private record Plan(List<ExtentMap.Run> runs, Optional<String> unreadable) {
        static Plan refused(String reason) {
            return new Plan(List.of(), Optional.of(reason));
        }
    }

    /** One LV's stretch of extents on a PV, to find extents that two LVs claim. */
    private record Claim(String pv, long start, long end, String lv) {
    }

    static List<VolumeContainer.Inner> of(VgMetadata vg, Map<String, PhysicalVolume> present,
                                          Map<String, String> damaged, String diskName) {
        return new LogicalVolumes(vg, present, damaged, diskName).inners();
    }

    private List<VolumeContainer.Inner> inners() {
        Map<String, String> overlaps = overlaps();
        List<VolumeContainer.Inner> inners = new ArrayList<>();
        for (LvEntry lv : vg.lvs()) {
            if (!lv.visible() && !snapshotOf.containsKey(lv.name())) {
                continue; // internal (pool_tdata, x_rimage_0...); a snapshot's COW store is shown as the snapshot
            }
            Plan plan = plan(lv);
            if (plan.unreadable().isEmpty() && overlaps.containsKey(lv.name())) {
                plan = Plan.refused(overlaps.get(lv.name()));
            }
            long size = size(lv);
            String id = vg.name() + "/" + lv.name();
            Optional<Volume> volume = plan.unreadable().isPresent() ? Optional.empty() : Optional.of(volume(id, plan));
            int segments = lv.segments().isEmpty() ? lv.declaredSegments() : lv.segments().size();
            inners.add(new VolumeContainer.Inner(lv.name(), size, segments, volume, plan.unreadable()));
        }
        return List.copyOf(inners);
    }

    private Volume volume(String id, Plan plan) {
        ExtentMap map = new ExtentMap(plan.runs());
        return new Volume(id, "LV " + id, Optional.empty(), new LogicalVolumeSource(diskName + " (LV " + id + ")", map),
                map.placement(), Optional.empty());
    }

    /** The LV's size in bytes as LVM counts it (all its extents), 0 when its numbers overflow. */
    private long size(LvEntry lv) {
        try {
            long extents = 0;
            for (Segment segment : lv.segments()) {
                extents = Math.addExact(extents, segment.extentCount());
            }
            return Math.multiplyExact(extents, vg.extentBytes());
        } catch (ArithmeticException overflow) {
            return 0;
        }
    }

    private Plan plan(LvEntry lv) {
        if (lv.damage().isPresent()) {
            return Plan.refused("damaged metadata: " + lv.damage().get());
        }
        if (snapshotOf.containsKey(lv.name())) {
            return Plan.refused("snapshot of LV %s (needs its origin and its exception store)%s"
                    .formatted(snapshotOf.get(lv.name()), READS));
        }
        for (Segment segment : lv.segments()) {
            if (!segment.striped()) {
                return Plan.refused(kind(segment.type()) + READS);
            }
        }
        try {
            return new Plan(runs(lv), Optional.empty());
        } catch (VgMetadata.Damage damage) {
            return Plan.refused(damage.getMessage());
        } catch (ArithmeticException overflow) {
            return Plan.refused("damaged metadata: extent numbers out of range");
        }
    }

    private List<ExtentMap.Run> runs(LvEntry lv) throws VgMetadata.Damage {
        if (lv.segments().isEmpty()) {
            throw new VgMetadata.Damage("damaged metadata: the LV has no segments");
        }
        if (lv.declaredSegments() != lv.segments().size()) {
            throw new VgMetadata.Damage("damaged metadata: segment_count is %d but %d segments are listed"
                    .formatted(lv.declaredSegments(), lv.segments().size()));
        }
        for (Segment segment : lv.segments()) {
            for (Stripe stripe : segment.stripes()) {
                requirePresent(stripe.pv());
            }
        }
        List<Segment> ordered = lv.segments().stream().sorted(Comparator.comparingLong(Segment::startExtent)).toList();
        List<ExtentMap.Run> runs = new ArrayList<>();
        long next = 0;
        Segment previous = null;
        for (Segment segment : ordered) {
            if (segment.startExtent() != next) {
                throw new VgMetadata.Damage(segment.startExtent() < next
                        ? "damaged metadata: %s (from extent %d) overlaps %s (extents %d to %d)".formatted(segment.name(),
                        segment.startExtent(), previous.name(), previous.startExtent(), next - 1)
                        : "damaged metadata: extents %d to %d of the LV are in no segment".formatted(next,
                        segment.startExtent() - 1));
            }
            runs.add(run(segment));
            next = Math.addExact(segment.startExtent(), segment.extentCount());
            previous = segment;
        }
        return runs;
    }

    private ExtentMap.Run run(Segment segment) throws VgMetadata.Damage {
        long extentBytes = vg.extentBytes();
        if (segment.extentCount() % segment.stripeCount() != 0) {
            throw new VgMetadata.Damage("damaged metadata: %s's %d extents do not divide into %d stripes"
                    .formatted(segment.name(), segment.extentCount(), segment.stripeCount()));
        }
        long perStripe = segment.extentCount() / segment.stripeCount();
        long areaBytes = Math.multiplyExact(perStripe, extentBytes);
        long stripeBytes = segment.stripeCount() > 1 ? Math.multiplyExact(segment.stripeSectors(), VgMetadata.SECTOR)
                : areaBytes;
        if (areaBytes % stripeBytes != 0) {
            throw new VgMetadata.Damage("damaged metadata: %s's stripe size does not divide its extents"
                    .formatted(segment.name()));
        }
        List<ExtentMap.Area> areas = new ArrayList<>();
        for (Stripe stripe : segment.stripes()) {
            areas.add(area(segment, stripe, perStripe, areaBytes));
        }
        return new ExtentMap.Run(Math.multiplyExact(segment.startExtent(), extentBytes), Math.multiplyExact(
                segment.extentCount(), extentBytes), stripeBytes, List.copyOf(areas));
    }

    private ExtentMap.Area area(Segment segment, Stripe stripe, long perStripe, long areaBytes)
            throws VgMetadata.Damage {
        PvEntry pv = Optional.ofNullable(pvs.get(stripe.pv())).orElseThrow(() -> new VgMetadata.Damage(
                "damaged metadata: %s names %s, which the VG does not list".formatted(segment.name(), stripe.pv())));
        if (pv.damage().isPresent()) {
            throw new VgMetadata.Damage("damaged metadata: the entry of PV %s: %s".formatted(pv.key(), pv.damage().get()));
        }
        long end = Math.addExact(stripe.startExtent(), perStripe);
        if (end > pv.peCount()) {
            throw new VgMetadata.Damage("damaged metadata: %s uses extents %d to %d of %s, which has %d"
                    .formatted(segment.name(), stripe.startExtent(), end - 1, pv.key(), pv.peCount()));
        }
        PhysicalVolume member = present.get(PhysicalVolume.key(pv.id()));
        long start = Math.addExact(Math.multiplyExact(pv.peStart(), VgMetadata.SECTOR),
                Math.multiplyExact(stripe.startExtent(), vg.extentBytes()));
        long memberSize = member.memberSize();
        if (Math.addExact(start, areaBytes) > memberSize) {
            throw new VgMetadata.Damage("%s runs past the end of PV %s (%s, %d bytes)"
                    .formatted(segment.name(), pv.key(), member.where(), memberSize));
        }
        return new ExtentMap.Area(member.member(), start);
    }

    /** Refuses an LV that needs a PV of the group that is not on this disk, or whose label is damaged. */
    private void requirePresent(String key) throws VgMetadata.Damage {
        Optional<PvEntry> pv = Optional.ofNullable(pvs.get(key));
        if (pv.isEmpty() || pv.get().damage().isPresent()) {
            return; // the structure checks say what is wrong with it
        }
        String uuid = PhysicalVolume.key(pv.get().id());
        if (present.containsKey(uuid)) {
            return;
        }
        if (damaged.containsKey(uuid)) {
            throw new VgMetadata.Damage("needs PV %s (uuid %s), whose label cannot be read: %s".formatted(key,
                    pv.get().id(), damaged.get(uuid)));
        }
        throw new VgMetadata.Damage("needs PV %s (uuid %s), %d of %d PVs %s not in this image".formatted(key,
                pv.get().id(), missing, vg.pvs().size(), missing == 1 ? "is" : "are"));
    }

    /** For each LV whose linear or striped extents another LV also claims, why it is refused. */
    private Map<String, String> overlaps() {
        List<Claim> claims = new ArrayList<>();
        for (LvEntry lv : vg.lvs()) {
            for (Segment segment : lv.segments()) {
                if (!segment.striped() || segment.extentCount() % segment.stripeCount() != 0) {
                    continue;
                }
                long perStripe = segment.extentCount() / segment.stripeCount();
                for (Stripe stripe : segment.stripes()) {
                    if (stripe.startExtent() <= Long.MAX_VALUE - perStripe) {
                        claims.add(new Claim(stripe.pv(), stripe.startExtent(), stripe.startExtent() + perStripe, lv.name()));
                    }
                }
            }
        }
        claims.sort(Comparator.comparing(Claim::pv).thenComparingLong(Claim::start));
        Map<String, String> refused = new LinkedHashMap<>();
        Claim reach = null;
        for (Claim claim : claims) {
            if (reach != null && reach.pv().equals(claim.pv()) && claim.start() < reach.end()) {
                refuse(refused, claim, reach);
                refuse(refused, reach, claim);
            }
            if (reach == null || !reach.pv().equals(claim.pv()) || claim.end() > reach.end()) {
                reach = claim;
            }
        }
        return refused;
    }

    private static void refuse(Map<String, String> refused, Claim claim, Claim other) {
        String whose = claim.lv().equals(other.lv()) ? "another of its segments" : "LV " + other.lv();
        refused.putIfAbsent(claim.lv(), "damaged metadata: its extents %d to %d of %s are also %s's"
                .formatted(claim.start(), claim.end() - 1, claim.pv(), whose));
    }

    /** What a segment type is, in words, for the LVs DiskLens does not read. */
    static String kind(String type) {
        return switch (type) {
            case "thin" -> "thin volume (needs its pool's metadata)";
            case "thin-pool" -> "thin pool (its blocks are read through its thin volumes)";
            case "snapshot" -> "snapshot (needs its origin and its exception store)";
            case "mirror" -> "mirror";
            case "cache", "cache-pool", "writecache" -> "cache volume (" + type + ")";
            case "vdo", "vdo-pool" -> "VDO volume (" + type + ")";
            case "integrity" -> "integrity volume";
            case "error", "zero" -> "\"" + type + "\" volume (no data behind it)";
            default -> type.startsWith("raid") ? "RAID volume (" + type + ")" : "segment type \"" + type + "\"";
        };
    }
}

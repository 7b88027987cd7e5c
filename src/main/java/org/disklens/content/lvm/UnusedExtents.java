package org.disklens.content.lvm;

import java.io.IOException;
import java.util.BitSet;
import java.util.Optional;
import org.disklens.content.FileSystem;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * The physical extents of one PV that no LV uses, hidden LVs (a thin pool's data, a RAID image) included: space the
 * guest has allocated to nothing. Only trusted when every LV and PV entry of the newest metadata reads soundly.
 */
final class UnusedExtents {
    /** One bit per extent: 2^28 extents (1 PiB of 4 MiB extents) take 32 MiB. */
    static final long MAX_EXTENTS = 1L << 28;

    private UnusedExtents() {
    }

    static void report(BlockSource bytes, FileSystem.RangeSink sink) throws IOException {
        Volume member = new Volume("0", "the PV", Optional.empty(), bytes, Placement.contiguous(0), Optional.empty());
        PhysicalVolume pv = PhysicalVolume.read(member);
        VgMetadata vg = newest(pv).orElseThrow(() -> new UnsupportedFeature("lvm", "metadata of the PV", -1,
                "no readable metadata area: which extents are free cannot be told"));
        VgMetadata.PvEntry entry = vg.pvs().stream().filter(candidate -> PhysicalVolume.key(candidate.id()).equals(pv.uuidKey()))
                .findFirst().orElseThrow(() -> new UnsupportedFeature("lvm", "metadata of VG " + vg.name(), -1,
                        "does not list this PV"));
        refuseDamage(vg, entry);
        if (entry.peCount() > MAX_EXTENTS) {
            throw new LimitExceeded("lvm", "PV " + entry.key(), -1, "%d extents exceed the limit of %d"
                    .formatted(entry.peCount(), MAX_EXTENTS));
        }
        BitSet used = used(vg, entry);
        long extentBytes = vg.extentBytes();
        long first = entry.peStart() * VgMetadata.SECTOR;
        for (int free = used.nextClearBit(0); free < entry.peCount(); ) {
            int end = (int) Math.min(entry.peCount(), used.nextSetBit(free) < 0 ? entry.peCount() : used.nextSetBit(free));
            sink.accept(first + free * extentBytes, (end - free) * extentBytes);
            free = used.nextClearBit(end);
        }
    }

    private static Optional<VgMetadata> newest(PhysicalVolume pv) throws IOException {
        VgMetadata best = null;
        for (DiskArea area : pv.label().metadataAreas()) {
            try {
                Optional<MetadataArea.Copy> copy = MetadataArea.read(pv, area);
                if (copy.isPresent() && (best == null || copy.get().vg().seqno() > best.seqno())) {
                    best = copy.get().vg();
                }
            } catch (ImageException damaged) {
                // Another area may hold a sound copy.
            }
        }
        return Optional.ofNullable(best);
    }

    private static void refuseDamage(VgMetadata vg, VgMetadata.PvEntry entry) throws UnsupportedFeature {
        Optional<String> damage = entry.damage().or(() -> vg.lvs().stream().flatMap(lv -> lv.damage().stream()).findFirst());
        if (damage.isPresent()) {
            throw new UnsupportedFeature("lvm", "metadata of VG " + vg.name(), -1,
                    "%s, so which extents are free cannot be trusted".formatted(damage.get()));
        }
    }

    /** The extents of this PV that linear and striped segments of any LV (hidden ones too) use. */
    private static BitSet used(VgMetadata vg, VgMetadata.PvEntry entry) {
        BitSet used = new BitSet((int) entry.peCount());
        for (VgMetadata.LvEntry lv : vg.lvs()) {
            for (VgMetadata.Segment segment : lv.segments()) {
                if (!segment.striped() || segment.stripeCount() == 0) {
                    continue;
                }
                long perStripe = segment.extentCount() / segment.stripeCount();
                for (VgMetadata.Stripe stripe : segment.stripes()) {
                    if (stripe.pv().equals(entry.key())) {
                        long from = Math.max(0, Math.min(stripe.startExtent(), entry.peCount()));
                        long to = Math.max(from, Math.min(stripe.startExtent() + perStripe, entry.peCount()));
                        used.set((int) from, (int) to);
                    }
                }
            }
        }
        return used;
    }
}

package org.disklens.content.lvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.lvm.ConfigText.Int;
import org.disklens.content.lvm.ConfigText.Items;
import org.disklens.content.lvm.ConfigText.Section;
import org.disklens.content.lvm.ConfigText.Text;
import org.disklens.content.lvm.ConfigText.Value;

/**
 * A volume group as its metadata text describes it: the one top-level section, named after the VG. A VG without a
 * usable id, seqno or extent size is refused whole; damage inside one PV or LV entry is kept with that entry (its LVs
 * then say why they cannot be read), so the rest of the group stays readable.
 *
 * @param extentSectors the extent size in 512-byte sectors
 */
record VgMetadata(String name, String id, long seqno, long extentSectors, List<PvEntry> pvs, List<LvEntry> lvs) {
    static final int SECTOR = 512;
    /** LVM's own limit on stripes per segment ({@code MAX_STRIPES}). */
    static final int MAX_STRIPES = 128;

    long extentBytes() {
        return extentSectors * SECTOR;
    }

    /** A PV of the group: {@code pe_start} in sectors, {@code pe_count} extents; or why its entry cannot be used. */
    record PvEntry(String key, String id, long peStart, long peCount, Optional<String> damage) {
    }

    /**
     * An LV: its name, whether LVM shows it ({@code VISIBLE}; internal LVs such as {@code pool_tdata} are not),
     * its segments in text order, or why its entry cannot be used.
     */
    record LvEntry(String name, boolean visible, int declaredSegments, List<Segment> segments, Optional<String> damage) {
    }

    /**
     * A segment: logical extents {@code [startExtent, startExtent + extentCount)} of its LV, its type, and for
     * {@code striped} the stripes (stripe_size in sectors); {@code cowStore}/{@code origin} for {@code snapshot}.
     */
    record Segment(String name, long startExtent, long extentCount, String type, int stripeCount, long stripeSectors,
                   List<Stripe> stripes, Optional<String> cowStore, Optional<String> origin) {
        boolean striped() {
            return type.equals("striped") || type.equals("linear");
        }
    }

    /** One stripe of a segment: PV {@code pv} (the key, such as {@code pv0}) from its extent {@code startExtent}. */
    record Stripe(String pv, long startExtent) {
    }

    /** Why a part of the metadata cannot be used. */
    static final class Damage extends Exception {
        Damage(String message) {
            super(message, null, false, false);
        }
    }

    static VgMetadata from(Section root) throws Damage {
        List<Section> groups = root.sections();
        if (groups.isEmpty()) {
            throw new Damage("no volume group section");
        }
        Section vg = groups.getFirst();
        String id = text(vg, "id");
        long seqno = integer(vg, "seqno");
        long extentSectors = integer(vg, "extent_size");
        if (extentSectors <= 0 || extentSectors > Long.MAX_VALUE / SECTOR) {
            throw new Damage("extent_size %d is out of range".formatted(extentSectors));
        }
        Section pvSection = section(vg, "physical_volumes");
        List<PvEntry> pvs = new ArrayList<>();
        for (Section pv : pvSection.sections()) {
            pvs.add(pvEntry(pv));
        }
        List<LvEntry> lvs = new ArrayList<>();
        Optional<Value> lvSection = vg.get("logical_volumes");
        if (lvSection.isPresent() && lvSection.get() instanceof Section lvList) {
            for (Section lv : lvList.sections()) {
                lvs.add(lvEntry(lv));
            }
        }
        return new VgMetadata(vg.name(), id, seqno, extentSectors, List.copyOf(pvs), List.copyOf(lvs));
    }

    private static PvEntry pvEntry(Section pv) {
        String id = pv.get("id").filter(Text.class::isInstance).map(value -> ((Text) value).value()).orElse("");
        try {
            if (id.isEmpty()) {
                throw new Damage("no id");
            }
            long peStart = integer(pv, "pe_start");
            long peCount = integer(pv, "pe_count");
            if (peStart < 0 || peCount < 0) {
                throw new Damage("negative pe_start or pe_count");
            }
            return new PvEntry(pv.name(), id, peStart, peCount, Optional.empty());
        } catch (Damage damage) {
            return new PvEntry(pv.name(), id, 0, 0, Optional.of(damage.getMessage()));
        }
    }

    private static LvEntry lvEntry(Section lv) {
        boolean visible = flags(lv, "status").contains("VISIBLE");
        int declared = lv.get("segment_count").filter(Int.class::isInstance)
                .map(value -> (int) Math.clamp(((Int) value).value(), 0, Integer.MAX_VALUE)).orElse(0);
        try {
            List<Segment> segments = new ArrayList<>();
            for (Section segment : lv.sections()) {
                segments.add(segment(segment));
            }
            return new LvEntry(lv.name(), visible, declared, List.copyOf(segments), Optional.empty());
        } catch (Damage damage) {
            return new LvEntry(lv.name(), visible, declared, List.of(), Optional.of(damage.getMessage()));
        }
    }

    private static Segment segment(Section segment) throws Damage {
        long start = integer(segment, "start_extent");
        long count = integer(segment, "extent_count");
        if (start < 0 || count <= 0) {
            throw new Damage("%s covers extents %d + %d".formatted(segment.name(), start, count));
        }
        String type = text(segment, "type");
        Optional<String> cowStore = optionalText(segment, "cow_store");
        Optional<String> origin = optionalText(segment, "origin");
        if (!type.equals("striped") && !type.equals("linear")) {
            return new Segment(segment.name(), start, count, type, 0, 0, List.of(), cowStore, origin);
        }
        long stripeCount = segment.get("stripe_count").isPresent() ? integer(segment, "stripe_count") : 1;
        if (stripeCount < 1 || stripeCount > MAX_STRIPES) {
            throw new Damage("%s has %d stripes".formatted(segment.name(), stripeCount));
        }
        long stripeSectors = stripeCount > 1 ? integer(segment, "stripe_size") : 0;
        if (stripeCount > 1 && (stripeSectors <= 0 || stripeSectors > Long.MAX_VALUE / SECTOR)) {
            throw new Damage("%s has stripe_size %d".formatted(segment.name(), stripeSectors));
        }
        return new Segment(segment.name(), start, count, type, (int) stripeCount, stripeSectors,
                stripes(segment, (int) stripeCount), cowStore, origin);
    }

    /** {@code stripes = ["pv0", 0, "pv1", 0]}: a PV key and its first extent, per stripe. */
    private static List<Stripe> stripes(Section segment, int count) throws Damage {
        if (!(segment.get("stripes").orElse(null) instanceof Items items) || items.values().size() != 2 * count) {
            throw new Damage("%s does not list %d stripes".formatted(segment.name(), count));
        }
        List<Stripe> stripes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!(items.values().get(2 * i) instanceof Text pv) || !(items.values().get(2 * i + 1) instanceof Int start)
                    || start.value() < 0) {
                throw new Damage("%s: stripe %d is not a PV and an extent".formatted(segment.name(), i));
            }
            stripes.add(new Stripe(pv.value(), start.value()));
        }
        return List.copyOf(stripes);
    }

    private static Section section(Section in, String key) throws Damage {
        if (in.get(key).orElse(null) instanceof Section found) {
            return found;
        }
        throw new Damage("%s has no %s section".formatted(describe(in), key));
    }

    private static String text(Section in, String key) throws Damage {
        return optionalText(in, key).orElseThrow(() -> new Damage("%s has no %s".formatted(describe(in), key)));
    }

    private static Optional<String> optionalText(Section in, String key) {
        return in.get(key).filter(Text.class::isInstance).map(value -> ((Text) value).value());
    }

    private static long integer(Section in, String key) throws Damage {
        if (in.get(key).orElse(null) instanceof Int found) {
            return found.value();
        }
        throw new Damage("%s has no number %s".formatted(describe(in), key));
    }

    private static List<String> flags(Section in, String key) {
        if (in.get(key).orElse(null) instanceof Items items) {
            return items.values().stream().filter(Text.class::isInstance).map(value -> ((Text) value).value()).toList();
        }
        return List.of();
    }

    private static String describe(Section section) {
        return section.name().isEmpty() ? "the metadata" : section.name();
    }
}

package org.disklens.image.vhd;

import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;

/** What the runs of a VHD file are used for, in the File layout chart's words and colours (legend order). */
final class VhdRegions {
    static final HostRegion FOOTER = new HostRegion("Footer", "#1e293b", Role.METADATA);
    static final HostRegion FOOTER_COPY = new HostRegion("Footer copy", "#475569", Role.METADATA);
    static final HostRegion DYNAMIC_HEADER = new HostRegion("Dynamic disk header", "#4f46e5", Role.METADATA);
    static final HostRegion BAT = new HostRegion("Block allocation table", "#818cf8", Role.METADATA);
    static final HostRegion PARENT_LOCATORS = new HostRegion("Parent locators", "#0d9488", Role.METADATA);
    static final HostRegion BITMAPS = new HostRegion("Sector bitmaps", "#ea580c", Role.METADATA);
    static final HostRegion DATA = HostRegion.DATA;
    static final HostRegion UNUSED_SECTORS = new HostRegion("Block sectors not in use", "#93c5fd", Role.FREE);
    static final HostRegion FREE = new HostRegion("Unused space", "#cbd5e1", Role.FREE);
    static final HostRegion HOLE = HostRegion.HOLE;

    static final List<HostRegion> ALL = List.of(FOOTER, FOOTER_COPY, DYNAMIC_HEADER, BAT, PARENT_LOCATORS, BITMAPS,
            DATA, UNUSED_SECTORS, FREE, HOLE);

    private VhdRegions() {
    }
}

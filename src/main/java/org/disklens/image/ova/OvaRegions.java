package org.disklens.image.ova;

import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;

/** What the runs of an OVA (a tar) are used for, in the File layout chart's words and colours. */
final class OvaRegions {
    static final HostRegion TAR_HEADERS = new HostRegion("Tar headers", "#1e293b", Role.METADATA);
    static final HostRegion DESCRIPTOR = new HostRegion("OVF descriptor", "#7c3aed", Role.METADATA);
    static final HostRegion MANIFEST = new HostRegion("Manifest and certificate", "#10b981", Role.METADATA);
    static final HostRegion OTHER_DISKS = new HostRegion("Other disks", "#93c5fd", Role.DATA);
    static final HostRegion OTHER_FILES = new HostRegion("Other files (ISO, NVRAM, …)", "#94a3b8", Role.DATA);
    static final HostRegion PADDING = new HostRegion("Tar padding and end blocks", "#e2e8f0", Role.METADATA);

    private OvaRegions() {
    }
}

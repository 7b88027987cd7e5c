package org.disklens.image.qcow2;

import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;

/** What the runs of a qcow2 file are used for, in the File layout chart's words and colours (legend order). */
final class Qcow2Regions {
    static final HostRegion HEADER = new HostRegion("Header", "#1e293b", Role.METADATA);
    static final HostRegion L1_TABLE = new HostRegion("L1 table", "#4f46e5", Role.METADATA);
    static final HostRegion L2_TABLES = new HostRegion("L2 tables", "#818cf8", Role.METADATA);
    static final HostRegion REFCOUNT_TABLE = new HostRegion("Refcount table", "#ea580c", Role.METADATA);
    static final HostRegion REFCOUNT_BLOCKS = new HostRegion("Refcount blocks", "#fb923c", Role.METADATA);
    static final HostRegion DATA = HostRegion.DATA;
    static final HostRegion COMPRESSED = new HostRegion("Compressed data", "#f59e0b", Role.COMPRESSED);
    static final HostRegion SNAPSHOT_TABLE = new HostRegion("Snapshot table", "#be185d", Role.METADATA);
    static final HostRegion SNAPSHOT_METADATA = new HostRegion("Snapshots' L1/L2 tables", "#f472b6", Role.SNAPSHOT);
    static final HostRegion SNAPSHOT_DATA = new HostRegion("Data only snapshots use", "#db2777", Role.SNAPSHOT);
    static final HostRegion BITMAPS = new HostRegion("Bitmaps", "#10b981", Role.METADATA);
    static final HostRegion ENCRYPTION_HEADER = new HostRegion("Encryption header", "#64748b", Role.METADATA);
    static final HostRegion LEAKED = new HostRegion("Leaked clusters", "#dc2626", Role.LEAKED);
    static final HostRegion FREE = new HostRegion("Free clusters", "#cbd5e1", Role.FREE);

    static final List<HostRegion> ALL = List.of(HEADER, L1_TABLE, L2_TABLES, REFCOUNT_TABLE, REFCOUNT_BLOCKS, DATA,
            COMPRESSED, SNAPSHOT_TABLE, SNAPSHOT_METADATA, SNAPSHOT_DATA, BITMAPS, ENCRYPTION_HEADER, LEAKED, FREE);

    private Qcow2Regions() {
    }
}

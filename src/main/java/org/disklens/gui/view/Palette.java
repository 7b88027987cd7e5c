package org.disklens.gui.view;

import java.util.EnumMap;
import java.util.Map;
import javafx.scene.paint.Color;
import org.disklens.image.HostUse;

/**
 * The one set of colours for allocation states, layers and host-file uses: the map, the charts and the
 * legends all take theirs from here, so a colour means the same thing everywhere.
 */
public final class Palette {
    /** Data in layer N of the chain: the image itself first, then its backing layers. */
    private static final Color[] LAYERS = {
        Color.web("#2563eb"), // this image: blue
        Color.web("#0d9488"), // backing 1: teal
        Color.web("#7c3aed"), // backing 2: violet
        Color.web("#c2410c"), // backing 3: rust
        Color.web("#0891b2"),
        Color.web("#9333ea"),
        Color.web("#4d7c0f"),
        Color.web("#475569"),
    };
    public static final Color COMPRESSED = Color.web("#f59e0b");
    public static final Color ZERO = Color.web("#a5b4c8");
    public static final Color UNALLOCATED = Color.web("#eef1f6");
    public static final Color GRID_LINE = Color.web("#d5dbe5");
    public static final Color HOVER = Color.web("#0f172a");
    public static final Color TEXT = Color.web("#1e293b");
    public static final Color MUTED_TEXT = Color.web("#64748b");

    /** Partitions drawn over the map. */
    private static final Color[] PARTITIONS = {
        Color.web("#e11d48"), Color.web("#16a34a"), Color.web("#d97706"), Color.web("#2563eb"), Color.web("#7c3aed"),
    };

    private static final Map<HostUse, Color> HOST = new EnumMap<>(HostUse.class);

    static {
        HOST.put(HostUse.HEADER, Color.web("#1e293b"));
        HOST.put(HostUse.L1_TABLE, Color.web("#4f46e5"));
        HOST.put(HostUse.L2_TABLES, Color.web("#818cf8"));
        HOST.put(HostUse.REFCOUNT_TABLE, Color.web("#ea580c"));
        HOST.put(HostUse.REFCOUNT_BLOCKS, Color.web("#fb923c"));
        HOST.put(HostUse.DATA, LAYERS[0]);
        HOST.put(HostUse.COMPRESSED, COMPRESSED);
        HOST.put(HostUse.SNAPSHOT_TABLE, Color.web("#be185d"));
        HOST.put(HostUse.SNAPSHOT_METADATA, Color.web("#f472b6"));
        HOST.put(HostUse.SNAPSHOT_DATA, Color.web("#db2777"));
        HOST.put(HostUse.BITMAPS, Color.web("#10b981"));
        HOST.put(HostUse.ENCRYPTION_HEADER, Color.web("#64748b"));
        HOST.put(HostUse.LEAKED, Color.web("#dc2626"));
        HOST.put(HostUse.FREE, Color.web("#cbd5e1"));
        HOST.put(HostUse.HOLE, Color.web("#eef1f6"));
    }

    private Palette() {
    }

    public static Color layer(int depth) {
        return LAYERS[Math.min(depth, LAYERS.length - 1)];
    }

    public static Color partition(int index) {
        return PARTITIONS[index % PARTITIONS.length];
    }

    public static Color host(HostUse use) {
        return HOST.get(use);
    }

    /** For JFreeChart, which paints with AWT colours. */
    public static java.awt.Color awt(Color color) {
        return new java.awt.Color((float) color.getRed(), (float) color.getGreen(), (float) color.getBlue(),
                (float) color.getOpacity());
    }

    /** {@code #rrggbb} for CSS. */
    public static String css(Color color) {
        return String.format("#%02x%02x%02x", Math.round(color.getRed() * 255), Math.round(color.getGreen() * 255),
                Math.round(color.getBlue() * 255));
    }
}

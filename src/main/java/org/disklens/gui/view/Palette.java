package org.disklens.gui.view;

import javafx.scene.paint.Color;
import org.disklens.image.HostRegion;

/**
 * The one set of colours for allocation states, layers and partitions: the map, the charts and the legends all
 * take theirs from here, so a colour means the same thing everywhere. Host-file regions are coloured by their format
 * ({@link HostRegion#colour()}), with the same blue for data and amber for compressed data.
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
    /** Stored by the image, but free in the guest's file system: what Shrink drops. */
    public static final Color FREE_IN_GUEST = Color.web("#f472b6");
    /** A part of the disk whose allocation could not be read. */
    public static final Color UNREADABLE = Color.web("#b91c1c");
    public static final Color ZERO = Color.web("#a5b4c8");
    public static final Color UNALLOCATED = Color.web("#eef1f6");
    public static final Color GRID_LINE = Color.web("#d5dbe5");
    public static final Color HOVER = Color.web("#0f172a");
    /** Cells that hold the file selected in Files. */
    public static final Color HIGHLIGHT = Color.web("#facc15");
    public static final Color TEXT = Color.web("#1e293b");
    public static final Color MUTED_TEXT = Color.web("#64748b");

    /** Partitions drawn over the map: none of them is a state's or a layer's colour. */
    private static final Color[] PARTITIONS = {
        Color.web("#e11d48"), Color.web("#16a34a"), Color.web("#92400e"), Color.web("#4338ca"), Color.web("#334155"),
    };

    private Palette() {
    }

    public static Color layer(int depth) {
        return LAYERS[Math.min(depth, LAYERS.length - 1)];
    }

    /** The colour of a state other than a layer's data; not stored looks like unallocated (neither takes space). */
    public static Color state(org.disklens.gui.model.GuestState state) {
        return switch (state) {
            case COMPRESSED -> COMPRESSED;
            case FREE_IN_GUEST -> FREE_IN_GUEST;
            case ZERO -> ZERO;
            case NOT_STORED, UNALLOCATED -> UNALLOCATED;
            case UNREADABLE -> UNREADABLE;
        };
    }

    public static Color partition(int index) {
        return PARTITIONS[index % PARTITIONS.length];
    }

    /** A host-file region's colour, as its format gives it. */
    public static Color host(HostRegion region) {
        return Color.web(region.colour());
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

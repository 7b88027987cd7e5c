package org.disklens.gui.model;

/**
 * The states of the guest disk the window tells apart besides each layer's data, with the words the overview, the
 * legend, the chart and the hover use for them (the colours are the view's {@code Palette}).
 */
public enum GuestState {
    COMPRESSED("Compressed", "compressed"),
    FREE_IN_GUEST("Stored, but free in the guest", "stored, but free in the guest"),
    ZERO("Zero (decided by a layer)", "zero"),
    NOT_STORED("Not stored (holes in the file)", "not stored"),
    UNALLOCATED("Unallocated (reads as zeroes)", "unallocated"),
    UNREADABLE("Unreadable (damaged)", "unreadable");

    private final String label;
    private final String inSentence;

    GuestState(String label, String inSentence) {
        this.label = label;
        this.inSentence = inSentence;
    }

    /** "Stored, but free in the guest": as a legend or a row names it. */
    public String label() {
        return label;
    }

    /** "stored, but free in the guest": inside a sentence ("64 KiB stored, but free in the guest"). */
    public String inSentence() {
        return inSentence;
    }
}

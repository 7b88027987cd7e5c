package org.disklens.content.fat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * Turns a directory's bytes into named entries, in on-disk order: a run of long-name slots (orders n down to 1,
 * one checksum) names the short entry right after it when that entry's checksum matches; an orphaned, broken or
 * mismatched run is dropped with a warning and the entry keeps its short name, as Linux's vfat does. Deleted
 * slots (0xE5), the volume label and {@code .}/{@code ..} are skipped; a 0x00 first byte ends the directory.
 */
final class DirectoryParser {
    /** A listed entry: its name, its short entry, and where that entry is in the volume. */
    record Named(String name, ShortEntry entry, long volumeOffset) {
    }

    private final boolean fat32;
    private final Consumer<String> warnings;
    private final String where;
    /** Inside a run of long-name slots already warned about: one warning for the whole run. */
    private boolean straying;

    /** {@code where} names the directory in warnings ("directory /docs"). */
    DirectoryParser(boolean fat32, String where, Consumer<String> warnings) {
        this.fat32 = fat32;
        this.where = where;
        this.warnings = warnings;
    }

    /** The entries of {@code bytes}, whose slot {@code i} is at {@code slotOffsets.applyAsLong(i)} in the volume. */
    List<Named> parse(ByteBuffer bytes, IntToLongFunction slotOffsets) {
        int slots = bytes.remaining() / ShortEntry.SIZE;
        List<Named> named = new ArrayList<>(Math.min(slots, 4096));
        LongName pending = null;
        for (int i = 0; i < slots; i++) {
            int at = bytes.position() + i * ShortEntry.SIZE;
            int first = Byte.toUnsignedInt(bytes.get(at));
            if (first == 0x00) {
                break;
            }
            int attributes = Byte.toUnsignedInt(bytes.get(at + 11));
            if (!LongNameSlot.isLongName(attributes) || first == 0xE5) {
                straying = false;
            }
            if (first == 0xE5) {
                pending = dropped(pending, slotOffsets.applyAsLong(i), "is followed by a deleted entry");
            } else if (LongNameSlot.isLongName(attributes)) {
                pending = accept(pending, LongNameSlot.parse(bytes, at), slotOffsets.applyAsLong(i));
            } else if ((attributes & ShortEntry.ATTR_VOLUME_ID) != 0) {
                pending = dropped(pending, slotOffsets.applyAsLong(i), "is followed by the volume label");
            } else {
                ShortEntry entry = ShortEntry.parse(bytes, at, fat32);
                long offset = slotOffsets.applyAsLong(i);
                String name = nameOf(entry, pending, offset);
                pending = null;
                if (!entry.dotEntry()) {
                    named.add(new Named(name, entry, offset));
                }
            }
        }
        if (pending != null) {
            dropped(pending, -1, "is not followed by any entry");
        }
        return named;
    }

    private LongName accept(LongName pending, LongNameSlot slot, long offset) {
        if (slot.last()) {
            straying = false;
            dropped(pending, offset, "is interrupted by another long name");
            if (!slot.wellFormed()) {
                warn(offset, "long-name slots from one of order %d, type %d, are ignored".formatted(slot.order(), slot.type()));
                straying = true;
                return null;
            }
            return new LongName(slot);
        }
        if (pending == null) {
            if (!straying) {
                warn(offset, "long-name slots (order %d) without their first part are ignored".formatted(slot.order()));
            }
            straying = true;
            return null;
        }
        if (!pending.takes(slot)) {
            dropped(pending, offset, "is broken by a slot of order %d or checksum 0x%02x (expected %d, 0x%02x)"
                    .formatted(slot.order(), slot.checksum(), pending.expectedOrder(), pending.checksum()));
            straying = true;
            return null;
        }
        pending.add(slot);
        return pending;
    }

    /** The long name when the run is complete and its checksum is the short entry's, else the short name. */
    private String nameOf(ShortEntry entry, LongName pending, long offset) {
        if (pending == null) {
            return entry.name();
        }
        if (!pending.complete()) {
            dropped(pending, offset, "lacks its parts of order %d and below".formatted(pending.expectedOrder()));
            return entry.name();
        }
        if (pending.checksum() != entry.checksum()) {
            warn(offset, "long name \"%s\" has checksum 0x%02x, its short entry \"%s\" 0x%02x: the short name is used"
                    .formatted(pending.text(), pending.checksum(), entry.name(), entry.checksum()));
            return entry.name();
        }
        String text = pending.text();
        if (text.isEmpty() || text.equals(".") || text.equals("..") || text.indexOf('/') >= 0 || text.indexOf(0) >= 0) {
            warn(offset, "long name \"%s\" cannot name a file: the short name is used".formatted(text));
            return entry.name();
        }
        return text;
    }

    private LongName dropped(LongName pending, long offset, String why) {
        if (pending != null) {
            warn(offset, "an orphaned long name \"%s\" %s".formatted(pending.text(), why));
        }
        return null;
    }

    private void warn(long offset, String problem) {
        String at = offset >= 0 ? "%s at 0x%x".formatted(where, offset) : where;
        warnings.accept("%s: %s: %s".formatted(FatLayout.NAMING, at, problem));
    }

    /** A long name being gathered: slot n came first, slots n-1 .. 1 follow. */
    private static final class LongName {
        private final char[] units;
        private final int checksum;
        private int expected;

        LongName(LongNameSlot last) {
            this.units = new char[last.order() * LongNameSlot.UNITS];
            this.checksum = last.checksum();
            this.expected = last.order();
            add(last);
        }

        boolean takes(LongNameSlot slot) {
            return slot.wellFormed() && slot.order() == expected && slot.checksum() == checksum;
        }

        void add(LongNameSlot slot) {
            System.arraycopy(slot.units(), 0, units, (slot.order() - 1) * LongNameSlot.UNITS, LongNameSlot.UNITS);
            expected--;
        }

        boolean complete() {
            return expected == 0;
        }

        int expectedOrder() {
            return expected;
        }

        int checksum() {
            return checksum;
        }

        /** Up to the first 0x0000 unit (the gathered parts only, for a name still incomplete). */
        String text() {
            int end = 0;
            while (end < units.length && units[end] != 0) {
                end++;
            }
            return new String(units, 0, end);
        }
    }
}

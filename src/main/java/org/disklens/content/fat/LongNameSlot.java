package org.disklens.content.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One VFAT long-name slot, 32 bytes (fatgen103, section 7), stored before its short entry, last part first:
 * <pre>
 *  0 LDIR_Ord (1-20; 0x40 marks the last part, which comes first on disk)
 *  1 LDIR_Name1 (5 UTF-16 units)   11 LDIR_Attr 0x0F   12 LDIR_Type 0   13 LDIR_Chksum (of the short name)
 * 14 LDIR_Name2 (6 units)          26 LDIR_FstClusLO 0 28 LDIR_Name3 (2 units)
 * </pre>
 * A name ends at a 0x0000 unit (then 0xFFFF padding) or after the last slot's 13 units.
 */
record LongNameSlot(int order, boolean last, int checksum, int type, char[] units) {
    static final int ATTR_LONG_NAME = 0x0F;
    /** fatgen103: ATTR_LONG_NAME_MASK, the bits that must read 0x0F for a long-name slot. */
    static final int ATTR_LONG_NAME_MASK = 0x3F;
    static final int LAST = 0x40;
    static final int MAX_ORDER = 20;
    static final int UNITS = 13;
    private static final int[] UNIT_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    static boolean isLongName(int attributes) {
        return (attributes & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME;
    }

    static LongNameSlot parse(ByteBuffer bytes, int at) {
        ByteBuffer slot = bytes.order() == ByteOrder.LITTLE_ENDIAN ? bytes : bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int order = Byte.toUnsignedInt(slot.get(at));
        char[] units = new char[UNITS];
        for (int i = 0; i < UNITS; i++) {
            units[i] = slot.getChar(at + UNIT_OFFSETS[i]);
        }
        return new LongNameSlot(order & ~LAST, (order & LAST) != 0, Byte.toUnsignedInt(slot.get(at + 13)),
                Byte.toUnsignedInt(slot.get(at + 12)), units);
    }

    /** Orders 1 to 20 (a name of at most 255 units needs 20 slots), type 0. */
    boolean wellFormed() {
        return order >= 1 && order <= MAX_ORDER && type == 0;
    }
}

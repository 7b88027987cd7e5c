package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.OnDiskText;
import org.disklens.image.CorruptImage;
import org.disklens.image.UnsupportedFeature;

/**
 * A chunk item (key (FIRST_CHUNK_TREE 256, CHUNK_ITEM 228, logical start)): length u64 @0, owner u64 @8, stripe_len
 * u64 @16, type u64 @24 (block group flags: DATA 1, SYSTEM 2, METADATA 4; profile RAID0 8, RAID1 16, DUP 32, RAID10
 * 64, RAID5 128, RAID6 256, RAID1C3 512, RAID1C4 1024; none is single), io_align/io_width/sector_size u32 @32,
 * num_stripes u16 @44, sub_stripes u16 @46, then num_stripes stripes of 32 bytes (devid u64, offset u64,
 * dev_uuid[16]) at @48.
 */
record Chunk(long logical, long length, long stripeLength, long type, int subStripes, List<Stripe> stripes) {
    static final int HEADER = 48;
    static final int STRIPE = 32;
    static final long DATA = 1;
    static final long SYSTEM = 2;
    static final long METADATA = 4;
    static final long RAID0 = 8;
    static final long RAID1 = 16;
    static final long DUP = 32;
    static final long RAID10 = 64;
    static final long RAID5 = 128;
    static final long RAID6 = 256;
    static final long RAID1C3 = 512;
    static final long RAID1C4 = 1024;
    static final long PROFILES = RAID0 | RAID1 | DUP | RAID10 | RAID5 | RAID6 | RAID1C3 | RAID1C4;

    /** One stripe: where a part (or a copy) of the chunk lives on device {@code devid}. */
    record Stripe(long devid, long offset, String deviceUuid) {
    }

    /** One place of a logical address on a device: {@code contiguous} bytes from {@code physical} continue it. */
    record Place(Stripe stripe, long physical, long contiguous) {
    }

    /** The chunk item in {@code data} (its remaining bytes), for logical start {@code logical}; validated. */
    static Chunk parse(ByteBuffer data, long logical, long where) throws CorruptImage {
        if (data.remaining() < HEADER) {
            throw corrupt(logical, where, "item of %d bytes is shorter than a chunk item".formatted(data.remaining()));
        }
        int at = data.position();
        long length = data.getLong(at);
        long stripeLength = data.getLong(at + 16);
        long type = data.getLong(at + 24);
        int count = Short.toUnsignedInt(data.getShort(at + 44));
        int subStripes = Short.toUnsignedInt(data.getShort(at + 46));
        if (count == 0 || data.remaining() < HEADER + STRIPE * count) {
            throw corrupt(logical, where, "%d stripes do not fit in the item's %d bytes".formatted(count, data.remaining()));
        }
        if (length <= 0 || logical < 0 || logical > Long.MAX_VALUE - length) {
            throw corrupt(logical, where, "length 0x%x is empty or runs past 2^63".formatted(length));
        }
        if (Long.bitCount(type & PROFILES) > 1) {
            throw corrupt(logical, where, "type 0x%x names more than one profile".formatted(type));
        }
        if (stripeLength < 4096 || Long.bitCount(stripeLength) != 1 || stripeLength > 1L << 30) {
            throw corrupt(logical, where, "stripe length 0x%x is not a power of two from 4 KiB to 1 GiB"
                    .formatted(stripeLength));
        }
        List<Stripe> stripes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int stripe = at + HEADER + i * STRIPE;
            long offset = data.getLong(stripe + 8);
            if (offset < 0) {
                throw corrupt(logical, where, "stripe %d at 0x%x is past 2^63".formatted(i, offset));
            }
            stripes.add(new Stripe(data.getLong(stripe), offset, OnDiskText.uuid(data, stripe + 16)));
        }
        Chunk chunk = new Chunk(logical, length, stripeLength, type, subStripes, List.copyOf(stripes));
        chunk.checkStripeCount(where);
        return chunk;
    }

    /** The size of an item holding {@code stripes} stripes. */
    static int itemSize(ByteBuffer data) {
        return HEADER + STRIPE * Short.toUnsignedInt(data.getShort(data.position() + 44));
    }

    private void checkStripeCount(long where) throws CorruptImage {
        int count = stripes.size();
        long profile = type & PROFILES;
        boolean sound = profile == 0 ? count == 1
                : profile == DUP || profile == RAID1 ? count == 2
                : profile == RAID1C3 ? count == 3
                : profile == RAID1C4 ? count == 4
                : profile == RAID10 ? subStripes == 2 && count >= 2 && count % 2 == 0
                : profile == RAID5 ? count >= 2
                : profile == RAID6 ? count >= 3
                : true;
        if (!sound) {
            throw corrupt(logical, where, "%s with %d stripes (sub_stripes %d)".formatted(profileName(), count, subStripes));
        }
    }

    long end() {
        return logical + length;
    }

    boolean contains(long address) {
        return address >= logical && address - logical < length;
    }

    String profileName() {
        long profile = type & PROFILES;
        return profile == 0 ? "single" : profile == RAID0 ? "RAID0" : profile == RAID1 ? "RAID1" : profile == DUP ? "DUP"
                : profile == RAID10 ? "RAID10" : profile == RAID5 ? "RAID5" : profile == RAID6 ? "RAID6"
                : profile == RAID1C3 ? "RAID1C3" : "RAID1C4";
    }

    /** Bytes of the chunk each stripe holds. */
    long stripeSize() {
        long profile = type & PROFILES;
        int count = stripes.size();
        if (profile == RAID0) {
            return length / count;
        }
        if (profile == RAID10) {
            return length / (count / subStripes);
        }
        if (profile == RAID5) {
            return length / (count - 1);
        }
        if (profile == RAID6) {
            return length / (count - 2);
        }
        return length;
    }

    /**
     * Every place that holds the byte at {@code address} (one for single and RAID0, each copy for DUP, RAID1* and
     * RAID10), in stripe order. RAID5 and RAID6 are refused by name.
     */
    List<Place> places(long address) throws UnsupportedFeature {
        long into = address - logical;
        long profile = type & PROFILES;
        if (profile == RAID5 || profile == RAID6) {
            throw new UnsupportedFeature("btrfs", "chunk at logical 0x%x".formatted(logical), -1,
                    "%s is not read by DiskLens".formatted(profileName()));
        }
        if (profile == RAID0 || profile == RAID10) {
            int copies = profile == RAID10 ? subStripes : 1;
            long factor = stripes.size() / copies;
            long unit = into / stripeLength;
            long inUnit = into % stripeLength;
            int first = (int) (unit % factor) * copies;
            long onDevice = unit / factor * stripeLength + inUnit;
            long contiguous = Math.min(stripeLength - inUnit, length - into);
            List<Place> places = new ArrayList<>(copies);
            for (int k = 0; k < copies; k++) {
                Stripe stripe = stripes.get(first + k);
                places.add(new Place(stripe, stripe.offset() + onDevice, contiguous));
            }
            return places;
        }
        List<Place> places = new ArrayList<>(stripes.size());
        for (Stripe stripe : stripes) {
            places.add(new Place(stripe, stripe.offset() + into, length - into));
        }
        return places;
    }

    private static CorruptImage corrupt(long logical, long where, String problem) {
        return new CorruptImage("btrfs", "chunk item for logical 0x%x".formatted(logical), where, problem);
    }
}

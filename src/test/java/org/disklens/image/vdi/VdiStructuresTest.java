package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.HeaderField;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/** VDI headers, block maps and their mappings decoded from byte arrays, as VirtualBox's VDICore.h lays them out. */
class VdiStructuresTest {
    private static final UUID IMAGE = UUID.fromString("8970feeb-4111-458e-87f4-3087ff8cf3c3");
    private static final UUID PARENT = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
    private static final long FREE = BlockMap.FREE;
    private static final long ZERO = BlockMap.ZERO;

    private static VdiImage open(byte[] bytes) throws IOException {
        return VdiImage.open(new MemoryBlockSource("test.vdi", bytes));
    }

    @Test
    void encodesFieldsWhereVdiCoreHPutsThem() {
        VdiHeader header = VdiHeader.ofNewImage(VdiHeader.TYPE_DYNAMIC, 10 << 20, 10, 3, 512, 1024);
        ByteBuffer bytes = header.encode();
        assertThat(new String(bytes.array(), 0, 40, StandardCharsets.US_ASCII))
                .isEqualTo("<<< Oracle VM VirtualBox Disk Image >>>\n");
        assertThat(bytes.getInt(64)).isEqualTo(0xbeda107f);
        assertThat(bytes.getInt(68)).isEqualTo(0x00010001);
        assertThat(bytes.getInt(72)).isEqualTo(0x190);
        assertThat(bytes.getInt(76)).isEqualTo(1);
        assertThat(bytes.getInt(340)).isEqualTo(512);
        assertThat(bytes.getInt(344)).isEqualTo(1024);
        assertThat(bytes.getInt(360)).isEqualTo(512); // legacy geometry's sector size, as qemu checks it
        assertThat(bytes.getLong(368)).isEqualTo(10 << 20);
        assertThat(bytes.getInt(376)).isEqualTo(1 << 20);
        assertThat(bytes.getInt(384)).isEqualTo(10);
        assertThat(bytes.getInt(388)).isEqualTo(3);
        assertThat(bytes.getInt(468)).isEqualTo(512); // LCHS geometry's sector size, as VirtualBox checks it
        assertThat(header.image()).isNotEqualTo(header.modification());
    }

    @Test
    void parsesWhatItEncodesAndUuidsInRtUuidOrder() throws Exception {
        VdiHeader written = VdiBytes.header(VdiHeader.TYPE_DIFFERENCING, 4096, 512, 0, 8, 2, IMAGE, PARENT);
        ByteBuffer bytes = written.encode();
        // RTUUID: time_low, time_mid, time_hi little-endian, the rest as it is.
        assertThat(bytes.array()).containsSequence(0xeb, 0xfe, 0x70, 0x89, 0x11, 0x41, 0x8e, 0x45, 0x87, 0xf4, 0x30,
                0x87, 0xff, 0x8c, 0xf3, 0xc3);
        VdiHeader read = VdiHeader.parse(bytes);
        assertThat(read).isEqualTo(written);
        assertThat(read.image()).isEqualTo(IMAGE);
        assertThat(read.link()).isEqualTo(PARENT);
        assertThat(read.comment()).isEqualTo("made by a test");
    }

    @Test
    void mapsDataZeroAndFreeBlocksOfABaseImage() throws Exception {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_DYNAMIC, 8 * 512, 512, 0, 8, 3, IMAGE, new UUID(0, 0));
        byte[] file = VdiBytes.file(header, new long[] {1, 2, FREE, ZERO, FREE, 0, FREE, FREE},
                new byte[][] {VdiBytes.filled(512, 5), VdiBytes.filled(512, 1), VdiBytes.filled(512, 2)});
        try (VdiImage image = open(file)) {
            assertThat(image.virtualSize()).isEqualTo(4096);
            assertThat(image.clusterSize().getAsInt()).isEqualTo(512);
            long data = header.dataOffset();
            assertThat(image.map(0, 4096)).isEqualTo(new Mapping.Data(image.source(), data + 512, 1024));
            assertThat(image.map(100, 4096)).isEqualTo(new Mapping.Data(image.source(), data + 612, 924));
            // Free, zero (discarded) and free again: all read as zeroes in a base image.
            assertThat(image.map(1024, 4096)).isEqualTo(new Mapping.Zero(1536));
            assertThat(image.map(1536, 4096)).isEqualTo(new Mapping.Zero(1024));
            assertThat(image.map(2560, 4096)).isEqualTo(new Mapping.Data(image.source(), data, 512));
            assertThat(image.map(3072, 100)).isEqualTo(new Mapping.Zero(100));
            assertThat(image.backing()).isEmpty();
            assertThat(image.check(ProgressListener.NONE).orElseThrow())
                    .isEqualTo(new CheckReport(0, 0, 0, data + 3 * 512, 8, 3, 1, 0, List.of()));
        }
    }

    @Test
    void aDifferencingImageLeavesFreeBlocksToItsParent() throws Exception {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_DIFFERENCING, 4 * 512, 512, 0, 4, 1, IMAGE, PARENT);
        byte[] file = VdiBytes.file(header, new long[] {FREE, ZERO, 0, FREE}, new byte[][] {VdiBytes.filled(512, 9)});
        try (VdiImage image = open(file)) {
            assertThat(image.map(0, 2048)).isEqualTo(new Mapping.Unallocated(512));
            assertThat(image.map(512, 2048)).isEqualTo(new Mapping.Zero(512));
            assertThat(image.map(1536, 512)).isEqualTo(new Mapping.Unallocated(512));
            assertThat(image.backing().orElseThrow().name()).isEqualTo("{01234567-89ab-cdef-0123-456789abcdef}.vdi");
            assertThat(image.backing().orElseThrow().format()).contains("vdi");
            assertThat(image.formatTitle()).isEqualTo("VDI 1.1 (differencing)");
        }
    }

    @Test
    void blockExtraDataPrecedesEachBlocksData() throws Exception {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_DYNAMIC, 2048, 1024, 512, 2, 2, IMAGE, new UUID(0, 0));
        byte[][] slots = {new byte[1536], new byte[1536]};
        System.arraycopy(VdiBytes.filled(1024, 7), 0, slots[0], 512, 1024);
        System.arraycopy(VdiBytes.filled(1024, 8), 0, slots[1], 512, 1024);
        try (VdiImage image = open(VdiBytes.file(header, new long[] {0, 1}, slots))) {
            // Contiguous slots, yet not contiguous data: the second block's extra data lies between.
            assertThat(image.map(0, 2048)).isEqualTo(new Mapping.Data(image.source(), header.dataOffset() + 512, 1024));
            assertThat(image.map(1024, 1024))
                    .isEqualTo(new Mapping.Data(image.source(), header.dataOffset() + 1536 + 512, 1024));
        }
    }

    /** A version 0 header: no offsets; the map follows the 348-byte header, the data follows the map. */
    @Test
    void readsAVersion0Header() throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(420 + 2 * 4 + 512).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(0, "<<< innotek VirtualBox Disk Image >>>\n".getBytes(StandardCharsets.US_ASCII));
        bytes.putInt(64, 0xbeda107f).putInt(68, 0x00000002).putInt(72, 1).putLong(352, 1024).putInt(360, 512)
                .putInt(364, 2).putInt(368, 1);
        VdiHeader.putUuid(bytes, 372, IMAGE);
        bytes.putInt(420, (int) FREE).putInt(424, 0);
        bytes.put(428, VdiBytes.filled(512, 3));
        try (VdiImage image = open(bytes.array())) {
            assertThat(image.header().blocksOffset()).isEqualTo(420);
            assertThat(image.header().dataOffset()).isEqualTo(428);
            assertThat(image.header().image()).isEqualTo(IMAGE);
            assertThat(image.map(0, 1024)).isEqualTo(new Mapping.Zero(512));
            assertThat(image.map(512, 512)).isEqualTo(new Mapping.Data(image.source(), 428, 512));
            assertThat(image.formatTitle()).isEqualTo("VDI 0.2 (dynamic)");
            assertThat(image.headerFields()).extracting(HeaderField::name).contains("u32Type", "cbDisk", "uuidLinkage");
        }
    }

    @Test
    void headerFieldsAreInFileOrderWithTheirOffsets() throws Exception {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_STATIC, 512, 512, 0, 1, 1, IMAGE, new UUID(0, 0));
        try (VdiImage image = open(VdiBytes.file(header, new long[] {0}, new byte[][] {new byte[512]}))) {
            List<HeaderField> fields = image.headerFields();
            assertThat(fields).extracting(HeaderField::hostOffset).isSorted();
            assertThat(fields).filteredOn(field -> field.name().equals("uuidCreate")).singleElement()
                    .satisfies(field -> {
                        assertThat(field.value()).isEqualTo(IMAGE.toString());
                        assertThat(field.hostOffset()).isEqualTo(392);
                    });
            assertThat(fields).extracting(HeaderField::name).containsSubsequence("szFileInfo", "u32Signature",
                    "u32Version", "cbHeader", "u32Type", "fFlags", "szComment", "offBlocks", "offData",
                    "LegacyGeometry", "u32Dummy", "cbDisk", "cbBlock", "cbBlockExtra", "cBlocks", "cBlocksAllocated",
                    "uuidCreate", "uuidModify", "uuidLinkage", "uuidParentModify", "LCHSGeometry");
        }
    }

    @Test
    void refusesWhatCannotBeRead() {
        VdiHeader good = VdiBytes.header(VdiHeader.TYPE_DYNAMIC, 4096, 512, 0, 8, 0, IMAGE, new UUID(0, 0));
        assertRefused(good, 64, 0x12345678, CorruptImage.class, "vdi: pre-header at 0x40: bad signature 0x12345678");
        assertRefused(good, 68, 0x00020000, UnsupportedFeature.class, "unsupported VDI image (version 2.0)");
        assertRefused(good, 76, 5, UnsupportedFeature.class, "image type 5 is not one VirtualBox defines");
        assertRefused(good, 76, 0, UnsupportedFeature.class, "image type 0");
        assertRefused(good, 376, 0, UnsupportedFeature.class, "block size 0 is not a power of two");
        assertRefused(good, 376, 3000, UnsupportedFeature.class, "block size 3000");
        assertRefused(good, 376, 1 << 30, UnsupportedFeature.class, "block size 1073741824");
        assertRefused(good, 380, 100, UnsupportedFeature.class, "block extra data of 100 bytes");
        assertRefused(good, 384, 0x7fffffff, LimitExceeded.class, "too many blocks 2147483647, max is 536870784");
        assertRefused(good, 384, 4, CorruptImage.class, "disk size 4096, image bitmap has room for 2048");
        assertRefused(good, 340, 256, CorruptImage.class, "the block map at 0x100 overlaps the header");
        assertRefused(good, 344, 520, CorruptImage.class, "the data area at 0x208 overlaps the block map");
        assertRefused(good, 340, 0x10000, CorruptImage.class, "the data area at 0x400 overlaps the block map");
    }

    @Test
    void aBlockMapPastTheEndOfTheFileIsRefused() {
        VdiHeader header = VdiBytes.header(VdiHeader.TYPE_DYNAMIC, 4096, 512, 0, 8, 0, IMAGE, new UUID(0, 0));
        byte[] file = VdiBytes.file(header, new long[] {FREE, FREE, FREE, FREE, FREE, FREE, FREE, FREE}, new byte[0][]);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(340, 1000).putInt(344, 2048);
        assertThatThrownBy(() -> open(file)).isInstanceOf(CorruptImage.class)
                .hasMessage("vdi: block map at 0x3e8: 8 entries run past the end of the file (0x400)");
    }

    private static void assertRefused(VdiHeader header, int offset, int value, Class<?> kind, String message) {
        byte[] file = VdiBytes.file(header, new long[] {FREE, FREE, FREE, FREE, FREE, FREE, FREE, FREE}, new byte[0][]);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        assertThatThrownBy(() -> open(file)).as("0x%x at %d", value, offset).isInstanceOf(kind)
                .hasMessageContaining(message);
    }
}

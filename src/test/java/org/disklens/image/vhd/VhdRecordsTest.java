package org.disklens.image.vhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.disklens.convert.TargetSpec;
import org.disklens.image.ImageException;
import org.disklens.image.InvalidRequest;
import org.junit.jupiter.api.Test;

/** The VHD records' bytes, the geometry arithmetic, and the creation options as qemu-img decodes them. */
class VhdRecordsTest {
    @Test
    void aFooterEncodesToWhatItParsesWithAChecksumThatHolds() throws ImageException {
        VhdFooter footer = new VhdFooter(2, 0x10000, 512, 123456, VhdFooter.fourCc("qemu"), 0x50003,
                VhdFooter.fourCc("Wi2k"), 104865792, 104865792, 1015, 12, 17, 3, 0, UUID.randomUUID(), 0);
        ByteBuffer bytes = footer.encode();
        assertThat(new String(bytes.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("conectix");
        VhdFooter parsed = VhdFooter.parse(bytes, 0);
        assertThat(parsed.checksum()).isEqualTo(VhdFiles.checksum(bytes.array(), 64));
        assertThat(parsed).isEqualTo(new VhdFooter(2, 0x10000, 512, 123456, footer.creatorApp(), 0x50003,
                footer.creatorOs(), 104865792, 104865792, 1015, 12, 17, 3, parsed.checksum(), footer.uniqueId(), 0));
        assertThat(parsed.creatorAppText()).isEqualTo("qemu");
        assertThat(parsed.geometrySectors()).isEqualTo(1015L * 12 * 17);
    }

    @Test
    void theSizeRuleComparesAllFourBytes() throws ImageException {
        VhdFooter base = new VhdFooter(2, 0x10000, 512, 0, 0, 0, 0, 1 << 20, 1 << 20, 100, 4, 17, 3, 0, new UUID(0, 0), 0);
        assertThat(withCreator(base, "win ").sizedByCurrentSize()).isTrue();
        assertThat(withCreator(base, "tap\0").sizedByCurrentSize()).isTrue();
        assertThat(withCreator(base, "tap ").sizedByCurrentSize()).isFalse();
        assertThat(withCreator(base, "d2v\0").sizedByCurrentSize()).isFalse();
        assertThat(withCreator(base, "vpc ").virtualSize(0)).isEqualTo(100L * 4 * 17 * 512);
        assertThat(withCreator(base, "qem2").virtualSize(0)).isEqualTo(1 << 20);
    }

    private static VhdFooter withCreator(VhdFooter footer, String creator) {
        return new VhdFooter(footer.features(), footer.formatVersion(), footer.dataOffset(), footer.timestamp(),
                VhdFooter.fourCc(creator), footer.creatorVersion(), footer.creatorOs(), footer.originalSize(),
                footer.currentSize(), footer.cylinders(), footer.heads(), footer.sectorsPerTrack(), footer.diskType(),
                footer.checksum(), footer.uniqueId(), footer.savedState());
    }

    /** The specification's algorithm: 17, 31 or 63 sectors per track below 127 GiB, then qemu's 255. */
    @Test
    void geometryFollowsTheSpecificationsAlgorithm() {
        assertThat(Geometry.forSectors(204800)).isEqualTo(new Geometry(1003, 12, 17)); // 100 MiB, rounded down
        assertThat(Geometry.forSectors(65535L * 16 * 63)).isEqualTo(new Geometry(16191, 16, 255));
        assertThat(Geometry.forSectors(1L << 40)).isEqualTo(Geometry.MAX);
        assertThat(Geometry.forNewDisk(100 << 20, false).bytes()).isEqualTo(104865792);
        assertThat(Geometry.forNewDisk(100 << 20, true)).isEqualTo(new Geometry.Sizing(Geometry.MAX, 204800));
        assertThat(Geometry.forNewDisk(0, false).sectors()).isZero();
    }

    @Test
    void aDynamicHeaderEncodesToWhatItParses() throws ImageException {
        ParentLocator locator = new ParentLocator(ParentLocator.W2RU, 1, 24, 0x1000);
        DynamicHeader header = new DynamicHeader(-1, 1536, 0x10000, 51, 2 << 20, 0, UUID.randomUUID(), 77,
                "parent.vhd", List.of(locator));
        ByteBuffer bytes = header.encode();
        DynamicHeader parsed = DynamicHeader.parse(bytes, 512);
        assertThat(parsed.checksum()).isEqualTo(VhdFiles.checksum(bytes.array(), 36));
        assertThat(parsed.parentName()).isEqualTo("parent.vhd");
        assertThat(parsed.locators().getFirst()).isEqualTo(locator);
        assertThat(parsed.locators().subList(1, 8)).noneMatch(ParentLocator::present);
        assertThat(parsed.bitmapBytes()).isEqualTo(512);
        assertThat(parsed.tableOffset()).isEqualTo(1536);
        assertThatThrownBy(() -> DynamicHeader.parse(ByteBuffer.allocate(1024), 512)).isInstanceOf(ImageException.class)
                .hasMessage("vpc: dynamic disk header at 0x200: no 'cxsparse' cookie");
    }

    /** qemu's bitmap size: a bit per sector rounded up to whole sectors, none at all below 4 KiB blocks. */
    @Test
    void bitmapSizesAreQemus() {
        assertThat(header(512).bitmapBytes()).isZero();
        assertThat(header(4096).bitmapBytes()).isEqualTo(512);
        assertThat(header(4L << 20).bitmapBytes()).isEqualTo(1024);
        assertThat(BlockTable.bit(new byte[0], 5)).as("no bitmap: every sector present").isTrue();
        assertThat(BlockTable.bit(new byte[] {(byte) 0x80}, 0)).isTrue();
        assertThat(BlockTable.bit(new byte[] {(byte) 0x80}, 1)).isFalse();
        assertThat(BlockTable.sameBitsUntil(new byte[] {(byte) 0xff, (byte) 0xf0}, 0, 16, true)).isEqualTo(12);
    }

    private static DynamicHeader header(long blockSize) {
        return new DynamicHeader(-1, 1536, 0x10000, 1, blockSize, 0, new UUID(0, 0), 0, "", List.of());
    }

    @Test
    void locatorPathsDecodeInEitherByteOrder() {
        ParentLocator relative = new ParentLocator(ParentLocator.W2RU, 1, 0, 0);
        assertThat(relative.path(".\\base\\parent.vhd".getBytes(StandardCharsets.UTF_16LE))).contains("./base/parent.vhd");
        assertThat(relative.path("parent.vhd".getBytes(StandardCharsets.UTF_16BE))).contains("parent.vhd");
        ParentLocator mac = new ParentLocator(ParentLocator.MACX, 1, 0, 0);
        assertThat(mac.path("file://localhost/Users/a%20b/parent.vhd".getBytes(StandardCharsets.UTF_8)))
                .contains("/Users/a b/parent.vhd");
        assertThat(new ParentLocator(ParentLocator.MAC, 1, 0, 0).path(new byte[] {1, 2, 3})).isEqualTo(Optional.empty());
        assertThat(new ParentLocator(ParentLocator.W2KU, 600, 40, 0).reservedBytes()).isEqualTo(600);
        assertThat(new ParentLocator(ParentLocator.W2KU, 2, 40, 0).reservedBytes()).isEqualTo(1024);
    }

    @Test
    void optionsAreQemuImgs() throws InvalidRequest {
        VhdConfig defaults = (VhdConfig) TargetSpec.of("vpc").config();
        assertThat(defaults.fixed()).isFalse();
        assertThat(defaults.forceSize()).isFalse();
        VhdConfig fixed = (VhdConfig) TargetSpec.of("vpc").withOptions("subformat=FIXED,force_size=on").config();
        assertThat(fixed.fixed()).isTrue();
        assertThat(fixed.forceSize()).isTrue();
        assertThatThrownBy(() -> TargetSpec.of("vpc").withCompress(true).config())
                .hasMessage("Compression not supported for this file format");
        assertThatThrownBy(() -> TargetSpec.of("vpc").withBacking("base.vhd", "vpc").config())
                .hasMessage("Backing file not supported for file format 'vpc'");
        assertThatThrownBy(() -> TargetSpec.of("vpc").withOptions("subformat=sparse").config())
                .hasMessageStartingWith("Parameter 'subformat' does not accept value 'sparse'");
        assertThatThrownBy(() -> TargetSpec.of("vpc").withOptions("force_size=maybe").config())
                .hasMessage("Parameter 'force_size' expects 'on' or 'off'");
        assertThatThrownBy(() -> TargetSpec.of("vpc").withOptions("cluster_size=64k").config())
                .hasMessage("Invalid parameter 'cluster_size' for file format 'vpc'");
        assertThat(defaults.unitSize()).isEqualTo(4096);
        assertThat(((VhdConfig) TargetSpec.of("vpc").withSparseSize(0).config()).unitSize()).isEqualTo(1 << 20);
    }
}

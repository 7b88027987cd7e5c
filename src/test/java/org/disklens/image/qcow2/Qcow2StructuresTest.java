package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.junit.jupiter.api.Test;

/** The qcow2 structures decoded from byte arrays, as the spec lays them out. */
class Qcow2StructuresTest {

    /** A version 3 header for a 1 GiB disk with 64 KiB clusters and 16-bit refcounts. */
    private static ByteBuffer header() {
        ByteBuffer header = ByteBuffer.allocate(512);
        header.putInt(0, Qcow2Header.MAGIC).putInt(4, 3).putInt(20, 16).putLong(24, 1L << 30)
                .putInt(36, 2).putLong(40, 0x30000).putLong(48, 0x10000).putInt(56, 1)
                .putInt(96, 4).putInt(100, 112);
        return header;
    }

    @Test
    void decodesAVersion3Header() throws Exception {
        Qcow2Header header = Qcow2Header.parse(header());
        header.validate();
        assertThat(header.clusterSize()).isEqualTo(65536);
        assertThat(header.size()).isEqualTo(1L << 30);
        assertThat(header.l1Size()).isEqualTo(2);
        assertThat(header.refcountBits()).isEqualTo(16);
        assertThat(header.compat()).isEqualTo("1.1");
        assertThat(header.compressionName()).isEqualTo("zlib");
        assertThat(header.length()).isEqualTo(112);
    }

    @Test
    void version2HasFixedDefaults() throws Exception {
        ByteBuffer bytes = header().putInt(4, 2).putInt(96, 0).putInt(100, 0);
        Qcow2Header header = Qcow2Header.parse(bytes);
        header.validate();
        assertThat(header.refcountOrder()).isEqualTo(4);
        assertThat(header.length()).isEqualTo(72);
        assertThat(header.incompatibleFeatures()).isZero();
    }

    @Test
    void refusesWhatQemuRefuses() {
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(0, 0))).isInstanceOf(CorruptImage.class);
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(4, 4))).isInstanceOf(UnsupportedFeature.class)
                .hasMessage("qcow2: header at 0x4: unsupported version 4 (known: 2, 3)");
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(20, 22)).validate()).isInstanceOf(LimitExceeded.class);
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(20, 8)).validate()).isInstanceOf(LimitExceeded.class);
        assertThatThrownBy(() -> Qcow2Header.parse(header().putLong(72, 1L << 5)).validate())
                .isInstanceOf(UnsupportedFeature.class).hasMessageContaining("0x20");
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(96, 7)).validate()).isInstanceOf(CorruptImage.class);
        assertThatThrownBy(() -> Qcow2Header.parse(header().putInt(100, 100)).validate()).isInstanceOf(CorruptImage.class);
        assertThatThrownBy(() -> Qcow2Header.parse(header().putLong(8, 0x200).putInt(16, 2000)).validate())
                .isInstanceOf(CorruptImage.class).hasMessageContaining("1023");
        assertThatThrownBy(() -> Qcow2Header.parse(header().putLong(72, 1L << 4).putInt(20, 12)).validate())
                .hasMessageContaining("extended L2");
    }

    @Test
    void decodesHeaderExtensionsAndKeepsUnknownOnes() throws Exception {
        ByteBuffer cluster = ByteBuffer.allocate(4096);
        int at = 112;
        at = extension(cluster, at, Qcow2Extensions.BACKING_FORMAT, "qcow2".getBytes(StandardCharsets.US_ASCII));
        byte[] feature = new byte[48];
        feature[0] = 0;
        feature[1] = 0;
        System.arraycopy("dirty bit".getBytes(StandardCharsets.US_ASCII), 0, feature, 2, 9);
        at = extension(cluster, at, Qcow2Extensions.FEATURE_TABLE, feature);
        at = extension(cluster, at, 0x12345678, new byte[5]);
        at = extension(cluster, at, Qcow2Extensions.DATA_FILE, "disk.data".getBytes(StandardCharsets.US_ASCII));
        Qcow2Extensions extensions = Qcow2Extensions.parse(cluster, 112, 4096);
        assertThat(extensions.backingFormat()).contains("qcow2");
        assertThat(extensions.featureNames()).containsExactly(new Qcow2Extensions.FeatureName(0, 0, "dirty bit"));
        assertThat(extensions.unknown()).singleElement().extracting(Qcow2Extensions.Unknown::type).isEqualTo(0x12345678);
        assertThat(extensions.dataFile()).contains("disk.data");
    }

    @Test
    void anExtensionRunningPastItsAreaIsCorrupt() {
        ByteBuffer cluster = ByteBuffer.allocate(512);
        cluster.putInt(112, Qcow2Extensions.BACKING_FORMAT).putInt(116, 1000);
        assertThatThrownBy(() -> Qcow2Extensions.parse(cluster, 112, 512)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("0x70");
    }

    @Test
    void layoutArithmeticMatchesTheSpec() throws Exception {
        L2Layout plain = new L2Layout(Qcow2Header.parse(header()));
        assertThat(plain.l2Entries()).isEqualTo(8192);
        assertThat(plain.bytesPerL2()).isEqualTo(512L << 20);
        assertThat(plain.l1EntriesFor(1L << 30)).isEqualTo(2);
        L2Layout extended = new L2Layout(Qcow2Header.parse(header().putLong(72, 1L << 4)));
        assertThat(extended.l2Entries()).isEqualTo(4096);
        assertThat(extended.unitSize()).isEqualTo(2048);
    }

    private static int extension(ByteBuffer cluster, int at, int type, byte[] data) {
        cluster.putInt(at, type).putInt(at + 4, data.length).put(at + 8, data);
        return at + 8 + ((data.length + 7) & ~7);
    }
}

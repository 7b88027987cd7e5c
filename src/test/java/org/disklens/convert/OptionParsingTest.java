package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** qemu's option and size syntax, the decoded configurations, and the sparse extent header's bytes. */
class OptionParsingTest {
    @Test
    void optionStringsSplitOnCommasAndKeepDoubledOnes() throws InvalidRequest {
        assertThat(OptionString.parse("a=1,b=x,,y,c=")).containsExactly(Map.entry("a", "1"), Map.entry("b", "x,y"),
                Map.entry("c", ""));
        assertThat(OptionString.parse("")).isEmpty();
        assertThatThrownBy(() -> OptionString.parse("novalue")).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void sizesUseBinarySuffixes() {
        assertThat(QemuSize.parse("4096")).isEqualTo(4096);
        assertThat(QemuSize.parse("64k")).isEqualTo(65536);
        assertThat(QemuSize.parse("64K")).isEqualTo(65536);
        assertThat(QemuSize.parse("2M")).isEqualTo(2 << 20);
        assertThat(QemuSize.parse("1.5G")).isEqualTo(3L << 29);
        assertThat(QemuSize.parse("16T")).isEqualTo(16L << 40);
        assertThat(QemuSize.parse("512b")).isEqualTo(512);
        assertThatThrownBy(() -> QemuSize.parse("-1")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> QemuSize.parse("12x")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> QemuSize.parse("9E")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void qcow2DefaultsAreQemus() throws InvalidRequest {
        Qcow2Config config = (Qcow2Config) TargetConfig.of(TargetSpec.of("qcow2"));
        assertThat(config.version()).isEqualTo(3);
        assertThat(config.clusterSize()).isEqualTo(65536);
        assertThat(config.refcountOrder()).isEqualTo(4);
        assertThat(config.zstd()).isFalse();
        assertThat(config.preallocation()).isEqualTo(Preallocation.OFF);
        Qcow2Config v2 = (Qcow2Config) TargetConfig.of(TargetSpec.of("qcow2").withOptions("compat=v2,cluster_size=2M"));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.clusterBits()).isEqualTo(21);
    }

    @Test
    void vmdkDefaultsAreQemus() throws InvalidRequest {
        VmdkConfig config = (VmdkConfig) TargetConfig.of(TargetSpec.of("vmdk"));
        assertThat(config.subformat()).isEqualTo(VmdkConfig.Subformat.MONOLITHIC_SPARSE);
        assertThat(config.adapterType()).isEqualTo("ide");
        assertThat(config.hwVersion()).isEqualTo(4);
        assertThat(((VmdkConfig) TargetConfig.of(TargetSpec.of("vmdk").withOptions("compat6=on"))).hwVersion()).isEqualTo(6);
        assertThat(((VmdkConfig) TargetConfig.of(TargetSpec.of("vmdk").withOptions("adapter_type=LSILOGIC"))).adapterType())
                .isEqualTo("lsilogic");
    }

    @Test
    void sparseExtentHeaderBytesAreVmwares() {
        SparseExtentHeader header = new SparseExtentHeader(3, 0x30001, 204800, 128, 1, 20, 512, 0,
                SparseExtentHeader.GD_AT_END, 128, 1);
        ByteBuffer bytes = header.encode();
        assertThat(bytes.capacity()).isEqualTo(512);
        assertThat(new String(bytes.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("KDMV");
        assertThat(bytes.array()[73]).isEqualTo((byte) '\n');
        assertThat(bytes.array()[74]).isEqualTo((byte) ' ');
        assertThat(bytes.array()[75]).isEqualTo((byte) '\r');
        assertThat(bytes.array()[76]).isEqualTo((byte) '\n');
        assertThat(bytes.getShort(77)).isEqualTo((short) 1);
        assertThat(SparseExtentHeader.parse(bytes)).isEqualTo(header);
    }
}

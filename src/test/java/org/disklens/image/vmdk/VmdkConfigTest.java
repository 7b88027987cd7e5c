package org.disklens.image.vmdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.disklens.convert.TargetSpec;
import org.disklens.image.ImageException;
import org.disklens.image.InvalidRequest;
import org.junit.jupiter.api.Test;

/** VMDK's creation options decoded as qemu-img decodes them, and the sparse extent header's bytes. */
class VmdkConfigTest {
    @Test
    void vmdkDefaultsAreQemus() throws InvalidRequest {
        VmdkConfig config = (VmdkConfig) TargetSpec.of("vmdk").config();
        assertThat(config.subformat()).isEqualTo(VmdkConfig.Subformat.MONOLITHIC_SPARSE);
        assertThat(config.adapterType()).isEqualTo("ide");
        assertThat(config.hwVersion()).isEqualTo(4);
        assertThat(((VmdkConfig) TargetSpec.of("vmdk").withOptions("compat6=on").config()).hwVersion()).isEqualTo(6);
        assertThat(((VmdkConfig) TargetSpec.of("vmdk").withOptions("adapter_type=LSILOGIC").config()).adapterType())
                .isEqualTo("lsilogic");
    }

    @Test
    void sparseExtentHeaderBytesAreVmwares() throws ImageException {
        SparseHeader header = SparseHeader.ofNewExtent(3, 0x30001, 204800, 128, 1, 20, 512, 0, SparseHeader.GD_AT_END,
                128, 1);
        ByteBuffer bytes = header.encode();
        assertThat(bytes.capacity()).isEqualTo(512);
        assertThat(new String(bytes.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("KDMV");
        assertThat(bytes.array()[73]).isEqualTo((byte) '\n');
        assertThat(bytes.array()[74]).isEqualTo((byte) ' ');
        assertThat(bytes.array()[75]).isEqualTo((byte) '\r');
        assertThat(bytes.array()[76]).isEqualTo((byte) '\n');
        assertThat(bytes.getShort(77)).isEqualTo((short) 1);
        assertThat(SparseHeader.parse(bytes, 0)).isEqualTo(header);
    }
}

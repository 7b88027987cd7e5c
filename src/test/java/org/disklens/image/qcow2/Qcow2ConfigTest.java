package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import org.disklens.convert.TargetSpec;
import org.disklens.image.InvalidRequest;
import org.disklens.image.Preallocation;
import org.junit.jupiter.api.Test;

/** qcow2's creation options decoded as qemu-img decodes them. */
class Qcow2ConfigTest {
    @Test
    void qcow2DefaultsAreQemus() throws InvalidRequest {
        Qcow2Config config = (Qcow2Config) TargetSpec.of("qcow2").config();
        assertThat(config.version()).isEqualTo(3);
        assertThat(config.clusterSize()).isEqualTo(65536);
        assertThat(config.refcountOrder()).isEqualTo(4);
        assertThat(config.zstd()).isFalse();
        assertThat(config.preallocation()).isEqualTo(Preallocation.OFF);
        Qcow2Config v2 = (Qcow2Config) TargetSpec.of("qcow2").withOptions("compat=v2,cluster_size=2M").config();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.clusterBits()).isEqualTo(21);
    }
}

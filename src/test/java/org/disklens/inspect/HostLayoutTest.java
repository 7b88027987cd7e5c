package org.disklens.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host layout of formats that report no structures of their own: stored runs and holes, checked against
 * {@code qemu-img map}. (qcow2's structures: {@code image.qcow2.Qcow2HostLayoutTest}.)
 */
class HostLayoutTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requireQemu() {
        Qemu.require();
    }

    @Test
    void sparseRawFileIsDataAndHolesAsQemuImgMapSays() throws IOException {
        Qemu.create(dir, "sparse.raw", "raw", "", "8M");
        Qemu.io(dir, "sparse.raw", "raw", "write -P 9 1M 64k", "write -P 9 6M 128k");
        HostLayout layout = layout("sparse.raw", 4096);

        long qemuData = 0;
        for (JsonNode entry : Qemu.map(dir, "sparse.raw")) {
            qemuData += entry.get("data").asBoolean() ? entry.get("length").asLong() : 0;
        }
        assertThat(layout.total(HostRegion.DATA)).isEqualTo(qemuData);
        assertThat(layout.total(HostRegion.DATA) + layout.total(HostRegion.HOLE)).isEqualTo(8L << 20);
        assertThat(layout.bucketCount()).isLessThanOrEqualTo(4096);
    }

    private HostLayout layout(String file, int buckets) throws IOException {
        try (DiskImage image = new ImageOpener(OpenPolicy.DEFAULT).open(dir.resolve(file), Optional.empty())) {
            return HostLayout.of(image, buckets, ProgressListener.NONE);
        }
    }
}

package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.Units;
import org.disklens.inspect.AllocationSummary;
import org.disklens.testing.Cli;
import org.disklens.testing.Guests;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The space the guest has freed, as the window tells it, on a disk made by the reference tools (an ext4 whose deleted
 * files' blocks still hold data, wrapped as qcow2): the overview's story, the map's "stored, but free in the guest"
 * and the Partitions figures equal what {@code info --json} and {@code df --json} say.
 */
class GuestSpaceViewModelTest {
    @TempDir
    Path dir;

    private ImageViewModel image;

    @AfterEach
    void close() {
        if (image != null) {
            image.close();
        }
    }

    @Test
    void theFreedSpaceIsToldWithTheNumbersOfInfoAndDf() throws IOException {
        Path disk = Guests.diskWithFreedExt4(dir);
        long reclaimable = Cli.run("info", "--json", disk.toString()).json().get("reclaimable").asLong();
        JsonNode df = Cli.run("df", "--json", disk.toString()).json();
        long onDisk = Qemu.info(dir, "disk.qcow2").get("actual-size").asLong();
        assertThat(reclaimable).isGreaterThanOrEqualTo(Guests.FREED * 9 / 10);

        image = new ImageViewModel(disk, new SameThreadTaskRunner(), new ImageOpener(OpenPolicy.DEFAULT));
        image.load();

        assertThat(image.overview().reclaimableProperty().get()).isEqualTo("%s on disk; the guest uses %s of it — %s is "
                .formatted(Units.size(onDisk), Units.size(onDisk - reclaimable), Units.size(reclaimable))
                + "space the guest has freed, recoverable by converting with Shrink");
        AllocationSummary whole = image.allocation().wholeDiskProperty().get();
        assertThat(whole.totalFreeInGuest()).isEqualTo(reclaimable);
        assertThat(image.overview().guestView()).contains(new OverviewViewModel.Fact("Stored, but free in the guest",
                "%s (%s)".formatted(Units.size(reclaimable), Units.percent(reclaimable, 64L << 20))));

        JsonNode ext4 = df.get(0);
        assertThat(ext4.get("type").asText()).isEqualTo("ext4");
        PartitionsViewModel.Row row = image.partitions().rows().getFirst();
        var usage = row.usage().orElseThrow();
        assertThat(usage.size().getAsLong()).isEqualTo(ext4.get("size").asLong());
        assertThat(usage.used().getAsLong()).isEqualTo(ext4.get("used").asLong());
        assertThat(usage.available().getAsLong()).isEqualTo(ext4.get("available").asLong());
        assertThat(usage.reclaimable().getAsLong()).isEqualTo(ext4.get("reclaimable").asLong()).isEqualTo(reclaimable);
        assertThat(row.used()).isEqualTo("%s of %s (%d %%)".formatted(Units.size(ext4.get("used").asLong()),
                Units.size(ext4.get("size").asLong()), ext4.get("use%").asLong()));
        assertThat(row.free()).isEqualTo(Units.size(ext4.get("available").asLong()));
        assertThat(row.reclaimable()).isEqualTo(Units.size(reclaimable));
        assertThat(image.partitions().rows().get(1).fileSystem()).isEmpty();
        assertThat(image.partitions().rows().get(1).reclaimable()).isEmpty();
    }
}

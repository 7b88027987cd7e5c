package org.disklens.content.btrfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * File systems mkfs.btrfs spreads over several image files (mkfs.btrfs --rootdir takes one device only, so they are
 * empty), each opened alone as DiskLens sees a volume: mirrored profiles read from any device; striped ones read what
 * lies on the device and name the missing device (its number and UUID, as dump-super tells it) for the rest;
 * RAID5/6 are refused by name.
 */
class BtrfsMultiDeviceTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        Tools.require("mkfs.btrfs", "btrfs");
    }

    @ParameterizedTest(name = "-m {0} -d {1} on {2} devices")
    @CsvSource({"raid1, raid1, 2, true", "raid1c3, single, 3, true", "raid0, raid0, 2, false",
            "raid10, raid10, 4, false"})
    void eachDeviceReadsWhatItHoldsAndNamesWhatItLacks(String metadata, String data, int count, boolean mirrored)
            throws IOException {
        List<Path> devices = mkfs(metadata, data, count);
        List<String> uuids = new ArrayList<>();
        for (Path device : devices) {
            uuids.add(deviceUuid(device));
        }
        int refused = 0;
        for (int i = 0; i < count; i++) {
            try (FileBlockSource source = FileBlockSource.open(devices.get(i))) {
                FileSystem fs = new BtrfsType().open(source);
                assertThat(fs.list(fs.root())).isEmpty();
                List<long[]> free = new ArrayList<>();
                fs.freeRanges((offset, length) -> free.add(new long[] {offset, length}), ProgressListener.NONE);
                assertThat(free).isNotEmpty();
                assertThat(fs.warnings()).isEmpty();
            } catch (UnsupportedFeature missing) {
                assertThat(mirrored).as(missing.getMessage()).isFalse();
                Matcher needs = Pattern.compile("needs device (\\d+) of (\\d+) \\(uuid (\\S+)\\)").matcher(missing.getMessage());
                assertThat(needs.find()).as(missing.getMessage()).isTrue();
                int other = Integer.parseInt(needs.group(1));
                assertThat(other).isNotEqualTo(i + 1);
                assertThat(Integer.parseInt(needs.group(2))).isEqualTo(count);
                assertThat(needs.group(3)).isEqualTo(uuids.get(other - 1));
                assertThat(missing.getMessage()).startsWith("btrfs: ");
                refused++;
            }
        }
        assertThat(refused > 0).as("a striped profile needs the other devices").isEqualTo(!mirrored);
    }

    @ParameterizedTest(name = "-m {0} on {1} devices")
    @CsvSource({"raid5, 3", "raid6, 4"})
    void raid56IsRefusedByName(String profile, int count) throws IOException {
        List<Path> devices = mkfs(profile, profile, count);
        try (FileBlockSource source = FileBlockSource.open(devices.getFirst())) {
            ImageException refused = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedFeature.class,
                    () -> new BtrfsType().open(source));
            assertThat(refused.getMessage()).startsWith("btrfs: ").contains(profile.toUpperCase() + " is not read by DiskLens");
        }
    }

    private static List<Path> mkfs(String metadata, String data, int count) {
        List<String> command = new ArrayList<>(List.of("mkfs.btrfs", "-q", "-f", "-m", metadata, "-d", data));
        List<Path> devices = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Path device = dir.resolve("%s-%s-%d.dev%d".formatted(metadata, data, count, i));
            Tools.run(dir, "truncate", "-s", "128M", device.toString());
            devices.add(device);
            command.add(device.toString());
        }
        Tools.run(dir, command.toArray(String[]::new));
        return devices;
    }

    private static String deviceUuid(Path device) {
        Matcher uuid = Pattern.compile("dev_item.uuid\\s+(\\S+)").matcher(Tools.run(dir, "btrfs", "inspect-internal",
                "dump-super", device.toString()));
        assertThat(uuid.find()).isTrue();
        return uuid.group(1);
    }
}

package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vms --uses} and the backing chains of domains' disks (images made by qemu-img): a domain's declared
 * {@code <source>} is the administrator's choice and is read wherever it is; a backing file named inside an image
 * is followed only within that image's folder, as every other verb follows it, unless {@code --allow-outside}.
 */
class VmsBackingChainsTest {
    @TempDir
    Path dir;
    Path definitions;
    Path images;
    Path outside;

    @BeforeEach
    void makeHost() throws IOException {
        Qemu.require();
        definitions = Files.createDirectories(dir.resolve("qemu"));
        images = Files.createDirectories(dir.resolve("images"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Qemu.create(outside, "secret.qcow2", "qcow2", "", "16M");
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative-escape", "absolute-path", "symlink-out", "second-layer-escapes"})
    void aBackingFileAnImageNamesOutsideItsFolderIsNotFollowed(String variant) throws IOException {
        String disk = "top.qcow2";
        switch (variant) {
            case "relative-escape" -> overlay(images, disk, "../outside/secret.qcow2");
            case "absolute-path" -> overlay(images, disk, outside.resolve("secret.qcow2").toString());
            case "symlink-out" -> {
                Files.createSymbolicLink(images.resolve("link.qcow2"), outside.resolve("secret.qcow2"));
                overlay(images, disk, "link.qcow2");
            }
            default -> {
                overlay(images, "mid.qcow2", "../outside/secret.qcow2");
                overlay(images, disk, "mid.qcow2");
            }
        }
        domain("web01", images.resolve(disk));
        String secret = outside.resolve("secret.qcow2").toString();
        Cli.Result contained = Hostile.runSafely(images.resolve(disk), "vms", "--json", "--uses", secret,
                "--dir", definitions.toString());
        assertThat(contained.exitCode()).as(contained.err()).isZero();
        assertThat(contained.json()).as("the chain must stop at the image's folder").isEmpty();

        Cli.Result widened = Hostile.runSafely(images.resolve(disk), "vms", "--json", "--allow-outside", "--uses", secret,
                "--dir", definitions.toString());
        assertThat(widened.json()).hasSize(1);
        assertThat(widened.json().get(0).get("depth").asInt()).isEqualTo(variant.equals("second-layer-escapes") ? 2 : 1);
    }

    @Test
    void aDeclaredSourceAnywhereIsReadAndItsChainFollowedBesideIt() throws IOException {
        Qemu.create(outside, "base.qcow2", "qcow2", "", "16M");
        overlay(outside, "disk.qcow2", "base.qcow2");
        domain("db01", outside.resolve("disk.qcow2"));
        Cli.Result direct = Hostile.runSafely(outside.resolve("disk.qcow2"), "vms", "--json", "--uses",
                outside.resolve("disk.qcow2").toString(), "--dir", definitions.toString());
        assertThat(direct.json().get(0).get("depth").asInt()).isZero();
        Cli.Result backing = Hostile.runSafely(outside.resolve("disk.qcow2"), "vms", "--json", "--uses",
                outside.resolve("base.qcow2").toString(), "--dir", definitions.toString());
        assertThat(backing.json()).hasSize(1);
        assertThat(backing.json().get(0).get("depth").asInt()).isEqualTo(1);
    }

    private void overlay(Path folder, String name, String backing) {
        Qemu.img(folder, "create", "-q", "-f", "qcow2", "-u", "-b", backing, "-F", "qcow2", name, "16M");
    }

    private void domain(String name, Path source) throws IOException {
        Files.writeString(definitions.resolve(name + ".xml"), """
                <domain type="kvm">
                  <name>%s</name>
                  <uuid>0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9</uuid>
                  <devices>
                    <disk type="file" device="disk">
                      <driver name="qemu" type="qcow2"/>
                      <source file="%s"/>
                      <target dev="vda" bus="virtio"/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(name, source));
    }
}

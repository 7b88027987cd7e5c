package org.disklens.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Domain XMLs as libvirt writes them (src/test/resources/libvirt), pointing at real images made by qemu-img. */
class VirtualMachinesTest {
    static final Path RESOURCES = Path.of(System.getProperty("disklens.project.dir", "."), "src/test/resources/libvirt");

    @TempDir
    Path dir;
    Path definitions;
    Path images;

    @BeforeEach
    void makeHost() throws IOException {
        Qemu.require();
        images = Files.createDirectories(dir.resolve("images"));
        definitions = Files.createDirectories(dir.resolve("qemu"));
        Qemu.create(images, "web01.qcow2", "qcow2", "", "64M");
        Qemu.create(images, "web01-data.img", "raw", "", "16M");
        Qemu.create(images, "golden.qcow2", "qcow2", "", "64M");
        Qemu.img(images, "create", "-q", "-f", "qcow2", "-b", "golden.qcow2", "-F", "qcow2", "db01-overlay.qcow2");
        Tools.run(images, "truncate", "-s", "1M", "debian-12-netinst.iso");
        for (String name : new String[] {"web01.xml", "db01.xml"}) {
            Files.writeString(definitions.resolve(name), Files.readString(RESOURCES.resolve(name)).replace("IMAGES", images.toString()));
        }
    }

    @Test
    void listsDomainsAndTheirDisks() {
        Cli.Result result = Cli.run("vms", "--json", "--dir", definitions.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode web01 = result.json().get(1);
        assertThat(web01.get("name").asText()).isEqualTo("web01");
        assertThat(web01.get("uuid").asText()).isEqualTo("6f3b1c2a-4d5e-4f60-8a71-92b3c4d5e6f7");
        assertThat(web01.get("disks")).hasSize(3);
        assertThat(web01.get("disks").get(2).get("device").asText()).isEqualTo("cdrom");
        assertThat(web01.get("disks").get(0).get("driver-type").asText()).isEqualTo("qcow2");
        JsonNode db01 = result.json().get(0);
        assertThat(db01.get("disks").get(0).get("backing").get(0).get("source").asText()).endsWith("golden.qcow2");
    }

    @Test
    void findsDirectAndBackingUsesAndWarnsOfAMismatch() {
        Cli.Result direct = Cli.run("vms", "--uses", images.resolve("web01.qcow2").toString(), "--dir", definitions.toString());
        assertThat(direct.out()).contains("Used by: VM web01 (vda, virtio)");
        assertThat(direct.err()).isEmpty();

        Cli.Result backing = Cli.run("vms", "--json", "--uses", images.resolve("golden.qcow2").toString(), "--dir", definitions.toString());
        assertThat(backing.exitCode()).isZero();
        assertThat(backing.json()).hasSize(1);
        assertThat(backing.json().get(0).get("domain").asText()).isEqualTo("db01");
        assertThat(backing.json().get(0).get("depth").asInt()).isEqualTo(1);

        Cli.Result mismatch = Cli.run("vms", "--uses", images.resolve("db01-overlay.qcow2").toString(), "--dir", definitions.toString());
        assertThat(mismatch.err()).contains("disklens: warning: VM db01 declares raw but the file is qcow2");
    }

    @Test
    void aBackingLayerOfADiskDeclaredRawIsNotUsedAndSaysSo() {
        // db01 declares its qcow2 overlay raw: qemu reads the overlay's bytes and never opens golden.qcow2 below it.
        Cli.Result result = Cli.run("vms", "--uses", images.resolve("golden.qcow2").toString(), "--dir", definitions.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Used by: VM db01 (vda, virtio) as backing layer 1");
        assertThat(result.err()).isEqualTo("disklens: warning: VM db01 declares its disk (vda, virtio) raw, so qemu "
                + "never opens the backing chain: this file (backing layer 1) is not used\n");
    }

    @Test
    void aFoundBackingChainCountsEvenWhenTheDomainDoesNotDeclareIt() throws IOException {
        Files.writeString(definitions.resolve("db01.xml"), Files.readString(definitions.resolve("db01.xml"))
                .replaceAll("(?s)<backingStore type.*?</backingStore>", ""));
        Cli.Result result = Cli.run("vms", "--uses", images.resolve("golden.qcow2").toString(), "--dir", definitions.toString());
        assertThat(result.out()).contains("Used by: VM db01 (vda, virtio) as backing layer 1");
    }

    @Test
    void repointingChangesExactlyTheTwoValues() throws IOException {
        Path definition = definitions.resolve("web01.xml");
        String before = Files.readString(definition);
        Qemu.img(images, "convert", "-O", "raw", "web01.qcow2", "web01.raw");
        Cli.Result result = Cli.run("vms", "--repoint", "web01", "--from", images.resolve("web01.qcow2").toString(),
                "--to", images.resolve("web01.raw").toString(), "--dir", definitions.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("virsh define " + definition + ".disklens-new");
        assertThat(Files.readString(definition)).isEqualTo(before);
        String after = Files.readString(definitions.resolve("web01.xml.disklens-new"));
        String expected = before.replace("<driver name='qemu' type='qcow2' discard='unmap'/>", "<driver name='qemu' type='raw' discard='unmap'/>")
                .replace(images.resolve("web01.qcow2").toString(), images.resolve("web01.raw").toString());
        assertThat(after).isEqualTo(expected);
        assertThat(after).contains("WARNING: THIS IS AN AUTO-GENERATED FILE").contains("type='raw' cache='none'");
    }

    @Test
    void convertUpdatesTheDomainCopyAfterTheConversion() throws IOException {
        Path target = images.resolve("web01-converted.vmdk");
        Cli.Result result = Cli.run("convert", "-O", "vmdk", images.resolve("web01.qcow2").toString(), target.toString(),
                "--update-domain", "web01", "--libvirt-dir", definitions.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        String updated = Files.readString(definitions.resolve("web01.xml.disklens-new"));
        assertThat(updated).contains("<source file='" + target + "'/>").contains("<driver name='qemu' type='vmdk' discard='unmap'/>");
    }

    @Test
    void applyingInPlaceKeepsABackup() throws IOException {
        Path definition = definitions.resolve("db01.xml");
        String before = Files.readString(definition);
        Cli.Result result = Cli.run("vms", "--repoint", "db01", "--from", images.resolve("db01-overlay.qcow2").toString(),
                "--to", images.resolve("web01-data.img").toString(), "--apply-in-place", "--dir", definitions.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        try (var files = Files.list(definitions)) {
            Path backup = files.filter(path -> path.getFileName().toString().startsWith("db01.xml.disklens-backup-")).findFirst().orElseThrow();
            assertThat(Files.readString(backup)).isEqualTo(before);
        }
        assertThat(Files.readString(definition)).contains("<source file=\"" + images.resolve("web01-data.img") + "\" index=\"2\"/>")
                .contains("<backingStore type=\"file\" index=\"1\">");
    }

    @Test
    void aMalformedDefinitionIsNamedWithItsLineAndTheOthersStillList() throws IOException {
        Files.copy(RESOURCES.resolve("broken.xml"), definitions.resolve("broken.xml"));
        Cli.Result result = Cli.run("vms", "--dir", definitions.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("disklens: " + definitions.resolve("broken.xml") + ": line 6:").doesNotContain("\n");
        assertThat(result.out()).contains("web01").contains("db01");
    }

    @Test
    void externalEntitiesAreNeverResolved() throws IOException {
        Path entity = Files.copy(RESOURCES.resolve("entity.xml"), definitions.resolve("entity.xml"));
        assertThatThrownBy(() -> DomainXml.read(entity)).isInstanceOf(IOException.class).hasMessageContaining("DOCTYPE");
        Cli.Result result = Cli.run("vms", "--dir", definitions.toString());
        assertThat(result.err()).contains("entity.xml").contains("DOCTYPE");
        Path hostname = Path.of("/etc/hostname");
        if (Files.isReadable(hostname) && !Files.readString(hostname, StandardCharsets.UTF_8).isBlank()) {
            assertThat(result.out() + result.err()).doesNotContain(Files.readString(hostname, StandardCharsets.UTF_8).strip());
        }
    }
}

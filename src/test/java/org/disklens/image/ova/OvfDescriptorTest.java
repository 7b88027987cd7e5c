package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The descriptor record from bytes: both envelope versions, units, deployment options, refusals. */
class OvfDescriptorTest {

    private static OvfDescriptor parse(String xml) throws Exception {
        return OvfDescriptor.parse(xml.getBytes(StandardCharsets.UTF_8), "ovf", 0);
    }

    @Test
    void aVmwareStyleEnvelope() throws Exception {
        OvaFixtures.Ovf ovf = new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of("a.vmdk", 2L << 30).withSize(12345));
        ovf.networks = List.of("VM Network", "Storage");
        OvfDescriptor descriptor = parse(ovf.text());
        assertThat(descriptor.namespace()).isEqualTo(OvfDescriptor.OVF_1);
        assertThat(descriptor.versionName()).isEqualTo("1.x");
        assertThat(descriptor.name()).contains("web");
        assertThat(descriptor.osType()).contains("debian10_64Guest");
        assertThat(descriptor.osId()).hasValue(96);
        assertThat(descriptor.cpus()).hasValue(2);
        assertThat(descriptor.memoryBytes()).hasValue(2048L << 20);
        assertThat(descriptor.networks()).containsExactly("VM Network", "Storage");
        assertThat(descriptor.files()).singleElement().satisfies(file -> {
            assertThat(file.href()).isEqualTo("a.vmdk");
            assertThat(file.size()).hasValue(12345);
            assertThat(file.compression()).isEqualTo("none");
        });
        assertThat(descriptor.disks()).singleElement().satisfies(disk -> {
            assertThat(disk.capacityBytes()).hasValue(2L << 30);
            assertThat(disk.shortFormat()).isEqualTo("vmdk");
            assertThat(descriptor.fileOf(disk)).isPresent();
        });
    }

    @Test
    void aVirtualBoxStyleEnvelopeNamesTheSystemByItsIdAndTheOsByVboxOsType() throws Exception {
        OvaFixtures.Ovf ovf = new OvaFixtures.Ovf();
        ovf.vmware = false;
        ovf.memoryMb = 512;
        OvfDescriptor descriptor = parse(ovf.text());
        assertThat(descriptor.versionName()).isEqualTo("1.0");
        assertThat(descriptor.name()).isEmpty();
        assertThat(descriptor.systemId()).contains("web");
        assertThat(descriptor.osType()).contains("Debian_64");
        assertThat(descriptor.memoryBytes()).hasValue(512L << 20);
        assertThat(descriptor.disks()).isEmpty();
    }

    @Test
    void anOvf2EnvelopeWithDeploymentOptionsShowsTheDefaultConfiguration() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/2" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/2"
                    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
                  <References>
                    <File ovf:id="f1" ovf:href="disk.vmdk.gz" ovf:size="100" ovf:compression="gzip"/>
                    <File ovf:id="f2" ovf:href="big.vmdk" ovf:chunkSize="2147483648"/>
                  </References>
                  <DiskSection>
                    <Info>disks</Info>
                    <Disk ovf:diskId="d1" ovf:fileRef="f1" ovf:capacity="10" ovf:capacityAllocationUnits="byte * 2^30"
                          ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
                    <Disk ovf:diskId="d2" ovf:capacity="${disk2.size}" ovf:format="http://example.org/unknown-format"/>
                  </DiskSection>
                  <DeploymentOptionSection>
                    <Info>sizes</Info>
                    <Configuration ovf:id="small"><Label>Small</Label><Description>s</Description></Configuration>
                    <Configuration ovf:id="large" ovf:default="true"><Label>Large</Label><Description>l</Description></Configuration>
                  </DeploymentOptionSection>
                  <VirtualSystem ovf:id="vm">
                    <Info>vm</Info>
                    <Name>Sized VM</Name>
                    <OperatingSystemSection ovf:id="101"><Info>os</Info><Description>Ubuntu Linux (64-bit)</Description></OperatingSystemSection>
                    <VirtualHardwareSection>
                      <Info>hw</Info>
                      <Item ovf:configuration="small"><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
                      <Item ovf:configuration="medium large"><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>8</rasd:VirtualQuantity></Item>
                      <Item><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4</rasd:VirtualQuantity>
                        <rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits></Item>
                    </VirtualHardwareSection>
                  </VirtualSystem>
                </Envelope>
                """;
        OvfDescriptor descriptor = parse(xml);
        assertThat(descriptor.versionName()).isEqualTo("2.x");
        assertThat(descriptor.cpus()).hasValue(8);
        assertThat(descriptor.memoryBytes()).hasValue(4L << 30);
        assertThat(descriptor.osType()).contains("Ubuntu Linux (64-bit)");
        assertThat(descriptor.files()).extracting(OvfDescriptor.FileRef::compression).containsExactly("gzip", "none");
        assertThat(descriptor.files().get(1).chunkSize()).hasValue(2147483648L);
        assertThat(descriptor.disks().get(0).capacityBytes()).hasValue(10L << 30);
        assertThat(descriptor.disks().get(1).capacityBytes()).as("a property reference").isEmpty();
        assertThat(descriptor.disks().get(1).shortFormat()).isEqualTo("http://example.org/unknown-format");
        assertThat(descriptor.fileOf(descriptor.disks().get(1))).as("a blank disk").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "byte; 1", "bytes; 1", "; 1", "byte * 2^20; 1048576", "byte*2^30; 1073741824", "BYTE * 10^9; 1000000000",
        "byte * 1024; 1024", "byte * 2^10 * 2^10; 1048576", "MegaBytes; 1048576", "GigaBytes; 1073741824",
        "KB; 1024", "byte * 2^62; 4611686018427387904"})
    void allocationUnits(String units, long bytes) {
        assertThat(AllocationUnits.multiplier(units == null ? "" : units)).hasValue(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"hertz * 10^6", "byte * 2^64", "byte * 10^19", "furlongs", "byte * two",
        "byte * 2^", "byte * 3^40"})
    void unknownOrOverflowingUnitsAreUnknown(String units) {
        assertThat(AllocationUnits.multiplier(units)).isEmpty();
    }

    @Test
    void aQuantityTimesItsUnitsPast63BitsIsUnknown() {
        assertThat(AllocationUnits.bytes("9000000000", "byte * 2^40")).isEmpty();
        assertThat(AllocationUnits.bytes("16", "byte * 2^40")).isEqualTo(OptionalLong.of(16L << 40));
        assertThat(AllocationUnits.bytes("-1", "byte")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized; vmdk",
        "http://www.vmware.com/interfaces/specifications/vmdk.html#sparse; vmdk",
        "http://go.microsoft.com/fwlink/?LinkId=137171; vhd",
        "http://technet.microsoft.com/en-us/virtualserver/bb676673.aspx; vhd",
        "https://docs.microsoft.com/vhdx; vhdx",
        "http://www.gnome.org/~markmc/qcow-image-format.html; qcow2",
        "urn:raw; raw", "urn:example:other; urn:example:other"})
    void formatUrlsAreShortened(String url, String shortName) {
        assertThat(new OvfDescriptor.Disk("d", java.util.Optional.empty(), "", "", OptionalLong.empty(), url,
                OptionalLong.empty()).shortFormat()).isEqualTo(shortName);
    }

    @Test
    void anythingButAnOvfEnvelopeIsRefused() {
        assertThatThrownBy(() -> parse("<?xml version=\"1.0\"?><Envelope/>")).isInstanceOf(UnsupportedFeature.class)
                .hasMessageContaining("is not an OVF 1.x or 2.0 Envelope");
        assertThatThrownBy(() -> parse("<Envelope xmlns=\"http://www.vmware.com/schema/ovf/1/envelope\"/>"))
                .isInstanceOf(UnsupportedFeature.class);
        assertThatThrownBy(() -> parse("not xml at all")).isInstanceOf(CorruptImage.class)
                .hasMessageStartingWith("ovf: OVF descriptor at 0x0: not well-formed XML");
        assertThatThrownBy(() -> parse("")).isInstanceOf(CorruptImage.class);
    }

    @Test
    void aDoctypeIsRefusedBeforeAnyEntityIsRead() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE Envelope SYSTEM \"http://192.0.2.1/evil.dtd\">"
                + "<Envelope xmlns=\"" + OvfDescriptor.OVF_1 + "\"/>";
        assertThatThrownBy(() -> parse(xml)).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("refused: it has a DOCTYPE declaration");
        String xinclude = "<Envelope xmlns=\"" + OvfDescriptor.OVF_1 + "\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                + "<xi:include href=\"file:///etc/passwd\" parse=\"text\"/></Envelope>";
        assertThatNoPasswd(xinclude);
    }

    private static void assertThatNoPasswd(String xml) {
        try {
            OvfDescriptor descriptor = parse(xml);
            assertThat(descriptor.toString()).doesNotContain("root:");
        } catch (Exception refused) {
            assertThat(refused).isInstanceOf(CorruptImage.class);
        }
    }

    @Test
    void limitsAreErrors() {
        byte[] huge = new byte[OvfDescriptor.MAX_SIZE + 1];
        assertThatThrownBy(() -> OvfDescriptor.parse(huge, "ova", 512)).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("exceed the limit of 16777216");
        StringBuilder disks = new StringBuilder("<Envelope xmlns=\"%s\" xmlns:ovf=\"%s\"><DiskSection>"
                .formatted(OvfDescriptor.OVF_1, OvfDescriptor.OVF_1));
        for (int i = 0; i <= OvfDescriptor.MAX_DISKS; i++) {
            disks.append("<Disk ovf:diskId=\"d%d\" ovf:capacity=\"1\"/>".formatted(i));
        }
        disks.append("</DiskSection></Envelope>");
        assertThatThrownBy(() -> parse(disks.toString())).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("more than 256 disks");
    }

    @Test
    void manifestLinesInEachExportersSpelling() throws LimitExceeded {
        Manifest manifest = Manifest.parse(("SHA256(a.ovf)= " + "ab".repeat(32) + "\n"
                + "SHA1 (b.vmdk) = " + "CD".repeat(20) + "\r\n\n"
                + "SHA512(c.iso)= " + "0".repeat(128) + "\n"
                + "MD5(d)= 00\n" + "SHA256(e)= 1234\n").getBytes(StandardCharsets.UTF_8), "ova", 0);
        assertThat(manifest.entries()).extracting(Manifest.Entry::file).containsExactly("a.ovf", "b.vmdk", "c.iso");
        assertThat(manifest.entries().get(1).digest()).isEqualTo("cd".repeat(20));
        assertThat(manifest.entries().get(1).javaName()).isEqualTo("SHA-1");
        assertThat(manifest.problems()).hasSize(2);
    }

    @Test
    void aCertificateOfBlankLinesIsAnsweredFast() {
        byte[] blank = " \n\t\n".repeat(250_000).getBytes(StandardCharsets.US_ASCII);
        ManifestSignature result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(5), () -> ManifestSignature.verify(blank, new byte[0], "x.cert"));
        assertThat(result.valid()).isFalse();
        assertThat(result.message()).contains("has no \"SHA256(file.mf)= signature\" line");
    }
}

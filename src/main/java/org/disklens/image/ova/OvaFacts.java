package org.disklens.image.ova;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.disklens.image.DiskImage;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;

/** The header sheet (tar members, the descriptor's facts, the disk's own fields) and the File layout of an OVA. */
final class OvaFacts {
    private static final String MEMBERS = "Tar members (ova)";
    private static final String OVF = "OVF descriptor";

    private OvaFacts() {
    }

    static List<HeaderField> headerFields(OvaImage image) {
        List<HeaderField> fields = new ArrayList<>();
        OvfDescriptor descriptor = image.descriptor();
        image.tar().ifPresent(tar -> {
            for (TarIndex.Member member : tar.members()) {
                fields.add(new HeaderField(MEMBERS, TarIndex.shown(member.name()),
                        "%s at %s".formatted(OvaImage.size(member.size()), Units.hex(member.dataOffset())),
                        role(image, member), member.headerOffset()));
            }
        });
        long at = image.descriptorOffset();
        fields.add(new HeaderField(OVF, "Envelope", "OVF %s (%s)".formatted(descriptor.versionName(), descriptor.namespace()),
                "the descriptor's XML namespace says which OVF version it follows", at));
        descriptor.systemId().ifPresent(id -> fields.add(new HeaderField(OVF, "VirtualSystem ovf:id", TarIndex.shown(id),
                "the virtual machine's identifier", -1)));
        descriptor.name().ifPresent(name -> fields.add(new HeaderField(OVF, "Name", TarIndex.shown(name),
                "the virtual machine's name", -1)));
        if (descriptor.osId().isPresent() || descriptor.osType().isPresent()) {
            String os = descriptor.osType().map(TarIndex::shown).orElse("")
                    + (descriptor.osId().isPresent() ? " (CIM code %d)".formatted(descriptor.osId().getAsLong()) : "");
            fields.add(new HeaderField(OVF, "OperatingSystemSection", os.strip(),
                    "the guest operating system: ovf:id is its CIM code; vmw:osType or the Description names it", -1));
        }
        descriptor.cpus().ifPresent(cpus -> fields.add(new HeaderField(OVF, "CPUs (ResourceType 3)",
                Long.toString(cpus), "virtual processors", -1)));
        descriptor.memory().ifPresent(memory -> fields.add(new HeaderField(OVF, "Memory (ResourceType 4)",
                descriptor.memoryBytes().isPresent() ? "%s (%s)".formatted(Units.size(descriptor.memoryBytes().getAsLong()),
                        TarIndex.shown(memory)) : TarIndex.shown(memory), "VirtualQuantity in AllocationUnits", -1)));
        for (String network : descriptor.networks()) {
            fields.add(new HeaderField(OVF, "Network", TarIndex.shown(network), "a logical network the VM connects to", -1));
        }
        for (OvfDescriptor.FileRef file : descriptor.files()) {
            String size = file.size().isPresent() ? OvaImage.size(file.size().getAsLong()) : "size not given";
            fields.add(new HeaderField(OVF, "File " + TarIndex.shown(file.id()),
                    "%s, %s, compression %s%s".formatted(TarIndex.shown(file.href()), size, file.compression(),
                            file.chunkSize().isPresent() ? ", chunks of " + file.chunkSize().getAsLong() : ""),
                    "References: a file of the package (ovf:href, ovf:size, ovf:compression)", -1));
        }
        int number = 1;
        for (OvfDescriptor.Disk disk : descriptor.disks()) {
            String capacity = disk.capacityBytes().isPresent() ? OvaImage.size(disk.capacityBytes().getAsLong())
                    : TarIndex.shown(disk.capacity() + " " + disk.capacityUnits());
            fields.add(new HeaderField(OVF, "Disk %d (%s)".formatted(number++, TarIndex.shown(disk.diskId())),
                    "%s, file %s, format %s%s".formatted(capacity, TarIndex.shown(disk.fileRef().orElse("(none)")),
                            TarIndex.shown(disk.shortFormat()), disk.populatedSize().isPresent()
                                    ? ", populated " + Units.size(disk.populatedSize().getAsLong()) : ""),
                    "DiskSection: ovf:capacity in ovf:capacityAllocationUnits, ovf:fileRef, ovf:format", -1));
        }
        Optional<DiskImage> disk = image.disk();
        if (disk.isPresent()) {
            String prefix = "Disk %d: ".formatted(image.diskIndex() + 1);
            for (HeaderField field : disk.get().headerFields()) {
                long offset = field.hostOffset() < 0 || image.shift() < 0 ? -1 : image.shift() + field.hostOffset();
                fields.add(new HeaderField(prefix + field.group(), field.name(), field.value(), field.description(), offset));
            }
        }
        return List.copyOf(fields);
    }

    private static String role(OvaImage image, TarIndex.Member member) {
        if (member.dataOffset() == image.descriptorOffset()) {
            return "the OVF descriptor";
        }
        if (OvaCheck.isManifest(member.name())) {
            return "the manifest: digests of the other files";
        }
        if (OvaCheck.isCertificate(member.name())) {
            return "the certificate: the manifest's signature";
        }
        if (member.dataOffset() == image.shift()) {
            return "disk %d, shown".formatted(image.diskIndex() + 1);
        }
        return diskHrefs(image).contains(member.name()) ? "a disk" : "a file of the package";
    }

    private static Set<String> diskHrefs(OvaImage image) {
        Set<String> hrefs = new HashSet<>();
        for (OvfDescriptor.Disk disk : image.descriptor().disks()) {
            image.descriptor().fileOf(disk).ifPresent(file -> hrefs.add(file.href()));
        }
        return hrefs;
    }

    /** Headers, descriptor, manifest, the shown disk (its own regions), other disks and files, padding. */
    static void describeTar(OvaImage image, HostRegion.Sink sink, ProgressListener progress) throws IOException {
        TarIndex tar = image.tar().orElseThrow();
        Set<String> disks = diskHrefs(image);
        long fileSize = tar.fileSize();
        long at = 0;
        for (TarIndex.Member member : tar.members()) {
            progress.checkCancelled();
            if (member.headerOffset() > at) {
                sink.accept(OvaRegions.TAR_HEADERS, at, member.headerOffset() - at);
            }
            sink.accept(OvaRegions.TAR_HEADERS, member.headerOffset(), member.dataOffset() - member.headerOffset());
            if (member.size() > 0) {
                if (member.dataOffset() == image.descriptorOffset()) {
                    sink.accept(OvaRegions.DESCRIPTOR, member.dataOffset(), member.size());
                } else if (OvaCheck.isManifest(member.name()) || OvaCheck.isCertificate(member.name())) {
                    sink.accept(OvaRegions.MANIFEST, member.dataOffset(), member.size());
                } else if (image.disk().isPresent() && member.dataOffset() == image.shift()) {
                    image.describeDisk(sink, progress, member.size());
                } else {
                    sink.accept(disks.contains(member.name()) ? OvaRegions.OTHER_DISKS : OvaRegions.OTHER_FILES,
                            member.dataOffset(), member.size());
                }
            }
            long padded = Math.min(fileSize, member.paddedEnd());
            if (padded > member.end()) {
                sink.accept(OvaRegions.PADDING, member.end(), padded - member.end());
            }
            at = padded;
            progress.progress(at, fileSize);
        }
        if (fileSize > at) {
            sink.accept(OvaRegions.PADDING, at, fileSize - at);
        }
        progress.progress(fileSize, fileSize);
    }
}

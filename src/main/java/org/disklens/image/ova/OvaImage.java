package org.disklens.image.ova;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageException;
import org.disklens.image.ImageFormat;
import org.disklens.image.ImageFormats;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.image.RefusedReference;
import org.disklens.image.UnsupportedFeature;
import org.disklens.image.Units;
import org.disklens.io.BlockSource;

/**
 * An OVF appliance, packed (OVA: a tar) or loose (an {@code .ovf} beside its files): the virtual machine its
 * descriptor describes, and one of its disks (the first, or {@code --disk N}) as the guest disk. The disk is opened
 * by its own format driver, probed by content, over the OVA member in place (a slice of the OVA) or over the file
 * beside the OVF; every mapping of an OVA's disk is translated to the OVA file's offsets. See
 * {@code package-info.java}.
 */
final class OvaImage implements DiskImage {
    private final String format;
    private final BlockSource source;
    private final OvfDescriptor descriptor;
    private final long descriptorOffset;
    private final long descriptorLength;
    private final Optional<TarIndex> tar;
    private final ApplianceFiles files;
    private final int diskIndex;
    private final DiskImage disk;
    private final BlockSource diskSource;
    private final long shift;

    private OvaImage(String format, BlockSource source, OvfDescriptor descriptor, long descriptorOffset,
                     long descriptorLength, Optional<TarIndex> tar, ApplianceFiles files, int diskIndex, DiskImage disk,
                     BlockSource diskSource, long shift) {
        this.format = format;
        this.source = source;
        this.descriptor = descriptor;
        this.descriptorOffset = descriptorOffset;
        this.descriptorLength = descriptorLength;
        this.tar = tar;
        this.files = files;
        this.diskIndex = diskIndex;
        this.disk = disk;
        this.diskSource = diskSource;
        this.shift = shift;
    }

    /**
     * Opens the appliance whose descriptor is parsed: picks the disk ({@code disk} option, 1-based; the first by
     * default), refuses what cannot be read in place, and opens the disk with its own driver.
     */
    static OvaImage open(String format, BlockSource source, OvfDescriptor descriptor, long descriptorOffset,
                         long descriptorLength, Optional<TarIndex> tar, ApplianceFiles files, OpenContext context)
            throws IOException {
        int index = chosenDisk(context.option("disk"), descriptor.disks().size(), format, source.name());
        if (index < 0) {
            return new OvaImage(format, source, descriptor, descriptorOffset, descriptorLength, tar, files, -1, null,
                    null, ApplianceFiles.OWN_FILE);
        }
        OvfDescriptor.Disk chosen = descriptor.disks().get(index);
        String where = "disk %d of %s".formatted(index + 1, source.name());
        OvfDescriptor.FileRef file = descriptor.fileOf(chosen).orElseThrow(() -> new UnsupportedFeature(
                "%s: %s ('%s') has no file in References (ovf:fileRef '%s'): a blank disk, created when the appliance is deployed"
                        .formatted(format, where, TarIndex.shown(chosen.diskId()),
                                TarIndex.shown(chosen.fileRef().orElse("")))));
        String shownHref = TarIndex.shown(file.href());
        if (file.compression().equals("gzip")) {
            throw new UnsupportedFeature(("%s: %s (%s) is gzip-compressed (ovf:compression): it cannot be read in place; "
                    + "DiskLens reads it only after %s`gunzip`").formatted(format, where, shownHref,
                    tar.isPresent() ? "`tar -xf %s %s` and ".formatted(source.name(), shownHref) : ""));
        }
        if (!file.compression().equals("none")) {
            throw new UnsupportedFeature("%s: %s (%s) is compressed with '%s' (ovf:compression), which DiskLens does not read"
                    .formatted(format, where, shownHref, TarIndex.shown(file.compression())));
        }
        if (file.chunkSize().isPresent()) {
            throw new UnsupportedFeature("%s: %s (%s) is split into chunks of %d bytes (ovf:chunkSize); join them first"
                    .formatted(format, where, shownHref, file.chunkSize().getAsLong()));
        }
        ApplianceFiles.Opened opened = files.open(file.href(), "disk");
        DiskImage disk;
        try {
            disk = openDisk(opened.source(), chosen, format, where + " (" + shownHref + ")",
                    innerContext(format, where, file.href(), context, tar.isPresent()));
        } catch (IOException | RuntimeException failure) {
            opened.close();
            throw failure;
        }
        return new OvaImage(format, source, descriptor, descriptorOffset, descriptorLength, tar, files, index, disk,
                opened.source(), opened.shift());
    }

    /** 0-based index of the disk to show; -1 when the appliance has no disks and none was asked for. */
    static int chosenDisk(Optional<String> option, int count, String format, String name) throws ImageException {
        if (option.isEmpty()) {
            return count == 0 ? -1 : 0;
        }
        int number;
        try {
            number = Integer.parseInt(option.get().strip());
        } catch (NumberFormatException notANumber) {
            number = 0;
        }
        if (number < 1) {
            throw new ImageException("%s: --disk wants a disk number from 1, not '%s'".formatted(format,
                    TarIndex.shown(option.get())));
        }
        if (number > count) {
            throw new ImageException("%s: %s has %s; there is no disk %d".formatted(format, name,
                    count == 0 ? "no disks" : count == 1 ? "1 disk" : count + " disks", number));
        }
        return number - 1;
    }

    /**
     * A disk inside an OVA must be whole: any file it refers to (a VMDK extent) is refused. A loose OVF's disk may
     * refer to files beside it, relative to its own folder, through the open policy.
     */
    private static OpenContext innerContext(String format, String where, String href, OpenContext outer, boolean packed) {
        if (packed) {
            return (reference, purpose) -> {
                throw new RefusedReference("%s: %s refers to %s '%s'; a disk inside an OVA must be self-contained"
                        .formatted(format, where, purpose, TarIndex.shown(reference)));
            };
        }
        int slash = href.lastIndexOf('/');
        String folder = slash < 0 ? "" : href.substring(0, slash + 1);
        return (reference, purpose) -> outer.openReference(
                reference.startsWith("/") || OpenPolicy.isPseudoPath(reference) ? reference : folder + reference, purpose);
    }

    private static DiskImage openDisk(BlockSource file, OvfDescriptor.Disk declared, String format, String where,
                                      OpenContext context) throws IOException {
        DiskImage disk;
        try {
            ImageFormat driver = ImageFormats.probe(file);
            if (driver.name().equals("ova") || driver.name().equals("ovf")) {
                throw new UnsupportedFeature("%s: %s is itself an %s package, not a disk image".formatted(format, where,
                        driver.name().toUpperCase(Locale.ROOT)));
            }
            Optional<String> expected = driverFor(declared.shortFormat());
            if (expected.isPresent() && !expected.get().equals(driver.name())) {
                throw ImageFormats.byName(expected.get()).isPresent()
                        ? new CorruptImage("%s: %s is declared %s (ovf:format) but its content is not a %s image"
                                .formatted(format, where, declared.shortFormat(), declared.shortFormat()))
                        : new UnsupportedFeature("%s: %s is a %s disk (ovf:format), which DiskLens does not read"
                                .formatted(format, where, declared.shortFormat()));
            }
            disk = driver.open(file, context);
        } catch (ImageException | EOFException failure) {
            throw inDisk(where, failure);
        }
        if (disk.backing().isPresent()) {
            String parent = disk.backing().get().name();
            disk.close();
            throw new UnsupportedFeature("%s: %s is a differencing image (backing file '%s'); an appliance's disks must be whole"
                    .formatted(format, where, TarIndex.shown(parent)));
        }
        return disk;
    }

    /** The format driver an {@code ovf:format} names, where DiskLens has a name for it. */
    private static Optional<String> driverFor(String shortFormat) {
        return Optional.ofNullable(switch (shortFormat) {
            case "vmdk" -> "vmdk";
            case "vhd" -> "vpc";
            case "vhdx" -> "vhdx";
            case "qcow2" -> "qcow2";
            case "vdi" -> "vdi";
            default -> null;
        });
    }

    /** The disk driver's error, said to be about this disk. */
    private static ImageException inDisk(String where, IOException failure) {
        String message = where + ": " + failure.getMessage();
        ImageException said = switch (failure) {
            case CorruptImage corrupt -> new CorruptImage(message);
            case LimitExceeded limit -> new LimitExceeded(message);
            case UnsupportedFeature unsupported -> new UnsupportedFeature(message);
            case RefusedReference refused -> new RefusedReference(message);
            case EOFException eof -> new CorruptImage(message);
            default -> new ImageException(message);
        };
        said.initCause(failure);
        return said;
    }

    // ---- facts ----

    @Override
    public String format() {
        return format;
    }

    @Override
    public String formatTitle() {
        int count = descriptor.disks().size();
        String disks = count > 1 && diskIndex >= 0 ? "disk %d of %d".formatted(diskIndex + 1, count)
                : count == 1 ? "1 disk" : count + " disks";
        return format.equals("ova") ? "OVA (OVF %s, %s)".formatted(descriptor.versionName(), disks)
                : "OVF %s (%s)".formatted(descriptor.versionName(), disks);
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return disk == null ? 0 : disk.virtualSize();
    }

    OvfDescriptor descriptor() {
        return descriptor;
    }

    Optional<TarIndex> tar() {
        return tar;
    }

    ApplianceFiles files() {
        return files;
    }

    /** The disk shown, if the appliance has one. */
    Optional<DiskImage> disk() {
        return Optional.ofNullable(disk);
    }

    int diskIndex() {
        return diskIndex;
    }

    long descriptorOffset() {
        return descriptorOffset;
    }

    @Override
    public OptionalInt clusterSize() {
        return disk == null ? OptionalInt.empty() : disk.clusterSize();
    }

    @Override
    public boolean hasDirtyFlag() {
        return disk != null && disk.hasDirtyFlag();
    }

    @Override
    public boolean dirty() {
        return disk != null && disk.dirty();
    }

    @Override
    public boolean encrypted() {
        return disk != null && disk.encrypted();
    }

    @Override
    public List<FeatureFlag> features() {
        List<FeatureFlag> flags = new ArrayList<>();
        flags.add(new FeatureFlag("disks", Integer.toString(descriptor.disks().size()), FeatureFlag.Concern.NEUTRAL));
        tar.ifPresent(index -> {
            boolean manifest = index.members().stream().anyMatch(member -> OvaCheck.isManifest(member.name()));
            boolean certificate = index.members().stream().anyMatch(member -> OvaCheck.isCertificate(member.name()));
            flags.add(new FeatureFlag("manifest", manifest ? "yes" : "none",
                    manifest ? FeatureFlag.Concern.GOOD : FeatureFlag.Concern.NEUTRAL));
            flags.add(new FeatureFlag("signed", certificate ? "yes (certificate)" : "no", FeatureFlag.Concern.NEUTRAL));
        });
        if (disk != null) {
            flags.addAll(disk.features());
        }
        return flags;
    }

    /**
     * {@code name}, {@code os-type}, {@code cpus}, {@code memory} (bytes), {@code networks} and {@code disks}
     * ({@code href}, {@code format}, {@code capacity} in bytes, {@code compression}); what the descriptor does not say
     * is left out.
     */
    @Override
    public Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        Map<String, Object> data = new LinkedHashMap<>();
        descriptor.name().or(descriptor::systemId).ifPresent(name -> data.put("name", name));
        descriptor.osType().ifPresent(type -> data.put("os-type", type));
        descriptor.cpus().ifPresent(cpus -> data.put("cpus", cpus));
        descriptor.memoryBytes().ifPresent(bytes -> data.put("memory", bytes));
        data.put("networks", descriptor.networks());
        List<Map<String, Object>> disks = new ArrayList<>();
        for (OvfDescriptor.Disk each : descriptor.disks()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            Optional<OvfDescriptor.FileRef> file = descriptor.fileOf(each);
            file.ifPresent(ref -> fields.put("href", ref.href()));
            fields.put("format", each.shortFormat());
            each.capacityBytes().ifPresent(bytes -> fields.put("capacity", bytes));
            fields.put("compression", file.map(OvfDescriptor.FileRef::compression).orElse("none"));
            disks.add(fields);
        }
        data.put("disks", disks);
        return data;
    }

    @Override
    public List<HeaderField> headerFields() {
        return OvaFacts.headerFields(this);
    }

    // ---- mapping ----

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        Mapping mapping = disk.map(guestOffset, maxLength);
        return shift == ApplianceFiles.OWN_FILE ? mapping : translated(mapping);
    }

    /** An OVA disk's mapping, with host offsets in the OVA file rather than in the member. */
    private Mapping translated(Mapping mapping) {
        return switch (mapping) {
            case Mapping.Data data -> data.source() == diskSource
                    ? new Mapping.Data(source, shift + data.hostOffset(), data.length()) : data;
            case Mapping.Zero zero -> zero.hasHostOffset() ? new Mapping.Zero(zero.length(), shift + zero.hostOffset()) : zero;
            case Mapping.Unallocated unallocated -> unallocated.hasHostOffset()
                    ? new Mapping.Unallocated(unallocated.length(), shift + unallocated.hostOffset()) : unallocated;
            case Mapping.Compressed compressed -> new Mapping.Compressed(compressed.length(),
                    shift + compressed.hostOffset(), compressed.offsetInUnit(), new ShiftedUnit(compressed.unit(), shift));
            case Mapping.Encrypted encrypted -> new Mapping.Encrypted(encrypted.length(), shift + encrypted.hostOffset());
        };
    }

    /** A compressed unit of an OVA's disk, placed in the OVA file; decoded by the disk's own driver. */
    record ShiftedUnit(Mapping.CompressedUnit unit, long shift) implements Mapping.CompressedUnit {
        @Override
        public long hostOffset() {
            return shift + unit.hostOffset();
        }

        @Override
        public int decodedSize() {
            return unit.decodedSize();
        }

        @Override
        public void decodeInto(ByteBuffer dst) throws IOException {
            unit.decodeInto(dst);
        }
    }

    @Override
    public boolean recurseIntoHostAllocation(Mapping.Data data) throws IOException {
        if (disk == null) {
            return false;
        }
        if (shift == ApplianceFiles.OWN_FILE) {
            return disk.recurseIntoHostAllocation(data);
        }
        return data.source() == source && disk.recurseIntoHostAllocation(
                new Mapping.Data(diskSource, data.hostOffset() - shift, data.length()));
    }

    // ---- check and layout ----

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new OvaCheck(this, progress).run());
    }

    @Override
    public List<HostRegion> hostRegions() {
        LinkedHashSet<HostRegion> regions = new LinkedHashSet<>();
        if (tar.isPresent()) {
            regions.add(OvaRegions.TAR_HEADERS);
        }
        regions.add(OvaRegions.DESCRIPTOR);
        if (tar.isPresent()) {
            regions.add(OvaRegions.MANIFEST);
            if (disk != null) {
                regions.addAll(disk.hostRegions());
            }
            regions.add(OvaRegions.OTHER_DISKS);
            regions.add(OvaRegions.OTHER_FILES);
            regions.add(OvaRegions.PADDING);
        }
        return List.copyOf(regions);
    }

    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        if (tar.isEmpty()) {
            sink.accept(OvaRegions.DESCRIPTOR, 0, source.size());
            return;
        }
        OvaFacts.describeTar(this, sink, progress);
    }

    /** Lays the shown disk's own regions onto the OVA file. */
    void describeDisk(HostRegion.Sink sink, ProgressListener progress, long memberSize) throws IOException {
        disk.describeHost((region, hostOffset, length) -> {
            long end = Math.min(memberSize, hostOffset + length);
            if (hostOffset >= 0 && end > hostOffset) {
                sink.accept(region, shift + hostOffset, end - hostOffset);
            }
        }, progress);
    }

    long shift() {
        return shift;
    }

    long descriptorLength() {
        return descriptorLength;
    }

    /** The OVA file's, or the OVF's and its disk file's. */
    @Override
    public long allocatedBytes() throws IOException {
        long bytes = source.allocatedBytes();
        return shift == ApplianceFiles.OWN_FILE && disk != null ? bytes + disk.allocatedBytes() : bytes;
    }

    @Override
    public void close() throws IOException {
        try {
            if (disk != null) {
                disk.close();
            }
        } finally {
            source.close();
        }
    }

    static String size(long bytes) {
        return "%s (%s)".formatted(Units.size(bytes), Units.exactBytes(bytes));
    }
}

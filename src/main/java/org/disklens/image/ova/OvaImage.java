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
import org.disklens.image.SequentialOnly;
import org.disklens.image.UnsupportedFeature;
import org.disklens.image.Units;
import org.disklens.io.BlockSource;

/**
 * An OVF appliance, packed (OVA: a tar) or loose (an {@code .ovf} beside its files): the virtual machine its
 * descriptor describes, and one of its disks (the first, or {@code --disk N}) as the guest disk. The disk is opened
 * by its own format driver, probed by content, over the OVA member in place (a slice of the OVA) or over the file
 * beside the OVF; every mapping of an OVA's disk is translated to the OVA file's offsets. A gzip-compressed disk is
 * read only by a caller that reads from start to end ({@code access=sequential}: a conversion), through
 * {@link InflatedMember}; its mappings point into the inflated bytes. See {@code package-info.java}.
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
    /** The disk is gzip-compressed: its mappings point into the inflated bytes, not into the OVA file. */
    private final boolean inflated;
    /** The open option that says how the caller reads ({@code OpenContext.option}); convert.SourceImage sets it. */
    static final String ACCESS_OPTION = "access";
    static final String ACCESS_SEQUENTIAL = "sequential";

    private OvaImage(String format, BlockSource source, OvfDescriptor descriptor, long descriptorOffset,
                     long descriptorLength, Optional<TarIndex> tar, ApplianceFiles files, int diskIndex, DiskImage disk,
                     BlockSource diskSource, long shift, boolean inflated) {
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
        this.inflated = inflated;
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
                    null, ApplianceFiles.OWN_FILE, false);
        }
        OvfDescriptor.Disk chosen = descriptor.disks().get(index);
        String where = "disk %d of %s".formatted(index + 1, source.name());
        OvfDescriptor.FileRef file = descriptor.fileOf(chosen).orElseThrow(() -> new UnsupportedFeature(
                "%s: %s ('%s') has no file in References (ovf:fileRef '%s'): a blank disk, created when the appliance is deployed"
                        .formatted(format, where, TarIndex.shown(chosen.diskId()),
                                TarIndex.shown(chosen.fileRef().orElse("")))));
        String shownHref = TarIndex.shown(file.href());
        boolean gzip = file.compression().equals("gzip");
        if (gzip && !readsSequentially(context)) {
            throw new SequentialOnly(("%s: %s (%s) is gzip-compressed (ovf:compression): it can be read only from "
                    + "start to end, as a conversion does: disklens convert%s -O qcow2 %s %s").formatted(format, where,
                    shownHref, index == 0 ? "" : " --disk " + (index + 1), source.name(), convertedName(file.href())));
        }
        if (!gzip && !file.compression().equals("none")) {
            throw new UnsupportedFeature("%s: %s (%s) is compressed with '%s' (ovf:compression), which DiskLens does not read"
                    .formatted(format, where, shownHref, TarIndex.shown(file.compression())));
        }
        if (file.chunkSize().isPresent()) {
            throw new UnsupportedFeature("%s: %s (%s) is split into chunks of %d bytes (ovf:chunkSize); join them first"
                    .formatted(format, where, shownHref, file.chunkSize().getAsLong()));
        }
        ApplianceFiles.Opened opened = files.open(file.href(), "disk");
        String named = where + " (" + shownHref + ")";
        BlockSource diskFile = opened.source();
        DiskImage disk;
        try {
            if (gzip) {
                diskFile = InflatedMember.open(opened.source(), format + ": " + named,
                        InflatedMember.limitFor(chosen.capacityBytes()), InflatedMember.limitReason(chosen.capacityBytes()),
                        context.progress());
            }
            disk = openDisk(diskFile, chosen, format, named, innerContext(format, where, file.href(), context, tar.isPresent()));
        } catch (IOException | RuntimeException failure) {
            if (diskFile != opened.source()) {
                diskFile.close();
            }
            opened.close();
            throw failure;
        }
        return new OvaImage(format, source, descriptor, descriptorOffset, descriptorLength, tar, files, index, disk,
                diskFile, opened.shift(), gzip);
    }

    /**
     * Whether the caller reads the disk from start to end ({@code access=sequential}, as a conversion's source is
     * opened): only then is a gzip-compressed disk read, inflating as it goes.
     */
    static boolean readsSequentially(OpenContext context) {
        return context.option(ACCESS_OPTION).map(ACCESS_SEQUENTIAL::equals).orElse(false);
    }

    /** The name suggested for a conversion of a compressed disk: its file name without {@code .gz} and extension. */
    static String convertedName(String href) {
        String name = href.substring(href.lastIndexOf('/') + 1);
        if (name.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        return TarIndex.shown(name.isEmpty() ? "disk" : name) + ".qcow2";
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
        return shift == ApplianceFiles.OWN_FILE || inflated ? mapping : translated(mapping);
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
        if (inflated) {
            return data.source() == diskSource && disk.recurseIntoHostAllocation(data);
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
            if (disk != null && !inflated) {
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

    /** Where the disk's byte 0 lies in the OVA file; {@code OWN_FILE} for a file beside an OVF or an inflated disk. */
    long shift() {
        return inflated ? ApplianceFiles.OWN_FILE : shift;
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

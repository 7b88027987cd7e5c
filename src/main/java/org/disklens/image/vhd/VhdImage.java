package org.disklens.image.vhd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.disklens.image.BackingReference;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A VHD: fixed (the guest disk, then the footer), dynamic (a copy of the footer, the dynamic disk header, the BAT,
 * blocks of a sector bitmap and data, the footer) or differencing (a dynamic disk whose absent sectors are its
 * parent's). Opened as qemu 7.2 opens it; see {@code package-info.java} for where DiskLens goes further.
 */
public final class VhdImage implements DiskImage {
    private final BlockSource source;
    private final VhdFooter footer;
    private final long footerOffset;
    private final long virtualSize;
    private final Dynamic dynamic;
    private final List<String> damage;

    /** What a dynamic or differencing disk has beyond the footer. */
    record Dynamic(DynamicHeader header, long headerOffset, BlockTable table, List<Locator> locators) {
    }

    /** A parent locator, where its data lies and the path it spells (empty when unreadable or opaque). */
    record Locator(int index, ParentLocator entry, Optional<String> path) {
    }

    private VhdImage(BlockSource source, VhdFooter footer, long footerOffset, long virtualSize, Dynamic dynamic,
                     List<String> damage) {
        this.source = source;
        this.footer = footer;
        this.footerOffset = footerOffset;
        this.virtualSize = virtualSize;
        this.dynamic = dynamic;
        this.damage = List.copyOf(damage);
    }

    /**
     * Opens as qemu does: a file that starts with {@code "conectix"} is a dynamic or differencing disk described by
     * that copy of the footer; otherwise the footer at the end must be a fixed disk's. The footer used must have a
     * correct checksum (qemu refuses it otherwise too).
     */
    static VhdImage open(BlockSource source) throws IOException {
        long fileSize = source.size();
        if (fileSize < VhdFooter.SIZE) {
            throw new CorruptImage("vpc", "footer", 0, "a file of %d bytes is too short for a footer".formatted(fileSize));
        }
        long endOffset = fileSize - VhdFooter.SIZE;
        ByteBuffer start = source.read(0, VhdFooter.SIZE, ByteOrder.BIG_ENDIAN);
        ByteBuffer end = source.read(endOffset, VhdFooter.SIZE, ByteOrder.BIG_ENDIAN);
        if (VhdFooter.hasCookie(start)) {
            VhdFooter copy = VhdFooter.parse(start, 0);
            if (!copy.fixed()) {
                checkChecksum(start, 0, "footer copy");
                return openDynamic(source, copy, start, end);
            }
            if (!VhdFooter.hasCookie(end) || !VhdFooter.parse(end, endOffset).fixed()) {
                throw new CorruptImage("vpc", "footer copy", 0, "says the disk is fixed, but a fixed disk has no copy "
                        + "of its footer at the start and the end of the file holds no fixed disk's footer");
            }
            // A fixed disk whose guest data happens to begin with "conectix": its footer is at the end.
        } else if (!VhdFooter.hasCookie(end)) {
            throw new CorruptImage("vpc", "footer", endOffset,
                    "no 'conectix' cookie at the start or the end of the file: not a VHD");
        }
        VhdFooter footer = VhdFooter.parse(end, endOffset);
        if (!footer.fixed()) {
            throw new CorruptImage("vpc", "footer copy", 0, "missing: a %s disk begins with a copy of its footer, and "
                    .formatted(footer.typeName()) + "qemu reads only that copy");
        }
        checkChecksum(end, endOffset, "footer");
        long virtualSize = footer.virtualSize(endOffset);
        return new VhdImage(source, footer, endOffset, virtualSize, null, List.of());
    }

    private static void checkChecksum(ByteBuffer bytes, long hostOffset, String structure) throws CorruptImage {
        int computed = VhdFooter.checksum(bytes, VhdFooter.SIZE, VhdFooter.CHECKSUM_OFFSET);
        int stored = bytes.getInt(bytes.position() + VhdFooter.CHECKSUM_OFFSET);
        if (computed != stored) {
            throw new CorruptImage("vpc", structure, hostOffset, "incorrect checksum 0x%08x (the bytes give 0x%08x)"
                    .formatted(stored, computed));
        }
    }

    private static VhdImage openDynamic(BlockSource source, VhdFooter footer, ByteBuffer start, ByteBuffer end)
            throws IOException {
        if (footer.diskType() != VhdFooter.TYPE_DYNAMIC && !footer.differencing()) {
            throw new UnsupportedFeature("vpc", "footer copy", 0, "disk type %s is not one DiskLens reads (2 fixed, 3 "
                    .formatted(footer.typeName()) + "dynamic, 4 differencing)");
        }
        long fileSize = source.size();
        long virtualSize = footer.virtualSize(0);
        long headerOffset = footer.dataOffset();
        if (headerOffset < 0 || headerOffset > fileSize - DynamicHeader.SIZE) {
            throw new CorruptImage("vpc", "footer copy", 0, "the dynamic disk header's offset 0x%s lies past the end of "
                    .formatted(Long.toHexString(headerOffset)) + "the file (0x%x)".formatted(fileSize));
        }
        ByteBuffer headerBytes = source.read(headerOffset, DynamicHeader.SIZE, ByteOrder.BIG_ENDIAN);
        DynamicHeader header = DynamicHeader.parse(headerBytes, headerOffset);
        List<String> damage = new ArrayList<>();
        int computed = VhdFooter.checksum(headerBytes, DynamicHeader.SIZE, DynamicHeader.CHECKSUM_OFFSET);
        if (computed != header.checksum()) {
            damage.add("dynamic disk header at 0x%x: incorrect checksum 0x%08x (the bytes give 0x%08x); qemu does not "
                    .formatted(headerOffset, header.checksum(), computed) + "check it");
        }
        endFooterDamage(start, end, fileSize - VhdFooter.SIZE).ifPresent(damage::add);
        BlockTable table = BlockTable.read(source, header, headerOffset, virtualSize);
        List<Locator> locators = footer.differencing() ? readLocators(source, header, damage) : List.of();
        return new VhdImage(source, footer, 0, virtualSize, new Dynamic(header, headerOffset, table, locators), damage);
    }

    /** qemu ignores the footer at the end of a dynamic disk; DiskLens says when it is missing or differs from the copy. */
    private static Optional<String> endFooterDamage(ByteBuffer copy, ByteBuffer end, long endOffset) {
        String where = "footer at 0x%x".formatted(endOffset);
        if (!VhdFooter.hasCookie(end)) {
            return Optional.of(where + ": missing (no 'conectix' cookie); the copy at the start is used, as qemu does");
        }
        int computed = VhdFooter.checksum(end, VhdFooter.SIZE, VhdFooter.CHECKSUM_OFFSET);
        if (computed != end.getInt(end.position() + VhdFooter.CHECKSUM_OFFSET)) {
            return Optional.of(where + ": incorrect checksum; the copy at the start is used, as qemu does");
        }
        if (!copy.equals(end)) {
            return Optional.of(where + ": differs from its copy at the start, which is used, as qemu does");
        }
        return Optional.empty();
    }

    private static List<Locator> readLocators(BlockSource source, DynamicHeader header, List<String> damage)
            throws IOException {
        List<Locator> locators = new ArrayList<>();
        long fileSize = source.size();
        for (int index = 0; index < header.locators().size(); index++) {
            ParentLocator entry = header.locators().get(index);
            if (!entry.present()) {
                continue;
            }
            Optional<String> path = Optional.empty();
            long length = entry.dataLength();
            long offset = entry.dataOffset();
            if (offset < 0 || length > fileSize || offset > fileSize - length) {
                damage.add("parent locator %d (%s): its %d bytes at 0x%s lie past the end of the file".formatted(index,
                        entry.platformName(), length, Long.toHexString(offset)));
            } else if (length > ParentLocator.MAX_DATA) {
                damage.add("parent locator %d (%s): %d bytes of data, more than DiskLens reads (%d)".formatted(index,
                        entry.platformName(), length, ParentLocator.MAX_DATA));
            } else if (entry.readable() && length > 0) {
                byte[] data = new byte[(int) length];
                source.read(offset, ByteBuffer.wrap(data));
                path = entry.path(data);
            }
            locators.add(new Locator(index, entry, path));
        }
        return List.copyOf(locators);
    }

    // ---- facts ----

    @Override
    public String format() {
        return "vpc";
    }

    @Override
    public String formatTitle() {
        return "vpc (VHD, %s)".formatted(footer.typeName());
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    /** qemu-img reports the block size of dynamic and differencing disks. */
    @Override
    public OptionalInt clusterSize() {
        return dynamic == null ? OptionalInt.empty() : OptionalInt.of((int) Math.min(Integer.MAX_VALUE, dynamic.table().blockSize()));
    }

    public VhdFooter footer() {
        return footer;
    }

    Optional<Dynamic> dynamic() {
        return Optional.ofNullable(dynamic);
    }

    long footerOffset() {
        return footerOffset;
    }

    /** Damage that did not stop the open: checksums qemu does not check, a missing end footer, unreadable locators. */
    List<String> damage() {
        return damage;
    }

    /**
     * The parent of a differencing disk, by the name to look for beside this file: the relative Windows path
     * ({@code W2ru}) when there is one, otherwise the file name of the parent's unicode name (or of another locator's
     * path). qemu does not follow VHD parents at all; {@link #linkProblemWith} compares the parent's UUID.
     */
    @Override
    public Optional<BackingReference> backing() {
        if (dynamic == null || !footer.differencing()) {
            return Optional.empty();
        }
        return Optional.of(new BackingReference(parentReference(), Optional.of("vpc")));
    }

    String parentReference() {
        for (Locator locator : dynamic.locators()) {
            if (locator.entry().platformCode() == ParentLocator.W2RU && locator.path().isPresent()) {
                String relative = locator.path().get();
                while (relative.startsWith("./")) {
                    relative = relative.substring(2);
                }
                if (!relative.isEmpty() && !relative.matches("^[A-Za-z]:.*") && !relative.startsWith("/")) {
                    return relative;
                }
            }
        }
        String name = baseName(dynamic.header().parentName());
        for (int i = 0; name.isEmpty() && i < dynamic.locators().size(); i++) {
            name = baseName(dynamic.locators().get(i).path().orElse(""));
        }
        return name;
    }

    private static String baseName(String path) {
        String normal = path.replace('\\', '/').strip();
        return normal.substring(normal.lastIndexOf('/') + 1);
    }

    @Override
    public Optional<String> linkProblemWith(DiskImage backing) {
        if (dynamic == null || !(backing instanceof VhdImage parent)) {
            return Optional.empty();
        }
        if (!parent.footer.uniqueId().equals(dynamic.header().parentUuid())) {
            return Optional.of("the parent's unique id %s is not the %s this differencing disk was made from: the chain "
                    .formatted(parent.footer.uniqueId(), dynamic.header().parentUuid()) + "is inconsistent");
        }
        return Optional.empty();
    }

    @Override
    public List<FeatureFlag> features() {
        List<FeatureFlag> flags = new ArrayList<>();
        flags.add(new FeatureFlag("disk type", footer.typeName(), FeatureFlag.Concern.NEUTRAL));
        flags.add(new FeatureFlag("creator", "%s %d.%d (%s)".formatted(footer.creatorAppText().strip(),
                footer.creatorVersion() >>> 16, footer.creatorVersion() & 0xffff, footer.creatorOsText().strip()),
                FeatureFlag.Concern.NEUTRAL));
        flags.add(new FeatureFlag("size from", footer.sizedByCurrentSize() ? "current size" : "CHS geometry",
                FeatureFlag.Concern.NEUTRAL));
        if (footer.savedState() != 0) {
            flags.add(new FeatureFlag("saved state", "yes", FeatureFlag.Concern.WARNING));
        }
        if ((footer.features() & VhdFooter.FEATURE_TEMPORARY) != 0) {
            flags.add(new FeatureFlag("temporary disk", "yes", FeatureFlag.Concern.NEUTRAL));
        }
        for (String problem : damage) {
            flags.add(new FeatureFlag("damage", problem, FeatureFlag.Concern.WARNING));
        }
        return flags;
    }

    @Override
    public List<HeaderField> headerFields() {
        return VhdHeaderFields.of(this);
    }

    // ---- mapping ----

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        long limit = Math.min(maxLength, virtualSize - guestOffset);
        if (dynamic != null) {
            return dynamic.table().map(guestOffset, limit, footer.differencing());
        }
        long dataEnd = footerOffset;
        if (guestOffset < dataEnd) {
            return new Mapping.Data(source, guestOffset, Math.min(limit, dataEnd - guestOffset));
        }
        return new Mapping.Zero(limit);
    }

    /** Like qemu-img: below a fixed disk's data, look into the host file's holes. */
    @Override
    public boolean recurseIntoHostAllocation(Mapping.Data data) {
        return dynamic == null && data.source() == source;
    }

    // ---- check and layout ----

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new VhdCheck(this, progress).run());
    }

    @Override
    public List<HostRegion> hostRegions() {
        return VhdRegions.ALL;
    }

    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        new VhdHostWalk(this, sink, progress).run();
    }
}

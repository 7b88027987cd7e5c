package org.disklens.content.iso;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.disklens.content.VolumeRecognition;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * An ISO 9660 image as a container format ({@code -f iso}). Its bytes are the disk (convert, compare and map read
 * it as raw); {@code info} adds the volume's facts: identifiers, creation time, block size, naming extensions and
 * El Torito boot entries. Its file tree is the file system of this package, found like any other. No verb needs the
 * volume descriptors or the boot catalog to read the bytes, so damage there is a warning, not a refusal: a UDF
 * bridge disc whose ISO 9660 half is damaged still lists its UDF tree.
 */
public final class IsoImage implements DiskImage {
    private final BlockSource source;
    private final long size;
    private final Optional<VolumeDescriptors> volume;
    private final Optional<BootCatalog> bootCatalog;
    private final boolean rockRidge;
    private final boolean udf;
    private final List<String> warnings;

    private IsoImage(BlockSource source, Optional<VolumeDescriptors> volume, Optional<BootCatalog> bootCatalog,
                     boolean rockRidge, boolean udf, List<String> warnings) throws IOException {
        this.source = source;
        this.size = source.size();
        this.volume = volume;
        this.bootCatalog = bootCatalog;
        this.rockRidge = rockRidge;
        this.udf = udf;
        this.warnings = List.copyOf(warnings);
    }

    static IsoImage open(BlockSource source) throws IOException {
        List<String> warnings = new ArrayList<>();
        Optional<VolumeDescriptors> volume = readPast(() -> VolumeDescriptors.read(source), warnings);
        Optional<Long> catalogLba = volume.flatMap(VolumeDescriptors::bootCatalogLba);
        Optional<BootCatalog> catalog = catalogLba.isEmpty() ? Optional.empty()
                : readPast(() -> BootCatalog.read(source, catalogLba.get()), warnings);
        boolean rockRidge = volume.isPresent() && readPast(() -> VolumeDescriptors.rockRidgeSkip(source,
                volume.get().primary()), warnings).flatMap(skip -> skip).isPresent();
        return new IsoImage(source, volume, catalog, rockRidge, VolumeRecognition.hasUdfRecognition(source), warnings);
    }

    /** Reads a structure no verb needs for the image's bytes; damage becomes a warning. */
    private static <T> Optional<T> readPast(Structure<T> structure, List<String> warnings) throws IOException {
        try {
            return Optional.of(structure.read());
        } catch (ImageException damaged) {
            warnings.add(damaged.getMessage());
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface Structure<T> {
        T read() throws IOException;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String format() {
        return "iso";
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return size;
    }

    @Override
    public boolean isPlainFile() {
        return true;
    }

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        return Mapping.ofPlainFile(source, guestOffset, maxLength);
    }

    @Override
    public Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (volume.isEmpty()) {
            return data;
        }
        VolumeDescriptors.Primary primary = volume.get().primary();
        data.put("volume-id", primary.volumeId());
        data.put("system-id", primary.systemId());
        data.put("publisher-id", primary.publisherId());
        primary.created().ifPresent(created -> data.put("creation-time", created.toString()));
        data.put("block-size", primary.blockSize());
        data.put("extensions", volume.get().extensions(rockRidge, udf));
        data.put("boot-entries", bootCatalog.map(catalog -> catalog.entries().stream().map(BootCatalog.Entry::info).toList())
                .orElse(List.of()));
        return data;
    }
}

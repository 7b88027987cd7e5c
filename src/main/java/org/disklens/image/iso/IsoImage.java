package org.disklens.image.iso;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.Mapping;
import org.disklens.image.raw.RawImage;
import org.disklens.io.BlockSource;

/**
 * An ISO 9660 image. Its bytes are the disk (convert, compare and map read it as raw); {@code info} adds the
 * volume's facts: identifiers, creation time, block size, naming extensions and El Torito boot entries.
 * The file tree is read by {@code content.iso}.
 */
public final class IsoImage implements DiskImage {
    private final RawImage raw;
    private final VolumeDescriptors volume;
    private final Optional<BootCatalog> bootCatalog;
    private final boolean rockRidge;
    private final boolean udf;

    private IsoImage(RawImage raw, VolumeDescriptors volume, Optional<BootCatalog> bootCatalog, boolean rockRidge,
                     boolean udf) {
        this.raw = raw;
        this.volume = volume;
        this.bootCatalog = bootCatalog;
        this.rockRidge = rockRidge;
        this.udf = udf;
    }

    static IsoImage open(BlockSource source) throws IOException {
        VolumeDescriptors volume = VolumeDescriptors.read(source);
        Optional<BootCatalog> catalog = volume.bootCatalogLba().isPresent()
                ? Optional.of(BootCatalog.read(source, volume.bootCatalogLba().get())) : Optional.empty();
        return new IsoImage(new RawImage(source), volume, catalog,
                VolumeDescriptors.rockRidgeSkip(source, volume.primary()).isPresent(), VolumeDescriptors.hasUdfRecognition(source));
    }

    public VolumeDescriptors volume() {
        return volume;
    }

    public Optional<BootCatalog> bootCatalog() {
        return bootCatalog;
    }

    public boolean rockRidge() {
        return rockRidge;
    }

    public boolean udf() {
        return udf;
    }

    @Override
    public String format() {
        return "iso";
    }

    @Override
    public BlockSource source() {
        return raw.source();
    }

    @Override
    public long virtualSize() {
        return raw.virtualSize();
    }

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        return raw.map(guestOffset, maxLength);
    }

    @Override
    public Map<String, Object> formatSpecific() {
        VolumeDescriptors.Primary primary = volume.primary();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("volume-id", primary.volumeId());
        data.put("system-id", primary.systemId());
        data.put("publisher-id", primary.publisherId());
        primary.created().ifPresent(created -> data.put("creation-time", created.toString()));
        data.put("block-size", primary.blockSize());
        data.put("extensions", volume.extensions(rockRidge, udf));
        data.put("boot-entries", bootCatalog.map(catalog -> catalog.entries().stream().map(BootCatalog.Entry::info).toList())
                .orElse(List.of()));
        return data;
    }
}

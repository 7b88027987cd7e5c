package org.disklens.content.iso;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.disklens.content.VolumeRecognition;
import org.disklens.image.DiskImage;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * An ISO 9660 image as a container format ({@code -f iso}). Its bytes are the disk (convert, compare and map read
 * it as raw); {@code info} adds the volume's facts: identifiers, creation time, block size, naming extensions and
 * El Torito boot entries. Its file tree is the file system of this package, found like any other.
 */
public final class IsoImage implements DiskImage {
    private final BlockSource source;
    private final long size;
    private final VolumeDescriptors volume;
    private final Optional<BootCatalog> bootCatalog;
    private final boolean rockRidge;
    private final boolean udf;

    private IsoImage(BlockSource source, VolumeDescriptors volume, Optional<BootCatalog> bootCatalog, boolean rockRidge,
                     boolean udf) throws IOException {
        this.source = source;
        this.size = source.size();
        this.volume = volume;
        this.bootCatalog = bootCatalog;
        this.rockRidge = rockRidge;
        this.udf = udf;
    }

    static IsoImage open(BlockSource source) throws IOException {
        VolumeDescriptors volume = VolumeDescriptors.read(source);
        Optional<BootCatalog> catalog = volume.bootCatalogLba().isPresent()
                ? Optional.of(BootCatalog.read(source, volume.bootCatalogLba().get())) : Optional.empty();
        return new IsoImage(source, volume, catalog, VolumeDescriptors.rockRidgeSkip(source, volume.primary()).isPresent(),
                VolumeRecognition.hasUdfRecognition(source));
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

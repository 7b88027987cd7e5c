package org.disklens.gui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.disklens.convert.Converter;
import org.disklens.convert.Measure;
import org.disklens.convert.Preset;
import org.disklens.convert.SourceSpec;
import org.disklens.convert.TargetSpec;
import org.disklens.gui.model.ConversionEstimate;
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.ConversionService;
import org.disklens.image.ProgressListener;
import org.disklens.image.SizeEstimate;

/**
 * The conversion queue's engine: the {@code convert} package's presets, its {@code measure} and its
 * {@link Converter}, exactly what {@code disklens convert} (with {@code --sparsify} for Shrink) runs.
 */
final class EngineConversions implements ConversionService {
    /** Each preset the window shows, and the engine's preset it stands for. */
    private static final Map<ConversionPreset, Preset> PRESETS = Arrays.stream(Preset.values()).collect(
            Collectors.toMap(EngineConversions::describe, preset -> preset, (a, b) -> a, LinkedHashMap::new));
    /** The host's block: a sparse file stores its data in blocks of this size. */
    private static final long HOST_BLOCK = 4096;

    @Override
    public List<ConversionPreset> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    /**
     * measure's {@code required}; for a raw target, which measure sizes as the whole disk, also the data it will
     * store; for a compressed target an upper bound, as measure counts every cluster uncompressed.
     */
    @Override
    public ConversionEstimate estimate(Path source, Choice choice, ProgressListener progress) throws IOException {
        SourceSpec spec = spec(source, choice);
        TargetSpec target = engine(choice.preset()).target();
        SizeEstimate measured = Measure.estimate(spec, target, progress);
        if (target.format().equals("raw")) {
            return new ConversionEstimate(measured.required(), Measure.storedBytes(spec, HOST_BLOCK, progress), false);
        }
        boolean compressed = target.compress() || "streamOptimized".equals(target.options().get("subformat"));
        return new ConversionEstimate(measured.required(), measured.required(), compressed);
    }

    @Override
    public List<String> convert(Path source, Choice choice, Path target, boolean replace, ProgressListener progress)
            throws IOException {
        return Converter.run(engine(choice.preset()).request(spec(source, choice), target, replace), progress).notes();
    }

    private static SourceSpec spec(Path source, Choice choice) {
        return new SourceSpec(source).withSparsify(choice.shrink());
    }

    private static ConversionPreset describe(Preset preset) {
        return new ConversionPreset(preset.label(), preset.target().format(), preset.target().compress(),
                preset.target().options(), preset.extension(), preset.description());
    }

    private static Preset engine(ConversionPreset preset) throws IOException {
        Preset engine = PRESETS.get(preset);
        if (engine == null) {
            throw new IOException("unknown conversion preset: " + preset.name());
        }
        return engine;
    }
}

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
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.ConversionService;
import org.disklens.image.ProgressListener;

/**
 * The conversion queue's engine: the {@code convert} package's presets, its {@code measure} and its
 * {@link Converter}, exactly what {@code disklens convert} runs.
 */
final class EngineConversions implements ConversionService {
    /** Each preset the window shows, and the engine's preset it stands for. */
    private static final Map<ConversionPreset, Preset> PRESETS = Arrays.stream(Preset.values()).collect(
            Collectors.toMap(EngineConversions::describe, preset -> preset, (a, b) -> a, LinkedHashMap::new));

    @Override
    public List<ConversionPreset> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    @Override
    public long estimate(Path source, ConversionPreset preset, ProgressListener progress) throws IOException {
        return Measure.estimate(new SourceSpec(source), engine(preset).target(), progress).required();
    }

    @Override
    public void convert(Path source, ConversionPreset preset, Path target, ProgressListener progress) throws IOException {
        Converter.run(engine(preset).request(new SourceSpec(source), target, false), progress);
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

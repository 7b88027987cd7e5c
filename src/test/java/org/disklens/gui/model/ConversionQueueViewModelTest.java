package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.image.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's bookkeeping — states, progress, throughput and time left, cancelling, failures — with a
 * scripted engine and a clock the test moves; the real engine is exercised by the window tests.
 */
class ConversionQueueViewModelTest {
    private static final ConversionPreset RAW = new ConversionPreset("raw, sparse", "raw", false, Map.of(), "raw",
            "holes where the source has none");
    private static final ConversionPreset QCOW2 = new ConversionPreset("qcow2, compressed", "qcow2", true, Map.of(),
            "qcow2", "smallest file");

    @TempDir
    Path dir;

    private final long[] clock = {0};

    /** Reports 4 steps of 256 MiB, moving the clock one second per step; cancellable between steps. */
    private final class ScriptedEngine implements ConversionService {
        final List<String> estimated = new ArrayList<>();
        IOException failure;

        @Override
        public List<ConversionPreset> presets() {
            return List.of(QCOW2, RAW);
        }

        @Override
        public long estimate(Path source, ConversionPreset preset, ProgressListener progress) {
            estimated.add(preset.name());
            return preset.compressed() ? 300L << 20 : 1L << 30;
        }

        @Override
        public void convert(Path source, ConversionPreset preset, Path target, ProgressListener progress)
                throws IOException {
            long total = 1L << 30;
            for (int step = 1; step <= 4; step++) {
                progress.checkCancelled();
                clock[0] += 1_000_000_000L;
                progress.progress(step * (total / 4), total);
                if (step == 2 && failure != null) {
                    throw failure;
                }
            }
            Files.writeString(target, "converted");
        }
    }

    private final ScriptedEngine engine = new ScriptedEngine();

    @Test
    void theRequestSuggestsATargetBesideTheSourceAndEstimatesEachPreset() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        var queue = new ConversionQueueViewModel(engine, new SameThreadTaskRunner(), new SameThreadTaskRunner(), () -> clock[0]);

        ConversionRequest request = queue.request(source);

        assertThat(request.presetProperty().get()).isEqualTo(QCOW2);
        assertThat(request.targetProperty().get()).isEqualTo(dir.resolve("disk-converted.qcow2"));
        assertThat(request.estimateProperty().get()).isEqualTo("About 300 MiB");
        request.presetProperty().set(RAW);
        assertThat(request.targetProperty().get()).isEqualTo(dir.resolve("disk.raw"));
        assertThat(request.estimateProperty().get()).isEqualTo("About 1 GiB");
        assertThat(engine.estimated).containsExactly("qcow2, compressed", "raw, sparse");
        request.targetProperty().set(source);
        assertThat(request.isReady()).isFalse();
    }

    @Test
    void queuedConversionsRunInOrderWithThroughputAndTimeLeft() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        var queueRunner = SameThreadTaskRunner.holdingBack();
        var queue = new ConversionQueueViewModel(engine, queueRunner, new SameThreadTaskRunner(), () -> clock[0]);
        List<Path> finished = new ArrayList<>();
        queue.setOnFinished(job -> finished.add(job.target()));

        ConversionJobViewModel first = queue.start(source, RAW, dir.resolve("one.raw"));
        ConversionJobViewModel second = queue.start(source, QCOW2, dir.resolve("two.qcow2"));
        assertThat(first.status()).isEqualTo(ConversionJobViewModel.Status.QUEUED);
        assertThat(first.statusTextProperty().get()).isEqualTo("Queued");
        List<String> speeds = new ArrayList<>();
        first.speedTextProperty().addListener((observable, old, text) -> speeds.add(text));

        queueRunner.runPending();

        assertThat(speeds).contains("256 MiB/s · 0:03 left", "256 MiB/s · 0:01 left");
        assertThat(first.status()).isEqualTo(ConversionJobViewModel.Status.DONE);
        assertThat(first.statusTextProperty().get()).isEqualTo("Done: one.raw");
        assertThat(first.progressProperty().get()).isEqualTo(1.0);
        assertThat(second.status()).isEqualTo(ConversionJobViewModel.Status.DONE);
        assertThat(finished).containsExactly(dir.resolve("one.raw"), dir.resolve("two.qcow2"));
        assertThat(dir.resolve("two.qcow2")).hasContent("converted");
    }

    @Test
    void cancellingStopsAConversionAndAFailureSaysWhy() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        var queueRunner = SameThreadTaskRunner.holdingBack();
        var queue = new ConversionQueueViewModel(engine, queueRunner, new SameThreadTaskRunner(), () -> clock[0]);

        ConversionJobViewModel cancelled = queue.start(source, RAW, dir.resolve("cancelled.raw"));
        cancelled.cancel();
        engine.failure = new java.nio.file.FileSystemException(dir.resolve("full.raw").toString(), null, "No space left on device");
        ConversionJobViewModel failed = queue.start(source, RAW, dir.resolve("full.raw"));
        queueRunner.runPending();

        assertThat(cancelled.status()).isEqualTo(ConversionJobViewModel.Status.CANCELLED);
        assertThat(cancelled.statusTextProperty().get()).isEqualTo("Cancelled; nothing was written");
        assertThat(dir.resolve("cancelled.raw")).doesNotExist();
        assertThat(failed.status()).isEqualTo(ConversionJobViewModel.Status.FAILED);
        assertThat(failed.statusTextProperty().get()).isEqualTo(dir.resolve("full.raw") + ": No space left on device");

        queue.clearFinished();
        assertThat(queue.jobs()).isEmpty();
    }

    @Test
    void withoutAnEngineNothingIsOffered() throws IOException {
        var queue = new ConversionQueueViewModel(ConversionService.unavailable(), new SameThreadTaskRunner(),
                new SameThreadTaskRunner(), () -> clock[0]);
        assertThat(queue.availableProperty().get()).isFalse();
        ConversionRequest request = queue.request(Files.writeString(dir.resolve("disk.qcow2"), "x"));
        assertThat(request.presets()).isEmpty();
        assertThatThrownBy(() -> queue.start(request)).isInstanceOf(IllegalArgumentException.class);
    }
}

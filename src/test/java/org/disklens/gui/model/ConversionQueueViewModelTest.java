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

    /**
     * Reports 4 steps of 256 MiB, moving the clock one second per step; cancellable between steps; with shrinking,
     * tells that it left a volume whole. A raw target of 1 GiB stores 40 MiB; shrinking stores 8 MiB less.
     */
    private final class ScriptedEngine implements ConversionService {
        final List<String> estimated = new ArrayList<>();
        final List<Boolean> replaced = new ArrayList<>();
        IOException failure;
        /** Reports one more step after this many (as a cancelled engine does before it notices), or never. */
        int reportAfterCancel = -1;

        @Override
        public List<ConversionPreset> presets() {
            return List.of(QCOW2, RAW);
        }

        @Override
        public ConversionEstimate estimate(Path source, Choice choice, ProgressListener progress) {
            estimated.add(choice.preset().name() + (choice.shrink() ? " shrunk" : ""));
            long saved = choice.shrink() ? 8L << 20 : 0;
            return choice.preset().compressed() ? new ConversionEstimate((300L << 20) - saved, (300L << 20) - saved, true)
                    : new ConversionEstimate(1L << 30, (40L << 20) - saved, false);
        }

        @Override
        public List<String> convert(Path source, Choice choice, Path target, boolean replace, ProgressListener progress)
                throws IOException {
            replaced.add(replace);
            long total = 1L << 30;
            for (int step = 1; step <= 4; step++) {
                if (step - 1 == reportAfterCancel) {
                    progress.progress(step * (total / 4), total);
                }
                progress.checkCancelled();
                clock[0] += 1_000_000_000L;
                progress.progress(step * (total / 4), total);
                if (step == 2 && failure != null) {
                    throw failure;
                }
            }
            Files.writeString(target, "converted");
            return choice.shrink() ? List.of("Partition 1 (vfat \"EFI\"): left whole: its free map cannot be read",
                    "Partition 2 (ext4): 8 MiB the guest marks free read as zeroes") : List.of();
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
        assertThat(request.estimateProperty().get()).isEqualTo("At most 300 MiB (compression usually takes much less)");
        request.presetProperty().set(RAW);
        assertThat(request.targetProperty().get()).isEqualTo(dir.resolve("disk.raw"));
        assertThat(request.estimateProperty().get()).isEqualTo("1 GiB file, about 40 MiB on disk (its holes take no space)");
        assertThat(request.shrinkEstimateProperty().get()).isEqualTo("about 8 MiB smaller");
        request.shrinkProperty().set(true);
        assertThat(request.estimateProperty().get()).isEqualTo("1 GiB file, about 32 MiB on disk (its holes take no space)");
        assertThat(engine.estimated).containsExactly("qcow2, compressed", "qcow2, compressed shrunk", "raw, sparse",
                "raw, sparse shrunk");
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

        ConversionJobViewModel first = queue.start(source, new ConversionService.Choice(RAW, false), dir.resolve("one.raw"), false);
        ConversionJobViewModel second = queue.start(source, new ConversionService.Choice(QCOW2, false), dir.resolve("two.qcow2"), false);
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

        ConversionJobViewModel cancelled = queue.start(source, new ConversionService.Choice(RAW, false), dir.resolve("cancelled.raw"), false);
        cancelled.cancel();
        engine.failure = new java.nio.file.FileSystemException(dir.resolve("full.raw").toString(), null, "No space left on device");
        ConversionJobViewModel failed = queue.start(source, new ConversionService.Choice(RAW, false), dir.resolve("full.raw"), false);
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
    void aCancelledConversionSaysCancelledEvenWhenTheEngineReportsAStepAfterIt() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        var queueRunner = SameThreadTaskRunner.holdingBack();
        var queue = new ConversionQueueViewModel(engine, queueRunner, new SameThreadTaskRunner(), () -> clock[0]);
        ConversionJobViewModel job = queue.start(source, new ConversionService.Choice(RAW, false),
                dir.resolve("late.raw"), false);
        engine.reportAfterCancel = 1;
        job.progressProperty().addListener((observed, old, progress) -> {
            if (progress.doubleValue() >= 0.25 && job.status() == ConversionJobViewModel.Status.RUNNING) {
                job.cancel();
                job.failed("Cancelled.", true); // as the toolkit ends a cancelled task at once, before its work stops
            }
        });

        queueRunner.runPending();

        assertThat(job.status()).isEqualTo(ConversionJobViewModel.Status.CANCELLED);
        assertThat(job.statusTextProperty().get()).isEqualTo("Cancelled; nothing was written");
        assertThat(job.speedTextProperty().get()).isEmpty();
        assertThat(job.progressProperty().get()).isZero();
    }

    @Test
    void anExistingTargetIsReplacedOnlyWhenTheUserSaysSo() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        Files.writeString(dir.resolve("disk-converted.qcow2"), "precious");
        var queue = new ConversionQueueViewModel(engine, new SameThreadTaskRunner(), new SameThreadTaskRunner(),
                () -> clock[0]);
        ConversionRequest request = queue.request(source);

        assertThat(request.targetExistsProperty().get()).isTrue();
        assertThat(request.isReady()).isFalse();
        assertThatThrownBy(() -> queue.start(request)).isInstanceOf(IllegalArgumentException.class);
        request.replaceProperty().set(true);
        assertThat(request.readyProperty().get()).isTrue();
        request.targetProperty().set(dir.resolve("other.qcow2"));
        assertThat(request.replaceProperty().get()).isFalse();
        request.targetProperty().set(dir.resolve("disk-converted.qcow2"));
        request.replaceProperty().set(true);
        queue.start(request);

        assertThat(engine.replaced).containsExactly(true);
        assertThat(dir.resolve("disk-converted.qcow2")).hasContent("converted");
    }

    @Test
    void aShrinkingConversionTellsTheVolumesItLeftWhole() throws IOException {
        Path source = Files.writeString(dir.resolve("disk.qcow2"), "x");
        var queue = new ConversionQueueViewModel(engine, new SameThreadTaskRunner(), new SameThreadTaskRunner(),
                () -> clock[0]);

        ConversionJobViewModel job = queue.start(source, new ConversionService.Choice(QCOW2, true),
                dir.resolve("small.qcow2"), false);

        assertThat(job.status()).isEqualTo(ConversionJobViewModel.Status.DONE);
        assertThat(job.choiceText()).isEqualTo("qcow2, compressed, shrunk");
        assertThat(job.notesProperty().get()).isEqualTo("Partition 1 (vfat \"EFI\"): left whole: its free map cannot be read");
        assertThat(queue.lastFinishedProperty().get()).isSameAs(job);
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

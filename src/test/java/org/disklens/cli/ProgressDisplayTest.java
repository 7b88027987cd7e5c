package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code -p} in a log (not a terminal): whole percentages as they grow, and each phase of a job from 0 % again. */
class ProgressDisplayTest {
    private final StringWriter written = new StringWriter();
    private final ProgressDisplay display = new ProgressDisplay(new PrintWriter(written), true, false);

    @Test
    void aLogGetsEachWholePercentageOnce() {
        display.progress(0, 1000);
        display.progress(4, 1000);
        display.progress(10, 1000);
        display.progress(12, 1000);
        display.progress(1000, 1000);
        assertThat(written.toString().lines()).containsExactly("0%", "1%", "100%");
    }

    @Test
    void aNewTotalIsANewPhaseCountedFromZero() {
        // A gzip-compressed OVA disk: the compressed stream checked (300 bytes), then the guest's 2000 bytes converted.
        display.progress(150, 300);
        display.progress(300, 300);
        display.progress(0, 2000);
        display.progress(1000, 2000);
        display.progress(2000, 2000);
        assertThat(written.toString().lines()).containsExactly("50%", "100%", "0%", "50%", "100%");
    }

    @Test
    void aJobThatEndsWithAnotherTotalSaysItsEndOnce() {
        // A conversion ends with (done, done), which may differ from the total counted ahead.
        display.progress(990, 1000);
        display.progress(1010, 1010);
        display.progress(1010, 1010);
        assertThat(written.toString().lines()).containsExactly("99%", "100%");
    }
}

package org.disklens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point as a terminal runs it: files without a display get one line and exit 1, never a trace. */
class MainTest {
    @TempDir
    Path runtime;

    @Test
    void opening_a_file_without_a_display_says_so_in_one_line() throws Exception {
        Path image = Path.of("resources/samples/thin-with-backing.qcow2").toAbsolutePath();
        Result result = runMain(List.of(image.toString()), Map.of("XDG_RUNTIME_DIR", runtime.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString()
                .startsWith("disklens: no display to open the window on").contains("disklens --help");
        assertThat(result.err()).doesNotContain("Exception");
    }

    private record Result(int exitCode, String err) {
    }

    /** Runs {@link Main} in a JVM of its own, with DISPLAY and WAYLAND_DISPLAY removed from its environment. */
    private static Result runMain(List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.disklens.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().putAll(environment);
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), err);
    }
}

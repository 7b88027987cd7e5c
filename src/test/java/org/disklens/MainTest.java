package org.disklens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.disklens.cli.DiskLensCommand;
import org.disklens.gui.InstanceChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry point as a terminal, a double-click and a script run it: files without a display get one line and exit 1;
 * a window already open in the same desktop session receives only launches that are for it (existing files, from the
 * same display); a mistyped verb is an unknown command, never a tab.
 */
class MainTest {
    private static final Path IMAGE = Path.of("resources/samples/thin-with-backing.qcow2").toAbsolutePath();

    @TempDir
    Path runtime;

    /** The environment of a launch from display :42 of a session whose runtime folder is {@code runtime}. */
    private Map<String, String> session() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("WAYLAND_DISPLAY");
        environment.put("DISPLAY", ":42");
        environment.put("XDG_RUNTIME_DIR", runtime.toString());
        return environment;
    }

    @Test
    void opening_a_file_without_a_display_says_so_in_one_line() throws Exception {
        Map<String, String> noDisplay = session();
        noDisplay.remove("DISPLAY");
        Result result = runMain(List.of(IMAGE.toString()), noDisplay);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines().toList()).singleElement().asString()
                .startsWith("disklens: no display to open the window on").contains("disklens --help");
        assertThat(result.err()).doesNotContain("Exception");
    }

    @Test
    void a_launch_from_the_same_display_hands_its_files_to_the_running_window() throws Exception {
        try (Window window = new Window(session())) {
            Result result = runMain(List.of(IMAGE.toString()), session());

            assertThat(result.exitCode()).isZero();
            assertThat(result.err()).isEmpty();
            assertThat(window.received()).containsExactly(IMAGE);
        }
    }

    @Test
    void a_launch_without_a_display_is_refused_even_while_a_window_is_open() throws Exception {
        try (Window window = new Window(session())) {
            Map<String, String> noDisplay = session();
            noDisplay.remove("DISPLAY");
            Result result = runMain(List.of(IMAGE.toString()), noDisplay);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("disklens: no display to open the window on");
            assertThat(window.receivedNothing()).isTrue();
        }
    }

    @Test
    void a_mistyped_verb_is_an_unknown_command_and_never_a_tab() throws Exception {
        try (Window window = new Window(session())) {
            Result result = runMain(List.of("infoo", IMAGE.toString()), session());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("disklens: unknown command 'infoo' (did you mean 'info'?)\n");
            assertThat(window.receivedNothing()).isTrue();
        }
    }

    @Test
    void arguments_that_are_not_files_are_never_handed_over() throws Exception {
        try (Window window = new Window(session())) {
            Result flags = runMain(List.of(IMAGE.toString(), "-m", "1", "/etc/crypttab-not-there"), session());
            Result missing = runMain(List.of("gone.qcow2"), session());

            assertThat(flags.exitCode()).isEqualTo(1);
            assertThat(flags.err()).startsWith("disklens: -m: no such file");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).startsWith("disklens: gone.qcow2: no such file");
            assertThat(window.receivedNothing()).isTrue();
        }
    }

    @Test
    void a_window_launch_prints_nothing_and_opens_the_image_while_the_toolkit_starts() throws Exception {
        Path trace = runtime.resolve("trace");
        Result result = runMain(List.of("-Dglass.platform=Headless", "-Dprism.order=sw",
                "-Ddisklens.startup.trace=" + trace, "-Ddisklens.startup.exit=true"), List.of(IMAGE.toString()), session());

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        Map<String, Long> moments = new HashMap<>();
        Files.readAllLines(trace).forEach(line -> moments.put(line.split(" ")[0], Long.parseLong(line.split(" ")[1])));
        assertThat(moments).containsKeys("main", "early-open", "fx-start", "window-shown", "overview-drawn");
        assertThat(moments.get("early-open")).isLessThanOrEqualTo(moments.get("fx-start"));
    }

    @Test
    void the_launcher_knows_every_verb_so_none_of_them_starts_as_the_window() throws IOException {
        String launcher = Files.readString(Path.of("src/main/launcher/disklens"));
        String verbs = launcher.lines().filter(line -> line.strip().startsWith("info|")).findFirst().orElseThrow();

        for (String command : DiskLensCommand.COMMANDS) {
            if (!command.startsWith("-") && !command.equals("help")) {
                assertThat(verbs.split("\\)")[0].strip().split("\\|")).as("the launcher's verbs").contains(command);
            }
        }
    }

    /** A window's end of the hand-off, listening where a window of {@code environment}'s session listens. */
    private static final class Window implements AutoCloseable {
        private final LinkedBlockingQueue<List<Path>> received = new LinkedBlockingQueue<>();
        private final InstanceChannel channel;

        Window(Map<String, String> environment) throws IOException {
            channel = InstanceChannel.listen(InstanceChannel.socketFor(environment).orElseThrow(), received::add);
        }

        List<Path> received() throws InterruptedException {
            return received.poll(10, TimeUnit.SECONDS);
        }

        boolean receivedNothing() throws InterruptedException {
            return received.poll(1, TimeUnit.SECONDS) == null;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private record Result(int exitCode, String err) {
    }

    private static Result runMain(List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        return runMain(List.of(), args, environment);
    }

    /** Runs {@link Main} in a JVM of its own with exactly {@code environment}. */
    private static Result runMain(List<String> jvmOptions, List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.disklens.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), err);
    }
}

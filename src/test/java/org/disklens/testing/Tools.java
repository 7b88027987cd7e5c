package org.disklens.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference tools (qemu-img, qemu-io, xorriso, mkfs.*) that make test images and give the answers
 * DiskLens must agree with. Tests that need a tool call {@link #require} so they are skipped, visibly,
 * where it is missing; CI installs them all.
 */
public final class Tools {
    private Tools() {
    }

    /** The result of a finished process. */
    public record Result(int exitCode, String out, String err) {
    }

    public static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Skips the calling test when {@code tool} is not installed. */
    public static void require(String... tools) {
        for (String tool : tools) {
            org.junit.jupiter.api.Assumptions.assumeTrue(has(tool), tool + " is not installed");
        }
    }

    /** Runs a command in {@code dir} and returns its result, whatever its exit code. */
    public static Result exec(Path dir, String... command) {
        try {
            Path out = Files.createTempFile("tool-out", ".txt");
            Path err = Files.createTempFile("tool-err", ".txt");
            try {
                List<String> withPath = List.of(command);
                ProcessBuilder builder = new ProcessBuilder(withPath).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
                builder.environment().put("TZ", "UTC");
                Process process = builder.start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final String QEMU_CALIBRATION_FAILED = "Unable to get accurate CPU usage";

    /** Runs a command that must succeed; returns its standard output. */
    public static String run(Path dir, String... command) {
        Result result = exec(dir, command);
        // qemu calibrates a LUKS key derivation by the CPU time a first round took; on a busy machine that time can
        // read as zero and qemu gives up ("Unable to get accurate CPU usage"). Calibrating again is all it needs.
        for (int retry = 0; retry < 5 && result.exitCode() != 0 && result.err().contains(QEMU_CALIBRATION_FAILED);
                retry++) {
            result = exec(dir, command);
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException("%s exited %d: %s".formatted(String.join(" ", command), result.exitCode(),
                    result.err()));
        }
        return result.out();
    }
}

package org.disklens.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What every command must do with a hostile file: answer soundly or fail in one clear line, fast, input untouched. */
public final class Hostile {
    public static final Duration TIME_BOUND = Duration.ofSeconds(30);

    private Hostile() {
    }

    /** Runs the command on a copy's path and checks the rules; returns the result for further assertions. */
    public static Cli.Result runSafely(Path file, String... args) {
        String before = sha256(file);
        Cli.Result result = assertTimeoutPreemptively(TIME_BOUND, () -> Cli.run(args), () -> "hung: " + String.join(" ", args));
        assertThat(sha256(file)).as("input must be untouched").isEqualTo(before);
        assertCleanFailureOrSuccess(result, args);
        return result;
    }

    /**
     * Runs the command line in a child JVM whose process may hold at most {@code maxOpenFiles} descriptors
     * ({@code ulimit -n}), as a user's shell with a low limit would; within {@link #TIME_BOUND}.
     */
    public static Cli.Result runWithOpenFileLimit(int maxOpenFiles, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$0\" \"$@\"",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.disklens.Main"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("disklens-out", ".txt");
            Path err = Files.createTempFile("disklens-err", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIME_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("hung: " + String.join(" ", args));
                }
                byte[] bytes = Files.readAllBytes(out);
                Cli.Result result = new Cli.Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8),
                        Files.readString(err), bytes);
                assertCleanFailureOrSuccess(result, args);
                return result;
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

    /** Success, or a failure reported as one-line messages starting with {@code disklens:}, never a stack trace. */
    public static void assertCleanFailureOrSuccess(Cli.Result result, String... args) {
        String what = String.join(" ", args);
        assertThat(result.err()).as("stderr of %s", what)
                .doesNotContain("Exception", "\tat ", "internal error");
        boolean compare = args[0].equals("compare");
        boolean checkStoppedInside = args[0].equals("check") && !result.out().isBlank();
        if (compare ? result.exitCode() == 2 : result.exitCode() == 1 && !checkStoppedInside) {
            String[] lines = result.err().strip().split("\n");
            assertThat(lines[lines.length - 1]).as("error line of %s", what).startsWith("disklens: ");
        }
    }

    /**
     * Converts a hostile image to raw: it must succeed, or fail cleanly and leave neither the target nor a
     * temporary file behind.
     */
    public static void convertSafely(Path image) {
        Path target = image.resolveSibling(image.getFileName() + ".converted.raw");
        Cli.Result result = runSafely(image, "convert", "-O", "raw", image.toString(), target.toString());
        try {
            if (result.exitCode() != 0) {
                assertThat(target).as("target of a failed conversion").doesNotExist();
            }
            Files.deleteIfExists(target);
            try (var files = Files.list(image.getParent())) {
                assertThat(files.map(path -> path.getFileName().toString())).as("temporary files")
                        .noneMatch(name -> name.contains("disklens-tmp"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs and expects a one-line error containing {@code expected}. */
    public static void assertRefused(Path file, String expected, String... args) {
        Cli.Result result = runSafely(file, args);
        assertThat(result.exitCode()).as("exit code of %s; out: %s", String.join(" ", args), result.out())
                .isEqualTo(args[0].equals("compare") ? 2 : 1);
        assertThat(result.err().strip()).doesNotContain("\n").contains(expected);
    }

    public static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of {@code good} named {@code name} beside it, with big-endian {@code value} written at {@code offset}. */
    public static Path poke(Path good, String name, long offset, long value, int width) {
        Path copy = copy(good, name);
        pokeInPlace(copy, offset, value, width);
        return copy;
    }

    /** A copy of {@code good} named {@code name} beside it. */
    public static Path copy(Path good, String name) {
        try {
            return Files.copy(good, good.resolveSibling(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes big-endian {@code value} ({@code width} bytes) at {@code offset} of {@code file}. */
    public static void pokeInPlace(Path file, long offset, long value, int width) {
        ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.BIG_ENDIAN);
        switch (width) {
            case 1 -> bytes.put((byte) value);
            case 2 -> bytes.putShort((short) value);
            case 4 -> bytes.putInt((int) value);
            case 8 -> bytes.putLong(value);
            default -> throw new IllegalArgumentException("width " + width);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes.flip(), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code good} cut to {@code length} bytes. */
    public static Path truncated(Path good, String name, long length) {
        Path copy = good.resolveSibling(name);
        try {
            Files.copy(good, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.truncate(length);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.disklens.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.disklens.cli.DiskLensCommand;

/**
 * Runs one command line several times in one JVM and prints the best wall-clock time in milliseconds: what the
 * engine costs once the JVM is running, as in the window, without the JVM's start that a one-shot command line
 * pays. The first run warms up (class loading, JIT) and is not counted. Before each run, like the scripts' cold
 * runs, the output file is removed and {@code sync} writes the page cache back, so one run's dirty pages do not
 * slow the next. Used by {@code src/test/bench/convert.sh}:
 * {@code java -cp target/disklens.jar:target/lib/*:target/test-classes org.disklens.tools.WarmRun RUNS OUTPUT ARGS...}
 */
public final class WarmRun {
    private WarmRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = Integer.parseInt(args[0]);
        Path output = Path.of(args[1]);
        String[] command = Arrays.copyOfRange(args, 2, args.length);
        long best = Long.MAX_VALUE;
        for (int run = 0; run <= runs; run++) {
            Files.deleteIfExists(output);
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            long start = System.nanoTime();
            int code = DiskLensCommand.execute(command, OutputStream.nullOutputStream(), System.err);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (code != 0) {
                System.err.println("warm run: exit code " + code);
                System.exit(code);
            }
            if (run > 0) {
                best = Math.min(best, millis);
            }
        }
        System.out.println(best);
    }
}

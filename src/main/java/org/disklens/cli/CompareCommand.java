package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.image.ImageChain;
import org.disklens.inspect.Comparison;

/** {@code compare}: are two images' guest contents equal? Exit 0 yes, 1 no, 2 error. */
final class CompareCommand implements Verb {
    static final int DIFFERENT = 1;
    static final int ERROR = 2;

    final ImageOptions options = new ImageOptions();

    String secondFormat;
    boolean progress;
    boolean quiet;

    String first;

    String second;

    @Override
    public Syntax syntax() {
        return ImageOptions.declareSourceCache(options.declare(new Syntax(DiskLensCommand.commandName("compare"),
                        "Compare two images' guest-visible content. Exit 0: identical, 1: different, 2: error.")))
                .option("-F", "FMT", "Format of the second image.", value -> secondFormat = value)
                .flag("-p", "Show progress on stderr (a bar on a terminal, percentage lines otherwise).", () -> progress = true)
                .flag("-q", "Quiet: print nothing, answer with the exit code alone.", () -> quiet = true)
                .parameter("A", options.image(value -> first = value))
                .parameter("B", options.image(value -> second = value));
    }

    @Override
    public String subject(Throwable failure) {
        return failure instanceof FileFailure failed ? failed.file : first;
    }

    @Override
    public int errorCode() {
        return ERROR;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try {
            return compare(out, err);
        } finally {
            options.closePassphrases();
        }
    }

    private int compare(PrintWriter out, PrintWriter err) throws IOException {
        PrintWriter verdict = quiet ? new PrintWriter(Writer.nullWriter()) : out;
        try (ImageChain a = open(first, options.format(first));
             ImageChain b = open(second, options.format(second, secondFormat))) {
            if (a.virtualSize() != b.virtualSize()) {
                verdict.println("Warning: Image size mismatch!");
            }
            ProgressDisplay display = new ProgressDisplay(err, progress && !quiet);
            OptionalLong mismatch = new Comparison(a, b).firstMismatch(display);
            display.close();
            Warnings.print(err, a);
            Warnings.print(err, b);
            if (mismatch.isPresent()) {
                verdict.printf("Content mismatch at offset %d!%n", mismatch.getAsLong());
                verdict.flush();
                return DIFFERENT;
            }
            verdict.println("Images are identical.");
            verdict.flush();
            return 0;
        }
    }

    private ImageChain open(String file, Optional<String> format) throws IOException {
        try {
            ImageChain chain = options.opener(file).openChain(options.path(file), format, true);
            try {
                options.unlockNamed(file, chain);
            } catch (IOException | RuntimeException refused) {
                chain.close();
                throw refused;
            }
            return chain;
        } catch (IOException failure) {
            throw new FileFailure(file, failure);
        }
    }

    /** Tells the error handler which of the two files failed. */
    static final class FileFailure extends IOException {
        final String file;

        FileFailure(String file, IOException cause) {
            super(cause.getMessage(), cause);
            this.file = file;
        }
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;
import org.disklens.inspect.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code compare}: are two images' guest contents equal? Exit 0 yes, 1 no, 2 error. */
@Command(name = "compare", description = "Compare two images' guest-visible content. Exit 0: identical, 1: different, 2: error.")
final class CompareCommand implements Callable<Integer> {
    static final int DIFFERENT = 1;
    static final int ERROR = 2;

    @Mixin
    ImageOptions options;

    @Option(names = "-F", paramLabel = "FMT", description = "Format of the second image.")
    String secondFormat;

    @Parameters(index = "0", paramLabel = "A")
    String first;

    @Parameters(index = "1", paramLabel = "B")
    String second;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (ImageChain a = open(first, options.format());
             ImageChain b = open(second, ImageOptions.checkedFormat(secondFormat))) {
            Warnings.print(spec.commandLine().getErr(), a);
            Warnings.print(spec.commandLine().getErr(), b);
            if (a.virtualSize() != b.virtualSize()) {
                out.println("Warning: Image size mismatch!");
            }
            OptionalLong mismatch = new Comparison(a, b).firstMismatch(ProgressListener.NONE);
            if (mismatch.isPresent()) {
                out.printf("Content mismatch at offset %d!%n", mismatch.getAsLong());
                out.flush();
                return DIFFERENT;
            }
            out.println("Images are identical.");
            out.flush();
            return 0;
        }
    }

    private ImageChain open(String file, Optional<String> format) throws IOException {
        try {
            return options.opener().openChain(Path.of(file), format, true);
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

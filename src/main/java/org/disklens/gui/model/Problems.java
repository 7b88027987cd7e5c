package org.disklens.gui.model;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;
import org.disklens.image.ImageException;
import org.disklens.image.SequentialOnly;

/** Turns a failure into one sentence for the image's pane: never a stack trace. */
public final class Problems {
    private Problems() {
    }

    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case ImageException image -> sentence(inWindowWords(image.getMessage()));
            case NoSuchFileException missing -> "The file does not exist: " + missing.getFile();
            case AccessDeniedException denied -> "You may not read this file: " + denied.getFile();
            case FileSystemException fs -> sentence(fs.getFile() + ": " + reasonOf(fs));
            case EOFException eof -> "The file ends too early: " + eof.getMessage();
            case IOException io -> sentence(io.getMessage() == null ? "could not read the file" : io.getMessage());
            case CancellationException cancelled -> "Cancelled.";
            case OutOfMemoryError memory -> "Not enough memory for this image.";
            default -> "Unexpected problem (%s)%s".formatted(cause.getClass().getSimpleName(),
                    cause.getMessage() == null ? "." : ": " + cause.getMessage());
        };
    }

    /**
     * Whether {@code failure} (or the cause it wraps, unwrapped as {@link #describe} does) is the refusal of an image
     * that can be read only from start to end, as a conversion reads it.
     */
    public static boolean readableOnlyByAConversion(Throwable failure) {
        return unwrap(failure) instanceof SequentialOnly;
    }

    /** The engine names the command line's option for a passphrase; the window asks for it instead. */
    static String inWindowWords(String message) {
        if (message == null) {
            return null;
        }
        return message.replace("locked: give --passphrase-file to read the data", "locked: no passphrase was given "
                + "(Reload to type it)").replace("locked: give --passphrase-file", "locked: no passphrase was given");
    }

    private static String reasonOf(FileSystemException fs) {
        return fs.getReason() == null ? "cannot be read" : fs.getReason();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.ExecutionException
                || cause instanceof java.io.UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String sentence(String text) {
        if (text == null || text.isBlank()) {
            return "The image could not be read.";
        }
        return text;
    }
}

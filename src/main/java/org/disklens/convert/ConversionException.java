package org.disklens.convert;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a conversion did not happen, and which file it is about: the source (unreadable, corrupt) or the target
 * (exists, disk full, refused option). The message is the reason alone, one line; the CLI prints
 * {@code disklens: <file>: <reason>}, the GUI shows both. When writing had started, the reason says that the
 * unfinished files were removed.
 */
public final class ConversionException extends IOException {
    private final Path file;

    ConversionException(Path file, String reason, Throwable cause) {
        super(reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** A one-line reason for any failure, without a stack trace's vocabulary. */
    static String reasonOf(Throwable failure) {
        String message = switch (failure) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason();
            case OutOfMemoryError oom -> "not enough memory";
            case IOException io when io.getMessage() != null -> io.getMessage();
            case IllegalStateException state when state.getMessage() != null -> state.getMessage();
            default -> "internal error: " + failure;
        };
        if (message.contains("No space left on device")) {
            message = "no space left on device";
        }
        return message.replace('\n', ' ');
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;
import org.disklens.image.ImageException;

/** Turns any failure into the one line {@code disklens: <what>: <why>}, never a stack trace. */
final class Failure {
    private Failure() {
    }

    static String describe(String what, Throwable failure) {
        return "disklens: %s: %s".formatted(what, why(what, failure));
    }

    static String why(String what, Throwable failure) {
        String message = switch (failure) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason();
            case ImageException image -> image.getMessage();
            case CancellationException cancelled -> "cancelled";
            case OutOfMemoryError oom -> "not enough memory (the image asks for more than the limits allow)";
            case StackOverflowError deep -> "structure nested too deeply";
            case IOException io -> io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName();
            default -> "internal error: %s%s".formatted(failure.getClass().getSimpleName(),
                    failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
        };
        for (String prefix : new String[] {what + ": ", fileName(what) + ": "}) {
            if (message != null && message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        return message == null ? failure.getClass().getSimpleName() : message.replace('\n', ' ');
    }

    private static String fileName(String what) {
        int slash = what.lastIndexOf('/');
        return slash >= 0 ? what.substring(slash + 1) : what;
    }
}

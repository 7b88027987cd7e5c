package org.disklens.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
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
            case FileSystemException fs -> fileSystemProblem(what, fs);
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

    /**
     * A file operation that failed: why (the JDK gives a reason only sometimes, the exception's type always), and
     * which file when it is not the one the line is about (a folder being written, a link in the way).
     */
    private static String fileSystemProblem(String what, FileSystemException failure) {
        String reason = failure.getReason() != null ? failure.getReason() : switch (failure) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            case FileAlreadyExistsException exists -> "already exists";
            case DirectoryNotEmptyException notEmpty -> "directory not empty";
            case NotDirectoryException notDirectory -> "not a directory";
            case NotLinkException notLink -> "not a symbolic link";
            case FileSystemLoopException loop -> "too many levels of symbolic links";
            default -> "failed (%s)".formatted(failure.getClass().getSimpleName());
        };
        String file = failure.getFile();
        if (file == null || file.equals(what) || file.equals(fileName(what))) {
            return reason;
        }
        return failure.getOtherFile() == null ? "%s: %s".formatted(file, reason)
                : "%s -> %s: %s".formatted(file, failure.getOtherFile(), reason);
    }

    private static String fileName(String what) {
        int slash = what.lastIndexOf('/');
        return slash >= 0 ? what.substring(slash + 1) : what;
    }
}

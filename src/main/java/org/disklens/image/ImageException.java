package org.disklens.image;

import java.io.IOException;

/**
 * Everything wrong with an image's content or with what it asks for. The message is one line that names
 * the format, the structure and the file offset: {@code qcow2: L2 table at 0x50000: entry 41 points past
 * the end of the file (0x10000000000)}. The CLI prints it as is; the GUI shows it in the image's pane.
 */
public class ImageException extends IOException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code format: structure at 0xOFFSET: problem}; the offset is left out when negative. */
    public static String describe(String format, String structure, long hostOffset, String problem) {
        String where = hostOffset >= 0 ? "%s at 0x%x".formatted(structure, hostOffset) : structure;
        return "%s: %s: %s".formatted(format, where, problem);
    }
}

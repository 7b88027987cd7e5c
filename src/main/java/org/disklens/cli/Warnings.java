package org.disklens.cli;

import java.io.PrintWriter;
import org.disklens.image.ImageChain;

/** Problems that do not stop a command (an inconsistent VMDK chain) go to stderr as {@code disklens: warning: …}. */
final class Warnings {
    private Warnings() {
    }

    static void print(PrintWriter err, ImageChain chain) {
        for (String warning : chain.warnings()) {
            err.println("disklens: warning: " + warning);
        }
        err.flush();
    }
}

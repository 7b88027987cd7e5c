package org.disklens.cli;

import java.io.PrintWriter;
import java.util.List;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageChain;

/**
 * Problems that do not stop a command (an inconsistent VMDK chain, a damaged directory read in part) go to stderr as
 * {@code disklens: warning: …}.
 */
final class Warnings {
    private Warnings() {
    }

    static void print(PrintWriter err, ImageChain chain) {
        print(err, chain.warnings());
    }

    /**
     * What the image and the guest file system were read past (a damaged ISO descriptor, a checksum mismatch, a
     * partial directory); printed also when the command then fails, before its error line.
     */
    static void print(PrintWriter err, ContentSource content) {
        print(err, content.chain());
        print(err, content.fileSystem());
    }

    /** What a guest file system found damaged but read past (a checksum mismatch, a partial directory). */
    static void print(PrintWriter err, FileSystem fileSystem) {
        print(err, fileSystem.warnings());
    }

    private static void print(PrintWriter err, List<String> warnings) {
        for (String warning : warnings) {
            err.println("disklens: warning: " + warning);
        }
        err.flush();
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;

/** One verb of the command line: its syntax, bound to its own fields, and what it does. */
interface Verb {
    /** The verb's options and parameters; parsing the arguments sets this verb's fields. */
    Syntax syntax();

    /** Does the work and returns the exit code; a thrown failure becomes one line on {@code err}. */
    int run(PrintWriter out, PrintWriter err) throws IOException;

    /** The same, for verbs that write bytes rather than text to standard output ({@code cat}): {@code bytes} is it. */
    default int run(OutputStream bytes, PrintWriter out, PrintWriter err) throws IOException {
        return run(out, err);
    }

    /** What a failure is about, for {@code disklens: <what>: <why>}: usually the file the verb was given. */
    String subject(Throwable failure);

    /** The exit code of an error (a bad command line, or a failure): qemu-img's compare uses 2, the rest 1. */
    default int errorCode() {
        return DiskLensCommand.ERROR;
    }
}

package org.disklens;

/** The program's name and version, as {@code disklens --version} prints it and the About box shows it. */
public final class Version {
    public static final String TEXT = "DiskLens 0.2.0";

    private Version() {
    }
}

package org.disklens.cli;

import picocli.CommandLine.Option;

/** {@code --json}, and qemu-img's own spelling {@code --output=json|human}, for every command that prints JSON. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON (qemu-img's field names).")
    boolean json;

    @Option(names = "--output", paramLabel = "human|json", description = "Same as --json when 'json' (qemu-img's spelling).")
    void output(String value) {
        json = "json".equals(value);
    }
}

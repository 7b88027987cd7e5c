package org.disklens.cli;

/** {@code --json}, and qemu-img's own spelling {@code --output=json|human}, for every command that prints JSON. */
final class JsonOption {
    boolean json;

    /** Adds {@code --json} and {@code --output=human|json} to {@code syntax}. */
    Syntax declare(Syntax syntax) {
        return syntax.flag("--json", "Print JSON (qemu-img's field names).", () -> json = true)
                .option("--output", "human|json", "Same as --json when 'json' (qemu-img's spelling).", this::output);
    }

    private void output(String value) throws Syntax.UsageError {
        if (!value.equals("json") && !value.equals("human")) {
            throw new Syntax.UsageError("--output is 'human' or 'json', not '%s'".formatted(value));
        }
        json = value.equals("json");
    }
}

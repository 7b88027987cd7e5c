package org.disklens.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** qemu-img and qemu-io: make images, and ask qemu-img for its answers about them. */
public final class Qemu {
    private Qemu() {
    }

    public static void require() {
        Tools.require("qemu-img", "qemu-io");
    }

    /** {@code qemu-img ARGS...} in {@code dir}; must succeed. */
    public static String img(Path dir, String... args) {
        return Tools.run(dir, prepend("qemu-img", args));
    }

    /** {@code qemu-img create -q -f FORMAT [-o OPTIONS] FILE SIZE}. */
    public static Path create(Path dir, String file, String format, String options, String size) {
        List<String> args = new ArrayList<>(List.of("create", "-q", "-f", format));
        if (options != null && !options.isEmpty()) {
            args.add("-o");
            args.add(options);
        }
        args.add(file);
        args.add(size);
        img(dir, args.toArray(String[]::new));
        return dir.resolve(file);
    }

    /** Runs qemu-io commands ({@code "write -P 1 0 64k"}) against an image. */
    public static void io(Path dir, String file, String format, String... commands) {
        List<String> args = new ArrayList<>(List.of("qemu-io", "-f", format));
        for (String command : commands) {
            args.add("-c");
            args.add(command);
        }
        args.add(file);
        Tools.run(dir, args.toArray(String[]::new));
    }

    public static JsonNode info(Path dir, String file, String... extra) {
        return Cli.parse(img(dir, concat(new String[] {"info", "--output=json"}, extra, file)));
    }

    public static JsonNode map(Path dir, String file) {
        return Cli.parse(img(dir, "map", "--output=json", file));
    }

    /** {@code qemu-img check --output=json}: its JSON and exit code (2 corruptions, 3 leaks). */
    public static Tools.Result check(Path dir, String file) {
        return Tools.exec(dir, "qemu-img", "check", "--output=json", file);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String[] concat(String[] head, String[] middle, String last) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(middle));
        all.add(last);
        return all.toArray(String[]::new);
    }
}

package org.disklens.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Tools;

/**
 * cryptsetup on plain files (no device-mapper needed): {@code luksFormat}, {@code luksDump} and the volume key it
 * dumps, and the facts DiskLens's header readers must agree with.
 */
public final class Cryptsetup {
    private Cryptsetup() {
    }

    public static void require() {
        Tools.require("cryptsetup");
    }

    /** {@code cryptsetup luksFormat --batch-mode --key-file KEYFILE ARGS... FILE}. */
    public static void format(Path dir, String file, String keyFile, String... args) {
        List<String> line = new ArrayList<>(List.of("cryptsetup", "luksFormat", "--batch-mode", "--key-file", keyFile));
        line.addAll(List.of(args));
        line.add(file);
        Tools.run(dir, line.toArray(String[]::new));
    }

    public static String dump(Path dir, String file) {
        return Tools.run(dir, "cryptsetup", "luksDump", file);
    }

    /** The volume key as {@code luksDump --dump-volume-key} (LUKS2) or {@code --dump-master-key} (LUKS1) prints it. */
    public static byte[] volumeKey(Path dir, String file, String keyFile, int version) {
        String out = Tools.run(dir, "cryptsetup", "luksDump", version == 1 ? "--dump-master-key" : "--dump-volume-key",
                "--key-file", keyFile, "--batch-mode", file);
        StringBuilder hex = new StringBuilder();
        boolean inDump = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith("MK dump:")) {
                inDump = true;
                line = line.substring("MK dump:".length());
            } else if (inDump && !line.startsWith("\t") && !line.startsWith(" ")) {
                break;
            }
            if (inDump) {
                hex.append(line.replaceAll("[^0-9a-fA-F]", ""));
            }
        }
        if (hex.isEmpty()) {
            throw new IllegalStateException("no MK dump in: " + out);
        }
        return HexFormat.of().parseHex(hex);
    }

    /** The first value after {@code label} in luksDump's output ({@code UUID:}, {@code offset:}, {@code cipher:}). */
    public static Optional<String> field(String dump, String label) {
        Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s*(\\S+)").matcher(dump);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}

package org.disklens.image.ova;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.image.LimitExceeded;

/**
 * An OVF manifest ({@code .mf}): one line per file, {@code SHA256(name.vmdk)= 3f4a…} as ovftool writes it, or
 * {@code SHA1 (name.ovf) = …} with spaces as VirtualBox and older tools do. SHA-1, SHA-224, SHA-256, SHA-384 and
 * SHA-512 are known; lines that say something else are kept as problems for {@code check}.
 */
record Manifest(List<Entry> entries, List<String> problems) {
    /** A manifest (or certificate) larger than this is refused. */
    static final int MAX_SIZE = 1 << 20;

    private static final Pattern LINE = Pattern.compile("\\s*([A-Za-z0-9-]+)\\s*\\((.*)\\)\\s*=\\s*([0-9A-Fa-f]+)\\s*");
    private static final Map<String, String> ALGORITHMS = Map.of("SHA1", "SHA-1", "SHA224", "SHA-224",
            "SHA256", "SHA-256", "SHA384", "SHA-384", "SHA512", "SHA-512");
    private static final Map<String, Integer> DIGEST_BYTES = Map.of("SHA-1", 20, "SHA-224", 28, "SHA-256", 32,
            "SHA-384", 48, "SHA-512", 64);

    /**
     * One digest line.
     *
     * @param algorithm as written ({@code SHA256})
     * @param javaName  the JDK's name for it ({@code SHA-256})
     * @param digest    lower-case hex
     */
    record Entry(String algorithm, String javaName, String file, String digest, int line) {
    }

    static Manifest parse(byte[] bytes, String format, long hostOffset) throws LimitExceeded {
        if (bytes.length > MAX_SIZE) {
            throw new LimitExceeded(format, "manifest", hostOffset,
                    "%d bytes exceed the limit of %d".formatted(bytes.length, MAX_SIZE));
        }
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Optional<Entry> entry = line(lines[i], i + 1);
            if (entry.isPresent()) {
                entries.add(entry.get());
            } else {
                problems.add("line %d is not \"SHA256(file)= digest\": %s".formatted(i + 1, TarIndex.shown(lines[i])));
            }
        }
        return new Manifest(entries, problems);
    }

    /** One {@code ALGORITHM(file)= hex} line, if it is one with a known algorithm and a digest of the right length. */
    static Optional<Entry> line(String text, int number) {
        Matcher matcher = LINE.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String algorithm = matcher.group(1).toUpperCase(Locale.ROOT).replace("-", "");
        String javaName = ALGORITHMS.get(algorithm);
        String digest = matcher.group(3).toLowerCase(Locale.ROOT);
        if (javaName == null || digest.length() != 2 * DIGEST_BYTES.get(javaName)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(matcher.group(1), javaName, matcher.group(2).strip(), digest, number));
    }
}

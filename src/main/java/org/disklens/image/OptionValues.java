package org.disklens.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The creation options of one target format, consumed one by one so that whatever is left at the end is an
 * unknown option (refused, as qemu-img refuses it). Values are parsed the way qemu parses them: sizes with
 * binary suffixes ({@code 64k}, {@code 2M}), booleans as {@code on}/{@code off}.
 */
public final class OptionValues {
    private final String format;
    private final Map<String, String> remaining;

    public OptionValues(String format, Map<String, String> options) {
        this.format = format;
        this.remaining = new LinkedHashMap<>(options);
    }

    public Optional<String> text(String key) {
        return Optional.ofNullable(remaining.remove(key));
    }

    /** One of {@code allowed}, compared without case; the allowed spelling is returned. */
    public Optional<String> choice(String key, List<String> allowed) throws InvalidRequest {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return value;
        }
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.get())) {
                return Optional.of(candidate);
            }
        }
        throw new InvalidRequest("Parameter '%s' does not accept value '%s' (allowed: %s)"
                .formatted(key, value.get(), String.join(", ", allowed)));
    }

    public Optional<Boolean> bool(String key) throws InvalidRequest {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true" -> Optional.of(true);
            case "off", "no", "false" -> Optional.of(false);
            default -> throw new InvalidRequest("Parameter '%s' expects 'on' or 'off'".formatted(key));
        };
    }

    public Optional<Long> size(String key) throws InvalidRequest {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseSize(value.get(), "Parameter '%s' expects a size".formatted(key)));
    }

    public Optional<Long> number(String key) throws InvalidRequest {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.get().strip()));
        } catch (NumberFormatException notANumber) {
            throw new InvalidRequest("Parameter '%s' expects a number".formatted(key));
        }
    }

    /** Refuses options DiskLens knows qemu has but does not implement, with a clear reason. */
    public void refuse(String key, String why) throws InvalidRequest {
        if (remaining.containsKey(key) || key.endsWith(".") && remaining.keySet().stream().anyMatch(k -> k.startsWith(key))) {
            throw new InvalidRequest("%s option '%s' is not supported: %s".formatted(format, key.endsWith(".") ? key + "*" : key, why));
        }
    }

    /** Everything was consumed, or the first leftover is an unknown parameter. */
    public void requireAllUsed() throws InvalidRequest {
        if (!remaining.isEmpty()) {
            throw new InvalidRequest("Invalid parameter '%s' for file format '%s'"
                    .formatted(remaining.keySet().iterator().next(), format));
        }
    }

    public static long parseSize(String text, String problem) throws InvalidRequest {
        try {
            return QemuSize.parse(text);
        } catch (NumberFormatException invalid) {
            throw new InvalidRequest(problem);
        }
    }
}

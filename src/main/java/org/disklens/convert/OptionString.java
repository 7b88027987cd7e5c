package org.disklens.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.InvalidRequest;

/** qemu's option syntax: {@code key=value,key=value}, a doubled comma standing for a comma inside a value. */
final class OptionString {
    private OptionString() {
    }

    static Map<String, String> parse(String text) throws InvalidRequest {
        Map<String, String> options = new LinkedHashMap<>();
        int at = 0;
        while (at < text.length()) {
            StringBuilder item = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == ',' && at + 1 < text.length() && text.charAt(at + 1) == ',') {
                    item.append(',');
                    at += 2;
                } else if (c == ',') {
                    at++;
                    break;
                } else {
                    item.append(c);
                    at++;
                }
            }
            String option = item.toString();
            if (option.isEmpty()) {
                continue;
            }
            int equals = option.indexOf('=');
            if (equals <= 0) {
                throw new InvalidRequest("Invalid parameter '%s' (expected key=value)".formatted(option));
            }
            options.put(option.substring(0, equals), option.substring(equals + 1));
        }
        return options;
    }
}

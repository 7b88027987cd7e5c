package org.disklens.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * "DiskLens says at least what qemu-img says": every field of the reference answer must be present in
 * ours with an equal value (objects recursively; arrays element by element, same length). DiskLens may
 * add fields (the contract allows additions, never renamings).
 */
public final class JsonSubset {
    private JsonSubset() {
    }

    public static void assertContains(JsonNode expected, JsonNode actual) {
        compare("$", expected, actual);
    }

    private static void compare(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || actual.isMissingNode()) {
            fail("%s: missing, expected %s", path, expected);
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                fail("%s: expected an object %s, got %s", path, expected, actual);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                compare(path + "." + field.getKey(), field.getValue(), actual.get(field.getKey()));
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                fail("%s: expected %d elements %s, got %s", path, expected.size(), expected, actual);
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else if (expected.isNumber() ? !(actual.isNumber() && expected.decimalValue().compareTo(actual.decimalValue()) == 0)
                : !expected.equals(actual)) {
            fail("%s: expected %s, got %s", path, expected, actual);
        }
    }
}

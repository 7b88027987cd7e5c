package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.disklens.image.DiskImage;

/**
 * The rows of the header property sheet: every header field and extension the format reports, as stored (names as
 * its specification spells them), then the format-specific facts qemu-img shows for any format.
 */
final class HeaderFields {
    private HeaderFields() {
    }

    static List<HeaderField> of(DiskImage image) {
        List<HeaderField> fields = new ArrayList<>();
        for (org.disklens.image.HeaderField field : image.headerFields()) {
            fields.add(new HeaderField(field.group(), field.name(), field.value(), field.description()));
        }
        flatten("qemu-img info: format-specific", "", image.formatSpecific(UnaryOperator.identity()), fields);
        return List.copyOf(fields);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String group, String prefix, Map<String, Object> map, List<HeaderField> fields) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String name = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(group, name + ".", (Map<String, Object>) nested, fields);
            } else if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?>) {
                for (int index = 0; index < list.size(); index++) {
                    flatten(group, "%s[%d].".formatted(name, index), (Map<String, Object>) list.get(index), fields);
                }
            } else {
                fields.add(new HeaderField(group, name, String.valueOf(value), ""));
            }
        }
    }
}

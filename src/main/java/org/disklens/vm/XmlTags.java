package org.disklens.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tags of an XML text with the exact character positions of their attribute values, so that two
 * attribute values can be replaced while every other byte of the document stays as it was. Comments,
 * CDATA sections, processing instructions and the declaration are skipped, never parsed as tags.
 */
final class XmlTags {
    /** An attribute's value sits at {@code [valueStart, valueEnd)} of the text, between {@code quote}s. */
    record Attribute(String name, int valueStart, int valueEnd, char quote) {
    }

    /** A start, end or empty-element tag at {@code [start, end)}; {@code attributesEnd} is before {@code >} or {@code />}. */
    record Tag(String name, int start, int end, int attributesEnd, boolean closing, boolean empty, List<Attribute> attributes) {
        Optional<Attribute> attribute(String attributeName) {
            return attributes.stream().filter(attribute -> attribute.name().equals(attributeName)).findFirst();
        }
    }

    private XmlTags() {
    }

    static List<Tag> scan(String text) {
        List<Tag> tags = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf('<', at)) >= 0) {
            if (text.startsWith("<!--", at)) {
                at = skipPast(text, at, "-->");
            } else if (text.startsWith("<![CDATA[", at)) {
                at = skipPast(text, at, "]]>");
            } else if (text.startsWith("<?", at)) {
                at = skipPast(text, at, "?>");
            } else if (text.startsWith("<!", at)) {
                at = skipPast(text, at, ">");
            } else {
                Tag tag = tag(text, at);
                tags.add(tag);
                at = tag.end();
            }
        }
        return tags;
    }

    private static int skipPast(String text, int from, String terminator) {
        int end = text.indexOf(terminator, from);
        return end < 0 ? text.length() : end + terminator.length();
    }

    private static Tag tag(String text, int start) {
        int at = start + 1;
        boolean closing = at < text.length() && text.charAt(at) == '/';
        if (closing) {
            at++;
        }
        int nameStart = at;
        while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != '>' && text.charAt(at) != '/') {
            at++;
        }
        String name = text.substring(nameStart, at);
        List<Attribute> attributes = new ArrayList<>();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '>' || (c == '/' && at + 1 < text.length() && text.charAt(at + 1) == '>')) {
                boolean empty = c == '/';
                return new Tag(name, start, at + (empty ? 2 : 1), at, closing, empty, attributes);
            }
            if (Character.isWhitespace(c)) {
                at++;
                continue;
            }
            int attributeStart = at;
            while (at < text.length() && text.charAt(at) != '=' && !Character.isWhitespace(text.charAt(at))
                    && text.charAt(at) != '>') {
                at++;
            }
            String attributeName = text.substring(attributeStart, at);
            while (at < text.length() && (Character.isWhitespace(text.charAt(at)) || text.charAt(at) == '=')) {
                at++;
            }
            if (at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"')) {
                char quote = text.charAt(at);
                int valueEnd = text.indexOf(quote, at + 1);
                valueEnd = valueEnd < 0 ? text.length() : valueEnd;
                attributes.add(new Attribute(attributeName, at + 1, valueEnd, quote));
                at = valueEnd + 1;
            }
        }
        return new Tag(name, start, text.length(), text.length(), closing, false, attributes);
    }

    /** An attribute value as written, with the five predefined entities and character references resolved. */
    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int semicolon = c == '&' ? value.indexOf(';', i) : -1;
            if (semicolon < 0) {
                out.append(c);
                continue;
            }
            String entity = value.substring(i + 1, semicolon);
            switch (entity) {
                case "amp" -> out.append('&');
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "quot" -> out.append('"');
                case "apos" -> out.append('\'');
                default -> {
                    if (entity.startsWith("#x")) {
                        out.appendCodePoint(Integer.parseInt(entity.substring(2), 16));
                    } else if (entity.startsWith("#")) {
                        out.appendCodePoint(Integer.parseInt(entity.substring(1)));
                    } else {
                        out.append(value, i, semicolon + 1);
                    }
                }
            }
            i = semicolon;
        }
        return out.toString();
    }

    static String escape(String value, char quote) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(quote == '\'' ? "'" : "\"", quote == '\'' ? "&apos;" : "&quot;");
    }
}

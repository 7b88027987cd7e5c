package org.disklens.image;

/**
 * One field of an image's on-disk header or header extensions, for display: its group ("Header (qcow2)"), its name
 * as the specification spells it, its value in words, what it means, and where it is in the file (-1 when it has no
 * single place).
 */
public record HeaderField(String group, String name, String value, String description, long hostOffset) {
}

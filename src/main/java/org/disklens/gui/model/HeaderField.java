package org.disklens.gui.model;

/** One read-only row of the header property sheet: a category, a name, its value and what it means. */
public record HeaderField(String category, String name, String value, String description) {
}

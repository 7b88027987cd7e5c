package org.disklens.image;

/** A feature or state of an image worth a badge ("lazy refcounts: on"), and how much it should worry a user. */
public record FeatureFlag(String name, String value, Concern concern) {
    public enum Concern { NEUTRAL, GOOD, WARNING, DANGER }
}

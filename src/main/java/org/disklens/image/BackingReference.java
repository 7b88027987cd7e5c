package org.disklens.image;

import java.util.Optional;

/** The backing file an image names, as written in it, and the format it says that file has. */
public record BackingReference(String name, Optional<String> format) {
}

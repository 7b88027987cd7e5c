package org.disklens.io;

import java.nio.file.Path;

/** A source that reads one file, and can say which (for messages and qemu-img's map, which names the file). */
public interface FileSource extends BlockSource {
    Path path();
}

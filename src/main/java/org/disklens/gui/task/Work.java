package org.disklens.gui.task;

import org.disklens.image.ProgressListener;

/** Background work: reads images, reports progress, stops when {@code progress} says it is cancelled. */
@FunctionalInterface
public interface Work<T> {
    T run(ProgressListener progress) throws Exception;
}

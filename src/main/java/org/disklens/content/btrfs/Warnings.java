package org.disklens.content.btrfs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Damage found while reading, each said once; bounded, so a badly damaged volume cannot fill memory with them. */
final class Warnings {
    static final int MAX = 100;
    private final Set<String> messages = new LinkedHashSet<>();
    private long omitted;

    synchronized void add(String message) {
        if (messages.contains(message)) {
            return;
        }
        if (messages.size() < MAX) {
            messages.add(message);
        } else {
            omitted++;
        }
    }

    synchronized List<String> all() {
        List<String> all = new ArrayList<>(messages);
        if (omitted > 0) {
            all.add("%d more warnings were left out".formatted(omitted));
        }
        return List.copyOf(all);
    }
}

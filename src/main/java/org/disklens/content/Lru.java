package org.disklens.content;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded by the weight of what it holds (bytes, roughly). Lookups and inserts are
 * synchronized; loading happens outside the lock, so two threads may load the same key once each.
 */
public final class Lru<K, V> {
    /** Loads a missing value. */
    @FunctionalInterface
    public interface Loader<V> {
        V load() throws IOException;
    }

    private final long budget;
    private final ToLongFunction<V> weight;
    private final LinkedHashMap<K, V> values = new LinkedHashMap<>(64, 0.75f, true);
    private long used;

    public Lru(long budget, ToLongFunction<V> weight) {
        this.budget = budget;
        this.weight = weight;
    }

    public V get(K key, Loader<V> loader) throws IOException {
        synchronized (this) {
            V cached = values.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V loaded = loader.load();
        synchronized (this) {
            V previous = values.put(key, loaded);
            if (previous != null) {
                used -= weight.applyAsLong(previous);
            }
            used += weight.applyAsLong(loaded);
            Iterator<Map.Entry<K, V>> oldest = values.entrySet().iterator();
            while (used > budget && values.size() > 1 && oldest.hasNext()) {
                Map.Entry<K, V> evicted = oldest.next();
                if (evicted.getKey().equals(key)) {
                    continue;
                }
                used -= weight.applyAsLong(evicted.getValue());
                oldest.remove();
            }
        }
        return loaded;
    }
}

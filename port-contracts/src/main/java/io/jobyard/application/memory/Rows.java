package io.jobyard.application.memory;

import java.util.Collection;
import java.util.Comparator;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rows of one in-memory table, keyed and ordered by their id. Writes register their undo with the transactor;
 * callers hold the transactor's lock for every access.
 */
final class Rows<K, V> {
    private final InMemoryTransactor transactor;
    private final TreeMap<K, V> rows;

    Rows(InMemoryTransactor transactor, Comparator<? super K> order) {
        this.transactor = transactor;
        this.rows = new TreeMap<>(order);
    }

    Optional<V> get(K key) {
        return Optional.ofNullable(rows.get(key));
    }

    boolean contains(K key) {
        return rows.containsKey(key);
    }

    /** All rows in key order. */
    Collection<V> all() {
        return rows.values();
    }

    /** The rows themselves, for ordered reads (callers must not modify it). */
    NavigableMap<K, V> view() {
        return rows;
    }

    /** All rows, highest key first. */
    Collection<V> descending() {
        return rows.descendingMap().values();
    }

    void put(K key, V value) {
        V previous = rows.put(key, value);
        transactor.onRollback(() -> restore(key, previous));
    }

    boolean remove(K key) {
        V previous = rows.remove(key);
        if (previous == null) {
            return false;
        }
        transactor.onRollback(() -> rows.put(key, previous));
        return true;
    }

    private void restore(K key, V previous) {
        if (previous == null) {
            rows.remove(key);
        } else {
            rows.put(key, previous);
        }
    }
}

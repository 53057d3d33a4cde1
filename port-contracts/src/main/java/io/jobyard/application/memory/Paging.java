package io.jobyard.application.memory;

import java.util.List;
import java.util.stream.Stream;

/** Offset and limit the way SQL applies them, with the same refusal of negative values. */
final class Paging {
    private Paging() {
    }

    static <T> List<T> page(Stream<T> ordered, long offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return ordered.skip(offset).limit(limit).toList();
    }
}

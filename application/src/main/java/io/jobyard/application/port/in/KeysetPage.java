package io.jobyard.application.port.in;

import java.util.List;

/**
 * One keyset page of a listing: its items and whether another page follows. Keyset pages have no count (GitLab's
 * keyset responses carry no {@code X-Total}); the next page starts after the last item.
 */
public record KeysetPage<T>(List<T> items, boolean hasNext) {
    public KeysetPage {
        items = List.copyOf(items);
    }

    /** The page of {@code rows} read with one row more than {@code perPage}, which tells whether another follows. */
    public static <T> KeysetPage<T> of(List<T> rows, int perPage) {
        boolean hasNext = rows.size() > perPage;
        return new KeysetPage<>(hasNext ? rows.subList(0, perPage) : rows, hasNext);
    }
}

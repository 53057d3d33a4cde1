package io.jobyard.application.port.in;

import java.util.List;

/**
 * One page of an offset-paged listing that counts (users, projects, members), as GitLab's {@code X-Total} needs.
 *
 * @param total how many items the whole listing has
 */
public record ListPage<T>(List<T> items, long total, Pagination.Offset page) {
    public ListPage {
        items = List.copyOf(items);
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative");
        }
    }

    public boolean hasNext() {
        return page.offset() + items.size() < total;
    }
}

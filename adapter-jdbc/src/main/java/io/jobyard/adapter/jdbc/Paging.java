package io.jobyard.adapter.jdbc;

/**
 * LIMIT and OFFSET as literals. Bound as parameters they let PostgreSQL settle on a generic plan that assumes a large
 * limit, and it then sorts a project's million jobs for the newest hundred; as literals the planner sees the small
 * limit and walks the index. They are numbers checked here, never text from a request.
 */
final class Paging {
    private Paging() {
    }

    static String limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return " LIMIT " + limit;
    }

    static String limitOffset(int limit, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        return limit(limit) + (offset == 0 ? "" : " OFFSET " + offset);
    }
}

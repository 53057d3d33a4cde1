package io.jobyard.application.port.in;

import io.jobyard.domain.job.JobId;

/** How a listing is paged: by page number, or by keyset (ids below the cursor's). */
public sealed interface Pagination {
    int MAX_PER_PAGE = 100;
    int DEFAULT_PER_PAGE = 20;

    int perPage();

    /** Offset paging; {@code page} is 1-based. */
    record Offset(long page, int perPage) implements Pagination {
        public Offset {
            if (page < 1) {
                throw new IllegalArgumentException("page must be at least 1");
            }
            if (perPage < 1 || perPage > MAX_PER_PAGE) {
                throw new IllegalArgumentException("per_page must be 1.." + MAX_PER_PAGE);
            }
        }

        public long offset() {
            return (page - 1) * perPage;
        }
    }

    /** Keyset paging, id descending: the jobs with id below {@code beforeId} (null for the first page). */
    record Keyset(JobId beforeId, int perPage) implements Pagination {
        public Keyset {
            if (perPage < 1 || perPage > MAX_PER_PAGE) {
                throw new IllegalArgumentException("per_page must be 1.." + MAX_PER_PAGE);
            }
        }
    }
}

package io.jobyard.application.port.in;

import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.job.JobId;

/** How a listing is paged: by page number, or by keyset (the rows after the cursor's in the listing's order). */
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

    /**
     * Keyset paging: the rows after {@code after} in the listing's order (null for the first page), the order being
     * the listing's own (newest first unless the query names another).
     */
    record Keyset(SortKey after, int perPage) implements Pagination {
        public Keyset {
            if (perPage < 1 || perPage > MAX_PER_PAGE) {
                throw new IllegalArgumentException("per_page must be 1.." + MAX_PER_PAGE);
            }
        }

        /** Newest first by id: the rows with id below {@code beforeId} (null for the first page). */
        public Keyset(JobId beforeId, int perPage) {
            this(beforeId == null ? null : SortKey.ofId(beforeId.value()), perPage);
        }

        /** The first page. */
        public static Keyset first(int perPage) {
            return new Keyset((SortKey) null, perPage);
        }
    }
}

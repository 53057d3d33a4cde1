package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.application.port.in.Pagination;

import java.math.BigInteger;
import java.util.Optional;

/**
 * GitLab's {@code page} / {@code per_page} (Grape validation, then Kaminari's leniency): {@code per_page=0} is refused
 * (400), a negative {@code per_page} or a {@code page} below 1 fall back to the defaults, {@code per_page} above 100 is
 * clamped to 100.
 *
 * @param requestedPage    the {@code page} as sent, when sent (the offset limit only applies then, as in GitLab)
 * @param requestedPerPage the {@code per_page} as sent, or the default
 */
public record OffsetPaging(long page, int perPage, BigInteger requestedPage, BigInteger requestedPerPage) {
    /** Keeps {@code (page - 1) * per_page} inside a long when the offset limit is switched off. */
    private static final long MAX_PAGE = Long.MAX_VALUE / Pagination.MAX_PER_PAGE;

    public static OffsetPaging read(Params params) {
        Optional<BigInteger> page = params.integer("page");
        BigInteger perPage = PerPage.requested(params);
        long effectivePage = page.filter(p -> p.signum() > 0)
                .map(p -> p.min(BigInteger.valueOf(MAX_PAGE)).longValueExact())
                .orElse(1L);
        return new OffsetPaging(effectivePage, PerPage.effective(perPage), page.orElse(null), perPage);
    }

    public Pagination.Offset pagination() {
        return new Pagination.Offset(page, perPage);
    }

    /**
     * GitLab's {@code offset_limit_exceeded?}: {@code page × per_page} as requested above the plan's limit. The
     * product with the effective per_page is checked too, so no huge page reaches a repository.
     */
    boolean exceeds(long limit) {
        if (limit <= 0 || requestedPage == null) {
            return false;
        }
        BigInteger bound = BigInteger.valueOf(limit);
        return requestedPage.multiply(requestedPerPage).compareTo(bound) > 0
                || BigInteger.valueOf(page).multiply(BigInteger.valueOf(perPage)).compareTo(bound) > 0;
    }

    static ApiError limitExceeded(long limit) {
        return ApiError.error(405, "Offset pagination has a maximum allowed offset of " + limit
                + " for requests that return objects of type Ci::Build. Remaining records can be retrieved using"
                + " keyset pagination.");
    }

    /** {@code per_page}, shared by offset and keyset paging. */
    static final class PerPage {
        private PerPage() {
        }

        static BigInteger requested(Params params) {
            Optional<BigInteger> perPage = params.integer("per_page");
            if (perPage.isPresent() && perPage.get().signum() == 0) {
                throw RequestValues.notAllowed("per_page");
            }
            return perPage.orElse(BigInteger.valueOf(Pagination.DEFAULT_PER_PAGE));
        }

        static int effective(BigInteger requested) {
            if (requested.signum() < 0) {
                return Pagination.DEFAULT_PER_PAGE;
            }
            return requested.min(BigInteger.valueOf(Pagination.MAX_PER_PAGE)).intValueExact();
        }
    }
}

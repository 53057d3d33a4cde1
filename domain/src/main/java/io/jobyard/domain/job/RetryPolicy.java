package io.jobyard.domain.job;

import java.util.Set;

/**
 * A job's {@code retry:}: how many automatic retries a failure earns, and for which failure reasons.
 * GitLab allows 0 to 2; an empty {@code when} means "always" (any reason).
 */
public record RetryPolicy(int max, Set<String> when) {
    public static final RetryPolicy NONE = new RetryPolicy(0, Set.of());

    public RetryPolicy {
        if (max < 0 || max > 2) {
            throw new IllegalArgumentException("retry max must be 0, 1 or 2, was " + max);
        }
        when = Set.copyOf(when);
    }

    /** Whether a job that failed for {@code reason}, after {@code retriesSoFar} automatic retries, is retried again. */
    public boolean retries(FailureReason reason, int retriesSoFar) {
        if (retriesSoFar >= max) {
            return false;
        }
        return when.isEmpty() || when.contains("always") || when.contains(reason.wireName());
    }
}

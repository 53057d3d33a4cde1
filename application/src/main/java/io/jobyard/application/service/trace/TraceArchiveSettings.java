package io.jobyard.application.service.trace;

import java.time.Duration;
import java.util.Objects;

/**
 * How the background archiving of finished jobs' logs runs on one instance.
 *
 * @param threads    how many logs this instance archives at once; 0 leaves archiving to the other instances
 * @param firstRetry the delay before a failed archive is tried again; each further failure doubles it, up to
 *                   {@code maxRetry}
 * @param maxRetry   the longest delay between two attempts
 * @param lease      how long an instance holds an entry it works on: a killed instance's entries are taken by another
 *                   (or by itself after a restart) once this has passed; long enough to copy the largest log
 * @param poll       how often an idle worker looks for entries other instances queued (a completion on this instance
 *                   wakes it at once)
 */
public record TraceArchiveSettings(int threads, Duration firstRetry, Duration maxRetry, Duration lease,
                                   Duration poll) {
    public static final TraceArchiveSettings DEFAULTS = new TraceArchiveSettings(2, Duration.ofSeconds(5),
            Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofSeconds(2));

    public TraceArchiveSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("trace archive threads must not be negative");
        }
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(poll, "poll");
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("trace archive retry delays must be positive, the first no longer "
                    + "than the longest");
        }
        if (lease.isNegative() || lease.isZero() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("the trace archive lease and poll must be positive");
        }
    }

    public TraceArchiveSettings withThreads(int value) {
        return new TraceArchiveSettings(value, firstRetry, maxRetry, lease, poll);
    }

    public TraceArchiveSettings withLease(Duration value) {
        return new TraceArchiveSettings(threads, firstRetry, maxRetry, value, poll);
    }

    public TraceArchiveSettings withRetry(Duration first, Duration max) {
        return new TraceArchiveSettings(threads, first, max, lease, poll);
    }

    public TraceArchiveSettings withPoll(Duration value) {
        return new TraceArchiveSettings(threads, firstRetry, maxRetry, lease, value);
    }
}

package io.jobyard.application.port.out;

import io.jobyard.domain.job.Job;

import java.time.Instant;

/**
 * The orders of the job lists ({@code order_by}), each a total order with the id as tie-breaker. Every order has one
 * number per job, {@link #keyOf}, so that a keyset position is two numbers whatever the order, and the in-memory
 * store, the databases and the HTTP cursor agree on it exactly.
 *
 * <p>Times are whole microseconds since the epoch (the precision the databases keep). A job that has not finished has
 * no finish time and no duration; it sorts after every finished job in ascending order (first in descending order),
 * as if it would finish at the end of time — PostgreSQL's {@code NULLS LAST} for ascending order, spelled as a value
 * so that both databases page through it the same way.
 */
public enum JobOrder {
    /** GitLab's only order: the id. */
    ID,
    CREATED_AT,
    /** The change feed's order: a client following it with keyset pages sees each change once. */
    UPDATED_AT,
    /** The finish time; unfinished jobs last (ascending). */
    FINISHED_AT,
    /** Seconds from start to finish; jobs without both last (ascending). */
    DURATION;

    /** The sort value of a job that has none (not finished, or never started). */
    public static final long NONE = Long.MAX_VALUE;

    /** The job's sort value in this order. */
    public long keyOf(Job job) {
        return switch (this) {
            case ID -> job.id().value();
            case CREATED_AT -> micros(job.createdAt());
            case UPDATED_AT -> micros(job.updatedAt());
            case FINISHED_AT -> finishedKey(job);
            case DURATION -> durationKey(job);
        };
    }

    /** {@link #FINISHED_AT}'s value: the finish time, or {@link #NONE}. */
    public static long finishedKey(Job job) {
        return job.finishedAt() == null ? NONE : micros(job.finishedAt());
    }

    /** {@link #DURATION}'s value: microseconds from start to finish, or {@link #NONE} without both. */
    public static long durationKey(Job job) {
        if (job.startedAt() == null || job.finishedAt() == null) {
            return NONE;
        }
        return micros(job.finishedAt()) - micros(job.startedAt());
    }

    /** Whole microseconds since the epoch, rounded down (the precision both databases store). */
    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant of {@link #micros}. */
    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}

package io.jobyard.application.port.out;

import io.jobyard.domain.job.Job;

import java.time.Instant;
import java.util.Objects;

/** An order of a job list and its direction ({@code order_by} and {@code sort}). */
public record JobOrdering(JobOrder by, boolean ascending) {
    /** GitLab's order: newest (highest id) first. */
    public static final JobOrdering NEWEST_FIRST = new JobOrdering(JobOrder.ID, false);

    public JobOrdering {
        Objects.requireNonNull(by, "by");
    }

    /** The job's sort value in this order and direction ({@link JobOrder#keyOf}). */
    public long keyOf(Job job) {
        return by.keyOf(job, ascending);
    }

    /**
     * The orders of the job lists ({@code order_by}), each a total order with the id as tie-breaker. Every order has
     * one number per job and direction, {@link #keyOf}, so that a keyset position is two numbers whatever the order,
     * and the in-memory store, the databases and the HTTP cursor agree on it exactly.
     *
     * <p>Times are whole microseconds since the epoch (the precision the databases keep). A job that has not finished
     * has no finish time and no duration; it sorts after every job that has one, in both directions ("nulls last"): a
     * list of the latest finished jobs starts with them, not with every job still running. Spelled as a value
     * ({@link #NONE_ASCENDING}, {@link #NONE_DESCENDING}) rather than as NULL, so that both databases page through it
     * alike and each direction reads an index of its own in order. (Nested here because {@code port.out} holds only
     * interfaces and records at its top level.)
     */
    public enum JobOrder {
        /** GitLab's only order: the id. */
        ID,
        CREATED_AT,
        /** The change feed's order: a client following it with keyset pages sees each change once. */
        UPDATED_AT,
        /** The finish time; unfinished jobs last. */
        FINISHED_AT,
        /** Seconds from start to finish; jobs without both last. */
        DURATION;

        /** The value of a job without a finish time (or duration) in ascending order: after every other. */
        public static final long NONE_ASCENDING = Long.MAX_VALUE;
        /** The value of a job without a finish time (or duration) in descending order: after every other too. */
        public static final long NONE_DESCENDING = Long.MIN_VALUE;

        /** The job's sort value in this order and direction. */
        public long keyOf(Job job, boolean ascending) {
            return switch (this) {
                case ID -> job.id().value();
                case CREATED_AT -> micros(job.createdAt());
                case UPDATED_AT -> micros(job.updatedAt());
                case FINISHED_AT -> finishedKey(job, ascending);
                case DURATION -> durationKey(job, ascending);
            };
        }

        /** Whether this order has values a job may lack (which sort last in both directions). */
        public boolean hasNone() {
            return this == FINISHED_AT || this == DURATION;
        }

        /** The value a job without one has in this order, in {@code ascending} order. */
        public static long none(boolean ascending) {
            return ascending ? NONE_ASCENDING : NONE_DESCENDING;
        }

        /** {@link #FINISHED_AT}'s value: the finish time, or {@link #none}. */
        public static long finishedKey(Job job, boolean ascending) {
            return job.finishedAt() == null ? none(ascending) : micros(job.finishedAt());
        }

        /** {@link #DURATION}'s value: microseconds from start to finish, or {@link #none} without both. */
        public static long durationKey(Job job, boolean ascending) {
            if (job.startedAt() == null || job.finishedAt() == null) {
                return none(ascending);
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
}

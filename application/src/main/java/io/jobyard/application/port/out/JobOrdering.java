package io.jobyard.application.port.out;

import java.util.Objects;

/** An order of a job list and its direction ({@code order_by} and {@code sort}). */
public record JobOrdering(JobOrder by, boolean ascending) {
    /** GitLab's order: newest (highest id) first. */
    public static final JobOrdering NEWEST_FIRST = new JobOrdering(JobOrder.ID, false);

    public JobOrdering {
        Objects.requireNonNull(by, "by");
    }

    /** The job's sort value in this order and direction ({@link JobOrder#keyOf}). */
    public long keyOf(io.jobyard.domain.job.Job job) {
        return by.keyOf(job, ascending);
    }
}

package io.jobyard.application.port.out;

import io.jobyard.domain.job.JobStatus;

/**
 * Hears of every job status change once it is committed, for operations (metrics) rather than behaviour: nothing in
 * Jobyard depends on it. {@link #NONE} is the default.
 */
@FunctionalInterface
public interface JobEventListener {

    JobEventListener NONE = (from, to) -> { };

    /**
     * A job entered {@code to}.
     *
     * @param from the status it left, or null for a job that was just created
     */
    void transitioned(JobStatus from, JobStatus to);
}

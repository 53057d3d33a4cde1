package io.jobyard.application.service.artifact;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.util.function.UnaryOperator;

/**
 * How a service here ends a job (a log that grew too large drops it): the transition plus everything every ending
 * needs — pipeline processing in the same transaction, retries on lost optimistic races, then the after-completion
 * work. The runner module's {@code JobFinisher::finish} is exactly this.
 */
@FunctionalInterface
public interface JobEnding {

    /**
     * Applies {@code transition} to a fresh read of the job (again on every retry; returning the job unchanged means
     * nothing to do).
     *
     * @return the job as stored afterwards
     */
    Job finish(JobId job, UnaryOperator<Job> transition);
}

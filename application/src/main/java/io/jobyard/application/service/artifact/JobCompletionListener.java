package io.jobyard.application.service.artifact;

import io.jobyard.application.service.trace.TraceArchiver;
import io.jobyard.domain.job.Job;

/**
 * Told, after the commit, that a job has completed, so the wiring can attach what follows every completion — archiving
 * the log ({@link TraceArchiver}) — without the services that end jobs knowing about it.
 */
@FunctionalInterface
public interface JobCompletionListener {
    JobCompletionListener NONE = job -> { };

    void completed(Job job);

    default JobCompletionListener andThen(JobCompletionListener next) {
        return job -> {
            completed(job);
            next.completed(job);
        };
    }
}

package io.jobyard.application.service.live;

import io.jobyard.domain.job.JobId;

/**
 * Hears that a job's log has grown, after the append committed (never before: a follower told of bytes must be able
 * to read them). Must not block: the runner's append waits for it.
 */
@FunctionalInterface
public interface TraceAppendedListener {
    TraceAppendedListener NONE = (job, length) -> { };

    void appended(JobId job, long length);
}
